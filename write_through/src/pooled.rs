//! A connection pool that operations check a connection out of only for their database part.

/// A connection pool as a source of connections: a read that the cache answers (Redis or the
/// in-process tier) never touches the pool; one that misses checks one connection out, reads,
/// and gives it back before it fills the cache; a write checks one out just before its Redis
/// lock (a key is never locked while its writer waits for a connection) and gives it back before
/// its publish. Passed where a connection goes:
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
/// // A write holds a connection for its lock and statement, not for its publish.
/// let deleted: bool = User::delete(&mut Pooled(&pool), &cache, &42).await?;
/// # Ok(()) }
/// ```
///
/// A miss or a write that cannot get a connection (the pool timed out, the database refused it)
/// is [`Error::Unavailable`](crate::Error::Unavailable), counted in
/// [`Stats::database_unavailable`](crate::Stats::database_unavailable); each checkout is
/// counted in [`Stats::checkouts`](crate::Stats::checkouts). `cache.transaction` takes a
/// connection, whose transaction it is.
///
/// For `find`, `find_many`, `find_by_<field>`, `find_many_by_<field>`, `save`, `update`,
/// `delete` and `create`: on the blocking
/// front, Diesel's r2d2 `Pool<ConnectionManager<C>>` (`User::find(&mut Pooled(&pool), &cache,
/// &42)?`); on the async front (feature `async`), diesel-async's deadpool `Pool` (feature
/// `deadpool`) and bb8 `Pool` (feature `bb8`) of `AsyncPgConnection` or
/// `AsyncMysqlConnection`. Of the free functions, `save` (which returns the row as stored)
/// takes a pool too; `write_through::blocking::find` and the others take a connection only.
#[derive(Debug, Clone, Copy)]
pub struct Pooled<'p, P>(pub &'p P);
