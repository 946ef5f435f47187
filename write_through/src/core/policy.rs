//! The settings the core's decisions follow, chosen on the builder and passed in with each
//! decision: what a write does when Redis is away, the largest value readers accept, and the
//! spread of TTLs, whose source of randomness is passed in too (as time would be), so that the
//! core reads no process state.

use std::fmt;
use std::time::Duration;

/// What a write does when Redis cannot be reached before its database write.
///
/// ```no_run
/// use write_through::{Cache, WritePolicy};
/// # fn main() -> Result<(), write_through::Error> {
/// // Rows that must never be served stale from another process, even while Redis is away:
/// let strict = Cache::builder("redis://127.0.0.1:6379").write_policy(WritePolicy::Strict).build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum WritePolicy {
    /// The database write goes ahead; keys that could not be invalidated are remembered and
    /// invalidated as soon as Redis answers again, before any other cache traffic.
    #[default]
    Available,
    /// The key is invalidated in Redis before the database write; when that fails the write
    /// is refused with [`Error::Cache`](crate::Error::Cache) and the database is not touched.
    Strict,
}

/// What the cache applies to every value it writes: the size readers accept and the spread of
/// TTLs ([`crate::CacheBuilder::ttl_jitter`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValueRules {
    pub(crate) max_value_bytes: usize,
    pub(crate) jitter: Jitter,
}

/// The spread of TTLs: each value lives its TTL shortened by a random part of at most
/// `fraction` of it (`0.0 <= fraction < 1.0`), never below one millisecond, so that rows
/// cached together do not expire together. `draw` gives a uniform value in `[0, 1)`.
#[derive(Clone, Copy)]
pub(crate) struct Jitter {
    pub(crate) fraction: f64,
    pub(crate) draw: fn() -> f64,
}

impl Jitter {
    /// TTLs exactly as declared (the checker's and the unit tests').
    #[cfg(test)]
    pub(crate) const NONE: Jitter = Jitter {
        fraction: 0.0,
        draw: || 0.0,
    };

    /// `ttl`, spread.
    pub(crate) fn apply(self, ttl: Duration) -> Duration {
        if self.fraction <= 0.0 {
            return ttl;
        }
        let cut = ttl.as_secs_f64() * self.fraction * (self.draw)();
        ttl.saturating_sub(Duration::from_secs_f64(cut))
            .max(Duration::from_millis(1))
    }
}

impl fmt::Debug for Jitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jitter")
            .field("fraction", &self.fraction)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn with(fraction: f64, draw: fn() -> f64) -> Jitter {
        Jitter { fraction, draw }
    }

    #[test]
    fn no_jitter_keeps_the_ttl() {
        assert_eq!(Jitter::NONE.apply(HOUR), HOUR);
        assert_eq!(with(0.0, || 0.99).apply(HOUR), HOUR);
    }

    #[test]
    fn a_draw_cuts_at_most_the_fraction() {
        assert_eq!(with(0.1, || 0.0).apply(HOUR), HOUR);
        assert_eq!(
            with(0.1, || 0.5).apply(HOUR),
            HOUR - Duration::from_secs(180)
        );
        let nearly_all = with(0.1, || 1.0 - f64::EPSILON).apply(HOUR);
        assert!(
            nearly_all > HOUR.mul_f64(0.9) - Duration::from_millis(1),
            "{nearly_all:?}"
        );
    }

    #[test]
    fn a_spread_ttl_is_never_below_a_millisecond() {
        let short = Duration::from_micros(1500);
        assert_eq!(with(0.99, || 0.99).apply(short), Duration::from_millis(1));
    }
}
