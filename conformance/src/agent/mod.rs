//! The harness as a browser: a cookie jar, redirects followed with their
//! method rules, HTML forms read and submitted. Every request it makes is
//! recorded, in order, as an [`Exchange`] under the journey's label, so the
//! judges read the whole redirect chain from the log.
//!
//! The journey stops, without fetching it, at a `Location` the
//! [`StopRule`] names (the client's redirect URI): the harness reads the
//! authorization response from that `Location`.

mod cookie;
mod html;
mod redirect;

use std::collections::HashSet;
use std::time::{Instant, SystemTime};

use psd2_core::Secret;
use psd2_rules::exchange::{Exchange, HttpRequest, HttpResponse, TransportFailure, redact_url};
use url::Url;

use crate::transport::{ClientIdentity, Transport};

pub use cookie::{
    Cookie, CookieJar, SetCookie, default_path, domain_matches, parse_cookie_date, path_matches,
};
pub use html::{
    Field, FieldKind, FormFill, HtmlForm, decode_entities, extract_forms, extract_links,
};
pub use redirect::{Rewrite, StopRule, rewrite};

/// Browsers give up after 20 redirects; so does the harness by default.
pub const DEFAULT_MAX_REDIRECTS: usize = 20;

const USER_AGENT: &str = concat!("psd2-conform/", env!("CARGO_PKG_VERSION"));
const ACCEPT: &str = "text/html,application/xhtml+xml,*/*;q=0.8";

/// Why a journey ended without a page or a stop.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AgentError {
    /// A `Location` could not be resolved to a URL.
    #[error("the Location {location:?} is not a valid URL reference")]
    BadLocation {
        /// The header value (redacted).
        location: String,
    },
    /// A URL to fetch is not a valid absolute URL.
    #[error("{url:?} is not a valid absolute URL")]
    InvalidUrl {
        /// The URL (redacted).
        url: String,
    },
    /// The same request came back in one chain.
    #[error("redirect loop: {method} {url} was requested twice in one chain")]
    RedirectLoop {
        /// The method.
        method: String,
        /// The URL (redacted).
        url: String,
    },
    /// The chain was longer than the cap.
    #[error("more than {limit} redirects in one chain")]
    TooManyRedirects {
        /// The cap.
        limit: usize,
    },
    /// A request got no response; its exchange is in the log.
    #[error("{method} {url} failed: {failure}")]
    Transport {
        /// The method.
        method: String,
        /// The URL (redacted).
        url: String,
        /// What happened.
        failure: TransportFailure,
    },
    /// A redirect to a scheme the agent cannot fetch, that the stop rule
    /// did not catch.
    #[error("cannot follow a redirect to the {scheme}: scheme")]
    UnsupportedScheme {
        /// The scheme.
        scheme: String,
    },
}

/// A page the journey landed on: the last response, not a followed redirect.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL it was fetched from.
    pub url: Url,
    /// The response.
    pub response: HttpResponse,
}

impl Page {
    /// The page's forms.
    #[must_use]
    pub fn forms(&self) -> Vec<HtmlForm> {
        extract_forms(&self.response.text())
    }

    /// The `href`s of the page's links (`<a href>`), as written.
    #[must_use]
    pub fn links(&self) -> Vec<String> {
        extract_links(&self.response.text())
    }

    /// The `href` of the first link of the page whose `href`, as written,
    /// contains `text`.
    #[must_use]
    pub fn link_containing(&self, text: &str) -> Option<String> {
        self.links().into_iter().find(|href| href.contains(text))
    }

    /// The first form whose action, resolved against the page, has a path
    /// ending with `path_suffix` (`/login`).
    #[must_use]
    pub fn form_with_action(&self, path_suffix: &str) -> Option<HtmlForm> {
        self.forms().into_iter().find(|form| {
            self.action_url(form)
                .is_ok_and(|url| url.path().ends_with(path_suffix))
        })
    }

    /// Where a form submits to: its action resolved against the page URL
    /// (the page URL itself when the action is absent or empty).
    ///
    /// # Errors
    /// [`AgentError::BadLocation`] when the action is not a URL reference.
    pub fn action_url(&self, form: &HtmlForm) -> Result<Url, AgentError> {
        let action = form.action.as_deref().map(str::trim).unwrap_or_default();
        if action.is_empty() {
            return Ok(self.url.clone());
        }
        self.url.join(action).map_err(|_| AgentError::BadLocation {
            location: redact_url(action),
        })
    }
}

/// A redirect the journey stopped at instead of following.
#[derive(Debug, Clone)]
pub struct Stop {
    /// The redirect status.
    pub status: u16,
    /// The `Location` exactly as sent (a secret: it carries the code).
    pub location: Secret<String>,
    /// The `Location` resolved against the request URL.
    pub resolved: Secret<String>,
}

