//! HTTP requests and responses as plain data: what the harness sent and what
//! came back, nothing parsed yet.
//!
//! Header names compare without regard to case (RFC 9110 §5.1). Bodies are
//! kept in clear because the judges must read them; `Debug` never prints a
//! body, a credential header or a credential query parameter, so that a log
//! line or a test failure cannot leak a token.

use std::fmt;

use psd2_wire::{Form, WireError};

use super::redact::{is_secret_header, redact_url};
use crate::judge::uri;

/// One HTTP request as sent by the harness.
///
/// ```
/// use psd2_rules::exchange::HttpRequest;
/// let request = HttpRequest::new("POST", "https://as.example/token")
///     .with_header("Content-Type", "application/x-www-form-urlencoded")
///     .with_header("Authorization", "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
///     .with_body("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA");
/// assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
/// assert_eq!(request.body_form()?.get("grant_type"), Some("authorization_code"));
/// let debug = format!("{request:?}");
/// assert!(!debug.contains("czZCaGRSa3F0MzpnWDFmQmF0M2JW") && !debug.contains("SplxlOBeZQQYbYS6WxSbIA"));
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method, as sent (`GET`, `POST`).
    pub method: String,
    /// The absolute URL, exactly as sent (query included).
    pub url: String,
    /// Header fields in the order sent; names as sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when none).
    pub body: Vec<u8>,
    /// The name of the test credential presented as TLS client certificate
    /// (`tpp-a`, `tpp-b`), or `None` when the handshake offered none.
    pub client_certificate: Option<String>,
}

impl HttpRequest {
    /// A request without headers, body or client certificate.
    #[must_use]
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            method: method.into(),
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            client_certificate: None,
        }
    }

    /// Adds a header field.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets the name of the client certificate presented.
    #[must_use]
    pub fn with_client_certificate(mut self, name: impl Into<String>) -> Self {
        self.client_certificate = Some(name.into());
        self
    }

    /// The first value of a header, the name compared without regard to case.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        first_header(&self.headers, name)
    }

    /// Every value of a header, in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        header_values(&self.headers, name)
    }

    /// The query component of the URL, without `?`, if any.
    #[must_use]
    pub fn query(&self) -> Option<&str> {
        uri::split(&self.url).query
    }

    /// The query component decoded as a form (empty when there is none).
    ///
    /// # Errors
    /// As [`Form::decode`]: the query is over the limit or not UTF-8.
    pub fn query_form(&self) -> Result<Form, WireError> {
        Form::decode(self.query().unwrap_or_default().as_bytes())
    }

    /// The body decoded as `application/x-www-form-urlencoded`.
    ///
    /// # Errors
    /// As [`Form::decode`].
    pub fn body_form(&self) -> Result<Form, WireError> {
        Form::decode(&self.body)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &DebugBody(&self.body))
            .field("client_certificate", &self.client_certificate)
            .finish()
    }
}

/// One HTTP response as received.
///
/// ```
/// use psd2_rules::exchange::HttpResponse;
/// let response = HttpResponse::new(302)
///     .with_header("Location", "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz");
/// assert!(response.is_redirect());
/// assert!(!format!("{response:?}").contains("SplxlOBeZQQYbYS6WxSbIA"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header fields in the order received; names as received.
    pub headers: Vec<(String, String)>,
    /// The body bytes, possibly truncated at the harness's cap.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response without headers or body.
    #[must_use]
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header field.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The first value of a header, the name compared without regard to case.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        first_header(&self.headers, name)
    }

    /// Every value of a header, in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        header_values(&self.headers, name)
    }

    /// Whether the status is 2xx.
    #[must_use]
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether the status is a redirection with a `Location` (3xx).
    #[must_use]
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status) && self.header("location").is_some()
    }

    /// The media type of `Content-Type`, lower-cased, parameters dropped.
    #[must_use]
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// Whether a comma-separated header (`Cache-Control`, `Pragma`) carries
    /// a directive, compared without regard to case (RFC 9111 §5.2).
    #[must_use]
    pub fn has_directive(&self, header: &str, directive: &str) -> bool {
        self.header_values(header)
            .flat_map(|value| value.split(','))
            .map(|item| item.split('=').next().unwrap_or_default().trim())
            .any(|name| name.eq_ignore_ascii_case(directive))
    }

    /// The body as text, invalid UTF-8 replaced.
    #[must_use]
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &DebugBody(&self.body))
            .finish()
    }
}

fn first_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

fn header_values<'a>(
    headers: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .iter()
        .filter(move |(candidate, _)| candidate.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Headers with credential values redacted and URLs in `Location` redacted.
struct DebugHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if is_secret_header(name) {
                list.entry(&format_args!("{name}: [redacted]"));
            } else if name.eq_ignore_ascii_case("location") {
                list.entry(&format_args!("{name}: {}", redact_url(value)));
            } else {
                list.entry(&format_args!("{name}: {value}"));
            }
        }
        list.finish()
    }
}

/// A body is shown by its length only: it may hold tokens or credentials.
struct DebugBody<'a>(&'a [u8]);

impl fmt::Debug for DebugBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_without_regard_to_case() {
        let response = HttpResponse::new(200)
            .with_header("Cache-Control", "no-store")
            .with_header("cache-control", "private, max-age=0");
        assert_eq!(response.header("CACHE-CONTROL"), Some("no-store"));
        assert_eq!(response.header_values("Cache-Control").count(), 2);
        assert!(response.has_directive("cache-control", "PRIVATE"));
        assert!(!response.has_directive("cache-control", "no-cache"));
    }

    #[test]
    fn media_type_drops_parameters() {
        let response =
            HttpResponse::new(200).with_header("Content-Type", "Application/JSON; charset=UTF-8");
        assert_eq!(response.media_type().as_deref(), Some("application/json"));
    }

    #[test]
    fn debug_hides_bodies_and_credentials() {
        let request = HttpRequest::new("GET", "https://rs.example/accounts?access_token=mF_9.B5f")
            .with_header("Cookie", "session=abc123")
            .with_header("Accept", "application/json");
        let debug = format!("{request:?}");
        assert!(!debug.contains("mF_9.B5f"), "{debug}");
        assert!(!debug.contains("abc123"), "{debug}");
        assert!(debug.contains("Accept: application/json"), "{debug}");
        let response = HttpResponse::new(200)
            .with_header("Set-Cookie", "session=abc123")
            .with_body(r#"{"access_token":"mF_9.B5f"}"#);
        let debug = format!("{response:?}");
        assert!(
            !debug.contains("mF_9.B5f") && !debug.contains("abc123"),
            "{debug}"
        );
        assert!(debug.contains("<27 bytes>"), "{debug}");
    }

    #[test]
    fn query_is_split_from_the_url() {
        let request = HttpRequest::new("GET", "https://as.example/authorize?a=1&b=2#frag");
        assert_eq!(request.query(), Some("a=1&b=2"));
        assert_eq!(request.query_form().unwrap().get("b"), Some("2"));
        assert!(
            HttpRequest::new("GET", "https://as.example/")
                .query_form()
                .unwrap()
                .is_empty()
        );
    }
}
