#![doc = include_str!("mod.md")]

use std::future::Future;

use diesel_async::{AsyncConnection, TransactionManager};
use tracing::Instrument;

use crate::cache::{Cache, Inner};
use crate::drive::db::{Create, Load, Remove, Update, Upsert};
use crate::drive::{self, transaction};
use crate::error::{CacheError, Error};
use crate::model::{
    AsyncDieselCreate, AsyncDieselOps, AsyncDieselUpdate, Cached, SavesByRef, SavesInPlace,
};
use crate::redis::store::AsyncExec;

mod collection;
mod db;
mod index;
#[cfg(any(feature = "deadpool", feature = "bb8"))]
mod pool_db;
#[cfg(any(feature = "deadpool", feature = "bb8"))]
mod pooled_source;
#[cfg(feature = "postgres")]
mod shared_pg;
mod source;

/// Waits until the change feed has applied everything committed before the call: the async form
/// of [`Cache::catch_up`](crate::Cache::catch_up).
#[cfg(any(feature = "postgres", feature = "binlog"))]
pub use crate::feed::catch_up;
pub use collection::{find_all_by, find_all_by_in};
pub use index::{find_by, find_many_by};
pub use source::{ReadSource, WriteSource};

use db::AsyncDb;

/// Everything a model file of an async service needs: the derive, the cache handle, the error
/// type, and the async front's operations. Import it instead of `write_through::prelude`
/// (both at once make `User::find` ambiguous).
pub mod prelude {
    pub use crate::asynch::{ModelOps as _, SaveOps as _, TransactionOps as _};
    pub use crate::{Cache, Cached, Error, WriteThrough};
}

/// Reads a row: from Redis when cached, else from the database, filling the cache. What
/// [`ModelOps::find`] (`User::find(...).await`) calls; generic code over models calls it
/// directly.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user: Option<User> = write_through::asynch::find::<User, _>(&mut conn, &cache, &42).await?;
/// # Ok(()) }
/// ```
pub async fn find<M, C>(conn: &mut C, cache: &Cache, id: M::Id<'_>) -> Result<Option<M>, Error>
where
    C: AsyncConnection,
    M: AsyncDieselOps<C::Backend>,
{
    find_through(&mut db::hidden::<M, C>(conn), cache, id).await
}

/// [`find`] through `db`: a connection, or a pool (`pool_db.rs`).
pub(crate) async fn find_through<M: Cached, D: Load<M> + Send>(
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
) -> Result<Option<M>, Error> {
    let span = tracing::debug_span!("write_through.find", model = M::MODEL_NAME);
    let exec = AsyncExec(&cache.inner().store);
    drive::find::<M, _, _>(&exec, db, cache, id)
        .instrument(span)
        .await
}

/// Reads many rows; results are in the order of `ids`, duplicates included. What
/// [`ModelOps::find_many`] calls.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let users: Vec<Option<User>> =
///     write_through::asynch::find_many::<User, _, _>(&mut conn, &cache, [&1, &2, &1]).await?;
/// // One entry per id asked for: `None` where no row has that key.
/// assert_eq!(users.len(), 3);
/// # Ok(()) }
/// ```
pub async fn find_many<'a, M, C, I>(
    conn: &mut C,
    cache: &Cache,
    ids: I,
) -> Result<Vec<Option<M>>, Error>
where
    C: AsyncConnection,
    M: AsyncDieselOps<C::Backend>,
    I: IntoIterator<Item = M::Id<'a>>,
{
    let ids: Vec<M::Id<'a>> = ids.into_iter().collect();
    find_many_through(&mut db::hidden::<M, C>(conn), cache, ids).await
}

/// [`find_many`] through `db`: a connection, or a pool (`pool_db.rs`).
pub(crate) async fn find_many_through<'a, M: Cached, D: Load<M> + Send>(
    db: &mut D,
    cache: &Cache,
    ids: Vec<M::Id<'a>>,
) -> Result<Vec<Option<M>>, Error> {
    let span = tracing::debug_span!("write_through.find_many", model = M::MODEL_NAME);
    let exec = AsyncExec(&cache.inner().store);
    drive::batch::find_many::<M, _, _>(&exec, db, cache, ids)
        .instrument(span)
        .await
}

