//! A write that bypasses the library, and the change feed that invalidates it.
//!
//! The writer is SQL by hand (a migration, a script, another service): it commits a new
//! version of one row in one atomic step, taking no lock and touching no Redis key. The feed
//! reads the database's committed changes (logical decoding) and, for each, runs `INVALIDATE`
//! on the row's key, the script `cache.invalidate` runs: some time after the commit, never
//! before it, and possibly again (at-least-once delivery: a consumer that died mid-batch
//! re-reads from its last confirmed position). Each delivery is a step of its own, so the
//! explorer puts it anywhere after the commit, among every other actor's steps; the first
//! delivery right after the commit is one of those interleavings.
//!
//! The commit is the whole write as its client sees it (start, commit and return are one
//! step): the tightest history such a write can have. A real statement takes time, and a
//! write that starts earlier supersedes less, one that returns later is superseded later (see
//! `properties.rs`), so what holds for this one holds for every real one. What the write supersedes waits for the feed's first delivery:
//! until then the cache has not heard of the commit, and a read may return the version just
//! before it
//! ([`History::invalidated_by_the_feed`](super::properties::History::invalidated_by_the_feed)).
//!
//! The feed sees the library's own commits too (it reads every change to a cached table).
//! A scenario may give a library writer's version its deliveries, which then wait for that
//! writer's commit, if it comes: see `the_feed_closes_the_known_gap` in `scenarios.rs`.
//!
//! A delivery the feed could not make because Redis was unreachable is not modelled (the
//! consumer would retry it, which is one more delivery, later), nor are other keys: a change
//! touches one row, and the feed's ordering across rows decides nothing for one key.
//!
//! In the collection scenarios a change also names the collection of the row's new parent
//! (`feed/keys.rs` `collection`): each delivery then invalidates that collection's key, then
//! the row's, one `INVALIDATE` per step (`invalidate_many` sends them in the batch's order,
//! its keys sorted, where a collection's sorts first; nothing makes the two one instant). A
//! delete by hand names no collection (its row key is retired, which readers of the old
//! parent see). The window in which a listing may return the members as they were before the
//! commit lasts until the first delivery's last key ([`History::open_window`]).
//!
//! [`History::open_window`]: super::properties::History::open_window

use super::actors::{Ctx, change_of, token};
use super::db_model::{Db, Versions, bit};
use super::properties::of_key;
use super::redis_model::Mutation;
use crate::envelope::token_value;

/// What the writer does: commit `version` (of its key, by the scenario's table) by hand; the
/// feed then delivers its invalidation `deliveries` times (1, or 2 for a redelivery).
#[derive(Debug, Clone)]
pub(crate) struct Bypass {
    pub(crate) key: usize,
    pub(crate) version: u8,
    pub(crate) deliveries: u8,
    /// Whether this actor commits `version` by hand; if not, a library writer of the scenario
    /// does (or not: then nothing is delivered), and this actor is only the feed's deliveries.
    pub(crate) by_hand: bool,
    /// For a library writer's commit: the writer (its actor), when its write is marked in the log
    /// (`feed::mark`): the feed then leaves the key alone when it holds that writer's lock or
    /// the value it publishes.
    pub(crate) marked_by: Option<usize>,
    /// The parent (by index) whose collection the change names too: the row's new parent.
    pub(crate) collection: Option<usize>,
}

/// Where the writer and its feed events are.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum BypassWriter {
    /// Not committed yet.
    Commit,
    /// In the log and delivered, not visible yet ([`Mutation::FeedBeforeVisible`] only).
    Logged,
    /// Committed; `delivered` invalidations have run. `before_it`: the versions the write
    /// supersedes once the first one has (nothing, after it). `collection_done`: the current
    /// delivery has invalidated the collection key, not yet the row's.
    Feed {
        delivered: u8,
        before_it: Versions,
        collection_done: bool,
    },
}

