//! The actors: step machines, one Redis command or one database action per step, that perform
//! what the real core decides. They mirror the drivers both fronts run (`drive/mod.rs` `find`,
//! `write`, `lease_and_load`; `drive/steps.rs`; `drive/transaction.rs`), which decide
//! nothing themselves, and decide nothing either: every decision is a call into `crate::core`.
//!
//! The core's `Write` and `Frame` are neither `Clone` nor `Hash`, and the explorer must copy
//! and compare states. So an actor keeps what it has fed the core (its lock replies, its
//! transaction's events) and rebuilds the core value by replaying them before each decision:
//! the core is deterministic, so the replayed value is the one the front would hold. What the
//! core answered once (the steps after an outcome, whose order may follow a `HashMap`) is kept
//! as it was answered.
//!
//! Also here: the hand-written pattern (write the database then `SET`; `GET`, on a miss load
//! then `SET`), whose actors the mutation tests run to see the checker catch it; and the
//! reader of a cached collection (`drive/collection.rs` `find_all_by`, for one parent), whose
//! decisions are `core::collection`'s `interpret`, `plan` and `entry_fill`. A `save` of a child
//! is a [`Spec::Writer`] whose keys are the row's and its (new) parent's collection
//! (`drive/mod.rs` `save`: the collection is locked last; after the commit it gets back the
//! entry its lock replaced if that listed the row, by `core::collection::kept_entry`, and is
//! deleted otherwise).

use std::time::Duration;

use super::db_model::{Db, Outcome, VersionInfo, Versions, bit, show_versions};
use super::feed::{Bypass, BypassWriter};
use super::item::{Item, RULES};
use super::item::{parent_id, parent_name};
use super::properties::{History, Listing, check_read, of_key};
use super::redis_model::{Mutation, Redis, TICK_MS};
use crate::cache::WritePolicy;
use crate::core::collection::{self, CollectionPlan, CollectionState};
use crate::core::read::{self, AfterPoll, CachedState, ReadPlan};
use crate::core::txn::{End, Frame};
use crate::core::write::{
    AfterLock, AfterPublish, Change, DELETION_TTL, DbOutcome, LockReply, Published, Step, Write,
    after_publish, restoration,
};
use crate::envelope::token_value;

/// The lock TTL (the library's default) and the lease TTL.
pub(crate) const LOCK_TTL: Duration = Duration::from_secs(10);
pub(crate) const LEASE_TTL: Duration = Duration::from_secs(2);

/// What an actor does.
#[derive(Debug, Clone)]
pub(crate) enum Spec {
    /// `save` or `delete` (by the version's kind) of one version per key, locking `keys` in
    /// order; the database step ends in one of `outcomes`; `may_crash`: the process may also
    /// die right after its commit.
    Writer {
        keys: Vec<usize>,
        versions: Vec<u8>,
        outcomes: Vec<Outcome>,
        may_crash: bool,
        policy: WritePolicy,
        /// `update` through a form (`drive/mod.rs` `update`): the row's parent is known only
        /// from the row its statement returns, which is then locked before the commit of the
        /// update's own transaction (nothing outside sees the statement before its commit, so
        /// locking it with the row's key is the same history); after the commit it is deleted,
        /// never put back (`Written::kept` is `save`'s).
        form: bool,
    },
    /// `find` of one key.
    Reader { key: usize },
    /// `cache.transaction`: its writes, then its end.
    /// `trusted`: whether a commit on the backend proves the writes (false on MySQL).
    Transaction {
        ops: Vec<TxnOp>,
        outcomes: Vec<Outcome>,
        trusted: bool,
    },
    /// The hand-written pattern's write: the database, then `SET` (or `DEL`).
    NaiveWriter { key: usize, version: u8 },
    /// The hand-written pattern's read: `GET`; on a miss load, then `SET`.
    NaiveReader { key: usize },
    /// A write that bypasses the library (SQL by hand), then `cache.invalidate` (`INVALIDATE`).
    Invalidator { key: usize, version: u8 },
    /// A write that bypasses the library and leaves the cache to the change feed.
    Bypass(Bypass),
    /// `find_all_by_parent` of one parent (by index).
    Lister { parent: usize },
}

/// A write inside a transaction.
#[derive(Debug, Clone)]
pub(crate) enum TxnOp {
    /// A write in the transaction itself.
    Write { key: usize, version: u8 },
    /// A write inside a nested `cache.transaction` (a savepoint) that is released or rolled
    /// back.
    Savepoint {
        key: usize,
        version: u8,
        released: bool,
    },
}

/// What is fixed for a run: the scenario's keys and versions, and the mutation.
#[derive(Debug)]
pub(crate) struct World {
    /// The rows' keys (row id = index + 1), then the collection keys of the `parents` parents.
    pub(crate) keys: Vec<Vec<u8>>,
    pub(crate) parents: usize,
    pub(crate) table: Vec<VersionInfo>,
    pub(crate) mutation: Mutation,
    /// Keys whose `LOCK` cannot reach Redis (a fault of the scenario).
    pub(crate) unreachable_locks: Vec<usize>,
}

impl World {
    /// How many row keys there are (the first of `keys`).
    pub(crate) fn rows(&self) -> usize {
        self.keys.len() - self.parents
    }

    /// The index in `keys` of parent `p`'s collection key.
    pub(crate) fn collection(&self, p: usize) -> usize {
        self.rows() + p
    }

    /// A key's name in traces: `key 0` for a row, `collection A` for a parent's collection.
    pub(crate) fn name(&self, k: usize) -> String {
        match k.checked_sub(self.rows()) {
            Some(p) => format!("collection {}", parent_name(parent_id(p))),
            None => format!("key {k}"),
        }
    }
}

