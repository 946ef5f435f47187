//! Sharded generation counters: the in-process tier's version of a lease.
//!
//! Every write (and every invalidation received from another process) bumps the generation of
//! its key's shard. A reader takes the generation *before* it reads Redis, and its entry carries
//! it; an entry is served only while its shard's generation is still the one it was read under.
//! So a value read before a write began can never be served after that write's bump, whether
//! the reader installed it before or after the bump: no lock is needed between the check and
//! the insert. Keys share shards, so a write may also retire an unrelated entry of its shard:
//! a spurious miss, never a stale hit.

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// How many shards: 4096 counters (32 KiB), so that a write retires on average one entry in
/// 4096 besides its own.
const SHARDS: usize = 4096;

pub(crate) struct Generations {
    shards: Box<[AtomicU64]>,
}

impl Default for Generations {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl Generations {
    /// The current generation of `key`'s shard.
    pub(crate) fn of(&self, key: &[u8]) -> u64 {
        self.shards[shard(key)].load(SeqCst)
    }

    /// Retires every entry of `key`'s shard read before now.
    pub(crate) fn bump(&self, key: &[u8]) {
        self.shards[shard(key)].fetch_add(1, SeqCst);
    }
}

/// rapidhash, unseeded: the spread only needs to be even, not secret (a key that shares a
/// shard costs a spurious miss, never a stale hit). Word at a time, it costs a hit a few
/// nanoseconds where FNV-1a, byte at a time, cost it twenty.
fn shard(key: &[u8]) -> usize {
    (rapidhash::v3::rapidhash_v3(key) % SHARDS as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_spread_evenly_over_the_shards() {
        let mut counts = vec![0u32; SHARDS];
        for i in 0..(SHARDS * 64) {
            counts[shard(format!("wt:user:{i}").as_bytes())] += 1;
        }
        // 64 a shard on average; a fair spread keeps every shard within a factor of four of it.
        assert!(
            counts.iter().all(|&n| (16..=128).contains(&n)),
            "{counts:?}"
        );
    }

    #[test]
    fn a_bump_changes_the_generation_of_its_key_only_within_its_shard() {
        let generations = Generations::default();
        let before = generations.of(b"wt:user:1");
        generations.bump(b"wt:user:1");
        assert_ne!(generations.of(b"wt:user:1"), before);
        let other = (0..10_000)
            .map(|i| format!("wt:user:{i}").into_bytes())
            .find(|k| shard(k) != shard(b"wt:user:1"))
            .unwrap();
        assert_eq!(generations.of(&other), 0);
    }
}
