//! The state of one `Cache::transaction` frame and what its end sends.
//!
//! A write inside a transaction locks its keys at once (readers stop filling them while the
//! row is uncommitted) and records what to publish; the outermost frame keeps the locks, every
//! frame (savepoints included) its own changes. How a frame ends decides the rest:
//! - a released savepoint hands its changes and its taint to its parent;
//! - a savepoint whose release failed taints its parent (its outcome is unknown there);
//! - a rolled-back savepoint drops its changes; its keys stay locked by the outermost frame;
//! - an outermost commit publishes each written key and puts back each key locked only by a
//!   rolled-back savepoint, unless the frame is tainted (one of the library's writes failed in
//!   it) or the backend's commit proves nothing (MySQL, see `guide::transactions`): then every locked key
//!   is deleted;
//! - an outermost rollback puts every key back, except under the same distrust: deleted;
//! - a commit whose outcome is unknown (the `COMMIT` itself failed) deletes every locked key.
//!
//! Where frames are kept (per connection, in the cache handle: `shared/frames.rs`) is the
//! drivers' business.

use std::collections::HashMap;
use std::num::NonZeroU32;

use crate::core::write::{Change, DbOutcome, Step};

/// One frame: the outermost transaction or a savepoint inside it.
#[derive(Debug)]
pub(crate) struct Frame<R> {
    /// The lock value of the outermost transaction, shared by its savepoints.
    lock: Vec<u8>,
    /// Keys this transaction's writes locked (outermost frame only), with what each lock
    /// replaced (`None` when Redis could not be reached).
    locked: HashMap<Vec<u8>, Option<R>>,
    /// What to publish per key if this frame commits.
    changes: HashMap<Vec<u8>, Change>,
    /// The connection's transaction depth inside this frame's transaction.
    depth: Option<NonZeroU32>,
    /// One of our writes failed inside this frame: its rows cannot be trusted.
    tainted: bool,
}

/// What the end of a frame sends.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum End<R> {
    /// A savepoint: nothing to send; its parent has taken over what it must.
    Merged,
    /// The transaction is over and its writes may be in the database: these steps settle each
    /// locked key (the blocking front's pause point `TRANSACTION_COMMITTED` precedes each).
    Settle(Vec<(Vec<u8>, Step<R>)>),
    /// The transaction rolled back: put each key back.
    Undo(Vec<(Vec<u8>, Step<R>)>),
}

impl<R> Frame<R> {
    /// A frame whose writes lock with `lock` (the outermost frame's lock, for a savepoint).
    pub(crate) fn new(lock: Vec<u8>) -> Self {
        Self {
            lock,
            locked: HashMap::new(),
            changes: HashMap::new(),
            depth: None,
            tainted: false,
        }
    }

    /// The lock value its writes use.
    pub(crate) fn lock(&self) -> &[u8] {
        &self.lock
    }

    /// Whether a write (or a nested transaction) on a connection at `depth` belongs to this
    /// frame. A deeper connection is inside a savepoint the library did not open (Diesel's own
    /// `conn.transaction` within ours), whose rollback would be invisible here: refused.
    pub(crate) fn admits(&self, depth: Option<NonZeroU32>) -> bool {
        self.depth == depth
    }

    /// Records the depth the connection reached when this frame's transaction began.
    pub(crate) fn began_at(&mut self, depth: Option<NonZeroU32>) {
        self.depth = depth;
    }

    /// Whether the transaction already locked `key` (asked of the outermost frame): a key
    /// written twice is locked once.
    pub(crate) fn is_locked(&self, key: &[u8]) -> bool {
        self.locked.contains_key(key)
    }

    /// Records a lock (on the outermost frame); the first lock of a key keeps what it replaced.
    pub(crate) fn record_lock(&mut self, key: Vec<u8>, replaced: Option<R>) {
        self.locked.entry(key).or_insert(replaced);
    }

