//! The oidc-provider interoperability peer (`../shared/peers/oidc-provider`):
//! a copy under `target/peers/` (the shared directory is read-only), a free
//! loopback port, and a handle that stops it with its own `stop.sh`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The peer's directory is read-only in shared/: run a copy under target/.
///
/// # Errors
/// A one-line message when the source cannot be read or the copy written.
pub fn copy(root: &Path) -> Result<PathBuf, String> {
    let source = root.join("../shared/peers/oidc-provider");
    let copy = root.join("target/peers/oidc-provider");
    std::fs::create_dir_all(&copy).map_err(|error| format!("peer: {}: {error}", copy.display()))?;
    for entry in std::fs::read_dir(&source)
        .map_err(|error| format!("peer: {}: {error}", source.display()))?
    {
        let entry = entry.map_err(|error| format!("peer: {error}"))?;
        if entry.path().is_file() {
            std::fs::copy(entry.path(), copy.join(entry.file_name()))
                .map_err(|error| format!("peer: copy {}: {error}", entry.path().display()))?;
        }
    }
    Ok(copy)
}

/// A port nobody listens on right now, on 127.0.0.1.
///
/// # Errors
/// A one-line message when the OS gives none.
pub fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|error| format!("no free port: {error}"))
}

/// A running peer, started by its `run.sh`; dropping it runs `stop.sh`,
/// which kills exactly the pid `run.sh` wrote to `server.pid`.
pub struct Peer {
    dir: PathBuf,
}

impl Peer {
    /// Starts the peer in `dir` (a [`copy`]) on `port` with the issuer
    /// `https://127.0.0.1:PORT`; `run.sh` installs, makes its PKI when
    /// missing and returns once discovery answers. `pin` runs it under
    /// `taskset -c` that core list.
    ///
    /// # Errors
    /// A one-line message when `run.sh` cannot start or fails; whatever it
    /// started has been stopped by then.
    pub fn start(dir: &Path, port: u16, pin: Option<&str>) -> Result<Self, String> {
        let mut command = match pin {
            Some(cores) => {
                let mut command = Command::new("taskset");
                command.args(["-c", cores, "bash", "run.sh"]);
                command
            }
            None => {
                let mut command = Command::new("bash");
                command.arg("run.sh");
                command
            }
        };
        // Whatever run.sh wrote to server.pid is ours to stop, even when it failed.
        let peer = Self {
            dir: dir.to_path_buf(),
        };
        let output = command
            .current_dir(dir)
            .env("PORT", port.to_string())
            .env("ISSUER", format!("https://127.0.0.1:{port}"))
            .output()
            .map_err(|error| format!("peer: cannot start run.sh: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "peer: run.sh failed ({}): {} {}",
                output.status,
                String::from_utf8_lossy(&output.stdout).trim(),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(peer)
    }

    /// The directory it runs in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        match Command::new("bash")
            .arg("stop.sh")
            .current_dir(&self.dir)
            .output()
        {
            Ok(output) => eprintln!("peer: {}", String::from_utf8_lossy(&output.stdout).trim()),
            Err(error) => eprintln!("peer: cannot run stop.sh: {error}"),
        }
    }
}