/// Inserts or updates a row, then publishes the row as the database stored it, which it
/// returns (`None` only when a concurrent delete removed it before it could be read back).
/// What [`SaveOps::save`] (`row.save(...).await`) calls, without the returned row. `conn` is
/// a connection, or a pool as [`Pooled`](crate::Pooled) (see [`WriteSource`]).
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user = User { id: 42, email: "ada@example.com".into() };
/// let stored: Option<User> = write_through::asynch::save(&user, &mut conn, &cache).await?;
/// # Ok(()) }
/// ```
pub async fn save<M, C>(row: &M, conn: &mut C, cache: &Cache) -> Result<Option<M>, Error>
where
    C: WriteSource,
    M: AsyncDieselOps<C::Backend>,
{
    conn.__save(cache, row).await
}

/// [`save`] through `db`: a connection, or a pool (`pooled_source.rs`).
pub(crate) async fn save_through<M: Cached, D: Upsert<M> + Send>(
    db: &mut D,
    cache: &Cache,
    row: &M,
) -> Result<Option<M>, Error> {
    let span = tracing::debug_span!("write_through.save", model = M::MODEL_NAME);
    let exec = AsyncExec(&cache.inner().store);
    drive::save::<M, _, _>(&exec, db, cache, row)
        .instrument(span)
        .await
}