/// What an actor's step may touch.
pub(crate) struct Ctx<'a> {
    pub(crate) world: &'a World,
    pub(crate) redis: &'a mut Redis,
    pub(crate) db: &'a mut Db,
    pub(crate) history: &'a mut History,
}

/// What a lock replaced (the drivers' `redis::commands::Replaced`, with a tick for its instant).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Replaced {
    value: Option<Vec<u8>>,
    pttl: i64,
    at: u32,
}

/// A step the core decided, kept as it answered it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Pending {
    Publish(Option<(Vec<u8>, Duration)>),
    Restore(Replaced),
    Nothing,
}

fn pending(steps: Vec<(Vec<u8>, Step<Replaced>)>, world: &World) -> Vec<(usize, Pending)> {
    steps
        .into_iter()
        .map(|(key, step)| {
            let k = key_index(world, &key);
            let step = match step {
                Step::Publish(change) => Pending::Publish(change),
                Step::Restore(replaced) => Pending::Restore(replaced),
                Step::Nothing => Pending::Nothing,
            };
            (k, step)
        })
        .collect()
}

fn key_index(world: &World, key: &[u8]) -> usize {
    world
        .keys
        .iter()
        .position(|k| k == key)
        .expect("a key of the scenario")
}

fn millis(ttl: Duration) -> i64 {
    i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1)
}

/// Actor `i`'s token: 16 bytes, the first naming the actor.
pub(crate) fn token(i: usize) -> [u8; 16] {
    [u8::try_from(i).unwrap_or(u8::MAX); 16]
}

/// The actor a token belongs to.
pub(crate) fn token_name(token: &[u8]) -> String {
    token.first().map_or("?".into(), |i| format!("#{i}"))
}

