//! Redirect rules: which statuses redirect, what method and body the next
//! request carries (RFC 9110 §15.4), and where the journey must stop.

use std::fmt;
use std::sync::Arc;

use url::Url;

/// What the next request of a redirect carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrite {
    /// Same method, same body (307, 308; and 301/302 for other methods
    /// than POST).
    Keep,
    /// `GET` without a body (303 for any method but HEAD; 301/302 after
    /// POST, as browsers do and RFC 9110 §15.4.2-3 allows).
    ToGet,
}

/// The rewrite for a redirect `status` after a request with `method`, or
/// `None` when the status is not one the agent follows.
#[must_use]
pub fn rewrite(status: u16, method: &str) -> Option<Rewrite> {
    match status {
        303 if method.eq_ignore_ascii_case("HEAD") => Some(Rewrite::Keep),
        303 => Some(Rewrite::ToGet),
        301 | 302 if method.eq_ignore_ascii_case("POST") => Some(Rewrite::ToGet),
        301 | 302 | 307 | 308 => Some(Rewrite::Keep),
        _ => None,
    }
}

/// When to stop following redirects and hand the `Location` to the caller
/// instead of fetching it.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum StopRule {
    /// Follow every redirect (up to the cap).
    #[default]
    Never,
    /// Stop at the client's redirect URI: same scheme, host, port and path,
    /// whatever the query and fragment. The harness never fetches the
    /// TPP's callback; it reads `code`, `state`, `iss` and `error` from the
    /// `Location`.
    RedirectUri(String),
    /// Stop where a predicate says so.
    Custom(Arc<dyn Fn(&Url) -> bool + Send + Sync>),
}

impl fmt::Debug for StopRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopRule::Never => f.write_str("Never"),
            StopRule::RedirectUri(uri) => f.debug_tuple("RedirectUri").field(uri).finish(),
            StopRule::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

impl StopRule {
    /// Whether a resolved `Location` ends the journey.
    #[must_use]
    pub fn stops_at(&self, location: &Url) -> bool {
        match self {
            StopRule::Never => false,
            StopRule::RedirectUri(redirect_uri) => {
                Url::parse(redirect_uri).is_ok_and(|expected| same_endpoint(&expected, location))
            }
            StopRule::Custom(predicate) => predicate(location),
        }
    }
}

fn same_endpoint(expected: &Url, actual: &Url) -> bool {
    expected.scheme() == actual.scheme()
        && expected.host_str() == actual.host_str()
        && expected.port_or_known_default() == actual.port_or_known_default()
        && expected.path() == actual.path()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_rules_follow_rfc_9110() {
        assert_eq!(rewrite(303, "POST"), Some(Rewrite::ToGet));
        assert_eq!(rewrite(303, "PUT"), Some(Rewrite::ToGet));
        assert_eq!(rewrite(303, "HEAD"), Some(Rewrite::Keep));
        assert_eq!(rewrite(302, "POST"), Some(Rewrite::ToGet));
        assert_eq!(rewrite(301, "POST"), Some(Rewrite::ToGet));
        assert_eq!(rewrite(302, "GET"), Some(Rewrite::Keep));
        assert_eq!(rewrite(307, "POST"), Some(Rewrite::Keep));
        assert_eq!(rewrite(308, "POST"), Some(Rewrite::Keep));
        assert_eq!(rewrite(304, "GET"), None);
        assert_eq!(rewrite(300, "GET"), None);
    }

    #[test]
    fn the_redirect_uri_stops_whatever_the_query() {
        let rule = StopRule::RedirectUri("https://tpp.example/cb".into());
        let stop = |text: &str| rule.stops_at(&Url::parse(text).unwrap());
        assert!(stop("https://tpp.example/cb?code=x&state=y"));
        assert!(stop("https://tpp.example:443/cb#code=x"));
        assert!(!stop("https://tpp.example/cb2?code=x"));
        assert!(!stop("http://tpp.example/cb?code=x"));
        assert!(!StopRule::Never.stops_at(&Url::parse("https://tpp.example/cb").unwrap()));
        let app = StopRule::RedirectUri("com.tpp.app:/oauth".into());
        assert!(app.stops_at(&Url::parse("com.tpp.app:/oauth?code=1").unwrap()));
    }
}
