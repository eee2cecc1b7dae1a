//! Reading a token endpoint's answer: did it issue a token, which error did
//! it name, what scope did it report. Evidence quotes the status, the media
//! type, the `error` value and the member names, never a member's value.

use psd2_core::{OAuthErrorCode, ScopeSet};
use psd2_wire::{ErrorResponse, Form, JsonMessage, TokenResponse, WireError};
use serde_json::{Map, Value};

use crate::Evidence;
use crate::exchange::{Exchange, HttpResponse};

/// A token endpoint response, read once.
#[derive(Debug)]
pub(crate) struct TokenAnswer<'a> {
    pub(crate) response: &'a HttpResponse,
    json: Option<Map<String, Value>>,
}

impl<'a> TokenAnswer<'a> {
    pub(crate) fn new(response: &'a HttpResponse) -> Self {
        let json = match serde_json::from_slice::<Value>(&response.body) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        };
        Self { response, json }
    }

    /// The body is one JSON object.
    pub(crate) fn is_json_object(&self) -> bool {
        self.json.is_some()
    }

    fn has_member(&self, name: &str) -> bool {
        let in_json = self
            .json
            .as_ref()
            .and_then(|map| map.get(name))
            .is_some_and(|value| !value.is_null() && value != &Value::String(String::new()));
        // A token in a form-encoded body (as some servers send) is issued all
        // the same.
        in_json
            || (self.json.is_none()
                && Form::decode(&self.response.body)
                    .ok()
                    .and_then(|form| form.get(name).map(|value| !value.is_empty()))
                    .unwrap_or(false))
    }

    /// The answer carries an access token, whatever its status.
    pub(crate) fn issues_token(&self) -> bool {
        self.has_member("access_token")
    }

    /// The answer carries a refresh token.
    pub(crate) fn issues_refresh_token(&self) -> bool {
        self.has_member("refresh_token")
    }

    /// The answer carries any token.
    pub(crate) fn carries_tokens(&self) -> bool {
        self.issues_token() || self.issues_refresh_token() || self.has_member("id_token")
    }

    /// The RFC 6749 §5.1 response, decoded.
    pub(crate) fn decoded(&self) -> Result<TokenResponse, WireError> {
        TokenResponse::decode(&self.response.body)
    }

    /// The `error` of an RFC 6749 §5.2 body.
    pub(crate) fn error(&self) -> Option<OAuthErrorCode> {
        ErrorResponse::decode(&self.response.body)
            .ok()
            .map(|response| response.error)
    }

    /// The status is `status` and the error is one of `errors`.
    pub(crate) fn is_error(&self, status: u16, errors: &[OAuthErrorCode]) -> bool {
        self.response.status == status && self.error().is_some_and(|error| errors.contains(&error))
    }

    /// The `scope` member, if present and well-formed.
    pub(crate) fn scope(&self) -> Option<ScopeSet> {
        let text = self.json.as_ref()?.get("scope")?.as_str()?;
        ScopeSet::parse(text).ok()
    }

    /// Whether a `scope` member is present at all.
    pub(crate) fn has_scope_member(&self) -> bool {
        self.json
            .as_ref()
            .is_some_and(|map| map.contains_key("scope"))
    }

    /// The member names, sorted, for evidence.
    pub(crate) fn member_names(&self) -> String {
        match &self.json {
            Some(map) => {
                let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
                names.sort_unstable();
                names.join(" ")
            }
            None => "(not a JSON object)".to_owned(),
        }
    }

    /// Status, media type, error and member names.
    pub(crate) fn evidence(&self, label: &str) -> Evidence {
        let mut evidence = Evidence::new()
            .field("exchange", label)
            .field("status", self.response.status.to_string());
        if let Some(media) = self.response.media_type() {
            evidence = evidence.field("Content-Type", media);
        }
        if let Some(error) = self.error() {
            evidence = evidence.field("error", error.as_str());
        }
        evidence.field("members", self.member_names())
    }
}

/// Whether an exchange is a token request: a POST whose form body carries
/// `grant_type`, or one of the labels that deliberately omit it.
pub(crate) fn is_token_request(exchange: &Exchange) -> bool {
    exchange.request.method.eq_ignore_ascii_case("POST")
        && exchange
            .request
            .body_form()
            .is_ok_and(|form| form.get("grant_type").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_in_json_and_forms() {
        let json = HttpResponse::new(200)
            .with_body(r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"example"}"#);
        let answer = TokenAnswer::new(&json);
        assert!(answer.issues_token() && !answer.issues_refresh_token());
        assert_eq!(answer.member_names(), "access_token token_type");
        let form = HttpResponse::new(200).with_body("access_token=abc&token_type=bearer");
        assert!(TokenAnswer::new(&form).issues_token());
        let error = HttpResponse::new(400).with_body(r#"{"error":"invalid_grant"}"#);
        let answer = TokenAnswer::new(&error);
        assert!(!answer.issues_token());
        assert!(answer.is_error(400, &[OAuthErrorCode::INVALID_GRANT]));
        assert!(!answer.is_error(401, &[OAuthErrorCode::INVALID_GRANT]));
    }

    #[test]
    fn evidence_never_quotes_a_token() {
        let json = HttpResponse::new(200)
            .with_header("Content-Type", "application/json")
            .with_body(r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","scope":"aisp"}"#);
        let evidence = format!("{:?}", TokenAnswer::new(&json).evidence("code-exchange"));
        assert!(!evidence.contains("2YotnFZFEjr1zCsicMWpAA"), "{evidence}");
        assert!(evidence.contains("application/json"), "{evidence}");
    }
}
