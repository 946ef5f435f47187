//! How `save` writes a row, composed from the model's statements: one strategy per kind of
//! model and backend, named by the derive in [`Statements::Save`](super::Statements::Save).
//!
//! Every statement is read to its end (see [`run`](super::run)): outside a transaction it
//! commits after it sent its rows, so a commit that fails is reported after them.
//!
//! | strategy | backend | model |
//! |---|---|---|
//! | [`Upsert`] | with `RETURNING` | no version field |
//! | [`VersionedUpsert`] | with `RETURNING` | a version field |
//! | [`UpdateThenInsert`] | MySQL | no version field |
//! | [`VersionedUpdateThenInsert`] | MySQL | a version field |
//!
//! The decisions (which outcome is a conflict, when a failed insert is tried again, which
//! version the stored row carries) are the plain functions at the bottom, shared by both
//! fronts and tested on their own.

use diesel::backend::Backend;
use diesel::connection::{Connection, LoadConnection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::{BumpsVersion, Execute, Load, PlainWrites, UpsertStatement, VersionedStatements};
use crate::error::{ConflictError, Error, UsageError};
#[cfg(feature = "async")]
use crate::model::AsyncDieselOps;
use crate::model::{Cached, DieselOps};

/// How `save` writes a row of `M` on backend `DB` and reads back the row as stored. `None`:
/// the row was deleted before it could be read back (MySQL only, which has no `RETURNING`).
pub trait SaveStrategy<M, DB: Backend> {
    /// On a Diesel connection.
    fn save_blocking<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: Connection<Backend = DB> + LoadConnection;

    /// On a diesel-async connection.
    #[cfg(feature = "async")]
    fn save_async<C>(
        row: &M,
        conn: &mut C,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send
    where
        C: diesel_async::AsyncConnection<Backend = DB>;
}

/// A model built on a join or on computed expressions (`base_query`, `select_expression`): its
/// rows are not its table's, so there is nothing `save` could write. `save` is not offered
/// (such a model is neither `SavesByRef` nor `SavesInPlace`); [`DieselOps::upsert`] called directly
/// says so.
pub enum ReadOnly {}

impl<M: Cached, DB: Backend> SaveStrategy<M, DB> for ReadOnly {
    fn save_blocking<C>(_: &M, _: &mut C) -> Result<Option<M>, Error>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        Err(read_only::<M>())
    }

    #[cfg(feature = "async")]
    async fn save_async<C>(_: &M, _: &mut C) -> Result<Option<M>, Error>
    where
        C: diesel_async::AsyncConnection<Backend = DB>,
    {
        Err(read_only::<M>())
    }
}

fn read_only<M: Cached>() -> Error {
    UsageError::ReadOnlyModel {
        model: M::MODEL_NAME,
    }
    .into()
}

/// `INSERT ... ON CONFLICT (pk) DO UPDATE ... RETURNING`: one statement, which returns the row
/// as stored.
pub enum Upsert {}

impl<M: UpsertStatement<DB>, DB: Backend> SaveStrategy<M, DB> for Upsert {
    fn save_blocking<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        upserted(row.upsert().load_blocking(conn)?)
    }

    #[cfg(feature = "async")]
    async fn save_async<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: diesel_async::AsyncConnection<Backend = DB>,
    {
        let upsert = row.upsert();
        upserted(upsert.load_async(conn).await?)
    }
}

/// With a version field: update only where the stored version is the row's (bumping it),
/// insert only when there is no row, and report a conflict otherwise.
pub enum VersionedUpsert {}

impl<M: VersionedStatements<DB>, DB: Backend> SaveStrategy<M, DB> for VersionedUpsert {
    fn save_blocking<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        if let Some(updated) = row.update_at_version().load_blocking(conn)?.pop() {
            return Ok(Some(updated));
        }
        inserted_if_absent::<M>(row.insert_if_absent().load_blocking(conn)?)
    }

    #[cfg(feature = "async")]
    async fn save_async<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: diesel_async::AsyncConnection<Backend = DB>,
    {
        let update = row.update_at_version();
        if let Some(updated) = update.load_async(conn).await?.pop() {
            return Ok(Some(updated));
        }
        let insert = row.insert_if_absent();
        inserted_if_absent::<M>(insert.load_async(conn).await?)
    }
}

/// MySQL without `ON DUPLICATE KEY UPDATE`, which fires on any unique key and would update
/// another row whose cached value nobody invalidates: an `UPDATE` by primary key, an `INSERT`
/// when it matched nothing, then the read-back. Each statement on its own, because in one
/// REPEATABLE READ transaction the UPDATE of a missing key takes a gap lock, and concurrent
/// creators of new keys deadlock. An error after the write is an unknown outcome, which deletes
/// the key (never restores it); a newer write seen by the read-back locked after ours, so our
/// publish will not set it. Two savers of a new key race: both UPDATEs match nothing, one
/// INSERT wins, and the other's duplicate key sends it back to the UPDATE of the row just
/// created (see `insert_again`).
pub enum UpdateThenInsert {}

impl<M: PlainWrites<DB>, DB: Backend> SaveStrategy<M, DB> for UpdateThenInsert {
    fn save_blocking<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        let mut rounds = 0;
        while row.update().execute_blocking(conn)? == 0 {
            match row.insert().execute_blocking(conn) {
                Ok(_) => break,
                Err(error) => insert_again(error, &mut rounds)?,
            }
        }
        Ok(<M as DieselOps<DB>>::load(conn, row.id())?)
    }

    #[cfg(feature = "async")]
    async fn save_async<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: diesel_async::AsyncConnection<Backend = DB>,
    {
        let mut rounds = 0;
        loop {
            let update = row.update();
            if update.execute_async(conn).await? != 0 {
                break;
            }
            let insert = row.insert();
            match insert.execute_async(conn).await {
                Ok(_) => break,
                Err(error) => insert_again(error, &mut rounds)?,
            }
        }
        Ok(<M as AsyncDieselOps<DB>>::load(conn, row.id()).await?)
    }
}

