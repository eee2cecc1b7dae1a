//! `cargo xtask`: the project's build automation.
fn main() {}
