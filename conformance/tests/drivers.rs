//! The consent drivers against a small bank that follows the reference
//! server's documented sequence (sign-in with a bound transaction cookie,
//! 303 to the consent page, customer radios and scope checkboxes, grant or
//! deny), and the manual driver's paste and loopback inputs.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support_ua;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use psd2_conformance::agent::UserAgent;
use psd2_conformance::drivers::{
    ConsentRequest, Decision, DriverError, FieldTemplate, FormDriver, FormSelector, FormStep,
    ManualDriver, ManualInput, PsuCredentials, SandboxDriver, run,
};
use psd2_core::Secret;
use psd2_rules::exchange::HttpRequest;
use support_ua::{Mode, Reply, Seen, Server, serve, transport};

const REDIRECT_URI: &str = "https://tpp.example/cb";

fn form_value(body: &[u8], name: &str) -> Vec<String> {
    url::form_urlencoded::parse(body)
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

fn bank(seen: &Seen) -> Reply {
    let bound = seen
        .header("cookie")
        .is_some_and(|c| c.contains("bank_txn=B1"));
    let path = seen.target.split('?').next().unwrap_or_default();
    match (seen.method.as_str(), path) {
        ("GET", "/authorize") => {
            Reply::html(SIGN_IN).header("Set-Cookie", "bank_txn=B1; Path=/; Secure; HttpOnly")
        }
        ("POST", "/login") => {
            let good = form_value(&seen.body, "txn") == ["T1"]
                && form_value(&seen.body, "username") == ["alice"]
                && form_value(&seen.body, "password") == ["wonder land"];
            if good && bound {
                Reply::redirect(303, "/consent?txn=T1")
            } else {
                Reply::html(SIGN_IN).header("X-Refused", "1")
            }
        }
        ("GET", "/consent") if bound => Reply::html(CONSENT),
        ("GET", "/consent/abort") if bound && seen.target.ends_with("?txn=T1") => {
            Reply::redirect(303, &format!("{REDIRECT_URI}?error=access_denied&state=S1"))
        }
        ("POST", "/consent") if bound => {
            if form_value(&seen.body, "decision") != ["grant"] {
                return Reply::redirect(
                    302,
                    &format!("{REDIRECT_URI}?error=access_denied&state=S1"),
                );
            }
            let code = format!(
                "C-{}-{}",
                form_value(&seen.body, "customer").join(","),
                form_value(&seen.body, "scope").join(",")
            );
            Reply::redirect(
                302,
                &format!("{REDIRECT_URI}?code={code}&state=S1&iss=https%3A%2F%2Fbank.example"),
            )
        }
        _ => Reply::new(400).body("expired"),
    }
}

const SIGN_IN: &str = r#"<form method="post" action="/login"><input type="hidden" name="txn" value="T1">
<label>Username <input name="username"></label><label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form>"#;

const CONSENT: &str = r#"<form method="post" action="/consent"><input type="hidden" name="txn" value="T1">
<label><input type="radio" name="customer" value="A" checked> A</label>
<label><input type="radio" name="customer" value="B"> B</label>
<label><input type="checkbox" name="scope" value="aisp" checked> aisp</label>
<label><input type="checkbox" name="scope" value="pisp" checked> pisp</label>
<button type="submit" name="decision" value="grant">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>
<p><a href="/help">Help</a> <a href="/consent/abort?txn=T1">Cancel</a></p>"#;

fn alice(password: &str) -> PsuCredentials {
    PsuCredentials {
        username: "alice".into(),
        password: Secret::new(password.into()),
    }
}

fn request(server: &Server) -> ConsentRequest {
    ConsentRequest {
        authorization_url: server.url("/authorize?client_id=c&state=S1"),
        redirect_uri: REDIRECT_URI.into(),
    }
}

fn agent() -> UserAgent {
    UserAgent::new(transport(), "authorize-grant", Instant::now())
}

#[tokio::test]
async fn the_sandbox_driver_grants_everything_by_default() {
    let server = serve(Mode::Tls, bank).await;
    let driver = SandboxDriver::new(alice("wonder land"));
    let outcome = run(&driver, &mut agent(), &request(&server)).await;
    let consent = outcome.result.unwrap();
    let code = consent.callback.code.as_ref().map(|c| c.expose().clone());
    assert_eq!(code.as_deref(), Some("C-A-aisp,pisp"));
    assert_eq!(
        consent.callback.state.as_ref().map(|s| s.as_str()),
        Some("S1")
    );
    assert_eq!(
        consent.callback.iss.as_deref(),
        Some("https://bank.example")
    );
    let methods: Vec<&str> = outcome
        .exchanges
        .iter()
        .map(|e| e.request.method.as_str())
        .collect();
    assert_eq!(methods, ["GET", "POST", "GET", "POST"]);
    assert!(
        outcome
            .exchanges
            .iter()
            .all(|e| e.label == "authorize-grant")
    );
    assert!(!format!("{consent:?}").contains("C-A-aisp"));
}

#[tokio::test]
async fn the_sandbox_driver_chooses_customer_and_scopes() {
    let server = serve(Mode::Tls, bank).await;
    let mut driver = SandboxDriver::new(alice("wonder land"));
    driver.customer = Some("B".into());
    driver.scopes = Some(vec!["pisp".into()]);
    let consent = run(&driver, &mut agent(), &request(&server))
        .await
        .result
        .unwrap();
    let code = consent.callback.code.as_ref().map(|c| c.expose().clone());
    assert_eq!(code.as_deref(), Some("C-B-pisp"));
}

#[tokio::test]
async fn the_sandbox_driver_can_deny() {
    let server = serve(Mode::Tls, bank).await;
    let mut driver = SandboxDriver::new(alice("wonder land"));
    driver.decision = Decision::Deny;
    let consent = run(&driver, &mut agent(), &request(&server))
        .await
        .result
        .unwrap();
    assert_eq!(
        consent.callback.error.as_ref().map(|e| e.as_str()),
        Some("access_denied")
    );
    assert!(consent.callback.code.is_none());
}

#[tokio::test]
async fn a_wrong_password_is_a_refused_sign_in_with_evidence() {
    let server = serve(Mode::Tls, bank).await;
    let driver = SandboxDriver::new(alice("wrong"));
    let outcome = run(&driver, &mut agent(), &request(&server)).await;
    assert!(
        matches!(
            outcome.result,
            Err(DriverError::SignInRejected { status: 200 })
        ),
        "{:?}",
        outcome.result
    );
    assert_eq!(outcome.exchanges.len(), 2);
}

#[tokio::test]
async fn an_immediate_error_redirect_ends_the_journey() {
    let server = serve(Mode::Tls, |_| {
        Reply::redirect(302, &format!("{REDIRECT_URI}?error=invalid_scope&state=S1"))
    })
    .await;
    let driver = SandboxDriver::new(alice("x"));
    let consent = run(&driver, &mut agent(), &request(&server))
        .await
        .result
        .unwrap();
    assert_eq!(
        consent.callback.error.as_ref().map(|e| e.as_str()),
        Some("invalid_scope")
    );
}

fn scripted() -> FormDriver {
    FormDriver {
        psu: Some(alice("wonder land")),
        steps: vec![
            FormStep::Submit {
                form: FormSelector::Field("password".into()),
                fields: [
                    ("username".to_owned(), FieldTemplate("${username}".into())),
                    ("password".to_owned(), FieldTemplate("${password}".into())),
                ]
                .into(),
                choose: Default::default(),
                click: None,
            },
            FormStep::Get { url: None },
            FormStep::Submit {
                form: FormSelector::Action("/consent".into()),
                fields: Default::default(),
                choose: [("scope".to_owned(), vec!["aisp".to_owned()])].into(),
                click: Some(("decision".into(), "grant".into())),
            },
        ],
    }
}

#[tokio::test]
async fn the_form_driver_follows_its_script() {
    let server = serve(Mode::Tls, bank).await;
    let outcome = run(&scripted(), &mut agent(), &request(&server)).await;
    let consent = outcome.result.unwrap();
    let code = consent.callback.code.as_ref().map(|c| c.expose().clone());
    assert_eq!(code.as_deref(), Some("C-A-aisp"));
    // authorize, login, consent (303), consent again (reload), consent POST
    assert_eq!(outcome.exchanges.len(), 5);
}

/// Signs in, then refuses through the consent page's cancel link.
fn deny_by_link(href_contains: &str) -> FormDriver {
    let mut driver = scripted();
    driver.steps.truncate(1);
    driver.steps.push(FormStep::FollowLink {
        href_contains: href_contains.into(),
    });
    driver
}

#[tokio::test]
async fn the_form_driver_denies_through_a_link() {
    let server = serve(Mode::Tls, bank).await;
    let outcome = run(&deny_by_link("/abort"), &mut agent(), &request(&server)).await;
    let consent = outcome.result.unwrap();
    assert_eq!(
        consent.callback.error.as_ref().map(|e| e.as_str()),
        Some("access_denied")
    );
    assert!(consent.callback.code.is_none());
    // authorize, login, consent (303), the link's GET
    let targets: Vec<(&str, &str)> = outcome
        .exchanges
        .iter()
        .map(|e| (e.request.method.as_str(), e.request.url.as_str()))
        .collect();
    assert_eq!(targets.len(), 4);
    assert_eq!(targets[3].0, "GET");
    assert!(
        targets[3].1.ends_with("/consent/abort?txn=T1"),
        "{targets:?}"
    );
}

#[tokio::test]
async fn the_form_driver_reports_a_missing_link_with_the_exchanges() {
    let server = serve(Mode::Tls, bank).await;
    let outcome = run(&deny_by_link("/refuse"), &mut agent(), &request(&server)).await;
    assert!(
        matches!(
            &outcome.result,
            Err(DriverError::LinkNotFound { status: 200, expected, .. }) if expected.contains("/refuse")
        ),
        "{:?}",
        outcome.result
    );
    assert_eq!(outcome.exchanges.len(), 3);
}

#[tokio::test]
async fn the_form_driver_reports_a_missing_form_with_the_exchanges() {
    let server = serve(Mode::Tls, |_| Reply::html("<p>maintenance</p>")).await;
    let outcome = run(&scripted(), &mut agent(), &request(&server)).await;
    assert!(
        matches!(
            outcome.result,
            Err(DriverError::FormNotFound { status: 200, .. })
        ),
        "{:?}",
        outcome.result
    );
    assert_eq!(outcome.exchanges.len(), 1);
}

#[tokio::test]
async fn a_script_that_ends_on_a_page_is_no_callback() {
    let server = serve(Mode::Tls, |_| Reply::html("<p>still here</p>")).await;
    let driver = FormDriver {
        psu: None,
        steps: vec![FormStep::Get {
            url: Some("/other".into()),
        }],
    };
    let outcome = run(&driver, &mut agent(), &request(&server)).await;
    assert!(
        matches!(
            outcome.result,
            Err(DriverError::NoCallback { status: 200, .. })
        ),
        "{:?}",
        outcome.result
    );
    assert_eq!(outcome.exchanges[1].request.url, server.url("/other"));
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn manual(input: ManualInput, pasted: &'static str, timeout: Duration) -> (ManualDriver, Captured) {
    let out = Captured::default();
    let reader = Box::new(tokio::io::BufReader::new(pasted.as_bytes()));
    (
        ManualDriver::with_io(input, timeout, reader, Box::new(out.clone())),
        out,
    )
}

fn plain_request(redirect_uri: &str) -> ConsentRequest {
    ConsentRequest {
        authorization_url: "https://bank.example/authorize?client_id=c".into(),
        redirect_uri: redirect_uri.into(),
    }
}

#[tokio::test]
async fn the_manual_driver_reads_a_pasted_url() {
    let (driver, out) = manual(
        ManualInput::Paste,
        "\n  https://tpp.example/cb?code=PASTED&state=S1  \n",
        Duration::from_secs(5),
    );
    let outcome = run(&driver, &mut agent(), &plain_request(REDIRECT_URI)).await;
    let consent = outcome.result.unwrap();
    assert_eq!(
        consent.callback.code.as_ref().map(|c| c.expose().as_str()),
        Some("PASTED")
    );
    assert!(
        out.text()
            .contains("https://bank.example/authorize?client_id=c")
    );
    assert!(outcome.exchanges.is_empty());
}

#[tokio::test]
async fn the_manual_driver_refuses_other_urls_and_closed_input() {
    let (driver, _) = manual(
        ManualInput::Paste,
        "https://evil.example/cb?code=X\n",
        Duration::from_secs(5),
    );
    let outcome = run(&driver, &mut agent(), &plain_request(REDIRECT_URI)).await;
    assert!(matches!(
        outcome.result,
        Err(DriverError::NotRedirectUri { .. })
    ));
    let (driver, _) = manual(ManualInput::Paste, "", Duration::from_secs(5));
    let outcome = run(&driver, &mut agent(), &plain_request(REDIRECT_URI)).await;
    assert!(matches!(outcome.result, Err(DriverError::NoInput)));
}

#[tokio::test]
async fn the_manual_driver_times_out() {
    let (_keep_open, silent) = tokio::io::duplex(64);
    let driver = ManualDriver::with_io(
        ManualInput::Paste,
        Duration::from_millis(200),
        Box::new(tokio::io::BufReader::new(silent)),
        Box::new(Captured::default()),
    );
    let outcome = run(&driver, &mut agent(), &plain_request(REDIRECT_URI)).await;
    assert!(matches!(outcome.result, Err(DriverError::Timeout { .. })));
}

#[tokio::test]
async fn the_manual_driver_listens_on_the_loopback_redirect_uri() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let (driver, _) = manual(ManualInput::Loopback, "", Duration::from_secs(5));
    let browser = async {
        // Give the listener a moment to bind, then behave like a browser.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let client = transport();
        let (_, favicon) = client
            .send(
                HttpRequest::new("GET", format!("http://127.0.0.1:{port}/favicon.ico")),
                None,
            )
            .await;
        let (_, callback) = client
            .send(
                HttpRequest::new("GET", format!("{redirect_uri}?code=LOOP&state=S1")),
                None,
            )
            .await;
        (favicon, callback)
    };
    let mut agent = agent();
    let consent_request = plain_request(&redirect_uri);
    let (outcome, (favicon, callback)) =
        tokio::join!(run(&driver, &mut agent, &consent_request), browser);
    assert_eq!(favicon.response().map(|r| r.status), Some(404));
    assert_eq!(callback.response().map(|r| r.status), Some(200));
    let consent = outcome.result.unwrap();
    assert_eq!(
        consent.callback.code.as_ref().map(|c| c.expose().as_str()),
        Some("LOOP")
    );
}

#[tokio::test]
async fn the_loopback_listener_needs_a_loopback_http_uri() {
    let (driver, _) = manual(ManualInput::Loopback, "", Duration::from_secs(1));
    let outcome = run(
        &driver,
        &mut agent(),
        &plain_request("https://tpp.example/cb"),
    )
    .await;
    assert!(matches!(
        outcome.result,
        Err(DriverError::RedirectUri { .. })
    ));
}
