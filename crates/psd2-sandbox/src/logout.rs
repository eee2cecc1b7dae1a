//! `GET /logout?return_to=…`: ends the browser session and sends the PSU
//! back, but only to this server's own pages or a registered redirect URI
//! (RFC 9700 §4.11: no open redirector).

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use psd2_wire::Form;

use crate::app::App;
use crate::faults::Fault;
use crate::http::{self, Body};
use crate::pages;

/// The path of the logout page.
pub const PATH: &str = "/logout";

/// `GET /logout`.
pub fn get(app: &App, request: &Request<Incoming>) -> Response<Body> {
    let return_to = request
        .uri()
        .query()
        .and_then(|query| Form::decode(query.as_bytes()).ok())
        .and_then(|form| form.get("return_to").map(str::to_owned));
    let Some(return_to) = return_to else {
        return pages::error(app, StatusCode::OK, "You are signed out.");
    };
    let own_page =
        return_to.starts_with('/') && !return_to.starts_with("//") && !return_to.contains('\\');
    let registered = app
        .clients
        .values()
        .any(|client| client.redirect_uris.contains(&return_to));
    if own_page || registered || app.fault(Fault::OpenRedirect) {
        return http::redirect(StatusCode::SEE_OTHER, &return_to);
    }
    pages::error(
        app,
        StatusCode::BAD_REQUEST,
        "That return address is not allowed.",
    )
}
