//! A write over a set of keys: lock them, learn the database's outcome, then per key publish,
//! delete or put back.
//!
//! [`Write`] is fed the reply to each lock it asks for and then the database's outcome
//! ([`DbOutcome`]); it answers with what to send next. It never sends anything itself. `R` is
//! whatever the drivers keep of what a lock replaced (`Replaced`, in the Redis layer):
//! the core only hands it back when that value has to be put back.
//!
//! The rules (`guide::guarantees`):
//! - a committed write publishes its value by compare-and-set on its lock (a lock another writer
//!   made contended is never set: the script leaves it to the last holder);
//! - a key whose lock never reached Redis is deleted after a commit, never set;
//! - a write that certainly did not commit puts back what each lock replaced;
//! - a write whose outcome is unknown deletes every key it locked or tried to lock;
//! - under [`WritePolicy::Strict`] a lock that cannot reach Redis refuses the write before the
//!   database is touched, and the locks already taken are put back.

use std::time::Duration;

use crate::core::policy::WritePolicy;
use crate::envelope::Envelope;
use crate::error::Error;
use crate::stats::Event;

/// What a committed write leaves in Redis under one key: a value with its TTL, or nothing.
pub(crate) type Change = Option<(Vec<u8>, Duration)>;

/// The TTL sent with a deletion (the script ignores it; Redis wants a positive one).
pub(crate) const DELETION_TTL: Duration = Duration::from_secs(1);

/// What the database did with a write, as far as the cache can know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DbOutcome<T> {
    /// The write committed; `T` says what it left (for a write, one [`Change`] per key).
    Committed(T),
    /// Certainly not committed: a refused statement, a version conflict, a rollback.
    NotCommitted,
    /// Maybe committed: a lost connection, a failed read-back, a `COMMIT` that failed.
    Unknown,
}

impl<T> DbOutcome<T> {
    /// The outcome of a database write that returned `error`. Both fronts map their errors
    /// here, so that what counts as "certainly not committed" is decided once.
    pub(crate) fn of_error(error: &Error) -> Self {
        if certainly_not_committed(error) {
            DbOutcome::NotCommitted
        } else {
            DbOutcome::Unknown
        }
    }
}

/// Errors after which nothing was committed: a statement the server refused, a version
/// conflict, no connection to be had from a pool (the statement never ran). A closed connection
/// or a failed read-back proves nothing.
pub(crate) fn certainly_not_committed(error: &Error) -> bool {
    match error {
        Error::Conflict(_) | Error::Unavailable(_) => true,
        Error::Database(error) => diesel_certainly_not_committed(error),
        _ => false,
    }
}

/// [`certainly_not_committed`] for Diesel's own errors (shared by diesel-async, which reports
/// the same type).
pub(crate) fn diesel_certainly_not_committed(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error as Diesel};
    match error {
        // `Unknown` too: Diesel's MySQL backend reports a lost connection (errno 2006, 2013)
        // as `Unknown`, and after a lost connection the write may have committed.
        Diesel::DatabaseError(kind, _) => !matches!(
            kind,
            DatabaseErrorKind::ClosedConnection
                | DatabaseErrorKind::UnableToSendCommand
                | DatabaseErrorKind::Unknown
        ),
        Diesel::RollbackTransaction => true,
        _ => false,
    }
}

/// The reply to one lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LockReply<R> {
    /// The lock is in Redis; `R` is what it replaced.
    Locked(R),
    /// Redis could not be reached (or refused the command).
    Unreachable,
}

/// What to do after a lock reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterLock {
    /// Lock the next key ([`Write::next_lock`]).
    LockNext,
    /// Every key has its reply: write the database, then feed [`Write::on_outcome`].
    WriteDatabase,
    /// Refuse the write without touching the database; send [`Write::refused`].
    Refuse,
}

/// What to send for one key once the write is decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step<R> {
    /// Compare-and-set on the writer's lock: set this value, or delete when `None` (see
    /// [`after_publish`] for the reply).
    Publish(Change),
    /// Put back what the lock replaced, if the lock is still there.
    Restore(R),
    /// Nothing: the lock never reached Redis and nothing changed.
    Nothing,
}

impl<R> Step<R> {
    /// Undoing a lock: put back what it replaced; a lock that never reached Redis has
    /// nothing to undo (when the restore itself cannot reach Redis the lock expires into a
    /// miss, which is safe).
    pub(crate) fn undo(replaced: Option<R>) -> Self {
        match replaced {
            Some(replaced) => Step::Restore(replaced),
            None => Step::Nothing,
        }
    }
}

