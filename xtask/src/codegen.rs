//! `cargo xtask codegen`: regenerate `crates/psd2-rules/src/rule_id.rs` and
//! `docs/rules.md` from `crates/psd2-rules/catalogue.toml`; with `--check`,
//! fail naming every stale file instead of writing.
//!
//! The rendering lives in `psd2_rules::codegen` (pure functions); this module
//! only reads the catalogue from disk and compares or writes files.

use std::fs;

use psd2_rules::Catalogue;
use psd2_rules::codegen::{CATALOGUE_PATH, generated_files};

use crate::paths::workspace_root;

/// Writes the generated files, or with `check` reports the stale ones.
pub fn run(check: bool) -> Result<(), String> {
    let root = workspace_root();
    // Read from disk rather than the copy compiled into psd2-rules: the file
    // on disk is what the next build will compile.
    let catalogue_path = root.join(CATALOGUE_PATH);
    let text = fs::read_to_string(&catalogue_path)
        .map_err(|error| format!("codegen: reading {}: {error}", catalogue_path.display()))?;
    let catalogue = Catalogue::parse(&text).map_err(|error| format!("codegen: {error}"))?;
    let mut stale = Vec::new();
    for file in generated_files(&catalogue) {
        let path = root.join(file.path);
        let current = fs::read_to_string(&path).ok();
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if check {
            stale.push(file.path);
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|error| format!("codegen: creating {}: {error}", parent.display()))?;
        }
        fs::write(&path, &file.contents)
            .map_err(|error| format!("codegen: writing {}: {error}", path.display()))?;
        println!("codegen: updated {}", file.path);
    }
    if stale.is_empty() {
        return Ok(());
    }
    Err(format!(
        "codegen: {} {} stale; run `cargo xtask codegen` and commit the result",
        stale.join(", "),
        if stale.len() == 1 { "is" } else { "are" }
    ))
}
