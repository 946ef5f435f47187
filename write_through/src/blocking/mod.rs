//! The blocking front: `find`, `find_many`, `save`, `delete`, `create` and `transaction` over a
//! Diesel connection and a [`Cache`], as the traits [`ModelOps`], [`SaveOps`] and
//! [`TransactionOps`] that `write_through::prelude` brings into scope.
//!
//! Every operation is the one sequence of steps both fronts share (`drive/`), run with I/O
//! that answers before it returns: Diesel's blocking calls and pooled Redis connections. So the
//! futures it is written as are ready at once, and `ready` takes their output without an
//! executor. The async front (`write_through::asynch`, feature `async`) awaits the same
//! sequence with diesel-async and a multiplexed Redis connection.

use diesel::connection::{Connection, LoadConnection};

use crate::cache::{Cache, Inner};
use crate::drive::db::{Create, Load, Remove, Update, Upsert};
use crate::drive::{self, transaction};
use crate::error::Error;
use crate::model::{Cached, DieselCreate, DieselOps, DieselUpdate, SavesByRef, SavesInPlace};
use crate::redis::store::BlockingExec;
use crate::shared::ready::ready;

mod collection;
mod db;
mod handle;
mod index;
mod pool_db;
mod source;

pub use collection::{find_all_by, find_all_by_in};
pub use index::{find_by, find_many_by};
pub use source::{ReadSource, WriteSource};

use db::BlockingDb;

/// The most primary keys one `load_many` query carries (bind parameters are limited: 65 535 on
/// PostgreSQL, 32 766 on older SQLite). `find_many` with more ids than this queries the
/// database in chunks of this size, for the ids Redis did not hold.
///
/// ```
/// use write_through::blocking::LOAD_MANY_CHUNK;
///
/// let ids: Vec<i64> = (1..=25_000).collect();
/// println!("at most {} database queries", ids.len().div_ceil(LOAD_MANY_CHUNK));
/// ```
pub const LOAD_MANY_CHUNK: usize = drive::batch::LOAD_MANY_CHUNK;

/// Reads a row: from Redis when cached, else from the database, filling the cache. What
/// [`ModelOps::find`] (`User::find`) calls; generic code over models calls it directly.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user: Option<User> = write_through::blocking::find::<User, _>(&mut conn, &cache, &42)?;
/// # Ok(()) }
/// ```
pub fn find<M, C>(conn: &mut C, cache: &Cache, id: M::Id<'_>) -> Result<Option<M>, Error>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    find_through(&mut BlockingDb(conn), cache, id)
}

/// [`find`] through `db`: a connection, or a pool (`pool_db.rs`).
pub(crate) fn find_through<M: Cached, D: Load<M>>(
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
) -> Result<Option<M>, Error> {
    let _span = tracing::debug_span!("write_through.find", model = M::MODEL_NAME).entered();
    let exec = BlockingExec(&cache.inner().store);
    ready(drive::find::<M, _, _>(&exec, db, cache, id))
}

/// Reads many rows; results are in the order of `ids`, duplicates included. What
/// [`ModelOps::find_many`] calls.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let users: Vec<Option<User>> =
///     write_through::blocking::find_many::<User, _, _>(&mut conn, &cache, [&1, &2, &1])?;
/// // One entry per id asked for: `None` where no row has that key.
/// assert_eq!(users.len(), 3);
/// # Ok(()) }
/// ```
pub fn find_many<'a, M, C, I>(conn: &mut C, cache: &Cache, ids: I) -> Result<Vec<Option<M>>, Error>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
    I: IntoIterator<Item = M::Id<'a>>,
{
    find_many_through(&mut BlockingDb(conn), cache, ids.into_iter().collect())
}

/// [`find_many`] through `db`: a connection, or a pool (`pool_db.rs`).
pub(crate) fn find_many_through<'a, M: Cached, D: Load<M>>(
    db: &mut D,
    cache: &Cache,
    ids: Vec<M::Id<'a>>,
) -> Result<Vec<Option<M>>, Error> {
    let _span = tracing::debug_span!("write_through.find_many", model = M::MODEL_NAME).entered();
    let exec = BlockingExec(&cache.inner().store);
    ready(drive::batch::find_many::<M, _, _>(&exec, db, cache, ids))
}

