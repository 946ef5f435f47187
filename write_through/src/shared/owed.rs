//! Invalidations owed to Redis: keys whose invalidation could not be delivered, and which may
//! therefore still hold a value older than their row. Until they are delivered no other command
//! may run (see `redis/store.rs`), on either front.
//!
//! Each key carries the generation at which it was last owed. A delivery takes a snapshot and,
//! once Redis confirmed it, forgets only the keys whose generation is still the snapshot's: a
//! key owed again while the delivery was on its way (its write failed to publish after our
//! `INVALIDATE` ran) stays owed. A delivery that fails, or whose future is dropped, forgets
//! nothing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

#[derive(Default)]
pub(crate) struct Owed {
    keys: Mutex<HashMap<Vec<u8>, u64>>,
    /// `keys.len()`, readable without the lock on every command.
    len: AtomicUsize,
    generation: AtomicU64,
}

/// The keys owed when a delivery started, with their generations.
pub(crate) struct Snapshot {
    entries: Vec<(Vec<u8>, u64)>,
}

impl Snapshot {
    pub(crate) fn keys(&self) -> Vec<Vec<u8>> {
        self.entries.iter().map(|(key, _)| key.clone()).collect()
    }
}

impl Owed {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u8>, u64>> {
        self.keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Remembers a key that must be invalidated before Redis serves anything else.
    pub(crate) fn owe(&self, key: Vec<u8>) {
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        let mut keys = self.lock();
        keys.insert(key, generation);
        self.len.store(keys.len(), Ordering::Release);
    }

    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// What is owed now; `None` when nothing is.
    pub(crate) fn snapshot(&self) -> Option<Snapshot> {
        if self.len() == 0 {
            return None;
        }
        let keys = self.lock();
        let entries: Vec<(Vec<u8>, u64)> = keys.iter().map(|(k, &g)| (k.clone(), g)).collect();
        (!entries.is_empty()).then_some(Snapshot { entries })
    }

    /// Redis confirmed the snapshot's invalidations: forgets the keys not owed again since.
    /// Returns how many were forgotten.
    pub(crate) fn delivered(&self, snapshot: Snapshot) -> u64 {
        let mut keys = self.lock();
        let mut forgotten = 0;
        for (key, generation) in snapshot.entries {
            if keys.get(&key) == Some(&generation) {
                keys.remove(&key);
                forgotten += 1;
            }
        }
        self.len.store(keys.len(), Ordering::Release);
        forgotten
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivered_snapshot_forgets_its_keys() {
        let owed = Owed::default();
        owed.owe(b"a".to_vec());
        owed.owe(b"b".to_vec());
        let snapshot = owed.snapshot().unwrap();
        assert_eq!(owed.delivered(snapshot), 2);
        assert_eq!(owed.len(), 0);
        assert!(owed.snapshot().is_none());
    }

    #[test]
    fn a_key_owed_again_during_its_delivery_stays_owed() {
        let owed = Owed::default();
        owed.owe(b"a".to_vec());
        let snapshot = owed.snapshot().unwrap();
        owed.owe(b"a".to_vec()); // another write failed to publish while the delivery flew
        owed.owe(b"b".to_vec());
        assert_eq!(owed.delivered(snapshot), 0);
        let mut left = owed.snapshot().unwrap().keys();
        left.sort();
        assert_eq!(left, [b"a".to_vec(), b"b".to_vec()]);
    }

    #[test]
    fn a_dropped_delivery_forgets_nothing() {
        let owed = Owed::default();
        owed.owe(b"a".to_vec());
        drop(owed.snapshot());
        assert_eq!(owed.len(), 1);
    }
}
