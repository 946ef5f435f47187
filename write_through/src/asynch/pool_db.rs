//! A pool as the one sequence of steps sees a connection (`drive/db.rs`), for reads: never
//! inside a transaction, and a connection checked out for each load and given back as soon as
//! the rows are read, before the fill.

use std::num::NonZeroU32;

use diesel_async::{AsyncConnection, AsyncConnectionCore, TransactionManager};

use crate::cache::Cache;
use crate::drive::checkout;
use crate::drive::db::{self, Conn, Load, LoadBy};
use crate::error::Error;
use crate::model::{AsyncDieselIndex, AsyncDieselOps};
use crate::stats::Counters;

use super::pooled_source::Checkout;

pub(crate) struct PoolDb<'p, P> {
    pool: &'p P,
    counters: &'p Counters,
}

impl<'p, P: Checkout> PoolDb<'p, P> {
    /// `PoolDb` as an opaque type, for the reason of `asynch::db::hidden`.
    pub(crate) fn hidden<M>(pool: &'p P, cache: &'p Cache) -> impl Load<M> + Send + 'p
    where
        M: AsyncDieselOps<<P::Connection as AsyncConnectionCore>::Backend>,
    {
        Self::new(pool, cache)
    }

    /// `PoolDb` as an opaque type for the lookups of unique index `N`.
    pub(crate) fn hidden_index<M, const N: usize>(
        pool: &'p P,
        cache: &'p Cache,
    ) -> impl LoadBy<M, N> + Send + 'p
    where
        M: AsyncDieselIndex<<P::Connection as AsyncConnectionCore>::Backend, N>,
    {
        Self::new(pool, cache)
    }

    fn new(pool: &'p P, cache: &'p Cache) -> Self {
        PoolDb {
            pool,
            counters: &cache.inner().store.counters,
        }
    }

    /// A connection for one load, counted; or the error that says none could be had.
    async fn checkout<M: crate::model::Cached>(
        &self,
    ) -> Result<super::pooled_source::Checked<'p, P::Connection>, Error> {
        match self.pool.checkout().await {
            Ok(mut connection) => {
                let depth = <P::Connection as AsyncConnection>::TransactionManager::transaction_manager_status_mut(
                    &mut **connection,
                )
                .transaction_depth();
                checkout::checked_out::<M>(self.counters, depth)?;
                Ok(connection)
            }
            Err(error) => Err(checkout::unavailable::<M>(self.counters, error)),
        }
    }
}

impl<P: Checkout> Conn for PoolDb<'_, P> {
    fn id(&mut self) -> usize {
        // Frames are kept per connection inside `Cache::transaction`, which a pool never is.
        std::ptr::from_ref(self.pool).addr()
    }

    fn depth(&mut self) -> Result<Option<NonZeroU32>, diesel::result::Error> {
        // A connection checked out for one read is in no transaction.
        Ok(None)
    }

    fn commit_trusted(&self) -> bool {
        db::commit_trusted::<<P::Connection as AsyncConnectionCore>::Backend>()
    }
}

impl<P, M> Load<M> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselOps<<P::Connection as AsyncConnectionCore>::Backend>,
{
    async fn load<'s, 'i: 's>(&'s mut self, id: M::Id<'i>) -> Result<Option<M>, Error> {
        let mut connection = self.checkout::<M>().await?;
        Ok(M::load(&mut **connection, id).await?)
    }

    async fn load_many<'s, 'i: 's>(&'s mut self, ids: &'s [M::Id<'i>]) -> Result<Vec<M>, Error> {
        let mut connection = self.checkout::<M>().await?;
        Ok(M::load_many(&mut **connection, ids).await?)
    }
}

impl<P, M, const N: usize> LoadBy<M, N> for PoolDb<'_, P>
where
    P: Checkout,
    M: AsyncDieselIndex<<P::Connection as AsyncConnectionCore>::Backend, N>,
{
    async fn load_by<'s, 'i: 's>(&'s mut self, value: M::Value<'i>) -> Result<Option<M>, Error> {
        let mut connection = self.checkout::<M>().await?;
        Ok(M::load_by(&mut **connection, value).await?)
    }

    async fn load_many_by<'s, 'i: 's>(
        &'s mut self,
        values: &'s [M::Value<'i>],
    ) -> Result<Vec<M>, Error> {
        let mut connection = self.checkout::<M>().await?;
        Ok(M::load_many_by(&mut **connection, values).await?)
    }
}
