//! Diesel's r2d2 pool as the one sequence of steps sees a connection (`drive/db.rs`): never
//! inside the caller's transaction, and a connection checked out only for the database's part
//! of an operation. A read checks one out for its load and gives it back before the fill; a
//! write checks one out before its Redis lock (so that a key is never locked while its writer
//! waits for a connection) and gives it back before its publish, so that no connection waits
//! for the publish.

use std::future::{Future, ready};
use std::num::NonZeroU32;

use diesel::QueryResult;
use diesel::connection::{LoadConnection, TransactionManager};
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection, R2D2Connection};

use crate::cache::Cache;
use crate::drive::checkout;
use crate::drive::db::{
    self, Conn, Create, Load, LoadBy, LoadForUpdate, LoadMembers, Remove, Update, Upsert, Writes,
};
use crate::error::{Error, UnavailableError};
use crate::model::{Cached, DieselCreate, DieselIndex, DieselOps, DieselUpdate};
use crate::model_collection::DieselCollection;
use crate::stats::Counters;

type Checked<C> = PooledConnection<ConnectionManager<C>>;

pub(crate) struct PoolDb<'p, C: R2D2Connection + 'static> {
    pool: &'p Pool<ConnectionManager<C>>,
    counters: &'p Counters,
    /// The model operated on, for the counters.
    model: &'static str,
    /// The connection a write holds: from its `reserve` to its `release` (its lock, statement
    /// and nothing else), or a transaction of the library's own, from its `BEGIN` to its
    /// `COMMIT` or `ROLLBACK`.
    held: Option<Checked<C>>,
}

impl<'p, C: R2D2Connection + 'static> PoolDb<'p, C> {
    pub(crate) fn new<M: Cached>(pool: &'p Pool<ConnectionManager<C>>, cache: &'p Cache) -> Self {
        PoolDb {
            pool,
            counters: &cache.inner().store.counters,
            model: M::MODEL_NAME,
            held: None,
        }
    }

    /// A connection for one operation, counted; or the error that says none could be had.
    fn checkout(&self) -> Result<Checked<C>, Error> {
        match self.pool.get() {
            Ok(mut connection) => {
                let depth = C::TransactionManager::transaction_manager_status_mut(&mut *connection)
                    .transaction_depth();
                checkout::checked_out(self.counters, self.model, depth)?;
                Ok(connection)
            }
            // r2d2 fails a checkout only when its timeout passed; its message quotes the last
            // connection error, which for a malformed URL quotes the URL: not kept.
            Err(_) => Err(checkout::unavailable(
                self.counters,
                self.model,
                UnavailableError::new(
                    "timed out waiting for a pooled connection (every connection busy, or none could be made)".into(),
                    true,
                ),
            )),
        }
    }

    /// Runs `statement` on the held connection (inside a transaction of the library's own), or
    /// on one checked out for it alone and given back after it.
    fn statement<T>(
        &mut self,
        statement: impl FnOnce(&mut C) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self.held.as_mut() {
            Some(held) => statement(held),
            None => statement(&mut *self.checkout()?),
        }
    }

    /// Checks a connection out to hold, unless one is held.
    fn hold(&mut self) -> Result<(), Error> {
        if self.held.is_none() {
            self.held = Some(self.checkout()?);
        }
        Ok(())
    }

    /// The held connection, for a step that only a transaction has.
    fn held(&mut self) -> QueryResult<&mut C> {
        self.held
            .as_deref_mut()
            .ok_or(diesel::result::Error::NotInTransaction)
    }
}

impl<C: R2D2Connection + 'static> Conn for PoolDb<'_, C> {
    fn id(&mut self) -> usize {
        // Frames are kept per connection inside `Cache::transaction`, which a pool never is.
        std::ptr::from_ref(self.pool).addr()
    }

    fn depth(&mut self) -> Result<Option<NonZeroU32>, diesel::result::Error> {
        // A pool is in no transaction of the caller's (the library's own is not the caller's).
        Ok(None)
    }

    fn commit_trusted(&self) -> bool {
        db::commit_trusted::<C::Backend>()
    }
}

impl<C: R2D2Connection + 'static> Writes for PoolDb<'_, C> {
    fn reserve(&mut self) -> impl Future<Output = Result<(), Error>> + Send {
        ready(self.hold())
    }

    fn release(&mut self) {
        self.held = None;
    }

