//! `Cache::transaction`, both fronts: a Diesel transaction whose cache writes are published
//! after the commit and undone on rollback.
//!
//! A write inside the transaction locks its key at once (so readers stop filling it while the
//! row is uncommitted) and records what to publish. The whole transaction, savepoints included,
//! uses one lock token, so a key written twice is locked once. On commit every written key is
//! published; a key locked by a write that a savepoint rolled back is put back as it was. On
//! rollback every lock is undone.
//!
//! What a frame records and what its end sends is decided in [`crate::core::txn`]; the frames
//! live in `shared/frames.rs`. Each frame remembers the connection's transaction depth, so a
//! write inside a savepoint the library did not open (Diesel's own `conn.transaction` within
//! ours) is refused: its rollback would be invisible here.
//!
//! A commit publishes rows only when it can trust them. Before committing, the body's
//! transaction is probed with `SELECT 1`: on PostgreSQL a statement error the body swallowed has
//! aborted the transaction, and the probe turns the silent rollback that `COMMIT` would be into
//! an error. A frame in which one of our own writes failed is *tainted* and publishes deletions
//! instead of rows; so does every commit on MySQL, where a deadlock rolls the transaction back
//! and lets the session continue outside it, so that `COMMIT` proves nothing.
//!
//! Each front's `transaction` opens a frame ([`begin`]), runs the body in a Diesel transaction,
//! and ends the frame with the outcome ([`finish`]); a frame whose call ends otherwise (a
//! panic, a dropped future) is ended by [`FrameGuard`] as not committed.

use crate::cache::{Cache, Inner};
use crate::core::txn::End;
use crate::core::write::{DbOutcome, Write};
use crate::envelope;
use crate::error::{Error, UsageError};
use crate::pause;
use crate::redis::commands::{Exec, Replaced};
use crate::token::Token;

use super::db::Conn;
use super::steps::{self, lock_all};

/// The lock value of the transaction open on this cache and connection, if any. Refused when
/// the connection has since entered a savepoint the library did not open.
pub(crate) fn open_lock<D: Conn>(
    cache: &Cache,
    db: &mut D,
    operation: &'static str,
    model: &'static str,
) -> Result<Option<Vec<u8>>, Error> {
    let conn = db.id();
    // A connection whose transaction state broke is gone: said so, not taken for a savepoint.
    let depth = db.usable_depth()?;
    let Some((lock, admitted)) = cache.inner().frames.innermost(conn, depth) else {
        return Ok(None);
    };
    if !admitted {
        return Err(UsageError::InsideTransaction { operation, model }.into());
    }
    Ok(Some(lock))
}

/// Locks `key` for the open transaction unless it already holds it.
pub(crate) async fn lock_in_transaction(
    e: &impl Exec,
    cache: &Cache,
    model: &'static str,
    conn: usize,
    key: &[u8],
    lock: &[u8],
) -> Result<(), Error> {
    let inner = cache.inner();
    if !inner.frames.is_locked(conn, key) {
        let write = Write::new(inner.write_policy, vec![key.to_vec()]);
        for (key, replaced) in lock_all(e, inner, model, write, lock).await?.into_locks() {
            inner.frames.record_lock(conn, key, replaced);
        }
    }
    Ok(())
}

/// What a front does with the end of a frame whose `transaction` call was abandoned (a panic,
/// a dropped future), from inside `drop`: the blocking front settles it at once; the async
/// front cannot wait there, so it leaves the locks to expire after `lock_ttl` into a miss, as
/// a crashed process's would.
pub(crate) type Abandon = fn(&Inner, Ending);

/// Opens a frame for a `transaction` call on `db`: a new one, or a savepoint of the one open.
/// Refused when `db` is inside a transaction this cache does not manage.
pub(crate) fn begin<'c, D: Conn>(
    cache: &'c Cache,
    db: &mut D,
    abandon: Abandon,
) -> Result<FrameGuard<'c>, Error> {
    let conn = db.id();
    // A connection whose transaction state broke is gone, not inside someone's transaction.
    let depth = db.usable_depth()?;
    let frames = &cache.inner().frames;
    let lock = match frames.innermost(conn, depth) {
        None if depth.is_some() => {
            return Err(UsageError::TransactionInsideForeignTransaction.into());
        }
        Some((_, false)) => return Err(UsageError::TransactionInsideForeignTransaction.into()),
        Some((lock, _)) => lock,
        None => envelope::token_value(false, Token::new().as_bytes()),
    };
    frames.push(conn, lock);
    Ok(FrameGuard {
        inner: cache.inner(),
        conn,
        commit_trusted: db.commit_trusted(),
        abandon,
        finished: false,
    })
}

/// Ends a frame if its `transaction` call did not (a panic, a dropped future): as not
/// committed, and hands what that end sends to its front's [`Abandon`].
pub(crate) struct FrameGuard<'a> {
    inner: &'a Inner,
    conn: usize,
    commit_trusted: bool,
    abandon: Abandon,
    finished: bool,
}

impl FrameGuard<'_> {
    /// The frame's database transaction began; the connection is now at `depth`.
    pub(crate) fn began<D: Conn>(&self, db: &mut D) {
        let depth = db.depth().ok().flatten();
        self.inner.frames.began_at(self.conn, depth);
    }

    /// Ends the frame with the transaction's result: `reached_commit` when the body returned
    /// `Ok` and the probe passed, so that an error is the commit's own (its outcome unknown).
    pub(crate) fn finish(mut self, committed: bool, reached_commit: bool) -> Ending {
        self.finished = true;
        let outcome = match (committed, reached_commit) {
            (true, _) => DbOutcome::Committed(()),
            // The COMMIT (or a savepoint's release) itself failed: a lost connection may hide a
            // commit that happened.
            (false, true) => DbOutcome::Unknown,
            (false, false) => DbOutcome::NotCommitted,
        };
        Ending(
            self.inner
                .frames
                .end(self.conn, outcome, self.commit_trusted),
        )
    }
}

impl Drop for FrameGuard<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let ending = Ending(self.inner.frames.end(
                self.conn,
                DbOutcome::NotCommitted,
                self.commit_trusted,
            ));
            (self.abandon)(self.inner, ending);
        }
    }
}

/// What the end of a frame sends, to be performed by the front.
#[must_use = "the end of an outermost frame must be performed"]
pub(crate) struct Ending(Option<(Vec<u8>, End<Replaced>)>);

impl Ending {
    /// Performs what the end of the outermost frame sends (nothing for a savepoint).
    pub(crate) async fn settle(self, e: &impl Exec, inner: &Inner) {
        let Some((lock, end)) = self.0 else {
            return;
        };
        match end {
            End::Merged => {}
            End::Settle(steps) => {
                for (key, step) in steps {
                    pause::reach(pause::TRANSACTION_COMMITTED, &key);
                    steps::perform_one(e, inner, "*", &lock, key, step).await;
                }
            }
            End::Undo(undo) => steps::perform(e, inner, "*", &lock, undo).await,
        }
    }
}
