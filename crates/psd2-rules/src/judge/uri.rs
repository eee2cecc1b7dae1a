//! Just enough RFC 3986 to judge redirect URIs: split a URI reference into
//! its components without normalising anything, because RFC 6749 §3.1.2.3
//! and RFC 9700 §2.1 compare redirect URIs by simple string comparison and a
//! normalising parser (percent-decoding, lower-casing the host, dropping a
//! default port) would hide exactly the differences the rules look for.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The five components of a URI reference (RFC 3986 Appendix B), as slices
/// of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UriParts<'a> {
    /// `scheme`, present only when it follows the RFC 3986 §3.1 grammar.
    pub(crate) scheme: Option<&'a str>,
    /// What follows `//` up to the path.
    pub(crate) authority: Option<&'a str>,
    /// The path, possibly empty.
    pub(crate) path: &'a str,
    /// What follows `?` up to `#`.
    pub(crate) query: Option<&'a str>,
    /// What follows `#`.
    pub(crate) fragment: Option<&'a str>,
}

/// The parts of an authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Authority<'a> {
    /// What precedes `@`.
    pub(crate) userinfo: Option<&'a str>,
    /// The host, brackets of an IP literal included.
    pub(crate) host: &'a str,
    /// The digits after the last `:` outside brackets (possibly empty).
    pub(crate) port: Option<&'a str>,
}

/// Splits a URI reference; never fails (every string is some reference).
pub(crate) fn split(uri: &str) -> UriParts<'_> {
    let (before_fragment, fragment) = match uri.split_once('#') {
        Some((head, fragment)) => (head, Some(fragment)),
        None => (uri, None),
    };
    let (before_query, query) = match before_fragment.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (before_fragment, None),
    };
    // A scheme ends at the first ':' only if no '/' comes before it.
    let (scheme, rest) = match before_query.find([':', '/']) {
        Some(index)
            if before_query[index..].starts_with(':') && is_scheme(&before_query[..index]) =>
        {
            (Some(&before_query[..index]), &before_query[index + 1..])
        }
        _ => (None, before_query),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => match after.find('/') {
            Some(index) => (Some(&after[..index]), &after[index..]),
            None => (Some(after), ""),
        },
        None => (None, rest),
    };
    UriParts {
        scheme,
        authority,
        path,
        query,
        fragment,
    }
}

/// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` (RFC 3986 §3.1).
fn is_scheme(candidate: &str) -> bool {
    let mut chars = candidate.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Splits an authority into userinfo, host and port.
pub(crate) fn split_authority(authority: &str) -> Authority<'_> {
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    // The port follows the last ':' that is not inside an IPv6 literal.
    let port_start = match host_port.rfind(']') {
        Some(close) => host_port[close..].find(':').map(|offset| close + offset),
        None => host_port.rfind(':'),
    };
    let (host, port) = match port_start {
        Some(index) => (&host_port[..index], Some(&host_port[index + 1..])),
        None => (host_port, None),
    };
    Authority {
        userinfo,
        host,
        port,
    }
}

/// A loopback host: an IPv4 literal in 127.0.0.0/8, the IPv6 literal `[::1]`,
/// or `localhost`. RFC 8252 §7.3 names loopback IP literals; RFC 9700 §2.1
/// and §4.1.3 speak of localhost redirect URIs, so the name counts too.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Some(literal) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return literal.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    }
    host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_five_components_without_normalising() {
        let parts = split("HTTPS://User@Tpp.Example:8443/cb/%7E?a=1&b#frag");
        assert_eq!(parts.scheme, Some("HTTPS"));
        assert_eq!(parts.authority, Some("User@Tpp.Example:8443"));
        assert_eq!(parts.path, "/cb/%7E");
        assert_eq!(parts.query, Some("a=1&b"));
        assert_eq!(parts.fragment, Some("frag"));
    }

    #[test]
    fn relative_references_have_no_scheme() {
        assert_eq!(split("/cb").scheme, None);
        assert_eq!(split("tpp.example/cb").scheme, None);
        assert_eq!(split("//tpp.example/cb").authority, Some("tpp.example"));
        assert_eq!(split("1http://x").scheme, None);
        assert_eq!(
            split("com.example.app:/oauth").scheme,
            Some("com.example.app")
        );
    }

    #[test]
    fn authority_parts() {
        let authority = split_authority("user:pw@[::1]:8080");
        assert_eq!(authority.userinfo, Some("user:pw"));
        assert_eq!(authority.host, "[::1]");
        assert_eq!(authority.port, Some("8080"));
        assert_eq!(split_authority("[::1]").port, None);
        assert_eq!(split_authority("tpp.example").port, None);
        assert_eq!(split_authority("tpp.example:").port, Some(""));
    }

    #[test]
    fn loopback_hosts() {
        for host in ["127.0.0.1", "127.1.2.3", "[::1]", "localhost", "LOCALHOST"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in ["128.0.0.1", "[::2]", "localhost.example", "10.0.0.1", "::1"] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