/// Deletes a row, then its cached value. `true` when a row was deleted. What
/// [`ModelOps::delete`] calls.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let existed: bool = write_through::asynch::delete::<User, _>(&mut conn, &cache, &42).await?;
/// # Ok(()) }
/// ```
pub async fn delete<M, C>(conn: &mut C, cache: &Cache, id: M::Id<'_>) -> Result<bool, Error>
where
    C: AsyncConnection,
    M: AsyncDieselOps<C::Backend>,
{
    delete_through(&mut db::hidden::<M, C>(conn), cache, id).await
}

/// [`delete`] through `db`: a connection, or a pool (`pooled_source.rs`).
pub(crate) async fn delete_through<M: Cached, D: Remove<M> + Send>(
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
) -> Result<bool, Error> {
    let span = tracing::debug_span!("write_through.delete", model = M::MODEL_NAME);
    let exec = AsyncExec(&cache.inner().store);
    drive::delete::<M, _, _>(&exec, db, cache, id)
        .instrument(span)
        .await
}

/// Inserts a row whose primary key the database generates, caches it and returns it. What
/// [`ModelOps::create`] calls.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// #[derive(Insertable)]
/// #[diesel(table_name = users)]
/// pub struct NewUser<'a> { pub email: &'a str }
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user: User =
///     write_through::asynch::create(&mut conn, &cache, NewUser { email: "ada@example.com" }).await?;
/// // The key the database chose, and the row as stored, now cached.
/// println!("user {} created", user.id);
/// # Ok(()) }
/// ```
pub async fn create<M, C, N>(conn: &mut C, cache: &Cache, new: N) -> Result<M, Error>
where
    C: AsyncConnection,
    M: AsyncDieselCreate<C::Backend, C, N>,
{
    create_through(&mut db::hidden_create::<M, N, C>(conn), cache, new).await
}

/// [`create`] through `db`: a connection, or a pool (`pooled_source.rs`).
pub(crate) async fn create_through<M: Cached, N, D: Create<M, N> + Send>(
    db: &mut D,
    cache: &Cache,
    new: N,
) -> Result<M, Error> {
    let span = tracing::debug_span!("write_through.create", model = M::MODEL_NAME);
    let exec = AsyncExec(&cache.inner().store);
    drive::create::<M, N, _, _>(&exec, db, cache, new)
        .instrument(span)
        .await
}

/// Updates the row whose key is `id` through `changes`, any `AsChangeset` of the model's table
/// (the application's update form), then caches the row as the database stored it and returns
/// it, with the guarantees of `save`: the async form of [`crate::blocking::update`]. With a
/// version field it bumps the version (the form must leave that column out). No row with that
/// key: [`Error::Database`] with Diesel's `NotFound`; the key's cached value, if any, is
/// invalidated.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, name -> Nullable<Text>, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String, pub name: Option<String> }
/// #[derive(AsChangeset)]
/// #[diesel(table_name = users)]
/// pub struct UserUpdateForm {
///     pub email: Option<String>,
///     pub name: Option<Option<String>>,
/// }
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let form = UserUpdateForm { email: Some("ada@lovelace.example".into()), name: None };
/// let user: User = write_through::asynch::update(&mut conn, &cache, &42, &form).await?;
/// # Ok(()) }
/// ```
pub async fn update<M, C, F>(
    conn: &mut C,
    cache: &Cache,
    id: M::Id<'_>,
    changes: F,
) -> Result<M, Error>
where
    C: AsyncConnection,
    M: AsyncDieselUpdate<C::Backend, F>,
{
    update_through(&mut db::hidden_update::<M, F, C>(conn), cache, id, changes).await
}

/// [`update`] through `db`: a connection, or a pool (`pooled_source.rs`).
pub(crate) async fn update_through<M: Cached, F, D: Update<M, F> + Send>(
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
    changes: F,
) -> Result<M, Error> {
    let span = tracing::debug_span!("write_through.update", model = M::MODEL_NAME);
    let exec = AsyncExec(&cache.inner().store);
    drive::update::<M, F, _, _>(&exec, db, cache, id, changes)
        .instrument(span)
        .await?
        .ok_or(Error::Database(diesel::result::Error::NotFound))
}

/// Deletes the cached value of one row, for writes that bypassed the library: the async form
/// of [`Cache::invalidate`] (which blocks its thread for the Redis round trip). When Redis
/// cannot be reached the invalidation is owed, as there.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # use diesel_async::RunQueryDsl;
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// // An update that bypasses the library: drop the cached copy afterwards.
/// diesel::sql_query("UPDATE users SET email = lower(email) WHERE id = 42")
///     .execute(&mut conn)
///     .await?;
/// write_through::asynch::invalidate::<User>(&cache, &42).await?;
/// # Ok(()) }
/// ```
pub async fn invalidate<M: Cached>(cache: &Cache, id: M::Id<'_>) -> Result<(), CacheError> {
    let exec = AsyncExec(&cache.inner().store);
    crate::drive::invalidate(&exec, cache.inner(), cache.key::<M>(id)).await
}

/// Deletes the cached entry of `value` in unique index `N` of `M`: the async form of
/// [`Cache::invalidate_index`] (which blocks its thread for the Redis round trip). When Redis
/// cannot be reached the invalidation is owed, as there.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
/// # use diesel_async::RunQueryDsl;
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// // A row inserted by hand, outside the library: "new@example.com" may be cached as
/// // belonging to no user, so drop that entry afterwards.
/// diesel::sql_query("INSERT INTO users (id, email) VALUES (43, 'new@example.com')")
///     .execute(&mut conn)
///     .await?;
/// write_through::asynch::invalidate_index::<User, 0>(&cache, "new@example.com").await?;
/// # Ok(()) }
/// ```
pub async fn invalidate_index<M: crate::model::UniqueIndex<N>, const N: usize>(
    cache: &Cache,
    value: M::Value<'_>,
) -> Result<(), CacheError> {
    let exec = AsyncExec(&cache.inner().store);
    crate::drive::invalidate(&exec, cache.inner(), cache.index_key::<M, N>(value)).await
}

/// Deletes the cached collection `N` of `parent`: the async form of
/// [`Cache::invalidate_collection`] (which blocks its thread for the Redis round trip). When
/// Redis cannot be reached the invalidation is owed, as there.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { comments (id) { id -> BigInt, post_id -> BigInt, body -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = comments)]
/// # #[write_through(key = "comment:{id}", ttl = "1h", collection(by = post_id))]
/// # pub struct Comment { pub id: i64, pub post_id: i64, pub body: String }
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// // A comment inserted by hand, outside the library: post 7's cached list lacks it.
/// diesel::sql_query("INSERT INTO comments (id, post_id, body) VALUES (43, 7, 'hi')")
///     .execute(&mut conn)
///     .await?;
/// write_through::asynch::invalidate_collection::<Comment, 0>(&cache, &7).await?;
/// # Ok(()) }
/// ```
pub async fn invalidate_collection<M: crate::model_collection::Collection<N>, const N: usize>(
    cache: &Cache,
    parent: M::Parent<'_>,
) -> Result<(), CacheError> {
    let exec = AsyncExec(&cache.inner().store);
    crate::drive::invalidate(&exec, cache.inner(), cache.collection_key::<M, N>(parent)).await
}

/// Sends `PING`: the async form of [`Cache::ping`], a health check.
///
/// ```no_run
/// # #[tokio::main]
/// # async fn main() {
/// # let cache = write_through::Cache::open("redis://127.0.0.1:6379").unwrap();
/// // A readiness probe: Redis answers, or the reason it does not.
/// match write_through::asynch::ping(&cache).await {
///     Ok(()) => println!("ready"),
///     Err(error) => eprintln!("not ready: {error}"),
/// }
/// # }
/// ```
pub async fn ping(cache: &Cache) -> Result<(), CacheError> {
    crate::redis::commands::ping(&AsyncExec(&cache.inner().store)).await
}

/// `find`, `find_many`, `delete` and `create` on every model, async. In scope through
/// `write_through::asynch::prelude`.
///
/// Their futures are `Send` for every concrete model and connection (what `tokio::spawn` and
/// axum need; `tests/tests/connections/async_front.rs` spawns them). The signatures of `find`, `find_many`
/// and `delete` cannot say so: proving it for a generic model trips a known limitation of the
/// compiler (rust-lang/rust#100013) on the id's lifetime.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// #[derive(Insertable)]
/// #[diesel(table_name = users)]
/// pub struct NewUser<'a> { pub email: &'a str }
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let ada: User = User::create(&mut conn, &cache, NewUser { email: "ada@example.com" }).await?;
/// let user: Option<User> = User::find(&mut conn, &cache, &ada.id).await?;
/// let users: Vec<Option<User>> = User::find_many(&mut conn, &cache, [&ada.id, &7]).await?;
/// let existed: bool = User::delete(&mut conn, &cache, &ada.id).await?;
///
/// // The futures are `Send`, so a spawned task runs them.
/// let task_cache = cache.clone();
/// let task = tokio::spawn(async move {
///     let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await.ok()?;
///     User::find(&mut conn, &task_cache, &1).await.ok()?
/// });
/// let _found: Option<User> = task.await?;
/// # let _ = (user, users, existed);
/// # Ok(()) }
/// ```
pub trait ModelOps: Cached + Send + Sync {
    /// Finds the row with primary key `id`: from the cache when it is there, else from the
    /// database, filling the cache.
    ///
    /// `conn` is a diesel-async connection, or a pool as [`Pooled`](crate::Pooled), which the
    /// read checks a connection out of only when the cache does not answer it, or a shared
    /// `&AsyncPgConnection` (`K` is then [`Shared`](crate::index::Shared); it is inferred).
    fn find<'a, C, K>(
        conn: &'a mut C,
        cache: &'a Cache,
        id: Self::Id<'a>,
    ) -> impl Future<Output = Result<Option<Self>, Error>> + Send + 'a
    where
        C: ReadSource<K>,
        Self: AsyncDieselOps<C::Backend>,
    {
        conn.__find::<Self>(cache, id)
    }

    /// Finds many rows at once, in the order of `ids` (duplicates allowed): one Redis round
    /// trip for all of them, one database query for those Redis did not hold, one more Redis
    /// round trip to cache them.
    ///
    /// `conn` as in [`ModelOps::find`]: through a pool, one connection is checked out for the
    /// rows the cache did not hold, none when it held them all.
    fn find_many<'a, C, I, K>(
        conn: &'a mut C,
        cache: &'a Cache,
        ids: I,
    ) -> impl Future<Output = Result<Vec<Option<Self>>, Error>> + Send + 'a
    where
        C: ReadSource<K>,
        Self: AsyncDieselOps<C::Backend>,
        I: IntoIterator<Item = Self::Id<'a>> + Send + 'a,
    {
        conn.__find_many::<Self>(cache, ids.into_iter().collect())
    }

    /// Deletes the row with primary key `id` from the database, then from the cache. Returns
    /// `true` when a row was deleted.
    fn delete<'a, C>(
        conn: &'a mut C,
        cache: &'a Cache,
        id: Self::Id<'a>,
    ) -> impl Future<Output = Result<bool, Error>> + Send + 'a
    where
        C: WriteSource,
        Self: AsyncDieselOps<C::Backend>,
    {
        conn.__delete::<Self>(cache, id)
    }

    /// Updates the row whose key is `id` through `changes` (any `AsChangeset` of the table),
    /// then caches the row as stored and returns it; see [`update`].
    fn update<'a, C, F>(
        conn: &'a mut C,
        cache: &'a Cache,
        id: Self::Id<'a>,
        changes: F,
    ) -> impl Future<Output = Result<Self, Error>> + Send + 'a
    where
        C: WriteSource,
        F: Send + 'a,
        Self: AsyncDieselUpdate<C::Backend, F>,
    {
        conn.__update::<Self, F>(cache, id, changes)
    }

    /// Inserts `new` (any `Insertable` for this table, typically without the primary key,
    /// which the database generates), caches the stored row and returns it.
    fn create<'a, C, N>(
        conn: &'a mut C,
        cache: &'a Cache,
        new: N,
    ) -> impl Future<Output = Result<Self, Error>> + Send + 'a
    where
        C: WriteSource,
        N: Send + 'a,
        Self: AsyncDieselCreate<C::Backend, C::Connection, N>,
    {
        conn.__create::<Self, N>(cache, new)
    }
}

