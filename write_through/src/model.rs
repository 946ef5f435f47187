//! What `#[derive(WriteThrough)]` implements: the contract between a model and the runtime.
//!
//! [`Cached`] holds what is fixed at compile time (key template, TTLs, schema fingerprint);
//! [`DieselOps`] and [`DieselCreate`] are the model's queries on one Diesel backend (and, with
//! the `async` feature, `AsyncDieselOps` and `AsyncDieselCreate` the same queries through
//! diesel-async); [`SavesByRef`] or [`SavesInPlace`] says how `save` treats the row. All
//! behaviour lives in the runtime's generic functions ([`crate::blocking`], `crate::asynch`);
//! these traits only describe the model, so they can be implemented by hand where the derive
//! does not fit.

use std::time::Duration;

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::connection::{Connection, LoadConnection};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codec::Codec;
use crate::error::Error;
use crate::key::KeyWriter;

/// A model whose rows are cached in Redis.
pub trait Cached: Serialize + DeserializeOwned + Sized + Send + Sync + 'static {
    /// The primary key as borrowed by Diesel's `Identifiable::Id` for `&Self`:
    /// `&'a i64` for one key column, `(&'a i32, &'a String)` for a composite key.
    type Id<'a>: Copy + Send + Sync;

    /// The struct's name, for errors, logs and metric labels.
    const MODEL_NAME: &'static str;
    /// The key template as written in `#[write_through(key = "...")]`.
    const KEY_TEMPLATE: &'static str;
    /// How long a cached row lives.
    const TTL: Duration;
    /// How long a cached "no such row" lives; `None` when negative caching is off.
    const NEGATIVE_TTL: Option<Duration>;
    /// A 64-bit hash of the struct's name, field names and field types. A cached value written
    /// by a struct with another fingerprint is treated as a miss.
    const SCHEMA_FINGERPRINT: u64;

    /// Whether two different ids can name one row in the database: text keys under a case- or
    /// pad-insensitive collation can ("Foo" finds "foo"); integer keys cannot. The derive says
    /// `false` when every key field is an integer, which spares `find_many` a check.
    const KEY_CAN_ALIAS: bool = true;

    /// How long a row or absence may be served from the in-process tier without a Redis round
    /// trip (`#[write_through(local = "5s")]`); `None`, the default, keeps the model out of it.
    /// [`crate::CacheBuilder::local`] can set it per cache. See the README's "In-process tier".
    const LOCAL_TTL: Option<Duration> = None;

    /// How rows are encoded in Redis. The derive picks [`Codec::Bincode`] when it can prove
    /// every field type decodes with it, and [`Codec::MessagePack`] otherwise.
    const CODEC: Codec = Codec::Bincode;

    /// This row's primary key.
    fn id(&self) -> Self::Id<'_>;

    /// Writes the rendered key template for `id` (the namespace is already written).
    fn write_key(id: Self::Id<'_>, key: &mut KeyWriter);
}

