//! The protocol's decisions, apart from the I/O that carries them (in the manner of
//! quinn-proto): each part is a value that is fed what Redis and the database answered and
//! returns what to send next. The fronts perform the steps; they decide nothing.
//!
//! - [`batch`]: the `find_many` plan: grouping, what each reply means, what a load sends.
//! - [`collection`]: cached collections: what an entry and its members' rows mean, what a fill
//!   writes.
//! - [`index`]: unique-index entries: what an entry read means, what a fill and a write put there.
//! - [`key`]: the Redis key of a row.
//! - [`policy`]: the settings decisions follow (write policy, value size, TTL spread), passed in.
//! - [`read`]: a `GET` reply -> hit / lease and load / await a fill / read around; the fill.
//! - [`write`]: a write over a set of keys: lock -> database outcome -> publish / delete /
//!   put back / owe; and the one mapping of errors to a database outcome.
//! - [`txn`]: a transaction frame (locked keys, changes, taint, depth) and what its end sends.
//!
//! Nothing here does I/O, reads a clock, waits, spawns threads, keeps state per thread or per
//! process, counts or logs: no Redis or Diesel connection types, no clock, no waiting. Time and
//! randomness, when a decision needs them, are passed in; what happened (a row that cannot be
//! cached, a publish to count) is returned, and the drivers count and log it. It imports only
//! the data it decides about (`tests/layers.rs`). This is enforced from outside the directory by `tests/core_boundary.rs`, which
//! reads every file here and fails on any name that means I/O, a clock or a thread outside of
//! test code; `cargo test -p write_through` runs it.

pub(crate) mod batch;
pub(crate) mod collection;
pub(crate) mod index;
pub(crate) mod key;
pub(crate) mod policy;
pub(crate) mod read;
pub(crate) mod txn;
pub(crate) mod write;
