//! A Diesel connection as the one sequence of steps sees it (`drive/db.rs`): every future is
//! ready at once, because Diesel has answered before it is made.

use std::future::{Future, ready};
use std::num::NonZeroU32;

use diesel::QueryResult;
use diesel::connection::{Connection, LoadConnection, TransactionManager};

use crate::drive::db::{
    self, Conn, Create, Load, LoadBy, LoadForUpdate, LoadMembers, Remove, Update, Upsert, Writes,
};
use crate::error::Error;
use crate::model::{DieselCreate, DieselIndex, DieselOps, DieselUpdate};
use crate::model_collection::DieselCollection;

pub(crate) struct BlockingDb<'c, C>(pub(crate) &'c mut C);

impl<C: Connection> Conn for BlockingDb<'_, C> {
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

impl<C: Connection> Writes for BlockingDb<'_, C> {
    fn begin(&mut self) -> impl Future<Output = Result<(), Error>> + Send {
        ready(C::TransactionManager::begin_transaction(self.0).map_err(Error::from))
    }

    fn commit(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        ready(C::TransactionManager::commit_transaction(self.0))
    }

    fn rollback(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        ready(C::TransactionManager::rollback_transaction(self.0))
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

    fn run(&mut self, sql: String) -> impl Future<Output = QueryResult<()>> + Send {
        ready(diesel::connection::SimpleConnection::batch_execute(
            self.0, &sql,
        ))
    }
}

impl<C, M> Load<M> for BlockingDb<'_, C>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    fn load<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        ready(M::load(self.0, id).map_err(Error::from))
    }

    fn load_many<'s, 'i: 's>(
        &'s mut self,
        ids: &'s [M::Id<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        ready(M::load_many(self.0, ids).map_err(Error::from))
    }
}

impl<C, M, const N: usize> LoadBy<M, N> for BlockingDb<'_, C>
where
    C: Connection + LoadConnection,
    M: DieselIndex<C::Backend, N>,
{
    fn load_by<'s, 'i: 's>(
        &'s mut self,
        value: M::Value<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        ready(M::load_by(self.0, value).map_err(Error::from))
    }

    fn load_many_by<'s, 'i: 's>(
        &'s mut self,
        values: &'s [M::Value<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        ready(M::load_many_by(self.0, values).map_err(Error::from))
    }
}

impl<C, M, const N: usize> LoadMembers<M, N> for BlockingDb<'_, C>
where
    C: Connection + LoadConnection,
    M: DieselCollection<C::Backend, N>,
{
    fn load_members<'s, 'i: 's>(
        &'s mut self,
        parent: M::Parent<'i>,
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        ready(M::load_members(self.0, parent).map_err(Error::from))
    }
}

impl<C, M> LoadForUpdate<M> for BlockingDb<'_, C>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    fn load_for_update<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        ready(M::load_for_update(self.0, id).map_err(Error::from))
    }
}

impl<C, M> Upsert<M> for BlockingDb<'_, C>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    fn upsert<'s>(
        &'s mut self,
        row: &'s M,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        ready(row.upsert(self.0))
    }
}

impl<C, M, F> Update<M, F> for BlockingDb<'_, C>
where
    C: Connection + LoadConnection,
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
        ready(M::update_returning(self.0, id, changes))
    }
}

impl<C, M> Remove<M> for BlockingDb<'_, C>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    fn remove<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<usize, Error>> + Send + 's {
        ready(M::remove(self.0, id).map_err(Error::from))
    }
}

impl<C, M, N> Create<M, N> for BlockingDb<'_, C>
where
    C: Connection,
    M: DieselCreate<C::Backend, C, N>,
{
    fn insert_returning<'s>(&'s mut self, new: N) -> impl Future<Output = Result<M, Error>> + Send
    where
        N: 's,
    {
        ready(M::insert_returning(self.0, new))
    }
}