/// What a restore puts back, from what the lock replaced (`value`, and Redis's `pttl` for it
/// when the lock was taken: -2 no key, -1 no expiry, else milliseconds) and the time since:
/// the value and the milliseconds it has left, where 0 means "delete instead" (nothing was
/// there, it had no expiry, or its time is up). A reader's lease is not put back: the reader
/// lost it and has given up on it.
pub(crate) fn restoration(value: Option<&[u8]>, pttl: i64, elapsed: Duration) -> (&[u8], u64) {
    match value {
        Some(value) if matches!(Envelope::parse(value), Ok(Envelope::Lease { .. })) => (&[], 0),
        Some(value) => {
            let elapsed = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
            let left = u64::try_from(pttl).map_or(0, |pttl| pttl.saturating_sub(elapsed));
            (value, left)
        }
        None => (&[], 0),
    }
}

/// What a publish did (the reply of the `PUBLISH` script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Published {
    /// The writer's lock became the new value.
    Set,
    /// The writer's lock was deleted (a deletion, or a row not to cache).
    Deleted,
    /// Another writer intervened: the key is left contended or empty.
    Contended,
}

/// What follows a publish.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AfterPublish {
    /// Done; count this event.
    Count(Event),
    /// Redis did not answer: the key may still hold an older value, so this `Cache` owes its
    /// invalidation and delivers it before it sends anything else.
    OweInvalidation,
}

/// Decides what follows a publish from its reply (`None`: Redis could not be reached).
pub(crate) fn after_publish(reply: Option<Published>) -> AfterPublish {
    match reply {
        Some(Published::Set) => AfterPublish::Count(Event::Publish),
        Some(Published::Deleted | Published::Contended) => AfterPublish::Count(Event::Invalidation),
        None => AfterPublish::OweInvalidation,
    }
}

/// One write over a set of keys, from its locks to what follows its database outcome.
#[derive(Debug)]
pub(crate) struct Write<R> {
    policy: WritePolicy,
    keys: Vec<Vec<u8>>,
    /// One entry per key whose lock has its reply: what it replaced, `None` when unreachable.
    replies: Vec<Option<R>>,
    refused: bool,
}

impl<R> Write<R> {
    /// A write that locks `keys`, in this order.
    pub(crate) fn new(policy: WritePolicy, keys: Vec<Vec<u8>>) -> Self {
        let replies = Vec::with_capacity(keys.len());
        Self {
            policy,
            keys,
            replies,
            refused: false,
        }
    }

    /// The next key to lock; `None` once every key has its reply or the write was refused.
    pub(crate) fn next_lock(&self) -> Option<&[u8]> {
        if self.refused {
            return None;
        }
        self.keys.get(self.replies.len()).map(Vec::as_slice)
    }

    /// Feeds the reply to the lock of [`Write::next_lock`].
    pub(crate) fn on_lock(&mut self, reply: LockReply<R>) -> AfterLock {
        debug_assert!(self.next_lock().is_some(), "a reply nobody asked for");
        match reply {
            LockReply::Locked(replaced) => self.replies.push(Some(replaced)),
            LockReply::Unreachable if self.policy == WritePolicy::Strict => {
                self.refused = true;
                return AfterLock::Refuse;
            }
            LockReply::Unreachable => self.replies.push(None),
        }
        if self.replies.len() < self.keys.len() {
            AfterLock::LockNext
        } else {
            AfterLock::WriteDatabase
        }
    }

    /// A refused write: put back the locks it took before the refusal.
    pub(crate) fn refused(self) -> Vec<(Vec<u8>, Step<R>)> {
        self.on_outcome(DbOutcome::NotCommitted)
    }

    /// The locks this write holds, with what each replaced (`None`: it never reached Redis);
    /// a transaction keeps them until it ends.
    pub(crate) fn into_locks(self) -> Vec<(Vec<u8>, Option<R>)> {
        self.keys.into_iter().zip(self.replies).collect()
    }

    /// What the lock of the `at`-th key replaced, when it reached Redis.
    pub(crate) fn replaced(&self, at: usize) -> Option<&R> {
        self.replies.get(at)?.as_ref()
    }

