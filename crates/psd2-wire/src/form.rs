//! `application/x-www-form-urlencoded` (RFC 6749 Appendix B) as an ordered
//! list of name/value pairs.
//!
//! [`Form`] keeps everything that was sent, in order: repeated names, empty
//! values, unknown names. The typed messages read from it and write to it, and
//! the conformance harness edits it in between to send a repeated, omitted or
//! overridden parameter on purpose.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::percent_decode;

use crate::{BodyLimit, WireError};

/// Whether a parameter's value is a credential: [`Form`]'s and
/// [`Members`](crate::Members)' `Debug` print `[REDACTED]` for it.
pub(crate) fn is_secret_name(name: &str) -> bool {
    psd2_core::is_secret_parameter(name)
}

/// An ordered list of name/value pairs, decoded from or encoded to
/// `application/x-www-form-urlencoded`.
///
/// Decoding follows RFC 6749 Appendix B and the WHATWG parser: pairs are
/// split on `&`, a pair without `=` has an empty value, `+` is a space,
/// `%XX` is a byte, a malformed escape stays as it is, and the result must be
/// UTF-8. Empty segments (`a=1&&b=2`) carry no pair. Nothing else is dropped
/// or merged.
///
/// `Debug` redacts the values of credential parameters (`code`,
/// `client_secret`, `refresh_token`, ...).
///
/// ```
/// use psd2_wire::Form;
/// let mut form = Form::decode(b"grant_type=client_credentials&scope=aisp")?;
/// assert_eq!(form.get("scope"), Some("aisp"));
/// // The harness can send what no typed message would: a repeated parameter.
/// form.append("scope", "pisp");
/// assert_eq!(form.encode(), "grant_type=client_credentials&scope=aisp&scope=pisp");
/// // Appendix B's example value: " %&+£€".
/// let appendix_b = Form::new().with("v", " %&+£€");
/// assert_eq!(appendix_b.encode(), "v=+%25%26%2B%C2%A3%E2%82%AC");
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// An empty form.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes `input` under [`BodyLimit::DEFAULT`].
    ///
    /// # Errors
    /// See [`Form::decode_limited`].
    pub fn decode(input: &[u8]) -> Result<Self, WireError> {
        Self::decode_limited(input, BodyLimit::DEFAULT)
    }

    /// Decodes `input` if it is at most `limit` bytes long.
    ///
    /// # Errors
    /// [`WireError::BodyTooLarge`] before any parsing;
    /// [`WireError::NotUtf8`] naming the first parameter whose name or value
    /// is not UTF-8 once percent-decoded.
    pub fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        limit.check(input.len())?;
        let mut pairs = Vec::new();
        for segment in input.split(|byte| *byte == b'&') {
            if segment.is_empty() {
                continue;
            }
            let (raw_name, raw_value) = match segment.iter().position(|byte| *byte == b'=') {
                Some(equals) => (&segment[..equals], &segment[equals + 1..]),
                None => (segment, &segment[segment.len()..]),
            };
            let name =
                decode_component(raw_name).map_err(|lossy| WireError::NotUtf8 { field: lossy })?;
            let value = decode_component(raw_value).map_err(|_| WireError::NotUtf8 {
                field: name.clone(),
            })?;
            pairs.push((name, value));
        }
        Ok(Self { pairs })
    }

    /// Encodes the pairs in order with the WHATWG serializer: alphanumerics
    /// and `*-._` as they are, space as `+`, every other byte as `%XX`.
    #[must_use]
    pub fn encode(&self) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.pairs {
            serializer.append_pair(name, value);
        }
        serializer.finish()
    }

    /// Adds a pair at the end, even if the name is already there.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.pairs.push((name.into(), value.into()));
        self
    }

    /// [`Form::append`] for building a form in one expression.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.append(name, value);
        self
    }

    /// Overrides a parameter: the first pair of that name takes `value` and
    /// later pairs of that name are removed; the pair is appended if absent.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        let name = name.into();
        let value = value.into();
        match self.pairs.iter().position(|(n, _)| *n == name) {
            Some(first) => {
                self.pairs[first].1 = value;
                let mut index = 0;
                self.pairs.retain(|(n, _)| {
                    let keep = index <= first || *n != name;
                    index += 1;
                    keep
                });
            }
            None => self.pairs.push((name, value)),
        }
        self
    }

    /// Removes every pair named `name`; returns how many there were.
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.pairs.len();
        self.pairs.retain(|(n, _)| n != name);
        before - self.pairs.len()
    }

    /// The value of the first pair named `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// The values of every pair named `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// The pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// The pairs as a slice.
    #[must_use]
    pub fn as_pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The pairs, owned.
    #[must_use]
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }

    /// Number of pairs.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no pairs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `endpoint` with the pairs appended to its query. An existing query is
    /// kept as it is (RFC 6749 §3.1: it "MUST be retained when adding
    /// additional query parameters"), and so is a fragment.
    ///
    /// ```
    /// use psd2_wire::Form;
    /// let endpoint = url::Url::parse("https://bank.example/authorize?tenant=fr")?;
    /// let form = Form::new().with("response_type", "code");
    /// assert_eq!(
    ///     form.append_to_url(&endpoint).as_str(),
    ///     "https://bank.example/authorize?tenant=fr&response_type=code",
    /// );
    /// # Ok::<(), url::ParseError>(())
    /// ```
    #[must_use]
    pub fn append_to_url(&self, endpoint: &url::Url) -> url::Url {
        let mut url = endpoint.clone();
        if self.pairs.is_empty() {
            return url;
        }
        url.query_pairs_mut().extend_pairs(self.iter());
        url
    }
}

