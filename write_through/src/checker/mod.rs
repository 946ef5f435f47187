//! An exhaustive model checker for the protocol's core.
//!
//! **What runs.** The decisions are the real ones: `core::write::Write` (`new`, `next_lock`,
//! `on_lock`, `on_outcome`, `refused`), `after_publish`, `restoration`, `core::read`
//! (`interpret`, `plan_read`, `answer`, `fill_for`, `row_value`) and `core::txn::Frame`
//! (`end`, `end_inside`), and for cached collections `core::collection` (`interpret`, `plan`,
//! `entry_fill`, `kept_entry`), fed real envelopes of a small [`item::Item`] model (a child
//! with a parent, for the collections). Around them:
//! - [`redis_model`]: Redis as a map key -> (bytes, expiry tick) with exactly the semantics
//!   of the scripts `LOCK`, `PUBLISH`, `RESTORE`, `INVALIDATE`, `DELETE_IF`, `FILL`, the
//!   lease (`SET NX PX`) and `GET`, and for collections `READ_COLLECTIONS` (an entry and its
//!   members' rows, one instant), `LEASE_IF` and `SETTLE_MANY`; keys expire as a logical clock
//!   ticks;
//! - [`db_model`]: the committed version of each row; a write commits, does not (also after
//!   its statement returned the row: a commit refused at `COMMIT`), or has an unknown outcome
//!   (committed or not, the client saw an error);
//! - [`actors`]: writers, readers, transactions (with savepoints) and the hand-written
//!   pattern, as step machines doing one Redis command or one database action per step, in
//!   the order the blocking front does them; for collections, a `save` that moves a child
//!   (locking its row and its new parent's collection), an `update` through a form (which
//!   invalidates the new parent's collection after its commit), a `delete`, and a lister
//!   (`find_all_by` of one parent: read, leases, load, fill);
//! - [`feed`]: a write by hand (no lock, no Redis command) and the change feed's `INVALIDATE`
//!   of its key (and of its new parent's collection), at any point after its commit, maybe
//!   twice (at-least-once delivery);
//! - [`state`]: the whole system and its moves: any actor's next step (each way it can go:
//!   every database outcome, a process dying after its commit), a tick, Redis restarting
//!   empty.
//!
//! **What is checked** ([`properties`]): (a) per-key linearizability of reads against writes
//! (the rule of `tests/src/history.rs::stale_reads`; a read that starts between a write by
//! hand's commit and the feed's invalidation may return what a read could before the commit,
//! and nothing else), (b) at the end every key holds its row, its absence, or what expires
//! into a miss (guarantee 6), (c) nothing uncommitted is ever cached or read (guarantee 5),
//! (d) a failed write leaves the cache as it was (guarantee 1); for collections, (a) a listing
//! returns the database's members of its parent at an instant of its call, and (b) at the end
//! no entry misses a member and none answers other than the database.
//!
//! **How** ([`explore`]): breadth-first over every interleaving with a visited-state set, so
//! a counterexample is a shortest one, printed as a numbered trace. Mutation tests
//! ([`scenarios`]) assert it finds one when `PUBLISH` or `FILL` (or `SETTLE_MANY`) loses its
//! compare, when the feed's invalidation spares a reader's lease, for the hand-written
//! pattern, and for collections when a `save` skips its collection's lock, puts back an entry
//! that did not list its row, or a lister trusts the entry's members without their rows.
//!
//! **Not modelled.** Redis unreachable mid-operation (owed invalidations live in
//! `redis/store.rs`, not the core), a process's single-flight of readers (each reader is its
//! own process here, the harder case), batches (`core::batch`), and row locks in the database
//! (two writers' database steps are simply atomic, in either order). For collections: an
//! order column (every member's order value is empty), a collection over its cap, a listing
//! of several parents at once or inside a transaction, a Redis Cluster's two-step read, a
//! `create` (a `save` of a row that had none stands for it), writes in a transaction, and
//! `update` inside its own transaction (marks, `RETIRES`), which locks the collection.

mod actors;
mod db_model;
mod explore;
mod feed;
mod item;
mod properties;
mod redis_model;
mod scenarios;
mod state;
