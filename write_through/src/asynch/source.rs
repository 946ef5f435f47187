//! Where the async front's reads get a database connection: a diesel-async connection the
//! caller checked out, or a pool ([`Pooled`](crate::Pooled)) that a read checks one out of
//! only when it misses (`pooled_source.rs`).

use std::future::Future;

use diesel_async::AsyncConnection;

use crate::cache::Cache;
use crate::error::Error;
use crate::model::AsyncDieselOps;

/// What `find` and `find_many` read through: any diesel-async connection (as `&mut conn`), or a
/// pool as [`Pooled`](crate::Pooled) (features `deadpool`, `bb8`), which a read checks a connection out of only
/// when the cache does not answer it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither a diesel-async connection nor a pool the cache can read through",
    note = "pass `&mut conn` (a connection), or `&mut write_through::Pooled(&pool)` for diesel-async's deadpool or bb8 pool (features `deadpool`, `bb8`)"
)]
pub trait ReadSource: Send {
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
