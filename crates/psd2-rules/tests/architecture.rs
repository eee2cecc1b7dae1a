//! Architecture invariants of psd2-rules, tested rather than trusted:
//! no runtime or crypto crate in its dependency graph, and no I/O, clock or
//! randomness in its library code.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const FORBIDDEN_CRATES: [&str; 6] = ["tokio", "hyper", "rustls", "ring", "aws-lc-rs", "openssl"];

/// A package of `Cargo.lock` and the names of its dependencies.
type TestResult<T> = Result<T, Box<dyn std::error::Error>>;

fn lock_graph() -> TestResult<BTreeMap<String, Vec<String>>> {
    let lock_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let text = fs::read_to_string(lock_path)?;
    let lock: toml::Table = toml::from_str(&text)?;
    let packages = lock
        .get("package")
        .and_then(|value| value.as_array())
        .ok_or("Cargo.lock has no package array")?;
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in packages {
        let name = package
            .get("name")
            .and_then(|value| value.as_str())
            .ok_or("a package without name")?
            .to_owned();
        let dependencies: Vec<String> = package
            .get("dependencies")
            .and_then(|deps| deps.as_array())
            .map(|deps| {
                deps.iter()
                    // Entries are "name" or "name version (source)".
                    .filter_map(|dep| dep.as_str()?.split(' ').next().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        graph.entry(name).or_default().extend(dependencies);
    }
    Ok(graph)
}

#[test]
fn no_runtime_or_crypto_crate_in_the_dependency_graph() -> TestResult<()> {
    // Cargo.lock lists the dependencies of every target, dev-dependencies
    // included, so this over-approximates the library's graph: safe.
    let graph = lock_graph()?;
    let mut seen = BTreeSet::new();
    let mut stack = vec!["psd2-rules".to_owned()];
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(dependencies) = graph.get(&name) {
            stack.extend(dependencies.iter().cloned());
        }
    }
    assert!(
        seen.len() > 1,
        "psd2-rules is in Cargo.lock with dependencies"
    );
    for forbidden in FORBIDDEN_CRATES {
        assert!(
            !seen.contains(forbidden),
            "psd2-rules depends on {forbidden}"
        );
    }
    Ok(())
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) -> TestResult<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

#[test]
fn no_io_clock_or_randomness_in_library_code() -> TestResult<()> {
    let forbidden = [
        "std::fs",
        "std::io::stdin",
        "std::env",
        "std::process",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "SystemTime",
        "Instant::now",
        "thread_rng",
        "getrandom",
        "println!",
        "eprintln!",
    ];
    let mut files = Vec::new();
    rust_files(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    )?;
    assert!(files.len() > 5, "found the sources");
    for file in files {
        let text = fs::read_to_string(&file)?;
        for needle in forbidden {
            assert!(!text.contains(needle), "{} uses {needle}", file.display());
        }
    }
    Ok(())
}
