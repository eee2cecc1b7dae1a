//! Placeholder until its issue lands; replaced by the real subcommand.

pub fn run() -> Result<(), String> {
    Err("lint_certs: not built yet".to_owned())
}
