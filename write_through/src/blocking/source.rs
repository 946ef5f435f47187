//! Where the blocking front's operations get a database connection: a Diesel connection the
//! caller checked out, or Diesel's r2d2 pool as [`Pooled`], which a read checks a connection
//! out of only when it misses, and a write only for its database part (`pool_db.rs`).

use diesel::connection::{Connection, LoadConnection};
use diesel::r2d2::{ConnectionManager, Pool, R2D2Connection};

use crate::cache::Cache;
use crate::collection::CollectionLookup;
use crate::error::Error;
use crate::index::{Blocking, IndexLookup};
use crate::model::{DieselCreate, DieselIndex, DieselOps, DieselUpdate};
use crate::model_collection::DieselCollection;
use crate::pooled::Pooled;

use super::pool_db::PoolDb;

/// What `find` and `find_many` read through: any Diesel connection (as `&mut conn`), or Diesel's
/// r2d2 pool as [`Pooled`], which a read checks a connection out of only when the cache does
/// not answer it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither a Diesel connection nor a pool the cache can read through",
    note = "pass `&mut conn` (a connection), or `&mut write_through::Pooled(&pool)` for Diesel's r2d2 pool"
)]
pub trait ReadSource {
    /// The database backend the reads run on.
    type Backend: diesel::backend::Backend;

    #[doc(hidden)]
    fn __find<M>(&mut self, cache: &Cache, id: M::Id<'_>) -> Result<Option<M>, Error>
    where
        M: DieselOps<Self::Backend>;

    #[doc(hidden)]
    fn __find_many<'a, M>(
        &mut self,
        cache: &Cache,
        ids: Vec<M::Id<'a>>,
    ) -> Result<Vec<Option<M>>, Error>
    where
        M: DieselOps<Self::Backend>;
}

impl<C: Connection + LoadConnection> ReadSource for C {
    type Backend = C::Backend;

    fn __find<M>(&mut self, cache: &Cache, id: M::Id<'_>) -> Result<Option<M>, Error>
    where
        M: DieselOps<C::Backend>,
    {
        super::find::<M, C>(self, cache, id)
    }

    fn __find_many<'a, M>(
        &mut self,
        cache: &Cache,
        ids: Vec<M::Id<'a>>,
    ) -> Result<Vec<Option<M>>, Error>
    where
        M: DieselOps<C::Backend>,
    {
        super::find_many::<M, C, _>(self, cache, ids)
    }
}

impl<C> ReadSource for Pooled<'_, Pool<ConnectionManager<C>>>
where
    C: R2D2Connection + LoadConnection + 'static,
{
    type Backend = C::Backend;

    fn __find<M>(&mut self, cache: &Cache, id: M::Id<'_>) -> Result<Option<M>, Error>
    where
        M: DieselOps<C::Backend>,
    {
        super::find_through(&mut PoolDb::new::<M>(self.0, cache), cache, id)
    }

    fn __find_many<'a, M>(
        &mut self,
        cache: &Cache,
        ids: Vec<M::Id<'a>>,
    ) -> Result<Vec<Option<M>>, Error>
    where
        M: DieselOps<C::Backend>,
    {
        super::find_many_through(&mut PoolDb::new::<M>(self.0, cache), cache, ids)
    }
}

impl<C, M, const N: usize> IndexLookup<M, N, Blocking> for Pooled<'_, Pool<ConnectionManager<C>>>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselIndex<C::Backend, N>,
{
    type Output<'a, T: 'a>
        = Result<T, Error>
    where
        Self: 'a;

    fn find_by<'a>(
        source: &'a mut Self,
        cache: &'a Cache,
        value: M::Value<'a>,
    ) -> Result<Option<M>, Error> {
        let mut rows =
            <Self as IndexLookup<M, N, Blocking>>::find_many_by(source, cache, vec![value])?;
        Ok(rows.pop().flatten())
    }

    fn find_many_by<'a>(
        source: &'a mut Self,
        cache: &'a Cache,
        values: Vec<M::Value<'a>>,
    ) -> Result<Vec<Option<M>>, Error> {
        super::index::find_many_by_through(&mut PoolDb::new::<M>(source.0, cache), cache, values)
    }
}

impl<C, M, const N: usize> CollectionLookup<M, N, Blocking>
    for Pooled<'_, Pool<ConnectionManager<C>>>