    /// Records what to publish for `key` if this frame commits (the last write wins).
    pub(crate) fn record_change(&mut self, key: Vec<u8>, change: Change) {
        self.changes.insert(key, change);
    }

    /// One of our writes failed in this frame.
    pub(crate) fn taint(&mut self) {
        self.tainted = true;
    }

    /// Ends a savepoint inside `parent`.
    pub(crate) fn end_inside(self, parent: &mut Frame<R>, outcome: DbOutcome<()>) -> End<R> {
        match outcome {
            DbOutcome::Committed(()) => {
                parent.changes.extend(self.changes);
                parent.tainted |= self.tainted;
            }
            DbOutcome::Unknown => parent.tainted = true,
            DbOutcome::NotCommitted => {}
        }
        End::Merged
    }

    /// Ends the outermost frame. `commit_trusted`: whether a commit on this backend proves its
    /// writes are in the database (false on MySQL).
    pub(crate) fn end(self, outcome: DbOutcome<()>, commit_trusted: bool) -> End<R> {
        let distrusted = self.tainted || !commit_trusted;
        match outcome {
            // Every locked key, written or not: a write that seemed to fail (and was
            // swallowed) may have committed outside the transaction, as MySQL does after a
            // deadlock; a failed COMMIT may hide a commit that happened.
            DbOutcome::Unknown => End::Settle(self.delete_all()),
            _ if distrusted => End::Settle(self.delete_all()),
            DbOutcome::NotCommitted => End::Undo(self.undo_all()),
            DbOutcome::Committed(()) => {
                let Frame {
                    locked,
                    mut changes,
                    ..
                } = self;
                End::Settle(
                    locked
                        .into_iter()
                        .map(|(key, replaced)| match changes.remove(&key) {
                            Some(change) => (key, Step::Publish(change)),
                            // Locked by a write that a savepoint rolled back.
                            None => (key, Step::undo(replaced)),
                        })
                        .collect(),
                )
            }
        }
    }

    fn delete_all(self) -> Vec<(Vec<u8>, Step<R>)> {
        self.locked
            .into_keys()
            .map(|key| (key, Step::Publish(None)))
            .collect()
    }