/// Percent-decodes one name or value (`+` is a space first); on invalid
/// UTF-8 returns the lossy text as the error, to name the culprit.
pub(crate) fn decode_component(raw: &[u8]) -> Result<String, String> {
    let spaced: Cow<'_, [u8]> = if raw.contains(&b'+') {
        Cow::Owned(
            raw.iter()
                .map(|byte| if *byte == b'+' { b' ' } else { *byte })
                .collect(),
        )
    } else {
        Cow::Borrowed(raw)
    };
    let bytes: Vec<u8> = percent_decode(&spaced).collect();
    String::from_utf8(bytes).map_err(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// Encodes one name or value with the form serializer's byte rules.
pub(crate) fn encode_component(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Form")?;
        f.debug_list()
            .entries(
                self.pairs
                    .iter()
                    .map(|(name, value)| Redacted { name, value }),
            )
            .finish()
    }
}

/// One pair as `Debug` shows it.
struct Redacted<'a> {
    name: &'a str,
    value: &'a str,
}

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_secret_name(self.name) {
            write!(f, "({:?}, [REDACTED])", self.name)
        } else {
            write!(f, "({:?}, {:?})", self.name, self.value)
        }
    }
}

impl From<Vec<(String, String)>> for Form {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Form {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Self {
            pairs: iter
                .into_iter()
                .map(|(name, value)| (name.into(), value.into()))
                .collect(),
        }
    }
}

impl<N: Into<String>, V: Into<String>> Extend<(N, V)> for Form {
    fn extend<I: IntoIterator<Item = (N, V)>>(&mut self, iter: I) {
        self.pairs.extend(
            iter.into_iter()
                .map(|(name, value)| (name.into(), value.into())),
        );
    }
}

impl IntoIterator for Form {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.pairs.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_keeps_everything_in_order() -> Result<(), WireError> {
        let form = Form::decode(b"b=2&a&&a=1&=x&c=%41+%zz")?;
        let pairs: Vec<(&str, &str)> = form.iter().collect();
        assert_eq!(
            pairs,
            [("b", "2"), ("a", ""), ("a", "1"), ("", "x"), ("c", "A %zz")]
        );
        Ok(())
    }

    #[test]
    fn appendix_b_example_decodes() -> Result<(), WireError> {
        let form = Form::decode(b"v=+%25%26%2B%C2%A3%E2%82%AC")?;
        assert_eq!(form.get("v"), Some(" %&+£€"));
        Ok(())
    }

    #[test]
    fn invalid_utf8_names_the_parameter() {
        assert_eq!(
            Form::decode(b"ok=1&state=%FF"),
            Err(WireError::NotUtf8 {
                field: "state".to_owned()
            })
        );
        assert_eq!(
            Form::decode(b"st%FFate=1"),
            Err(WireError::NotUtf8 {
                field: "st\u{FFFD}ate".to_owned()
            })
        );
    }

    #[test]
    fn set_overrides_and_collapses() {
        let mut form = Form::new()
            .with("a", "1")
            .with("b", "2")
            .with("a", "3")
            .with("a", "4");
        form.set("a", "9");
        assert_eq!(form.encode(), "a=9&b=2");
        form.set("c", "3");
        assert_eq!(form.encode(), "a=9&b=2&c=3");
        assert_eq!(form.remove("b"), 1);
        assert_eq!(form.remove("b"), 0);
        assert_eq!(form.get_all("a").collect::<Vec<_>>(), ["9"]);
    }

    #[test]
    fn debug_redacts_credentials() {
        let form = Form::new()
            .with("grant_type", "authorization_code")
            .with("code", "SplxlOBeZQQYbYS6WxSbIA")
            .with("client_secret", "7Fjfp0ZBr1KtDRbnfVdmIw");
        let debug = format!("{form:?}");
        assert!(debug.contains("authorization_code"), "{debug}");
        assert!(!debug.contains("SplxlOBeZQQYbYS6WxSbIA"), "{debug}");
        assert!(!debug.contains("7Fjfp0ZBr1KtDRbnfVdmIw"), "{debug}");
    }

    #[test]
    fn empty_form_leaves_the_url_alone() -> Result<(), url::ParseError> {
        let endpoint = url::Url::parse("https://bank.example/authorize")?;
        assert_eq!(Form::new().append_to_url(&endpoint), endpoint);
        Ok(())
    }
}