    fn begin(&mut self) -> impl Future<Output = Result<(), Error>> + Send {
        let begun = self.hold().and_then(|()| {
            let begun = self
                .held()
                .and_then(|held| C::TransactionManager::begin_transaction(held));
            if begun.is_err() {
                self.held = None;
            }
            Ok(begun?)
        });
        ready(begun)
    }

    fn commit(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        let committed = self
            .held()
            .and_then(|held| C::TransactionManager::commit_transaction(held));
        // Given back to the pool: committed, or (a failed commit) rolled back or marked broken
        // by Diesel, which r2d2 then discards.
        self.held = None;
        ready(committed)
    }

    fn rollback(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        let rolled_back = self
            .held()
            .and_then(|held| C::TransactionManager::rollback_transaction(held));
        self.held = None;
        ready(rolled_back)
    }

    fn abandon(&mut self) {
        // Left inside the library's transaction: marked broken, r2d2 discards it.
        if let Some(mut held) = self.held.take() {
            C::TransactionManager::transaction_manager_status_mut(&mut *held).set_in_error();
        }
    }

    fn is_postgres(&self) -> bool {
        db::is_postgres::<C::Backend>()
    }

    fn is_mysql(&self) -> bool {
        db::is_mysql::<C::Backend>()
    }

    fn run(&mut self, sql: String) -> impl Future<Output = QueryResult<()>> + Send {
        ready(
            self.held()
                .and_then(|held| diesel::connection::SimpleConnection::batch_execute(held, &sql)),
        )
    }
}

impl<C, M> Load<M> for PoolDb<'_, C>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselOps<C::Backend>,
{
    fn load<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        ready(
            self.checkout()
                .and_then(|mut connection| Ok(M::load(&mut *connection, id)?)),
        )
    }

    fn load_many<'s, 'i: 's>(
        &'s mut self,
        ids: &'s [M::Id<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        ready(
            self.checkout()
                .and_then(|mut connection| Ok(M::load_many(&mut *connection, ids)?)),
        )
    }
}

impl<C, M, const N: usize> LoadBy<M, N> for PoolDb<'_, C>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselIndex<C::Backend, N>,
{
    fn load_by<'s, 'i: 's>(
        &'s mut self,
        value: M::Value<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        ready(
            self.checkout()
                .and_then(|mut connection| Ok(M::load_by(&mut *connection, value)?)),
        )
    }

    fn load_many_by<'s, 'i: 's>(
        &'s mut self,
        values: &'s [M::Value<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        ready(
            self.checkout()
                .and_then(|mut connection| Ok(M::load_many_by(&mut *connection, values)?)),
        )
    }
}

impl<C, M, const N: usize> LoadMembers<M, N> for PoolDb<'_, C>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselCollection<C::Backend, N>,
{
    fn load_members<'s, 'i: 's>(
        &'s mut self,
        parent: M::Parent<'i>,
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        ready(
            self.checkout()
                .and_then(|mut connection| Ok(M::load_members(&mut *connection, parent)?)),
        )
    }
}

impl<C, M> LoadForUpdate<M> for PoolDb<'_, C>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselOps<C::Backend>,
{
    fn load_for_update<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        ready(self.statement(|connection| Ok(M::load_for_update(connection, id)?)))
    }
}

impl<C, M> Upsert<M> for PoolDb<'_, C>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselOps<C::Backend>,
{
    fn upsert<'s>(
        &'s mut self,
        row: &'s M,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        ready(self.statement(|connection| row.upsert(connection)))
    }
}

impl<C, M, F> Update<M, F> for PoolDb<'_, C>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselUpdate<C::Backend, F>,
{
    fn update<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
        changes: F,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's
    where
        F: 's,
    {
        ready(self.statement(|connection| M::update_returning(connection, id, changes)))
    }
}

impl<C, M> Remove<M> for PoolDb<'_, C>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselOps<C::Backend>,
{
    fn remove<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<usize, Error>> + Send + 's {
        ready(self.statement(|connection| Ok(M::remove(connection, id)?)))
    }
}

impl<C, M, N> Create<M, N> for PoolDb<'_, C>
where
    C: R2D2Connection + 'static,
    M: DieselCreate<C::Backend, C, N>,
{
    fn insert_returning<'s>(&'s mut self, new: N) -> impl Future<Output = Result<M, Error>> + Send
    where
        N: 's,
    {
        ready(self.statement(|connection| M::insert_returning(connection, new)))
    }
}
