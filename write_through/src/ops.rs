//! The blocking front end: `find`, `save`, `delete` and `create` over a Diesel connection and a
//! [`Cache`]. The generated inherent methods call these.
//!
//! Order of a write: encode the row (an unencodable row fails before anything changes), commit
//! to the database, then publish to Redis. A failed publish falls back to deleting the key, and
//! a failed delete is owed to Redis (see [`crate::store`]), so a committed write can never leave
//! an older value readable, and a failed database write publishes nothing.

use diesel::connection::{Connection, LoadConnection, TransactionManager};

use crate::cache::{Cache, Inner, WritePolicy};
use crate::codec;
use crate::error::{Error, UsageError};
use crate::key::KeyWriter;
use crate::model::{Cached, DieselCreate, DieselOps};
use crate::protocol::{self, CachedState, ReadPlan, WriteBack};
use crate::stats::Event;

/// Reads a row: from Redis when cached, else from the database, filling the cache.
pub fn find<M, C>(conn: &mut C, cache: &Cache, id: M::Id<'_>) -> Result<Option<M>, Error>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    let inner = cache.inner();
    let key = key_of::<M>(inner, id);
    let state = match inner.store.get(&key) {
        Ok(value) => protocol::interpret::<M>(value.as_deref(), inner.max_value_bytes),
        Err(_) => CachedState::Unavailable,
    };
    let counters = &inner.store.counters;
    if let CachedState::Unreadable(reason) = &state {
        counters.record(Event::UnreadableValue, M::MODEL_NAME);
        tracing::warn!(model = M::MODEL_NAME, %reason, "unusable cached value; reloading");
    }
    let (may_fill, unreadable) = match protocol::plan_read(state, inside_transaction(conn)) {
        ReadPlan::Answer(answer) => {
            let event = if answer.is_some() {
                Event::Hit
            } else {
                Event::NegativeHit
            };
            counters.record(event, M::MODEL_NAME);
            return Ok(answer);
        }
        ReadPlan::Load {
            may_fill,
            unreadable,
        } => (may_fill, unreadable),
    };
    counters.record(Event::Miss, M::MODEL_NAME);
    let loaded = M::load(conn, id)?;
    let write_back =
        protocol::after_load(loaded.as_ref(), may_fill, unreadable, inner.max_value_bytes);
    match write_back {
        WriteBack::Set { value, ttl } => {
            if inner.store.set(&key, &value, ttl).is_ok() {
                counters.record(Event::Fill, M::MODEL_NAME);
            }
        }
        // A read that cannot remove bad bytes leaves them: the next read finds them again.
        WriteBack::Delete => {
            let _ = inner.store.del(&key);
        }
        WriteBack::Nothing => {}
    }
    Ok(loaded)
}

/// Inserts or updates a row, then publishes it to Redis.
pub fn save<M, C>(row: &M, conn: &mut C, cache: &Cache) -> Result<(), Error>
where
    C: Connection,
    M: DieselOps<C::Backend>,
{
    refuse_inside_transaction::<M, C>(conn, "save")?;
    let inner = cache.inner();
    let value = codec::encode_row(M::MODEL_NAME, M::SCHEMA_FINGERPRINT, row)?;
    let key = key_of::<M>(inner, row.id());
    invalidate_first_if_strict(inner, &key)?;
    row.upsert(conn)?;
    publish::<M>(
        inner,
        key,
        protocol::after_save(value, M::TTL, inner.max_value_bytes),
    );
    Ok(())
}

/// Deletes a row, then its cached value. `true` when a row was deleted.
pub fn delete<M, C>(conn: &mut C, cache: &Cache, id: M::Id<'_>) -> Result<bool, Error>
where
    C: Connection,
    M: DieselOps<C::Backend>,
{
    refuse_inside_transaction::<M, C>(conn, "delete")?;
    let inner = cache.inner();
    let key = key_of::<M>(inner, id);
    invalidate_first_if_strict(inner, &key)?;
    let deleted = M::remove(conn, id)?;
    publish::<M>(inner, key, WriteBack::Delete);
    Ok(deleted > 0)
}

/// Inserts a row whose primary key the database generates, caches it and returns it.
///
/// A cached "no such row" for the new key (negative caching) is replaced, so the row is
/// visible at once. [`WritePolicy::Strict`] cannot invalidate first (the key is not known
/// before the insert); a failed publish is owed to Redis as for every write.
pub fn create<M, C, N>(conn: &mut C, cache: &Cache, new: N) -> Result<M, Error>
where
    C: Connection,
    M: DieselCreate<C::Backend, C, N>,
{
    refuse_inside_transaction::<M, C>(conn, "create")?;
    let inner = cache.inner();
    let row = M::insert_returning(conn, new)?;
    let key = key_of::<M>(inner, row.id());
    let write_back = match codec::encode_row(M::MODEL_NAME, M::SCHEMA_FINGERPRINT, &row) {
        Ok(value) => protocol::after_save(value, M::TTL, inner.max_value_bytes),
        Err(error) => {
            tracing::warn!(model = M::MODEL_NAME, %error, "created row does not encode; not cached");
            WriteBack::Delete
        }
    };
    publish::<M>(inner, key, write_back);
    Ok(row)
}

/// The full Redis key of the row with primary key `id`.
pub(crate) fn key_of<M: Cached>(inner: &Inner, id: M::Id<'_>) -> Vec<u8> {
    let mut key = KeyWriter::new(&inner.namespace);
    M::write_key(id, &mut key);
    key.into_bytes()
}

/// Brings Redis in line with a committed write. Never fails: what cannot be delivered now is
/// owed, and delivered before Redis serves anything else.
fn publish<M: Cached>(inner: &Inner, key: Vec<u8>, write_back: WriteBack) {
    let counters = &inner.store.counters;
    if let WriteBack::Set { value, ttl } = &write_back {
        if inner.store.set(&key, value, *ttl).is_ok() {
            counters.record(Event::Publish, M::MODEL_NAME);
            return;
        }
        // The SET may or may not have landed; only a delete leaves a known state.
    }
    match inner.store.del(&key) {
        Ok(()) => counters.record(Event::Invalidation, M::MODEL_NAME),
        Err(_) => {
            tracing::warn!(
                model = M::MODEL_NAME,
                "cache invalidation owed until Redis answers"
            );
            inner.store.owe_invalidation(key);
        }
    }
}

fn invalidate_first_if_strict(inner: &Inner, key: &[u8]) -> Result<(), Error> {
    if inner.write_policy == WritePolicy::Strict {
        inner.store.del(key)?;
    }
    Ok(())
}

/// Whether the connection is inside a transaction (or in a broken transaction state).
fn inside_transaction<C: Connection>(conn: &mut C) -> bool {
    let status = C::TransactionManager::transaction_manager_status_mut(conn);
    !matches!(status.transaction_depth(), Ok(None))
}

fn refuse_inside_transaction<M: Cached, C: Connection>(
    conn: &mut C,
    operation: &'static str,
) -> Result<(), Error> {
    if inside_transaction(conn) {
        return Err(UsageError::InsideTransaction {
            operation,
            model: M::MODEL_NAME,
        }
        .into());
    }
    Ok(())
}
