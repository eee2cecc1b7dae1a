//! Where a response sends the user agent: a `Location`, a `Refresh` header,
//! an HTML meta refresh, or (for the security rules only) a script or form
//! that names the target.
//!
//! URLs are resolved against the request URL by hand rather than with a
//! normalising parser: redirect URIs compare by simple string comparison
//! (RFC 6749 §3.1.2.3), and normalising would hide the very differences
//! SEC-AZ-01 looks for.

use crate::exchange::{Exchange, HttpResponse};
use crate::judge::uri;

/// How the user agent is sent somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NavigationKind {
    /// A 3xx with `Location`.
    Location,
    /// A `<meta http-equiv="refresh" content="0; url=...">`.
    MetaRefresh,
    /// A `Refresh: 0; url=...` header.
    RefreshHeader,
}

impl NavigationKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            NavigationKind::Location => "Location",
            NavigationKind::MetaRefresh => "meta refresh",
            NavigationKind::RefreshHeader => "Refresh",
        }
    }
}

/// One navigation found in a response.
#[derive(Debug, Clone)]
pub(crate) struct Navigation<'a> {
    /// The exchange whose response navigates.
    pub(crate) hop: &'a Exchange,
    /// How.
    pub(crate) kind: NavigationKind,
    /// The absolute target.
    pub(crate) url: String,
}

/// Resolves a URI reference against the absolute URL it was received from
/// (RFC 3986 §5.2, without dot-segment removal, which no redirect needs).
pub(crate) fn resolve(reference: &str, base: &str) -> String {
    let reference = reference.trim();
    if uri::split(reference).scheme.is_some() {
        return reference.to_owned();
    }
    let parts = uri::split(base);
    let scheme = parts.scheme.unwrap_or("https");
    if reference.starts_with("//") {
        return format!("{scheme}:{reference}");
    }
    let origin = format!("{scheme}://{}", parts.authority.unwrap_or_default());
    if reference.starts_with('/') {
        return format!("{origin}{reference}");
    }
    let path = if parts.path.is_empty() {
        "/"
    } else {
        parts.path
    };
    if reference.starts_with('?') {
        return format!("{origin}{path}{reference}");
    }
    if reference.starts_with('#') {
        let query = parts.query.map(|q| format!("?{q}")).unwrap_or_default();
        return format!("{origin}{path}{query}{reference}");
    }
    let directory = &path[..path.rfind('/').map_or(0, |index| index + 1)];
    format!("{origin}{directory}{reference}")
}

/// Every navigation of one exchange's response.
pub(crate) fn navigations(hop: &Exchange) -> Vec<Navigation<'_>> {
    let Some(response) = hop.response() else {
        return Vec::new();
    };
    let base = hop.request.url.as_str();
    let mut found = Vec::new();
    if response.is_redirect()
        && let Some(location) = response.header("location")
    {
        found.push(Navigation {
            hop,
            kind: NavigationKind::Location,
            url: resolve(location, base),
        });
    }
    if let Some(target) = response.header("refresh").and_then(refresh_target) {
        found.push(Navigation {
            hop,
            kind: NavigationKind::RefreshHeader,
            url: resolve(&target, base),
        });
    }
    for target in meta_refresh_targets(response) {
        found.push(Navigation {
            hop,
            kind: NavigationKind::MetaRefresh,
            url: resolve(&target, base),
        });
    }
    found
}

/// Every navigation of a journey, in order.
pub(crate) fn journey_navigations(journey: &[Exchange]) -> Vec<Navigation<'_>> {
    journey.iter().flat_map(navigations).collect()
}

/// `0; url=https://...` (the `Refresh` header and the meta element share
/// this syntax).
fn refresh_target(value: &str) -> Option<String> {
    let (_, rest) = value.split_once(';')?;
    let rest = rest.trim_start();
    let lower = rest.to_ascii_lowercase();
    let url = if lower.starts_with("url") {
        rest[3..].trim_start().strip_prefix('=')?.trim()
    } else {
        rest.trim()
    };
    let url = url.trim_matches(|c| c == '\'' || c == '"');
    (!url.is_empty()).then(|| unescape_html(url))
}

fn meta_refresh_targets(response: &HttpResponse) -> Vec<String> {
    let text = response.text();
    let lower = text.to_ascii_lowercase();
    let mut targets = Vec::new();
    let mut from = 0;
    while let Some(offset) = lower[from..].find("<meta") {
        let start = from + offset;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if tag.contains("http-equiv")
            && tag.contains("refresh")
            && let Some(content) = attribute(&text[start..end], "content")
            && let Some(target) = refresh_target(&content)
        {
            targets.push(target);
        }
        from = end;
    }
    targets
}

