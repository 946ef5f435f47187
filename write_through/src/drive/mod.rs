//! The one sequence of steps behind `find`, `save`, `delete`, `create` and `find_many`, written
//! once for both fronts: `async fn`s generic over how I/O is done (an [`Exec`] for Redis and
//! waiting, the traits of [`db`] for the database). The blocking front runs them with futures
//! that are ready at once (`shared::ready`); the async front awaits them.
//!
//! A write locks its key, writes the database, and after the commit publishes with a
//! compare-and-set on its lock: set the new value if the lock is still its own; if another
//! writer locked the key too, the lock is contended and nobody sets a value (see
//! `redis/scripts.rs`); anything else is deleted. A database write that certainly did not commit
//! puts back what the lock replaced. A read that misses takes a lease, reads the database, and
//! fills only while its lease is still there. So no interleaving of writers and fills can leave
//! an older value behind (see `crate::guide::guarantees` and `tests/tests/protocol/races.rs`).
//!
//! What follows each reply is decided in `crate::core` (`read`, `write`, `txn`, `batch`); this
//! module only sends what the core asks for, keeps the pause points of `tests/tests/protocol/races.rs`
//! at the same protocol points, and maps errors to the core's outcomes
//! (`core::write::DbOutcome::of_error`).
//!
//! A future of the async front dropped at an `.await` stops where a crashed process would: a
//! lock it took expires after `lock_ttl` into a miss, a lease after `lease_ttl`; nothing it
//! owed is lost, because a debt is recorded before the `.await` that could fail.

use std::time::Duration;

use crate::cache::{Cache, Inner};
use crate::codec;
use crate::core::read::{self as protocol, AfterPoll, CachedState, ReadPlan, Uncached};
use crate::core::write::{Change, DbOutcome, Write};
use crate::envelope::{self, ABSENT};
use crate::error::{CacheError, Error, UsageError};
use crate::key;
use crate::model::Cached;
use crate::pause;
use crate::redis::commands::{self, Exec};
use crate::shared::flight::Role;
use crate::stats::{Counters, Event};
use crate::token::Token;

pub(crate) mod batch;
pub(crate) mod checkout;
pub(crate) mod collection;
pub(crate) mod db;
pub(crate) mod index;
mod mark;
mod own_transaction;
pub(crate) mod steps;
pub(crate) mod transaction;
mod writers;

use db::{Conn, Create, Load, LoadForUpdate, Remove, Update, Upsert, Writes};
use own_transaction::OwnTransaction;
use steps::{lock_all, perform};

/// Reads a row: from Redis when cached, else from the database, filling the cache.
pub(crate) async fn find<M, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
) -> Result<Option<M>, Error>
where
    M: Cached,
    D: Load<M>,
    E: Exec,
{
    let inner = cache.inner();
    let local = inner.local_for::<M>();
    if let Some(local) = &local {
        // The key rendered without an allocation: a hit needs it only for this look. (A key
        // too long to cache is never in the tier.)
        let answer = with_key_of::<M, _>(inner, id, |key| local.answer::<M>(key));
        if let Some(answer) = answer {
            return Ok(answer);
        }
    }
    let key = key_of::<M>(inner, id);
    if !key::fits(&key) {
        return load_without_fill(db, inner, id).await;
    }
    let ticket = local.as_ref().map(|local| local.ticket(&key));
    let raw = commands::get(e, &key).await;
    let state = interpret_counted::<M>(inner, &raw);
    match protocol::plan_read(state, db.inside_transaction()) {
        ReadPlan::Answer(answer) => {
            if let (Some(local), Some(ticket), Ok(Some(value))) = (&local, ticket, &raw) {
                pause::reach(pause::FIND_READ, &key);
                local.install::<M>(&key, value, answer.as_ref(), ticket);
            }
            Ok(answered::<M>(inner, answer))
        }
        ReadPlan::LoadWithoutFill => load_without_fill(db, inner, id).await,
        ReadPlan::AwaitFill { may_lease } => {
            match await_fill::<M, E>(e, inner, &key, may_lease).await {
                AfterPoll::Answer(answer) => Ok(answered::<M>(inner, answer)),
                // Writers left it empty: filled as by a reader that has just looked, so the
                // readers waiting beside are served this fill.
                AfterPoll::Lease => lease_and_load(e, db, cache, &key, id).await,
                AfterPoll::Wait | AfterPoll::GiveUp => load_without_fill(db, inner, id).await,
            }
        }
        ReadPlan::LeaseAndLoad { unreadable } => {
            if let (true, Ok(Some(bytes))) = (unreadable, &raw) {
                // Only these bytes: a writer may have locked the key since we looked.
                let _ = commands::delete_if(e, &key, bytes).await;
            }
            lease_and_load(e, db, cache, &key, id).await
        }
    }
}

