//! On PostgreSQL, the library's writes of one row of a model that retires other models' rows
//! (`Cached::RETIRES`) take turns: each takes a transaction-level advisory lock named after the
//! row's key before it reads the row it replaces.
//!
//! Why: that read (`SELECT ... FOR UPDATE`) does not see, and does not wait for, a row another
//! transaction inserted and has not committed. A `save` of the same key then waits inside its
//! `INSERT ... ON CONFLICT DO UPDATE` and overwrites that row, never having seen the values it
//! replaced: the row of the other model they named (the user an account belonged to) would not
//! be retired, and a reader that filled it after the first writer's commit would keep it. With
//! the lock, the second writer reads after the first one committed. A `create`, whose key is
//! known only once inserted, takes it after its insert: against a `save` of the same key, one of
//! the two is then a deadlock PostgreSQL breaks by failing it, which changes nothing. MySQL's
//! locking read waits for the uncommitted row, and SQLite has one writer at a time.

use crate::drive::db::Writes;
use crate::error::Error;

/// The first key of the two-key advisory locks the library takes ("wt" in ASCII), so that they
/// never share a lock with an application's (the one-key and two-key spaces do not overlap
/// either).
const LOCK_CLASS: i32 = 0x7774;

/// Waits, on PostgreSQL, until no other library write of the row under `key` is in a
/// transaction, and holds it off until this one's transaction ends. Nothing elsewhere.
pub(crate) async fn take_turn<D: Writes>(db: &mut D, key: &[u8]) -> Result<(), Error> {
    if !db.is_postgres() {
        return Ok(());
    }
    let sql = format!(
        "SELECT pg_advisory_xact_lock({LOCK_CLASS}, {})",
        key_hash(key)
    );
    db.run(sql).await.map_err(Error::from)
}

/// 32 bits of the key's SHA-1: two keys that share them only take turns needlessly.
fn key_hash(key: &[u8]) -> i32 {
    let digest = sha1_smol::Sha1::from(key).digest().bytes();
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_names_the_same_lock_in_every_process() {
        assert_eq!(key_hash(b"wt:account:5"), key_hash(b"wt:account:5"));
        assert_ne!(key_hash(b"wt:account:5"), key_hash(b"wt:account:6"));
        // Pinned: another build must name the same lock, or two versions of a service running
        // side by side would not take turns.
        assert_eq!(key_hash(b"wt:account:5"), -529_094_279);
    }
}
