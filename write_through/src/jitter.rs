//! Spreading the TTLs of cached values, so that rows cached together expire apart.
//!
//! The randomness only has to differ between calls, not resist anyone: it is the standard
//! library's SipHash with a per-process random key (the one `HashMap` uses) over a counter.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

static SEED: LazyLock<RandomState> = LazyLock::new(RandomState::new);
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A uniform value in `[0, 1)`.
fn unit() -> f64 {
    let bits = SEED.hash_one(COUNTER.fetch_add(1, Ordering::Relaxed));
    // The top 53 bits, as many as an f64 holds exactly.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// `ttl` shortened by a random part of at most `fraction` of it (`0.0 <= fraction < 1.0`),
/// never below one millisecond.
pub(crate) fn jittered(ttl: Duration, fraction: f64) -> Duration {
    if fraction <= 0.0 {
        return ttl;
    }
    let cut = ttl.as_secs_f64() * fraction * unit();
    ttl.saturating_sub(Duration::from_secs_f64(cut))
        .max(Duration::from_millis(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn no_jitter_keeps_the_ttl() {
        assert_eq!(jittered(HOUR, 0.0), HOUR);
    }

    #[test]
    fn a_jittered_ttl_stays_within_the_fraction_below_the_ttl() {
        for _ in 0..10_000 {
            let ttl = jittered(HOUR, 0.1);
            assert!(ttl <= HOUR && ttl >= HOUR.mul_f64(0.9), "{ttl:?}");
        }
    }

    #[test]
    fn jittered_ttls_spread_over_the_range() {
        let ttls: Vec<Duration> = (0..1000).map(|_| jittered(HOUR, 0.1)).collect();
        let (min, max) = (ttls.iter().min().unwrap(), ttls.iter().max().unwrap());
        // 1000 uniform draws leave the ends of the 360 s range within a few seconds.
        assert!(*max - *min > Duration::from_secs(300), "{min:?}..{max:?}");
        let distinct: std::collections::HashSet<_> = ttls.iter().map(|t| t.as_secs()).collect();
        assert!(distinct.len() > 200, "{} distinct seconds", distinct.len());
    }
}