/// The value of an attribute in a tag, quoted or not.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(offset) = lower[from..].find(name) {
        let start = from + offset + name.len();
        let rest = tag[start..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            let quoted = value.chars().next().filter(|c| *c == '"' || *c == '\'');
            return Some(match quoted {
                Some(quote) => value[1..]
                    .split(quote)
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                None => value
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        from = start;
    }
    None
}

fn unescape_html(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
}

/// Whether a page's script or form names `target`: a navigation by
/// JavaScript or an auto-submitted form (RFC 9700 §4.11.2 counts "any
/// means"), found by the target's text in a page that has a `<script>` or a
/// `<form>`. The heuristic errs towards reporting: it serves the MUST NOT
/// rules, never the extraction of a callback.
pub(crate) fn script_mentions(response: &HttpResponse, target: &str) -> bool {
    let text = response.text();
    let lower = text.to_ascii_lowercase();
    if !(lower.contains("<script") || lower.contains("<form")) {
        return false;
    }
    let escaped_slashes = target.replace('/', "\\/");
    let html_escaped = target.replace('&', "&amp;");
    text.contains(target) || text.contains(&escaped_slashes) || text.contains(&html_escaped)
}

/// Scheme, authority and path, case-insensitive where RFC 3986 §6.2.2.1
/// says they are; an empty path is `/`.
fn endpoint(url: &str) -> Option<(String, String, String)> {
    let parts = uri::split(url);
    let path = if parts.path.is_empty() {
        "/"
    } else {
        parts.path
    };
    Some((
        parts.scheme?.to_ascii_lowercase(),
        parts.authority?.to_ascii_lowercase(),
        path.to_owned(),
    ))
}

/// Whether `url` is on the endpoint of `target`: same scheme, authority and
/// path, whatever the query and fragment (a callback adds to the query).
pub(crate) fn same_endpoint(url: &str, target: &str) -> bool {
    match (endpoint(url), endpoint(target)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Whether `url` is `target` with parameters added: `target` itself, or
/// `target` followed by `?`, `#`, or `&` when `target` has a query.
pub(crate) fn extends(url: &str, target: &str) -> bool {
    let Some(rest) = url.strip_prefix(target) else {
        return false;
    };
    rest.is_empty()
        || rest.starts_with('?')
        || rest.starts_with('#')
        || (rest.starts_with('&') && target.contains('?'))
}

/// The origin (`scheme://authority`, lower-cased) of an absolute URL.
pub(crate) fn origin(url: &str) -> Option<String> {
    let parts = uri::split(url);
    Some(format!(
        "{}://{}",
        parts.scheme?.to_ascii_lowercase(),
        parts.authority?.to_ascii_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::HttpRequest;

    #[test]
    fn references_resolve_against_the_request() {
        let base = "https://as.example/oauth/authorize?x=1";
        assert_eq!(
            resolve("https://tpp.example/cb", base),
            "https://tpp.example/cb"
        );
        assert_eq!(resolve("//tpp.example/cb", base), "https://tpp.example/cb");
        assert_eq!(resolve("/login", base), "https://as.example/login");
        assert_eq!(
            resolve("login?a=b", base),
            "https://as.example/oauth/login?a=b"
        );
        assert_eq!(
            resolve("?step=2", base),
            "https://as.example/oauth/authorize?step=2"
        );
    }

    #[test]
    fn meta_refresh_and_refresh_header_are_navigations() {
        let response = HttpResponse::new(200)
            .with_header("Refresh", "0; url=/next")
            .with_body(
                r#"<html><head><META HTTP-EQUIV="Refresh" CONTENT="0;URL='https://evil.example/cb?a=1&amp;b=2'"></head></html>"#,
            );
        let hop = Exchange::new(
            "x",
            HttpRequest::new("GET", "https://as.example/a"),
            response,
        );
        let found = navigations(&hop);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].url, "https://as.example/next");
        assert_eq!(found[1].url, "https://evil.example/cb?a=1&b=2");
        assert_eq!(found[1].kind, NavigationKind::MetaRefresh);
    }

    #[test]
    fn endpoints_and_extensions() {
        assert!(same_endpoint(
            "https://TPP.example/cb?code=1",
            "https://tpp.example/cb"
        ));
        assert!(!same_endpoint(
            "https://tpp.example/CB",
            "https://tpp.example/cb"
        ));
        assert!(same_endpoint(
            "https://tpp.example?x",
            "https://tpp.example/"
        ));
        assert!(extends(
            "https://t.example/cb?code=1",
            "https://t.example/cb"
        ));
        assert!(extends(
            "https://t.example/cb?a=1&code=1",
            "https://t.example/cb?a=1"
        ));
        assert!(!extends("https://t.example/cb/x", "https://t.example/cb"));
        assert!(!extends("https://t.example/cbx", "https://t.example/cb"));
        assert_eq!(
            origin("https://A.example:8443/x").as_deref(),
            Some("https://a.example:8443")
        );
    }

    #[test]
    fn scripts_that_name_the_target_count() {
        let page = HttpResponse::new(200)
            .with_body(r#"<script>window.location = "https:\/\/evil.example\/cb";</script>"#);
        assert!(script_mentions(&page, "https://evil.example/cb"));
        let text = HttpResponse::new(200).with_body("go to https://evil.example/cb");
        assert!(!script_mentions(&text, "https://evil.example/cb"));
    }
}
