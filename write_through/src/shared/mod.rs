//! State a `Cache` holds for every front: the circuit breaker in front of Redis and the single
//! flight that lets concurrent misses of one key share one database load. (The owed
//! invalidations and the counters still live in `redis/store.rs` and `stats.rs`.)

pub(crate) mod breaker;
pub(crate) mod flight;
