//! A pool as the one sequence of steps sees a connection (`drive/db.rs`): never inside the
//! caller's transaction, and a connection checked out only for the database's part of an
//! operation. A read checks one out for its load and gives it back before the fill; a write
//! checks one out before its Redis lock (so that a key is never locked while its writer waits
//! for a connection) and gives it back before its publish, so that no connection waits for
//! the publish.

use std::future::Future;
use std::num::NonZeroU32;

use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncConnectionCore, TransactionManager};

use crate::cache::Cache;
use crate::drive::checkout;
use crate::drive::db::{
    self, Conn, Create, Load, LoadBy, LoadForUpdate, LoadMembers, Remove, Update, Upsert, Writes,
};
use crate::error::Error;
use crate::model::{AsyncDieselCreate, AsyncDieselIndex, AsyncDieselOps, AsyncDieselUpdate};
use crate::model_collection::AsyncDieselCollection;
use crate::stats::Counters;

use super::pooled_source::{Checked, Checkout};

/// The backend of pool `P`'s connections.
type BackendOf<P> = <<P as Checkout>::Connection as AsyncConnectionCore>::Backend;

pub(crate) struct PoolDb<'p, P: Checkout> {
    pool: &'p P,
    counters: &'p Counters,
    /// The model operated on, for the counters.
    model: &'static str,
    /// The connection a write holds: from its `reserve` to its `release` (its lock, statement
    /// and nothing else), or a transaction of the library's own, from its `BEGIN` to its
    /// `COMMIT` or `ROLLBACK`.
    held: Option<Checked<'p, P::Connection>>,
}

impl<'p, P: Checkout> PoolDb<'p, P> {
    /// `PoolDb` as an opaque type, for the reason of `asynch::db::hidden`.
    pub(crate) fn hidden<M>(
        pool: &'p P,
        cache: &'p Cache,
    ) -> impl Load<M> + Upsert<M> + Remove<M> + Send + 'p
    where
        M: AsyncDieselOps<BackendOf<P>>,
    {
        Self::new::<M>(pool, cache)
    }

    /// `PoolDb` as an opaque type for the lookups of unique index `N`.
    pub(crate) fn hidden_index<M, const N: usize>(
        pool: &'p P,
        cache: &'p Cache,
    ) -> impl LoadBy<M, N> + Send + 'p
    where
        M: AsyncDieselIndex<BackendOf<P>, N>,
    {
        Self::new::<M>(pool, cache)
    }

    /// `PoolDb` as an opaque type for the listings of collection `N`.
    pub(crate) fn hidden_collection<M, const N: usize>(
        pool: &'p P,
        cache: &'p Cache,
    ) -> impl LoadMembers<M, N> + Send + 'p
    where
        M: AsyncDieselCollection<BackendOf<P>, N>,
    {
        Self::new::<M>(pool, cache)
    }

    /// `PoolDb` as an opaque type for `update` through changes `F`.
    pub(crate) fn hidden_update<M, F>(
        pool: &'p P,
        cache: &'p Cache,
    ) -> impl Update<M, F> + Send + 'p
    where
        M: AsyncDieselUpdate<BackendOf<P>, F>,
        F: Send,
    {
        Self::new::<M>(pool, cache)
    }

    /// `PoolDb` as an opaque type for `create`.
    pub(crate) fn hidden_create<M, N>(
        pool: &'p P,
        cache: &'p Cache,
    ) -> impl Create<M, N> + Send + 'p
    where
        M: AsyncDieselCreate<BackendOf<P>, P::Connection, N>,
        N: Send,
    {
        Self::new::<M>(pool, cache)
    }

    fn new<M: crate::model::Cached>(pool: &'p P, cache: &'p Cache) -> Self {
        PoolDb {
            pool,
            counters: &cache.inner().store.counters,
            model: M::MODEL_NAME,
            held: None,
        }
    }

    /// A connection for one operation, counted; or the error that says none could be had.
    /// (It borrows the pool and the counters, not `self`, whose held connection is not `Sync`.)
    fn checkout(
        &self,
    ) -> impl Future<Output = Result<Checked<'p, P::Connection>, Error>> + Send + 'p {
        let (pool, counters, model) = (self.pool, self.counters, self.model);
        async move {
            match pool.checkout().await {
                Ok(mut connection) => {
                    let depth = <P::Connection as AsyncConnection>::TransactionManager::transaction_manager_status_mut(
                        &mut **connection,
                    )
                    .transaction_depth();
                    checkout::checked_out(counters, model, depth)?;
                    Ok(connection)
                }
                Err(error) => Err(checkout::unavailable(counters, model, error)),
            }
        }
    }

    /// The held connection (inside a transaction of the library's own), or one checked out
    /// for a single statement.
    async fn statement_connection(&mut self) -> Result<Statement<'_, 'p, P::Connection>, Error> {
        Ok(match self.held {
            Some(ref mut held) => Statement::Held(held),
            None => Statement::Own(self.checkout().await?),
        })
    }

    /// The held connection, for a step that only a transaction has.
    fn held(&mut self) -> QueryResult<&mut P::Connection> {
        self.held
            .as_mut()
            .map(|held| &mut ***held)
            .ok_or(diesel::result::Error::NotInTransaction)
    }
}

/// Where a statement runs: the connection a transaction holds, or one of its own.
enum Statement<'h, 'p, C> {
    Held(&'h mut Checked<'p, C>),
    Own(Checked<'p, C>),
}

impl<C> Statement<'_, '_, C> {
    fn connection(&mut self) -> &mut C {
        match self {
            Statement::Held(held) => held,
            Statement::Own(own) => own,
        }
    }
}

impl<P: Checkout> Conn for PoolDb<'_, P> {
    fn id(&mut self) -> usize {
        // Frames are kept per connection inside `Cache::transaction`, which a pool never is.
        std::ptr::from_ref(self.pool).addr()
    }

