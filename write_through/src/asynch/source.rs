//! Where the async front's operations get a database connection: a diesel-async connection the
//! caller checked out, or a pool ([`Pooled`](crate::Pooled)) that a read checks one out of
//! only when it misses, and a write only for its database part (`pooled_source.rs`).

use std::future::Future;

use diesel_async::AsyncConnection;

use crate::cache::Cache;
use crate::error::Error;
use crate::index::Async;
use crate::model::{AsyncDieselCreate, AsyncDieselOps, AsyncDieselUpdate};

/// What `find` and `find_many` read through: any diesel-async connection (as `&mut conn`), a
/// pool as [`Pooled`](crate::Pooled) (features `deadpool`, `bb8`), which a read checks a
/// connection out of only when the cache does not answer it, or a shared `&AsyncPgConnection`
/// (`K` = [`Shared`](crate::index::Shared); a miss asks the server, in its load's round trip,
/// whether it runs inside a transaction). `K` tells these apart and is inferred.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither a diesel-async connection nor a pool the cache can read through",
    note = "pass `&mut conn` (a connection), or `&mut write_through::Pooled(&pool)` for diesel-async's deadpool or bb8 pool (features `deadpool`, `bb8`)"
)]
pub trait ReadSource<K = Async>: Send {
    /// The database backend the reads run on.
    type Backend: diesel::backend::Backend;

    #[doc(hidden)]
    fn __find<'a, M>(
        &'a mut self,
        cache: &'a Cache,
        id: M::Id<'a>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 'a
    where
        M: AsyncDieselOps<Self::Backend>;

    #[doc(hidden)]
    fn __find_many<'a, M>(
        &'a mut self,
        cache: &'a Cache,
        ids: Vec<M::Id<'a>>,
    ) -> impl Future<Output = Result<Vec<Option<M>>, Error>> + Send + 'a
    where
        M: AsyncDieselOps<Self::Backend>;
}

impl<C: AsyncConnection> ReadSource for C {
    type Backend = C::Backend;

    fn __find<'a, M>(
        &'a mut self,
        cache: &'a Cache,
        id: M::Id<'a>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 'a
    where
        M: AsyncDieselOps<C::Backend>,
    {
        super::find::<M, C>(self, cache, id)
    }

    fn __find_many<'a, M>(
        &'a mut self,
        cache: &'a Cache,
        ids: Vec<M::Id<'a>>,
    ) -> impl Future<Output = Result<Vec<Option<M>>, Error>> + Send + 'a
    where
        M: AsyncDieselOps<C::Backend>,
    {
        super::find_many::<M, C, _>(self, cache, ids)
    }
}

/// What `save`, `update`, `delete` and `create` write through: any diesel-async connection (as
/// `&mut conn`), or a pool as [`Pooled`](crate::Pooled) (features `deadpool`, `bb8`), which a
/// write checks a connection out of just before its Redis lock (a key is never locked while its
/// writer waits for a connection), given back before its publish.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither a diesel-async connection nor a pool the cache can write through",
    note = "pass `&mut conn` (a connection), or `&mut write_through::Pooled(&pool)` for diesel-async's deadpool or bb8 pool (features `deadpool`, `bb8`)",
    note = "a shared `&AsyncPgConnection` only reads: a write runs in a transaction of its own, which queries pipelined on the shared connection would join; write through the `&mut AsyncPgConnection` it was borrowed from"
)]
pub trait WriteSource: Send {
    /// The database backend the writes run on.
    type Backend: diesel::backend::Backend;
    /// The connection a `create` inserts on (a pool's connection type).
    type Connection: AsyncConnection<Backend = Self::Backend>;

    #[doc(hidden)]
    fn __save<'a, M>(
        &'a mut self,
        cache: &'a Cache,
        row: &'a M,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 'a
    where
        M: AsyncDieselOps<Self::Backend>;

    #[doc(hidden)]
    fn __delete<'a, M>(
        &'a mut self,
        cache: &'a Cache,
        id: M::Id<'a>,
    ) -> impl Future<Output = Result<bool, Error>> + Send + 'a
    where
        M: AsyncDieselOps<Self::Backend>;

    #[doc(hidden)]
    fn __update<'a, M, F>(
        &'a mut self,
        cache: &'a Cache,
        id: M::Id<'a>,
        changes: F,
    ) -> impl Future<Output = Result<M, Error>> + Send + 'a
    where
        M: AsyncDieselUpdate<Self::Backend, F>,
        F: Send + 'a;

    #[doc(hidden)]
    fn __create<'a, M, N>(
        &'a mut self,
        cache: &'a Cache,
        new: N,
    ) -> impl Future<Output = Result<M, Error>> + Send + 'a
    where
        M: AsyncDieselCreate<Self::Backend, Self::Connection, N>,
        N: Send + 'a;
}

impl<C: AsyncConnection> WriteSource for C {
    type Backend = C::Backend;
    type Connection = C;

    async fn __save<'a, M>(&'a mut self, cache: &'a Cache, row: &'a M) -> Result<Option<M>, Error>
    where
        M: AsyncDieselOps<C::Backend>,
    {
        super::save_through(&mut super::db::hidden::<M, C>(self), cache, row).await
    }

    async fn __delete<'a, M>(&'a mut self, cache: &'a Cache, id: M::Id<'a>) -> Result<bool, Error>
    where
        M: AsyncDieselOps<C::Backend>,
    {
        super::delete::<M, C>(self, cache, id).await
    }

    async fn __update<'a, M, F>(
        &'a mut self,
        cache: &'a Cache,
        id: M::Id<'a>,
        changes: F,
    ) -> Result<M, Error>
    where
        M: AsyncDieselUpdate<C::Backend, F>,
        F: Send + 'a,
    {
        super::update::<M, C, F>(self, cache, id, changes).await
    }

    async fn __create<'a, M, N>(&'a mut self, cache: &'a Cache, new: N) -> Result<M, Error>
    where
        M: AsyncDieselCreate<C::Backend, C, N>,
        N: Send + 'a,
    {
        super::create::<M, C, N>(self, cache, new).await
    }
}
