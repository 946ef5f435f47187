//! A circuit breaker in front of Redis: after a few consecutive failures to reach it, commands
//! fail at once for a cool-down instead of each waiting out its timeout; then one command is let
//! through to probe, and success closes the circuit again.
//!
//! Only failures to *reach* Redis count (refused or dropped connections, timeouts): an error
//! reply such as `OOM` comes from a Redis that is up.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Consecutive failures that open the circuit.
const THRESHOLD: u32 = 3;

pub(crate) struct Breaker {
    cooldown: Duration,
    failures: AtomicU32,
    /// Milliseconds since `epoch` until which commands fail at once; 0 when closed.
    open_until: AtomicU64,
    epoch: Instant,
}

impl Breaker {
    pub(crate) fn new(cooldown: Duration) -> Self {
        Self {
            cooldown,
            failures: AtomicU32::new(0),
            open_until: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }

    /// Whether a command may try Redis now. While open, one caller per cool-down is let through
    /// as a probe (by pushing the deadline forward for the others).
    pub(crate) fn allows(&self) -> bool {
        let until = self.open_until.load(Ordering::Acquire);
        if until == 0 {
            return true;
        }
        let now = self.now();
        if now < until {
            return false;
        }
        let next = now + u64::try_from(self.cooldown.as_millis()).unwrap_or(u64::MAX);
        self.open_until
            .compare_exchange(until, next, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    pub(crate) fn succeeded(&self) {
        if self.failures.load(Ordering::Relaxed) != 0 {
            self.failures.store(0, Ordering::Relaxed);
        }
        if self.open_until.load(Ordering::Relaxed) != 0 {
            self.open_until.store(0, Ordering::Release);
        }
    }

    /// Records a failure to reach Redis; `true` when this one opened the circuit.
    pub(crate) fn failed(&self) -> bool {
        let failures = self.failures.fetch_add(1, Ordering::AcqRel) + 1;
        if failures >= THRESHOLD {
            let until = self.now() + u64::try_from(self.cooldown.as_millis()).unwrap_or(u64::MAX);
            return self.open_until.swap(until, Ordering::AcqRel) == 0;
        }
        false
    }
}

/// Whether an error means Redis could not be reached (as opposed to an error reply).
pub(crate) fn unreachable(error: &redis::RedisError) -> bool {
    error.is_io_error()
        || error.is_timeout()
        || error.is_connection_dropped()
        || error.is_connection_refusal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_circuit_opens_after_consecutive_failures_and_probes_after_the_cooldown() {
        let breaker = Breaker::new(Duration::from_millis(50));
        assert!(breaker.allows());
        assert!(!breaker.failed() && !breaker.failed());
        assert!(breaker.failed(), "the third failure opens it");
        assert!(!breaker.allows());
        std::thread::sleep(Duration::from_millis(60));
        assert!(breaker.allows(), "one probe after the cooldown");
        assert!(!breaker.allows(), "and only one");
        breaker.succeeded();
        assert!(breaker.allows());
    }

    #[test]
    fn a_success_resets_the_count() {
        let breaker = Breaker::new(Duration::from_secs(60));
        breaker.failed();
        breaker.failed();
        breaker.succeeded();
        assert!(!breaker.failed());
        assert!(breaker.allows());
    }
}
