//! Placeholder until its issue lands; replaced by the real subcommand.

pub fn run(_check: bool) -> Result<(), String> {
    Err("codegen: not built yet".to_owned())
}