/// Inserts or updates a row, then publishes the row as the database stored it, which it
/// returns (`None` only when a concurrent delete removed it before it could be read back).
pub(crate) async fn save<M, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    row: &M,
) -> Result<Option<M>, Error>
where
    M: Cached,
    D: Upsert<M>,
    E: Exec,
{
    // An unencodable row fails before anything changes.
    codec::encode_row(row)?;
    let inner = cache.inner();
    // The entries of the values this row will have are locked with it: a reader's cached
    // "no row has this value" loaded before the commit must not be filled after it. So are the
    // collections it will be a member of: a member list read before the commit must not be
    // filled after it.
    let beside = Beside::Known {
        entries: index_keys_of(inner, row),
        collections: collection_keys_of(inner, row),
    };
    write_row(
        e,
        db,
        cache,
        "save",
        row.id(),
        beside,
        async |db: &mut D| db.upsert(row).await,
    )
    .await
}

/// Updates the row whose key is `id` through `changes` (an application's update form), then
/// publishes the row as the database stored it, which it returns (`None`: no row has the key).
pub(crate) async fn update<M, F, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
    changes: F,
) -> Result<Option<M>, Error>
where
    M: Cached,
    D: Update<M, F>,
    E: Exec,
{
    // The values the update gives indexed columns, and the parents it gives the row, are known
    // only from the row it returns, so no entry or collection is locked before it: they are
    // locked after the statement, before the commit of a transaction of the write's own, and
    // deleted after it (or, the commit's outcome unknown, left locked until their TTL).
    write_row(
        e,
        db,
        cache,
        "update",
        id,
        Beside::FromTheRow,
        async |db: &mut D| db.update(id, changes).await,
    )
    .await
}

/// The keys besides its own that a write of a row names: the unique-index entries of its
/// values and the collections it is a member of.
enum Beside {
    /// Known before the statement, from the row written (`save`): locked with the row's key.
    Known {
        entries: Vec<Vec<u8>>,
        collections: Vec<Vec<u8>>,
    },
    /// Known only from the row the statement returns (`update` through a form): locked after
    /// the statement, before the commit of a transaction of the write's own, when the model has
    /// any ([`Cached::NAMES_OTHER_KEYS`]); a commit whose outcome is unknown then leaves them
    /// locked, never with what they held.
    FromTheRow,
}

/// The write of the row with key `id`, locking its key and the keys `beside` it known before
/// the statement (index entries it will hold, collections it will be a member of), then
/// publishing the row as stored (`db_write` returns it) and deleting the collections (or
/// putting back those that listed it), and retiring the entries of values and the collections
/// of parents it holds that were not locked, and the other models' rows that the row it
/// replaced and the row as stored retire.
async fn write_row<M, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    operation: &'static str,
    id: M::Id<'_>,
    beside: Beside,
    db_write: impl AsyncFnOnce(&mut D) -> Result<Option<M>, Error>,
) -> Result<Option<M>, Error>
where
    M: Cached,
    D: LoadForUpdate<M>,
    E: Exec,
{
    let inner = cache.inner();
    let key = key_of::<M>(inner, id);
    let learns_keys = matches!(beside, Beside::FromTheRow) && M::NAMES_OTHER_KEYS;
    let (entries, collections) = match beside {
        Beside::Known {
            entries,
            collections,
        } => (entries, collections),
        Beside::FromTheRow => (Vec::new(), Vec::new()),
    };
    // A key too long to cache is neither locked nor published (its row is never cached).
    let row_cached = key::fits(&key);
    let mut keys = Vec::with_capacity(1 + entries.len() + collections.len());
    if row_cached {
        keys.push(key.clone());
    }
    keys.extend(entries.iter().cloned());
    // Last, without a change: deleted at the commit, or put back (`Written::kept`).
    let keys_before_collections = keys.len();
    keys.extend(collections.iter().cloned());
    let (stored, aliased) =
        write::<M, D, E, _>(e, db, cache, operation, keys, learns_keys, async |db| {
            if M::RETIRES {
                writers::take_turn(db, &key).await?;
            }
            let replaced = replaced_row::<M, D>(db, id).await?;
            let stored = db_write(db).await?;
            let (changes, aliased, mut unlocked, kept) = match &stored {
                // The database matched our key to a row under another spelling (a case- or
                // pad-insensitive collation): cache neither key, invalidate both.
                Some(stored) if key_of::<M>(inner, stored.id()) != key => {
                    let mut unlocked = vec![key_of::<M>(inner, stored.id())];
                    unlocked.extend(index_keys_of(inner, stored));
                    unlocked.extend(collection_keys_of(inner, stored));
                    (Vec::new(), true, unlocked, Vec::new())
                }
                Some(stored) => {
                    let change = if row_cached {
                        encoded_change(inner, stored)
                    } else {
                        None
                    };
                    // The row as stored may have other values than the row saved (a trigger that
                    // normalizes an email): their entries were not locked, so they are
                    // invalidated after the commit, and the locked ones point at the row only
                    // where it still has their value.
                    let stored_entries = index_keys_of(inner, stored);
                    let mut changes = Vec::with_capacity(1 + entries.len());
                    if row_cached {
                        changes.push(change.clone());
                    }
                    for entry in &entries {
                        changes.push(if stored_entries.contains(entry) {
                            crate::core::index::published_pointer(&key, &change)
                        } else {
                            None
                        });
                    }
                    let mut unlocked: Vec<Vec<u8>> = stored_entries
                        .into_iter()
                        .filter(|entry| !entries.contains(entry))
                        .collect();
                    // The collections the row as stored is in: those it locked are put back as
                    // they were if they listed it already (it added no member), else deleted;
                    // the others (a trigger gave it another parent) are retired.
                    let mut kept = Vec::new();
                    for collection in collection_keys_of(inner, stored) {
                        match collections.iter().position(|locked| *locked == collection) {
                            Some(at) => kept.push((keys_before_collections + at, key.clone())),
                            None => unlocked.push(collection),
                        }
                    }
                    (changes, false, unlocked, kept)
                }
                None => (Vec::new(), false, Vec::new(), Vec::new()),
            };
            for row in replaced.iter().chain(&stored) {
                add_retired_keys(inner, row, &mut unlocked);
            }
            Ok(Written {
                result: (stored, aliased),
                changes,
                retired: unlocked,
                kept,
            })
        })
        .await?;
    if aliased {
        tracing::warn!(
            model = M::MODEL_NAME,
            "the database stored this row under another spelling of its key; give key columns a binary collation"
        );
    }
    Ok(stored)
}

