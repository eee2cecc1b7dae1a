//! The last line of defence against secrets in reports: values of secret
//! fields and secret-looking fragments of free text are replaced with
//! `[REDACTED]`.

/// Beyond the OAuth parameters of [`psd2_core::SECRET_PARAMETERS`], names
/// whose values are secrets in reports: credential headers, cookies, OTPs.
const REPORT_SECRET_NAMES: &[&str] = &["authorization", "cookie", "otp", "set-cookie"];

/// Every name whose value a report never shows.
fn secret_names() -> impl Iterator<Item = &'static str> {
    psd2_core::SECRET_PARAMETERS
        .iter()
        .chain(REPORT_SECRET_NAMES)
        .copied()
}

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// Whether a field path names a secret (`refresh_token`,
/// `headers.Set-Cookie`, `body.access_token`).
#[must_use]
pub fn is_secret_path(path: &str) -> bool {
    let last = path
        .rsplit(['.', '/', '['])
        .next()
        .unwrap_or(path)
        .trim_end_matches(']')
        .to_ascii_lowercase();
    secret_names().any(|name| name == last)
}

/// Free text with `name=value` / `name: value` / `"name": "value"`
/// fragments of secret names and `Bearer`/`Basic` credentials redacted.
#[must_use]
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        match next_secret(rest) {
            Some((value_start, value_end)) => {
                out.push_str(&rest[..value_start]);
                out.push_str(REDACTED);
                rest = &rest[value_end..];
            }
            None => {
                out.push_str(rest);
                break;
            }
        }
    }
    out
}

/// The byte range of the first secret value in `text`.
fn next_secret(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    let mut consider = |range: (usize, usize)| {
        if range.1 > range.0 && best.is_none_or(|known| range.0 < known.0) {
            best = Some(range);
        }
    };
    for scheme in ["bearer ", "basic "] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(scheme) {
            let start = from + found + scheme.len();
            let end = value_end(text, start);
            // A challenge (`WWW-Authenticate: Bearer realm="api"`) carries
            // auth-params, not a credential: nothing to hide.
            if !is_auth_param(&text[start..]) {
                consider((start, end));
            }
            from = start;
        }
    }
    for name in secret_names() {
        let mut from = 0;
        while let Some(found) = lower[from..].find(name) {
            let at = from + found;
            from = at + name.len();
            let boundary_before = at == 0
                || !lower.as_bytes()[at - 1].is_ascii_alphanumeric()
                    && lower.as_bytes()[at - 1] != b'_';
            if !boundary_before {
                continue;
            }
            let after = &text[from..];
            let skipped = after.len() - after.trim_start_matches(['"', '\'']).len();
            let after_quote = &after[skipped..];
            let Some(separator) = after_quote
                .chars()
                .next()
                .filter(|c| matches!(c, '=' | ':'))
            else {
                continue;
            };
            let mut start = from + skipped + separator.len_utf8();
            let tail = &text[start..];
            start += tail.len() - tail.trim_start_matches([' ', '"', '\'']).len();
            // Already redacted upstream (the judges redact what they quote):
            // leave it, or `[REDACTED]` would become `[REDACTED]]`.
            if text[start..].starts_with(REDACTED) {
                continue;
            }
            // `Authorization: Bearer xyz`: keep the scheme, redact the credential.
            for scheme in ["bearer ", "basic "] {
                if lower[start..].starts_with(scheme) {
                    start += scheme.len();
                }
            }
            consider((start, value_end(text, start)));
        }
    }
    best
}

/// Whether `text` starts with an auth-param (`name=value`,
/// `name="value"`, RFC 9110 §11.2) rather than a credential: a token68
/// credential (RFC 9110 §11.2, RFC 6750 §2.1 b64token) has `=` only as
/// trailing padding.
fn is_auth_param(text: &str) -> bool {
    let name_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-')))
        .unwrap_or(text.len());
    if name_end == 0 {
        return false;
    }
    let after = text[name_end..].trim_start_matches(' ');
    let Some(value) = after.strip_prefix('=') else {
        return false;
    };
    let value = value.trim_start_matches(' ');
    value
        .chars()
        .next()
        .is_some_and(|c| c != '=' && !c.is_whitespace() && c != ',')
}

fn value_end(text: &str, start: usize) -> usize {
    text[start..]
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '&' | ',' | ';' | '"' | '\'' | ')' | '}' | ']')
        })
        .map_or(text.len(), |end| start + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_paths() {
        assert!(is_secret_path("refresh_token"));
        assert!(is_secret_path("body.access_token"));
        assert!(is_secret_path("headers.Set-Cookie"));
        assert!(!is_secret_path("scope"));
        assert!(!is_secret_path("redirect_uris[1]"));
    }

    #[test]
    fn fragments_are_redacted() {
        assert_eq!(
            redact_text("Location: https://tpp.example/cb?code=SplxlOBe&state=xyz"),
            "Location: https://tpp.example/cb?code=[REDACTED]&state=xyz"
        );
        assert_eq!(
            redact_text("code=[REDACTED]&state=xyz"),
            "code=[REDACTED]&state=xyz",
            "text redacted upstream stays as it is"
        );
        assert_eq!(
            redact_text(r#"{"access_token": "2YotnFZ", "token_type":"Bearer"}"#),
            r#"{"access_token": "[REDACTED]", "token_type":"Bearer"}"#
        );
        assert_eq!(
            redact_text("Authorization: Bearer abc.def"),
            "Authorization: Bearer [REDACTED]"
        );
        assert_eq!(redact_text("Cookie: sid=42"), "Cookie: [REDACTED]");
        assert_eq!(
            redact_text("error_code: invalid_grant"),
            "error_code: invalid_grant"
        );
        assert_eq!(redact_text("no secret here"), "no secret here");
    }

    #[test]
    fn challenges_are_shown_credentials_are_not() {
        let challenge =
            r#"WWW-Authenticate = Bearer realm="https://as.example/api", error="invalid_token""#;
        assert_eq!(redact_text(challenge), challenge);
        assert_eq!(
            redact_text("WWW-Authenticate: Bearer error=invalid_token"),
            "WWW-Authenticate: Bearer error=invalid_token"
        );
        // token68 padding is part of the credential, not an auth-param.
        assert_eq!(redact_text("Bearer abc=="), "Bearer [REDACTED]");
        assert_eq!(redact_text("Bearer abc= , x"), "Bearer [REDACTED] , x");
        assert_eq!(redact_text("Basic czZCaGRSa3F0Mzo="), "Basic [REDACTED]");
    }
}
