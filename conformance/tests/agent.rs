//! The user agent against local servers: cookies across a chain, the
//! redirect method rules, the chain cap and loops, the stop at the redirect
//! URI, forms; and properties of the cookie and form parsers.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support_ua;

use std::time::{Instant, SystemTime};

use proptest::prelude::*;
use psd2_conformance::agent::{
    AgentError, CookieJar, FormFill, Landing, SetCookie, StopRule, UserAgent, extract_forms,
};
use psd2_rules::exchange::{HttpRequest, TransportFailure};
use support_ua::{Hostile, Mode, Reply, hostile, serve, transport};

fn agent() -> UserAgent {
    UserAgent::new(transport(), "journey", Instant::now())
}

fn page(landing: Landing) -> psd2_conformance::agent::Page {
    match landing {
        Landing::Page(page) => page,
        other => panic!("expected a page, got {other:?}"),
    }
}

#[tokio::test]
async fn cookies_follow_the_chain_and_every_hop_is_logged() {
    let server = serve(Mode::Tls, |seen| match seen.target.as_str() {
        "/start" => {
            Reply::redirect(302, "/next").header("Set-Cookie", "sid=abc; Path=/; Secure; HttpOnly")
        }
        "/next" => Reply::html(&format!(
            "cookie={}",
            seen.header("cookie").unwrap_or("none")
        )),
        _ => Reply::new(404),
    })
    .await;
    let mut agent = agent();
    let landed = page(agent.get(&server.url("/start")).await.unwrap());
    assert_eq!(landed.response.text(), "cookie=sid=abc");
    assert_eq!(landed.url.path(), "/next");
    let log = agent.take_exchanges();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|e| e.label == "journey"));
    assert_eq!(log[0].response().map(|r| r.status), Some(302));
    assert_eq!(log[1].request.header("cookie"), Some("sid=abc"));
    assert!(agent.exchanges().is_empty());
}

