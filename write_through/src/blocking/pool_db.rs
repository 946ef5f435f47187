//! Diesel's r2d2 pool as the one sequence of steps sees a connection (`drive/db.rs`), for
//! reads: never inside a transaction, and a connection checked out for each load and given
//! back as soon as the rows are read, before the fill.

use std::future::{Future, ready};
use std::num::NonZeroU32;

use diesel::connection::{LoadConnection, TransactionManager};
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection, R2D2Connection};

use crate::cache::Cache;
use crate::drive::checkout;
use crate::drive::db::{self, Conn, Load, LoadBy};
use crate::error::{Error, UnavailableError};
use crate::model::{Cached, DieselIndex, DieselOps};
use crate::stats::Counters;

pub(crate) struct PoolDb<'p, C: R2D2Connection + 'static> {
    pool: &'p Pool<ConnectionManager<C>>,
    counters: &'p Counters,
}

impl<'p, C: R2D2Connection + 'static> PoolDb<'p, C> {
    pub(crate) fn new(pool: &'p Pool<ConnectionManager<C>>, cache: &'p Cache) -> Self {
        PoolDb {
            pool,
            counters: &cache.inner().store.counters,
        }
    }

    /// A connection for one load, counted; or the error that says none could be had.
    fn checkout<M: Cached>(&self) -> Result<PooledConnection<ConnectionManager<C>>, Error> {
        match self.pool.get() {
            Ok(mut connection) => {
                let depth = C::TransactionManager::transaction_manager_status_mut(&mut *connection)
                    .transaction_depth();
                checkout::checked_out::<M>(self.counters, depth)?;
                Ok(connection)
            }
            // r2d2 fails a checkout only when its timeout passed; its message quotes the last
            // connection error, which for a malformed URL quotes the URL: not kept.
            Err(_) => Err(checkout::unavailable::<M>(
                self.counters,
                UnavailableError::new(
                    "timed out waiting for a pooled connection (every connection busy, or none could be made)".into(),
                    true,
                ),
            )),
        }
    }
}

impl<C: R2D2Connection + 'static> Conn for PoolDb<'_, C> {
    fn id(&mut self) -> usize {
        // Frames are kept per connection inside `Cache::transaction`, which a pool never is.
        std::ptr::from_ref(self.pool).addr()
    }

    fn depth(&mut self) -> Result<Option<NonZeroU32>, diesel::result::Error> {
        // A connection checked out for one read is in no transaction.
        Ok(None)
    }

    fn commit_trusted(&self) -> bool {
        db::commit_trusted::<C::Backend>()
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
            self.checkout::<M>()
                .and_then(|mut connection| Ok(M::load(&mut *connection, id)?)),
        )
    }

    fn load_many<'s, 'i: 's>(
        &'s mut self,
        ids: &'s [M::Id<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        ready(
            self.checkout::<M>()
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
            self.checkout::<M>()
                .and_then(|mut connection| Ok(M::load_by(&mut *connection, value)?)),
        )
    }

    fn load_many_by<'s, 'i: 's>(
        &'s mut self,
        values: &'s [M::Value<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        ready(
            self.checkout::<M>()
                .and_then(|mut connection| Ok(M::load_many_by(&mut *connection, values)?)),
        )
    }
}
