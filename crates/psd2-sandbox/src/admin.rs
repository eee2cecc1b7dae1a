//! Admin endpoints on the mTLS listener, open only to the fixture admin
//! certificate: the harness's `clock_control` capability.

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use psd2_wire::Form;
use serde_json::json;

use crate::app::App;
use crate::http::{self, Body};
use crate::server::ConnectionInfo;

/// `POST /admin/clock` with `advance_secs=N`.
pub const CLOCK_PATH: &str = "/admin/clock";

/// The longest single step: ten years.
const MAX_STEP_SECS: u64 = 10 * 366 * 86_400;

/// `POST /admin/clock`.
pub async fn post_clock(
    app: &App,
    request: Request<Incoming>,
    connection: &ConnectionInfo,
) -> Response<Body> {
    let is_admin = connection
        .client_certificate
        .as_ref()
        .is_some_and(|certificate| certificate.as_ref() == app.admin_certificate.as_slice());
    if !is_admin {
        return http::plain(StatusCode::FORBIDDEN, "the admin certificate is required");
    }
    let (_, body) = request.into_parts();
    let Ok(bytes) = http::read_body(body, 1024, app.limits.body_timeout).await else {
        return http::plain(StatusCode::BAD_REQUEST, "request body could not be read");
    };
    let step = Form::decode(&bytes).ok().and_then(|form| {
        form.get("advance_secs")
            .and_then(|value| value.parse::<u64>().ok())
    });
    let Some(step) = step.filter(|step| *step <= MAX_STEP_SECS) else {
        return http::plain(
            StatusCode::BAD_REQUEST,
            "advance_secs must be a whole number of seconds up to ten years",
        );
    };
    let offset = app.clock.advance(std::time::Duration::from_secs(step));
    http::json(
        StatusCode::OK,
        &json!({ "offset_secs": offset.as_secs(), "now": app.now() }),
    )
}
