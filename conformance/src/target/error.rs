//! Errors loading a target file: each names the file and the key.

use std::path::PathBuf;

/// A target file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// The file could not be read.
    #[error("{file}: cannot read the target file: {source}")]
    Read {
        /// The target file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text does not fit the schema; the message names the key (an
    /// unknown key, a missing key, a value of the wrong type) and its line.
    #[error("{file}: {message}")]
    Schema {
        /// The target file.
        file: PathBuf,
        /// The TOML decoder's message.
        message: String,
    },
    /// A key's value is unusable (a file it names, an environment variable,
    /// a URL, a profile override).
    #[error("{file}: {key}: {message}")]
    Invalid {
        /// The target file.
        file: PathBuf,
        /// The dotted key (`clients.main.certificate`).
        key: String,
        /// What is wrong.
        message: String,
    },
}

impl TargetError {
    pub(crate) fn invalid(
        file: &std::path::Path,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            file: file.to_path_buf(),
            key: key.into(),
            message: message.into(),
        }
    }
}
