//! What `#[write_through(collection(by = parent_id))]` implements: a model's cached collections,
//! the rows whose parent column holds one value (a crate's versions, a post's comments), and
//! their queries on each backend. The protocol that keeps them coherent is in
//! `core/collection.rs`; the methods are in [`crate::collection`].

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::connection::{Connection, LoadConnection};

use crate::key::{CollectionKeys, KeyWriter};
use crate::model::{Cached, DieselOps};

/// A cached collection of a model: the rows whose `by` field is one parent's key, declared with
/// `#[write_through(collection(by = crate_id, order_by = num.desc(), max = 500))]`, the `N`-th
/// (from 0) `collection(...)` of the model. The derive implements it, with
/// `find_all_by_<by>` and `find_all_by_<by>_in`.
///
/// ```
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { versions (id) { id -> BigInt, crate_id -> Integer, num -> Text, } }
/// use write_through::Collection;
///
/// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
///          Serialize, Deserialize, WriteThrough)]
/// #[diesel(table_name = versions)]
/// #[write_through(key = "version:{id}", ttl = "1h", collection(by = crate_id, order_by = num))]
/// pub struct Version { pub id: i64, pub crate_id: i32, pub num: String }
///
/// # fn main() -> Result<(), write_through::Error> {
/// let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let version = Version { id: 1, crate_id: 7, num: "1.0.0".into() };
/// assert_eq!(<Version as Collection<0>>::COLLECTION_NAME, "crate_id");
/// assert_eq!(<Version as Collection<0>>::parent(&version), Some(&7));
/// // Saving `version` locks, with its row, the collection of crate 7:
/// assert_eq!(cache.collection_key::<Version, 0>(&7), b"wt:#version%3A%7Bid%7D#all_by.crate_id:7");
/// # Ok(()) }
/// ```
pub trait Collection<const N: usize>: Cached {
    /// The parent's key, borrowed: `&'a str` for a `String` column, `&'a T` for another type.
    type Parent<'a>: Copy + Send + Sync;

    /// The field the rows are grouped by, as in `find_all_by_<name>`.
    const COLLECTION_NAME: &'static str;

    /// The most members a cached collection holds (`max = ...`, 1 000 by default): a larger one
    /// is read from the database on every call, and counted
    /// (`write_through_collections_too_large_total`).
    const MAX_MEMBERS: usize;

    /// This row's parent; `None` when the column is `NULL` (the row is in no collection).
    fn parent(&self) -> Option<Self::Parent<'_>>;

    /// Whether this row's parent is `parent`, compared in Rust (byte for byte for text).
    fn has_parent(&self, parent: Self::Parent<'_>) -> bool;

    /// Writes `parent` as key parts (the rest of the collection's key is already written).
    fn write_parent(parent: Self::Parent<'_>, key: &mut KeyWriter);

    /// Writes this row's value of the order column (`order_by = ...`) as key parts; nothing when
    /// the collection has no order of its own (it is then in key order). A cached collection
    /// remembers each member's value: a member whose value changed is read again.
    fn write_order(&self, key: &mut KeyWriter) {
        let _ = key;
    }
}

/// The query of collection `N` on backend `B`, implemented for every derived model and each
/// enabled backend from the statement the derive writes.
pub trait DieselCollection<B: Backend, const N: usize>: Collection<N> + DieselOps<B> {
    /// `SELECT ... WHERE parent = value ORDER BY order, key`: the members, in the collection's
    /// order. Called directly it reads the database alone, bypassing Redis.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { versions (id) { id -> BigInt, crate_id -> Integer, num -> Integer, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = versions)]
    /// # #[write_through(key = "version:{id}", ttl = "1h", collection(by = crate_id, order_by = num.desc()))]
    /// # pub struct Version { pub id: i64, pub crate_id: i32, pub num: i32 }
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselCollection;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE versions (id INTEGER PRIMARY KEY NOT NULL, crate_id INTEGER NOT NULL, num INTEGER NOT NULL)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO versions VALUES (1, 7, 1), (2, 7, 2), (3, 8, 1)").execute(&mut conn)?;
    /// let newest_first = <Version as DieselCollection<Sqlite, 0>>::load_members(&mut conn, &7)?;
    /// let nums: Vec<i32> = newest_first.iter().map(|version| version.num).collect();
    /// assert_eq!(nums, [2, 1]);
    /// # Ok(()) }
    /// ```
    fn load_members<C>(conn: &mut C, parent: Self::Parent<'_>) -> QueryResult<Vec<Self>>
    where
        C: Connection<Backend = B> + LoadConnection;
}

#[cfg(feature = "async")]
pub use asynch::AsyncDieselCollection;

#[cfg(feature = "async")]
mod asynch {
    use diesel::QueryResult;
    use diesel::backend::Backend;
    use diesel_async::AsyncConnectionCore;

    use super::Collection;
    use crate::model::AsyncDieselOps;

    /// [`DieselCollection`](super::DieselCollection)'s query through diesel-async. Needs the
    /// `async` feature.
    ///
    /// ```no_run
    /// # use diesel::prelude::*;
    /// # use diesel_async::{AsyncConnection, AsyncPgConnection};
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::asynch::prelude::*;
    /// # diesel::table! { versions (id) { id -> BigInt, crate_id -> Integer, num -> Integer, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = versions)]
    /// # #[write_through(key = "version:{id}", ttl = "1h", collection(by = crate_id))]
    /// # pub struct Version { pub id: i64, pub crate_id: i32, pub num: i32 }
    /// use diesel::pg::Pg;
    /// use write_through::AsyncDieselCollection;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
    /// let versions = <Version as AsyncDieselCollection<Pg, 0>>::load_members(&mut conn, &7).await?;
    /// # Ok(()) }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub trait AsyncDieselCollection<B: Backend, const N: usize>:
        Collection<N> + AsyncDieselOps<B>
    {
        /// `SELECT ... WHERE parent = value ORDER BY order, key`.
        fn load_members<C>(
            conn: &mut C,
            parent: Self::Parent<'_>,
        ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = B>;
    }
}

impl CollectionKeys<'_> {
    /// Adds the key of `parent`'s collection `N` of `M`: the derive's `write_collection_keys`
    /// calls it for each collection, as `keys.add::<Self, 0>(parent)`, when the row's parent is
    /// not `NULL`.
    pub fn add<M: Collection<N>, const N: usize>(&mut self, parent: M::Parent<'_>) {
        self.keys
            .push(collection_key::<M, N>(self.namespace, parent));
    }
}

/// The Redis key of `parent`'s collection `N` of `M`: beside the model's unique-index entries
/// (`<namespace>:#<template>#`), under a name no index can have (a field name has no `.`).
pub(crate) fn collection_key<M: Collection<N>, const N: usize>(
    namespace: &str,
    parent: M::Parent<'_>,
) -> Vec<u8> {
    let mut key = KeyWriter::new(namespace);
    key.literal("#");
    key.part(M::KEY_TEMPLATE);
    key.literal("#all_by.");
    key.literal(M::COLLECTION_NAME);
    key.literal(":");
    M::write_parent(parent, &mut key);
    key.into_bytes()
}

/// `row`'s order value in collection `N`, as a cached entry remembers it, rendered into
/// `buffer` (emptied first, and returned: one buffer serves every member of a list).
pub(crate) fn render_order<M: Collection<N>, const N: usize>(row: &M, buffer: Vec<u8>) -> Vec<u8> {
    let mut order = KeyWriter::reusing(buffer, "");
    row.write_order(&mut order);
    order.into_bytes()
}
