//! A cookie jar after RFC 6265 §5: `Set-Cookie` parsing (§5.2), storage
//! with host-only and domain cookies, default paths and replacement by
//! (name, domain, path) (§5.3), and the `Cookie` header (§5.4).
//!
//! Public-suffix checks are left out: the harness talks to one bank, and a
//! cookie for a suffix it should not accept only changes what this jar
//! sends back to that same bank.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use psd2_core::Secret;
use url::Url;

/// A `Set-Cookie` line longer than this is ignored (browsers cap at 4 KiB
/// for name + value; the attributes get some room).
const MAX_SET_COOKIE: usize = 8192;
/// A jar that fills up drops its oldest cookie: a server sending thousands
/// cannot make the harness grow without bound.
const MAX_COOKIES: usize = 300;

/// One stored cookie. `Debug` shows everything but the value.
#[derive(Clone)]
pub struct Cookie {
    /// The name.
    pub name: String,
    /// The value, a secret (session identifiers).
    pub value: Secret<String>,
    /// The domain, lower-case, without a leading dot.
    pub domain: String,
    /// Sent only to exactly `domain` (no `Domain` attribute was given).
    pub host_only: bool,
    /// The path.
    pub path: String,
    /// Sent only over `https`.
    pub secure: bool,
    /// `HttpOnly` (kept for the record; the harness runs no scripts).
    pub http_only: bool,
    /// When it expires; `None` for a session cookie.
    pub expires: Option<SystemTime>,
    created: u64,
}

impl fmt::Debug for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cookie")
            .field("name", &self.name)
            .field("value", &self.value)
            .field("domain", &self.domain)
            .field("host_only", &self.host_only)
            .field("path", &self.path)
            .field("secure", &self.secure)
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

/// A `Set-Cookie` header parsed per RFC 6265 §5.2, before storage.
#[derive(Debug, Clone)]
pub struct SetCookie {
    /// The name.
    pub name: String,
    /// The value.
    pub value: Secret<String>,
    /// `Domain`, lower-case, leading dot removed.
    pub domain: Option<String>,
    /// `Path`, if it was an absolute path.
    pub path: Option<String>,
    /// `Secure`.
    pub secure: bool,
    /// `HttpOnly`.
    pub http_only: bool,
    /// `Max-Age` in seconds (wins over `Expires`).
    pub max_age: Option<i64>,
    /// `Expires`, if its date parsed.
    pub expires: Option<SystemTime>,
}

impl SetCookie {
    /// Parses a `Set-Cookie` value; `None` when §5.2 says to ignore it
    /// (no `=`, an empty name, too long).
    #[must_use]
    pub fn parse(header: &str) -> Option<Self> {
        if header.len() > MAX_SET_COOKIE {
            return None;
        }
        let mut parts = header.split(';');
        let pair = parts.next()?;
        let (name, value) = pair.split_once('=')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut cookie = SetCookie {
            name: name.to_owned(),
            value: Secret::new(value.trim().to_owned()),
            domain: None,
            path: None,
            secure: false,
            http_only: false,
            max_age: None,
            expires: None,
        };
        for attribute in parts {
            let (key, value) = attribute
                .split_once('=')
                .map_or((attribute, ""), |(key, value)| (key, value));
            let value = value.trim();
            match key.trim().to_ascii_lowercase().as_str() {
                "expires" => {
                    if let Some(date) = parse_cookie_date(value) {
                        cookie.expires = Some(date);
                    }
                }
                "max-age" => {
                    let digits = value.strip_prefix('-').unwrap_or(value);
                    if !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()) {
                        // Out-of-range values saturate: very far or already past.
                        let parsed = value.parse::<i64>().unwrap_or(if value.starts_with('-') {
                            i64::MIN
                        } else {
                            i64::MAX
                        });
                        cookie.max_age = Some(parsed);
                    }
                }
                "domain" => {
                    let domain = value.strip_prefix('.').unwrap_or(value);
                    if !domain.is_empty() {
                        cookie.domain = Some(domain.to_ascii_lowercase());
                    }
                }
                "path" => {
                    cookie.path = value.starts_with('/').then(|| value.to_owned());
                }
                "secure" => cookie.secure = true,
                "httponly" => cookie.http_only = true,
                _ => {}
            }
        }
        Some(cookie)
    }

    fn expiry(&self, now: SystemTime) -> Option<SystemTime> {
        match self.max_age {
            Some(seconds) if seconds <= 0 => Some(UNIX_EPOCH),
            Some(seconds) => Some(
                now.checked_add(Duration::from_secs(seconds.unsigned_abs()))
                    .unwrap_or(now + Duration::from_secs(100 * 365 * 86_400)),
            ),
            None => self.expires,
        }
    }
}

