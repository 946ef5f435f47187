//! Cached collections: the children of one parent (a crate's versions, a post's comments), with
//! the guarantees of `find`.
//!
//! `#[write_through(collection(by = crate_id))]` on the child model (where Diesel declares
//! `belongs_to(Crate)`) makes the derive implement [`Collection`] and generate
//! `Model::find_all_by_<by>(&mut conn, &cache, parent)` and
//! `Model::find_all_by_<by>_in(&mut conn, &cache, parents)`. One method serves both fronts: on a
//! Diesel `Connection` it blocks and returns a `Result`, on a diesel-async `AsyncConnection`
//! it returns a `Send` future of one (the connection's type picks the [`CollectionLookup`]
//! impl). Options: `order_by = num` or `order_by = num.desc()` (else key order), `max = 500`
//! (the cap; 1 000 by default).
//!
//! ```no_run
//! # use diesel::prelude::*;
//! # use serde::{Deserialize, Serialize};
//! # use write_through::prelude::*;
//! # diesel::table! { versions (id) { id -> BigInt, crate_id -> Integer, num -> Text, } }
//! #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
//!          Serialize, Deserialize, WriteThrough)]
//! #[diesel(table_name = versions)]
//! #[write_through(key = "version:{id}", ttl = "1h",
//!                 collection(by = crate_id, order_by = num.desc(), max = 500))]
//! pub struct Version {
//!     pub id: i64,
//!     pub crate_id: i32,
//!     pub num: String,
//! }
//!
//! # fn main() -> Result<(), write_through::Error> {
//! # let mut conn = SqliteConnection::establish("app.sqlite").unwrap();
//! let cache = Cache::open("redis://127.0.0.1:6379")?;
//! let versions: Vec<Version> = Version::find_all_by_crate_id(&mut conn, &cache, &7)?;
//! let per_crate: Vec<Vec<Version>> = Version::find_all_by_crate_id_in(&mut conn, &cache, [&7, &8])?;
//! # Ok(()) }
//! ```
//!
//! How it stays coherent is in `core/collection.rs` and
//! [`crate::guide::collections`]: an entry holds the members' keys and is verified against
//! their rows on every read; every write that gives a row a parent locks that parent's entry,
//! as it locks the row.

pub use crate::model_collection::Collection;

use crate::cache::Cache;

/// How `find_all_by_<parent>` runs on a connection of front `F`
/// ([`Blocking`](crate::index::Blocking), [`Async`](crate::index::Async)); implemented for
/// Diesel connections, diesel-async connections and the pools reads take.
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
/// use write_through::collection::CollectionLookup;
/// use write_through::index::Blocking;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let comments: Vec<Comment> =
///     <SqliteConnection as CollectionLookup<Comment, 0, Blocking>>::find_all_by(&mut conn, &cache, &7)?;
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a connection that can list `{M}` by this collection",
    note = "use a Diesel connection (blocking) or a diesel-async connection (feature `async`) of a backend the model supports"
)]
pub trait CollectionLookup<M: Collection<N>, const N: usize, F> {
    /// What a listing returns: `Result<T, Error>` on the blocking front; on the async front, a
    /// `Send` future of one.
    type Output<'a, T: 'a>
    where
        Self: 'a;

    /// The rows whose parent is `parent`, in the collection's order: from Redis when the
    /// collection and its rows are cached (one round trip), else from the database, filling
    /// the cache. What `find_all_by_<name>` calls.
    fn find_all_by<'a>(
        conn: &'a mut Self,
        cache: &'a Cache,
        parent: M::Parent<'a>,
    ) -> Self::Output<'a, Vec<M>>;

    /// The collections of many parents, in their order (duplicates allowed): one Redis round
    /// trip when all are cached, one query per parent for the rest. What
    /// `find_all_by_<name>_in` calls.
    fn find_all_by_in<'a>(
        conn: &'a mut Self,
        cache: &'a Cache,
        parents: Vec<M::Parent<'a>>,
    ) -> Self::Output<'a, Vec<Vec<M>>>;
}