/// The row a write of a model that retires other models' rows ([`Cached::RETIRES`]) is about
/// to replace, read locked in the write's transaction: the rows its old values name are
/// retired too (an account moved to another user, or deleted, retires its old user's row).
/// `None` for any other model, without a query.
async fn replaced_row<M: Cached, D: LoadForUpdate<M>>(
    db: &mut D,
    id: M::Id<'_>,
) -> Result<Option<M>, Error> {
    if M::RETIRES {
        db.load_for_update(id).await
    } else {
        Ok(None)
    }
}

/// Adds to `keys` those of the other models' rows that `row` retires, once each (those short
/// enough to cache).
fn add_retired_keys<M: Cached>(inner: &Inner, row: &M, keys: &mut Vec<Vec<u8>>) {
    if !M::RETIRES {
        return;
    }
    let mut retired = crate::key::RetiredKeys::new(&inner.namespace);
    row.write_retired_keys(&mut retired);
    for key in retired.into_keys() {
        if key::fits(&key) && !keys.contains(&key) {
            keys.push(key);
        }
    }
}

/// After a write inside a transaction whose keys could not all be locked (Redis failed): the row
/// is written, so should the caller swallow the error and commit, the commit must still delete
/// whatever `keys` held (a cached absence of a new value, say). Taints the frame and records
/// each key as locked (when it is not yet) and deleted.
fn delete_at_commit(inner: &Inner, conn: usize, keys: impl IntoIterator<Item = Vec<u8>>) {
    inner.frames.taint(conn);
    for key in keys {
        if !inner.frames.is_locked(conn, &key) {
            inner.frames.record_lock(conn, key.clone(), None);
        }
        inner.frames.record_change(conn, key, None);
    }
}

/// Deletes a row, then its cached value. `true` when a row was deleted.
pub(crate) async fn delete<M, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
) -> Result<bool, Error>
where
    M: Cached,
    D: Remove<M>,
    E: Exec,
{
    let inner = cache.inner();
    let key = key_of::<M>(inner, id);
    // A deletion takes no value away from an index entry that a reader could then miss: an
    // entry pointing at the deleted row is stale, and a reader finds that out from the row.
    let keys = if key::fits(&key) {
        vec![key]
    } else {
        Vec::new()
    };
    let deleted = write::<M, D, E, _>(e, db, cache, "delete", keys, false, async |db| {
        let replaced = replaced_row::<M, D>(db, id).await?;
        let deleted = db.remove(id).await?;
        let mut retired = Vec::new();
        if let Some(replaced) = &replaced {
            add_retired_keys(inner, replaced, &mut retired);
        }
        Ok(Written {
            result: deleted,
            changes: vec![
                M::NEGATIVE_TTL.map(|ttl| (ABSENT.to_vec(), inner.value_rules().jitter.apply(ttl))),
            ],
            retired,
            kept: Vec::new(),
        })
    })
    .await?;
    Ok(deleted > 0)
}