impl<M: Cached + Send + Sync> ModelOps for M {}

/// `save` on every model, async: `row.save(&mut conn, &cache).await`. It takes `&self`, or
/// `&mut self` for a model with a `#[write_through(version)]` field (whose version it
/// updates). In scope through `write_through::asynch::prelude`.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # diesel::table! { documents (id) { id -> BigInt, body -> Text, version -> Integer, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = documents)]
/// # #[write_through(key = "document:{id}", ttl = "1h")]
/// # pub struct Document {
/// #     pub id: i64,
/// #     pub body: String,
/// #     #[write_through(version)]
/// #     #[diesel(skip_update)]
/// #     pub version: i32,
/// # }
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user = User { id: 42, email: "ada@example.com".into() };
/// user.save(&mut conn, &cache).await?;            // &self
///
/// let mut document = Document::find(&mut conn, &cache, &7).await?.ok_or("no document 7")?;
/// document.body.push_str(" (edited)");
/// document.save(&mut conn, &cache).await?;        // &mut self: the version is checked and bumped
/// # Ok(()) }
/// ```
pub trait SaveOps {
    /// The model saved.
    type Model: Cached;

    /// Inserts or updates this row in the database, then publishes the row as stored to the
    /// cache.
    fn save<'a, C>(
        self,
        conn: &'a mut C,
        cache: &'a Cache,
    ) -> impl Future<Output = Result<(), Error>> + Send + 'a
    where
        Self: 'a,
        C: WriteSource,
        Self::Model: AsyncDieselOps<C::Backend>;
}