    /// Per key, what follows the database's outcome. `Committed` carries one change per key,
    /// in the order of the keys; a key without one is deleted.
    pub(crate) fn on_outcome(self, outcome: DbOutcome<Vec<Change>>) -> Vec<(Vec<u8>, Step<R>)> {
        let Write { keys, replies, .. } = self;
        let mut replies = replies.into_iter();
        match outcome {
            DbOutcome::Committed(changes) => {
                let mut changes = changes.into_iter();
                keys.into_iter()
                    .map(|key| {
                        let reached = replies.next().flatten().is_some();
                        let change = changes.next().flatten();
                        // Without our lock in Redis a value could overwrite a newer one.
                        let change = if reached { change } else { None };
                        (key, Step::Publish(change))
                    })
                    .collect()
            }
            DbOutcome::NotCommitted => keys
                .into_iter()
                .map(|key| (key, Step::undo(replies.next().flatten())))
                .collect(),
            DbOutcome::Unknown => keys
                .into_iter()
                .map(|key| (key, Step::Publish(None)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ConflictError, UsageError};
    use diesel::result::{DatabaseErrorKind, Error as Diesel};

    fn keys(names: &[&str]) -> Vec<Vec<u8>> {
        names.iter().map(|k| k.as_bytes().to_vec()).collect()
    }

    fn value(bytes: &str) -> Change {
        Some((bytes.as_bytes().to_vec(), Duration::from_secs(60)))
    }

    /// A write over `names` whose locks all got the replies given, in order.
    fn locked(
        policy: WritePolicy,
        names: &[&str],
        replies: Vec<LockReply<&'static str>>,
    ) -> Write<&'static str> {
        let mut write = Write::new(policy, keys(names));
        for reply in replies {
            assert!(write.next_lock().is_some());
            write.on_lock(reply);
        }
        write
    }

    fn database_error(kind: DatabaseErrorKind) -> Error {
        Error::Database(Diesel::DatabaseError(kind, Box::new(String::from("x"))))
    }

    #[test]
    fn a_write_locks_its_keys_one_after_the_other_before_the_database() {
        let mut write: Write<()> = Write::new(WritePolicy::Available, keys(&["a", "b"]));
        assert_eq!(write.next_lock(), Some(&b"a"[..]));
        assert_eq!(write.on_lock(LockReply::Locked(())), AfterLock::LockNext);
        assert_eq!(write.next_lock(), Some(&b"b"[..]));
        assert_eq!(
            write.on_lock(LockReply::Locked(())),
            AfterLock::WriteDatabase
        );
        assert_eq!(write.next_lock(), None);
    }

    #[test]
    fn a_committed_write_publishes_its_value_under_each_key_it_locked() {
        let write = locked(
            WritePolicy::Available,
            &["a"],
            vec![LockReply::Locked("old")],
        );
        let steps = write.on_outcome(DbOutcome::Committed(vec![value("new")]));
        assert_eq!(steps, vec![(b"a".to_vec(), Step::Publish(value("new")))]);
    }

    #[test]
    fn a_committed_write_with_no_value_to_cache_deletes_its_key() {
        let write = locked(
            WritePolicy::Available,
            &["a", "b"],
            vec![LockReply::Locked("x"), LockReply::Locked("y")],
        );
        let steps = write.on_outcome(DbOutcome::Committed(vec![None]));
        assert_eq!(
            steps,
            vec![
                (b"a".to_vec(), Step::Publish(None)),
                (b"b".to_vec(), Step::Publish(None))
            ]
        );
    }

    #[test]
    fn under_available_a_lock_that_cannot_reach_redis_lets_the_write_go_on() {
        let mut write: Write<()> = Write::new(WritePolicy::Available, keys(&["a"]));
        assert_eq!(
            write.on_lock(LockReply::Unreachable),
            AfterLock::WriteDatabase
        );
    }

    #[test]
    fn a_key_whose_lock_never_reached_redis_is_deleted_after_the_commit_never_set() {
        let write = locked(WritePolicy::Available, &["a"], vec![LockReply::Unreachable]);
        let steps = write.on_outcome(DbOutcome::Committed(vec![value("new")]));
        assert_eq!(steps, vec![(b"a".to_vec(), Step::Publish(None))]);
    }

    #[test]
    fn under_strict_a_lock_that_cannot_reach_redis_refuses_the_write_before_the_database_is_touched()
     {
        let mut write: Write<&str> = Write::new(WritePolicy::Strict, keys(&["a", "b"]));
        assert_eq!(
            write.on_lock(LockReply::Locked("old a")),
            AfterLock::LockNext
        );
        assert_eq!(write.on_lock(LockReply::Unreachable), AfterLock::Refuse);
        assert_eq!(write.next_lock(), None, "nothing more is sent");
        // The lock it did take is put back; the key it could not lock is left alone.
        assert_eq!(
            write.refused(),
            vec![
                (b"a".to_vec(), Step::Restore("old a")),
                (b"b".to_vec(), Step::Nothing)
            ]
        );
    }

    #[test]
    fn a_write_that_certainly_did_not_commit_puts_back_what_each_lock_replaced() {
        let write = locked(
            WritePolicy::Available,
            &["a", "b"],
            vec![LockReply::Locked("old a"), LockReply::Unreachable],
        );
        assert_eq!(
            write.on_outcome(DbOutcome::NotCommitted),
            vec![
                (b"a".to_vec(), Step::Restore("old a")),
                (b"b".to_vec(), Step::Nothing)
            ]
        );
    }

    #[test]
    fn a_write_whose_database_outcome_is_unknown_deletes_every_key_it_locked() {
        let write = locked(
            WritePolicy::Available,
            &["a", "b"],
            vec![LockReply::Locked("old a"), LockReply::Unreachable],
        );
        assert_eq!(
            write.on_outcome(DbOutcome::Unknown),
            vec![
                (b"a".to_vec(), Step::Publish(None)),
                (b"b".to_vec(), Step::Publish(None))
            ]
        );
    }

    #[test]
    fn a_publish_that_found_its_lock_contended_counts_as_an_invalidation() {
        assert!(matches!(
            after_publish(Some(Published::Contended)),
            AfterPublish::Count(Event::Invalidation)
        ));
        assert!(matches!(
            after_publish(Some(Published::Set)),
            AfterPublish::Count(Event::Publish)
        ));
    }

    #[test]
    fn a_restore_puts_back_the_value_with_the_ttl_it_had_left_less_the_time_the_write_took() {
        let (value, left) = restoration(Some(b"old"), 10_000, Duration::from_millis(300));
        assert_eq!((value, left), (&b"old"[..], 9_700));
    }

    #[test]
    fn a_value_whose_time_ran_out_during_the_write_is_deleted_instead() {
        assert_eq!(
            restoration(Some(b"old"), 200, Duration::from_millis(300)).1,
            0
        );
    }

    #[test]
    fn a_value_without_expiry_is_deleted_instead_of_restored_forever() {
        assert_eq!(restoration(Some(b"old"), -1, Duration::ZERO).1, 0);
    }

    #[test]
    fn a_readers_lease_is_never_put_back() {
        let lease = crate::envelope::token_value(true, crate::token::Token::new().as_bytes());
        assert_eq!(
            restoration(Some(&lease), 10_000, Duration::ZERO),
            (&[][..], 0)
        );
    }

    #[test]
    fn an_empty_key_stays_empty() {
        assert_eq!(restoration(None, -2, Duration::ZERO), (&[][..], 0));
    }

    #[test]
    fn a_publish_that_cannot_reach_redis_owes_an_invalidation() {
        assert!(matches!(after_publish(None), AfterPublish::OweInvalidation));
    }

    #[test]
    fn a_refused_statement_or_a_conflict_certainly_did_not_commit() {
        for error in [
            database_error(DatabaseErrorKind::UniqueViolation),
            database_error(DatabaseErrorKind::SerializationFailure),
            Error::Conflict(ConflictError::new("Row")),
            Error::Database(Diesel::RollbackTransaction),
        ] {
            assert_eq!(
                DbOutcome::<()>::of_error(&error),
                DbOutcome::NotCommitted,
                "{error}"
            );
        }
    }

    #[test]
    fn a_lost_connection_or_a_failed_read_back_leaves_the_outcome_unknown() {
        for error in [
            database_error(DatabaseErrorKind::ClosedConnection),
            database_error(DatabaseErrorKind::UnableToSendCommand),
            database_error(DatabaseErrorKind::Unknown),
            Error::Database(Diesel::NotFound),
            Error::Usage(UsageError::TransactionInsideForeignTransaction),
        ] {
            assert_eq!(
                DbOutcome::<()>::of_error(&error),
                DbOutcome::Unknown,
                "{error}"
            );
        }
    }
}
