//! `Cache::transaction`: a Diesel transaction whose cache writes are published after the
//! commit and undone on rollback.
//!
//! A write inside the transaction locks its key at once (so readers stop filling it while the
//! row is uncommitted) and records what to publish. The whole transaction, savepoints included,
//! uses one lock token, so a key written twice is locked once. On commit every written key is
//! published; a key locked by a write that a savepoint rolled back is put back as it was. On
//! rollback every lock is undone.
//!
//! Open transactions live in a thread-local stack keyed by the cache and the address of the
//! connection, which is how `save` and friends, given only `conn` and `cache`, find theirs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use diesel::connection::Connection;

use crate::cache::{Cache, Inner};
use crate::envelope;
use crate::error::{Error, UsageError};
use crate::pause;
use crate::store::Replaced;
use crate::token::Token;

/// What a committed write leaves in Redis: a value with its TTL, or nothing.
pub(crate) type Change = Option<(Vec<u8>, Duration)>;

struct Frame {
    cache: usize,
    conn: usize,
    /// The lock value of the outermost transaction, shared by its savepoints.
    lock: Vec<u8>,
    /// Keys this frame's writes locked (outermost frame only), with what each lock replaced
    /// (`None` when Redis could not be reached).
    locked: HashMap<Vec<u8>, Option<Replaced>>,
    /// What to publish per key if this frame commits.
    changes: HashMap<Vec<u8>, Change>,
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Identifies a connection by address: the `&mut C` a transaction body receives is the one
/// the caller passed.
pub(crate) fn conn_id<C>(conn: &mut C) -> usize {
    std::ptr::from_mut(conn) as *const () as usize
}

/// The lock value of the transaction open on this cache and connection, if any.
pub(crate) fn open_lock(cache: &Cache, conn: usize) -> Option<Vec<u8>> {
    let cache = cache.id();
    FRAMES.with_borrow(|frames| {
        frames
            .iter()
            .find(|f| f.cache == cache && f.conn == conn)
            .map(|f| f.lock.clone())
    })
}

/// Whether the open transaction already locked `key`.
pub(crate) fn is_locked(cache: &Cache, conn: usize, key: &[u8]) -> bool {
    let cache = cache.id();
    FRAMES.with_borrow(|frames| {
        frames
            .iter()
            .find(|f| f.cache == cache && f.conn == conn)
            .is_some_and(|root| root.locked.contains_key(key))
    })
}

/// Records a lock taken by the open transaction (on its outermost frame).
pub(crate) fn record_lock(cache: &Cache, conn: usize, key: Vec<u8>, replaced: Option<Replaced>) {
    let cache = cache.id();
    FRAMES.with_borrow_mut(|frames| {
        if let Some(root) = frames
            .iter_mut()
            .find(|f| f.cache == cache && f.conn == conn)
        {
            root.locked.entry(key).or_insert(replaced);
        }
    });
}

/// Records what to publish for `key` if the innermost open frame commits.
pub(crate) fn record_change(cache: &Cache, conn: usize, key: Vec<u8>, change: Change) {
    let cache = cache.id();
    FRAMES.with_borrow_mut(|frames| {
        if let Some(top) = frames
            .iter_mut()
            .rev()
            .find(|f| f.cache == cache && f.conn == conn)
        {
            top.changes.insert(key, change);
        }
    });
}

/// Pops this frame when dropped; an outermost frame dropped by a panic undoes its locks.
struct FrameGuard<'a> {
    inner: &'a Inner,
    cache: usize,
    conn: usize,
    finished: bool,
}

impl FrameGuard<'_> {
    fn pop(&mut self) -> (Frame, bool) {
        self.finished = true;
        FRAMES.with_borrow_mut(|frames| {
            let index = frames
                .iter()
                .rposition(|f| f.cache == self.cache && f.conn == self.conn)
                .expect("the frame this guard pushed");
            let frame = frames.remove(index);
            let outermost = !frames
                .iter()
                .any(|f| f.cache == self.cache && f.conn == self.conn);
            (frame, outermost)
        })
    }
}

impl Drop for FrameGuard<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let (frame, outermost) = self.pop();
            if outermost {
                undo(self.inner, &frame);
            }
        }
    }
}

impl Cache {
    /// Runs `body` in a Diesel transaction on `conn`; the cache writes made inside it are
    /// published after the commit and undone if it rolls back. Nested calls become savepoints.
    ///
    /// Refused with [`UsageError::TransactionInsideForeignTransaction`] when `conn` is already inside a
    /// transaction that this cache does not manage (its commit cannot be observed).
    ///
    /// ```ignore
    /// cache.transaction(&mut conn, |conn| {
    ///     alice.save(conn, &cache)?;
    ///     bob.save(conn, &cache)?;
    ///     Ok::<_, write_through::Error>(())
    /// })?;
    /// ```
    pub fn transaction<C, T, E, F>(&self, conn: &mut C, body: F) -> Result<T, E>
    where
        C: Connection,
        F: FnOnce(&mut C) -> Result<T, E>,
        E: From<diesel::result::Error> + From<Error>,
    {
        let (cache, conn_key) = (self.id(), conn_id(conn));
        let parent_lock = open_lock(self, conn_key);
        if parent_lock.is_none() && crate::ops::inside_transaction(conn) {
            return Err(Error::from(UsageError::TransactionInsideForeignTransaction).into());
        }
        let lock =
            parent_lock.unwrap_or_else(|| envelope::token_value(false, Token::new().as_bytes()));
        FRAMES.with_borrow_mut(|frames| {
            frames.push(Frame {
                cache,
                conn: conn_key,
                lock,
                locked: HashMap::new(),
                changes: HashMap::new(),
            });
        });
        let mut guard = FrameGuard {
            inner: self.inner(),
            cache,
            conn: conn_key,
            finished: false,
        };
        let result = conn.transaction(body);
        let (frame, outermost) = guard.pop();
        match (&result, outermost) {
            (Ok(_), true) => publish(self.inner(), frame),
            (Ok(_), false) => FRAMES.with_borrow_mut(|frames| {
                // A released savepoint: its changes become the parent's.
                if let Some(parent) = frames
                    .iter_mut()
                    .rev()
                    .find(|f| f.cache == cache && f.conn == conn_key)
                {
                    parent.changes.extend(frame.changes);
                }
            }),
            (Err(_), true) => undo(self.inner(), &frame),
            // A rolled-back savepoint: its changes are dropped; its keys stay locked by the
            // outermost frame and are put back at its end unless written again.
            (Err(_), false) => {}
        }
        result
    }
}

fn publish(inner: &Inner, frame: Frame) {
    let Frame {
        lock,
        locked,
        mut changes,
        ..
    } = frame;
    for (key, replaced) in locked {
        pause::reach(pause::TRANSACTION_COMMITTED, &key);
        match changes.remove(&key) {
            Some(change) => crate::ops::publish_change(inner, "*", key, &lock, change),
            None => crate::ops::undo_lock(inner, &key, &lock, replaced.as_ref()),
        }
    }
}

fn undo(inner: &Inner, frame: &Frame) {
    for (key, replaced) in &frame.locked {
        crate::ops::undo_lock(inner, key, &frame.lock, replaced.as_ref());
    }
}