/// The cookies of one user agent.
#[derive(Debug, Default, Clone)]
pub struct CookieJar {
    cookies: Vec<Cookie>,
    counter: u64,
}

impl CookieJar {
    /// An empty jar.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The cookies held, expired ones included until the next store.
    #[must_use]
    pub fn cookies(&self) -> &[Cookie] {
        &self.cookies
    }

    /// Stores (or removes, when already expired) the cookie a response from
    /// `url` set, per RFC 6265 §5.3. Returns whether it was accepted.
    pub fn store(&mut self, url: &Url, header: &str, now: SystemTime) -> bool {
        let Some(set) = SetCookie::parse(header) else {
            return false;
        };
        let Some(host) = url.host_str().map(canonical_host) else {
            return false;
        };
        let secure_origin = url.scheme() == "https";
        // RFC 6265bis §5.7 step 8: an insecure origin cannot set Secure.
        if set.secure && !secure_origin {
            return false;
        }
        let (domain, host_only) = match &set.domain {
            Some(domain) if *domain == host => (host.clone(), false),
            Some(domain) if domain_matches(&host, domain) => (domain.clone(), false),
            Some(_) => return false,
            None => (host.clone(), true),
        };
        let path = set.path.clone().unwrap_or_else(|| default_path(url));
        let expires = set.expiry(now);
        self.cookies
            .retain(|c| !(c.name == set.name && c.domain == domain && c.path == path));
        self.cookies.retain(|c| !is_expired(c, now));
        if expires.is_some_and(|at| at <= now) {
            return true;
        }
        if self.cookies.len() >= MAX_COOKIES {
            self.cookies.remove(0);
        }
        self.counter += 1;
        self.cookies.push(Cookie {
            name: set.name,
            value: set.value,
            domain,
            host_only,
            path,
            secure: set.secure,
            http_only: set.http_only,
            expires,
            created: self.counter,
        });
        true
    }

    /// Stores every `Set-Cookie` of a response.
    pub fn store_all<'a>(
        &mut self,
        url: &Url,
        headers: impl IntoIterator<Item = &'a str>,
        now: SystemTime,
    ) {
        for header in headers {
            self.store(url, header, now);
        }
    }

    /// The `Cookie` header value for a request to `url` (RFC 6265 §5.4),
    /// longest paths first, then oldest first; `None` when no cookie applies.
    #[must_use]
    pub fn header_for(&self, url: &Url, now: SystemTime) -> Option<Secret<String>> {
        let host = canonical_host(url.host_str()?);
        let secure = url.scheme() == "https";
        let mut matching: Vec<&Cookie> = self
            .cookies
            .iter()
            .filter(|c| !is_expired(c, now))
            .filter(|c| {
                if c.host_only {
                    c.domain == host
                } else {
                    domain_matches(&host, &c.domain)
                }
            })
            .filter(|c| path_matches(url.path(), &c.path))
            .filter(|c| secure || !c.secure)
            .collect();
        if matching.is_empty() {
            return None;
        }
        matching.sort_by(|a, b| {
            b.path
                .len()
                .cmp(&a.path.len())
                .then(a.created.cmp(&b.created))
        });
        let pairs: Vec<String> = matching
            .iter()
            .map(|c| format!("{}={}", c.name, c.value.expose()))
            .collect();
        Some(Secret::new(pairs.join("; ")))
    }
}

fn is_expired(cookie: &Cookie, now: SystemTime) -> bool {
    cookie.expires.is_some_and(|at| at <= now)
}

