//! The random draws behind the spread of TTLs ([`crate::core::policy::Jitter`]).
//!
//! The randomness only has to differ between calls, not resist anyone: it is the standard
//! library's SipHash with a per-process random key (the one `HashMap` uses) over a counter.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

static SEED: LazyLock<RandomState> = LazyLock::new(RandomState::new);
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A uniform value in `[0, 1)`.
pub(crate) fn unit() -> f64 {
    let bits = SEED.hash_one(COUNTER.fetch_add(1, Ordering::Relaxed));
    // The top 53 bits, as many as an f64 holds exactly.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::policy::Jitter;
    use std::time::Duration;

    const HOUR: Duration = Duration::from_secs(3600);
    const TENTH: Jitter = Jitter {
        fraction: 0.1,
        draw: unit,
    };

    #[test]
    fn draws_stay_in_the_unit_interval() {
        for _ in 0..10_000 {
            let draw = unit();
            assert!((0.0..1.0).contains(&draw), "{draw}");
        }
    }

    #[test]
    fn a_jittered_ttl_stays_within_the_fraction_below_the_ttl() {
        for _ in 0..10_000 {
            let ttl = TENTH.apply(HOUR);
            assert!(ttl <= HOUR && ttl >= HOUR.mul_f64(0.9), "{ttl:?}");
        }
    }

    #[test]
    fn jittered_ttls_spread_over_the_range() {
        let ttls: Vec<Duration> = (0..1000).map(|_| TENTH.apply(HOUR)).collect();
        let (min, max) = (ttls.iter().min().unwrap(), ttls.iter().max().unwrap());
        // 1000 uniform draws leave the ends of the 360 s range within a few seconds.
        assert!(*max - *min > Duration::from_secs(300), "{min:?}..{max:?}");
        let distinct: std::collections::HashSet<_> = ttls.iter().map(|t| t.as_secs()).collect();
        assert!(distinct.len() > 200, "{} distinct seconds", distinct.len());
    }
}
