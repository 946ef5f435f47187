//! Talking to Redis: the compare-and-set scripts, the commands that carry the core's steps and
//! the decoding of their replies (`store.rs`), pooled connections with bounded timeouts
//! (`connection.rs`), and cluster slots (`slot.rs`).

pub(crate) mod connection;
pub(crate) mod scripts;
pub(crate) mod slot;
pub(crate) mod store;