impl<M: SavesByRef> SaveOps for &M {
    type Model = M;

    async fn save<'a, C>(self, conn: &'a mut C, cache: &'a Cache) -> Result<(), Error>
    where
        Self: 'a,
        C: WriteSource,
        M: AsyncDieselOps<C::Backend>,
    {
        conn.__save(cache, self).await.map(drop)
    }
}

impl<M: SavesInPlace> SaveOps for &mut M {
    type Model = M;

    async fn save<'a, C>(self, conn: &'a mut C, cache: &'a Cache) -> Result<(), Error>
    where
        Self: 'a,
        C: WriteSource,
        M: AsyncDieselOps<C::Backend>,
    {
        if let Some(stored) = conn.__save(cache, &*self).await? {
            self.adopt_version(&stored);
        }
        Ok(())
    }
}

/// The body of an async `cache.transaction`: an async closure taking the connection, whose
/// future is `Send` (as diesel-async's `AsyncConnection::transaction` asks). Implemented for
/// every such closure: an `async |conn| { ... }` passed to `cache.transaction` is one.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// // A body written once and passed by name: any `async` closure over the connection.
/// let body = async |conn: &mut AsyncPgConnection| -> Result<(), write_through::Error> {
///     User { id: 1, email: "a@example.com".into() }.save(conn, &cache).await?;
///     User { id: 2, email: "b@example.com".into() }.save(conn, &cache).await
/// };
/// cache.transaction(&mut conn, body).await?;
/// # Ok(()) }
/// ```
pub trait TransactionBody<T, R>:
    AsyncFnOnce(T) -> R + FnOnce(T) -> <Self as TransactionBody<T, R>>::Fut
{
    /// The future a call returns.
    type Fut: Future<Output = R>;
}