/// Inserts or updates a row, then publishes the row as the database stored it, which it
/// returns (`None` only when a concurrent delete removed it before it could be read back).
/// What [`SaveOps::save`] (`row.save(...)`) calls, without the returned row. `conn` is a
/// connection, or a pool as [`Pooled`](crate::Pooled) (see [`WriteSource`]).
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user = User { id: 42, email: "ada@example.com".into() };
/// let stored: Option<User> = write_through::blocking::save(&user, &mut conn, &cache)?;
/// # Ok(()) }
/// ```
pub fn save<M, C>(row: &M, conn: &mut C, cache: &Cache) -> Result<Option<M>, Error>
where
    C: WriteSource,
    M: DieselOps<C::Backend>,
{
    conn.__save(cache, row)
}

/// [`save`] through `db`: a connection, or a pool (`source.rs`).
pub(crate) fn save_through<M: Cached, D: Upsert<M>>(
    db: &mut D,
    cache: &Cache,
    row: &M,
) -> Result<Option<M>, Error> {
    let _span = tracing::debug_span!("write_through.save", model = M::MODEL_NAME).entered();
    let exec = BlockingExec(&cache.inner().store);
    ready(drive::save::<M, _, _>(&exec, db, cache, row))
}

/// Deletes a row, then its cached value. `true` when a row was deleted. What
/// [`ModelOps::delete`] calls.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let existed: bool = write_through::blocking::delete::<User, _>(&mut conn, &cache, &42)?;
/// # Ok(()) }
/// ```
pub fn delete<M, C>(conn: &mut C, cache: &Cache, id: M::Id<'_>) -> Result<bool, Error>
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend>,
{
    delete_through::<M, _>(&mut BlockingDb(conn), cache, id)
}

/// [`delete`] through `db`: a connection, or a pool (`source.rs`).
pub(crate) fn delete_through<M: Cached, D: Remove<M>>(
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
) -> Result<bool, Error> {
    let _span = tracing::debug_span!("write_through.delete", model = M::MODEL_NAME).entered();
    let exec = BlockingExec(&cache.inner().store);
    ready(drive::delete::<M, _, _>(&exec, db, cache, id))
}

/// Inserts a row whose primary key the database generates, caches it and returns it.
///
/// The key is known only after the insert, so the insert runs in a transaction and the key is
/// locked before the commit: no write to the new row can be published out of order with it.
/// What [`ModelOps::create`] calls.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
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
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user: User =
///     write_through::blocking::create(&mut conn, &cache, NewUser { email: "ada@example.com" })?;
/// // The key the database chose, and the row as stored, now cached.
/// println!("user {} created", user.id);
/// # Ok(()) }
/// ```
pub fn create<M, C, N>(conn: &mut C, cache: &Cache, new: N) -> Result<M, Error>
where
    C: Connection,
    M: DieselCreate<C::Backend, C, N>,
{
    create_through(&mut BlockingDb(conn), cache, new)
}

/// [`create`] through `db`: a connection, or a pool (`source.rs`).
pub(crate) fn create_through<M: Cached, N, D: Create<M, N>>(
    db: &mut D,
    cache: &Cache,
    new: N,
) -> Result<M, Error> {
    let _span = tracing::debug_span!("write_through.create", model = M::MODEL_NAME).entered();
    let exec = BlockingExec(&cache.inner().store);
    ready(drive::create::<M, N, _, _>(&exec, db, cache, new))
}

/// Updates the row whose key is `id` through `changes`, any `AsChangeset` of the model's table
/// (the application's update form: a `None` field leaves its column alone, `Some(None)` sets
/// `NULL`), then caches the row as the database stored it and returns it, with the guarantees
/// of `save` (with a version field, it bumps the version as `save` does, so the form must leave
/// that column out; an empty form is Diesel's "no changes" error). No row with that key:
/// [`Error::Database`] with Diesel's `NotFound`; the key's cached value, if any, is invalidated.
///
/// ```no_run
/// # use diesel::prelude::*;
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
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let form = UserUpdateForm { email: None, name: Some(None) }; // clear the name only
/// let user: User = write_through::blocking::update(&mut conn, &cache, &42, &form)?;
/// assert_eq!(user.name, None);
/// # Ok(()) }
/// ```
pub fn update<M, C, F>(conn: &mut C, cache: &Cache, id: M::Id<'_>, changes: F) -> Result<M, Error>
where
    C: Connection + LoadConnection,
    M: DieselUpdate<C::Backend, F>,
{
    update_through(&mut BlockingDb(conn), cache, id, changes)
}

/// [`update`] through `db`: a connection, or a pool (`source.rs`).
pub(crate) fn update_through<M: Cached, F, D: Update<M, F>>(
    db: &mut D,
    cache: &Cache,
    id: M::Id<'_>,
    changes: F,
) -> Result<M, Error> {
    let _span = tracing::debug_span!("write_through.update", model = M::MODEL_NAME).entered();
    let exec = BlockingExec(&cache.inner().store);
    ready(drive::update::<M, F, _, _>(&exec, db, cache, id, changes))?
        .ok_or(Error::Database(diesel::result::Error::NotFound))
}

/// `find`, `find_many`, `update`, `delete` and `create` on every model, blocking. In scope through
/// `write_through::prelude`.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// use write_through::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user: Option<User> = User::find(&mut conn, &cache, &42)?;
/// let users: Vec<Option<User>> = User::find_many(&mut conn, &cache, [&1, &2, &3])?;
/// let existed: bool = User::delete(&mut conn, &cache, &42)?;
/// # Ok(()) }
/// ```
pub trait ModelOps: Cached {
    /// Finds the row with primary key `id`: from the cache when it is there, else from the
    /// database, filling the cache.
    ///
    /// `conn` is a Diesel connection, or Diesel's r2d2 pool as [`Pooled`](crate::Pooled), which
    /// the read checks a connection out of only when the cache does not answer it.
    fn find<C>(conn: &mut C, cache: &Cache, id: Self::Id<'_>) -> Result<Option<Self>, Error>
    where
        C: ReadSource,
        Self: DieselOps<C::Backend>,
    {
        conn.__find::<Self>(cache, id)
    }

    /// Finds many rows at once, in the order of `ids` (duplicates allowed): one Redis round
    /// trip for all of them, one database query for those Redis did not hold, one more Redis
    /// round trip to cache them.
    ///
    /// `conn` as in [`ModelOps::find`]: through a pool, one connection is checked out for the
    /// rows the cache did not hold, none when it held them all.
    fn find_many<'a, C, I>(conn: &mut C, cache: &Cache, ids: I) -> Result<Vec<Option<Self>>, Error>
    where
        C: ReadSource,
        Self: DieselOps<C::Backend>,
        I: IntoIterator<Item = Self::Id<'a>>,
    {
        conn.__find_many::<Self>(cache, ids.into_iter().collect())
    }

    /// Updates the row whose key is `id` through `changes` (any `AsChangeset` of the table),
    /// then caches the row as stored and returns it; see [`update`].
    fn update<C, F>(
        conn: &mut C,
        cache: &Cache,
        id: Self::Id<'_>,
        changes: F,
    ) -> Result<Self, Error>
    where
        C: WriteSource,
        Self: DieselUpdate<C::Backend, F>,
    {
        conn.__update::<Self, F>(cache, id, changes)
    }

    /// Deletes the row with primary key `id` from the database, then from the cache. Returns
    /// `true` when a row was deleted.
    fn delete<C>(conn: &mut C, cache: &Cache, id: Self::Id<'_>) -> Result<bool, Error>
    where
        C: WriteSource,
        Self: DieselOps<C::Backend>,
    {
        conn.__delete::<Self>(cache, id)
    }

    /// Inserts `new` (any `Insertable` for this table, typically without the primary key,
    /// which the database generates), caches the stored row and returns it.
    fn create<C, N>(conn: &mut C, cache: &Cache, new: N) -> Result<Self, Error>
    where
        C: WriteSource,
        Self: DieselCreate<C::Backend, C::Connection, N>,
    {
        conn.__create::<Self, N>(cache, new)
    }
}

impl<M: Cached> ModelOps for M {}

/// `save` on every model, blocking: `row.save(&mut conn, &cache)`. It takes `&self`, or
/// `&mut self` for a model with a `#[write_through(version)]` field (whose version it
/// updates). In scope through `write_through::prelude`.
///
/// It inserts or updates the row in the database, then publishes the row as stored to the
/// cache.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
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
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user = User { id: 42, email: "ada@example.com".into() };
/// user.save(&mut conn, &cache)?;            // &self
///
/// let mut document = Document::find(&mut conn, &cache, &7)?.ok_or("no document 7")?;
/// document.body.push_str(" (edited)");
/// document.save(&mut conn, &cache)?;        // &mut self: the version is checked and bumped
/// # Ok(()) }
/// ```
pub trait SaveOps {
    /// The model saved.
    type Model: Cached;

    /// Inserts or updates this row in the database, then publishes the row as stored to the
    /// cache.
    fn save<C>(self, conn: &mut C, cache: &Cache) -> Result<(), Error>
    where
        C: WriteSource,
        Self::Model: DieselOps<C::Backend>;
}

impl<M: SavesByRef> SaveOps for &M {
    type Model = M;

    fn save<C>(self, conn: &mut C, cache: &Cache) -> Result<(), Error>
    where
        C: WriteSource,
        M: DieselOps<C::Backend>,
    {
        conn.__save(cache, self).map(drop)
    }
}

impl<M: SavesInPlace> SaveOps for &mut M {
    type Model = M;

    fn save<C>(self, conn: &mut C, cache: &Cache) -> Result<(), Error>
    where
        C: WriteSource,
        M: DieselOps<C::Backend>,
    {
        if let Some(stored) = conn.__save(cache, &*self)? {
            self.adopt_version(&stored);
        }
        Ok(())
    }
}

/// `cache.transaction(&mut conn, |conn| ...)`, blocking. In scope through
/// `write_through::prelude`.
pub trait TransactionOps {
    /// Runs `body` in a Diesel transaction on `conn`; the cache writes made inside it are
    /// published after the commit and undone if it rolls back. Nested calls become savepoints.
    ///
    /// Refused with [`UsageError::TransactionInsideForeignTransaction`](crate::error::UsageError::TransactionInsideForeignTransaction) when `conn` is already
    /// inside a transaction that this cache does not manage (its commit cannot be observed).
    ///
    /// ```no_run
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { users (id) { id -> BigInt, email -> Text, name -> Text, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough, Debug, Clone, PartialEq)]
    /// # #[diesel(table_name = users)]
    /// # #[write_through(key = "user:{id}", ttl = "1h")]
    /// # pub struct User { pub id: i64, pub email: String, pub name: String }
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish("app.sqlite")?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// # let (mut alice, mut bob) = (User::find(&mut conn, &cache, &1)?.unwrap(), User::find(&mut conn, &cache, &2)?.unwrap());
    /// // Alice gives her email to Bob: both rows change in one database transaction, and
    /// // both cached rows are published only after the commit.
    /// bob.email = std::mem::replace(&mut alice.email, "alice@example.org".into());
    /// cache.transaction(&mut conn, |conn| {
    ///     alice.save(conn, &cache)?;
    ///     bob.save(conn, &cache)?;
    ///     Ok::<_, write_through::Error>(())
    /// })?;
    /// # Ok(()) }
    /// ```
    fn transaction<C, T, E, F>(&self, conn: &mut C, body: F) -> Result<T, E>
    where
        C: Connection,
        F: FnOnce(&mut C) -> Result<T, E>,
        E: From<diesel::result::Error> + From<Error>;
}

impl TransactionOps for Cache {
    fn transaction<C, T, E, F>(&self, conn: &mut C, body: F) -> Result<T, E>
    where
        C: Connection,
        F: FnOnce(&mut C) -> Result<T, E>,
        E: From<diesel::result::Error> + From<Error>,
    {
        let guard = transaction::begin(self, &mut BlockingDb(conn), settle_now).map_err(E::from)?;
        let mut reached_commit = false;
        let result = conn.transaction(|conn| {
            guard.began(&mut BlockingDb(conn));
            let value = body(conn)?;
            // An aborted transaction (a statement error the body swallowed) fails here, so
            // that Diesel rolls back instead of committing nothing in silence.
            conn.batch_execute("SELECT 1")?;
            reached_commit = true;
            Ok(value)
        });
        let ending = guard.finish(result.is_ok(), reached_commit);
        settle_now(self.inner(), ending);
        result
    }
}

/// Performs what a frame's end sends, at once: after `transaction` returns, and from `drop`
/// when the body panicked (this front may block there).
fn settle_now(inner: &Inner, ending: transaction::Ending) {
    ready(ending.settle(&BlockingExec(&inner.store), inner));
}