/// The queries the cache needs on backend `B`, written by the derive for each enabled backend.
pub trait DieselOps<B: Backend>: Cached {
    /// `SELECT ... WHERE pk = id LIMIT 1`.
    fn load<C>(conn: &mut C, id: Self::Id<'_>) -> QueryResult<Option<Self>>
    where
        C: Connection<Backend = B> + LoadConnection;

    /// `SELECT ... WHERE pk IN (ids)` (or `(a = ? AND b = ?) OR ...` for a composite key), in
    /// any order. The runtime calls it with at most [`crate::blocking::LOAD_MANY_CHUNK`] ids.
    fn load_many<C>(conn: &mut C, ids: &[Self::Id<'_>]) -> QueryResult<Vec<Self>>
    where
        C: Connection<Backend = B> + LoadConnection;

    /// Inserts the row, or updates its non-key columns (as its `AsChangeset` says) when its
    /// primary key exists, and returns the row as stored: what the cache publishes, so that
    /// database-side defaults, triggers, rounding and skipped `None` fields are never lost.
    /// `None` when the row was deleted before it could be read back (MySQL only, which has no
    /// `RETURNING`).
    ///
    /// With a `#[write_through(version)]` field, updates only where the stored version is this
    /// row's (and bumps it), and fails with [`Error::Conflict`] otherwise.
    fn upsert<C>(&self, conn: &mut C) -> Result<Option<Self>, Error>
    where
        C: Connection<Backend = B> + LoadConnection;

    /// `DELETE ... WHERE pk = id`, returning the number of rows deleted.
    fn remove<C>(conn: &mut C, id: Self::Id<'_>) -> QueryResult<usize>
    where
        C: Connection<Backend = B>;
}

/// Inserting a new row `N` whose primary key the database generates, and reading it back.
///
/// On PostgreSQL and SQLite the row comes back through `RETURNING`; on MySQL through
/// `LAST_INSERT_ID()` and a select, which needs a single integer auto-increment key.
pub trait DieselCreate<B: Backend, C, N>: Cached
where
    C: Connection<Backend = B>,
{
    /// Inserts `new` and returns the stored row.
    fn insert_returning(conn: &mut C, new: N) -> Result<Self, Error>;
}

/// A model whose `save` takes `&self`: it has no `#[write_through(version)]` field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has a `#[write_through(version)]` field, so `save` takes `&mut self`",
    label = "call `save` on a `&mut {Self}`: it updates the version"
)]
pub trait SavesByRef: Cached {}

/// A model whose `save` takes `&mut self`: it has a `#[write_through(version)]` field, which
/// `save` updates to the version it wrote.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `#[write_through(version)]` field, so `save` takes `&self`"
)]
pub trait SavesInPlace: Cached {
    /// Takes the version of `stored`, the row as the database stored it.
    fn adopt_version(&mut self, stored: &Self);
}

#[cfg(feature = "async")]
pub use nonblocking::{AsyncDieselCreate, AsyncDieselOps, BoxFuture};

#[cfg(feature = "async")]
mod nonblocking {
    use std::future::Future;

    /// A boxed, `Send` future, as [`AsyncDieselCreate`] returns.
    pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn Future<Output = T> + Send + 'a>>;

    use diesel::QueryResult;
    use diesel::backend::Backend;
    use diesel_async::AsyncConnection;

    use super::Cached;
    use crate::error::Error;

    /// The queries the cache needs on backend `B` through diesel-async: the same as
    /// [`DieselOps`](super::DieselOps), written by the derive for each enabled backend when
    /// the `async` feature is on.
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub trait AsyncDieselOps<B: Backend>: Cached + Send + Sync {
        /// `SELECT ... WHERE pk = id LIMIT 1`.
        fn load<C>(
            conn: &mut C,
            id: Self::Id<'_>,
        ) -> impl Future<Output = QueryResult<Option<Self>>> + Send
        where
            C: AsyncConnection<Backend = B>;

        /// `SELECT ... WHERE pk IN (ids)`, in any order.
        fn load_many<C>(
            conn: &mut C,
            ids: &[Self::Id<'_>],
        ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send
        where
            C: AsyncConnection<Backend = B>;

        /// Inserts or updates the row and returns it as stored (see
        /// [`DieselOps::upsert`](super::DieselOps::upsert)).
        fn upsert<C>(
            &self,
            conn: &mut C,
        ) -> impl Future<Output = Result<Option<Self>, Error>> + Send
        where
            C: AsyncConnection<Backend = B>;

        /// `DELETE ... WHERE pk = id`, returning the number of rows deleted.
        fn remove<C>(
            conn: &mut C,
            id: Self::Id<'_>,
        ) -> impl Future<Output = QueryResult<usize>> + Send
        where
            C: AsyncConnection<Backend = B>;
    }

    /// Inserting a new row `N` whose primary key the database generates, through diesel-async
    /// (see [`DieselCreate`](super::DieselCreate)).
    ///
    /// The future is boxed: its query borrows `new` for a lifetime the impl names (as the
    /// blocking trait's impl does, so that a borrowed `&NewUser` is accepted), and an unboxed
    /// `impl Future` would have to capture that lifetime, which an impl cannot leave
    /// unconstrained. One allocation per `create`, beside a database round trip.
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub trait AsyncDieselCreate<B: Backend, C, N>: Cached
    where
        C: AsyncConnection<Backend = B>,
    {
        /// Inserts `new` and returns the stored row.
        fn insert_returning<'f>(
            conn: &'f mut C,
            new: N,
        ) -> crate::BoxFuture<'f, Result<Self, Error>>
        where
            N: 'f;
    }
}
