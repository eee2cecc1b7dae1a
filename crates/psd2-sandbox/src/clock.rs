//! The test clock: one notion of "now" for codes, tokens, refresh windows and
//! rustls' certificate validity checks.
//!
//! The sandbox never calls `SystemTime::now()` anywhere else. Advancing the
//! clock therefore expires authorization codes and access tokens *and* makes
//! rustls judge client certificates at the advanced time, exactly as a bank
//! would see them weeks later.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustls::pki_types::UnixTime;
use rustls::time_provider::TimeProvider;

/// A wall clock plus an offset that only grows.
#[derive(Debug, Clone, Default)]
pub struct TestClock {
    offset_secs: Arc<AtomicU64>,
}

impl TestClock {
    /// A clock at the real time.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward; returns the new total offset.
    pub fn advance(&self, by: Duration) -> Duration {
        let added = by.as_secs();
        let previous = self.offset_secs.fetch_add(added, Ordering::SeqCst);
        Duration::from_secs(previous.saturating_add(added))
    }

    /// How far the clock has been moved.
    #[must_use]
    pub fn offset(&self) -> Duration {
        Duration::from_secs(self.offset_secs.load(Ordering::SeqCst))
    }

    /// Seconds since the Unix epoch, offset included.
    #[must_use]
    pub fn now_unix(&self) -> u64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        real.saturating_add(self.offset_secs.load(Ordering::SeqCst))
    }
}

impl TimeProvider for TestClock {
    fn current_time(&self) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(Duration::from_secs(
            self.now_unix(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_reading() {
        let clock = TestClock::new();
        let before = clock.now_unix();
        let shared = clock.clone();
        assert_eq!(
            shared.advance(Duration::from_secs(3600)),
            Duration::from_secs(3600)
        );
        assert!(clock.now_unix() >= before + 3600);
        let rustls_time = clock.current_time().map(|t| t.as_secs());
        assert!(rustls_time.is_some_and(|secs| secs >= before + 3600));
    }
}
