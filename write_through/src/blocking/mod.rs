//! The blocking front end: `find`, `save`, `delete` and `create` over a Diesel connection and a
//! [`Cache`]. The generated inherent methods call these.
//!
//! A write locks its key, writes the database, and after the commit publishes with a
//! compare-and-set on its lock: set the new value if the lock is still its own; if another
//! writer locked the key too, the lock is contended and nobody sets a value (see
//! `redis/scripts.rs`); anything else is deleted. A database write that certainly did not commit
//! puts back what the lock replaced. A read that misses takes a lease, reads the database, and
//! fills only while its lease is still there. So no interleaving of writers and fills can leave
//! an older value behind (see the README's guarantees and `tests/tests/races.rs`).
//!
//! What follows each reply is decided in `crate::core` (`read`, `write`, `txn`, `batch`);
//! this module and its children only send what the core asks for, keep the pause points of
//! `tests/tests/races.rs` at the same protocol points, and map their errors to the core's
//! outcomes (`core::write::DbOutcome::of_error`).

use std::time::Duration;

use diesel::connection::{Connection, LoadConnection, TransactionManager};

use crate::cache::{Cache, Inner};
use crate::codec;
use crate::core::read::{self as protocol, CachedState, ReadPlan};
use crate::core::write::{Change, DbOutcome, Write};
use crate::envelope::{self, ABSENT};
use crate::error::{Error, UsageError};
use crate::key;
use crate::model::{Cached, DieselCreate, DieselOps};
use crate::pause;
use crate::shared::flight::Role;
use crate::stats::Event;
use crate::token::Token;

mod batch;
mod steps;
mod transaction;

pub use batch::{LOAD_MANY_CHUNK, find_many};
use steps::{inside_transaction, lock_all, perform};

/// Reads a row: from Redis when cached, else from the database, filling the cache.
pub fn find<M, C>(conn: &mut C, cache: &Cache, id: M::Id<'_>) -> Result<Option<M>, Error>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    let _span = tracing::debug_span!("write_through.find", model = M::MODEL_NAME).entered();
    let inner = cache.inner();
    let key = key_of::<M>(inner, id);
    if !key::fits(&key) {
        return load_without_fill(conn, inner, id);
    }
    let raw = inner.store.get(&key);
    let state = interpret_counted::<M>(inner, &raw);
    match protocol::plan_read(state, inside_transaction(conn)) {
        ReadPlan::Answer(answer) => Ok(answered::<M>(inner, answer)),
        ReadPlan::LoadWithoutFill => load_without_fill(conn, inner, id),
        ReadPlan::AwaitFill => match await_fill::<M>(inner, &key) {
            Some(answer) => Ok(answered::<M>(inner, answer)),
            None => load_without_fill(conn, inner, id),
        },
        ReadPlan::LeaseAndLoad { unreadable } => {
            if let (true, Ok(Some(bytes))) = (unreadable, &raw) {
                // Only these bytes: a writer may have locked the key since we looked.
                let _ = inner.store.delete_if(&key, bytes);
            }
            lease_and_load(conn, cache, &key, id)
        }
    }
}

/// Inserts or updates a row, then publishes the row as the database stored it, which it
/// returns (`None` only when a concurrent delete removed it before it could be read back).
pub fn save<M, C>(row: &M, conn: &mut C, cache: &Cache) -> Result<Option<M>, Error>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    let _span = tracing::debug_span!("write_through.save", model = M::MODEL_NAME).entered();
    // An unencodable row fails before anything changes.
    codec::encode_row(row)?;
    let inner = cache.inner();
    let key = key_of::<M>(inner, row.id());
    let mut canonical: Option<Vec<u8>> = None;
    let stored = write::<M, C, _>(conn, cache, "save", key.clone(), |conn| {
        let stored = row.upsert(conn)?;
        let change = match &stored {
            // The database matched our key to a row under another spelling (a case- or
            // pad-insensitive collation): cache neither key, invalidate both.
            Some(stored) if key_of::<M>(inner, stored.id()) != key => {
                canonical = Some(key_of::<M>(inner, stored.id()));
                None
            }
            Some(stored) => encoded_change(inner, stored),
            None => None,
        };
        Ok((stored, change))
    })?;
    if let Some(canonical) = canonical {
        tracing::warn!(
            model = M::MODEL_NAME,
            "the database stored this row under another spelling of its key; give key columns a binary collation"
        );
        let conn_key = transaction::conn_id(conn);
        match transaction::open_lock(cache, conn, "save", M::MODEL_NAME)? {
            // Not committed yet: lock the stored key too, and delete it at the commit.
            Some(lock) => {
                lock_in_transaction(cache, M::MODEL_NAME, conn_key, &canonical, &lock)?;
                transaction::record_change(cache, conn_key, canonical, None);
            }
            None => invalidate_or_owe(inner, canonical),
        }
    }
    Ok(stored)
}