/// Where a navigation ended.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Landing {
    /// A response that is not a followed redirect.
    Page(Page),
    /// A redirect the stop rule caught.
    Stopped(Stop),
}

/// One user agent: a cookie jar, an optional client certificate, a label
/// for its exchanges and the log of what it sent.
#[derive(Debug)]
pub struct UserAgent {
    transport: Transport,
    identity: Option<ClientIdentity>,
    jar: CookieJar,
    label: String,
    epoch: Instant,
    stop: StopRule,
    max_redirects: usize,
    exchanges: Vec<Exchange>,
}

impl UserAgent {
    /// An agent with an empty jar, no client certificate, no stop rule and
    /// the default redirect cap; `epoch` is the start of the scenario.
    #[must_use]
    pub fn new(transport: Transport, label: impl Into<String>, epoch: Instant) -> Self {
        Self {
            transport,
            identity: None,
            jar: CookieJar::new(),
            label: label.into(),
            epoch,
            stop: StopRule::Never,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            exchanges: Vec::new(),
        }
    }

    /// Presents a client certificate on every request.
    #[must_use]
    pub fn with_identity(mut self, identity: ClientIdentity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Sets where redirects stop being followed.
    #[must_use]
    pub fn with_stop(mut self, stop: StopRule) -> Self {
        self.stop = stop;
        self
    }

    /// Sets the redirect cap.
    #[must_use]
    pub fn with_max_redirects(mut self, limit: usize) -> Self {
        self.max_redirects = limit;
        self
    }

    /// Labels the exchanges that follow.
    pub fn set_label(&mut self, label: impl Into<String>) {
        self.label = label.into();
    }

    /// Changes the stop rule.
    pub fn set_stop(&mut self, stop: StopRule) {
        self.stop = stop;
    }

    /// The cookie jar.
    #[must_use]
    pub fn jar(&self) -> &CookieJar {
        &self.jar
    }

    /// The cookie jar, to seed or clear.
    pub fn jar_mut(&mut self) -> &mut CookieJar {
        &mut self.jar
    }

    /// The exchanges so far, in order.
    #[must_use]
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// Takes the exchanges so far, leaving the log empty.
    pub fn take_exchanges(&mut self) -> Vec<Exchange> {
        std::mem::take(&mut self.exchanges)
    }

    /// `GET url`, following redirects.
    ///
    /// # Errors
    /// See [`AgentError`]; the exchanges made are in the log either way.
    pub async fn get(&mut self, url: &str) -> Result<Landing, AgentError> {
        self.navigate(HttpRequest::new("GET", url)).await
    }

    /// Submits a form of `page` filled with `fill`, following redirects.
    ///
    /// # Errors
    /// See [`AgentError`].
    pub async fn submit(
        &mut self,
        page: &Page,
        form: &HtmlForm,
        fill: &FormFill,
    ) -> Result<Landing, AgentError> {
        let mut action = page.action_url(form)?;
        let data = form.submission(fill);
        let request = if form.method == "POST" {
            HttpRequest::new("POST", action.as_str())
                .with_header("Content-Type", "application/x-www-form-urlencoded")
                .with_header("Origin", action.origin().ascii_serialization())
                .with_body(data.expose().encode())
        } else {
            action.set_fragment(None);
            action.set_query(Some(&data.expose().encode()));
            HttpRequest::new("GET", action.as_str())
        };
        self.navigate(request).await
    }

    /// Sends `request` and follows its redirects (RFC 9110 method rules, the
    /// cap, loop detection) until a page, a stop, or an error. Cookies from
    /// the jar replace any `Cookie` header of `request`.
    ///
    /// # Errors
    /// See [`AgentError`].
    pub async fn navigate(&mut self, mut request: HttpRequest) -> Result<Landing, AgentError> {
        let mut seen: HashSet<(String, String, Option<String>, Vec<u8>)> = HashSet::new();
        let mut redirects = 0;
        add_default(&mut request, "User-Agent", USER_AGENT);
        add_default(&mut request, "Accept", ACCEPT);
        loop {
            // Fragments stay in the browser (RFC 9110 §4.2.4).
            if let Some((before, _)) = request.url.split_once('#') {
                request.url = before.to_owned();
            }
            let url = Url::parse(&request.url).map_err(|_| AgentError::InvalidUrl {
                url: redact_url(&request.url),
            })?;
            request
                .headers
                .retain(|(name, _)| !name.eq_ignore_ascii_case("cookie"));
            let cookies = self.jar.header_for(&url, SystemTime::now());
            if let Some(cookies) = &cookies {
                request
                    .headers
                    .push(("Cookie".to_owned(), cookies.expose().clone()));
            }
            // A loop is the same request with the same cookies: a server may
            // legitimately redirect to the same URL once it has set one.
            let key = (
                request.method.clone(),
                request.url.clone(),
                cookies.map(Secret::into_inner),
                request.body.clone(),
            );
            if !seen.insert(key) {
                return Err(AgentError::RedirectLoop {
                    method: request.method.clone(),
                    url: redact_url(&request.url),
                });
            }
            let exchange = self
                .transport
                .exchange(
                    self.label.clone(),
                    request.clone(),
                    self.identity.as_ref(),
                    self.epoch,
                )
                .await;
            let outcome = exchange.outcome.clone();
            self.exchanges.push(exchange);
            let response = match outcome {
                psd2_rules::exchange::TransportOutcome::Response(response) => response,
                psd2_rules::exchange::TransportOutcome::Failed(failure) => {
                    return Err(AgentError::Transport {
                        method: request.method.clone(),
                        url: redact_url(&request.url),
                        failure,
                    });
                }
                _ => {
                    return Err(AgentError::Transport {
                        method: request.method.clone(),
                        url: redact_url(&request.url),
                        failure: TransportFailure::Other {
                            reason: "unknown outcome".to_owned(),
                        },
                    });
                }
            };
            self.jar.store_all(
                &url,
                response.header_values("set-cookie"),
                SystemTime::now(),
            );
            let (Some(rule), Some(location)) = (
                rewrite(response.status, &request.method),
                response.header("location").map(str::to_owned),
            ) else {
                return Ok(Landing::Page(Page { url, response }));
            };
            let next = url
                .join(location.trim())
                .map_err(|_| AgentError::BadLocation {
                    location: redact_url(&location),
                })?;
            if self.stop.stops_at(&next) {
                return Ok(Landing::Stopped(Stop {
                    status: response.status,
                    location: Secret::new(location),
                    resolved: Secret::new(next.to_string()),
                }));
            }
            if !matches!(next.scheme(), "http" | "https") {
                return Err(AgentError::UnsupportedScheme {
                    scheme: next.scheme().to_owned(),
                });
            }
            redirects += 1;
            if redirects > self.max_redirects {
                return Err(AgentError::TooManyRedirects {
                    limit: self.max_redirects,
                });
            }
            request = follow(&request, &url, next, rule);
        }
    }
}

fn add_default(request: &mut HttpRequest, name: &str, value: &str) {
    if request.header(name).is_none() {
        request.headers.push((name.to_owned(), value.to_owned()));
    }
}

/// The next request of a redirect chain.
fn follow(previous: &HttpRequest, from: &Url, next: Url, rule: Rewrite) -> HttpRequest {
    let cross_origin = from.origin() != next.origin();
    let to_get = rule == Rewrite::ToGet;
    let mut request = HttpRequest::new(
        if to_get {
            "GET"
        } else {
            previous.method.as_str()
        },
        next.as_str(),
    );
    request.headers = previous
        .headers
        .iter()
        .filter(|(name, _)| {
            let name = name.to_ascii_lowercase();
            let body_header = matches!(
                name.as_str(),
                "content-type" | "content-length" | "transfer-encoding" | "origin"
            );
            // The transport sets Host per URL; the jar sets Cookie per hop;
            // credentials never follow a redirect to another origin.
            !(matches!(name.as_str(), "host" | "cookie")
                || (to_get && body_header)
                || (cross_origin && name == "authorization"))
        })
        .cloned()
        .collect();
    if !to_get {
        request.body = previous.body.clone();
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_303_after_post_drops_the_body_and_its_headers() {
        let post = HttpRequest::new("POST", "https://as.example/login")
            .with_header("Content-Type", "application/x-www-form-urlencoded")
            .with_header("Content-Length", "3")
            .with_header("Host", "as.example")
            .with_header("Accept", "text/html")
            .with_body("a=b");
        let from = Url::parse("https://as.example/login").unwrap();
        let next = Url::parse("https://as.example/consent").unwrap();
        let get = follow(&post, &from, next.clone(), Rewrite::ToGet);
        assert_eq!(get.method, "GET");
        assert!(get.body.is_empty());
        assert_eq!(get.header("content-type"), None);
        assert_eq!(get.header("host"), None);
        assert_eq!(get.header("accept"), Some("text/html"));
        let kept = follow(&post, &from, next, Rewrite::Keep);
        assert_eq!(
            (kept.method.as_str(), kept.body.as_slice()),
            ("POST", &b"a=b"[..])
        );
        assert_eq!(
            kept.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
    }

    #[test]
    fn authorization_does_not_cross_origins() {
        let get = HttpRequest::new("GET", "https://as.example/a")
            .with_header("Authorization", "Bearer t");
        let from = Url::parse("https://as.example/a").unwrap();
        let same = follow(
            &get,
            &from,
            Url::parse("https://as.example/b").unwrap(),
            Rewrite::Keep,
        );
        assert!(same.header("authorization").is_some());
        let other = follow(
            &get,
            &from,
            Url::parse("https://evil.example/").unwrap(),
            Rewrite::Keep,
        );
        assert!(other.header("authorization").is_none());
    }
}