fn canonical_host(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

/// RFC 6265 §5.1.3: identical, or `host` ends with `.domain` and is a name,
/// not an IP address.
#[must_use]
pub fn domain_matches(host: &str, domain: &str) -> bool {
    if host == domain {
        return true;
    }
    let is_ip = host.parse::<std::net::IpAddr>().is_ok();
    !is_ip
        && host.len() > domain.len()
        && host.ends_with(domain)
        && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
}

/// RFC 6265 §5.1.4: the default path of a request URL.
#[must_use]
pub fn default_path(url: &Url) -> String {
    let path = url.path();
    if !path.starts_with('/') {
        return "/".to_owned();
    }
    match path.rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(last) => path[..last].to_owned(),
    }
}

/// RFC 6265 §5.1.4: whether a request path falls under a cookie path.
#[must_use]
pub fn path_matches(request_path: &str, cookie_path: &str) -> bool {
    if request_path == cookie_path {
        return true;
    }
    request_path.starts_with(cookie_path)
        && (cookie_path.ends_with('/')
            || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/'))
}

/// RFC 6265 §5.1.1: the lenient cookie date algorithm.
#[must_use]
pub fn parse_cookie_date(text: &str) -> Option<SystemTime> {
    let is_delimiter = |c: char| {
        c == '\t'
            || (' '..='/').contains(&c)
            || (';'..='@').contains(&c)
            || ('['..='`').contains(&c)
            || ('{'..='~').contains(&c)
    };
    let mut time: Option<(u32, u32, u32)> = None;
    let mut day: Option<u32> = None;
    let mut month: Option<u32> = None;
    let mut year: Option<u32> = None;
    for token in text.split(is_delimiter).filter(|t| !t.is_empty()) {
        if time.is_none()
            && let Some(found) = parse_time(token)
        {
            time = Some(found);
            continue;
        }
        if day.is_none()
            && let Some(found) = leading_digits(token, 1, 2)
        {
            day = Some(found);
            continue;
        }
        if month.is_none()
            && let Some(found) = parse_month(token)
        {
            month = Some(found);
            continue;
        }
        if year.is_none()
            && let Some(found) = leading_digits(token, 2, 4)
        {
            year = Some(found);
            continue;
        }
    }
    let (hour, minute, second) = time?;
    let (day, month, mut year) = (day?, month?, year?);
    if (70..=99).contains(&year) {
        year += 1900;
    } else if year <= 69 {
        year += 2000;
    }
    if !(1..=31).contains(&day) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    let seconds =
        days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    if seconds >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(seconds.unsigned_abs()))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(seconds.unsigned_abs()))
    }
}

fn leading_digits(token: &str, min: usize, max: usize) -> Option<u32> {
    let count = token.bytes().take_while(u8::is_ascii_digit).count();
    if count < min || count > max {
        return None;
    }
    token[..count].parse().ok()
}

fn parse_time(token: &str) -> Option<(u32, u32, u32)> {
    let mut fields = token.splitn(3, ':');
    let hour = leading_digits(fields.next()?, 1, 2)?;
    let minute = leading_digits(fields.next()?, 1, 2)?;
    let second = leading_digits(fields.next()?, 1, 2)?;
    Some((hour, minute, second))
}

fn parse_month(token: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix = token.get(..3)?.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|month| *month == prefix)
        .and_then(|index| u32::try_from(index + 1).ok())
}

