//! The blocking front's cached collections (`find_all_by_<parent>`, see [`crate::collection`]).

use diesel::connection::{Connection, LoadConnection};

use crate::cache::Cache;
use crate::collection::CollectionLookup;
use crate::drive;
use crate::drive::db::LoadMembers;
use crate::error::Error;
use crate::index::Blocking as Front;
use crate::model_collection::{Collection, DieselCollection};
use crate::redis::store::BlockingExec;

use super::db::BlockingDb;
use crate::shared::ready::ready;

/// Reads the rows of `parent`'s collection `N`, in the collection's order: from Redis when
/// cached, else from the database, filling the cache. `Model::find_all_by_<name>` calls it;
/// generic code over models calls it directly, naming the collection by its position.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { comments (id) { id -> BigInt, post_id -> BigInt, body -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = comments)]
/// # #[write_through(key = "comment:{id}", ttl = "1h", collection(by = post_id))]
/// # pub struct Comment { pub id: i64, pub post_id: i64, pub body: String }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let comments: Vec<Comment> =
///     write_through::blocking::find_all_by::<Comment, 0, _>(&mut conn, &cache, &7)?;
/// # Ok(()) }
/// ```
pub fn find_all_by<M, const N: usize, C>(
    conn: &mut C,
    cache: &Cache,
    parent: M::Parent<'_>,
) -> Result<Vec<M>, Error>
where
    C: Connection + LoadConnection,
    M: DieselCollection<C::Backend, N>,
{
    let mut lists = find_all_by_through(&mut BlockingDb(conn), cache, vec![parent])?;
    Ok(lists.pop().unwrap_or_default())
}

/// Reads the collections `N` of `parents`, in their order (duplicates allowed): one Redis
/// round trip when all are cached. `Model::find_all_by_<name>_in` calls it.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { comments (id) { id -> BigInt, post_id -> BigInt, body -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = comments)]
/// # #[write_through(key = "comment:{id}", ttl = "1h", collection(by = post_id))]
/// # pub struct Comment { pub id: i64, pub post_id: i64, pub body: String }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let per_post: Vec<Vec<Comment>> =
///     write_through::blocking::find_all_by_in::<Comment, 0, _, _>(&mut conn, &cache, [&7, &8])?;
/// # Ok(()) }
/// ```
pub fn find_all_by_in<'a, M, const N: usize, C, I>(
    conn: &mut C,
    cache: &Cache,
    parents: I,
) -> Result<Vec<Vec<M>>, Error>
where
    C: Connection + LoadConnection,
    M: DieselCollection<C::Backend, N>,
    I: IntoIterator<Item = M::Parent<'a>>,
{
    find_all_by_through(&mut BlockingDb(conn), cache, parents.into_iter().collect())
}

/// [`find_all_by_in`] through `db`: a connection, or a pool (`pool_db.rs`).
pub(crate) fn find_all_by_through<'a, M, const N: usize, D>(
    db: &mut D,
    cache: &Cache,
    parents: Vec<M::Parent<'a>>,
) -> Result<Vec<Vec<M>>, Error>
where
    M: Collection<N>,
    D: LoadMembers<M, N>,
{
    let _span = tracing::debug_span!(
        "write_through.find_all_by",
        model = M::MODEL_NAME,
        collection = M::COLLECTION_NAME
    )
    .entered();
    let exec = BlockingExec(&cache.inner().store);
    ready(drive::collection::find_all_by::<M, N, _, _>(
        &exec, db, cache, parents,
    ))
}

impl<C, M, const N: usize> CollectionLookup<M, N, Front> for C
where
    C: Connection + LoadConnection,
    M: DieselCollection<C::Backend, N>,
{
    type Output<'a, T: 'a>
        = Result<T, Error>
    where
        Self: 'a;

    fn find_all_by<'a>(
        conn: &'a mut C,
        cache: &'a Cache,
        parent: M::Parent<'a>,
    ) -> Result<Vec<M>, Error> {
        find_all_by::<M, N, C>(conn, cache, parent)
    }

    fn find_all_by_in<'a>(
        conn: &'a mut C,
        cache: &'a Cache,
        parents: Vec<M::Parent<'a>>,
    ) -> Result<Vec<Vec<M>>, Error> {
        find_all_by_in::<M, N, C, _>(conn, cache, parents)
    }
}