impl BypassWriter {
    pub(crate) fn new(spec: &Bypass) -> Self {
        if spec.by_hand {
            BypassWriter::Commit
        } else {
            BypassWriter::Feed {
                delivered: 0,
                before_it: 0,
                collection_done: false,
            }
        }
    }

    /// Whether the next step can happen: the feed delivers nothing before the commit.
    pub(crate) fn ready(&self, spec: &Bypass, db: &Db) -> bool {
        spec.by_hand || db.ever & bit(spec.version) != 0
    }

    /// Performs the next step; returns what it did and whether the writer and its feed are
    /// done.
    pub(crate) fn step(&mut self, spec: &Bypass, ctx: &mut Ctx<'_>) -> (String, bool) {
        let world = ctx.world;
        let k = spec.key;
        match self {
            BypassWriter::Commit if world.mutation == Mutation::FeedBeforeVisible => {
                let reply = ctx.redis.feed_invalidate(&world.keys[k], world.mutation);
                *self = BypassWriter::Logged;
                let label = format!(
                    "feed: INVALIDATE key {k} -> {reply} (v{} in the log, not visible yet)",
                    spec.version
                );
                (label, false)
            }
            BypassWriter::Logged => {
                let before_it = ctx.history.write_started(of_key(&world.table, k));
                ctx.db.commit(k, spec.version);
                ctx.history.committed_by_hand(bit(spec.version));
                // Delivered already: from now on nothing is to retire what it superseded.
                ctx.history.invalidated_by_the_feed(before_it);
                let label = format!("database: v{} visible (delivered before)", spec.version);
                (label, true)
            }
            BypassWriter::Commit => {
                let before_it = ctx.history.write_started(of_key(&world.table, k));
                if world.parents > 0 {
                    ctx.history.open_window(spec.version, &ctx.db.rows);
                }
                ctx.db.commit(k, spec.version);
                ctx.history.committed_by_hand(bit(spec.version));
                *self = BypassWriter::Feed {
                    delivered: 0,
                    before_it,
                    collection_done: false,
                };
                let label = format!("database (by hand, no lock): v{} Commit", spec.version);
                (label, false)
            }
            BypassWriter::Feed {
                delivered,
                collection_done,
                ..
            } if !*collection_done && spec.collection.is_some() => {
                let c = world.collection(spec.collection.unwrap_or_default());
                let reply = ctx.redis.feed_invalidate(&world.keys[c], world.mutation);
                *collection_done = true;
                let label = format!(
                    "feed: INVALIDATE {} -> {reply} (delivery {} of {})",
                    world.name(c),
                    *delivered + 1,
                    spec.deliveries
                );
                (label, false)
            }
            BypassWriter::Feed {
                delivered,
                before_it,
                collection_done,
            } => {
                *collection_done = false;
                if *delivered == 0 && world.parents > 0 {
                    ctx.history.close_window(spec.version);
                }
                let key = &world.keys[k];
                let reply = match spec.marked_by {
                    Some(writer) => {
                        let lock = token_value(false, &token(writer));
                        let published = change_of(world, spec.version);
                        let published = published.as_ref().map(|(value, _)| value.as_slice());
                        ctx.redis.feed_invalidate_unless_written(
                            key,
                            &lock,
                            published,
                            world.mutation,
                        )
                    }
                    None => ctx.redis.feed_invalidate(key, world.mutation),
                };
                // The first delivery ends the window in which the cache has not heard of the
                // commit; a redelivery ends nothing more.
                ctx.history.invalidated_by_the_feed(*before_it);
                *before_it = 0;
                *delivered += 1;
                let script = if spec.marked_by.is_some() {
                    "INVALIDATE_UNLESS_WRITTEN"
                } else {
                    "INVALIDATE"
                };
                let label = format!(
                    "feed: {script} key {k} -> {reply} (delivery {delivered} of {})",
                    spec.deliveries
                );
                (label, *delivered == spec.deliveries)
            }
        }
    }
}
