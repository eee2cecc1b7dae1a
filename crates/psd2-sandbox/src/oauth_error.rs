//! RFC 6749 §5.2 error responses: the one place that shapes them.

use hyper::{Response, StatusCode};
use psd2_core::OAuthErrorCode;
use psd2_wire::{ErrorResponse, JsonMessage};

use crate::app::App;
use crate::faults::Fault;
use crate::http::{self, Body};

/// A token-endpoint (or revocation- or introspection-endpoint) error: JSON, not
/// cacheable.
pub fn token_error(
    app: &App,
    status: StatusCode,
    error: OAuthErrorCode,
    description: &str,
) -> Response<Body> {
    if app.fault(Fault::TokenErrorsNotJson) {
        let mut response = http::plain(status, "request refused");
        http::add_no_store(&mut response);
        return response;
    }
    let mut body = ErrorResponse::new(error);
    body.error_description = Some(description.to_owned());
    let mut response = http::json_no_store(status, &serde_json::Value::Object(body.to_json()));
    strip_cache_headers(app, &mut response);
    response
}

/// A request whose form could not be decoded: 400 `invalid_request`, the
/// malformed or missing parameter named.
pub fn malformed(app: &App, error: &psd2_wire::WireError) -> Response<Body> {
    let description = match error.field() {
        Some(field) => format!("malformed or missing parameter {field}"),
        None => "malformed request".to_owned(),
    };
    bad_request(app, OAuthErrorCode::INVALID_REQUEST, &description)
}

/// Applies the cache-header faults to a token-endpoint response.
pub fn strip_cache_headers(app: &App, response: &mut Response<Body>) {
    if app.fault(Fault::NoCacheControl) {
        response.headers_mut().remove(hyper::header::CACHE_CONTROL);
    }
    if app.fault(Fault::NoPragma) {
        response.headers_mut().remove(hyper::header::PRAGMA);
    }
}

/// 400 with the given code.
pub fn bad_request(app: &App, error: OAuthErrorCode, description: &str) -> Response<Body> {
    token_error(app, StatusCode::BAD_REQUEST, error, description)
}
