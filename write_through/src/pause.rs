//! Test-only pause points: named places in the protocol where a test can stop one operation
//! (on one key), run others, and then let it go on, or make it die there as a crashed process
//! would. Compiled only with the `pause-points` feature; without it every point is an empty
//! inline function. Hidden from the rendered API: a test harness, not an interface.
//!
//! In a test (`write_through_tests`, with the feature on):
//!
//! ```text
//! let gate = write_through::pause::arm(write_through::pause::FIND_LOADED, &key);
//! let reader = std::thread::spawn(move || User::find(&mut conn, &cache, &id));
//! gate.wait_until_reached();   // the reader has read the database and not yet filled
//! user.save(&mut conn2, &cache)?;
//! gate.release();
//! ```

/// After a writer locked its key, before the database write.
pub const WRITE_LOCKED: &str = "write:locked";
/// After a write's statements ran in a transaction of the write's own (a write marked for the
/// feed, or one of a model that retires other models' rows), before its commit.
pub const WRITE_WROTE: &str = "write:wrote";
/// After the database committed a write, before it is published to Redis.
pub const WRITE_COMMITTED: &str = "write:committed";
/// After a reader read the database, before it fills the cache (`find_by_<field>`: keyed by
/// the index entry's key).
pub const FIND_LOADED: &str = "find:loaded";
/// After a reader read a value from Redis, before it installs it in the in-process tier.
pub const FIND_READ: &str = "find:read";
/// After an invalidation that could not reach Redis was recorded as owed, before its key is
/// retired from the in-process tier.
pub const INVALIDATION_OWED: &str = "invalidation:owed";
/// The in-process tier's subscriber, before each heartbeat (keyed by its channel,
/// `{namespace}:local`): holding it there stalls the thread as starvation would.
pub const LOCAL_HEARTBEAT: &str = "local:heartbeat";
/// A change feed's start-over on a Redis Cluster, after it scanned one master (keyed by the
/// master's first slot, in decimal), before the next.
pub const FEED_MASTER_SCANNED: &str = "feed:master-scanned";
/// Inside `Cache::transaction`, after the commit, before publishing.
pub const TRANSACTION_COMMITTED: &str = "transaction:committed";

#[cfg(feature = "pause-points")]
pub use enabled::{Gate, arm};

#[cfg(feature = "pause-points")]
pub(crate) use enabled::reach;

/// Does nothing: pause points are compiled out.
#[cfg(not(feature = "pause-points"))]
#[inline(always)]
pub(crate) fn reach(_point: &'static str, _key: &[u8]) {}

#[cfg(feature = "pause-points")]
mod enabled {
    use std::collections::HashMap;
    use std::sync::{Arc, Condvar, LazyLock, Mutex};
    use std::time::Duration;

    #[derive(Default)]
    struct State {
        reached: bool,
        verdict: Option<Verdict>,
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Verdict {
        Go,
        Die,
    }

    #[derive(Default)]
    struct Shared {
        state: Mutex<State>,
        changed: Condvar,
    }

    /// One armed pause point; dropping it releases a paused operation.
    pub struct Gate {
        point: &'static str,
        key: Vec<u8>,
        shared: Arc<Shared>,
    }

    type Armed = HashMap<(&'static str, Vec<u8>), Arc<Shared>>;
    static ARMED: LazyLock<Mutex<Armed>> = LazyLock::new(Default::default);

    /// Arms `point` for the next operation on `key` (a full Redis key) to reach it.
    pub fn arm(point: &'static str, key: &[u8]) -> Gate {
        let shared = Arc::new(Shared::default());
        ARMED
            .lock()
            .unwrap()
            .insert((point, key.to_vec()), shared.clone());
        Gate {
            point,
            key: key.to_vec(),
            shared,
        }
    }

    impl Gate {
        /// Blocks until an operation stopped at the point; panics after 10 s.
        pub fn wait_until_reached(&self) {
            let state = self.shared.state.lock().unwrap();
            let (state, timeout) = self
                .shared
                .changed
                .wait_timeout_while(state, Duration::from_secs(10), |s| !s.reached)
                .unwrap();
            assert!(
                !timeout.timed_out() || state.reached,
                "nothing reached {}",
                self.point
            );
        }

        /// Lets the paused operation go on.
        pub fn release(self) {
            self.decide(Verdict::Go);
        }

        /// Makes the paused operation panic where it stands, as if its process died there.
        pub fn die(self) {
            self.decide(Verdict::Die);
        }

        fn decide(&self, verdict: Verdict) {
            let mut state = self.shared.state.lock().unwrap();
            state.verdict.get_or_insert(verdict);
            self.shared.changed.notify_all();
        }
    }

    impl Drop for Gate {
        fn drop(&mut self) {
            let mut armed = ARMED.lock().unwrap();
            let entry = (self.point, std::mem::take(&mut self.key));
            // Only this gate's: a gate armed since for the same point and key stays armed.
            if armed
                .get(&entry)
                .is_some_and(|shared| Arc::ptr_eq(shared, &self.shared))
            {
                armed.remove(&entry);
            }
            drop(armed);
            self.decide(Verdict::Go);
        }
    }

    /// Called by the protocol at each point.
    pub(crate) fn reach(point: &'static str, key: &[u8]) {
        let Some(shared) = ARMED.lock().unwrap().remove(&(point, key.to_vec())) else {
            return;
        };
        let mut state = shared.state.lock().unwrap();
        state.reached = true;
        shared.changed.notify_all();
        let state = shared
            .changed
            .wait_while(state, |s| s.verdict.is_none())
            .unwrap();
        if state.verdict == Some(Verdict::Die) {
            drop(state);
            panic!("write_through test: the operation died at pause point {point}");
        }
    }
}
