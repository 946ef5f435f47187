//! `Cache::transaction`: a Diesel transaction whose cache writes are published after the
//! commit and undone on rollback.
//!
//! A write inside the transaction locks its key at once (so readers stop filling it while the
//! row is uncommitted) and records what to publish. The whole transaction, savepoints included,
//! uses one lock token, so a key written twice is locked once. On commit every written key is
//! published; a key locked by a write that a savepoint rolled back is put back as it was. On
//! rollback every lock is undone.
//!
//! What a frame records and what its end sends is decided in [`crate::core::txn`]; this file
//! keeps the frames and performs the steps.
//!
//! Open transactions live in a thread-local stack keyed by the cache and the address of the
//! connection, which is how `save` and friends, given only `conn` and `cache`, find theirs.
//! Each frame remembers the connection's transaction depth, so a write inside a savepoint the
//! library did not open (Diesel's own `conn.transaction` within ours) is refused: its rollback
//! would be invisible here.
//!
//! A commit publishes rows only when it can trust them. Before committing, the body's
//! transaction is probed with `SELECT 1`: on PostgreSQL a statement error the body swallowed has
//! aborted the transaction, and the probe turns the silent rollback that `COMMIT` would be into
//! an error. A frame in which one of our own writes failed is *tainted* and publishes deletions
//! instead of rows; so does every commit on MySQL, where a deadlock rolls the transaction back
//! and lets the session continue outside it, so that `COMMIT` proves nothing.

use std::cell::RefCell;
use std::num::NonZeroU32;

use diesel::connection::{Connection, TransactionManager};

use crate::cache::{Cache, Inner};
use crate::core::txn::{End, Frame};
use crate::core::write::{Change, DbOutcome};
use crate::envelope;
use crate::error::{Error, UsageError};
use crate::pause;
use crate::redis::store::Replaced;
use crate::token::Token;

use super::steps::{self, inside_transaction};

/// A frame of the core's transaction state, with what identifies its cache and connection.
struct Open {
    cache: usize,
    conn: usize,
    frame: Frame<Replaced>,
}

thread_local! {
    static FRAMES: RefCell<Vec<Open>> = const { RefCell::new(Vec::new()) };
}

/// Identifies a connection by address: the `&mut C` a transaction body receives is the one
/// the caller passed.
pub(crate) fn conn_id<C>(conn: &mut C) -> usize {
    std::ptr::from_mut(conn) as *const () as usize
}

/// The lock value of the transaction open on this cache and connection, if any. Refused when
/// the connection has since entered a savepoint the library did not open.
pub(crate) fn open_lock<C: Connection>(
    cache: &Cache,
    conn: &mut C,
    operation: &'static str,
    model: &'static str,
) -> Result<Option<Vec<u8>>, Error> {
    let (cache, conn_key) = (cache.id(), conn_id(conn));
    let depth = current_depth(conn);
    let Some((lock, admitted)) = FRAMES.with_borrow(|frames| {
        frames
            .iter()
            .rev()
            .find(|f| f.cache == cache && f.conn == conn_key)
            .map(|f| (f.frame.lock().to_vec(), f.frame.admits(depth)))
    }) else {
        return Ok(None);
    };
    if !admitted {
        return Err(UsageError::InsideTransaction { operation, model }.into());
    }
    Ok(Some(lock))
}

/// Marks the open frame: one of our writes failed in it.
pub(crate) fn taint(cache: &Cache, conn: usize) {
    let cache = cache.id();
    FRAMES.with_borrow_mut(|frames| {
        for frame in frames
            .iter_mut()
            .filter(|f| f.cache == cache && f.conn == conn)
        {
            frame.frame.taint();
        }
    });
}

fn current_depth<C: Connection>(conn: &mut C) -> Option<NonZeroU32> {
    C::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .ok()
        .flatten()
}

/// Whether the open transaction already locked `key`.
pub(crate) fn is_locked(cache: &Cache, conn: usize, key: &[u8]) -> bool {
    let cache = cache.id();
    FRAMES.with_borrow(|frames| {
        frames
            .iter()
            .find(|f| f.cache == cache && f.conn == conn)
            .is_some_and(|root| root.frame.is_locked(key))
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
            root.frame.record_lock(key, replaced);
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
            top.frame.record_change(key, change);
        }
    });
}

/// Pops this frame when dropped; an outermost frame dropped by a panic undoes its locks.
struct FrameGuard<'a> {
    inner: &'a Inner,
    cache: usize,
    conn: usize,
    finished: bool,
    /// Whether a commit on this backend proves its writes (see [`commit_is_trusted`]).
    commit_trusted: bool,
}