/// Inserts a row whose primary key the database generates, caches it and returns it.
///
/// The key is known only after the insert, so the insert runs in a transaction and the key is
/// locked before the commit: no write to the new row can be published out of order with it.
pub(crate) async fn create<M, N, D, E>(e: &E, db: &mut D, cache: &Cache, new: N) -> Result<M, Error>
where
    M: Cached,
    D: Create<M, N>,
    E: Exec,
{
    let inner = cache.inner();
    let conn = db.id();
    if let Some(lock) = transaction::open_lock(cache, db, "create", M::MODEL_NAME)? {
        let row = db
            .insert_returning(new)
            .await
            .inspect_err(|_| inner.frames.taint(conn))?;
        if M::RETIRES {
            writers::take_turn(db, &key_of::<M>(inner, row.id()))
                .await
                .inspect_err(|_| inner.frames.taint(conn))?;
        }
        // The new row's key, the entries of its values and the other models' rows it retires,
        // locked until the commit.
        let (keys, changes) = created(inner, &row);
        for key in &keys {
            if let Err(error) =
                transaction::lock_in_transaction(e, cache, M::MODEL_NAME, conn, key, &lock).await
            {
                delete_at_commit(inner, conn, keys);
                return Err(error);
            }
        }
        if mark::marks(inner, db) {
            mark::mark(db, &lock, mark::published(&keys, &changes, &[]))
                .await
                .inspect_err(|_| inner.frames.taint(conn))?;
        }
        for (key, change) in keys.iter().cloned().zip(changes) {
            inner.frames.record_change(conn, key, change);
        }
        return Ok(row);
    }
    refuse_inside_transaction::<M, D>(db, "create")?;
    let lock = envelope::token_value(false, Token::new().as_bytes());
    let marks = mark::marks(inner, db);
    let mut transaction = OwnTransaction::begin(db).await?;
    // Inside the transaction: insert, mark it for the feed, then lock the new keys before the
    // commit (a mark that fails leaves nothing locked).
    let inserted: Result<(M, Vec<Change>, Locked), Error> = async {
        let db = transaction.db();
        let row = db.insert_returning(new).await?;
        if M::RETIRES {
            writers::take_turn(db, &key_of::<M>(inner, row.id())).await?;
        }
        let (keys, changes) = created(inner, &row);
        if marks {
            mark::mark(db, &lock, mark::published(&keys, &changes, &[])).await?;
        }
        let mut locked = None;
        if !keys.is_empty() {
            let write = Write::new(inner.write_policy, keys.clone());
            locked = Some((keys, lock_all(e, inner, M::MODEL_NAME, write, &lock).await?));
        }
        Ok((row, changes, locked))
    }
    .await;
    let (row, changes, locked) = match inserted {
        Ok(inserted) => inserted,
        Err(error) => {
            let _ = transaction.rollback().await;
            return Err(error);
        }
    };
    let committed = transaction.commit().await;
    match (committed, locked) {
        (Ok(()), Some((keys, write))) => {
            pause::reach(pause::WRITE_COMMITTED, &keys[0]);
            let steps = write.on_outcome(DbOutcome::Committed(changes));
            perform(e, inner, M::MODEL_NAME, &lock, steps).await;
            Ok(row)
        }
        (Err(error), Some((_, write))) => {
            let error = Error::from(error);
            let steps = write.on_outcome(DbOutcome::of_error(&error));
            perform(e, inner, M::MODEL_NAME, &lock, steps).await;
            Err(error)
        }
        (Ok(()), None) => Ok(row),
        (Err(error), None) => Err(error.into()),
    }
}

/// What a `create` locks for its new row and publishes under each key once committed: the row
/// under its key, a pointer to it in each entry of its values ([`created_keys`],
/// [`created_changes`]), and nothing under the other models' rows it retires and the
/// collections it joins (deleted).
fn created<M: Cached>(inner: &Inner, row: &M) -> (Vec<Vec<u8>>, Vec<Change>) {
    let mut keys = created_keys(inner, row);
    let mut changes = created_changes(inner, row, &keys);
    add_retired_keys(inner, row, &mut keys);
    // The collections it joins: deleted at the commit.
    keys.extend(collection_keys_of(inner, row));
    changes.resize(keys.len(), None);
    (keys, changes)
}

