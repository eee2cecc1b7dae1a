//! Exchanges and the ordered log of one scenario.
//!
//! A label names one step of a scenario: a token request, a resource call,
//! or a whole user-agent journey. Every HTTP exchange of a journey (the
//! authorization request, each redirect followed, each login or consent form
//! submitted) carries the journey's label, in the order sent, so that the
//! exchanges of one label form one consecutive run: [`ExchangeLog::journey`].

use std::time::Duration;

use super::{HttpRequest, HttpResponse, TransportFailure, TransportOutcome};

/// One request and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The step this exchange belongs to (see [`crate::exchange::labels`]).
    pub label: String,
    /// What the harness sent.
    pub request: HttpRequest,
    /// The response, or the transport failure.
    pub outcome: TransportOutcome,
    /// When the request was sent, as an offset from the start of the
    /// scenario (the harness's monotonic clock; judges never read a clock).
    pub sent_at: Option<Duration>,
}

impl Exchange {
    /// An exchange with no timing.
    #[must_use]
    pub fn new(
        label: impl Into<String>,
        request: HttpRequest,
        outcome: impl Into<TransportOutcome>,
    ) -> Self {
        Self {
            label: label.into(),
            request,
            outcome: outcome.into(),
            sent_at: None,
        }
    }

    /// Sets the offset at which the request was sent.
    #[must_use]
    pub fn at(mut self, sent_at: Duration) -> Self {
        self.sent_at = Some(sent_at);
        self
    }

    /// The response, if one came back.
    #[must_use]
    pub fn response(&self) -> Option<&HttpResponse> {
        self.outcome.response()
    }

    /// The transport failure, if any.
    #[must_use]
    pub fn failure(&self) -> Option<&TransportFailure> {
        self.outcome.failure()
    }
}

/// The exchanges of one scenario, in the order they were sent.
///
/// ```
/// use psd2_rules::exchange::{Exchange, ExchangeLog, HttpRequest, HttpResponse};
/// let mut log = ExchangeLog::new();
/// let hop = |url: &str, status| {
///     Exchange::new("authorize-grant", HttpRequest::new("GET", url), HttpResponse::new(status))
/// };
/// log.push(hop("https://as.example/authorize?client_id=c", 302));
/// log.push(hop("https://as.example/login", 200));
/// log.push(Exchange::new(
///     "code-exchange",
///     HttpRequest::new("POST", "https://as.example/token"),
///     HttpResponse::new(200),
/// ));
/// assert_eq!(log.journey("authorize-grant").len(), 2);
/// assert_eq!(log.first("code-exchange").map(|e| e.response().map(|r| r.status)), Some(Some(200)));
/// assert_eq!(log.labels(), vec!["authorize-grant", "code-exchange"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeLog {
    exchanges: Vec<Exchange>,
}

impl ExchangeLog {
    /// An empty log.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an exchange.
    pub fn push(&mut self, exchange: Exchange) {
        self.exchanges.push(exchange);
    }

    /// Every exchange, in order.
    #[must_use]
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// The number of exchanges.
    #[must_use]
    pub fn len(&self) -> usize {
        self.exchanges.len()
    }

    /// Whether the log is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.exchanges.is_empty()
    }

    /// The first run of consecutive exchanges labelled `label`: a user-agent
    /// journey with every redirect and form it followed, or the single
    /// exchange of a one-request step. Empty when the label is absent.
    #[must_use]
    pub fn journey(&self, label: &str) -> &[Exchange] {
        let Some(start) = self.exchanges.iter().position(|e| e.label == label) else {
            return &[];
        };
        let length = self.exchanges[start..]
            .iter()
            .take_while(|e| e.label == label)
            .count();
        &self.exchanges[start..start + length]
    }

    /// The first exchange labelled `label`: the request the step sent.
    #[must_use]
    pub fn first(&self, label: &str) -> Option<&Exchange> {
        self.journey(label).first()
    }

    /// The last exchange of the first run labelled `label`: where a journey
    /// ended.
    #[must_use]
    pub fn last(&self, label: &str) -> Option<&Exchange> {
        self.journey(label).last()
    }

    /// Whether an exchange carries `label`.
    #[must_use]
    pub fn contains(&self, label: &str) -> bool {
        self.exchanges.iter().any(|e| e.label == label)
    }

    /// The distinct labels, in order of first appearance.
    #[must_use]
    pub fn labels(&self) -> Vec<&str> {
        let mut labels: Vec<&str> = Vec::new();
        for exchange in &self.exchanges {
            if !labels.contains(&exchange.label.as_str()) {
                labels.push(&exchange.label);
            }
        }
        labels
    }

    /// The distinct labels that start with `prefix`, in order: the members
    /// of a family such as `authorize-redirect-variant-`.
    #[must_use]
    pub fn labels_with_prefix(&self, prefix: &str) -> Vec<&str> {
        self.labels()
            .into_iter()
            .filter(|label| label.starts_with(prefix) && label.len() > prefix.len())
            .collect()
    }
}

impl From<Vec<Exchange>> for ExchangeLog {
    fn from(exchanges: Vec<Exchange>) -> Self {
        Self { exchanges }
    }
}

impl FromIterator<Exchange> for ExchangeLog {
    fn from_iter<I: IntoIterator<Item = Exchange>>(iter: I) -> Self {
        Self {
            exchanges: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(label: &str) -> Exchange {
        Exchange::new(
            label,
            HttpRequest::new("GET", "https://as.example/"),
            TransportFailure::Timeout,
        )
    }

    #[test]
    fn a_journey_is_the_first_consecutive_run() {
        let log: ExchangeLog = ["a", "a", "b", "a", "variant-1", "variant-2"]
            .into_iter()
            .map(exchange)
            .collect();
        assert_eq!(log.journey("a").len(), 2);
        assert_eq!(log.journey("b").len(), 1);
        assert!(log.journey("c").is_empty());
        assert_eq!(
            log.labels_with_prefix("variant-"),
            vec!["variant-1", "variant-2"]
        );
        assert!(log.labels_with_prefix("variant-1").is_empty());
        assert_eq!(log.labels().len(), 4);
        assert!(log.first("b").and_then(Exchange::failure).is_some());
    }
}