    fn depth(&mut self) -> Result<Option<NonZeroU32>, diesel::result::Error> {
        // A pool is in no transaction of the caller's (the library's own is not the caller's).
        Ok(None)
    }

    fn commit_trusted(&self) -> bool {
        db::commit_trusted::<BackendOf<P>>()
    }
}

impl<P: Checkout> Writes for PoolDb<'_, P> {
    async fn reserve(&mut self) -> Result<(), Error> {
        if self.held.is_none() {
            self.held = Some(self.checkout().await?);
        }
        Ok(())
    }

    fn release(&mut self) {
        self.held = None;
    }

    async fn begin(&mut self) -> Result<(), Error> {
        self.reserve().await?;
        let begun =
            <P::Connection as AsyncConnection>::TransactionManager::begin_transaction(self.held()?)
                .await;
        if begun.is_err() {
            self.held = None;
        }
        Ok(begun?)
    }

    async fn commit(&mut self) -> QueryResult<()> {
        let committed = <P::Connection as AsyncConnection>::TransactionManager::commit_transaction(
            self.held()?,
        )
        .await;
        // Given back to the pool: committed, or (a failed commit) rolled back or marked broken
        // by diesel-async, which the pool then discards.
        self.held = None;
        committed
    }

    async fn rollback(&mut self) -> QueryResult<()> {
        let rolled_back =
            <P::Connection as AsyncConnection>::TransactionManager::rollback_transaction(
                self.held()?,
            )
            .await;
        self.held = None;
        rolled_back
    }

    fn abandon(&mut self) {
        // Left inside the library's transaction: marked broken, the pool discards it.
        if let Some(mut held) = self.held.take() {
            <P::Connection as AsyncConnection>::TransactionManager::transaction_manager_status_mut(
                &mut *held,
            )
            .set_in_error();
        }
    }

    fn is_postgres(&self) -> bool {
        db::is_postgres::<BackendOf<P>>()
    }

    fn is_mysql(&self) -> bool {
        db::is_mysql::<BackendOf<P>>()
    }

    async fn run(&mut self, sql: String) -> QueryResult<()> {
        diesel_async::SimpleAsyncConnection::batch_execute(self.held()?, &sql).await
    }
}

impl<P, M> Load<M> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselOps<BackendOf<P>>,
{
    async fn load<'s, 'i: 's>(&'s mut self, id: M::Id<'i>) -> Result<Option<M>, Error> {
        let mut connection = self.checkout().await?;
        Ok(M::load(&mut **connection, id).await?)
    }

    async fn load_many<'s, 'i: 's>(&'s mut self, ids: &'s [M::Id<'i>]) -> Result<Vec<M>, Error> {
        let mut connection = self.checkout().await?;
        Ok(M::load_many(&mut **connection, ids).await?)
    }
}

impl<P, M, const N: usize> LoadBy<M, N> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselIndex<BackendOf<P>, N>,
{
    async fn load_by<'s, 'i: 's>(&'s mut self, value: M::Value<'i>) -> Result<Option<M>, Error> {
        let mut connection = self.checkout().await?;
        Ok(M::load_by(&mut **connection, value).await?)
    }

    async fn load_many_by<'s, 'i: 's>(
        &'s mut self,
        values: &'s [M::Value<'i>],
    ) -> Result<Vec<M>, Error> {
        let mut connection = self.checkout().await?;
        Ok(M::load_many_by(&mut **connection, values).await?)
    }
}

impl<P, M, const N: usize> LoadMembers<M, N> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselCollection<BackendOf<P>, N>,
{
    async fn load_members<'s, 'i: 's>(
        &'s mut self,
        parent: M::Parent<'i>,
    ) -> Result<Vec<M>, Error> {
        let mut connection = self.checkout().await?;
        Ok(M::load_members(&mut **connection, parent).await?)
    }
}

impl<P, M> LoadForUpdate<M> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselOps<BackendOf<P>>,
{
    async fn load_for_update<'s, 'i: 's>(&'s mut self, id: M::Id<'i>) -> Result<Option<M>, Error> {
        let mut statement = self.statement_connection().await?;
        Ok(M::load_for_update(statement.connection(), id).await?)
    }
}

impl<P, M> Upsert<M> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselOps<BackendOf<P>>,
{
    async fn upsert<'s>(&'s mut self, row: &'s M) -> Result<Option<M>, Error> {
        let mut statement = self.statement_connection().await?;
        row.upsert(statement.connection()).await
    }
}

impl<P, M, F> Update<M, F> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselUpdate<BackendOf<P>, F>,
    F: Send,
{
    async fn update<'s, 'i: 's>(&'s mut self, id: M::Id<'i>, changes: F) -> Result<Option<M>, Error>
    where
        F: 's,
    {
        let mut statement = self.statement_connection().await?;
        M::update_returning(statement.connection(), id, changes).await
    }
}

impl<P, M> Remove<M> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselOps<BackendOf<P>>,
{
    async fn remove<'s, 'i: 's>(&'s mut self, id: M::Id<'i>) -> Result<usize, Error> {
        let mut statement = self.statement_connection().await?;
        Ok(M::remove(statement.connection(), id).await?)
    }
}

impl<P, M, N> Create<M, N> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselCreate<BackendOf<P>, P::Connection, N>,
    N: Send,
{
    async fn insert_returning<'s>(&'s mut self, new: N) -> Result<M, Error>
    where
        N: 's,
    {
        let mut statement = self.statement_connection().await?;
        M::insert_returning(statement.connection(), new).await
    }
}