/// Deletes a row, then its cached value. `true` when a row was deleted.
pub fn delete<M, C>(conn: &mut C, cache: &Cache, id: M::Id<'_>) -> Result<bool, Error>
where
    C: Connection,
    M: DieselOps<C::Backend>,
{
    let _span = tracing::debug_span!("write_through.delete", model = M::MODEL_NAME).entered();
    let key = key_of::<M>(cache.inner(), id);
    let deleted = write::<M, C, _>(conn, cache, "delete", key, |conn| {
        let deleted = M::remove(conn, id)?;
        Ok((
            deleted,
            M::NEGATIVE_TTL.map(|ttl| {
                (
                    ABSENT.to_vec(),
                    crate::jitter::jittered(ttl, cache.inner().ttl_jitter),
                )
            }),
        ))
    })?;
    Ok(deleted > 0)
}

/// Inserts a row whose primary key the database generates, caches it and returns it.
///
/// The key is known only after the insert, so the insert runs in a transaction and the key is
/// locked before the commit: no write to the new row can be published out of order with it.
pub fn create<M, C, N>(conn: &mut C, cache: &Cache, new: N) -> Result<M, Error>
where
    C: Connection,
    M: DieselCreate<C::Backend, C, N>,
{
    let _span = tracing::debug_span!("write_through.create", model = M::MODEL_NAME).entered();
    let inner = cache.inner();
    let conn_key = transaction::conn_id(conn);
    if let Some(lock) = transaction::open_lock(cache, conn, "create", M::MODEL_NAME)? {
        let row =
            M::insert_returning(conn, new).inspect_err(|_| transaction::taint(cache, conn_key))?;
        let key = key_of::<M>(inner, row.id());
        if !key::fits(&key) {
            return Ok(row);
        }
        if let Err(error) = lock_in_transaction(cache, M::MODEL_NAME, conn_key, &key, &lock) {
            // The row is inserted: should the caller swallow this and commit, the commit must
            // still delete whatever the key held (a cached absence, say).
            transaction::taint(cache, conn_key);
            transaction::record_lock(cache, conn_key, key.clone(), None);
            transaction::record_change(cache, conn_key, key, None);
            return Err(error);
        }
        let change = encoded_change(inner, &row);
        transaction::record_change(cache, conn_key, key, change);
        return Ok(row);
    }
    refuse_inside_transaction::<M, C>(conn, "create")?;
    let lock = envelope::token_value(false, Token::new().as_bytes());
    let mut locked = None;
    let inserted = conn.transaction(|conn| {
        let row = M::insert_returning(conn, new)?;
        let key = key_of::<M>(inner, row.id());
        if key::fits(&key) {
            let write = Write::new(inner.write_policy, vec![key.clone()]);
            locked = Some((key, lock_all(inner, M::MODEL_NAME, write, &lock)?));
        }
        Ok::<_, Error>(row)
    });
    match (inserted, locked) {
        (Ok(row), Some((key, write))) => {
            pause::reach(pause::WRITE_COMMITTED, &key);
            let change = encoded_change(inner, &row);
            let steps = write.on_outcome(DbOutcome::Committed(vec![change]));
            perform(inner, M::MODEL_NAME, &lock, steps);
            Ok(row)
        }
        (Err(error), Some((_, write))) => {
            let steps = write.on_outcome(DbOutcome::of_error(&error));
            perform(inner, M::MODEL_NAME, &lock, steps);
            Err(error)
        }
        (result, None) => result,
    }
}

/// `create` inserts exactly one row; anything else is refused (and, inside `create`'s
/// transaction, rolled back).
#[doc(hidden)]
pub fn expect_one_row(rows: usize, model: &'static str) -> Result<(), Error> {
    if rows == 1 {
        Ok(())
    } else {
        Err(UsageError::CreateInsertsOneRow { model, rows }.into())
    }
}

/// The full Redis key of the row with primary key `id`.
fn key_of<M: Cached>(inner: &Inner, id: M::Id<'_>) -> Vec<u8> {
    crate::core::key::key_of::<M>(&inner.namespace, id)
}

/// Lock, write the database, publish; or, inside `Cache::transaction`, lock, write, and leave
/// publishing to the commit.
fn write<M, C, R>(
    conn: &mut C,
    cache: &Cache,
    operation: &'static str,
    key: Vec<u8>,
    db_write: impl FnOnce(&mut C) -> Result<(R, Change), Error>,
) -> Result<R, Error>
where
    M: Cached,
    C: Connection,
{
    let inner = cache.inner();
    let conn_key = transaction::conn_id(conn);
    if !key::fits(&key) {
        // Never cached, so nothing to lock or publish; the transaction rules still apply.
        if transaction::open_lock(cache, conn, operation, M::MODEL_NAME)?.is_none() {
            refuse_inside_transaction::<M, C>(conn, operation)?;
        }
        return db_write(conn).map(|(written, _)| written);
    }
    if let Some(lock) = transaction::open_lock(cache, conn, operation, M::MODEL_NAME)? {
        lock_in_transaction(cache, M::MODEL_NAME, conn_key, &key, &lock)?;
        let (written, change) =
            db_write(conn).inspect_err(|_| transaction::taint(cache, conn_key))?;
        transaction::record_change(cache, conn_key, key, change);
        return Ok(written);
    }
    refuse_inside_transaction::<M, C>(conn, operation)?;
    let lock = envelope::token_value(false, Token::new().as_bytes());
    let write = Write::new(inner.write_policy, vec![key.clone()]);
    let write = lock_all(inner, M::MODEL_NAME, write, &lock)?;
    pause::reach(pause::WRITE_LOCKED, &key);
    match db_write(conn) {
        Ok((written, change)) => {
            pause::reach(pause::WRITE_COMMITTED, &key);
            let steps = write.on_outcome(DbOutcome::Committed(vec![change]));
            perform(inner, M::MODEL_NAME, &lock, steps);
            Ok(written)
        }
        Err(error) => {
            // Put back what the locks replaced when the database certainly did not commit;
            // otherwise (a lost connection, a read-back that failed after the commit) the row
            // may have changed, and only a deletion is safe.
            let steps = write.on_outcome(DbOutcome::of_error(&error));
            perform(inner, M::MODEL_NAME, &lock, steps);
            Err(error)
        }
    }
}

/// Invalidates a key this writer did not lock; owed when Redis cannot be reached.
fn invalidate_or_owe(inner: &Inner, key: Vec<u8>) {
    if inner.store.invalidate(&key).is_err() {
        inner.store.owe_invalidation(key);
    }
}

/// Locks `key` for the open transaction unless it already holds it.
fn lock_in_transaction(
    cache: &Cache,
    model: &'static str,
    conn: usize,
    key: &[u8],
    lock: &[u8],
) -> Result<(), Error> {
    if !transaction::is_locked(cache, conn, key) {
        let inner = cache.inner();
        let write = Write::new(inner.write_policy, vec![key.to_vec()]);
        for (key, replaced) in lock_all(inner, model, write, lock)?.into_locks() {
            transaction::record_lock(cache, conn, key, replaced);
        }
    }
    Ok(())
}

fn encoded_change<M: Cached>(inner: &Inner, row: &M) -> Change {
    protocol::row_value(row, inner.value_rules(), &inner.store.counters)
}

/// A reply to `GET key`, interpreted and counted.
fn interpret_counted<M: Cached>(
    inner: &Inner,
    raw: &Result<Option<Vec<u8>>, crate::error::CacheError>,
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
fn look<M: Cached>(inner: &Inner, key: &[u8]) -> CachedState<M> {
    interpret_counted::<M>(inner, &inner.store.get(key))
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

fn load_without_fill<M, C>(conn: &mut C, inner: &Inner, id: M::Id<'_>) -> Result<Option<M>, Error>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    inner.store.counters.record(Event::Miss, M::MODEL_NAME);
    Ok(M::load(conn, id)?)
}

/// A miss: one reader per process leads; it leases the key, loads, and fills while its lease
/// holds. The others wait for it and read what it filled.
fn lease_and_load<M, C>(
    conn: &mut C,
    cache: &Cache,
    key: &[u8],
    id: M::Id<'_>,
) -> Result<Option<M>, Error>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    let inner = cache.inner();
    let _leader = match inner.flights.join(key) {
        Role::Leader(leader) => leader,
        Role::Follower(follower) => {
            follower.wait(inner.lease_ttl);
            return match protocol::answer(look::<M>(inner, key)) {
                Some(answer) => Ok(answered::<M>(inner, answer)),
                None => load_without_fill(conn, inner, id),
            };
        }
    };
    let lease = envelope::token_value(true, Token::new().as_bytes());
    if !matches!(inner.store.lease(key, &lease, inner.lease_ttl), Ok(true)) {
        // Someone filled, locked or leased the key since we looked.
        return match protocol::plan_read(look::<M>(inner, key), false) {
            ReadPlan::Answer(answer) => Ok(answered::<M>(inner, answer)),
            ReadPlan::AwaitFill => match await_fill::<M>(inner, key) {
                Some(answer) => Ok(answered::<M>(inner, answer)),
                None => load_without_fill(conn, inner, id),
            },
            _ => load_without_fill(conn, inner, id),
        };
    }
    let loaded = match load_without_fill(conn, inner, id) {
        Ok(loaded) => loaded,
        Err(error) => {
            let _ = inner.store.delete_if(key, &lease);
            return Err(error);
        }
    };
    pause::reach(pause::FIND_LOADED, key);
    if loaded
        .as_ref()
        .is_some_and(|row: &M| key_of::<M>(inner, row.id()) != key)
    {
        // Found under another spelling of the key (a case-insensitive collation): the row
        // belongs to its own key, which writes invalidate; this one must stay uncached.
        let _ = inner.store.delete_if(key, &lease);
        return Ok(loaded);
    }
    match protocol::fill_for(loaded.as_ref(), inner.value_rules(), &inner.store.counters) {
        Some((value, ttl)) => match inner.store.fill(key, &lease, &value, ttl) {
            Ok(true) => inner.store.counters.record(Event::Fill, M::MODEL_NAME),
            Ok(false) => inner
                .store
                .counters
                .record(Event::FillRefused, M::MODEL_NAME),
            Err(_) => {}
        },
        // Nothing to cache: free the key now rather than make others wait for the lease.
        None => {
            let _ = inner.store.delete_if(key, &lease);
        }
    }
    Ok(loaded)
}

/// Another reader holds the lease: poll briefly for its fill. `None` when it did not come.
fn await_fill<M: Cached>(inner: &Inner, key: &[u8]) -> Option<Option<M>> {
    let deadline = std::time::Instant::now() + inner.lease_wait;
    let mut pause = Duration::from_millis(1);
    while std::time::Instant::now() < deadline {
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(16));
        match look::<M>(inner, key) {
            CachedState::Held { lease: true } => continue,
            state => return protocol::answer(state),
        }
    }
    None
}

fn refuse_inside_transaction<M: Cached, C: Connection>(
    conn: &mut C,
    operation: &'static str,
) -> Result<(), Error> {
    let status = C::TransactionManager::transaction_manager_status_mut(conn);
    match status.transaction_depth() {
        Ok(None) => Ok(()),
        Ok(Some(_)) => Err(UsageError::InsideTransaction {
            operation,
            model: M::MODEL_NAME,
        }
        .into()),
        // A connection whose transaction state broke (it lost its server mid-transaction)
        // cannot write; that is a database error, not a misuse.
        Err(error) => Err(Error::Database(error)),
    }
}
