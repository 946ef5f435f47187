//! The async front's operations through a pool (features `deadpool`, `bb8`): [`ReadSource`],
//! `IndexLookup` and [`WriteSource`] for [`Pooled`] of diesel-async's deadpool and bb8 pools,
//! one connection checked out per load that a miss needs, and per write for its database part
//! (`pool_db.rs`).

use std::future::Future;
use std::ops::DerefMut;

use diesel_async::{AsyncConnection, AsyncConnectionCore};

use crate::cache::Cache;
use crate::error::{Error, UnavailableError};
use crate::model::{
    AsyncDieselCreate, AsyncDieselIndex, AsyncDieselOps, AsyncDieselUpdate, BoxFuture,
};
use crate::model_collection::AsyncDieselCollection;
use crate::pooled::Pooled;

use super::pool_db::PoolDb;
use super::source::{ReadSource, WriteSource};

/// A pool's checked-out connection, whatever the pool's type for it.
pub(crate) type Checked<'p, C> = Box<dyn DerefMut<Target = C> + Send + 'p>;

/// A pool a read or a write checks one connection out of.
pub(crate) trait Checkout: Sync {
    type Connection: AsyncConnection + 'static;

    fn checkout(
        &self,
    ) -> impl Future<Output = Result<Checked<'_, Self::Connection>, UnavailableError>> + Send;
}

/// The operations of [`ReadSource`], `IndexLookup` and [`WriteSource`] through pool `P`.
mod through_pool {
    use super::*;

    pub(super) async fn find<M, P>(
        pool: &P,
        cache: &Cache,
        id: M::Id<'_>,
    ) -> Result<Option<M>, Error>
    where
        P: Checkout,
        M: AsyncDieselOps<<P::Connection as AsyncConnectionCore>::Backend>,
    {
        crate::asynch::find_through(&mut PoolDb::hidden::<M>(pool, cache), cache, id).await
    }

    pub(super) async fn find_many<'a, M, P>(
        pool: &P,
        cache: &Cache,
        ids: Vec<M::Id<'a>>,
    ) -> Result<Vec<Option<M>>, Error>
    where
        P: Checkout,
        M: AsyncDieselOps<<P::Connection as AsyncConnectionCore>::Backend>,
    {
        crate::asynch::find_many_through(&mut PoolDb::hidden::<M>(pool, cache), cache, ids).await
    }

    pub(super) async fn save<M, P>(pool: &P, cache: &Cache, row: &M) -> Result<Option<M>, Error>
    where
        P: Checkout,
        M: AsyncDieselOps<<P::Connection as AsyncConnectionCore>::Backend>,
    {
        crate::asynch::save_through(&mut PoolDb::hidden::<M>(pool, cache), cache, row).await
    }

    pub(super) async fn delete<M, P>(pool: &P, cache: &Cache, id: M::Id<'_>) -> Result<bool, Error>
    where
        P: Checkout,
        M: AsyncDieselOps<<P::Connection as AsyncConnectionCore>::Backend>,
    {
        crate::asynch::delete_through(&mut PoolDb::hidden::<M>(pool, cache), cache, id).await
    }

    pub(super) async fn update<M, F, P>(
        pool: &P,
        cache: &Cache,
        id: M::Id<'_>,
        changes: F,
    ) -> Result<M, Error>
    where
        P: Checkout,
        M: AsyncDieselUpdate<<P::Connection as AsyncConnectionCore>::Backend, F>,
        F: Send,
    {
        let db = &mut PoolDb::hidden_update::<M, F>(pool, cache);
        crate::asynch::update_through(db, cache, id, changes).await
    }

    pub(super) async fn create<M, N, P>(pool: &P, cache: &Cache, new: N) -> Result<M, Error>
    where
        P: Checkout,
        M: AsyncDieselCreate<<P::Connection as AsyncConnectionCore>::Backend, P::Connection, N>,
        N: Send,
    {
        let db = &mut PoolDb::hidden_create::<M, N>(pool, cache);
        crate::asynch::create_through(db, cache, new).await
    }

    pub(super) async fn find_many_by<'a, M, const N: usize, P>(
        pool: &P,
        cache: &Cache,
        values: Vec<M::Value<'a>>,
    ) -> Result<Vec<Option<M>>, Error>
    where
        P: Checkout,
        M: AsyncDieselIndex<<P::Connection as AsyncConnectionCore>::Backend, N>,
    {
        let db = &mut PoolDb::hidden_index::<M, N>(pool, cache);
        crate::asynch::index::find_many_by_through(db, cache, values).await
    }

    pub(super) async fn find_all_by_in<'a, M, const N: usize, P>(
        pool: &P,
        cache: &Cache,
        parents: Vec<M::Parent<'a>>,
    ) -> Result<Vec<Vec<M>>, Error>
    where
        P: Checkout,
        M: AsyncDieselCollection<<P::Connection as AsyncConnectionCore>::Backend, N>,
    {
        let db = &mut PoolDb::hidden_collection::<M, N>(pool, cache);
        crate::asynch::collection::find_all_by_through(db, cache, parents).await
    }
}

