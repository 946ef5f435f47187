//! The async front's cached collections (`find_all_by_<parent>`, see [`crate::collection`]).

use diesel_async::AsyncConnection;
use tracing::Instrument;

use crate::cache::Cache;
use crate::collection::CollectionLookup;
use crate::drive;
use crate::error::Error;
use crate::index::Async as Front;
use crate::model::BoxFuture;
use crate::model_collection::{AsyncDieselCollection, Collection};
use crate::redis::store::AsyncExec;

use super::db;

/// Reads the rows of `parent`'s collection `N`, in the collection's order: from Redis when
/// cached, else from the database, filling the cache. `Model::find_all_by_<name>` calls it on a
/// diesel-async connection.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
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
/// let comments: Vec<Comment> =
///     write_through::asynch::find_all_by::<Comment, 0, _>(&mut conn, &cache, &7).await?;
/// # Ok(()) }
/// ```
pub async fn find_all_by<M, const N: usize, C>(
    conn: &mut C,
    cache: &Cache,
    parent: M::Parent<'_>,
) -> Result<Vec<M>, Error>
where
    C: AsyncConnection,
    M: AsyncDieselCollection<C::Backend, N>,
{
    let db = &mut db::hidden_collection::<M, C, N>(conn);
    let mut lists = find_all_by_through(db, cache, vec![parent]).await?;
    Ok(lists.pop().unwrap_or_default())
}

/// Reads the collections `N` of `parents`, in their order (duplicates allowed): one Redis
/// round trip when all are cached. `Model::find_all_by_<name>_in` calls it on a diesel-async
/// connection.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use diesel_async::{AsyncConnection, AsyncPgConnection};
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
/// let per_post: Vec<Vec<Comment>> =
///     write_through::asynch::find_all_by_in::<Comment, 0, _, _>(&mut conn, &cache, [&7, &8]).await?;
/// # Ok(()) }
/// ```
pub async fn find_all_by_in<'a, M, const N: usize, C, I>(
    conn: &mut C,
    cache: &Cache,
    parents: I,
) -> Result<Vec<Vec<M>>, Error>
where
    C: AsyncConnection,
    M: AsyncDieselCollection<C::Backend, N>,
    I: IntoIterator<Item = M::Parent<'a>>,
{
    let parents: Vec<M::Parent<'a>> = parents.into_iter().collect();
    find_all_by_through(&mut db::hidden_collection::<M, C, N>(conn), cache, parents).await
}

/// [`find_all_by_in`] through `db`: a connection, or a pool (`pool_db.rs`).
pub(crate) async fn find_all_by_through<'a, M, const N: usize, D>(
    db: &mut D,
    cache: &Cache,
    parents: Vec<M::Parent<'a>>,
) -> Result<Vec<Vec<M>>, Error>
where
    M: Collection<N>,
    D: crate::drive::db::LoadMembers<M, N> + Send,
{
    let span = tracing::debug_span!(
        "write_through.find_all_by",
        model = M::MODEL_NAME,
        collection = M::COLLECTION_NAME
    );
    let exec = AsyncExec(&cache.inner().store);
    drive::collection::find_all_by::<M, N, _, _>(&exec, db, cache, parents)
        .instrument(span)
        .await
}

impl<C, M, const N: usize> CollectionLookup<M, N, Front> for C
where
    C: AsyncConnection,
    M: AsyncDieselCollection<C::Backend, N>,
{
    type Output<'a, T: 'a>
        = BoxFuture<'a, Result<T, Error>>
    where
        Self: 'a;

    fn find_all_by<'a>(
        conn: &'a mut C,
        cache: &'a Cache,
        parent: M::Parent<'a>,
    ) -> BoxFuture<'a, Result<Vec<M>, Error>> {
        Box::pin(find_all_by::<M, N, C>(conn, cache, parent))
    }

    fn find_all_by_in<'a>(
        conn: &'a mut C,
        cache: &'a Cache,
        parents: Vec<M::Parent<'a>>,
    ) -> BoxFuture<'a, Result<Vec<Vec<M>>, Error>> {
        Box::pin(find_all_by_in::<M, N, C, _>(conn, cache, parents))
    }
}