/// Days since 1970-01-01 (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn header(jar: &CookieJar, target: &str) -> Option<String> {
        jar.header_for(&url(target), SystemTime::now())
            .map(Secret::into_inner)
    }

    #[test]
    fn host_only_cookies_stay_on_their_host() {
        let mut jar = CookieJar::new();
        let now = SystemTime::now();
        assert!(jar.store(&url("https://bank.example/authorize"), "sid=1; Path=/", now));
        assert_eq!(
            header(&jar, "https://bank.example/x").as_deref(),
            Some("sid=1")
        );
        assert_eq!(header(&jar, "https://login.bank.example/x"), None);
    }

    #[test]
    fn domain_cookies_reach_subdomains_but_not_other_domains() {
        let mut jar = CookieJar::new();
        let now = SystemTime::now();
        assert!(jar.store(
            &url("https://login.bank.example/"),
            "a=1; Domain=.bank.example",
            now
        ));
        assert!(!jar.store(
            &url("https://login.bank.example/"),
            "b=2; Domain=evil.example",
            now
        ));
        assert!(!jar.store(
            &url("https://bank.example/"),
            "c=3; Domain=login.bank.example",
            now
        ));
        assert_eq!(
            header(&jar, "https://api.bank.example/").as_deref(),
            Some("a=1")
        );
        assert_eq!(header(&jar, "https://notbank.example/"), None);
    }

    #[test]
    fn default_path_and_path_matching() {
        assert_eq!(
            default_path(&url("https://a.example/oauth/authorize")),
            "/oauth"
        );
        assert_eq!(default_path(&url("https://a.example/authorize")), "/");
        assert!(path_matches("/oauth/login", "/oauth"));
        assert!(path_matches("/oauth/", "/oauth/"));
        assert!(!path_matches("/oauthx", "/oauth"));
        let mut jar = CookieJar::new();
        let now = SystemTime::now();
        jar.store(&url("https://a.example/oauth/authorize"), "t=1", now);
        jar.store(&url("https://a.example/"), "u=2; Path=/", now);
        assert_eq!(
            header(&jar, "https://a.example/oauth/login").as_deref(),
            Some("t=1; u=2")
        );
        assert_eq!(
            header(&jar, "https://a.example/other").as_deref(),
            Some("u=2")
        );
    }

    #[test]
    fn secure_cookies_need_https() {
        let mut jar = CookieJar::new();
        let now = SystemTime::now();
        assert!(!jar.store(&url("http://a.example/"), "s=1; Secure", now));
        assert!(jar.store(&url("https://a.example/"), "s=1; Secure", now));
        assert_eq!(header(&jar, "http://a.example/"), None);
        assert_eq!(header(&jar, "https://a.example/").as_deref(), Some("s=1"));
    }

    #[test]
    fn replacement_and_expiry() {
        let mut jar = CookieJar::new();
        let now = SystemTime::now();
        let site = url("https://a.example/");
        jar.store(&site, "k=old", now);
        jar.store(&site, "k=new", now);
        assert_eq!(jar.cookies().len(), 1);
        assert_eq!(header(&jar, "https://a.example/").as_deref(), Some("k=new"));
        jar.store(&site, "k=gone; Max-Age=0", now);
        assert_eq!(header(&jar, "https://a.example/"), None);
        jar.store(&site, "e=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT", now);
        assert_eq!(header(&jar, "https://a.example/"), None);
        jar.store(
            &site,
            "m=1; Max-Age=60; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
            now,
        );
        assert_eq!(header(&jar, "https://a.example/").as_deref(), Some("m=1"));
        let later = now + Duration::from_secs(61);
        assert!(jar.header_for(&site, later).is_none());
    }

    #[test]
    fn cookie_dates_follow_section_5_1_1() {
        let expected = UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(
            parse_cookie_date("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(expected)
        );
        assert_eq!(
            parse_cookie_date("Wednesday, 21-Oct-15 07:28:00 GMT"),
            Some(expected)
        );
        assert_eq!(
            parse_cookie_date("Wed Oct 21 07:28:00 2015"),
            Some(expected)
        );
        assert_eq!(parse_cookie_date("not a date"), None);
        assert_eq!(parse_cookie_date("32 Oct 2015 07:28:00"), None);
    }

    #[test]
    fn debug_hides_values() {
        let mut jar = CookieJar::new();
        jar.store(
            &url("https://a.example/"),
            "sid=topsecret",
            SystemTime::now(),
        );
        assert!(!format!("{jar:?}").contains("topsecret"));
        let set = SetCookie::parse("sid=topsecret").unwrap();
        assert!(!format!("{set:?}").contains("topsecret"));
    }

    #[test]
    fn malformed_lines_are_ignored() {
        assert!(SetCookie::parse("novalue").is_none());
        assert!(SetCookie::parse("=v").is_none());
        assert!(SetCookie::parse(&"a=".repeat(5000)).is_none());
        let odd = SetCookie::parse("a=b; Max-Age=abc; Path=relative; Domain=").unwrap();
        assert_eq!((odd.max_age, odd.path, odd.domain), (None, None, None));
    }
}