impl FrameGuard<'_> {
    fn pop(&mut self) -> (Frame<Replaced>, bool) {
        self.finished = true;
        FRAMES.with_borrow_mut(|frames| {
            let index = frames
                .iter()
                .rposition(|f| f.cache == self.cache && f.conn == self.conn)
                .expect("the frame this guard pushed");
            let frame = frames.remove(index).frame;
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
                settle(
                    self.inner,
                    frame.lock().to_vec(),
                    frame.end(DbOutcome::NotCommitted, self.commit_trusted),
                );
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
    /// ```no_run
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { users (id) { id -> BigInt, email -> Text, name -> Text, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough, Debug, Clone, PartialEq)]
    /// # #[diesel(table_name = users)]
    /// # #[write_through(key = "user:{id}", ttl = "1h")]
    /// # pub struct User { pub id: i64, pub email: String, pub name: String }
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish("app.sqlite")?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// # let (mut alice, mut bob) = (User::find(&mut conn, &cache, &1)?.unwrap(), User::find(&mut conn, &cache, &2)?.unwrap());
    /// // Alice gives her email to Bob: both rows change in one database transaction, and
    /// // both cached rows are published only after the commit.
    /// bob.email = std::mem::replace(&mut alice.email, "alice@example.org".into());
    /// cache.transaction(&mut conn, |conn| {
    ///     alice.save(conn, &cache)?;
    ///     bob.save(conn, &cache)?;
    ///     Ok::<_, write_through::Error>(())
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn transaction<C, T, E, F>(&self, conn: &mut C, body: F) -> Result<T, E>
    where
        C: Connection,
        F: FnOnce(&mut C) -> Result<T, E>,
        E: From<diesel::result::Error> + From<Error>,
    {
        let (cache, conn_key) = (self.id(), conn_id(conn));
        let depth = current_depth(conn);
        let parent = FRAMES.with_borrow(|frames| {
            frames
                .iter()
                .rev()
                .find(|f| f.cache == cache && f.conn == conn_key)
                .map(|f| (f.frame.lock().to_vec(), f.frame.admits(depth)))
        });
        let lock = match parent {
            None if inside_transaction(conn) => {
                return Err(Error::from(UsageError::TransactionInsideForeignTransaction).into());
            }
            Some((_, false)) => {
                return Err(Error::from(UsageError::TransactionInsideForeignTransaction).into());
            }
            Some((lock, _)) => lock,
            None => envelope::token_value(false, Token::new().as_bytes()),
        };
        FRAMES.with_borrow_mut(|frames| {
            frames.push(Open {
                cache,
                conn: conn_key,
                frame: Frame::new(lock),
            });
        });
        let mut guard = FrameGuard {
            inner: self.inner(),
            cache,
            conn: conn_key,
            finished: false,
            commit_trusted: commit_is_trusted::<C>(),
        };
        let mut reached_commit = false;
        let result = conn.transaction(|conn| {
            let depth = current_depth(conn);
            FRAMES.with_borrow_mut(|frames| {
                if let Some(top) = frames.last_mut() {
                    top.frame.began_at(depth);
                }
            });
            let value = body(conn)?;
            // An aborted transaction (a statement error the body swallowed) fails here, so
            // that Diesel rolls back instead of committing nothing in silence.
            conn.batch_execute("SELECT 1")?;
            reached_commit = true;
            Ok(value)
        });
        let (frame, outermost) = guard.pop();
        let outcome = match &result {
            Ok(_) => DbOutcome::Committed(()),
            // The COMMIT (or a savepoint's release) itself failed: a lost connection may hide a
            // commit that happened.
            Err(_) if reached_commit => DbOutcome::Unknown,
            Err(_) => DbOutcome::NotCommitted,
        };
        if outermost {
            let lock = frame.lock().to_vec();
            settle(
                self.inner(),
                lock,
                frame.end(outcome, commit_is_trusted::<C>()),
            );
        } else {
            FRAMES.with_borrow_mut(|frames| {
                if let Some(parent) = frames
                    .iter_mut()
                    .rev()
                    .find(|f| f.cache == cache && f.conn == conn_key)
                {
                    frame.end_inside(&mut parent.frame, outcome);
                }
            });
        }
        result
    }
}

/// Whether a commit on this backend proves that the transaction's writes are in the database.
/// (`C` names the backend only when MySQL is built in.)
#[cfg_attr(not(feature = "mysql"), allow(clippy::extra_unused_type_parameters))]
fn commit_is_trusted<C: Connection>() -> bool {
    #[cfg(feature = "mysql")]
    {
        // `TypeId` would need `C::Backend: 'static` in every caller's bounds; the type's name
        // identifies it as well within one build.
        std::any::type_name::<C::Backend>() != std::any::type_name::<diesel::mysql::Mysql>()
    }
    #[cfg(not(feature = "mysql"))]
    {
        true
    }
}

/// Performs what the end of the outermost frame sends.
fn settle(inner: &Inner, lock: Vec<u8>, end: End<Replaced>) {
    match end {
        End::Merged => {}
        End::Settle(steps) => {
            for (key, step) in steps {
                pause::reach(pause::TRANSACTION_COMMITTED, &key);
                steps::perform_one(inner, "*", &lock, key, step);
            }
        }
        End::Undo(undo) => steps::perform(inner, "*", &lock, undo),
    }
}
