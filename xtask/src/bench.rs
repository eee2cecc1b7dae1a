//! `cargo xtask bench`: runs the `bench/` workspace, which `cargo test
//! --workspace` never builds (it pulls comparison crates such as
//! `jsonwebtoken`).

use std::process::Command;

use crate::paths::workspace_root;

pub fn run(name: Option<&str>) -> Result<(), String> {
    let root = workspace_root();
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(root.join("bench"))
        .args(["bench", "--manifest-path"])
        .arg(root.join("bench/Cargo.toml"));
    if let Some(name) = name {
        command.args(["--bench", name]);
    }
    let status = command
        .status()
        .map_err(|error| format!("bench: cannot start cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("bench: cargo bench exited with {status}"))
    }
}