/// The keys a `create` locks for its new row: the row's (when it fits) and its entries'.
fn created_keys<M: Cached>(inner: &Inner, row: &M) -> Vec<Vec<u8>> {
    let key = key_of::<M>(inner, row.id());
    let mut keys = Vec::new();
    if key::fits(&key) {
        keys.push(key);
    }
    keys.extend(index_keys_of(inner, row));
    keys
}

/// What a committed `create` publishes under [`created_keys`]: the row, and a pointer to it in
/// each entry.
fn created_changes<M: Cached>(inner: &Inner, row: &M, keys: &[Vec<u8>]) -> Vec<Change> {
    let key = key_of::<M>(inner, row.id());
    let change = if key::fits(&key) {
        encoded_change(inner, row)
    } else {
        None
    };
    keys.iter()
        .map(|locked| {
            if *locked == key {
                change.clone()
            } else {
                crate::core::index::published_pointer(&key, &change)
            }
        })
        .collect()
}

/// The keys a `create` locked inside its transaction, with its write; `None` when none is short
/// enough to cache.
type Locked = Option<(Vec<Vec<u8>>, Write<crate::redis::commands::Replaced>)>;

/// The full Redis key of the row with primary key `id`.
pub(crate) fn key_of<M: Cached>(inner: &Inner, id: M::Id<'_>) -> Vec<u8> {
    crate::core::key::key_of::<M>(&inner.namespace, id)
}