/// [`ReadSource`] and `IndexLookup` for `Pooled` of a pool type that implements [`Checkout`].
/// One connection type at a time: the pools' own impls carry bounds (their health check's
/// query) that a generic connection would have to repeat.
macro_rules! pooled_source {
    ($pool:ty, $connection:ty) => {
        impl<'p> ReadSource for Pooled<'p, $pool> {
            type Backend = <$connection as AsyncConnectionCore>::Backend;

            fn __find<'a, M>(
                &'a mut self,
                cache: &'a Cache,
                id: M::Id<'a>,
            ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 'a
            where
                M: AsyncDieselOps<Self::Backend>,
            {
                through_pool::find::<M, $pool>(self.0, cache, id)
            }

            fn __find_many<'a, M>(
                &'a mut self,
                cache: &'a Cache,
                ids: Vec<M::Id<'a>>,
            ) -> impl Future<Output = Result<Vec<Option<M>>, Error>> + Send + 'a
            where
                M: AsyncDieselOps<Self::Backend>,
            {
                through_pool::find_many::<M, $pool>(self.0, cache, ids)
            }
        }

        impl<'p> WriteSource for Pooled<'p, $pool> {
            type Backend = <$connection as AsyncConnectionCore>::Backend;
            type Connection = $connection;

            fn __save<'a, M>(
                &'a mut self,
                cache: &'a Cache,
                row: &'a M,
            ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 'a
            where
                M: AsyncDieselOps<Self::Backend>,
            {
                through_pool::save::<M, $pool>(self.0, cache, row)
            }

            fn __delete<'a, M>(
                &'a mut self,
                cache: &'a Cache,
                id: M::Id<'a>,
            ) -> impl Future<Output = Result<bool, Error>> + Send + 'a
            where
                M: AsyncDieselOps<Self::Backend>,
            {
                through_pool::delete::<M, $pool>(self.0, cache, id)
            }

            fn __update<'a, M, F>(
                &'a mut self,
                cache: &'a Cache,
                id: M::Id<'a>,
                changes: F,
            ) -> impl Future<Output = Result<M, Error>> + Send + 'a
            where
                M: AsyncDieselUpdate<Self::Backend, F>,
                F: Send + 'a,
            {
                through_pool::update::<M, F, $pool>(self.0, cache, id, changes)
            }

            fn __create<'a, M, N>(
                &'a mut self,
                cache: &'a Cache,
                new: N,
            ) -> impl Future<Output = Result<M, Error>> + Send + 'a
            where
                M: AsyncDieselCreate<Self::Backend, $connection, N>,
                N: Send + 'a,
            {
                through_pool::create::<M, N, $pool>(self.0, cache, new)
            }
        }

        impl<'p, M, const N: usize> crate::collection::CollectionLookup<M, N, crate::index::Async>
            for Pooled<'p, $pool>
        where
            M: AsyncDieselCollection<<$connection as AsyncConnectionCore>::Backend, N>,
        {
            type Output<'a, T: 'a>
                = BoxFuture<'a, Result<T, Error>>
            where
                Self: 'a;

            fn find_all_by<'a>(
                source: &'a mut Self,
                cache: &'a Cache,
                parent: M::Parent<'a>,
            ) -> BoxFuture<'a, Result<Vec<M>, Error>> {
                let pool = source.0;
                Box::pin(async move {
                    let mut lists =
                        through_pool::find_all_by_in::<M, N, $pool>(pool, cache, vec![parent])
                            .await?;
                    Ok(lists.pop().unwrap_or_default())
                })
            }

            fn find_all_by_in<'a>(
                source: &'a mut Self,
                cache: &'a Cache,
                parents: Vec<M::Parent<'a>>,
            ) -> BoxFuture<'a, Result<Vec<Vec<M>>, Error>> {
                Box::pin(through_pool::find_all_by_in::<M, N, $pool>(
                    source.0, cache, parents,
                ))
            }
        }

        impl<'p, M, const N: usize> crate::index::IndexLookup<M, N, crate::index::Async>
            for Pooled<'p, $pool>
        where
            M: AsyncDieselIndex<<$connection as AsyncConnectionCore>::Backend, N>,
        {
            type Output<'a, T: 'a>
                = BoxFuture<'a, Result<T, Error>>
            where
                Self: 'a;

            fn find_by<'a>(
                source: &'a mut Self,
                cache: &'a Cache,
                value: M::Value<'a>,
            ) -> BoxFuture<'a, Result<Option<M>, Error>> {
                let pool = source.0;
                Box::pin(async move {
                    let mut rows =
                        through_pool::find_many_by::<M, N, $pool>(pool, cache, vec![value]).await?;
                    Ok(rows.pop().flatten())
                })
            }

            fn find_many_by<'a>(
                source: &'a mut Self,
                cache: &'a Cache,
                values: Vec<M::Value<'a>>,
            ) -> BoxFuture<'a, Result<Vec<Option<M>>, Error>> {
                Box::pin(through_pool::find_many_by::<M, N, $pool>(
                    source.0, cache, values,
                ))
            }
        }
    };
}

