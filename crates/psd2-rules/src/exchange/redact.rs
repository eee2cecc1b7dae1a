//! Redaction of secrets in what the judges quote and what `Debug` prints:
//! codes, tokens, client secrets, PSU credentials and cookies never appear in
//! clear in a finding or a log line.

/// Header names whose values are credentials.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "proxy-authorization",
    "set-cookie",
];

/// Whether a form, query or JSON member name carries a credential.
#[must_use]
pub fn is_secret_parameter(name: &str) -> bool {
    psd2_core::is_secret_parameter(name)
}

/// Whether a header carries a credential (`Authorization`, `Cookie`,
/// `Set-Cookie`, `Proxy-Authorization`).
#[must_use]
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS
        .iter()
        .any(|secret| secret.eq_ignore_ascii_case(name))
}

/// A URL with the values of credential parameters in its query and fragment
/// replaced by `[redacted]`; everything else is kept as sent.
///
/// ```
/// use psd2_rules::exchange::redact_url;
/// assert_eq!(
///     redact_url("https://tpp.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz"),
///     "https://tpp.example/cb?code=[redacted]&state=xyz"
/// );
/// assert_eq!(
///     redact_url("https://tpp.example/cb#access_token=2YotnFZFEjr1zCsicMWpAA&x"),
///     "https://tpp.example/cb#access_token=[redacted]&x"
/// );
/// ```
#[must_use]
pub fn redact_url(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((head, fragment)) => (head, Some(fragment)),
        None => (url, None),
    };
    let mut out = match before_fragment.split_once('?') {
        Some((head, query)) => format!("{head}?{}", redact_pairs(query)),
        None => before_fragment.to_owned(),
    };
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(&redact_pairs(fragment));
    }
    out
}

fn redact_pairs(pairs: &str) -> String {
    pairs
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_parameter(name) => format!("{name}=[redacted]"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// What a finding says about a secret value: its length, never its content.
#[must_use]
pub fn describe_secret(value: &str) -> String {
    format!("[redacted, {} characters]", value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_credential_values_are_redacted() {
        assert_eq!(
            redact_url("/cb?state=s&refresh_token=r&token=t&x=1"),
            "/cb?state=s&refresh_token=[redacted]&token=[redacted]&x=1"
        );
        assert_eq!(redact_url("https://a.example/p"), "https://a.example/p");
        assert!(is_secret_header("SET-COOKIE"));
        assert!(!is_secret_header("Location"));
        assert_eq!(describe_secret("abcd"), "[redacted, 4 characters]");
    }
}
