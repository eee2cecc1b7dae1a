//! The exchange model: what the harness sent and what came back, as plain
//! data with no I/O, for the judges of server rules to read.
//!
//! - [`HttpRequest`], [`HttpResponse`]: bytes and headers as sent and
//!   received (header names compared without regard to case). `Debug` never
//!   prints a body, a credential header or a credential query parameter.
//! - [`TransportOutcome`]: a response, or a typed [`TransportFailure`] (TLS
//!   alert, refused or reset connection, timeout, response too large, invalid
//!   server certificate) that the harness maps from rustls and I/O errors.
//! - [`Exchange`] and [`ExchangeLog`]: the labelled exchanges of one
//!   scenario, in order; a user-agent journey keeps every redirect it
//!   followed as consecutive exchanges under one label.
//! - [`labels`]: the labels the judges read, the contract with the scenarios.
//! - [`redact_url`], [`describe_secret`]: how judges quote secrets.

mod http;
pub mod labels;
mod log;
mod redact;
mod transport;

pub use http::{HttpRequest, HttpResponse};
pub use log::{Exchange, ExchangeLog};
pub use redact::{describe_secret, is_secret_header, is_secret_parameter, redact_url};
pub use transport::{TransportFailure, TransportOutcome};
