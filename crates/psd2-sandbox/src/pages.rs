//! The HTML the PSU sees: plain forms that work without JavaScript, served
//! with anti-framing headers (unless a fault removes them).

use hyper::header::HeaderValue;
use hyper::{Response, StatusCode};

use crate::app::App;
use crate::config::Customer;
use crate::faults::Fault;
use crate::http::{self, Body, escape_html};

fn page(app: &App, status: StatusCode, title: &str, body: &str) -> Response<Body> {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - PSD2 sandbox bank</title></head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n",
        title = escape_html(title),
    );
    let mut response = http::html(status, html);
    let headers = response.headers_mut();
    if app.fault(Fault::FrameablePages) {
        headers.remove("x-frame-options");
        headers.remove(hyper::header::CONTENT_SECURITY_POLICY);
    } else if app.fault(Fault::NoCspFrameAncestors) {
        headers.remove(hyper::header::CONTENT_SECURITY_POLICY);
        headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    }
    response
}

/// An error shown to the PSU (never a redirect).
pub fn error(app: &App, status: StatusCode, message: &str) -> Response<Body> {
    let body = format!("<p id=\"error\">{}</p>", escape_html(message));
    page(app, status, "Request refused", &body)
}

/// The sign-in form: `POST /login` with `txn`, `username`, `password`.
pub fn sign_in(
    app: &App,
    transaction: &str,
    client_name: &str,
    problem: Option<&str>,
) -> Response<Body> {
    let problem = problem
        .map(|text| format!("<p id=\"error\">{}</p>\n", escape_html(text)))
        .unwrap_or_default();
    let body = format!(
        "<p><strong>{client}</strong> asks to access your accounts.</p>\n{problem}<form method=\"post\" action=\"/login\">\n<input type=\"hidden\" name=\"txn\" value=\"{txn}\">\n<label>Username <input name=\"username\" autocomplete=\"username\"></label>\n<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>\n<button type=\"submit\">Sign in</button>\n</form>",
        client = escape_html(client_name),
        txn = escape_html(transaction),
    );
    let status = if problem.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    };
    page(app, status, "Sign in", &body)
}

/// The consent form: `POST /consent` with `txn`, one `customer`, any number
/// of `scope`, and `decision` = `grant` or `deny`.
pub fn consent(
    app: &App,
    transaction: &str,
    client_name: &str,
    customers: &[&Customer],
    scopes: &[String],
) -> Response<Body> {
    let mut customer_inputs = String::new();
    for (index, customer) in customers.iter().enumerate() {
        customer_inputs.push_str(&format!(
            "<label><input type=\"radio\" name=\"customer\" value=\"{id}\"{checked}> {name}</label>\n",
            id = escape_html(&customer.id.0),
            name = escape_html(&customer.name),
            checked = if index == 0 { " checked" } else { "" },
        ));
    }
    let mut scope_inputs = String::new();
    for scope in scopes {
        scope_inputs.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"scope\" value=\"{scope}\" checked> {scope}</label>\n",
            scope = escape_html(scope),
        ));
    }
    let body = format!(
        "<form method=\"post\" action=\"/consent\">\n<input type=\"hidden\" name=\"txn\" value=\"{txn}\">\n<fieldset><legend>Act for</legend>\n{customer_inputs}</fieldset>\n<fieldset><legend>Allow <strong>{client}</strong> to</legend>\n{scope_inputs}</fieldset>\n<button type=\"submit\" name=\"decision\" value=\"grant\">Allow</button>\n<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n</form>",
        txn = escape_html(transaction),
        client = escape_html(client_name),
    );
    page(app, StatusCode::OK, "Consent", &body)
}
