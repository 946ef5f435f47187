//! Performing the core's steps against Redis: locks fed back to a [`Write`], and the
//! publishes, restores and owed invalidations that follow. Nothing is decided here but what a
//! Redis error means (the breaker and the timeouts live in `redis/store.rs` and `shared/`).

use crate::cache::Inner;
use crate::core::write::{AfterLock, AfterPublish, Change, DELETION_TTL, LockReply, Step, Write};
use crate::error::Error;
use crate::redis::commands::{self, Exec, Replaced};
use crate::stats::Event;

/// Takes every lock `write` asks for, feeding each reply back. `Err` when the write is refused
/// (Redis unreachable under `WritePolicy::Strict`): the locks taken before are put back, and
/// the database must not be touched.
pub(crate) async fn lock_all(
    e: &impl Exec,
    inner: &Inner,
    model: &'static str,
    mut write: Write<Replaced>,
    lock: &[u8],
) -> Result<Write<Replaced>, Error> {
    while let Some(key) = write.next_lock() {
        let locked = commands::lock(e, key, lock, inner.lock_ttl).await;
        // After the lock, whatever its reply: a value this process read before it is retired
        // before the database write begins (see `local/`).
        inner.evict_local(key);
        let (reply, error) = match locked {
            Ok(replaced) => {
                inner.store.counters.record(Event::Lock, model);
                (LockReply::Locked(replaced), None)
            }
            Err(error) => (LockReply::Unreachable, Some(error)),
        };
        match (write.on_lock(reply), error) {
            (AfterLock::Refuse, Some(error)) => {
                perform(e, inner, model, lock, write.refused()).await;
                return Err(error.into());
            }
            (AfterLock::Refuse, None) => unreachable!("only an unreachable lock refuses"),
            (AfterLock::LockNext | AfterLock::WriteDatabase, _) => {}
        }
    }
    Ok(write)
}

/// Performs the steps the core decided, in order. Never fails: what cannot be delivered is
/// owed (a publish) or left to expire (a restore).
pub(crate) async fn perform(
    e: &impl Exec,
    inner: &Inner,
    model: &'static str,
    lock: &[u8],
    steps: Vec<(Vec<u8>, Step<Replaced>)>,
) {
    for (key, step) in steps {
        perform_one(e, inner, model, lock, key, step).await;
    }
}

/// Performs one step.
pub(crate) async fn perform_one(
    e: &impl Exec,
    inner: &Inner,
    model: &'static str,
    lock: &[u8],
    key: Vec<u8>,
    step: Step<Replaced>,
) {
    match step {
        Step::Publish(change) => publish(e, inner, model, key.clone(), lock, change).await,
        // When the restore cannot reach Redis the lock stays and expires into a miss.
        Step::Restore(replaced) => {
            let _ = commands::restore(e, &key, lock, &replaced).await;
        }
        Step::Nothing => return,
    }
    inner.evict_local(&key);
}

/// Publishes a committed change by compare-and-set on `lock`.
async fn publish(
    e: &impl Exec,
    inner: &Inner,
    model: &'static str,
    key: Vec<u8>,
    lock: &[u8],
    change: Change,
) {
    let (value, ttl) = match &change {
        Some((value, ttl)) => (Some(value.as_slice()), *ttl),
        None => (None, DELETION_TTL),
    };
    let reply = commands::publish(e, &key, lock, value, ttl).await.ok();
    match crate::core::write::after_publish(reply) {
        AfterPublish::Count(event) => inner.store.counters.record(event, model),
        AfterPublish::OweInvalidation => {
            tracing::warn!(model, "cache invalidation owed until Redis answers");
            inner.store.owe_invalidation(key);
        }
    }
}
