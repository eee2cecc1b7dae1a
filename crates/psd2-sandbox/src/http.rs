//! Small HTTP helpers: bounded body reads and the response shapes the
//! endpoints share (JSON with no-store, HTML pages with anti-framing headers,
//! 303 redirects, RFC 6749 §5.2 errors).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};

/// Every response body is built in memory.
pub type Body = Full<Bytes>;

/// Why a request body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// The body is larger than the cap.
    #[error("request body larger than {limit} bytes")]
    TooLarge {
        /// The cap.
        limit: usize,
    },
    /// The client did not finish sending in time.
    #[error("request body not received within {0:?}")]
    Timeout(Duration),
    /// The connection failed while reading.
    #[error("request body could not be read")]
    Transport,
}

/// Reads a whole body, refusing it once it passes `limit` bytes and giving up
/// after `deadline`.
pub async fn read_body(
    body: Incoming,
    limit: usize,
    deadline: Duration,
) -> Result<Bytes, BodyError> {
    let limited = Limited::new(body, limit);
    match tokio::time::timeout(deadline, limited.collect()).await {
        Err(_) => Err(BodyError::Timeout(deadline)),
        Ok(Err(error)) => {
            if error
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                Err(BodyError::TooLarge { limit })
            } else {
                Err(BodyError::Transport)
            }
        }
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

fn response(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// `application/json` with `Cache-Control: no-store` and `Pragma: no-cache`
/// (RFC 6749 §5.1: responses carrying tokens or credentials).
pub fn json_no_store(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    let mut response = json(status, value);
    add_no_store(&mut response);
    response
}

/// `application/json`, cacheable by default rules (metadata).
pub fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    response(status, "application/json", value.to_string())
}

/// Adds `Cache-Control: no-store` and `Pragma: no-cache`.
pub fn add_no_store(response: &mut Response<Body>) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// An HTML page that no other origin may frame (RFC 9700 §4.16; RFC 6749 §10.13).
pub fn html(status: StatusCode, page: String) -> Response<Body> {
    let mut response = response(status, "text/html; charset=utf-8", page);
    let headers = response.headers_mut();
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A redirect with the given status (303 after a POST, RFC 9700 §4.12).
pub fn redirect(status: StatusCode, location: &str) -> Response<Body> {
    let mut response = response(status, "text/plain; charset=utf-8", Bytes::new());
    match HeaderValue::from_str(location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        // A location we built ourselves that is not a valid header value is a
        // server bug; answer it as one rather than redirect nowhere.
        Err(_) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "redirect target is not a valid header value",
        ),
    }
}

/// `text/plain`.
pub fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    response(status, "text/plain; charset=utf-8", text)
}

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn pages_refuse_framing() {
        let page = html(StatusCode::OK, String::new());
        assert_eq!(page.headers()["x-frame-options"], "DENY");
        assert_eq!(
            page.headers()["content-security-policy"],
            "frame-ancestors 'none'"
        );
    }

    #[test]
    fn token_responses_are_not_stored() {
        let answer = json_no_store(StatusCode::OK, &serde_json::json!({}));
        assert_eq!(answer.headers()["cache-control"], "no-store");
        assert_eq!(answer.headers()["pragma"], "no-cache");
    }
}
