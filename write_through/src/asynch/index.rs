//! The async front's unique-index lookups (`find_by_<name>`, see [`crate::index`]).

use diesel_async::AsyncConnection;
use tracing::Instrument;

use crate::cache::Cache;
use crate::drive;
use crate::error::Error;
use crate::index::{Async as Front, IndexLookup};
use crate::model::{AsyncDieselIndex, BoxFuture};
use crate::redis::store::AsyncExec;

use super::db;

/// Reads the row whose unique index `N` has `value`: from Redis when cached, else from the
/// database, filling the cache. `Model::find_by_<name>` calls it on a diesel-async
/// connection; generic code over models calls it directly, naming the index by its position
/// ([`UniqueIndex`](crate::UniqueIndex)).
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
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let ada: Option<User> =
///     write_through::asynch::find_by::<User, 0, _>(&mut conn, &cache, "ada@example.com").await?;
/// # Ok(()) }
/// ```
pub async fn find_by<M, const N: usize, C>(
    conn: &mut C,
    cache: &Cache,
    value: M::Value<'_>,
) -> Result<Option<M>, Error>
where
    C: AsyncConnection,
    M: AsyncDieselIndex<C::Backend, N>,
{
    let span = tracing::debug_span!(
        "write_through.find_by",
        model = M::MODEL_NAME,
        index = M::INDEX_NAME
    );
    let exec = AsyncExec(&cache.inner().store);
    let mut rows = drive::index::find_many_by::<M, N, _, _>(
        &exec,
        &mut db::hidden_index::<M, C, N>(conn),
        cache,
        vec![value],
    )
    .instrument(span)
    .await?;
    Ok(rows.pop().flatten())
}

/// Reads the rows whose unique index `N` has `values`, in their order (duplicates allowed):
/// one Redis round trip when all are cached. `Model::find_many_by_<name>` calls it on a
/// diesel-async connection.
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
/// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let users: Vec<Option<User>> = write_through::asynch::find_many_by::<User, 0, _, _>(
///     &mut conn,
///     &cache,
///     ["ada@example.com", "bob@example.com", "ada@example.com"],
/// )
/// .await?;
/// // One entry per value asked for: `None` where no row has it.
/// assert_eq!(users.len(), 3);
/// # Ok(()) }
/// ```
pub async fn find_many_by<'a, M, const N: usize, C, I>(
    conn: &mut C,
    cache: &Cache,
    values: I,
) -> Result<Vec<Option<M>>, Error>
where
    C: AsyncConnection,
    M: AsyncDieselIndex<C::Backend, N>,
    I: IntoIterator<Item = M::Value<'a>>,
{
    let values: Vec<M::Value<'a>> = values.into_iter().collect();
    find_many_by_through(&mut db::hidden_index::<M, C, N>(conn), cache, values).await
}

/// [`find_many_by`] through `db`: a connection, or a pool (`pool_db.rs`).
pub(crate) async fn find_many_by_through<'a, M, const N: usize, D>(
    db: &mut D,
    cache: &Cache,
    values: Vec<M::Value<'a>>,
) -> Result<Vec<Option<M>>, Error>
where
    M: crate::model::UniqueIndex<N>,
    D: crate::drive::db::LoadBy<M, N> + Send,
{
    let span = tracing::debug_span!(
        "write_through.find_many_by",
        model = M::MODEL_NAME,
        index = M::INDEX_NAME
    );
    let exec = AsyncExec(&cache.inner().store);
    drive::index::find_many_by::<M, N, _, _>(&exec, db, cache, values)
        .instrument(span)
        .await
}

impl<C, M, const N: usize> IndexLookup<M, N, Front> for C
where
    C: AsyncConnection,
    M: AsyncDieselIndex<C::Backend, N>,
{
    type Output<'a, T: 'a>
        = BoxFuture<'a, Result<T, Error>>
    where
        Self: 'a;

    fn find_by<'a>(
        conn: &'a mut C,
        cache: &'a Cache,
        value: M::Value<'a>,
    ) -> BoxFuture<'a, Result<Option<M>, Error>> {
        Box::pin(find_by::<M, N, C>(conn, cache, value))
    }

    fn find_many_by<'a>(
        conn: &'a mut C,
        cache: &'a Cache,
        values: Vec<M::Value<'a>>,
    ) -> BoxFuture<'a, Result<Vec<Option<M>>, Error>> {
        Box::pin(find_many_by::<M, N, C, _>(conn, cache, values))
    }
}