/// Calls `f` with the key of `id`, rendered into a buffer this thread keeps: a look that needs
/// the key only for a moment (the in-process tier's, on every hit) allocates nothing. `f` is
/// synchronous, so the buffer never crosses an `.await`.
fn with_key_of<M: Cached, T>(inner: &Inner, id: M::Id<'_>, f: impl FnOnce(&[u8]) -> T) -> T {
    thread_local! {
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut key = crate::key::KeyWriter::reusing(BUFFER.take(), &inner.namespace);
    M::write_key(id, &mut key);
    let bytes = key.into_bytes();
    let out = f(&bytes);
    // An outsized key's buffer is not kept.
    if bytes.capacity() <= 1024 {
        BUFFER.set(bytes);
    }
    out
}

/// Lock `keys`, write the database, publish; or, inside `Cache::transaction`, lock, write, and
/// leave publishing to the commit. `db_write` returns one change per key, in order (a key
/// without one is deleted), and the keys it retires besides (index entries of values it did not
/// lock, the rows of other models its row retires: `Cached::RETIRES`), which are deleted after
/// the commit: locked before it inside a transaction (`cache.transaction`'s, or the write's own:
/// then a commit whose outcome is unknown, or a caller that drops the write after it, leaves
/// them locked until the lock's TTL, never with the value they held), else invalidated after
/// the statement. All are marked for the feed (see `drive/mark.rs`). `keys` holds only keys that
/// fit ([`key::fits`]). `learns_keys`: the keys it retires name values of the row as stored
/// that could not be locked before (an `update` through a form of a model with indexes or
/// collections), so it runs in a transaction of its own, where they are locked before the
/// commit.
async fn write<M, D, E, R>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    operation: &'static str,
    keys: Vec<Vec<u8>>,
    learns_keys: bool,
    db_write: impl AsyncFnOnce(&mut D) -> Result<Written<R>, Error>,
) -> Result<R, Error>
where
    M: Cached,
    D: Writes,
    E: Exec,
{
    let inner = cache.inner();
    let conn = db.id();
    let marks = mark::marks(inner, db);
    if let Some(lock) = transaction::open_lock(cache, db, operation, M::MODEL_NAME)? {
        for key in &keys {
            transaction::lock_in_transaction(e, cache, M::MODEL_NAME, conn, key, &lock).await?;
        }
        // Inside a transaction the collections it locked are deleted at the commit, even those
        // it leaves as they were (`kept`): another write of the transaction may move the row.
        let Written {
            result: written,
            changes,
            retired,
            kept: _,
        } = db_write(db)
            .await
            .inspect_err(|_| inner.frames.taint(conn))?;
        if marks {
            mark::mark(db, &lock, mark::published(&keys, &changes, &retired))
                .await
                .inspect_err(|_| inner.frames.taint(conn))?;
        }
        let mut changes = changes.into_iter();
        for key in keys {
            inner
                .frames
                .record_change(conn, key, changes.next().flatten());
        }
        // Not committed yet: the keys it retires are locked too, and deleted at the commit.
        for (at, extra) in retired.iter().enumerate() {
            if let Err(error) =
                transaction::lock_in_transaction(e, cache, M::MODEL_NAME, conn, extra, &lock).await
            {
                delete_at_commit(inner, conn, retired[at..].iter().cloned());
                return Err(error);
            }
            inner.frames.record_change(conn, extra.clone(), None);
        }
        return Ok(written);
    }
    refuse_inside_transaction::<M, D>(db, operation)?;
    // Marked for the feed, the statement runs in a transaction of its own with its mark; so
    // does a model's that reads the row it replaces first (`Cached::RETIRES`), and a write that
    // learns keys to retire from the row it writes (locked before the commit: one whose
    // outcome is unknown must not leave them as they were).
    let own_transaction = marks || M::RETIRES || learns_keys;
    if keys.is_empty() && !M::RETIRES {
        // Never cached, so nothing to lock, mark or publish.
        let written = db_write(db).await?;
        invalidate_all(e, inner, written.retired).await;
        return Ok(written.result);
    }
    let lock = envelope::token_value(false, Token::new().as_bytes());
    let first = keys.first().cloned();
    let write = Write::new(inner.write_policy, keys.clone());
    // Through a pool, the connection is checked out before the lock (a key is never locked
    // while its writer waits for one) and given back before the publish.
    db.reserve().await?;
    let write = match lock_all(e, inner, M::MODEL_NAME, write, &lock).await {
        Ok(write) => write,
        Err(error) => {
            db.release();
            return Err(error);
        }
    };
    if let Some(first) = &first {
        pause::reach(pause::WRITE_LOCKED, first);
    }
    // The keys it retires: locked before its own transaction commits, or, a bare statement's,
    // invalidated after it.
    let mut retiring: Option<Write<crate::redis::commands::Replaced>> = None;
    let mut retire_after: Vec<Vec<u8>> = Vec::new();
    let written = if own_transaction {
        match OwnTransaction::begin(db).await {
            Err(error) => Err(error),
            Ok(mut transaction) => {
                let inside = async {
                    let db = transaction.db();
                    let Written {
                        result,
                        changes,
                        retired,
                        kept,
                    } = db_write(db).await?;
                    if marks {
                        mark::mark(db, &lock, mark::published(&keys, &changes, &retired)).await?;
                    }
                    if !retired.is_empty() {
                        let extra = Write::new(inner.write_policy, retired);
                        retiring = Some(lock_all(e, inner, M::MODEL_NAME, extra, &lock).await?);
                    }
                    Ok((result, changes, kept))
                }
                .await;
                match inside {
                    Ok(written) => {
                        if let Some(first) = &first {
                            pause::reach(pause::WRITE_WROTE, first);
                        }
                        transaction
                            .commit()
                            .await
                            .map(|()| written)
                            .map_err(Error::from)
                    }
                    Err(error) => {
                        let _ = transaction.rollback().await;
                        Err(error)
                    }
                }
            }
        }
    } else {
        db_write(db).await.map(|written| {
            retire_after = written.retired;
            (written.result, written.changes, written.kept)
        })
    };
    db.release();
    match written {
        Ok((written, mut changes, kept)) => {
            if let Some(first) = &first {
                pause::reach(pause::WRITE_COMMITTED, first);
            }
            for (at, row_key) in kept {
                let Some(replaced) = write.replaced(at) else {
                    continue;
                };
                let (value, left) = replaced.restoration();
                if changes.len() <= at {
                    changes.resize(at + 1, None);
                }
                let left = Duration::from_millis(left);
                changes[at] = crate::core::collection::kept_entry(value, left, &row_key);
            }
            let steps = write.on_outcome(DbOutcome::Committed(changes));
            perform(e, inner, M::MODEL_NAME, &lock, steps).await;
            if let Some(retiring) = retiring {
                // No change for any of them: each is deleted.
                let steps = retiring.on_outcome(DbOutcome::Committed(Vec::new()));
                perform(e, inner, M::MODEL_NAME, &lock, steps).await;
            }
            invalidate_all(e, inner, retire_after).await;
            Ok(written)
        }
        Err(error) => {
            // Put back what the locks replaced when the database certainly did not commit;
            // otherwise (a lost connection, a read-back that failed after the commit) the row
            // may have changed, and only a deletion is safe.
            let steps = write.on_outcome(DbOutcome::of_error(&error));
            perform(e, inner, M::MODEL_NAME, &lock, steps).await;
            if let Some(retiring) = retiring {
                let steps = retiring.on_outcome(DbOutcome::of_error(&error));
                perform(e, inner, M::MODEL_NAME, &lock, steps).await;
            }
            Err(error)
        }
    }
}

/// What a write's database part returns to [`write`]: its result, one change per key it
/// locked (a key without one is deleted), the keys it retires besides, and the collections
/// among its keys that are put back as they were if they listed the row (each: its position
/// among the keys, and the row's key).
struct Written<R> {
    result: R,
    changes: Vec<Change>,
    retired: Vec<Vec<u8>>,
    kept: Vec<(usize, Vec<u8>)>,
}