/// Both pools for each backend's diesel-async connection.
macro_rules! pools_of {
    ($connection:ty) => {
        #[cfg(feature = "deadpool")]
        impl Checkout for diesel_async::pooled_connection::deadpool::Pool<$connection> {
            type Connection = $connection;

            async fn checkout(&self) -> Result<Checked<'_, $connection>, UnavailableError> {
                use diesel_async::pooled_connection::deadpool::PoolError;
                match self.get().await {
                    Ok(connection) => Ok(Box::new(connection)),
                    Err(PoolError::Timeout(_)) => Err(UnavailableError::new(
                        "timed out waiting for a pooled connection".into(),
                        true,
                    )),
                    Err(PoolError::Backend(error)) => {
                        Err(UnavailableError::new(backend_error(&error), false))
                    }
                    Err(PoolError::Closed) => {
                        Err(UnavailableError::new("the pool is closed".into(), false))
                    }
                    Err(other) => Err(UnavailableError::new(
                        format!("the pool failed: {other}"),
                        false,
                    )),
                }
            }
        }

        #[cfg(feature = "deadpool")]
        pooled_source!(
            diesel_async::pooled_connection::deadpool::Pool<$connection>,
            $connection
        );

        #[cfg(feature = "bb8")]
        impl Checkout for diesel_async::pooled_connection::bb8::Pool<$connection> {
            type Connection = $connection;

            async fn checkout(&self) -> Result<Checked<'_, $connection>, UnavailableError> {
                use diesel_async::pooled_connection::bb8::RunError;
                match self.get().await {
                    Ok(connection) => Ok(Box::new(connection)),
                    Err(RunError::TimedOut) => Err(UnavailableError::new(
                        "timed out waiting for a pooled connection".into(),
                        true,
                    )),
                    Err(RunError::User(error)) => {
                        Err(UnavailableError::new(backend_error(&error), false))
                    }
                }
            }
        }

        #[cfg(feature = "bb8")]
        pooled_source!(
            diesel_async::pooled_connection::bb8::Pool<$connection>,
            $connection
        );
    };
}

#[cfg(feature = "postgres")]
pools_of!(diesel_async::AsyncPgConnection);
#[cfg(feature = "mysql")]
pools_of!(diesel_async::AsyncMysqlConnection);

/// What a pool's failure to connect says, without the database's URL (an invalid URL's error
/// quotes it).
#[cfg(any(feature = "deadpool", feature = "bb8"))]
fn backend_error(error: &diesel_async::pooled_connection::PoolError) -> String {
    use diesel::result::ConnectionError;
    use diesel_async::pooled_connection::PoolError;
    match error {
        PoolError::ConnectionError(ConnectionError::InvalidConnectionUrl(_)) => {
            "the database URL is not valid".into()
        }
        PoolError::ConnectionError(error) => format!("could not connect: {error}"),
        PoolError::QueryError(error) => format!("a new connection failed its check: {error}"),
    }
}
