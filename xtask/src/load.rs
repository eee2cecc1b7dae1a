//! `cargo xtask load`: the reference server's token endpoint under load,
//! over mutual TLS, with keep-alive and with a full handshake per request,
//! next to the oidc-provider peer measured the same way in the same run.
//!
//! The server runs pinned to core 0 and the load generator (`oha`) to core 1,
//! so the two do not steal each other's CPU. Not part of CI.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::paths::workspace_root;
use crate::peer::{self, free_port};

/// What `cargo xtask load` measures.
pub struct Options {
    /// Seconds per measurement.
    pub seconds: u64,
    /// Concurrent connections.
    pub connections: u32,
    /// Also measure the oidc-provider peer (needs Node.js and npm).
    pub with_peer: bool,
}

struct Measurement {
    server: &'static str,
    mode: &'static str,
    requests_per_sec: f64,
    p99_ms: f64,
    success: u64,
    other: u64,
}

/// Kills the child when dropped, so a failed measurement leaves no server behind.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16, deadline: Duration) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "load: nothing listens on 127.0.0.1:{port} after {deadline:?}"
    ))
}

fn run(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|error| format!("load: cannot start {what}: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "load: {what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn oha(
    options: &Options,
    url: &str,
    body: &str,
    certs: &Path,
    names: (&str, &str, &str),
    keep_alive: bool,
) -> Result<serde_json::Value, String> {
    let (cert, key, ca) = names;
    let mut command = Command::new("taskset");
    command
        .args(["-c", "1", "oha", "--no-tui", "--output-format", "json"])
        .args(["-z", &format!("{}s", options.seconds)])
        .args(["-c", &options.connections.to_string()])
        .args([
            "-m",
            "POST",
            "-T",
            "application/x-www-form-urlencoded",
            "-d",
            body,
        ])
        .arg("--cert")
        .arg(certs.join(cert))
        .arg("--key")
        .arg(certs.join(key))
        .arg("--cacert")
        .arg(certs.join(ca));
    if !keep_alive {
        command.arg("--disable-keepalive");
    }
    command.arg(url);
    let text = run(&mut command, "oha (cargo install oha --locked)")?;
    serde_json::from_str(&text).map_err(|error| format!("load: oha printed no JSON: {error}"))
}

fn measurement(
    server: &'static str,
    mode: &'static str,
    report: &serde_json::Value,
) -> Measurement {
    let summary = &report["summary"];
    let codes = report["statusCodeDistribution"].as_object();
    let success = codes
        .and_then(|codes| codes.get("200"))
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    let all: u64 = codes
        .map(|codes| codes.values().filter_map(serde_json::Value::as_u64).sum())
        .unwrap_or(0);
    Measurement {
        server,
        mode,
        requests_per_sec: summary["requestsPerSec"].as_f64().unwrap_or(0.0),
        p99_ms: report["latencyPercentiles"]["p99"].as_f64().unwrap_or(0.0) * 1000.0,
        success,
        other: all - success,
    }
}

fn measure_sandbox(options: &Options, root: &Path) -> Result<Vec<Measurement>, String> {
    run(
        Command::new(env!("CARGO")).current_dir(root).args([
            "build",
            "--release",
            "-p",
            "psd2-sandbox",
        ]),
        "cargo build --release -p psd2-sandbox",
    )?;
    let (browser, mtls) = (free_port()?, free_port()?);
    let binary = root.join("target/release/psd2-sandbox");
    let child = Command::new("taskset")
        .args(["-c", "0"])
        .arg(&binary)
        .args([
            "--port",
            &browser.to_string(),
            "--mtls-port",
            &mtls.to_string(),
        ])
        .stdout(Stdio::null())
        .spawn()
        .map_err(|error| format!("load: cannot start {}: {error}", binary.display()))?;
    let _server = Guard(child);
    wait_for_port(mtls, Duration::from_secs(10))?;
    let certs = root.join("fixtures/certs");
    let url = format!("https://localhost:{mtls}/token");
    let body = "grant_type=client_credentials&client_id=PSDFR-ACPR-12345&scope=payments";
    let names = ("tpp-a-all-roles.pem", "tpp-a-all-roles.key", "qtsp-ca.pem");
    Ok(vec![
        measurement(
            "psd2-sandbox",
            "keep-alive",
            &oha(options, &url, body, &certs, names, true)?,
        ),
        measurement(
            "psd2-sandbox",
            "handshake per request",
            &oha(options, &url, body, &certs, names, false)?,
        ),
    ])
}

fn measure_peer(options: &Options, root: &Path) -> Result<Vec<Measurement>, String> {
    let dir = peer::copy(root)?;
    let port = free_port()?;
    // run.sh installs, generates its PKI and starts node in the background;
    // dropping the handle runs stop.sh.
    let _peer = peer::Peer::start(&dir, port, Some("0"))?;
    let url = format!("https://localhost:{port}/token");
    let body = "grant_type=client_credentials&client_id=tpp-1&scope=pisp";
    let certs = dir.join("certs");
    let names = ("client.crt", "client.key", "ca.crt");
    Ok(vec![
        measurement(
            "oidc-provider (node)",
            "keep-alive",
            &oha(options, &url, body, &certs, names, true)?,
        ),
        measurement(
            "oidc-provider (node)",
            "handshake per request",
            &oha(options, &url, body, &certs, names, false)?,
        ),
    ])
}

/// Runs the measurements and prints one table.
pub fn run_load(options: &Options) -> Result<(), String> {
    let root = workspace_root();
    let mut rows = measure_sandbox(options, &root)?;
    if options.with_peer {
        rows.extend(measure_peer(options, &root)?);
    }
    println!(
        "token endpoint, client_credentials over mTLS, {} connections, {} s each; server on core 0, oha on core 1",
        options.connections, options.seconds
    );
    println!(
        "{:<24} {:<24} {:>12} {:>10} {:>10} {:>8}",
        "server", "mode", "requests/s", "p99 ms", "200", "other"
    );
    for row in &rows {
        println!(
            "{:<24} {:<24} {:>12.0} {:>10.1} {:>10} {:>8}",
            row.server, row.mode, row.requests_per_sec, row.p99_ms, row.success, row.other
        );
    }
    if rows.iter().any(|row| row.success == 0 || row.other > 0) {
        return Err(
            "load: some requests did not get 200: the figures above are not valid".to_owned(),
        );
    }
    Ok(())
}