/// Invalidates `keys` after a write that committed (owed when Redis fails).
async fn invalidate_all(e: &impl Exec, inner: &Inner, keys: Vec<Vec<u8>>) {
    for key in keys {
        let _ = invalidate(e, inner, key).await;
    }
}

/// The keys of the unique-index entries `row` belongs to (those short enough to cache).
fn index_keys_of<M: Cached>(inner: &Inner, row: &M) -> Vec<Vec<u8>> {
    let mut keys = crate::key::IndexKeys::new(&inner.namespace);
    row.write_index_keys(&mut keys);
    let mut keys = keys.into_keys();
    keys.retain(|key| key::fits(key));
    keys
}

/// The keys of the cached collections `row` is a member of (those short enough to cache).
fn collection_keys_of<M: Cached>(inner: &Inner, row: &M) -> Vec<Vec<u8>> {
    let mut keys = crate::key::CollectionKeys::new(&inner.namespace);
    row.write_collection_keys(&mut keys);
    let mut keys = keys.into_keys();
    keys.retain(|key| key::fits(key));
    keys
}

/// Invalidates `key` (a row's or an index entry's) without a lock: deleted in Redis, or owed
/// when Redis cannot be reached; then retired from the in-process tier. `Cache::invalidate`,
/// `invalidate_index`, their async forms and a save's stray keys all come here.
pub(crate) async fn invalidate(
    e: &impl Exec,
    inner: &Inner,
    key: Vec<u8>,
) -> Result<(), CacheError> {
    let invalidated = commands::invalidate(e, &key).await;
    if invalidated.is_err() {
        // Owed before the eviction, never after: a find that misses the tier once the key is
        // evicted sends its GET behind the debt's delivery, so it cannot read the old value.
        // Evicted first, a find in between could read the old value from Redis (which never
        // got the invalidation) and install it in the tier until the local TTL.
        inner.store.owe_invalidation(key.clone());
        pause::reach(pause::INVALIDATION_OWED, &key);
    }
    inner.evict_local(&key);
    invalidated
}

fn encoded_change<M: Cached>(inner: &Inner, row: &M) -> Change {
    noted::<M>(
        inner,
        protocol::row_value(row, inner.value_rules()).map(Some),
    )
}

/// A value the core computed, or nothing when the row could not be cached, which is counted
/// and logged here.
pub(crate) fn noted<M: Cached>(inner: &Inner, value: protocol::ValueFor) -> Change {
    value.unwrap_or_else(|uncached| {
        note_uncached(&inner.store.counters, M::MODEL_NAME, uncached);
        None
    })
}

/// Counts and logs a row the core could not cache. (A row that does not decode again is
/// also warned about once per model, by the codec.)
pub(crate) fn note_uncached(counters: &Counters, model: &'static str, uncached: Uncached) {
    match uncached {
        Uncached::Undecodable => counters.record(Event::UndecodableRow, model),
        Uncached::Unencodable(error) => {
            tracing::warn!(model, %error, "row does not encode; not cached");
        }
        Uncached::TooLarge {
            bytes,
            max_value_bytes,
        } => tracing::warn!(
            model,
            bytes,
            max_value_bytes,
            "row is larger than max_value_bytes; not cached"
        ),
    }
}

/// A reply to `GET key`, interpreted and counted.
fn interpret_counted<M: Cached>(
    inner: &Inner,
    raw: &Result<Option<Vec<u8>>, CacheError>,
) -> CachedState<M> {
    let state = match raw {
        Ok(value) => protocol::interpret::<M>(value.as_deref(), inner.max_value_bytes),
        Err(_) => CachedState::Unavailable,
    };
    if let CachedState::Unreadable(reason) = &state {
        inner
            .store
            .counters
            .record(Event::UnreadableValue, M::MODEL_NAME);
        tracing::warn!(model = M::MODEL_NAME, %reason, "unusable cached value; reloading");
    }
    state
}

/// `GET key`, interpreted and counted.
async fn look<M: Cached>(e: &impl Exec, inner: &Inner, key: &[u8]) -> CachedState<M> {
    interpret_counted::<M>(inner, &commands::get(e, key).await)
}

fn answered<M: Cached>(inner: &Inner, answer: Option<M>) -> Option<M> {
    let event = if answer.is_some() {
        Event::Hit
    } else {
        Event::NegativeHit
    };
    inner.store.counters.record(event, M::MODEL_NAME);
    answer
}

async fn load_without_fill<M: Cached, D: Load<M>>(
    db: &mut D,
    inner: &Inner,
    id: M::Id<'_>,
) -> Result<Option<M>, Error> {
    inner.store.counters.record(Event::Miss, M::MODEL_NAME);
    db.load(id).await
}