/// Where an actor is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Actor {
    Writer {
        replies: Vec<Option<Replaced>>,
        phase: WriterPhase,
        before_it: Versions,
    },
    Reader {
        phase: ReaderPhase,
        forbidden: Versions,
    },
    Transaction {
        log: Vec<TxnEvent>,
        next_op: usize,
        phase: TxnPhase,
        before_it: Versions,
    },
    NaiveWriter {
        committed: bool,
        before_it: Versions,
    },
    NaiveReader {
        phase: NaivePhase,
        forbidden: Versions,
    },
    Bypass(BypassWriter),
    Lister {
        phase: ListPhase,
        listing: Listing,
    },
    Done,
    /// The process died (after its commit): it never returns.
    Crashed,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum WriterPhase {
    Lock,
    Database,
    Steps {
        steps: Vec<(usize, Pending)>,
        ok: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ReaderPhase {
    Get,
    DeleteIf(Vec<u8>),
    Lease,
    LookAgain,
    /// Awaiting another's fill or publish; `may_lease`: a key left empty is then leased and
    /// filled (a reader that has not lost a lease yet).
    Poll {
        may_lease: bool,
    },
    LoadWithoutFill,
    Load,
    Fill(Option<Item>),
}

/// Where a listing is (`drive/collection.rs`, one parent).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ListPhase {
    /// Step 1: `READ_COLLECTIONS`, the entry and its members' rows at one instant.
    Read,
    /// Step 2: the leases, one `LEASE_IF` per step (a pipeline: other clients' commands may
    /// run between them). `todo`: the keys left, each with the bytes it must hold (`None`:
    /// nothing); `leased`: the keys leased so far.
    Lease {
        todo: Vec<(usize, Option<Vec<u8>>)>,
        leased: Vec<usize>,
    },
    /// Step 3: the database's members of the parent, at one instant.
    Load { leased: Vec<usize> },
    /// Redis held or could not say: the database, answered without filling.
    LoadWithoutFill,
    /// Step 4: `SETTLE_MANY`'s fills (key, value, TTL in ms), then its releases: two scripts
    /// of one pipeline, so two steps. The answer is known (in the listing).
    Settle {
        fills: Vec<(usize, Vec<u8>, i64)>,
        releases: Vec<usize>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum NaivePhase {
    Get,
    Load,
    Set(Option<Item>),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum TxnEvent {
    Lock(usize, Option<Replaced>),
    Change {
        savepoint: bool,
        key: usize,
        version: u8,
    },
    SavepointEnd {
        released: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum TxnPhase {
    Ops,
    End,
    Steps {
        steps: Vec<(usize, Pending)>,
        ok: bool,
    },
}

impl Actor {
    pub(crate) fn new(spec: &Spec) -> Self {
        match spec {
            Spec::Writer { .. } => Actor::Writer {
                replies: Vec::new(),
                phase: WriterPhase::Lock,
                before_it: 0,
            },
            Spec::Reader { .. } => Actor::Reader {
                phase: ReaderPhase::Get,
                forbidden: 0,
            },
            Spec::Transaction { .. } => Actor::Transaction {
                log: Vec::new(),
                next_op: 0,
                phase: TxnPhase::Ops,
                before_it: 0,
            },
            Spec::NaiveWriter { .. } | Spec::Invalidator { .. } => Actor::NaiveWriter {
                committed: false,
                before_it: 0,
            },
            Spec::NaiveReader { .. } => Actor::NaiveReader {
                phase: NaivePhase::Get,
                forbidden: 0,
            },
            Spec::Bypass(bypass) => Actor::Bypass(BypassWriter::new(bypass)),
            Spec::Lister { .. } => Actor::Lister {
                phase: ListPhase::Read,
                listing: Listing::Seen(Vec::new()),
            },
        }
    }

    /// The database changed (collection scenarios): a listing under way notes its parent's
    /// members.
    pub(crate) fn observe(&mut self, spec: &Spec, world: &World, db: &Db) {
        if let (Actor::Lister { phase, listing }, Spec::Lister { parent }) = (self, spec)
            && *phase != ListPhase::Read
        {
            listing.observe(db.members(&world.table, *parent));
        }
    }

    /// Whether this is a library writer between its first lock and its return (the collection
    /// scenarios' clock does not tick then: see `properties.rs`).
    pub(crate) fn is_writing(&self) -> bool {
        match self {
            Actor::Writer { replies, .. } => !replies.is_empty(),
            Actor::Transaction { log, .. } => !log.is_empty(),
            _ => false,
        }
    }

    /// How many ways the next step can go (0: done, or waiting for a commit).
    pub(crate) fn choices(&self, spec: &Spec, db: &Db) -> usize {
        match (self, spec) {
            (Actor::Done | Actor::Crashed, _) => 0,
            (Actor::Bypass(writer), Spec::Bypass(bypass)) => usize::from(writer.ready(bypass, db)),
            (
                Actor::Writer {
                    phase: WriterPhase::Database,
                    ..
                },
                Spec::Writer {
                    outcomes,
                    may_crash,
                    ..
                },
            ) => outcomes.len() + usize::from(*may_crash),
            (
                Actor::Transaction {
                    phase: TxnPhase::End,
                    ..
                },
                Spec::Transaction { outcomes, .. },
            ) => outcomes.len(),
            _ => 1,
        }
    }

    /// Performs actor `me`'s next step, the `choice`-th way. Returns what it did, or the
    /// property a read broke.
    pub(crate) fn step(
        &mut self,
        me: usize,
        spec: &Spec,
        choice: usize,
        ctx: &mut Ctx<'_>,
    ) -> Result<String, String> {
        match spec {
            Spec::Writer {
                keys,
                versions,
                outcomes,
                may_crash: _,
                policy,
                form,
            } => self.writer(me, keys, versions, outcomes, *policy, *form, choice, ctx),
            Spec::Reader { key } => self.reader(me, *key, ctx),
            Spec::Transaction {
                ops,
                outcomes,
                trusted,
            } => self.transaction(me, ops, outcomes, *trusted, choice, ctx),
            Spec::NaiveWriter { key, version } => self.naive_writer(*key, *version, ctx),
            Spec::NaiveReader { key } => self.naive_reader(*key, ctx),
            Spec::Invalidator { key, version } => self.invalidator(*key, *version, ctx),
            Spec::Bypass(bypass) => {
                let Actor::Bypass(writer) = self else {
                    unreachable!()
                };
                let (label, done) = writer.step(bypass, ctx);
                if done {
                    *self = Actor::Done;
                }
                Ok(label)
            }
            Spec::Lister { parent } => self.lister(me, *parent, ctx),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn writer(
        &mut self,
        me: usize,
        keys: &[usize],
        versions: &[u8],
        outcomes: &[Outcome],
        policy: WritePolicy,
        form: bool,
        choice: usize,
        ctx: &mut Ctx<'_>,
    ) -> Result<String, String> {
        let Actor::Writer {
            replies,
            phase,
            before_it,
        } = self
        else {
            unreachable!()
        };
        let world = ctx.world;
        let lock = token_value(false, &token(me));
        let keys: &[usize] = if world.mutation == Mutation::CollectionWriteSkipsLock {
            // Only the rows' keys (they come first).
            &keys[..keys.iter().filter(|&&k| k < world.rows()).count()]
        } else {
            keys
        };
        // The core's Write, rebuilt from the replies it was fed.
        let rebuild = |replies: &[Option<Replaced>]| {
            let mut write = Write::new(
                policy,
                keys.iter().map(|&k| world.keys[k].clone()).collect(),
            );
            for reply in replies {
                write.on_lock(match reply {
                    Some(r) => LockReply::Locked(r.clone()),
                    None => LockReply::Unreachable,
                });
            }
            write
        };
        match phase {
            WriterPhase::Lock => {
                if replies.is_empty() {
                    let mask = keys.iter().fold(0, |m, &k| m | of_key(&world.table, k));
                    *before_it = ctx.history.write_started(mask);
                }
                let mut write = rebuild(replies);
                let key = write.next_lock().expect("a lock to take").to_vec();
                let k = key_index(world, &key);
                let (reply, label) = if world.unreachable_locks.contains(&k) {
                    let name = world.name(k);
                    (LockReply::Unreachable, format!("LOCK {name}: unreachable"))
                } else {
                    let (value, pttl, contended) = ctx.redis.lock(&key, &lock, millis(LOCK_TTL));
                    let replaced = Replaced {
                        value,
                        pttl,
                        at: ctx.redis.now,
                    };
                    (
                        LockReply::Locked(replaced),
                        format!(
                            "LOCK {}{}",
                            world.name(k),
                            if contended { " (contended)" } else { "" }
                        ),
                    )
                };
                replies.push(match &reply {
                    LockReply::Locked(r) => Some(r.clone()),
                    LockReply::Unreachable => None,
                });
                match write.on_lock(reply) {
                    AfterLock::LockNext => {}
                    AfterLock::WriteDatabase => *phase = WriterPhase::Database,
                    AfterLock::Refuse => {
                        *phase = WriterPhase::Steps {
                            steps: pending(write.refused(), world),
                            ok: false,
                        };
                        return Ok(format!("{label} -> refused"));
                    }
                }
                Ok(label)
            }
            WriterPhase::Database => {
                let write = rebuild(replies);
                let crash = choice == outcomes.len();
                let outcome = if crash {
                    Outcome::Commit
                } else {
                    outcomes[choice]
                };
                if outcome.commits() {
                    for (&k, &v) in keys.iter().zip(versions) {
                        ctx.db.commit(k, v);
                    }
                }
                let names: Vec<String> = versions.iter().map(|v| format!("v{v}")).collect();
                let label = format!("database: {} {outcome:?}", names.join(" "));
                if crash {
                    *self = Actor::Crashed;
                    return Ok(format!("{label}, then the process dies"));
                }
                let now = ctx.redis.now;
                let committed = || {
                    let mut changes: Vec<Change> =
                        versions.iter().map(|&v| change_of(world, v)).collect();
                    // `drive/mod.rs` `write_row`: each collection it locked (after the row's
                    // key; the row as stored is in it) gets back the entry its lock replaced
                    // if that listed the row (`core::collection::kept_entry`), with the time it
                    // had left; else it is deleted.
                    for (at, &k) in keys.iter().enumerate() {
                        let Some(replaced) =
                            write.replaced(at).filter(|_| k >= world.rows() && !form)
                        else {
                            continue;
                        };
                        // What the driver's `Replaced::restoration` gives.
                        let elapsed = Duration::from_millis(
                            u64::from(now - replaced.at) * TICK_MS.unsigned_abs(),
                        );
                        let (value, left) =
                            restoration(replaced.value.as_deref(), replaced.pttl, elapsed);
                        changes.resize(changes.len().max(at + 1), None);
                        let left = Duration::from_millis(left);
                        changes[at] = if world.mutation == Mutation::CollectionKeptWithoutTheRow {
                            let listed = matches!(
                                crate::envelope::Envelope::parse(value),
                                Ok(crate::envelope::Envelope::Members { .. })
                            );
                            (listed && !left.is_zero()).then(|| (value.to_vec(), left))
                        } else {
                            collection::kept_entry(value, left, &world.keys[keys[0]])
                        };
                    }
                    DbOutcome::Committed(changes)
                };
                // The fronts read every statement to its end, so a refusal after the row is
                // the statement's error; the mutation stops at the row.
                let first_row_only = world.mutation == Mutation::PublishOnFirstRow;
                let db_outcome = match outcome {
                    Outcome::Commit => committed(),
                    Outcome::RefusedAfterRow if first_row_only => committed(),
                    Outcome::NotCommitted | Outcome::RefusedAfterRow => DbOutcome::NotCommitted,
                    Outcome::UnknownCommitted | Outcome::UnknownNotCommitted => DbOutcome::Unknown,
                    Outcome::SessionWentOn => unreachable!("only for transactions"),
                };
                // The caller sees Ok exactly when the front took the write for committed.
                let ok = matches!(db_outcome, DbOutcome::Committed(_));
                let steps = pending(write.on_outcome(db_outcome), world);
                *phase = WriterPhase::Steps { steps, ok };
                Ok(label)
            }
            WriterPhase::Steps { steps, ok } => {
                let (k, step) = steps.remove(0);
                let label = perform(ctx, &lock, k, step);
                if steps.is_empty() {
                    let all = versions.iter().fold(0, |m, &v| m | bit(v));
                    ctx.history.write_returned(all, *ok, *before_it);
                    let ok = *ok;
                    *self = Actor::Done;
                    return Ok(format!(
                        "{label}; returns {}",
                        if ok { "Ok" } else { "Err" }
                    ));
                }
                Ok(label)
            }
        }
    }

    fn reader(&mut self, me: usize, k: usize, ctx: &mut Ctx<'_>) -> Result<String, String> {
        let Actor::Reader { phase, forbidden } = self else {
            unreachable!()
        };
        let world = ctx.world;
        let key = world.keys[k].clone();
        let lease = token_value(true, &token(me));
        let limit = RULES.max_value_bytes;
        let (label, answer) = match phase.clone() {
            ReaderPhase::Get => {
                *forbidden = ctx.history.superseded;
                let raw = ctx.redis.get(&key);
                let label = format!("GET key {k}");
                match read::plan_read(read::interpret::<Item>(raw.as_deref(), limit), false) {
                    ReadPlan::Answer(answer) => (label, Some(answer)),
                    ReadPlan::LoadWithoutFill => {
                        *phase = ReaderPhase::LoadWithoutFill;
                        (label, None)
                    }
                    ReadPlan::AwaitFill { may_lease } => {
                        *phase = ReaderPhase::Poll { may_lease };
                        (label, None)
                    }
                    ReadPlan::LeaseAndLoad { unreadable } => {
                        *phase = match (unreadable, raw) {
                            (true, Some(bytes)) => ReaderPhase::DeleteIf(bytes),
                            _ => ReaderPhase::Lease,
                        };
                        (label, None)
                    }
                }
            }
            ReaderPhase::DeleteIf(bytes) => {
                ctx.redis.delete_if(&key, &bytes);
                *phase = ReaderPhase::Lease;
                (format!("DELETE_IF key {k} (unreadable)"), None)
            }
            ReaderPhase::Lease => {
                let taken = ctx.redis.lease(&key, &lease, millis(LEASE_TTL));
                *phase = if taken {
                    ReaderPhase::Load
                } else {
                    ReaderPhase::LookAgain
                };
                (format!("SET key {k} lease NX -> {taken}"), None)
            }
            ReaderPhase::LookAgain => {
                let raw = ctx.redis.get(&key);
                let label = format!("GET key {k} (lease lost)");
                match read::plan_read(read::interpret::<Item>(raw.as_deref(), limit), false) {
                    ReadPlan::Answer(answer) => (label, Some(answer)),
                    ReadPlan::AwaitFill { .. } => {
                        *phase = ReaderPhase::Poll { may_lease: false };
                        (label, None)
                    }
                    _ => {
                        *phase = ReaderPhase::LoadWithoutFill;
                        (label, None)
                    }
                }
            }
            ReaderPhase::Poll { may_lease } => {
                // One poll, at any point, stands for the real loop: polls that see the lease
                // or a lock change nothing, and the first that does not is this one. A poll
                // that still sees them stands for the wait's end.
                let raw = ctx.redis.get(&key);
                let label = format!("GET key {k} (awaiting a fill)");
                let state = read::interpret::<Item>(raw.as_deref(), limit);
                match read::after_poll(state, may_lease) {
                    AfterPoll::Answer(answer) => (label, Some(answer)),
                    AfterPoll::Lease => {
                        *phase = ReaderPhase::Lease;
                        (format!("{label}: left empty"), None)
                    }
                    AfterPoll::Wait => {
                        *phase = ReaderPhase::LoadWithoutFill;
                        (format!("{label}: still held"), None)
                    }
                    AfterPoll::GiveUp => {
                        *phase = ReaderPhase::LoadWithoutFill;
                        (label, None)
                    }
                }
            }
            ReaderPhase::LoadWithoutFill => {
                let loaded = load(world, ctx.db, k);
                ("database: load".into(), Some(loaded))
            }
            ReaderPhase::Load => {
                let loaded = load(world, ctx.db, k);
                *phase = ReaderPhase::Fill(loaded);
                ("database: load".into(), None)
            }
            ReaderPhase::Fill(loaded) => {
                let label = match cacheable(read::fill_for(loaded.as_ref(), RULES)) {
                    Some((value, ttl)) => {
                        let filled =
                            ctx.redis
                                .fill(&key, &lease, &value, millis(ttl), world.mutation);
                        format!("FILL key {k} -> {filled}")
                    }
                    None => {
                        ctx.redis.delete_if(&key, &lease);
                        format!("DELETE_IF key {k} (lease)")
                    }
                };
                (label, Some(loaded))
            }
        };
        match answer {
            Some(answer) => {
                let forbidden = *forbidden;
                *self = Actor::Done;
                check_read(&world.table, ctx.db, k, forbidden, answer)?;
                Ok(format!("{label}; returns {}", show(answer)))
            }
            None => Ok(label),
        }
    }

    /// `find_all_by_parent(p)` (`drive/collection.rs` `find_all_by`, one parent, outside a
    /// transaction), deciding by `core::collection`.
    fn lister(&mut self, me: usize, p: usize, ctx: &mut Ctx<'_>) -> Result<String, String> {
        let Actor::Lister { phase, listing } = self else {
            unreachable!()
        };
        let world = ctx.world;
        let lease = token_value(true, &token(me));
        let parent = parent_id(p);
        let name = parent_name(parent);
        let entry_key = world.collection(p);
        let row_key_of = |row: &Item| super::item::key(row.id);
        // `Some(rows)`: it returns, with `rows` if the answer is known only now.
        let (label, ends): (String, Option<Option<Vec<Item>>>) = match phase.clone() {
            ListPhase::Read => {
                *listing = Listing::start(ctx.history, &world.table, ctx.db, p);
                let (entry, rows) = ctx.redis.read_collection(&world.keys[entry_key]);
                let label = format!("READ_COLLECTIONS {name} ({} member rows)", rows.len());
                let trusted = if world.mutation == Mutation::CollectionReaderTrustsMembers {
                    trusted(entry.as_deref(), &rows)
                } else {
                    None
                };
                let row_values: Vec<Option<&[u8]>> = rows.iter().map(Option::as_deref).collect();
                let state = collection::interpret::<Item, 0>(
                    entry.as_deref(),
                    &row_values,
                    &parent,
                    RULES.max_value_bytes,
                    |row: &Item, key: &[u8]| row_key_of(row) == key,
                );
                match (collection::plan(&state, false), state) {
                    _ if trusted.is_some() => {
                        (format!("{label}: all cached, trusted"), Some(trusted))
                    }
                    (CollectionPlan::Answer, CollectionState::Hit(rows)) => {
                        (format!("{label}: hit"), Some(Some(rows)))
                    }
                    (CollectionPlan::LeaseAndLoad { replacing, rows }, state) => {
                        let why = match state {
                            CollectionState::Empty => "empty",
                            CollectionState::Stale { .. } => "stale",
                            _ => "rows missing",
                        };
                        let mut todo = vec![(entry_key, replacing)];
                        todo.extend(rows.iter().map(|key| (key_index(world, key), None)));
                        *phase = ListPhase::Lease {
                            todo,
                            leased: Vec::new(),
                        };
                        (format!("{label}: {why}"), None)
                    }
                    (_, _) => {
                        *phase = ListPhase::LoadWithoutFill;
                        (format!("{label}: held"), None)
                    }
                }
            }
            ListPhase::Lease {
                mut todo,
                mut leased,
            } => {
                let (k, expected) = todo.remove(0);
                let taken = ctx.redis.lease_if(
                    &world.keys[k],
                    &lease,
                    millis(LEASE_TTL),
                    expected.as_deref(),
                );
                if taken {
                    leased.push(k);
                }
                let label = format!(
                    "LEASE_IF {} (if {}) -> {taken}",
                    world.name(k),
                    if expected.is_some() {
                        "unchanged"
                    } else {
                        "empty"
                    }
                );
                *phase = if todo.is_empty() {
                    ListPhase::Load { leased }
                } else {
                    ListPhase::Lease { todo, leased }
                };
                (label, None)
            }
            ListPhase::LoadWithoutFill => {
                let loaded = load_members(world, ctx.db, p);
                (
                    format!("database: {name} has {}", show_items(&loaded)),
                    Some(Some(loaded)),
                )
            }
            ListPhase::Load { leased } => {
                let loaded = load_members(world, ctx.db, p);
                let label = format!("database: {name} has {}", show_items(&loaded));
                // What was leased is filled from this read, or released.
                let mut fills = Vec::new();
                let mut releases = Vec::new();
                for k in leased {
                    let value = if k == entry_key {
                        let keys: Vec<Vec<u8>> = loaded.iter().map(row_key_of).collect();
                        collection::entry_fill::<Item, 0>(&loaded, &keys, RULES)
                    } else {
                        loaded
                            .iter()
                            .find(|row| row_key_of(row) == world.keys[k])
                            .and_then(|row| read::row_value(row, RULES).ok())
                    };
                    match value {
                        Some((value, ttl)) => fills.push((k, value, millis(ttl))),
                        None => releases.push(k),
                    }
                }
                if fills.is_empty() && releases.is_empty() {
                    (label, Some(Some(loaded)))
                } else {
                    listing.answer(&world.table, ctx.db, p, &loaded)?;
                    *phase = ListPhase::Settle { fills, releases };
                    (label, None)
                }
            }
            ListPhase::Settle { fills, releases } if !fills.is_empty() => {
                let sent: Vec<(Vec<u8>, Vec<u8>, i64)> = fills
                    .iter()
                    .map(|(k, value, ttl)| (world.keys[*k].clone(), value.clone(), *ttl))
                    .collect();
                let filled = ctx.redis.settle_fills(&lease, &sent, world.mutation);
                let names: Vec<String> = fills
                    .iter()
                    .zip(&filled)
                    .map(|((k, _, _), filled)| format!("{} -> {filled}", world.name(*k)))
                    .collect();
                let label = format!("SETTLE_MANY fill {}", names.join(", "));
                if releases.is_empty() {
                    (label, Some(None))
                } else {
                    *phase = ListPhase::Settle {
                        fills: Vec::new(),
                        releases,
                    };
                    (label, None)
                }
            }
            ListPhase::Settle { releases, .. } => {
                let keys: Vec<Vec<u8>> = releases.iter().map(|&k| world.keys[k].clone()).collect();
                ctx.redis.settle_releases(&lease, &keys);
                let names: Vec<String> = releases.iter().map(|&k| world.name(k)).collect();
                (
                    format!("SETTLE_MANY release {}", names.join(", ")),
                    Some(None),
                )
            }
        };
        let Some(rows) = ends else {
            return Ok(label);
        };
        if let Some(rows) = rows {
            listing.answer(&world.table, ctx.db, p, &rows)?;
        }
        listing.returned(p)?;
        let Listing::Answered { answer, .. } = *listing else {
            unreachable!("judged")
        };
        *self = Actor::Done;
        Ok(format!("{label}; returns {}", show_versions(answer)))
    }

    fn transaction(
        &mut self,
        me: usize,
        ops: &[TxnOp],
        outcomes: &[Outcome],
        trusted: bool,
        choice: usize,
        ctx: &mut Ctx<'_>,
    ) -> Result<String, String> {
        let Actor::Transaction {
            log,
            next_op,
            phase,
            before_it,
        } = self
        else {
            unreachable!()
        };
        let world = ctx.world;
        let lock = token_value(false, &token(me));
        match phase {
            TxnPhase::Ops => {
                if *next_op == 0 {
                    let mask = ops
                        .iter()
                        .fold(0, |m, op| m | of_key(&world.table, op_key(op)));
                    *before_it = ctx.history.write_started(mask);
                }
                let op = &ops[*next_op];
                let k = op_key(op);
                let key = world.keys[k].clone();
                let frame = replay(world, &lock, log);
                let mut label = String::new();
                if !frame.is_locked(&key) {
                    // `lock_in_transaction`: a one-key Write whose locks the frame keeps.
                    let mut write: Write<Replaced> =
                        Write::new(WritePolicy::Available, vec![key.clone()]);
                    let (value, pttl, contended) = ctx.redis.lock(&key, &lock, millis(LOCK_TTL));
                    let replaced = Replaced {
                        value,
                        pttl,
                        at: ctx.redis.now,
                    };
                    write.on_lock(LockReply::Locked(replaced));
                    for (key, replaced) in write.into_locks() {
                        log.push(TxnEvent::Lock(key_index(world, &key), replaced));
                    }
                    label = format!(
                        "LOCK key {k}{}; ",
                        if contended { " (contended)" } else { "" }
                    );
                }
                match *op {
                    TxnOp::Write { version, .. } => {
                        log.push(TxnEvent::Change {
                            savepoint: false,
                            key: k,
                            version,
                        });
                        label.push_str(&format!("database (uncommitted): v{version}"));
                    }
                    TxnOp::Savepoint {
                        version, released, ..
                    } => {
                        log.push(TxnEvent::Change {
                            savepoint: true,
                            key: k,
                            version,
                        });
                        log.push(TxnEvent::SavepointEnd { released });
                        let end = if released { "released" } else { "rolled back" };
                        label.push_str(&format!("savepoint: v{version}, {end}"));
                    }
                }
                *next_op += 1;
                if *next_op == ops.len() {
                    *phase = TxnPhase::End;
                }
                Ok(label)
            }
            TxnPhase::End => {
                let outcome = outcomes[choice];
                let frame = replay(world, &lock, log);
                if outcome.commits() {
                    for (k, v) in surviving_writes(log) {
                        ctx.db.commit(k, v);
                    }
                }
                let db_outcome = match outcome {
                    Outcome::Commit => DbOutcome::Committed(()),
                    Outcome::NotCommitted | Outcome::SessionWentOn => DbOutcome::NotCommitted,
                    // The body returned Ok and its COMMIT failed: `FrameGuard::finish` cannot
                    // tell a refusal from a lost connection there, and deletes.
                    Outcome::RefusedAfterRow
                    | Outcome::UnknownCommitted
                    | Outcome::UnknownNotCommitted => DbOutcome::Unknown,
                };
                let (steps, what) = match frame.end(db_outcome, trusted) {
                    End::Settle(steps) => (steps, "settle"),
                    End::Undo(steps) => (steps, "undo"),
                    End::Merged => unreachable!("the outermost frame"),
                };
                // A commit that kept no write (its only writes rolled back with their
                // savepoint) supersedes nothing.
                *phase = TxnPhase::Steps {
                    steps: pending(steps, world),
                    ok: outcome == Outcome::Commit && !surviving_writes(log).is_empty(),
                };
                Ok(format!("database: transaction {outcome:?} -> {what}"))
            }
            TxnPhase::Steps { steps, ok } => {
                let (k, step) = steps.remove(0);
                let label = perform(ctx, &lock, k, step);
                if steps.is_empty() {
                    let all = surviving_or_not(log);
                    ctx.history.write_returned(all, *ok, *before_it);
                    let ok = *ok;
                    *self = Actor::Done;
                    return Ok(format!(
                        "{label}; returns {}",
                        if ok { "Ok" } else { "Err" }
                    ));
                }
                Ok(label)
            }
        }
    }

    fn naive_writer(&mut self, k: usize, version: u8, ctx: &mut Ctx<'_>) -> Result<String, String> {
        let Actor::NaiveWriter {
            committed,
            before_it,
        } = self
        else {
            unreachable!()
        };
        let world = ctx.world;
        if !*committed {
            *before_it = ctx.history.write_started(of_key(&world.table, k));
            ctx.db.commit(k, version);
            *committed = true;
            return Ok(format!("database: v{version} Commit"));
        }
        let key = &world.keys[k];
        let label = match change_of(world, version) {
            Some((value, ttl)) => {
                ctx.redis.set_px(key, value, millis(ttl));
                format!("SET key {k} v{version}")
            }
            None => {
                ctx.redis.del(key);
                format!("DEL key {k}")
            }
        };
        ctx.history.write_returned(bit(version), true, *before_it);
        *self = Actor::Done;
        Ok(format!("{label}; returns Ok"))
    }

    fn invalidator(&mut self, k: usize, version: u8, ctx: &mut Ctx<'_>) -> Result<String, String> {
        let Actor::NaiveWriter {
            committed,
            before_it,
        } = self
        else {
            unreachable!()
        };
        let world = ctx.world;
        if !*committed {
            *before_it = ctx.history.write_started(of_key(&world.table, k));
            ctx.db.commit(k, version);
            *committed = true;
            return Ok(format!("database (by hand): v{version} Commit"));
        }
        let deleted = ctx.redis.invalidate(&world.keys[k]);
        ctx.history.write_returned(bit(version), true, *before_it);
        *self = Actor::Done;
        Ok(format!("INVALIDATE key {k} -> {deleted}; returns Ok"))
    }

    fn naive_reader(&mut self, k: usize, ctx: &mut Ctx<'_>) -> Result<String, String> {
        let Actor::NaiveReader { phase, forbidden } = self else {
            unreachable!()
        };
        let world = ctx.world;
        let key = world.keys[k].clone();
        let (label, answer) = match phase.clone() {
            NaivePhase::Get => {
                *forbidden = ctx.history.superseded;
                let raw = ctx.redis.get(&key);
                let state = read::interpret::<Item>(raw.as_deref(), RULES.max_value_bytes);
                match read::answer(state) {
                    Some(answer) => (format!("GET key {k}"), Some(answer)),
                    None => {
                        *phase = NaivePhase::Load;
                        (format!("GET key {k}: miss"), None)
                    }
                }
            }
            NaivePhase::Load => {
                *phase = NaivePhase::Set(load(world, ctx.db, k));
                ("database: load".into(), None)
            }
            NaivePhase::Set(loaded) => {
                if let Some((value, ttl)) = cacheable(read::fill_for(loaded.as_ref(), RULES)) {
                    ctx.redis.set_px(&key, value, millis(ttl));
                }
                (format!("SET key {k} {}", show(loaded)), Some(loaded))
            }
        };
        match answer {
            Some(answer) => {
                let forbidden = *forbidden;
                *self = Actor::Done;
                check_read(&world.table, ctx.db, k, forbidden, answer)?;
                Ok(format!("{label}; returns {}", show(answer)))
            }
            None => Ok(label),
        }
    }
}

fn op_key(op: &TxnOp) -> usize {
    match op {
        TxnOp::Write { key, .. } | TxnOp::Savepoint { key, .. } => *key,
    }
}

/// The transaction's frames, rebuilt from its events: the outermost frame keeps the locks;
/// a savepoint's change goes to the savepoint's own frame, which then ends inside its parent.
fn replay(world: &World, lock: &[u8], log: &[TxnEvent]) -> Frame<Replaced> {
    let mut outer = Frame::new(lock.to_vec());
    let mut savepoint: Option<Frame<Replaced>> = None;
    for event in log {
        match event {
            TxnEvent::Lock(k, replaced) => {
                outer.record_lock(world.keys[*k].clone(), replaced.clone())
            }
            TxnEvent::Change {
                savepoint: false,
                key,
                version,
            } => outer.record_change(world.keys[*key].clone(), change_of(world, *version)),
            TxnEvent::Change {
                savepoint: true,
                key,
                version,
            } => savepoint
                .get_or_insert_with(|| Frame::new(outer.lock().to_vec()))
                .record_change(world.keys[*key].clone(), change_of(world, *version)),
            TxnEvent::SavepointEnd { released } => {
                let frame = savepoint
                    .take()
                    .unwrap_or_else(|| Frame::new(lock.to_vec()));
                let outcome = if *released {
                    DbOutcome::Committed(())
                } else {
                    DbOutcome::NotCommitted
                };
                frame.end_inside(&mut outer, outcome);
            }
        }
    }
    outer
}

/// What the database keeps at the commit: the writes not rolled back with their savepoint,
/// the last one per key.
fn surviving_writes(log: &[TxnEvent]) -> Vec<(usize, u8)> {
    let mut writes: Vec<(usize, u8)> = Vec::new();
    let mut in_savepoint: Vec<(usize, u8)> = Vec::new();
    for event in log {
        match event {
            TxnEvent::Change {
                savepoint: false,
                key,
                version,
            } => writes.push((*key, *version)),
            TxnEvent::Change {
                savepoint: true,
                key,
                version,
            } => in_savepoint.push((*key, *version)),
            TxnEvent::SavepointEnd { released } => {
                if *released {
                    writes.append(&mut in_savepoint);
                }
                in_savepoint.clear();
            }
            TxnEvent::Lock(..) => {}
        }
    }
    writes
}

fn surviving_or_not(log: &[TxnEvent]) -> Versions {
    log.iter().fold(0, |m, e| match e {
        TxnEvent::Change { version, .. } => m | bit(*version),
        _ => m,
    })
}

/// What a committed write of `version` leaves in Redis, as the front computes it: the row
/// encoded (`save`), or the absent marker for the negative TTL (`delete`).
pub(crate) fn change_of(world: &World, version: u8) -> Change {
    let info = world.table[usize::from(version)];
    if info.row {
        read::row_value(&item(world, info.key, version), RULES).ok()
    } else {
        cacheable(read::fill_for::<Item>(None, RULES))
    }
}

/// What a front sends for a value the core computed (every item is cacheable).
fn cacheable(value: read::ValueFor) -> Change {
    value.expect("an item is cacheable")
}

/// The row `version` of key `k` (its parent is the version's).
pub(crate) fn item(world: &World, k: usize, version: u8) -> Item {
    Item {
        id: i64::try_from(k).unwrap_or(0) + 1,
        version,
        parent: world.table[usize::from(version)]
            .parent
            .map(|p| parent_id(usize::from(p))),
    }
}

fn load(world: &World, db: &Db, k: usize) -> Option<Item> {
    let version = db.rows[k];
    world.table[usize::from(version)]
        .row
        .then(|| item(world, k, version))
}

/// The members of parent `p` the database holds now, in the collection's order.
fn load_members(world: &World, db: &Db, p: usize) -> Vec<Item> {
    db.load_members(&world.table, p)
        .into_iter()
        .map(|(k, v)| item(world, k, v))
        .collect()
}

fn show_items(rows: &[Item]) -> String {
    let names: Vec<String> = rows.iter().map(|row| format!("v{}", row.version)).collect();
    format!("{{{}}}", names.join(" "))
}

/// [`Mutation::CollectionReaderTrustsMembers`]: the rows of an entry whose members' rows are all
/// cached, whatever parent they name.
fn trusted(entry: Option<&[u8]>, rows: &[Option<Vec<u8>>]) -> Option<Vec<Item>> {
    let Ok(crate::envelope::Envelope::Members { .. }) = crate::envelope::Envelope::parse(entry?)
    else {
        return None;
    };
    rows.iter()
        .map(
            |row| match read::interpret::<Item>(row.as_deref(), RULES.max_value_bytes) {
                CachedState::Row(item) => Some(item),
                _ => None,
            },
        )
        .collect()
}

fn show(answer: Option<Item>) -> String {
    answer.map_or("no row".into(), |i| format!("v{}", i.version))
}

/// Performs one step the core decided (`drive/steps.rs::perform_one`).
fn perform(ctx: &mut Ctx<'_>, lock: &[u8], k: usize, step: Pending) -> String {
    let key = ctx.world.keys[k].clone();
    match step {
        Pending::Publish(change) => {
            let (value, ttl) = match &change {
                Some((value, ttl)) => (value.as_slice(), *ttl),
                None => (&[][..], DELETION_TTL),
            };
            let reply = ctx
                .redis
                .publish(&key, lock, value, millis(ttl), ctx.world.mutation);
            let published = match reply {
                1 => Published::Set,
                2 => Published::Deleted,
                _ => Published::Contended,
            };
            match after_publish(Some(published)) {
                AfterPublish::Count(_) => {}
                AfterPublish::OweInvalidation => unreachable!("this Redis always answers"),
            }
            let what = if change.is_some() {
                "value"
            } else {
                "deletion"
            };
            format!("PUBLISH {} {what} -> {published:?}", ctx.world.name(k))
        }
        Pending::Restore(replaced) => {
            let elapsed = Duration::from_millis(
                u64::from(ctx.redis.now - replaced.at) * TICK_MS.unsigned_abs(),
            );
            let (value, left) = restoration(replaced.value.as_deref(), replaced.pttl, elapsed);
            let restored = ctx.redis.restore(&key, lock, value, left);
            format!("RESTORE {} -> {restored}", ctx.world.name(k))
        }
        Pending::Nothing => format!("nothing to undo on {}", ctx.world.name(k)),
    }
}
