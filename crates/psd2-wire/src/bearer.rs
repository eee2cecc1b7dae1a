//! The `Bearer` challenge of a protected resource (RFC 6750 §3).

use psd2_core::{OAuthErrorCode, ScopeSet};

use crate::challenge::{Challenge, parse_challenges_limited, quote};
use crate::params;
use crate::{BodyLimit, InvalidReason, WireError};

const SCHEME: &str = "Bearer";

/// The `Bearer` challenge of a `WWW-Authenticate` value.
///
/// The header may hold several challenges (`Basic realm="x", Bearer ...`);
/// the first whose scheme is `Bearer` in any case is read. Attribute names
/// are matched without regard to case (RFC 7235 §2.1) and each may appear
/// once (RFC 7235 §2.1, RFC 6750 §3).
///
/// ```
/// use psd2_core::OAuthErrorCode;
/// use psd2_wire::BearerChallenge;
/// // RFC 6750 §3's second example, behind a Basic challenge.
/// let header = r#"Basic realm="x", Bearer realm="example", error="invalid_token", error_description="The access token expired""#;
/// let challenge = BearerChallenge::decode(header)?;
/// assert_eq!(challenge.error, Some(OAuthErrorCode::INVALID_TOKEN));
/// assert_eq!(
///     challenge.encode(),
///     r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
/// );
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BearerChallenge {
    /// `realm` (RFC 7235 §2.2).
    pub realm: Option<String>,
    /// `scope` (RFC 6750 §3).
    pub scope: Option<ScopeSet>,
    /// `error` (RFC 6750 §3.1).
    pub error: Option<OAuthErrorCode>,
    /// `error_description`.
    pub error_description: Option<String>,
    /// `error_uri`, exactly as sent.
    pub error_uri: Option<String>,
    /// Every other auth-param in order (RFC 9728's `resource_metadata`, ...).
    pub extra: Vec<(String, String)>,
}

impl BearerChallenge {
    /// Finds and reads the `Bearer` challenge of a `WWW-Authenticate` value
    /// under [`BodyLimit::DEFAULT`].
    ///
    /// # Errors
    /// See [`BearerChallenge::decode_limited`].
    pub fn decode(header_value: &str) -> Result<Self, WireError> {
        Self::decode_limited(header_value, BodyLimit::DEFAULT)
    }

    /// [`BearerChallenge::decode`] for a value of at most `limit` bytes.
    ///
    /// # Errors
    /// Any error of [`parse_challenges_limited`](crate::parse_challenges_limited);
    /// [`WireError::MissingChallenge`] without a `Bearer` challenge; then as
    /// [`BearerChallenge::from_challenge`].
    pub fn decode_limited(header_value: &str, limit: BodyLimit) -> Result<Self, WireError> {
        let challenges = parse_challenges_limited(header_value, limit)?;
        let bearer = challenges
            .iter()
            .find(|challenge| challenge.scheme.eq_ignore_ascii_case(SCHEME))
            .ok_or(WireError::MissingChallenge { scheme: SCHEME })?;
        Self::from_challenge(bearer)
    }

    /// Reads the attributes of a challenge already found.
    ///
    /// # Errors
    /// [`WireError::DuplicateParameter`] for a repeated auth-param,
    /// [`WireError::InvalidValue`] for a token68 or a malformed `scope`.
    pub fn from_challenge(challenge: &Challenge) -> Result<Self, WireError> {
        if challenge.token68.is_some() {
            return Err(WireError::invalid(
                "WWW-Authenticate",
                InvalidReason::Token68,
            ));
        }
        let mut read = Self::default();
        for (index, (name, value)) in challenge.params.iter().enumerate() {
            let repeated = challenge.params[..index]
                .iter()
                .any(|(earlier, _)| earlier.eq_ignore_ascii_case(name));
            if repeated {
                return Err(WireError::DuplicateParameter { name: name.clone() });
            }
            match name.to_ascii_lowercase().as_str() {
                "realm" => read.realm = Some(value.clone()),
                "scope" => read.scope = Some(params::scope("scope", value)?),
                "error" => read.error = Some(OAuthErrorCode::from(value.as_str())),
                "error_description" => read.error_description = Some(value.clone()),
                "error_uri" => read.error_uri = Some(value.clone()),
                _ => read.extra.push((name.clone(), value.clone())),
            }
        }
        Ok(read)
    }

    /// The challenge as a header value: `Bearer`, then `realm`, `scope`,
    /// `error`, `error_description`, `error_uri` and the extra attributes as
    /// quoted-strings separated by `", "`.
    ///
    /// A value holding a control character cannot be a quoted-string; it is
    /// written as it is, which makes a header the decoder refuses (useful to
    /// a harness that sends one on purpose).
    #[must_use]
    pub fn encode(&self) -> String {
        let scope = self.scope.as_ref().map(ToString::to_string);
        let known = [
            ("realm", self.realm.as_deref()),
            ("scope", scope.as_deref()),
            ("error", self.error.as_ref().map(OAuthErrorCode::as_str)),
            ("error_description", self.error_description.as_deref()),
            ("error_uri", self.error_uri.as_deref()),
        ];
        let attributes: Vec<String> = known
            .into_iter()
            .filter_map(|(name, value)| value.map(|value| (name, value)))
            .chain(
                self.extra
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str())),
            )
            .map(|(name, value)| format!("{name}={}", quote(value)))
            .collect();
        if attributes.is_empty() {
            return SCHEME.to_owned();
        }
        format!("{SCHEME} {}", attributes.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_and_names_are_case_insensitive() {
        let challenge =
            BearerChallenge::decode(r#"bearer Realm="example", SCOPE="aisp pisp""#).unwrap();
        assert_eq!(challenge.realm.as_deref(), Some("example"));
        assert_eq!(challenge.scope.map(|scope| scope.len()), Some(2));
    }

    #[test]
    fn no_bearer_challenge() {
        assert_eq!(
            BearerChallenge::decode(r#"Basic realm="x""#),
            Err(WireError::MissingChallenge { scheme: "Bearer" })
        );
    }

    #[test]
    fn repeated_attributes_are_refused() {
        assert_eq!(
            BearerChallenge::decode(r#"Bearer realm="a", REALM="b""#),
            Err(WireError::DuplicateParameter {
                name: "REALM".to_owned()
            })
        );
    }

    #[test]
    fn token68_is_not_rfc6750() {
        assert_eq!(
            BearerChallenge::decode("Bearer abc"),
            Err(WireError::invalid(
                "WWW-Authenticate",
                InvalidReason::Token68
            ))
        );
    }

    #[test]
    fn extra_attributes_and_escapes_round_trip() {
        let challenge = BearerChallenge {
            error: Some(OAuthErrorCode::INSUFFICIENT_SCOPE),
            scope: Some("pisp".parse().unwrap()),
            error_description: Some(r#"needs "pisp""#.to_owned()),
            extra: vec![(
                "resource_metadata".to_owned(),
                "https://rs.example/.well-known/oauth-protected-resource".to_owned(),
            )],
            ..BearerChallenge::default()
        };
        let header = challenge.encode();
        assert_eq!(BearerChallenge::decode(&header), Ok(challenge));
        assert_eq!(BearerChallenge::default().encode(), "Bearer");
        assert_eq!(
            BearerChallenge::decode("Bearer"),
            Ok(BearerChallenge::default())
        );
    }
}
