//! Talking to Redis: the compare-and-set scripts (`scripts.rs`), the commands that carry the
//! core's steps and the decoding of their replies, written once for both fronts
//! (`commands.rs`), how a request travels (`request.rs`), the two executors over the state
//! both fronts share (`store.rs`), connections (`connection.rs`), and cluster slots
//! (`slot.rs`).

pub(crate) mod commands;
pub(crate) mod connection;
pub(crate) mod request;
pub(crate) mod scripts;
pub(crate) mod slot;
pub(crate) mod store;
