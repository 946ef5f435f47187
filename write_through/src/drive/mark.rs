//! Marking a write in PostgreSQL's log for the change feed (`crate::feed::mark`): right after
//! the statement, in its transaction; a write outside a transaction gets one of its own.

use crate::cache::Inner;
use crate::core::write::Change;
use crate::drive::db::Writes;
use crate::error::Error;
use crate::feed::mark::Published;

/// Whether writes on `db` are marked: the cache marks writes and the database has the log.
pub(crate) fn marks<D: Writes>(inner: &Inner, db: &D) -> bool {
    inner.marks_writes() && db.is_postgres()
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
    db.run(crate::feed::mark::sql(lock, published))
        .await
        .map_err(Error::from)
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