where
    C: R2D2Connection + LoadConnection + 'static,
    M: DieselCollection<C::Backend, N>,
{
    type Output<'a, T: 'a>
        = Result<T, Error>
    where
        Self: 'a;

    fn find_all_by<'a>(
        source: &'a mut Self,
        cache: &'a Cache,
        parent: M::Parent<'a>,
    ) -> Result<Vec<M>, Error> {
        let mut lists = <Self as CollectionLookup<M, N, Blocking>>::find_all_by_in(
            source,
            cache,
            vec![parent],
        )?;
        Ok(lists.pop().unwrap_or_default())
    }

    fn find_all_by_in<'a>(
        source: &'a mut Self,
        cache: &'a Cache,
        parents: Vec<M::Parent<'a>>,
    ) -> Result<Vec<Vec<M>>, Error> {
        let db = &mut PoolDb::new::<M>(source.0, cache);
        super::collection::find_all_by_through(db, cache, parents)
    }
}

/// What `save`, `update`, `delete` and `create` write through: any Diesel connection (as
/// `&mut conn`), or Diesel's r2d2 pool as [`Pooled`], which a write checks a connection out of
/// just before its Redis lock (a key is never locked while its writer waits for a connection),
/// given back before its publish.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither a Diesel connection nor a pool the cache can write through",
    note = "pass `&mut conn` (a connection), or `&mut write_through::Pooled(&pool)` for Diesel's r2d2 pool"
)]
pub trait WriteSource {
    /// The database backend the writes run on.
    type Backend: diesel::backend::Backend;
    /// The connection a `create` inserts on (a pool's connection type).
    type Connection: Connection<Backend = Self::Backend>;

    #[doc(hidden)]
    fn __save<M>(&mut self, cache: &Cache, row: &M) -> Result<Option<M>, Error>
    where
        M: DieselOps<Self::Backend>;

    #[doc(hidden)]
    fn __delete<M>(&mut self, cache: &Cache, id: M::Id<'_>) -> Result<bool, Error>
    where
        M: DieselOps<Self::Backend>;

    #[doc(hidden)]
    fn __update<M, F>(&mut self, cache: &Cache, id: M::Id<'_>, changes: F) -> Result<M, Error>
    where
        M: DieselUpdate<Self::Backend, F>;

    #[doc(hidden)]
    fn __create<M, N>(&mut self, cache: &Cache, new: N) -> Result<M, Error>
    where
        M: DieselCreate<Self::Backend, Self::Connection, N>;
}

impl<C: Connection + LoadConnection> WriteSource for C {
    type Backend = C::Backend;
    type Connection = C;

    fn __save<M>(&mut self, cache: &Cache, row: &M) -> Result<Option<M>, Error>
    where
        M: DieselOps<C::Backend>,
    {
        super::save_through(&mut super::db::BlockingDb(self), cache, row)
    }

    fn __delete<M>(&mut self, cache: &Cache, id: M::Id<'_>) -> Result<bool, Error>
    where
        M: DieselOps<C::Backend>,
    {
        super::delete::<M, C>(self, cache, id)
    }

    fn __update<M, F>(&mut self, cache: &Cache, id: M::Id<'_>, changes: F) -> Result<M, Error>
    where
        M: DieselUpdate<C::Backend, F>,
    {
        super::update::<M, C, F>(self, cache, id, changes)
    }

    fn __create<M, N>(&mut self, cache: &Cache, new: N) -> Result<M, Error>
    where
        M: DieselCreate<C::Backend, C, N>,
    {
        super::create::<M, C, N>(self, cache, new)
    }
}

impl<C> WriteSource for Pooled<'_, Pool<ConnectionManager<C>>>
where
    C: R2D2Connection + LoadConnection + 'static,
{
    type Backend = C::Backend;
    type Connection = C;

    fn __save<M>(&mut self, cache: &Cache, row: &M) -> Result<Option<M>, Error>
    where
        M: DieselOps<C::Backend>,
    {
        super::save_through(&mut PoolDb::new::<M>(self.0, cache), cache, row)
    }

    fn __delete<M>(&mut self, cache: &Cache, id: M::Id<'_>) -> Result<bool, Error>
    where
        M: DieselOps<C::Backend>,
    {
        super::delete_through::<M, _>(&mut PoolDb::new::<M>(self.0, cache), cache, id)
    }

    fn __update<M, F>(&mut self, cache: &Cache, id: M::Id<'_>, changes: F) -> Result<M, Error>
    where
        M: DieselUpdate<C::Backend, F>,
    {
        super::update_through(&mut PoolDb::new::<M>(self.0, cache), cache, id, changes)
    }

    fn __create<M, N>(&mut self, cache: &Cache, new: N) -> Result<M, Error>
    where
        M: DieselCreate<C::Backend, C, N>,
    {
        super::create_through(&mut PoolDb::new::<M>(self.0, cache), cache, new)
    }
}
