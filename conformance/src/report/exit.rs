//! The run's verdict and exit code: 0 when no MUST failed outside the
//! baseline, 1 when one did or a baseline entry is stale, 2 when the
//! preflight failed or too many checks could not be judged.

use super::Report;

/// When a run counts as broken rather than judged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExitPolicy {
    /// The largest share (0.0..=1.0) of judged rows (skips excluded) that may
    /// be `error` before the run exits 2.
    pub max_error_share: f64,
}

impl ExitPolicy {
    /// More than a quarter of the checks in error means the harness, not the
    /// bank, is the story.
    pub const DEFAULT: Self = Self {
        max_error_share: 0.25,
    };
}

/// What a run concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunVerdict {
    /// The harness could not judge: preflight failed or too many errors.
    Broken,
    /// A MUST failed outside the baseline, or a baseline entry is stale.
    Failed,
    /// No MUST failed outside the baseline.
    Passed,
}

impl RunVerdict {
    /// The process exit code.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            RunVerdict::Passed => 0,
            RunVerdict::Failed => 1,
            RunVerdict::Broken => 2,
        }
    }
}

impl Report {
    /// The verdict of the run under `policy`.
    #[must_use]
    pub fn verdict(&self, policy: ExitPolicy) -> RunVerdict {
        if !self.preflight.is_empty() {
            return RunVerdict::Broken;
        }
        let judged = self.rows.len() - self.totals.skip;
        // Counts are far below 2^52: the conversion to f64 is exact.
        #[allow(clippy::cast_precision_loss)]
        let error_share = if judged == 0 {
            0.0
        } else {
            self.totals.error as f64 / judged as f64
        };
        if error_share > policy.max_error_share {
            return RunVerdict::Broken;
        }
        let stale = self.baseline.iter().any(|entry| entry.status == "stale");
        if self.totals.fail > 0 || stale {
            return RunVerdict::Failed;
        }
        RunVerdict::Passed
    }
}
