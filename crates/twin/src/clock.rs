//! The namespace clock behind handlers' `clock` global (seed: `[serve.clock]`): the system
//! clock, or a seeded counter that moves only by `clock.advance`, so the same seed and the same
//! requests give byte-identical timestamps across runs.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::config::{ClockConfig, ClockMode};

/// A twin's clock, shared by every worker.
#[derive(Debug)]
pub struct Clock {
    mode: ClockMode,
    now: AtomicI64,
}

impl Clock {
    /// A clock as configured.
    pub fn new(c: &ClockConfig) -> Clock {
        Clock {
            mode: c.mode,
            now: AtomicI64::new(c.seed),
        }
    }

    /// Whether the clock is the seeded counter.
    pub fn deterministic(&self) -> bool {
        self.mode == ClockMode::Deterministic
    }

    /// Current Unix time in seconds.
    pub fn now(&self) -> i64 {
        match self.mode {
            ClockMode::Real => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            ClockMode::Deterministic => self.now.load(Ordering::SeqCst),
        }
    }

    /// Move the deterministic clock forward by `seconds` (not backwards); returns the new time.
    /// Errors in real mode.
    pub fn advance(&self, seconds: i64) -> Result<i64, String> {
        if self.mode != ClockMode::Deterministic {
            return Err(
                "clock.advance is only available when [serve.clock] mode = \"deterministic\""
                    .into(),
            );
        }
        if seconds < 0 {
            return Err(format!(
                "clock.advance: cannot move the clock backwards ({seconds} s)"
            ));
        }
        Ok(self.now.fetch_add(seconds, Ordering::SeqCst) + seconds)
    }
}
