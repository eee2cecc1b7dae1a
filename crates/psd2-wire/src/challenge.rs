//! The `WWW-Authenticate` challenge list of RFC 7235 §4.1.
//!
//! ```text
//! WWW-Authenticate = 1#challenge
//! challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//! auth-param       = token BWS "=" BWS ( token / quoted-string )
//! token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//! quoted-string    = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//! ```
//!
//! Commas separate both challenges and the auth-params of one challenge, so
//! after each comma the parser looks ahead: `token BWS "="` starts another
//! auth-param, anything else another challenge.

use crate::{BodyLimit, InvalidReason, WireError};

const HEADER: &str = "WWW-Authenticate";

/// One challenge of a `WWW-Authenticate` value, as sent.
///
/// ```
/// use psd2_wire::parse_challenges;
/// // RFC 7235 §4.1's example.
/// let challenges = parse_challenges(
///     r#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#,
/// )?;
/// assert_eq!(challenges.len(), 2);
/// assert_eq!(challenges[0].param("TITLE"), Some(r#"Login to "apps""#));
/// assert_eq!(challenges[1].scheme, "Basic");
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// The auth-scheme, as sent (compare it without regard to case).
    pub scheme: String,
    /// The token68, if the challenge carries one instead of auth-params.
    pub token68: Option<String>,
    /// The auth-params in order, names as sent, values unquoted.
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// The value of the first auth-param named `name`, compared without
    /// regard to case (RFC 7235 §2.1).
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Parses a `WWW-Authenticate` value into its challenges under
/// [`BodyLimit::DEFAULT`]. Several header fields are one value joined with
/// `", "` (RFC 7230 §3.2.2).
///
/// # Errors
/// See [`parse_challenges_limited`].
pub fn parse_challenges(header_value: &str) -> Result<Vec<Challenge>, WireError> {
    parse_challenges_limited(header_value, BodyLimit::DEFAULT)
}

/// Parses a `WWW-Authenticate` value of at most `limit` bytes.
///
/// # Errors
/// [`WireError::BodyTooLarge`]; [`WireError::InvalidValue`] on
/// `WWW-Authenticate` with [`InvalidReason::Syntax`] giving the byte where the
/// grammar broke.
pub fn parse_challenges_limited(
    header_value: &str,
    limit: BodyLimit,
) -> Result<Vec<Challenge>, WireError> {
    limit.check(header_value.len())?;
    let mut cursor = Cursor {
        text: header_value,
        position: 0,
    };
    let mut challenges = Vec::new();
    loop {
        cursor.skip_separators();
        if cursor.at_end() {
            return Ok(challenges);
        }
        challenges.push(cursor.challenge()?);
    }
}

struct Cursor<'a> {
    text: &'a str,
    position: usize,
}

fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn is_token68_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~+/".contains(&byte)
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.position).copied()
    }

    fn at_end(&self) -> bool {
        self.position >= self.text.len()
    }

    fn at_separator(&self) -> bool {
        self.at_end() || self.peek() == Some(b',')
    }

    fn error(&self, expected: &'static str) -> WireError {
        WireError::invalid(
            HEADER,
            InvalidReason::Syntax {
                expected,
                position: self.position,
            },
        )
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.position += 1;
        }
    }

    /// Skips whitespace and empty list elements (RFC 7230 §7).
    fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b',')) {
            self.position += 1;
        }
    }

    fn scan(&mut self, accept: fn(u8) -> bool) -> &'a str {
        let start = self.position;
        while self.peek().is_some_and(accept) {
            self.position += 1;
        }
        &self.text[start..self.position]
    }

    fn challenge(&mut self) -> Result<Challenge, WireError> {
        let scheme = self.scan(is_tchar);
        if scheme.is_empty() {
            return Err(self.error("an auth-scheme"));
        }
        let mut challenge = Challenge {
            scheme: scheme.to_owned(),
            token68: None,
            params: Vec::new(),
        };
        let after_scheme = self.position;
        self.skip_ows();
        if self.at_separator() {
            return Ok(challenge);
        }
        if self.position == after_scheme {
            return Err(self.error("a space after the auth-scheme"));
        }
        if let Some(token68) = self.token68() {
            challenge.token68 = Some(token68.to_owned());
            return Ok(challenge);
        }
        loop {
            challenge.params.push(self.auth_param()?);
            self.skip_ows();
            if self.at_end() {
                return Ok(challenge);
            }
            if self.peek() != Some(b',') {
                return Err(self.error("',' after an auth-param"));
            }
            let before_comma = self.position;
            self.skip_separators();
            if self.at_end() || !self.starts_auth_param() {
                self.position = before_comma;
                return Ok(challenge);
            }
        }
    }

    /// A token68 that ends the challenge, or nothing (and no move).
    fn token68(&mut self) -> Option<&'a str> {
        let start = self.position;
        let body = self.scan(is_token68_char);
        if body.is_empty() {
            self.position = start;
            return None;
        }
        while self.peek() == Some(b'=') {
            self.position += 1;
        }
        let end = self.position;
        self.skip_ows();
        if self.at_separator() {
            return Some(&self.text[start..end]);
        }
        self.position = start;
        None
    }

    fn starts_auth_param(&mut self) -> bool {
        let start = self.position;
        let name = self.scan(is_tchar);
        self.skip_ows();
        let starts = !name.is_empty() && self.peek() == Some(b'=');
        self.position = start;
        starts
    }

    fn auth_param(&mut self) -> Result<(String, String), WireError> {
        let name = self.scan(is_tchar);
        if name.is_empty() {
            return Err(self.error("an auth-param name"));
        }
        self.skip_ows();
        if self.peek() != Some(b'=') {
            return Err(self.error("'=' after an auth-param name"));
        }
        self.position += 1;
        self.skip_ows();
        let value = if self.peek() == Some(b'"') {
            self.quoted_string()?
        } else {
            let token = self.scan(is_tchar);
            if token.is_empty() {
                return Err(self.error("a token or quoted-string"));
            }
            token.to_owned()
        };
        Ok((name.to_owned(), value))
    }

    /// After the opening quote: qdtext and quoted-pairs up to the closing
    /// quote. Control characters other than HTAB are refused in both.
    fn quoted_string(&mut self) -> Result<String, WireError> {
        self.position += 1;
        let mut value = String::new();
        let mut escaped = false;
        let rest = &self.text[self.position..];
        for (offset, character) in rest.char_indices() {
            let is_control = character.is_ascii_control() && character != '\t';
            if is_control {
                self.position += offset;
                return Err(self.error("qdtext or quoted-pair"));
            }
            if escaped {
                value.push(character);
                escaped = false;
            } else if character == '\\' {
                escaped = true;
            } else if character == '"' {
                self.position += offset + 1;
                return Ok(value);
            } else {
                value.push(character);
            }
        }
        self.position = self.text.len();
        Err(self.error("a closing '\"'"))
    }
}

/// Writes `value` as a quoted-string, escaping `"` and `\`.
pub(crate) fn quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for character in value.chars() {
        if matches!(character, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(character);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemes(value: &str) -> Vec<String> {
        parse_challenges(value)
            .unwrap()
            .into_iter()
            .map(|challenge| challenge.scheme)
            .collect()
    }

    #[test]
    fn several_challenges_and_empty_elements() {
        assert_eq!(
            schemes(r#"Basic realm="a", , Bearer, DPoP algs="ES256 PS256""#),
            ["Basic", "Bearer", "DPoP"]
        );
        assert_eq!(schemes("Negotiate abc==, Basic"), ["Negotiate", "Basic"]);
        assert!(parse_challenges("").unwrap().is_empty());
    }

    #[test]
    fn token68_and_auth_params() {
        let challenges = parse_challenges("Negotiate a87421000492aa874209af8bc028==").unwrap();
        assert_eq!(
            challenges[0].token68.as_deref(),
            Some("a87421000492aa874209af8bc028==")
        );
        let challenges = parse_challenges("Bearer realm = example , error=invalid_token").unwrap();
        assert_eq!(
            challenges[0].params,
            [
                ("realm".to_owned(), "example".to_owned()),
                ("error".to_owned(), "invalid_token".to_owned())
            ]
        );
    }

    #[test]
    fn quoted_pairs_are_unescaped_and_quote_escapes() {
        let challenges = parse_challenges(r#"Bearer error_description="a \"b\" \\ c""#).unwrap();
        assert_eq!(
            challenges[0].param("error_description"),
            Some(r#"a "b" \ c"#)
        );
        assert_eq!(quote(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
    }

    #[test]
    fn syntax_errors_give_the_position() {
        let cases = [
            ("Bearer realm=\"open", 18),
            ("Bearer realm=\"a\nb\"", 15),
            ("Bearer a=b, c=", 14),
            ("Bearer realm=\"a\" error=x", 17),
            ("=x", 0),
            ("Bearer\u{e9}", 6),
        ];
        for (value, position) in cases {
            match parse_challenges(value) {
                Err(WireError::InvalidValue {
                    field: "WWW-Authenticate",
                    reason: InvalidReason::Syntax { position: at, .. },
                }) => assert_eq!(at, position, "{value:?}"),
                other => panic!("{value:?}: {other:?}"),
            }
        }
    }
}
