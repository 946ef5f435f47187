//! A connection pool that reads check a connection out of only when they miss the cache.

/// A connection pool as a source of connections for reads: a read that the cache answers (Redis
/// or the in-process tier) never touches the pool; one that misses checks one connection out,
/// reads, and gives it back before it fills the cache. Passed where a connection goes:
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use write_through::asynch::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Identifiable, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
/// use diesel_async::AsyncPgConnection;
/// use diesel_async::pooled_connection::AsyncDieselConnectionManager;
/// use diesel_async::pooled_connection::deadpool::Pool;
/// use write_through::Pooled;
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new("postgres://localhost/app");
/// let pool = Pool::builder(manager).max_size(4).build()?;
/// let cache = Cache::open("redis://127.0.0.1:6379")?;
/// // A hit takes no connection: it is served while every pooled connection is busy, and while
/// // the database is down.
/// let user: Option<User> = User::find(&mut Pooled(&pool), &cache, &42).await?;
/// let ada = User::find_by_email(&mut Pooled(&pool), &cache, "ada@example.com").await?;
/// # Ok(()) }
/// ```
///
/// A miss that cannot get a connection (the pool timed out, the database refused it) is
/// [`Error::Unavailable`](crate::Error::Unavailable), counted in
/// [`Stats::database_unavailable`](crate::Stats::database_unavailable); each checkout is
/// counted in [`Stats::checkouts`](crate::Stats::checkouts). Writes take a connection, checked
/// out by the caller as today: a write needs one whatever the cache holds.
///
/// For `find`, `find_many`, `find_by_<field>` and `find_many_by_<field>`: on the blocking
/// front, Diesel's r2d2 `Pool<ConnectionManager<C>>` (`User::find(&mut Pooled(&pool), &cache,
/// &42)?`); on the async front (feature `async`), diesel-async's deadpool `Pool` (feature
/// `deadpool`) and bb8 `Pool` (feature `bb8`) of `AsyncPgConnection` or
/// `AsyncMysqlConnection`. `write_through::blocking::find` and the other free functions take a
/// connection only.
#[derive(Debug, Clone, Copy)]
pub struct Pooled<'p, P>(pub &'p P);
