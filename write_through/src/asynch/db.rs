//! A diesel-async connection as the one sequence of steps sees it (`drive/db.rs`): any
//! `AsyncConnection`, which includes `AsyncPgConnection`, `AsyncMysqlConnection`,
//! `SyncConnectionWrapper<SqliteConnection>` and the pooled connections of deadpool and bb8
//! (diesel-async implements it for every `DerefMut` to a connection).

use std::future::Future;
use std::num::NonZeroU32;

use diesel::QueryResult;
use diesel_async::{AsyncConnection, TransactionManager};
use futures_util::TryFutureExt;

use crate::drive::db::{
    self, Conn, Create, Load, LoadBy, LoadForUpdate, LoadMembers, Remove, Update, Upsert, Writes,
};
use crate::error::Error;
use crate::model::{AsyncDieselCreate, AsyncDieselIndex, AsyncDieselOps, AsyncDieselUpdate};
use crate::model_collection::AsyncDieselCollection;

pub(crate) struct AsyncDb<'c, C>(pub(crate) &'c mut C);

/// `AsyncDb(conn)` as an opaque type: the sequence then sees only the traits' `Send` futures.
/// Seen as `Diesel`, the compiler would normalize its query futures to the boxed types below
/// and fail to prove their lifetime bounds under `Send`'s higher-ranked check
/// (rust-lang/rust#100013).
pub(crate) fn hidden<'c, M, C>(conn: &'c mut C) -> impl Load<M> + Upsert<M> + Remove<M> + Send + 'c
where
    C: AsyncConnection,
    M: AsyncDieselOps<C::Backend>,
{
    AsyncDb(conn)
}

/// `AsyncDb(conn)` as an opaque type for `create` (see [`hidden`]).
pub(crate) fn hidden_create<'c, M, N, C>(conn: &'c mut C) -> impl Create<M, N> + Send + 'c
where
    C: AsyncConnection,
    M: AsyncDieselCreate<C::Backend, C, N>,
{
    AsyncDb(conn)
}

/// `AsyncDb(conn)` as an opaque type for `update` through changes `F` (see [`hidden`]).
pub(crate) fn hidden_update<'c, M, F, C>(conn: &'c mut C) -> impl Update<M, F> + Send + 'c
where
    C: AsyncConnection,
    M: AsyncDieselUpdate<C::Backend, F>,
{
    AsyncDb(conn)
}

/// `AsyncDb(conn)` as an opaque type for the lookups of unique index `N` (see [`hidden`]).
pub(crate) fn hidden_index<'c, M, C, const N: usize>(
    conn: &'c mut C,
) -> impl LoadBy<M, N> + Send + 'c
where
    C: AsyncConnection,
    M: AsyncDieselIndex<C::Backend, N>,
{
    AsyncDb(conn)
}

/// `AsyncDb(conn)` as an opaque type for the listings of collection `N` (see [`hidden`]).
pub(crate) fn hidden_collection<'c, M, C, const N: usize>(
    conn: &'c mut C,
) -> impl LoadMembers<M, N> + Send + 'c
where
    C: AsyncConnection,
    M: AsyncDieselCollection<C::Backend, N>,
{
    AsyncDb(conn)
}

impl<C: AsyncConnection> Conn for AsyncDb<'_, C> {
    fn id(&mut self) -> usize {
        crate::shared::frames::conn_id(self.0)
    }

    fn depth(&mut self) -> Result<Option<NonZeroU32>, diesel::result::Error> {
        C::TransactionManager::transaction_manager_status_mut(self.0).transaction_depth()
    }

    fn commit_trusted(&self) -> bool {
        db::commit_trusted::<C::Backend>()
    }
}

impl<C: AsyncConnection> Writes for AsyncDb<'_, C> {
    fn begin(&mut self) -> impl Future<Output = Result<(), Error>> + Send {
        TryFutureExt::map_err(
            C::TransactionManager::begin_transaction(self.0),
            Error::from,
        )
    }

    fn commit(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        C::TransactionManager::commit_transaction(self.0)
    }

    fn rollback(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        C::TransactionManager::rollback_transaction(self.0)
    }

    fn abandon(&mut self) {
        C::TransactionManager::transaction_manager_status_mut(self.0).set_in_error();
    }

    fn is_postgres(&self) -> bool {
        db::is_postgres::<C::Backend>()
    }

    fn is_mysql(&self) -> bool {
        db::is_mysql::<C::Backend>()
    }

    async fn run(&mut self, sql: String) -> QueryResult<()> {
        diesel_async::SimpleAsyncConnection::batch_execute(self.0, &sql).await
    }
}

impl<C, M> Load<M> for AsyncDb<'_, C>
where
    C: AsyncConnection,
    M: AsyncDieselOps<C::Backend>,
{
    fn load<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        TryFutureExt::map_err(M::load(self.0, id), Error::from)
    }

    fn load_many<'s, 'i: 's>(
        &'s mut self,
        ids: &'s [M::Id<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        TryFutureExt::map_err(M::load_many(self.0, ids), Error::from)
    }
}

impl<C, M, const N: usize> LoadBy<M, N> for AsyncDb<'_, C>
where
    C: AsyncConnection,
    M: AsyncDieselIndex<C::Backend, N>,
{
    fn load_by<'s, 'i: 's>(
        &'s mut self,
        value: M::Value<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        TryFutureExt::map_err(M::load_by(self.0, value), Error::from)
    }

    fn load_many_by<'s, 'i: 's>(
        &'s mut self,
        values: &'s [M::Value<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        TryFutureExt::map_err(M::load_many_by(self.0, values), Error::from)
    }
}

impl<C, M, const N: usize> LoadMembers<M, N> for AsyncDb<'_, C>
where
    C: AsyncConnection,
    M: AsyncDieselCollection<C::Backend, N>,
{
    fn load_members<'s, 'i: 's>(
        &'s mut self,
        parent: M::Parent<'i>,
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        TryFutureExt::map_err(M::load_members(self.0, parent), Error::from)
    }
}

impl<C, M> LoadForUpdate<M> for AsyncDb<'_, C>
where
    C: AsyncConnection,
    M: AsyncDieselOps<C::Backend>,
{
    fn load_for_update<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        TryFutureExt::map_err(M::load_for_update(self.0, id), Error::from)
    }
}

impl<C, M> Upsert<M> for AsyncDb<'_, C>
where
    C: AsyncConnection,
    M: AsyncDieselOps<C::Backend>,
{
    fn upsert<'s>(
        &'s mut self,
        row: &'s M,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        row.upsert(self.0)
    }
}

impl<C, M, F> Update<M, F> for AsyncDb<'_, C>
where
    C: AsyncConnection,
    M: AsyncDieselUpdate<C::Backend, F>,
{
    fn update<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
        changes: F,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's
    where
        F: 's,
    {
        M::update_returning(self.0, id, changes)
    }
}

impl<C, M> Remove<M> for AsyncDb<'_, C>
where
    C: AsyncConnection,
    M: AsyncDieselOps<C::Backend>,
{
    fn remove<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<usize, Error>> + Send + 's {
        TryFutureExt::map_err(M::remove(self.0, id), Error::from)
    }
}

impl<C, M, N> Create<M, N> for AsyncDb<'_, C>
where
    C: AsyncConnection,
    M: AsyncDieselCreate<C::Backend, C, N>,
{
    fn insert_returning<'s>(&'s mut self, new: N) -> impl Future<Output = Result<M, Error>> + Send
    where
        N: 's,
    {
        M::insert_returning(self.0, new)
    }
}