/// A miss: one reader per process leads; it leases the key, loads, and fills while its lease
/// holds. The others wait for it and read what it filled.
async fn lease_and_load<M, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    key: &[u8],
    id: M::Id<'_>,
) -> Result<Option<M>, Error>
where
    M: Cached,
    D: Load<M>,
    E: Exec,
{
    let inner = cache.inner();
    let _leader = match inner.flights.join(key) {
        Role::Leader(leader) => leader,
        Role::Follower(follower) => {
            e.follow(follower, inner.lease_ttl).await;
            return match protocol::answer(look::<M>(e, inner, key).await) {
                Some(answer) => Ok(answered::<M>(inner, answer)),
                None => load_without_fill(db, inner, id).await,
            };
        }
    };
    // Taken before the lease: a write that locks the key after it retires what we install.
    let local = inner.local_for::<M>();
    let ticket = local.as_ref().map(|local| local.ticket(key));
    let lease = envelope::token_value(true, Token::new().as_bytes());
    if !matches!(
        commands::lease(e, key, &lease, inner.lease_ttl).await,
        Ok(true)
    ) {
        // Someone filled, locked or leased the key since we looked.
        return match protocol::plan_read(look::<M>(e, inner, key).await, false) {
            ReadPlan::Answer(answer) => Ok(answered::<M>(inner, answer)),
            // It lost one race for the lease already: no second try, so a read ends.
            ReadPlan::AwaitFill { .. } => match await_fill::<M, E>(e, inner, key, false).await {
                AfterPoll::Answer(answer) => Ok(answered::<M>(inner, answer)),
                _ => load_without_fill(db, inner, id).await,
            },
            _ => load_without_fill(db, inner, id).await,
        };
    }
    let loaded = match load_without_fill(db, inner, id).await {
        Ok(loaded) => loaded,
        Err(error) => {
            let _ = commands::delete_if(e, key, &lease).await;
            return Err(error);
        }
    };
    pause::reach(pause::FIND_LOADED, key);
    if !db.loads_may_fill() {
        // It read inside a transaction (rows it may have written, or an older snapshot).
        let _ = commands::delete_if(e, key, &lease).await;
        return Ok(loaded);
    }
    if loaded
        .as_ref()
        .is_some_and(|row: &M| key_of::<M>(inner, row.id()) != key)
    {
        // Found under another spelling of the key (a case-insensitive collation): the row
        // belongs to its own key, which writes invalidate; this one must stay uncached.
        let _ = commands::delete_if(e, key, &lease).await;
        return Ok(loaded);
    }
    match noted::<M>(
        inner,
        protocol::fill_for(loaded.as_ref(), inner.value_rules()),
    ) {
        Some((value, ttl)) => match commands::fill(e, key, &lease, &value, ttl).await {
            Ok(true) => {
                if let (Some(local), Some(ticket)) = (&local, ticket) {
                    local.install::<M>(key, &value, None, ticket);
                }
                inner.store.counters.record(Event::Fill, M::MODEL_NAME);
            }
            Ok(false) => inner
                .store
                .counters
                .record(Event::FillRefused, M::MODEL_NAME),
            Err(_) => {}
        },
        // Nothing to cache: free the key now rather than make others wait for the lease.
        None => {
            let _ = commands::delete_if(e, key, &lease).await;
        }
    }
    Ok(loaded)
}

/// Another reader holds the lease, or writers their locks: looks again, pausing 1 ms doubling
/// to 16 ms, until the core's [`protocol::after_poll`] decides otherwise or `lease_wait` has
/// passed (then [`AfterPoll::Wait`]: the caller reads the database without filling).
async fn await_fill<M: Cached, E: Exec>(
    e: &E,
    inner: &Inner,
    key: &[u8],
    may_lease: bool,
) -> AfterPoll<M> {
    let deadline = std::time::Instant::now() + inner.lease_wait;
    let mut pause = Duration::from_millis(1);
    while std::time::Instant::now() < deadline {
        e.sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(16));
        match protocol::after_poll(look::<M>(e, inner, key).await, may_lease) {
            AfterPoll::Wait => continue,
            decided => return decided,
        }
    }
    AfterPoll::Wait
}

/// Refuses a write on a connection inside a transaction the library does not manage.
fn refuse_inside_transaction<M: Cached, D: Conn>(
    db: &mut D,
    operation: &'static str,
) -> Result<(), Error> {
    match db.usable_depth()? {
        None => Ok(()),
        Some(_) => Err(UsageError::InsideTransaction {
            operation,
            model: M::MODEL_NAME,
        }
        .into()),
    }
}
