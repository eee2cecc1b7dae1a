//! # psd2-conformance
//!
//! The conformance harness: loads a target (a bank's endpoints, clients and
//! certificates), replays the scenarios of its profile as a real user agent
//! over TLS, judges every exchange with the `psd2-rules` judges, and reports
//! by rule in the terminal, as JSON and as JUnit XML.
//!
//! The harness never imports the reference server: the two meet only over
//! HTTPS, exactly as a bank and the harness do.

pub mod agent;
pub mod baseline;
pub mod drivers;
pub mod report;
pub mod scenario;
pub mod target;
pub mod transport;

pub use report::Report;
pub use scenario::{Plan, Scenario};
pub use target::Target;
