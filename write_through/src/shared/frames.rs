//! The transactions open on each connection, for both fronts: which is how `save` and friends,
//! given only `conn` and `cache`, find theirs.
//!
//! Frames are keyed by the address of the connection: the `&mut C` a transaction body
//! receives is the one the caller passed, and while a frame is open that connection is
//! mutably borrowed by its `transaction` call, so no other live connection has its address. A
//! frame is removed when its `transaction` call ends, returns, unwinds or (async) is dropped.
//! They live in the `Cache` rather than in a thread-local, because a tokio task moves between
//! threads at each `.await`.
//!
//! What a frame records and what its end sends is decided in [`crate::core::txn`]. `R` is what a
//! lock replaced, as the Redis layer above keeps it (the core hands it back to be put back).

use std::num::NonZeroU32;
use std::sync::{Mutex, MutexGuard};

use crate::core::txn::{End, Frame};
use crate::core::write::{Change, DbOutcome};

struct Open<R> {
    conn: usize,
    frame: Frame<R>,
}

pub(crate) struct Frames<R> {
    open: Mutex<Vec<Open<R>>>,
}

impl<R> Default for Frames<R> {
    fn default() -> Self {
        Self {
            open: Mutex::new(Vec::new()),
        }
    }
}

/// Identifies a connection by address.
pub(crate) fn conn_id<C>(conn: &mut C) -> usize {
    std::ptr::from_mut(conn) as *const () as usize
}

impl<R> Frames<R> {
    fn open(&self) -> MutexGuard<'_, Vec<Open<R>>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The lock value of the innermost frame open on `conn`, and whether it admits a write at
    /// the connection's `depth` (not inside a savepoint the library did not open).
    pub(crate) fn innermost(
        &self,
        conn: usize,
        depth: Option<NonZeroU32>,
    ) -> Option<(Vec<u8>, bool)> {
        self.open()
            .iter()
            .rev()
            .find(|f| f.conn == conn)
            .map(|f| (f.frame.lock().to_vec(), f.frame.admits(depth)))
    }

    /// Opens a frame on `conn`.
    pub(crate) fn push(&self, conn: usize, lock: Vec<u8>) {
        self.open().push(Open {
            conn,
            frame: Frame::new(lock),
        });
    }

    /// The innermost frame on `conn` began its database transaction at `depth`.
    pub(crate) fn began_at(&self, conn: usize, depth: Option<NonZeroU32>) {
        if let Some(top) = self.open().iter_mut().rev().find(|f| f.conn == conn) {
            top.frame.began_at(depth);
        }
    }

    /// Marks every frame open on `conn`: one of our writes failed in it.
    pub(crate) fn taint(&self, conn: usize) {
        for open in self.open().iter_mut().filter(|f| f.conn == conn) {
            open.frame.taint();
        }
    }

    /// Whether the transaction open on `conn` already locked `key`.
    pub(crate) fn is_locked(&self, conn: usize, key: &[u8]) -> bool {
        self.open()
            .iter()
            .find(|f| f.conn == conn)
            .is_some_and(|root| root.frame.is_locked(key))
    }

    /// Records a lock taken by the transaction open on `conn` (on its outermost frame).
    pub(crate) fn record_lock(&self, conn: usize, key: Vec<u8>, replaced: Option<R>) {
        if let Some(root) = self.open().iter_mut().find(|f| f.conn == conn) {
            root.frame.record_lock(key, replaced);
        }
    }

    /// Records what to publish for `key` if the innermost frame on `conn` commits.
    pub(crate) fn record_change(&self, conn: usize, key: Vec<u8>, change: Change) {
        if let Some(top) = self.open().iter_mut().rev().find(|f| f.conn == conn) {
            top.frame.record_change(key, change);
        }
    }

    /// Ends the innermost frame on `conn`: a savepoint hands over to its parent (nothing to
    /// send); the outermost frame returns what its end sends, with its lock value.
    pub(crate) fn end(
        &self,
        conn: usize,
        outcome: DbOutcome<()>,
        commit_trusted: bool,
    ) -> Option<(Vec<u8>, End<R>)> {
        let mut open = self.open();
        let index = open.iter().rposition(|f| f.conn == conn)?;
        let frame = open.remove(index).frame;
        match open.iter_mut().rev().find(|f| f.conn == conn) {
            Some(parent) => {
                frame.end_inside(&mut parent.frame, outcome);
                None
            }
            None => {
                let lock = frame.lock().to_vec();
                Some((lock, frame.end(outcome, commit_trusted)))
            }
        }
    }
}
