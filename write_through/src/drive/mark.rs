//! Marking a write in the database's log for the change feed (`crate::feed::mark`): right after
//! the statement, in its transaction; a write outside a transaction gets one of its own.
//! PostgreSQL's log takes a message; MariaDB's binlog, a row of the feed's marks table.

use crate::cache::Inner;
use crate::core::write::Change;
use crate::drive::db::Writes;
use crate::error::Error;
use crate::feed::mark::Published;

/// Whether writes on `db` are marked: the cache marks writes and the database has the log.
pub(crate) fn marks<D: Writes>(inner: &Inner, db: &D) -> bool {
    inner.marks_writes() && (db.is_postgres() || (cfg!(feature = "binlog") && db.is_mysql()))
}

/// Marks, in the transaction open on `db` and after the statement that wrote them, the keys a
/// write holds under `lock` and what it publishes under each; a write with no key marks nothing.
pub(crate) async fn mark<'a, D: Writes>(
    db: &mut D,
    lock: &[u8],
    published: impl IntoIterator<Item = Published<'a>>,
) -> Result<(), Error> {
    let published: Vec<Published<'a>> = published.into_iter().collect();
    if published.is_empty() {
        return Ok(());
    }
    if db.is_postgres() {
        return db
            .run(crate::feed::mark::sql(lock, published))
            .await
            .map_err(Error::from);
    }
    // MariaDB: a write that cannot be marked because the feed has not created the marks
    // table yet goes on, unmarked (the feed then retires its keys, as without a mark): such a
    // failed statement leaves the transaction as it was. Any other failure fails the write: a
    // deadlock, for one, has rolled the whole transaction back.
    match db.run(crate::feed::mark::mysql_sql(lock, published)).await {
        Err(error) if no_marks_table(&error) => {
            tracing::debug!(%error, "no marks table; the feed will retire this write's keys");
            Ok(())
        }
        outcome => outcome.map_err(Error::from),
    }
}

/// Whether `error` says the marks table does not exist (MariaDB's error 1146, which Diesel
/// gives as a message only).
fn no_marks_table(error: &diesel::result::Error) -> bool {
    match error {
        diesel::result::Error::DatabaseError(_, info) => {
            let message = info.message();
            message.contains(crate::feed::mark::MYSQL_TABLE) && message.contains("doesn't exist")
        }
        _ => false,
    }
}

/// What a write publishes under `keys`: `changes` in order (a key past their end publishes
/// nothing), and nothing under the keys it `retired` itself.
pub(crate) fn published<'a>(
    keys: &'a [Vec<u8>],
    changes: &'a [Change],
    retired: &'a [Vec<u8>],
) -> impl Iterator<Item = Published<'a>> {
    let value = |at: usize| changes.get(at)?.as_ref().map(|(value, _)| value.as_slice());
    keys.iter()
        .enumerate()
        .map(move |(at, key)| (key.as_slice(), value(at)))
        .chain(retired.iter().map(|key| (key.as_slice(), None)))
}