impl<F, T, Fut, R> TransactionBody<T, R> for F
where
    F: AsyncFnOnce(T) -> R + FnOnce(T) -> Fut,
    Fut: Future<Output = R>,
{
    type Fut = Fut;
}

/// `cache.transaction(&mut conn, async |conn| ...)`, async. In scope through
/// `write_through::asynch::prelude`.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
/// # use serde::{Deserialize, Serialize};
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// # let (mut alice, mut bob) = (User::find(&mut conn, &cache, &1).await?.unwrap(), User::find(&mut conn, &cache, &2).await?.unwrap());
/// // Alice gives her email to Bob: both rows change in one database transaction, and both
/// // cached rows are published only after the commit.
/// bob.email = std::mem::replace(&mut alice.email, "alice@example.org".into());
/// cache.transaction(&mut conn, async |conn| {
///     alice.save(conn, &cache).await?;
///     bob.save(conn, &cache).await?;
///     Ok::<_, write_through::Error>(())
/// }).await?;
/// # Ok(()) }
/// ```
pub trait TransactionOps {
    /// Runs `body` in a database transaction on `conn`; the cache writes made inside it are
    /// published after the commit and undone if it rolls back. Nested calls become savepoints.
    /// The same rules as the blocking `cache.transaction` (see
    /// [`blocking::TransactionOps`](crate::blocking::TransactionOps)).
    fn transaction<'a, C, T, E, F>(
        &'a self,
        conn: &'a mut C,
        body: F,
    ) -> impl Future<Output = Result<T, E>> + Send + 'a
    where
        C: AsyncConnection,
        F: for<'r> TransactionBody<&'r mut C, Result<T, E>, Fut: Send> + Send + 'a,
        T: Send + 'a,
        E: From<diesel::result::Error> + From<Error> + Send + 'a;
}

impl TransactionOps for Cache {
    async fn transaction<'a, C, T, E, F>(&'a self, conn: &'a mut C, body: F) -> Result<T, E>
    where
        C: AsyncConnection,
        F: for<'r> TransactionBody<&'r mut C, Result<T, E>, Fut: Send> + Send + 'a,
        T: Send + 'a,
        E: From<diesel::result::Error> + From<Error> + Send + 'a,
    {
        let guard =
            transaction::begin(self, &mut AsyncDb(&mut *conn), leave_to_expire).map_err(E::from)?;
        C::TransactionManager::begin_transaction(conn).await?;
        guard.began(&mut AsyncDb(&mut *conn));
        let mut reached_commit = false;
        let result: Result<T, E> = match body(&mut *conn).await {
            // An aborted transaction (a statement error the body swallowed) fails the
            // probe, so that it rolls back instead of committing nothing in silence.
            Ok(value) => match conn.batch_execute("SELECT 1").await {
                Ok(()) => {
                    reached_commit = true;
                    C::TransactionManager::commit_transaction(conn)
                        .await
                        .map(|()| value)
                        .map_err(E::from)
                }
                Err(error) => Err(rolled_back::<C, E>(conn, error.into()).await),
            },
            Err(error) => Err(rolled_back::<C, E>(conn, error).await),
        };
        let ending = guard.finish(result.is_ok(), reached_commit);
        ending
            .settle(&AsyncExec(&self.inner().store), self.inner())
            .await;
        result
    }
}

/// Rolls the transaction back after `error`, returning the error to report (the rollback's
/// own, when it failed otherwise than on a broken connection, as diesel-async does).
async fn rolled_back<C: AsyncConnection, E: From<diesel::result::Error>>(
    conn: &mut C,
    error: E,
) -> E {
    match C::TransactionManager::rollback_transaction(conn).await {
        Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => error,
        Err(rollback) => rollback.into(),
    }
}

/// An abandoned transaction (its future dropped) cannot wait inside `drop`: its locks expire
/// after `lock_ttl` into a miss, as a crashed process's would.
fn leave_to_expire(_: &Inner, _: transaction::Ending) {}
