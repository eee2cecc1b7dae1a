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

/// Authorization schemes whose credential follows the scheme name (RFC 6750
/// Bearer, RFC 7617 Basic, RFC 9449 DPoP).
const CREDENTIAL_SCHEMES: [&str; 3] = ["bearer", "basic", "dpop"];

/// The auth-params a `WWW-Authenticate` challenge of these schemes may carry
/// (RFC 6750 §3, RFC 7617 §2, RFC 9449 §7.1): a challenge made of these
/// alone holds no credential and is shown as sent.
const CHALLENGE_PARAMS: [&str; 7] = [
    "realm",
    "scope",
    "error",
    "error_description",
    "error_uri",
    "charset",
    "algs",
];

/// A `WWW-Authenticate` value for a report: shown as sent when it parses as
/// challenges of known auth-params only (no token68), otherwise redacted
/// like any text.
#[must_use]
pub fn redact_challenge(value: &str) -> String {
    let shown = psd2_wire::parse_challenges(value).is_ok_and(|challenges| {
        !challenges.is_empty()
            && challenges.iter().all(|challenge| {
                challenge.token68.is_none()
                    && challenge.params.iter().all(|(name, _)| {
                        CHALLENGE_PARAMS
                            .iter()
                            .any(|known| known.eq_ignore_ascii_case(name))
                    })
            })
    });
    if shown {
        value.to_owned()
    } else {
        redact_text(value)
    }
}

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
    for scheme in CREDENTIAL_SCHEMES {
        let mut from = 0;
        while let Some(found) = lower[from..].find(scheme) {
            let after = from + found + scheme.len();
            from = after;
            // The credential follows `1*SP` (RFC 6750 §2.1); any run of
            // whitespace is skipped, so that no spacing can hide it.
            let rest = &text[after..];
            let gap = rest.len() - rest.trim_start().len();
            if gap > 0 {
                consider((after + gap, value_end(text, after + gap)));
            }
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
            let quoted = after.len() - after.trim_start_matches(['"', '\'']).len();
            let after_quote = &after[quoted..];
            // `Authorization = Bearer …`: spaces may precede the separator.
            let skipped = quoted + after_quote.len() - after_quote.trim_start().len();
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
            for scheme in CREDENTIAL_SCHEMES {
                let rest = &text[start..];
                if lower[start..].starts_with(scheme) {
                    let tail = &rest[scheme.len()..];
                    let gap = tail.len() - tail.trim_start().len();
                    if gap > 0 {
                        start += scheme.len() + gap;
                    }
                }
            }
            consider((start, value_end(text, start)));
        }
    }
    best
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
        let challenge = r#"Bearer realm="https://as.example/api", error="invalid_token", error_description="expired""#;
        assert_eq!(redact_challenge(challenge), challenge);
        assert_eq!(
            redact_challenge("Basic realm=\"api\", charset=\"UTF-8\""),
            "Basic realm=\"api\", charset=\"UTF-8\""
        );
        // Anything else in a challenge, and every credential, is hidden.
        for leaky in [
            "Bearer abc=def",
            "Bearer token=abc",
            "Bearer abc==",
            "Bearer eyJhbGciOiJ9=.eyJzdWIi",
        ] {
            assert!(
                !redact_challenge(leaky).contains("abc")
                    && !redact_challenge(leaky).contains("eyJ"),
                "{leaky}"
            );
        }
        for (text, secret) in [
            ("Bearer abc=def", "abc"),
            ("Basic x=y", "x=y"),
            ("BEARER abc=def", "abc"),
            ("bearer a=b=c", "a=b"),
            ("Bearer abc= def", "abc"),
            ("sent Bearer tok_live=AbC123 then", "AbC123"),
            ("Authorization = Bearer abc=def", "abc"),
            ("Authorization: Bearer abc=def", "abc"),
            ("Bearer  secret", "secret"),
            ("Authorization: Bearer  secret", "secret"),
            ("Bearer\tsecret", "secret"),
            ("Authorization: Bearer\u{a0}secret", "secret"),
            ("DPoP secret", "secret"),
            ("Basic czZCaGRSa3F0Mzo=", "czZC"),
        ] {
            let shown = redact_text(text);
            assert!(!shown.contains(secret), "{text:?} -> {shown:?}");
            assert!(shown.contains(REDACTED), "{text:?} -> {shown:?}");
        }
    }
}
