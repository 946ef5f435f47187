//! Unique indexes: rows looked up by a unique column other than the primary key, with the
//! guarantees of `find`.
//!
//! `#[write_through(unique)]` on a field (or `#[write_through(unique(a, b))]` on the struct, for
//! a composite unique key) makes the derive implement [`UniqueIndex`] and generate
//! `Model::find_by_<name>(&mut conn, &cache, value)` and
//! `Model::find_many_by_<name>(&mut conn, &cache, values)`. One method serves both fronts: on a
//! Diesel `Connection` it blocks and returns a `Result`, on a diesel-async `AsyncConnection`
//! it returns a `Send` future of one (the connection's type picks the [`IndexLookup`] impl).
//!
//! ```no_run
//! # use diesel::prelude::*;
//! # use serde::{Deserialize, Serialize};
//! # use write_through::prelude::*;
//! # diesel::table! { users (id) { id -> BigInt, email -> Text, name -> Text, } }
//! #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
//!          Serialize, Deserialize, WriteThrough)]
//! #[diesel(table_name = users)]
//! #[write_through(key = "user:{id}", ttl = "1h")]
//! pub struct User {
//!     pub id: i64,
//!     #[write_through(unique)]
//!     pub email: String,
//!     pub name: String,
//! }
//!
//! # fn main() -> Result<(), write_through::Error> {
//! # let mut conn = SqliteConnection::establish("app.sqlite").unwrap();
//! let cache = Cache::open("redis://127.0.0.1:6379")?;
//! let alice: Option<User> = User::find_by_email(&mut conn, &cache, "alice@example.com")?;
//! let many: Vec<Option<User>> =
//!     User::find_many_by_email(&mut conn, &cache, ["alice@example.com", "bob@example.com"])?;
//! # Ok(()) }
//! ```
//!
//! How it stays coherent is in `core/index.rs` and `crate::guide::unique_indexes`: an entry
//! points at the row's key and is verified against the row on every read, and every write
//! locks the entries of the values it writes, as it locks the row.

pub use crate::model::UniqueIndex;

use crate::cache::Cache;

/// The blocking front's marker for [`IndexLookup`]: a Diesel `Connection`.
///
/// Inferred from the connection at a call of `find_by_<name>`; named where generic code
/// picks the front:
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
/// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
/// use write_through::index::{Blocking, IndexLookup};
///
/// // On a Diesel Connection the lookup is the `Blocking` impl: it returns the result.
/// fn lookup<'a>(conn: &'a mut SqliteConnection, cache: &'a Cache, email: &'a str)
///     -> <SqliteConnection as IndexLookup<User, 0, Blocking>>::Output<'a, Option<User>>
/// {
///     User::find_by_email(conn, cache, email)
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let ada: Option<User> = lookup(&mut conn, &cache, "ada@example.com")?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub enum Blocking {}

/// The async front's marker for [`IndexLookup`]: a diesel-async `AsyncConnection`. Needs the
/// `async` feature.
///
/// Inferred from the connection at a call of `find_by_<name>`, whose output is then a `Send`
/// future:
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
/// use write_through::index::{Async, IndexLookup};
///
/// // On an AsyncConnection the lookup is the `Async` impl, a future to await.
/// fn lookup<'a>(conn: &'a mut AsyncPgConnection, cache: &'a Cache, email: &'a str)
///     -> <AsyncPgConnection as IndexLookup<User, 0, Async>>::Output<'a, Option<User>>
/// {
///     User::find_by_email(conn, cache, email)
/// }
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let ada: Option<User> = lookup(&mut conn, &cache, "ada@example.com").await?;
/// # Ok(()) }
/// ```
#[cfg(feature = "async")]
#[cfg_attr(docsrs, doc(cfg(feature = "async")))]
#[derive(Debug)]
pub enum Async {}

