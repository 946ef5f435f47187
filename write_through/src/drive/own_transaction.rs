//! A transaction the library opens on the caller's connection (`create`, a write marked for the
//! change feed), ended by the library. A future dropped between its `BEGIN` and the return of
//! its `COMMIT` or `ROLLBACK` (an async caller's timeout) would leave the caller's connection
//! inside an open transaction, running its later statements there; so the guard marks the
//! connection's transaction state broken instead ([`Writes::abandon`]): a pool discards it, and
//! the library's operations refuse it, as diesel-async does for its own `transaction`.

use diesel::QueryResult;

use crate::drive::db::Writes;

pub(crate) struct OwnTransaction<'d, D: Writes> {
    db: &'d mut D,
    /// Until the commit or rollback returned.
    open: bool,
}

impl<'d, D: Writes> OwnTransaction<'d, D> {
    pub(crate) async fn begin(db: &'d mut D) -> Result<Self, crate::error::Error> {
        db.begin().await?;
        Ok(OwnTransaction { db, open: true })
    }

    /// The connection, inside the transaction.
    pub(crate) fn db(&mut self) -> &mut D {
        self.db
    }

    pub(crate) async fn commit(mut self) -> QueryResult<()> {
        let committed = self.db.commit().await;
        self.open = false;
        committed
    }

    pub(crate) async fn rollback(mut self) -> QueryResult<()> {
        let rolled_back = self.db.rollback().await;
        self.open = false;
        rolled_back
    }
}

impl<D: Writes> Drop for OwnTransaction<'_, D> {
    fn drop(&mut self) {
        if self.open {
            self.db.abandon();
        }
    }
}