#[tokio::test]
async fn redirect_method_rules() {
    let server = serve(Mode::Tls, |seen| match seen.target.as_str() {
        "/see-other" => Reply::redirect(303, "/land"),
        "/found" => Reply::redirect(302, "/land"),
        "/temporary" => Reply::redirect(307, "/land"),
        "/permanent" => Reply::redirect(308, "/land"),
        "/land" => Reply::new(200).body(format!(
            "{} {}",
            seen.method,
            String::from_utf8_lossy(&seen.body)
        )),
        _ => Reply::new(404),
    })
    .await;
    for (path, expected) in [
        ("/see-other", "GET "),
        ("/found", "GET "),
        ("/temporary", "POST a=b"),
        ("/permanent", "POST a=b"),
    ] {
        let mut agent = agent();
        let request = HttpRequest::new("POST", server.url(path))
            .with_header("Content-Type", "application/x-www-form-urlencoded")
            .with_body("a=b");
        let landed = page(agent.navigate(request).await.unwrap());
        assert_eq!(landed.response.text(), expected, "{path}");
        let second = &agent.exchanges()[1].request;
        assert_eq!(
            second.header("content-type").is_some(),
            expected.starts_with("POST"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn endless_redirects_hit_the_cap() {
    let server = serve(Mode::Tls, |seen| {
        let n: u32 = seen.target.trim_start_matches("/hop/").parse().unwrap_or(0);
        Reply::redirect(302, &format!("/hop/{}", n + 1))
    })
    .await;
    let mut agent = agent().with_max_redirects(5);
    let error = agent.get(&server.url("/hop/0")).await.unwrap_err();
    assert_eq!(error, AgentError::TooManyRedirects { limit: 5 });
    assert_eq!(agent.exchanges().len(), 6);
}

#[tokio::test]
async fn a_redirect_to_itself_is_a_loop() {
    let server = serve(Mode::Tls, |_| Reply::redirect(302, "/same")).await;
    let mut agent = agent();
    let error = agent.get(&server.url("/same")).await.unwrap_err();
    assert!(
        matches!(error, AgentError::RedirectLoop { .. }),
        "{error:?}"
    );
    assert_eq!(agent.exchanges().len(), 1);
}

#[tokio::test]
async fn a_cookie_set_on_a_self_redirect_is_not_a_loop() {
    let server = serve(Mode::Tls, |seen| match seen.header("cookie") {
        None => Reply::redirect(302, "/check").header("Set-Cookie", "probe=1"),
        Some(_) => Reply::html("ok"),
    })
    .await;
    let mut agent = agent();
    assert_eq!(
        page(agent.get(&server.url("/check")).await.unwrap())
            .response
            .text(),
        "ok"
    );
}

#[tokio::test]
async fn the_journey_stops_at_the_redirect_uri_without_fetching_it() {
    let server = serve(Mode::Tls, |_| {
        Reply::redirect(
            302,
            "https://tpp.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz",
        )
    })
    .await;
    let mut agent = agent().with_stop(StopRule::RedirectUri("https://tpp.example/cb".into()));
    let landing = agent.get(&server.url("/authorize")).await.unwrap();
    let Landing::Stopped(stop) = landing else {
        panic!("expected a stop");
    };
    assert_eq!(stop.status, 302);
    assert!(
        stop.location
            .expose()
            .contains("code=SplxlOBeZQQYbYS6WxSbIA")
    );
    assert!(!format!("{stop:?}").contains("SplxlOBeZQQYbYS6WxSbIA"));
    assert_eq!(agent.exchanges().len(), 1);
}

#[tokio::test]
async fn a_form_is_submitted_with_its_hidden_inputs() {
    let server = serve(Mode::Tls, |seen| match (seen.method.as_str(), seen.target.as_str()) {
        ("GET", "/login") => Reply::html(
            r#"<form method="post" action="do"><input type="hidden" name="txn" value="T1">
            <input name="username"><input type="password" name="password"><button>Go</button></form>"#,
        ),
        ("POST", "/do") => Reply::new(200).body(seen.body.clone()),
        _ => Reply::new(404),
    })
    .await;
    let mut agent = agent();
    let login = page(agent.get(&server.url("/login")).await.unwrap());
    let form = &login.forms()[0];
    let fill = FormFill::new()
        .set("username", "alice")
        .set("password", "pw d");
    let done = page(agent.submit(&login, form, &fill).await.unwrap());
    assert_eq!(done.response.text(), "txn=T1&username=alice&password=pw+d");
    let post = &agent.exchanges()[1].request;
    assert_eq!(
        post.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn a_failed_hop_is_an_error_with_its_exchange_logged() {
    let dead = hostile(Hostile::Reset).await;
    let target = format!("http://{dead}/gone");
    let server = serve(Mode::Tls, move |_| Reply::redirect(302, &target)).await;
    let mut agent = agent();
    let error = agent.get(&server.url("/start")).await.unwrap_err();
    assert!(
        matches!(
            &error,
            AgentError::Transport {
                failure: TransportFailure::ConnectionReset,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(agent.exchanges().len(), 2);
    assert!(agent.exchanges()[1].failure().is_some());
}

#[tokio::test]
async fn a_redirect_to_another_scheme_is_refused() {
    let server = serve(Mode::Tls, |_| Reply::redirect(302, "javascript:alert(1)")).await;
    let error = agent().get(&server.url("/")).await.unwrap_err();
    assert_eq!(
        error,
        AgentError::UnsupportedScheme {
            scheme: "javascript".into()
        }
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

proptest! {
    #[test]
    fn set_cookie_parsing_never_panics(header in ".{0,300}", path in "/[a-z/]{0,20}") {
        let _ = SetCookie::parse(&header);
        let url = url::Url::parse(&format!("https://bank.example{path}")).unwrap();
        let mut jar = CookieJar::new();
        jar.store(&url, &header, SystemTime::now());
        let _ = jar.header_for(&url, SystemTime::now());
    }

    #[test]
    fn stored_cookies_come_back(name in "[a-zA-Z0-9_]{1,12}", value in "[a-zA-Z0-9_.-]{0,20}") {
        let url = url::Url::parse("https://bank.example/oauth/authorize").unwrap();
        let mut jar = CookieJar::new();
        let line = format!("{name}={value}");
        prop_assert!(jar.store(&url, &line, SystemTime::now()));
        let header = jar.header_for(&url, SystemTime::now()).unwrap();
        prop_assert_eq!(header.expose(), &format!("{name}={value}"));
    }

    #[test]
    fn form_extraction_never_panics(html in ".{0,400}") {
        for form in extract_forms(&html) {
            let _ = form.submission(&FormFill::new());
        }
    }

    #[test]
    fn tag_soup_never_panics(html in "[<>a-z =\"'/!-]{0,300}") {
        let _ = extract_forms(&html);
        let _ = extract_forms(&format!("<form>{html}<input name=x value='{html}'></form>"));
    }

    #[test]
    fn hidden_values_round_trip(name in "[a-z]{1,10}", value in ".{0,60}") {
        let html = format!(r#"<form method=post><input type="hidden" name="{name}" value="{}"></form>"#, escape(&value));
        let forms = extract_forms(&html);
        prop_assert_eq!(forms.len(), 1);
        let field = forms[0].field(&name).unwrap();
        prop_assert_eq!(&field.value, &value);
    }
}
