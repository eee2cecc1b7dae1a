//! The OAuth parameters whose values are credentials: codes, tokens, client
//! secrets, PSU credentials. Every crate that prints or logs a parameter list
//! redacts these, and reads the list from here.

/// Form, query and JSON member names whose values are credentials.
pub const SECRET_PARAMETERS: &[&str] = &[
    "access_token",
    "assertion",
    "client_assertion",
    "client_secret",
    "code",
    "code_verifier",
    "id_token",
    "password",
    "refresh_token",
    "registration_access_token",
    "token",
    "username",
];

/// Whether a parameter name carries a credential (compared without regard to
/// ASCII case).
///
/// ```
/// assert!(psd2_core::is_secret_parameter("refresh_token"));
/// assert!(psd2_core::is_secret_parameter("Code"));
/// assert!(!psd2_core::is_secret_parameter("state"));
/// ```
#[must_use]
pub fn is_secret_parameter(name: &str) -> bool {
    SECRET_PARAMETERS
        .iter()
        .any(|secret| secret.eq_ignore_ascii_case(name))
}
