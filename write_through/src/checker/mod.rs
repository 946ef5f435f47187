//! An exhaustive model checker for the protocol's core.
//!
//! **What runs.** The decisions are the real ones: `core::write::Write` (`new`, `next_lock`,
//! `on_lock`, `on_outcome`, `refused`), `after_publish`, `restoration`, `core::read`
//! (`interpret`, `plan_read`, `answer`, `fill_for`, `row_value`) and `core::txn::Frame`
//! (`end`, `end_inside`), fed real envelopes of a small [`item::Item`] model. Around them:
//! - [`redis_model`]: Redis as a map key -> (bytes, expiry tick) with exactly the semantics
//!   of the scripts `LOCK`, `PUBLISH`, `RESTORE`, `INVALIDATE`, `DELETE_IF`, `FILL`, the
//!   lease (`SET NX PX`) and `GET`; keys expire as a logical clock ticks;
//! - [`db_model`]: the committed version of each row; a write commits, does not (also after
//!   its statement returned the row: a commit refused at `COMMIT`), or has an unknown outcome
//!   (committed or not, the client saw an error);
//! - [`actors`]: writers, readers, transactions (with savepoints) and the hand-written
//!   pattern, as step machines doing one Redis command or one database action per step, in
//!   the order the blocking front does them;
//! - [`feed`]: a write by hand (no lock, no Redis command) and the change feed's `INVALIDATE`
//!   of its key, at any point after its commit, maybe twice (at-least-once delivery);
//! - [`state`]: the whole system and its moves: any actor's next step (each way it can go:
//!   every database outcome, a process dying after its commit), a tick, Redis restarting
//!   empty.
//!
//! **What is checked** ([`properties`]): (a) per-key linearizability of reads against writes
//! (the rule of `tests/src/history.rs::stale_reads`; a read that starts between a write by
//! hand's commit and the feed's invalidation may return what a read could before the commit,
//! and nothing else), (b) at the end every key holds its row, its absence, or what expires
//! into a miss (guarantee 6), (c) nothing uncommitted is ever cached or read (guarantee 5),
//! (d) a failed write leaves the cache as it was (guarantee 1).
//!
//! **How** ([`explore`]): breadth-first over every interleaving with a visited-state set, so
//! a counterexample is a shortest one, printed as a numbered trace. Mutation tests
//! ([`scenarios`]) assert it finds one when `PUBLISH` or `FILL` loses its compare, when the
//! feed's invalidation spares a reader's lease, and for the hand-written pattern.
//!
//! **Not modelled.** Redis unreachable mid-operation (owed invalidations live in
//! `redis/store.rs`, not the core), a process's single-flight of readers (each reader is its
//! own process here, the harder case), batches (`core::batch`), and row locks in the database
//! (two writers' database steps are simply atomic, in either order).

mod actors;
mod db_model;
mod explore;
mod feed;
mod item;
mod properties;
mod redis_model;
mod scenarios;
mod state;