    fn undo_all(self) -> Vec<(Vec<u8>, Step<R>)> {
        self.locked
            .into_iter()
            .map(|(key, replaced)| (key, Step::undo(replaced)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn key(name: &str) -> Vec<u8> {
        name.as_bytes().to_vec()
    }

    fn value(bytes: &str) -> Change {
        Some((bytes.as_bytes().to_vec(), Duration::from_secs(60)))
    }

    /// An outermost frame that locked `a` (replacing "old a") and wrote "new a" there.
    fn wrote_a() -> Frame<&'static str> {
        let mut frame = Frame::new(key("lock"));
        frame.record_lock(key("a"), Some("old a"));
        frame.record_change(key("a"), value("new a"));
        frame
    }

    fn sorted(end: End<&'static str>) -> End<&'static str> {
        match end {
            End::Settle(mut steps) => {
                steps.sort_by(|x, y| x.0.cmp(&y.0));
                End::Settle(steps)
            }
            End::Undo(mut steps) => {
                steps.sort_by(|x, y| x.0.cmp(&y.0));
                End::Undo(steps)
            }
            End::Merged => End::Merged,
        }
    }

    #[test]
    fn a_write_inside_a_savepoint_the_library_did_not_open_is_not_admitted() {
        let mut frame: Frame<()> = Frame::new(key("lock"));
        let (ours, foreign) = (NonZeroU32::new(1), NonZeroU32::new(2));
        frame.began_at(ours);
        assert!(frame.admits(ours));
        assert!(!frame.admits(foreign));
    }

    #[test]
    fn a_key_written_twice_is_locked_once_and_keeps_what_the_first_lock_replaced() {
        let mut frame = wrote_a();
        assert!(frame.is_locked(b"a"));
        frame.record_lock(key("a"), Some("the first lock's own value"));
        frame.record_change(key("a"), value("newer a"));
        assert_eq!(
            frame.end(DbOutcome::NotCommitted, true),
            End::Undo(vec![(key("a"), Step::Restore("old a"))])
        );
    }

    #[test]
    fn a_commit_publishes_the_last_change_of_each_written_key() {
        let mut frame = wrote_a();
        frame.record_change(key("a"), value("newer a"));
        assert_eq!(
            frame.end(DbOutcome::Committed(()), true),
            End::Settle(vec![(key("a"), Step::Publish(value("newer a")))])
        );
    }

    #[test]
    fn a_rollback_puts_every_locked_key_back() {
        let mut frame = wrote_a();
        frame.record_lock(key("b"), None);
        assert_eq!(
            sorted(frame.end(DbOutcome::NotCommitted, true)),
            End::Undo(vec![
                (key("a"), Step::Restore("old a")),
                (key("b"), Step::Nothing)
            ])
        );
    }

    #[test]
    fn a_commit_whose_outcome_is_unknown_deletes_every_locked_key() {
        assert_eq!(
            wrote_a().end(DbOutcome::Unknown, true),
            End::Settle(vec![(key("a"), Step::Publish(None))])
        );
    }

    #[test]
    fn a_tainted_frame_publishes_deletions_instead_of_rows_whether_it_commits_or_not() {
        for outcome in [DbOutcome::Committed(()), DbOutcome::NotCommitted] {
            let mut frame = wrote_a();
            frame.taint();
            assert_eq!(
                frame.end(outcome, true),
                End::Settle(vec![(key("a"), Step::Publish(None))])
            );
        }
    }

    #[test]
    fn where_a_commit_proves_nothing_every_end_deletes_every_locked_key() {
        // MySQL: a deadlock rolls back and lets the session go on outside the transaction.
        for outcome in [DbOutcome::Committed(()), DbOutcome::NotCommitted] {
            assert_eq!(
                wrote_a().end(outcome, false),
                End::Settle(vec![(key("a"), Step::Publish(None))])
            );
        }
    }

    #[test]
    fn a_released_savepoint_hands_its_changes_and_its_taint_to_its_parent() {
        let mut parent = Frame::new(key("lock"));
        parent.record_lock(key("a"), Some("old a"));
        let mut savepoint = Frame::new(key("lock"));
        savepoint.record_change(key("a"), value("new a"));
        savepoint.taint();
        assert_eq!(
            savepoint.end_inside(&mut parent, DbOutcome::Committed(())),
            End::Merged
        );
        assert_eq!(
            parent.end(DbOutcome::Committed(()), true),
            End::Settle(vec![(key("a"), Step::Publish(None))]),
            "tainted by its savepoint"
        );
    }

    #[test]
    fn a_key_locked_only_by_a_rolled_back_savepoint_is_put_back_at_the_commit() {
        let mut parent = Frame::new(key("lock"));
        parent.record_lock(key("a"), Some("old a"));
        let mut savepoint = Frame::new(key("lock"));
        savepoint.record_change(key("a"), value("new a"));
        assert_eq!(
            savepoint.end_inside(&mut parent, DbOutcome::NotCommitted),
            End::Merged
        );
        assert_eq!(
            parent.end(DbOutcome::Committed(()), true),
            End::Settle(vec![(key("a"), Step::Restore("old a"))])
        );
    }

    #[test]
    fn a_savepoint_whose_release_failed_taints_its_parent() {
        let mut parent = wrote_a();
        let savepoint = Frame::new(key("lock"));
        assert_eq!(
            savepoint.end_inside(&mut parent, DbOutcome::Unknown),
            End::Merged
        );
        assert_eq!(
            parent.end(DbOutcome::Committed(()), true),
            End::Settle(vec![(key("a"), Step::Publish(None))])
        );
    }
}