/// MySQL with a version field: statements on their own, as [`UpdateThenInsert`]. The version
/// this write left is known without the read-back (which may already see a newer writer's
/// row): the row's plus one after an update, the row's after an insert.
pub enum VersionedUpdateThenInsert {}

impl<M, DB> SaveStrategy<M, DB> for VersionedUpdateThenInsert
where
    M: PlainWrites<DB> + BumpsVersion,
    DB: Backend,
{
    fn save_blocking<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        let read_back = |conn: &mut C| <M as DieselOps<DB>>::load(conn, row.id());
        let updated = row.update().execute_blocking(conn)? == 1;
        if !updated {
            if read_back(conn)?.is_some() {
                return Err(conflict::<M>());
            }
            if let Err(error) = row.insert().execute_blocking(conn) {
                // Someone created the row first: its version is theirs, not the caller's.
                return Err(if unique_violation(&error) && read_back(conn)?.is_some() {
                    conflict::<M>()
                } else {
                    error.into()
                });
            }
        }
        Ok(read_back(conn)?.map(|stored| as_written(stored, row, updated)))
    }

    #[cfg(feature = "async")]
    async fn save_async<C>(row: &M, conn: &mut C) -> Result<Option<M>, Error>
    where
        C: diesel_async::AsyncConnection<Backend = DB>,
    {
        let update = row.update();
        let updated = update.execute_async(conn).await? == 1;
        if !updated {
            if <M as AsyncDieselOps<DB>>::load(conn, row.id())
                .await?
                .is_some()
            {
                return Err(conflict::<M>());
            }
            let insert = row.insert();
            if let Err(error) = insert.execute_async(conn).await {
                return Err(
                    if unique_violation(&error)
                        && <M as AsyncDieselOps<DB>>::load(conn, row.id())
                            .await?
                            .is_some()
                    {
                        conflict::<M>()
                    } else {
                        error.into()
                    },
                );
            }
        }
        let stored = <M as AsyncDieselOps<DB>>::load(conn, row.id()).await?;
        Ok(stored.map(|stored| as_written(stored, row, updated)))
    }
}

/// How many times a saver that lost the race to insert a new key goes back to the update. Under
/// churn (the row deleted and created again between our statements) a few rounds settle it;
/// after that the error is returned.
const INSERT_ROUNDS: u32 = 3;

/// After MySQL's insert failed: `Ok` to go back to the update (someone inserted the key first),
/// or the error to return. A unique violation on another column repeats until the rounds run
/// out and is returned.
pub fn insert_again(error: DieselError, rounds: &mut u32) -> Result<(), Error> {
    if unique_violation(&error) && *rounds < INSERT_ROUNDS {
        *rounds += 1;
        Ok(())
    } else {
        Err(error.into())
    }
}

/// The row an upsert returned. No row: a trigger kept the statement from writing (PostgreSQL's
/// `BEFORE` returning `NULL`, SQLite's `RAISE(IGNORE)`), which is not a save.
fn upserted<M>(mut rows: Vec<M>) -> Result<Option<M>, Error> {
    rows.pop()
        .map(Some)
        .ok_or(Error::Database(DieselError::NotFound))
}

/// The row a versioned insert returned. Nothing inserted: someone else's row holds the key.
fn inserted_if_absent<M: Cached>(mut rows: Vec<M>) -> Result<Option<M>, Error> {
    rows.pop().map(Some).ok_or_else(conflict::<M>)
}

/// The row as read back after a versioned MySQL save, carrying the version this save wrote.
fn as_written<M: BumpsVersion>(mut stored: M, row: &M, updated: bool) -> M {
    stored.take_version(row);
    if updated {
        stored.bump_version();
    }
    stored
}

fn conflict<M: Cached>() -> Error {
    Error::Conflict(ConflictError::new(M::MODEL_NAME))
}

fn unique_violation(error: &DieselError) -> bool {
    matches!(
        error,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(kind: DatabaseErrorKind) -> DieselError {
        DieselError::DatabaseError(kind, Box::new(String::from("duplicate entry")))
    }

    #[test]
    fn a_saver_that_lost_the_insert_race_goes_back_to_the_update_three_times_then_gives_up() {
        let mut rounds = 0;
        for _ in 0..INSERT_ROUNDS {
            assert!(
                insert_again(violation(DatabaseErrorKind::UniqueViolation), &mut rounds).is_ok()
            );
        }
        let last = insert_again(violation(DatabaseErrorKind::UniqueViolation), &mut rounds);
        assert!(matches!(
            last,
            Err(Error::Database(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _
            )))
        ));
    }

    #[test]
    fn an_insert_that_failed_for_another_reason_is_returned_at_once() {
        let mut rounds = 0;
        let refused = insert_again(
            violation(DatabaseErrorKind::ForeignKeyViolation),
            &mut rounds,
        );
        assert!(matches!(
            refused,
            Err(Error::Database(DieselError::DatabaseError(
                DatabaseErrorKind::ForeignKeyViolation,
                _
            )))
        ));
        assert_eq!(rounds, 0);
    }

    #[test]
    fn an_upsert_that_returned_no_row_did_not_save() {
        assert!(matches!(
            upserted::<u8>(vec![]),
            Err(Error::Database(DieselError::NotFound))
        ));
        assert_eq!(upserted(vec![7u8]).ok(), Some(Some(7)));
    }
}