/// The marker, for [`IndexLookup`] and [`ReadSource`](crate::asynch::ReadSource), of a shared
/// `&AsyncPgConnection` (diesel-async's pipelining form): reads only, each miss asking the
/// server, in the same round trip as its load, whether it ran inside a transaction (then it
/// does not fill). Needs the `async` and `postgres` features. Inferred from the connection, as
/// [`Async`] is: `User::find_by_email(&mut conn, &cache, email)` with
/// `mut conn: &AsyncPgConnection`.
#[cfg(all(feature = "async", feature = "postgres"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "async", feature = "postgres"))))]
#[derive(Debug)]
pub enum Shared {}

/// How a connection type runs the lookups of unique index `N` of `M`; `F` is [`Blocking`] for
/// a Diesel `Connection` and `Async` for a diesel-async `AsyncConnection`, and is inferred
/// from the connection at the call of a generated `find_by_<name>`.
///
/// The derive's `find_by_<name>` and `find_many_by_<name>` are bounded on it, so one name
/// serves a Diesel connection and a diesel-async one:
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
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut pg = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let mut sqlite = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// // A diesel-async connection: a future.
/// let ada: Option<User> = User::find_by_email(&mut pg, &cache, "ada@example.com").await?;
/// // A Diesel connection: the result, blocking.
/// let ada: Option<User> = User::find_by_email(&mut sqlite, &cache, "ada@example.com")?;
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a connection that can look up `{M}` by this index",
    note = "use a Diesel connection (blocking) or a diesel-async connection (feature `async`) of a backend the model supports"
)]
pub trait IndexLookup<M: UniqueIndex<N>, const N: usize, F> {
    /// What a lookup returns: `Result<T, Error>` on the blocking front; on the async front, a
    /// `Send` future of one.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = users)]
    /// # #[write_through(key = "user:{id}", ttl = "1h")]
    /// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
    /// use diesel_async::AsyncPgConnection;
    /// use write_through::index::{Async, Blocking, IndexLookup};
    /// use write_through::{BoxFuture, Error};
    ///
    /// fn blocking<'a>(
    ///     found: <SqliteConnection as IndexLookup<User, 0, Blocking>>::Output<'a, Option<User>>,
    /// ) -> Result<Option<User>, Error> {
    ///     found
    /// }
    ///
    /// fn non_blocking<'a>(
    ///     found: <AsyncPgConnection as IndexLookup<User, 0, Async>>::Output<'a, Option<User>>,
    /// ) -> BoxFuture<'a, Result<Option<User>, Error>> {
    ///     found
    /// }
    /// # fn main() {}
    /// ```
    type Output<'a, T: 'a>
    where
        Self: 'a;

    /// The row whose index value is `value`: from Redis when cached, else from the database,
    /// filling the cache. What `find_by_<name>` calls.
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
    /// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
    /// use write_through::index::{Blocking, IndexLookup};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish("app.sqlite")?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let ada = <SqliteConnection as IndexLookup<User, 0, Blocking>>::find_by(
    ///     &mut conn, &cache, "ada@example.com",
    /// )?;
    /// # Ok(()) }
    /// ```
    fn find_by<'a>(
        conn: &'a mut Self,
        cache: &'a Cache,
        value: M::Value<'a>,
    ) -> Self::Output<'a, Option<M>>;

    /// The rows of many values, in their order (duplicates allowed). What
    /// `find_many_by_<name>` calls.
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
    /// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
    /// use write_through::index::{Blocking, IndexLookup};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish("app.sqlite")?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let users = <SqliteConnection as IndexLookup<User, 0, Blocking>>::find_many_by(
    ///     &mut conn, &cache, vec!["ada@example.com", "bob@example.com"],
    /// )?;
    /// assert_eq!(users.len(), 2);
    /// # Ok(()) }
    /// ```
    fn find_many_by<'a>(
        conn: &'a mut Self,
        cache: &'a Cache,
        values: Vec<M::Value<'a>>,
    ) -> Self::Output<'a, Vec<Option<M>>>;
}
