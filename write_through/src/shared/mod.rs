//! State a `Cache` holds for every front: the circuit breaker in front of Redis, the
//! invalidations owed to it, the transactions open on each connection, and the single flight
//! that lets concurrent misses of one key share one database load (the counters live in
//! `stats.rs`); and how the blocking front runs the drivers' futures (`ready`).

pub(crate) mod breaker;
pub(crate) mod flight;
pub(crate) mod frames;
pub(crate) mod owed;
pub(crate) mod ready;
