//! What `#[derive(WriteThrough)]` implements: the contract between a model and the runtime.
//!
//! [`Cached`] holds what is fixed at compile time (key template, TTLs, schema fingerprint);
//! [`DieselOps`] and [`DieselCreate`] are the model's queries on one Diesel backend (and, with
//! the `async` feature, `AsyncDieselOps` and `AsyncDieselCreate` the same queries through
//! diesel-async); [`SavesByRef`] or [`SavesInPlace`] says how `save` treats the row. All
//! behaviour lives in the runtime's generic functions ([`crate::blocking`], `crate::asynch`).
//! The derive writes only the model's typed statements; the runtime implements the query
//! traits from them, once for every model (`statements/`), so they can also be implemented by
//! hand for a type that does not derive them.

use std::time::Duration;

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::connection::{Connection, LoadConnection};
use serde::{Deserializer, Serializer};

use crate::envelope::Codec;
use crate::error::Error;
use crate::key::{CollectionKeys, IndexKeys, KeyWriter, RetiredKeys};

/// A model whose rows are cached in Redis: what `#[derive(WriteThrough)]` implements from the
/// struct and its `#[write_through(...)]` attributes. Generic code over cached models is
/// bounded on it (with [`DieselOps`] where it reaches the database).
///
/// ```
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// use write_through::prelude::*; // Cache, Cached, WriteThrough
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
///
/// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
///          Serialize, Deserialize, WriteThrough)]
/// #[diesel(table_name = users)]
/// #[write_through(key = "user:{id}", ttl = "1h")]
/// pub struct User { pub id: i64, pub email: String }
///
/// /// A log line for any cached row: where it lives in Redis, and for how long.
/// fn describe<M: Cached>(cache: &Cache, row: &M) -> String {
///     let key = String::from_utf8_lossy(&cache.key::<M>(row.id())).into_owned();
///     format!("{} at {key} for {:?}", M::MODEL_NAME, M::TTL)
/// }
///
/// # fn main() -> Result<(), write_through::Error> {
/// let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user = User { id: 42, email: "ada@example.com".into() };
/// assert_eq!(describe(&cache, &user), "User at wt:user:42 for 3600s");
/// # Ok(()) }
/// ```
pub trait Cached: Sized + Send + Sync + 'static {
    /// The primary key as borrowed by Diesel's `Identifiable::Id` for `&Self`:
    /// `&'a i64` for one key column, `(&'a i32, &'a String)` for a composite key.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// /// The ids of some rows, to look them up again with `find_many`.
    /// fn ids_of<M: Cached>(rows: &[M]) -> Vec<M::Id<'_>> {
    ///     rows.iter().map(Cached::id).collect()
    /// }
    ///
    /// let users = [User { id: 1, email: "a@example.com".into() },
    ///              User { id: 2, email: "b@example.com".into() }];
    /// let ids: Vec<&i64> = ids_of(&users); // User's `Id<'a>` is `&'a i64`
    /// assert_eq!(ids, [&1, &2]);
    /// ```
    type Id<'a>: Copy + Send + Sync;

    /// The struct's name, for errors, logs and metric labels.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// fn span_for<M: Cached>() -> tracing::Span {
    ///     tracing::info_span!("import", model = M::MODEL_NAME)
    /// }
    /// # let _ = span_for::<User>;
    /// assert_eq!(User::MODEL_NAME, "User");
    /// ```
    const MODEL_NAME: &'static str;
    /// The key template as written in `#[write_through(key = "...")]`.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// assert_eq!(User::KEY_TEMPLATE, "user:{id}");
    /// ```
    const KEY_TEMPLATE: &'static str;
    /// How long a cached row lives: `#[write_through(ttl = "...")]`, shortened for each value
    /// by a random fraction ([`CacheBuilder::ttl_jitter`](crate::CacheBuilder::ttl_jitter)),
    /// so that rows cached together do not all expire together.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// use std::time::Duration;
    ///
    /// assert_eq!(User::TTL, Duration::from_secs(60 * 60)); // ttl = "1h"
    /// ```
    const TTL: Duration;
    /// How long a cached "no such row" lives; `None` when negative caching is off (no
    /// `#[write_through(negative_ttl = "...")]`).
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// use std::time::Duration;
    /// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
    ///
    /// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///          Serialize, Deserialize, WriteThrough)]
    /// #[diesel(table_name = users)]
    /// #[write_through(key = "user:{id}", ttl = "1h", negative_ttl = "30s")]
    /// pub struct User { pub id: i64, pub email: String }
    ///
    /// // A lookup of an id no row has is answered from Redis for 30 seconds.
    /// assert_eq!(User::NEGATIVE_TTL, Some(Duration::from_secs(30)));
    /// ```
    const NEGATIVE_TTL: Option<Duration>;
    /// A 64-bit hash of the struct's name, field names and field types. A cached value written
    /// by a struct with another fingerprint is treated as a miss.
    ///
    /// So a deploy that adds a field never decodes a value an earlier deploy wrote:
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { users (id) { id -> BigInt, email -> Text, name -> Text, } }
    /// mod before {
    /// #   use super::*;
    ///     #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///              Serialize, Deserialize, WriteThrough)]
    ///     #[diesel(table_name = users)]
    ///     #[write_through(key = "user:{id}", ttl = "1h")]
    ///     pub struct User { pub id: i64, pub email: String }
    /// }
    /// mod after {
    /// #   use super::*;
    ///     #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///              Serialize, Deserialize, WriteThrough)]
    ///     #[diesel(table_name = users)]
    ///     #[write_through(key = "user:{id}", ttl = "1h")]
    ///     pub struct User { pub id: i64, pub email: String, pub name: String }
    /// }
    ///
    /// # fn main() {
    /// assert_ne!(before::User::SCHEMA_FINGERPRINT, after::User::SCHEMA_FINGERPRINT);
    /// # }
    /// ```
    const SCHEMA_FINGERPRINT: u64;

    /// Whether two different ids can name one row in the database: text keys under a case- or
    /// pad-insensitive collation can ("Foo" finds "foo"); integer keys cannot. The derive says
    /// `false` when every key field is an integer, which spares `find_many` a check.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
    /// # diesel::table! { tags (slug) { slug -> Text, label -> Text, } }
    /// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///          Serialize, Deserialize, WriteThrough)]
    /// #[diesel(table_name = users)]
    /// #[write_through(key = "user:{id}", ttl = "1h")]
    /// pub struct User { pub id: i64, pub email: String }
    ///
    /// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///          Serialize, Deserialize, WriteThrough)]
    /// #[diesel(table_name = tags, primary_key(slug))]
    /// #[write_through(key = "tag:{slug}", ttl = "1h")]
    /// pub struct Tag { pub slug: String, pub label: String }
    ///
    /// assert!(!User::KEY_CAN_ALIAS); // 42 is only ever 42
    /// assert!(Tag::KEY_CAN_ALIAS); // "Rust" may find the row "rust" under some collations
    /// ```
    const KEY_CAN_ALIAS: bool = true;

    /// How long a row or absence may be served from the in-process tier without a Redis round
    /// trip (`#[write_through(local = "5s")]`); `None`, the default, keeps the model out of it.
    /// [`crate::CacheBuilder::local`] can set it per cache. See [`crate::guide::local_tier`].
    const LOCAL_TTL: Option<Duration> = None;

    /// How rows are encoded in Redis. The derive picks [`Codec::Bincode`] when it can prove
    /// every field type decodes with it, and [`Codec::MessagePack`] otherwise.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// use write_through::Codec;
    ///
    /// assert_eq!(User::CODEC, Codec::Bincode); // an i64 and a String: bincode decodes both
    /// ```
    const CODEC: Codec = Codec::Bincode;

    /// This row's primary key.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let user = User { id: 42, email: "ada@example.com".into() };
    /// // `user.id()` would be ambiguous beside Diesel's `Identifiable::id`.
    /// assert_eq!(Cached::id(&user), &42);
    /// assert_eq!(cache.key::<User>(Cached::id(&user)), b"wt:user:42");
    /// # Ok(()) }
    /// ```
    fn id(&self) -> Self::Id<'_>;

    /// Writes the rendered key template for `id` (the namespace is already written). The
    /// rendering must not start with `#`, which begins the keys of unique indexes.
    ///
    /// For `key = "org:{org_id}:member:{user_id}"` the derive writes the literal text and then
    /// each key field with [`KeyWriter::part`], which escapes it. [`Cache::key`] shows the
    /// result:
    ///
    /// [`Cache::key`]: crate::Cache::key
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { memberships (org_id, user_id) { org_id -> BigInt, user_id -> Text, role -> Text, } }
    /// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///          Serialize, Deserialize, WriteThrough)]
    /// #[diesel(table_name = memberships, primary_key(org_id, user_id))]
    /// #[write_through(key = "org:{org_id}:member:{user_id}", ttl = "1h")]
    /// pub struct Membership { pub org_id: i64, pub user_id: String, pub role: String }
    ///
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let user_id = String::from("ada:admin"); // a `:` in a value is escaped
    /// assert_eq!(cache.key::<Membership>((&7, &user_id)), b"wt:org:7:member:ada%3Aadmin");
    /// # Ok(()) }
    /// ```
    fn write_key(id: Self::Id<'_>, key: &mut KeyWriter);

    /// Adds the key of every unique-index entry this row belongs to ([`UniqueIndex`]): a write
    /// locks them with the row's key. None by default.
    ///
    /// The derive adds, for each index the row has a value in, the key [`Cache::index_key`]
    /// names:
    ///
    /// [`Cache::index_key`]: crate::Cache::index_key
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
    /// use write_through::UniqueIndex;
    ///
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let user = User { id: 42, email: "ada@example.com".into() };
    /// // Saving `user` locks its row's key and the entry of its email in index 0:
    /// let email = <User as UniqueIndex<0>>::index_value(&user).unwrap();
    /// assert_eq!(cache.index_key::<User, 0>(email), b"wt:#user%3A%7Bid%7D#email:ada@example.com");
    /// # Ok(()) }
    /// ```
    fn write_index_keys(&self, keys: &mut IndexKeys<'_>) {
        let _ = keys;
    }

    /// Adds the key of each cached collection this row is a member of
    /// ([`Collection`](crate::Collection)): a write locks them with the row's key and deletes
    /// them after its commit. None by default; the derive adds, for each
    /// `collection(by = parent_id)`, the key [`Cache::collection_key`] names for the row's
    /// parent (none when it is `NULL`).
    ///
    /// [`Cache::collection_key`]: crate::Cache::collection_key
    fn write_collection_keys(&self, keys: &mut CollectionKeys<'_>) {
        let _ = keys;
    }

    /// Whether a row of this model is named by keys besides its own: unique-index entries
    /// ([`UniqueIndex`]) or collections ([`Collection`](crate::Collection)). An `update`
    /// through a form learns them only from the row it returns, so it then runs in a
    /// transaction of the library's own and locks them before the commit. The derive says
    /// `true` when the model has either.
    const NAMES_OTHER_KEYS: bool = false;

    /// Whether writes of this model retire rows of other models
    /// (`#[write_through(retires(...))]`): then a `save`, `update` or `delete` first reads the
    /// row it replaces, locked (`SELECT ... FOR UPDATE`), in the write's transaction (one of
    /// its own outside `cache.transaction`), so that the rows its old values named are retired
    /// as well as those its new values name.
    const RETIRES: bool = false;

    /// The keys of the other models' rows that a write of this row retires: for each
    /// `#[write_through(retires(UserWithAvatar, foreign_key = user_id))]`, the `UserWithAvatar`
    /// whose key is this row's `user_id` (none when it is `NULL`). The derive writes it.
    fn write_retired_keys(&self, keys: &mut RetiredKeys<'_>) {
        let _ = keys;
    }

    /// The row as the cache encodes it: every field, in declaration order, under its Rust
    /// name. The derive writes it from the fields themselves, so the model's own serde derive
    /// (its API JSON: skipped secrets, renames, `skip_serializing_if`) never shapes the cached
    /// row, and a model needs none. Not called directly: the cache's codec calls it.
    #[doc(hidden)]
    fn serialize_row<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;

    /// The row from its cache encoding, as [`Cached::serialize_row`] wrote it.
    #[doc(hidden)]
    fn deserialize_row<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// A clone of the row when the model is `Clone`, else `None`. The in-process tier keeps
    /// rows decoded and answers a hit with a clone, which costs less than decoding the bytes
    /// again. The derive writes it (see `row_clone.rs`); not called directly.
    #[doc(hidden)]
    fn clone_row(&self) -> Option<Self> {
        None
    }
}

/// A unique index of a model: the `N`-th (from 0, in declaration order) of its
/// `#[write_through(unique)]` fields and `#[write_through(unique(a, b))]` groups. The derive
/// implements it, with `find_by_<name>` and `find_many_by_<name>`.
///
/// Indexes are numbered by position: the `unique` fields in the order of the struct, then the
/// `unique(...)` groups in the order of the attribute. Generic code names one by its number:
///
/// ```
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// use write_through::UniqueIndex;
/// # diesel::table! { repos (id) { id -> BigInt, owner_id -> Integer, name -> Text, token -> Text, } }
///
/// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
///          Serialize, Deserialize, WriteThrough)]
/// #[diesel(table_name = repos)]
/// #[write_through(key = "repo:{id}", ttl = "1h", unique(owner_id, name))] // index 1
/// pub struct Repo {
///     pub id: i64,
///     pub owner_id: i32,
///     pub name: String,
///     #[write_through(unique)] // index 0
///     pub token: String,
/// }
///
/// /// The Redis key of the entry a row has in the first index of its model.
/// fn first_entry<M: UniqueIndex<0>>(cache: &Cache, row: &M) -> Option<Vec<u8>> {
///     row.index_value().map(|value| cache.index_key::<M, 0>(value))
/// }
///
/// # fn main() -> Result<(), write_through::Error> {
/// let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let repo = Repo { id: 1, owner_id: 7, name: "write_through".into(), token: "t0k3n".into() };
/// assert_eq!(<Repo as UniqueIndex<0>>::INDEX_NAME, "token");
/// assert_eq!(<Repo as UniqueIndex<1>>::INDEX_NAME, "owner_id_and_name");
/// assert_eq!(first_entry(&cache, &repo).unwrap(), b"wt:#repo%3A%7Bid%7D#token:t0k3n");
/// # Ok(()) }
/// ```
pub trait UniqueIndex<const N: usize>: Cached {
    /// The value looked up, borrowed: `&'a str` for a `String` column, `&'a T` for another
    /// type, a tuple of those for a composite index.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { repos (id) { id -> BigInt, owner_id -> Integer, name -> Text, token -> Nullable<Text>, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = repos)]
    /// # #[write_through(key = "repo:{id}", ttl = "1h", unique(owner_id, name))]
    /// # pub struct Repo {
    /// #     pub id: i64,
    /// #     pub owner_id: i32,
    /// #     pub name: String,
    /// #     #[write_through(unique)]
    /// #     pub token: Option<String>,
    /// # }
    /// use write_through::UniqueIndex;
    ///
    /// // `token: Option<String>` is looked up by `&str`, `unique(owner_id, name)` by a tuple.
    /// let token: <Repo as UniqueIndex<0>>::Value<'_> = "t0k3n";
    /// let owner_and_name: <Repo as UniqueIndex<1>>::Value<'_> = (&7, "write_through");
    /// # let _ = (token, owner_and_name);
    /// ```
    type Value<'a>: Copy + Send + Sync;

    /// The index's name, as in `find_by_<name>` (`email`, `owner_id_and_name`).
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { repos (id) { id -> BigInt, owner_id -> Integer, name -> Text, token -> Nullable<Text>, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = repos)]
    /// # #[write_through(key = "repo:{id}", ttl = "1h", unique(owner_id, name))]
    /// # pub struct Repo {
    /// #     pub id: i64,
    /// #     pub owner_id: i32,
    /// #     pub name: String,
    /// #     #[write_through(unique)]
    /// #     pub token: Option<String>,
    /// # }
    /// use write_through::UniqueIndex;
    ///
    /// fn lookups<M: UniqueIndex<0> + UniqueIndex<1>>() -> [&'static str; 2] {
    ///     [<M as UniqueIndex<0>>::INDEX_NAME, <M as UniqueIndex<1>>::INDEX_NAME]
    /// }
    /// assert_eq!(lookups::<Repo>(), ["token", "owner_id_and_name"]);
    /// ```
    const INDEX_NAME: &'static str;

    /// This row's value; `None` when a nullable column is `NULL` (such a row is in no entry).
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { repos (id) { id -> BigInt, owner_id -> Integer, name -> Text, token -> Nullable<Text>, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = repos)]
    /// # #[write_through(key = "repo:{id}", ttl = "1h", unique(owner_id, name))]
    /// # pub struct Repo {
    /// #     pub id: i64,
    /// #     pub owner_id: i32,
    /// #     pub name: String,
    /// #     #[write_through(unique)]
    /// #     pub token: Option<String>,
    /// # }
    /// use write_through::UniqueIndex;
    ///
    /// let mut repo = Repo { id: 1, owner_id: 7, name: "write_through".into(), token: None };
    /// assert_eq!(<Repo as UniqueIndex<0>>::index_value(&repo), None); // in no entry
    /// repo.token = Some("t0k3n".into());
    /// assert_eq!(<Repo as UniqueIndex<0>>::index_value(&repo), Some("t0k3n"));
    /// assert_eq!(<Repo as UniqueIndex<1>>::index_value(&repo), Some((&7, "write_through")));
    /// ```
    fn index_value(&self) -> Option<Self::Value<'_>>;

    /// Whether this row's value is `value`, compared in Rust (byte for byte for text, whatever
    /// the database's collation says).
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
    /// use write_through::UniqueIndex;
    ///
    /// let user = User { id: 1, email: "ada@example.com".into() };
    /// assert!(<User as UniqueIndex<0>>::has_index_value(&user, "ada@example.com"));
    /// // Another spelling is another value here, even where the database's collation
    /// // would match it (such a lookup is answered from the database, never cached).
    /// assert!(!<User as UniqueIndex<0>>::has_index_value(&user, "Ada@example.com"));
    /// ```
    fn has_index_value(&self, value: Self::Value<'_>) -> bool;

    /// Writes `value` as key parts (the rest of the entry's key is already written).
    ///
    /// The derive writes the parts of a composite value with a `:` between them, each escaped
    /// by [`KeyWriter::part`]; [`Cache::index_key`] shows the whole key:
    ///
    /// [`Cache::index_key`]: crate::Cache::index_key
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { repos (id) { id -> BigInt, owner_id -> Integer, name -> Text, token -> Nullable<Text>, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = repos)]
    /// # #[write_through(key = "repo:{id}", ttl = "1h", unique(owner_id, name))]
    /// # pub struct Repo {
    /// #     pub id: i64,
    /// #     pub owner_id: i32,
    /// #     pub name: String,
    /// #     #[write_through(unique)]
    /// #     pub token: Option<String>,
    /// # }
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// assert_eq!(
    ///     cache.index_key::<Repo, 1>((&7, "a:b")),
    ///     b"wt:#repo%3A%7Bid%7D#owner_id_and_name:7:a%3Ab"
    /// );
    /// # Ok(()) }
    /// ```
    fn write_index_value(value: Self::Value<'_>, key: &mut KeyWriter);
}

/// The queries of unique index `N` on backend `B`, implemented for every derived model and each
/// enabled backend from the statements the derive writes.
///
/// The bound of generic code that looks rows up by an index on the blocking front:
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
/// use diesel::connection::LoadConnection;
/// use write_through::DieselIndex;
///
/// /// The row with the first index's `value`, or an error naming the model and index.
/// fn require<M, C>(conn: &mut C, cache: &Cache, value: M::Value<'_>) -> Result<M, String>
/// where
///     C: Connection + LoadConnection,
///     M: DieselIndex<C::Backend, 0>,
/// {
///     match write_through::blocking::find_by::<M, 0, C>(conn, cache, value) {
///         Ok(Some(row)) => Ok(row),
///         Ok(None) => Err(format!("no {} with this {}", M::MODEL_NAME, M::INDEX_NAME)),
///         Err(error) => Err(error.to_string()),
///     }
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user: User = require(&mut conn, &cache, "ada@example.com")?;
/// # Ok(()) }
/// ```
pub trait DieselIndex<B: Backend, const N: usize>: UniqueIndex<N> + DieselOps<B> {
    /// `SELECT ... WHERE column = value LIMIT 1`.
    ///
    /// The runtime's query; called directly it reads the database alone, bypassing Redis (to
    /// compare with a cached copy, say):
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
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselIndex;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL UNIQUE)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO users VALUES (1, 'ada@example.com'), (2, 'bob@example.com')").execute(&mut conn)?;
    /// let ada = <User as DieselIndex<Sqlite, 0>>::load_by(&mut conn, "ada@example.com")?;
    /// assert_eq!(ada.map(|user| user.id), Some(1));
    /// # Ok(()) }
    /// ```
    fn load_by<C>(conn: &mut C, value: Self::Value<'_>) -> QueryResult<Option<Self>>
    where
        C: Connection<Backend = B> + LoadConnection;

    /// `SELECT ... WHERE column IN (values)` (or `(a = ? AND b = ?) OR ...`), in any order. The
    /// runtime calls it with at most [`crate::blocking::LOAD_MANY_CHUNK`] values.
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
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselIndex;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL UNIQUE)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO users VALUES (1, 'ada@example.com'), (2, 'bob@example.com')").execute(&mut conn)?;
    /// let emails = ["bob@example.com", "ada@example.com", "eve@example.com"];
    /// let found = <User as DieselIndex<Sqlite, 0>>::load_many_by(&mut conn, &emails)?;
    /// let mut ids: Vec<i64> = found.iter().map(|user| user.id).collect();
    /// ids.sort(); // in any order; no row for eve
    /// assert_eq!(ids, [1, 2]);
    /// # Ok(()) }
    /// ```
    fn load_many_by<C>(conn: &mut C, values: &[Self::Value<'_>]) -> QueryResult<Vec<Self>>
    where
        C: Connection<Backend = B> + LoadConnection;
}

/// The queries the cache needs on backend `B`, implemented for every derived model and each
/// enabled backend from the statements the derive writes.
///
/// The bound of generic code over models on the blocking front, for one backend or any:
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
/// use diesel::connection::LoadConnection;
/// use diesel::pg::Pg;
/// use write_through::DieselOps;
///
/// /// Reads rows ahead of a burst of traffic, so that they are served from Redis.
/// fn warm<M, C>(
///     conn: &mut C,
///     cache: &Cache,
///     ids: &[M::Id<'_>],
/// ) -> Result<usize, write_through::Error>
/// where
///     C: Connection + LoadConnection,
///     M: DieselOps<C::Backend>,
/// {
///     let rows = write_through::blocking::find_many::<M, C, _>(conn, cache, ids.iter().copied())?;
///     Ok(rows.iter().flatten().count())
/// }
///
/// /// A helper for models stored on PostgreSQL only.
/// fn on_postgres<M: DieselOps<Pg>>() -> &'static str {
///     M::MODEL_NAME
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let found = warm::<User, _>(&mut conn, &cache, &[&1, &2, &3])?;
/// assert_eq!(on_postgres::<User>(), "User");
/// # Ok(()) }
/// ```
pub trait DieselOps<B: Backend>: Cached {
    /// `SELECT ... WHERE pk = id LIMIT 1`.
    ///
    /// The runtime's query; called directly it reads the database alone, bypassing Redis:
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselOps;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL UNIQUE)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO users VALUES (1, 'ada@example.com'), (2, 'bob@example.com')").execute(&mut conn)?;
    /// let ada: Option<User> = <User as DieselOps<Sqlite>>::load(&mut conn, &1)?;
    /// assert_eq!(ada.unwrap().email, "ada@example.com");
    /// assert!(<User as DieselOps<Sqlite>>::load(&mut conn, &3)?.is_none());
    /// # Ok(()) }
    /// ```
    fn load<C>(conn: &mut C, id: Self::Id<'_>) -> QueryResult<Option<Self>>
    where
        C: Connection<Backend = B> + LoadConnection;

    /// `SELECT ... WHERE pk = id LIMIT 1 FOR UPDATE` (no `FOR UPDATE` on SQLite): the row a
    /// write is about to replace, locked until its transaction ends. A write of a model that
    /// retires other models' rows reads it first (see [`Cached::RETIRES`]).
    fn load_for_update<C>(conn: &mut C, id: Self::Id<'_>) -> QueryResult<Option<Self>>
    where
        C: Connection<Backend = B> + LoadConnection;

    /// `SELECT ... WHERE pk IN (ids)` (or `(a = ? AND b = ?) OR ...` for a composite key), in
    /// any order. The runtime calls it with at most [`crate::blocking::LOAD_MANY_CHUNK`] ids.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselOps;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL UNIQUE)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO users VALUES (1, 'ada@example.com'), (2, 'bob@example.com')").execute(&mut conn)?;
    /// let mut users = <User as DieselOps<Sqlite>>::load_many(&mut conn, &[&2, &1, &3])?;
    /// users.sort_by_key(|user| user.id); // in any order; no row 3
    /// assert_eq!(users.iter().map(|user| user.id).collect::<Vec<_>>(), [1, 2]);
    /// # Ok(()) }
    /// ```
    fn load_many<C>(conn: &mut C, ids: &[Self::Id<'_>]) -> QueryResult<Vec<Self>>
    where
        C: Connection<Backend = B> + LoadConnection;

    /// Inserts the row, or updates its non-key columns (as its `AsChangeset` says) when its
    /// primary key exists, and returns the row as stored: what the cache publishes, so that
    /// database-side defaults, triggers, rounding and skipped `None` fields are never lost.
    /// `None` when the row was deleted before it could be read back (MySQL only, which has no
    /// `RETURNING`).
    ///
    /// With a `#[write_through(version)]` field, updates only where the stored version is this
    /// row's (and bumps it), and fails with [`Error::Conflict`] otherwise.
    ///
    /// Called directly it writes the database alone; `save` is this and the cache's part.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselOps;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL UNIQUE)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO users VALUES (1, 'ada@example.com'), (2, 'bob@example.com')").execute(&mut conn)?;
    /// let ada = User { id: 1, email: "ada@lovelace.example".into() };
    /// let stored = <User as DieselOps<Sqlite>>::upsert(&ada, &mut conn)?; // an update
    /// assert_eq!(stored.unwrap().email, "ada@lovelace.example");
    /// let eve = User { id: 5, email: "eve@example.com".into() };
    /// let stored = <User as DieselOps<Sqlite>>::upsert(&eve, &mut conn)?; // an insert
    /// assert_eq!(stored.unwrap().id, 5);
    /// # Ok(()) }
    /// ```
    fn upsert<C>(&self, conn: &mut C) -> Result<Option<Self>, Error>
    where
        C: Connection<Backend = B> + LoadConnection;

    /// `DELETE ... WHERE pk = id`, returning the number of rows deleted.
    ///
    /// Called directly it writes the database alone; `delete` is this and the cache's part.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselOps;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL UNIQUE)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO users VALUES (1, 'ada@example.com'), (2, 'bob@example.com')").execute(&mut conn)?;
    /// assert_eq!(<User as DieselOps<Sqlite>>::remove(&mut conn, &2)?, 1);
    /// assert_eq!(<User as DieselOps<Sqlite>>::remove(&mut conn, &2)?, 0); // gone already
    /// # Ok(()) }
    /// ```
    fn remove<C>(conn: &mut C, id: Self::Id<'_>) -> QueryResult<usize>
    where
        C: Connection<Backend = B>;
}

/// Inserting a new row `N` whose primary key the database generates, and reading it back.
///
/// On PostgreSQL and SQLite the row comes back through `RETURNING`; on MySQL through
/// `LAST_INSERT_ID()` and a select, which needs a single integer auto-increment key.
///
/// Implemented for every derived model and every `Insertable` of its table; generic code that
/// creates rows is bounded on it:
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
/// /// Creates rows one by one, each cached as it is created.
/// fn create_all<M, C, N>(
///     conn: &mut C,
///     cache: &Cache,
///     news: Vec<N>,
/// ) -> Result<Vec<M>, write_through::Error>
/// where
///     C: Connection,
///     M: write_through::DieselCreate<C::Backend, C, N>,
/// {
///     news.into_iter().map(|new| write_through::blocking::create(conn, cache, new)).collect()
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let users: Vec<User> = create_all(
///     &mut conn,
///     &cache,
///     vec![NewUser { email: "ada@example.com" }, NewUser { email: "bob@example.com" }],
/// )?;
/// # Ok(()) }
/// ```
pub trait DieselCreate<B: Backend, C, N>: Cached
where
    C: Connection<Backend = B>,
{
    /// Inserts `new` and returns the stored row.
    ///
    /// Called directly it writes the database alone; `create` is this and the cache's part.
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
    /// # pub struct User { pub id: i64, pub email: String }
    /// #[derive(Insertable)]
    /// #[diesel(table_name = users)]
    /// pub struct NewUser<'a> { pub email: &'a str }
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL UNIQUE)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO users VALUES (1, 'ada@example.com'), (2, 'bob@example.com')").execute(&mut conn)?;
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselCreate;
    ///
    /// let new = NewUser { email: "eve@example.com" };
    /// let eve: User = <User as DieselCreate<Sqlite, _, _>>::insert_returning(&mut conn, &new)?;
    /// assert_eq!((eve.id, eve.email.as_str()), (3, "eve@example.com")); // the key SQLite chose
    /// # Ok(()) }
    /// ```
    fn insert_returning(conn: &mut C, new: N) -> Result<Self, Error>;
}

/// Updating the row with a given primary key through `F`, any `AsChangeset` of the model's table
/// (an application's update form, whose `None` fields leave their columns alone), and reading
/// back the row as stored: through `RETURNING` on PostgreSQL and SQLite, a select by the key on
/// MySQL.
///
/// Implemented for every derived model and every `AsChangeset` of its table; generic code that
/// updates rows is bounded on it:
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
/// use diesel::connection::LoadConnection;
/// use write_through::DieselUpdate;
///
/// #[derive(AsChangeset)]
/// #[diesel(table_name = users)]
/// pub struct UserUpdateForm<'a> {
///     pub email: Option<&'a str>,
///     pub name: Option<Option<&'a str>>, // Some(None) sets NULL
/// }
///
/// /// Applies one form to several rows, each cached as it is updated.
/// fn update_all<M, C, F: Copy>(
///     conn: &mut C,
///     cache: &Cache,
///     ids: &[M::Id<'_>],
///     form: F,
/// ) -> Result<Vec<M>, write_through::Error>
/// where
///     C: Connection + LoadConnection,
///     M: DieselUpdate<C::Backend, F>,
/// {
///     ids.iter().map(|&id| write_through::blocking::update(conn, cache, id, form)).collect()
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let form = UserUpdateForm { email: None, name: Some(None) };
/// let users: Vec<User> = update_all(&mut conn, &cache, &[&1, &2], &form)?;
/// # Ok(()) }
/// ```
pub trait DieselUpdate<B: Backend, F>: DieselOps<B> {
    /// Updates the row whose key is `id` with `changes` and returns it as stored, or `None` when
    /// no row has that key.
    ///
    /// Called directly it writes the database alone; `update` is this and the cache's part.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { users (id) { id -> BigInt, email -> Text, name -> Nullable<Text>, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = users)]
    /// # #[write_through(key = "user:{id}", ttl = "1h")]
    /// # pub struct User { pub id: i64, pub email: String, pub name: Option<String> }
    /// use diesel::sqlite::Sqlite;
    /// use write_through::DieselUpdate;
    ///
    /// #[derive(AsChangeset)]
    /// #[diesel(table_name = users)]
    /// pub struct UserUpdateForm<'a> {
    ///     pub email: Option<&'a str>,
    ///     pub name: Option<Option<&'a str>>,
    /// }
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish(":memory:")?;
    /// # diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY NOT NULL, email TEXT NOT NULL, name TEXT)").execute(&mut conn)?;
    /// # diesel::sql_query("INSERT INTO users VALUES (1, 'ada@example.com', 'Ada')").execute(&mut conn)?;
    /// let form = UserUpdateForm { email: Some("ada@lovelace.example"), name: Some(None) };
    /// let ada = <User as DieselUpdate<Sqlite, _>>::update_returning(&mut conn, &1, &form)?;
    /// let ada = ada.unwrap();
    /// assert_eq!((ada.email.as_str(), ada.name), ("ada@lovelace.example", None));
    /// assert!(<User as DieselUpdate<Sqlite, _>>::update_returning(&mut conn, &2, &form)?.is_none());
    /// # Ok(()) }
    /// ```
    fn update_returning<C>(
        conn: &mut C,
        id: Self::Id<'_>,
        changes: F,
    ) -> Result<Option<Self>, Error>
    where
        C: Connection<Backend = B> + LoadConnection;
}

/// A model whose `save` takes `&self`: it has no `#[write_through(version)]` field, and its
/// fields are every column of its table (see the README's "Which models `save` writes").
///
/// Implemented for every such derived model (a versioned one is [`SavesInPlace`]; one that
/// selects some columns, or is built on a join, is neither: it is written through `update` and
/// `create`); generic code that saves shared rows is bounded on it:
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
/// use diesel::connection::LoadConnection;
/// use write_through::{DieselOps, SavesByRef};
///
/// /// Saves rows the caller keeps using: `save` only borrows them.
/// fn save_all<M, C>(rows: &[M], conn: &mut C, cache: &Cache) -> Result<(), write_through::Error>
/// where
///     C: Connection + LoadConnection,
///     M: SavesByRef + DieselOps<C::Backend>,
/// {
///     rows.iter().try_for_each(|row| row.save(conn, cache))
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let users = [User { id: 1, email: "ada@example.com".into() }];
/// save_all(&users, &mut conn, &cache)?;
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be saved through `&self`",
    label = "`save` takes `&self` for a model without a version field that holds every column of its table",
    note = "a model with a `#[write_through(version)]` field is saved through `&mut self` (the version is updated); one that selects some of its table's columns, or is built on a join, is written through `Model::update` with a form and `Model::create`"
)]
pub trait SavesByRef: Cached {}

/// A model whose `save` takes `&mut self`: it has a `#[write_through(version)]` field, which
/// `save` updates to the version it wrote, and its fields are every column of its table.
/// Implemented for every such derived model.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { documents (id) { id -> BigInt, body -> Text, version -> Integer, } }
/// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
///          Serialize, Deserialize, WriteThrough)]
/// #[diesel(table_name = documents)]
/// #[write_through(key = "document:{id}", ttl = "1h")]
/// pub struct Document {
///     pub id: i64,
///     pub body: String,
///     #[write_through(version)]
///     #[diesel(skip_update)]
///     pub version: i32,
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let mut document = Document { id: 7, body: "draft".into(), version: 3 };
/// document.save(&mut conn, &cache)?; // stored only if the database still holds version 3
/// assert_eq!(document.version, 4); // the version it wrote
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be saved through `&mut self`",
    label = "`save` takes `&mut self` for a model with a `#[write_through(version)]` field that holds every column of its table",
    note = "a model without a version field is saved through `&self`; one that selects some of its table's columns, or is built on a join, is written through `Model::update` with a form and `Model::create`"
)]
pub trait SavesInPlace: Cached {
    /// Takes the version of `stored`, the row as the database stored it.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { documents (id) { id -> BigInt, body -> Text, version -> Integer, } }
    /// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///          Serialize, Deserialize, WriteThrough)]
    /// #[diesel(table_name = documents)]
    /// #[write_through(key = "document:{id}", ttl = "1h")]
    /// pub struct Document {
    ///     pub id: i64,
    ///     pub body: String,
    ///     #[write_through(version)]
    ///     #[diesel(skip_update)]
    ///     pub version: i32,
    /// }
    /// use write_through::SavesInPlace;
    ///
    /// let mut document = Document { id: 7, body: "final".into(), version: 3 };
    /// // The row as `upsert` returned it:
    /// let stored = Document { id: 7, body: "final".into(), version: 4 };
    /// document.adopt_version(&stored);
    /// assert_eq!(document.version, 4);
    /// ```
    fn adopt_version(&mut self, stored: &Self);
}

#[cfg(feature = "async")]
pub use asynch::{
    AsyncDieselCreate, AsyncDieselIndex, AsyncDieselOps, AsyncDieselUpdate, BoxFuture,
};

#[cfg(feature = "async")]
mod asynch {
    use std::future::Future;

    /// A boxed, `Send` future, as [`AsyncDieselCreate`] returns. Needs the `async` feature.
    ///
    /// A name for a future that a trait method or a `dyn` value returns:
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
    /// use write_through::BoxFuture;
    ///
    /// /// A lookup behind a trait object, as a plugin interface would hold it.
    /// trait Lookup: Send + Sync {
    ///     fn user<'a>(&'a self, conn: &'a mut AsyncPgConnection, id: i64)
    ///         -> BoxFuture<'a, Result<Option<User>, write_through::Error>>;
    /// }
    ///
    /// struct CacheLookup(Cache);
    ///
    /// impl Lookup for CacheLookup {
    ///     fn user<'a>(&'a self, conn: &'a mut AsyncPgConnection, id: i64)
    ///         -> BoxFuture<'a, Result<Option<User>, write_through::Error>> {
    ///         Box::pin(async move {
    ///             write_through::asynch::find::<User, _>(conn, &self.0, &id).await
    ///         })
    ///     }
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let lookup: Box<dyn Lookup> = Box::new(CacheLookup(cache));
    /// let user: Option<User> = lookup.user(&mut conn, 42).await?;
    /// # Ok(()) }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn Future<Output = T> + Send + 'a>>;

    use diesel::QueryResult;
    use diesel::backend::Backend;
    use diesel_async::{AsyncConnection, AsyncConnectionCore};

    use super::{Cached, UniqueIndex};
    use crate::error::Error;

    /// The queries of unique index `N` on backend `B` through diesel-async (see
    /// [`DieselIndex`](super::DieselIndex)). Needs the `async` feature.
    ///
    /// The bound of generic code that looks rows up by an index on the async front:
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
    /// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
    /// use write_through::AsyncDieselIndex;
    ///
    /// /// The row with the first index's `value`, or an error naming the model and index.
    /// async fn require<M, C>(
    ///     conn: &mut C,
    ///     cache: &Cache,
    ///     value: M::Value<'_>,
    /// ) -> Result<M, String>
    /// where
    ///     C: AsyncConnection,
    ///     M: AsyncDieselIndex<C::Backend, 0>,
    /// {
    ///     match write_through::asynch::find_by::<M, 0, C>(conn, cache, value).await {
    ///         Ok(Some(row)) => Ok(row),
    ///         Ok(None) => Err(format!("no {} with this {}", M::MODEL_NAME, M::INDEX_NAME)),
    ///         Err(error) => Err(error.to_string()),
    ///     }
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let user: User = require(&mut conn, &cache, "ada@example.com").await?;
    /// # Ok(()) }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub trait AsyncDieselIndex<B: Backend, const N: usize>:
        UniqueIndex<N> + AsyncDieselOps<B>
    {
        /// `SELECT ... WHERE column = value LIMIT 1`.
        ///
        /// Called directly it reads the database alone, bypassing Redis:
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
        /// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
        /// use diesel::pg::Pg;
        /// use write_through::AsyncDieselIndex;
        ///
        /// # #[tokio::main]
        /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
        /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
        /// let ada: Option<User> =
        ///     <User as AsyncDieselIndex<Pg, 0>>::load_by(&mut conn, "ada@example.com").await?;
        /// # Ok(()) }
        /// ```
        fn load_by<C>(
            conn: &mut C,
            value: Self::Value<'_>,
        ) -> impl Future<Output = QueryResult<Option<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = B>;

        /// `SELECT ... WHERE column IN (values)`, in any order.
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
        /// # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
        /// use diesel::pg::Pg;
        /// use write_through::AsyncDieselIndex;
        ///
        /// # #[tokio::main]
        /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
        /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
        /// let emails = ["ada@example.com", "bob@example.com"];
        /// let users = <User as AsyncDieselIndex<Pg, 0>>::load_many_by(&mut conn, &emails).await?;
        /// assert!(users.len() <= 2); // in any order, none for an email no row has
        /// # Ok(()) }
        /// ```
        fn load_many_by<C>(
            conn: &mut C,
            values: &[Self::Value<'_>],
        ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = B>;
    }

    /// The queries the cache needs on backend `B` through diesel-async: the same as
    /// [`DieselOps`](super::DieselOps), implemented for every derived model and each enabled
    /// backend when the `async` feature is on. Needs the `async` feature.
    ///
    /// The bound of generic code over models on the async front:
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
    /// use write_through::AsyncDieselOps;
    ///
    /// /// Reads rows ahead of a burst of traffic, so that they are served from Redis.
    /// async fn warm<M, C>(
    ///     conn: &mut C,
    ///     cache: &Cache,
    ///     ids: &[M::Id<'_>],
    /// ) -> Result<usize, write_through::Error>
    /// where
    ///     C: AsyncConnection,
    ///     M: AsyncDieselOps<C::Backend>,
    /// {
    ///     let rows =
    ///         write_through::asynch::find_many::<M, C, _>(conn, cache, ids.iter().copied()).await?;
    ///     Ok(rows.iter().flatten().count())
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let found = warm::<User, _>(&mut conn, &cache, &[&1, &2, &3]).await?;
    /// # Ok(()) }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub trait AsyncDieselOps<B: Backend>: Cached + Send + Sync {
        /// `SELECT ... WHERE pk = id LIMIT 1`.
        ///
        /// Called directly it reads the database alone, bypassing Redis:
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
        /// use diesel::pg::Pg;
        /// use write_through::AsyncDieselOps;
        ///
        /// # #[tokio::main]
        /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
        /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
        /// let user: Option<User> = <User as AsyncDieselOps<Pg>>::load(&mut conn, &42).await?;
        /// # Ok(()) }
        /// ```
        fn load<C>(
            conn: &mut C,
            id: Self::Id<'_>,
        ) -> impl Future<Output = QueryResult<Option<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = B>;

        /// `SELECT ... WHERE pk = id LIMIT 1 FOR UPDATE` (no `FOR UPDATE` on SQLite): the row
        /// a write is about to replace, locked until its transaction ends (see
        /// [`Cached::RETIRES`]).
        fn load_for_update<C>(
            conn: &mut C,
            id: Self::Id<'_>,
        ) -> impl Future<Output = QueryResult<Option<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = B>;

        /// `SELECT ... WHERE pk IN (ids)`, in any order.
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
        /// use diesel::pg::Pg;
        /// use write_through::AsyncDieselOps;
        ///
        /// # #[tokio::main]
        /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
        /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
        /// let users: Vec<User> =
        ///     <User as AsyncDieselOps<Pg>>::load_many(&mut conn, &[&1, &2]).await?;
        /// # Ok(()) }
        /// ```
        fn load_many<C>(
            conn: &mut C,
            ids: &[Self::Id<'_>],
        ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = B>;

        /// Inserts or updates the row and returns it as stored (see
        /// [`DieselOps::upsert`](super::DieselOps::upsert)). Called directly it writes the
        /// database alone; `save` is this and the cache's part.
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
        /// use diesel::pg::Pg;
        /// use write_through::AsyncDieselOps;
        ///
        /// # #[tokio::main]
        /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
        /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
        /// let ada = User { id: 1, email: "ada@example.com".into() };
        /// let stored: Option<User> = <User as AsyncDieselOps<Pg>>::upsert(&ada, &mut conn).await?;
        /// # Ok(()) }
        /// ```
        fn upsert<C>(
            &self,
            conn: &mut C,
        ) -> impl Future<Output = Result<Option<Self>, Error>> + Send
        where
            C: AsyncConnection<Backend = B>;

        /// `DELETE ... WHERE pk = id`, returning the number of rows deleted. Called directly it
        /// writes the database alone; `delete` is this and the cache's part.
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
        /// use diesel::pg::Pg;
        /// use write_through::AsyncDieselOps;
        ///
        /// # #[tokio::main]
        /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
        /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
        /// let deleted: usize = <User as AsyncDieselOps<Pg>>::remove(&mut conn, &42).await?;
        /// # Ok(()) }
        /// ```
        fn remove<C>(
            conn: &mut C,
            id: Self::Id<'_>,
        ) -> impl Future<Output = QueryResult<usize>> + Send
        where
            C: AsyncConnection<Backend = B>;
    }

    /// [`DieselUpdate`](super::DieselUpdate) through diesel-async: the update through any
    /// `AsChangeset` of the model's table, and the row as stored. Needs the `async` feature.
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
    /// use diesel_async::AsyncConnection;
    /// use write_through::AsyncDieselUpdate;
    ///
    /// /// Updates a row and says whether it existed.
    /// async fn touch<M, C, F>(
    ///     conn: &mut C,
    ///     cache: &Cache,
    ///     id: M::Id<'_>,
    ///     changes: F,
    /// ) -> Result<bool, write_through::Error>
    /// where
    ///     C: AsyncConnection,
    ///     M: AsyncDieselUpdate<C::Backend, F>,
    ///     F: Send,
    /// {
    ///     match write_through::asynch::update::<M, C, F>(conn, cache, id, changes).await {
    ///         Ok(_) => Ok(true),
    ///         Err(write_through::Error::Database(diesel::result::Error::NotFound)) => Ok(false),
    ///         Err(error) => Err(error),
    ///     }
    /// }
    /// # fn main() {}
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub trait AsyncDieselUpdate<B: Backend, F>: AsyncDieselOps<B> {
        /// Updates the row whose key is `id` with `changes` and returns it as stored, or
        /// `None` when no row has that key.
        fn update_returning<C>(
            conn: &mut C,
            id: Self::Id<'_>,
            changes: F,
        ) -> impl Future<Output = Result<Option<Self>, Error>> + Send
        where
            C: AsyncConnection<Backend = B>;
    }

    /// Inserting a new row `N` whose primary key the database generates, through diesel-async
    /// (see [`DieselCreate`](super::DieselCreate)).
    ///
    /// The future is boxed: its query borrows `new` for a lifetime the impl names (as the
    /// blocking trait's impl does, so that a borrowed `&NewUser` is accepted), and an unboxed
    /// `impl Future` would have to capture that lifetime, which an impl cannot leave
    /// unconstrained. One allocation per `create`, beside a database round trip.
    ///
    /// Needs the `async` feature. The bound of generic code that creates rows on the async
    /// front:
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
    /// /// Creates rows one by one, each cached as it is created.
    /// async fn create_all<M, C, N>(
    ///     conn: &mut C,
    ///     cache: &Cache,
    ///     news: Vec<N>,
    /// ) -> Result<Vec<M>, write_through::Error>
    /// where
    ///     C: AsyncConnection,
    ///     M: write_through::AsyncDieselCreate<C::Backend, C, N>,
    /// {
    ///     let mut rows = Vec::with_capacity(news.len());
    ///     for new in news {
    ///         rows.push(write_through::asynch::create(conn, cache, new).await?);
    ///     }
    ///     Ok(rows)
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let users: Vec<User> = create_all(
    ///     &mut conn,
    ///     &cache,
    ///     vec![NewUser { email: "ada@example.com" }, NewUser { email: "bob@example.com" }],
    /// )
    /// .await?;
    /// # Ok(()) }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub trait AsyncDieselCreate<B: Backend, C, N>: Cached
    where
        C: AsyncConnection<Backend = B>,
    {
        /// Inserts `new` and returns the stored row. Called directly it writes the database
        /// alone; `create` is this and the cache's part.
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
        /// use diesel::pg::Pg;
        /// use write_through::AsyncDieselCreate;
        ///
        /// # #[tokio::main]
        /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
        /// # let mut conn = AsyncPgConnection::establish("postgres://localhost/app").await?;
        /// let new = NewUser { email: "eve@example.com" };
        /// let eve: User =
        ///     <User as AsyncDieselCreate<Pg, _, _>>::insert_returning(&mut conn, &new).await?;
        /// println!("user {} created", eve.id);
        /// # Ok(()) }
        /// ```
        fn insert_returning<'f>(
            conn: &'f mut C,
            new: N,
        ) -> crate::model::BoxFuture<'f, Result<Self, Error>>
        where
            N: 'f;
    }
}

impl RetiredKeys<'_> {
    /// The row of `M` with key `id` is retired: the derive's `write_retired_keys` calls it for
    /// each `retires(M, foreign_key = field)`, as `keys.row::<M>(&self.field)`.
    pub fn row<M: Cached>(&mut self, id: M::Id<'_>) {
        let mut key = KeyWriter::new(self.namespace);
        M::write_key(id, &mut key);
        self.keys.push(key.into_bytes());
    }
}

impl IndexKeys<'_> {
    /// Adds the entry of `value` in unique index `N` of `M`: the key
    /// [`Cache::index_key::<M, N>(value)`](crate::Cache::index_key) names. The derive's
    /// `write_index_keys` calls it for each index, as
    /// `keys.add::<Self, 0>(value)`, when the row's value is not `NULL`:
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { repos (id) { id -> BigInt, owner_id -> Integer, name -> Text, token -> Nullable<Text>, } }
    /// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///          Serialize, Deserialize, WriteThrough)]
    /// #[diesel(table_name = repos)]
    /// #[write_through(key = "repo:{id}", ttl = "1h", unique(owner_id, name))] // index 1
    /// pub struct Repo {
    ///     pub id: i64,
    ///     pub owner_id: i32,
    ///     pub name: String,
    ///     #[write_through(unique)] // index 0
    ///     pub token: Option<String>,
    /// }
    /// use write_through::UniqueIndex;
    ///
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let repo = Repo { id: 1, owner_id: 7, name: "wt".into(), token: Some("t0k3n".into()) };
    /// let token = <Repo as UniqueIndex<0>>::index_value(&repo).unwrap();
    /// // The key `keys.add::<Repo, 0>(token)` adds, locked by every save of this row:
    /// assert_eq!(cache.index_key::<Repo, 0>(token), b"wt:#repo%3A%7Bid%7D#token:t0k3n");
    /// # Ok(()) }
    /// ```
    pub fn add<M: UniqueIndex<N>, const N: usize>(&mut self, value: M::Value<'_>) {
        self.keys.push(entry_key::<M, N>(self.namespace, value));
    }
}

/// The Redis key of the entry of `value` in index `N` of `M`. Row keys never start with `#`
/// after the namespace (the derive refuses such templates), so entries never share a key with
/// rows; the template, escaped, keeps two models' entries apart.
pub(crate) fn entry_key<M: UniqueIndex<N>, const N: usize>(
    namespace: &str,
    value: M::Value<'_>,
) -> Vec<u8> {
    let mut key = KeyWriter::new(namespace);
    key.literal("#");
    key.part(M::KEY_TEMPLATE);
    key.literal("#");
    key.literal(M::INDEX_NAME);
    key.literal(":");
    M::write_index_value(value, &mut key);
    key.into_bytes()
}

/// `serialize_row` and `deserialize_row` through the type's own serde derive, for the crate's
/// own test and fuzzing models, which implement [`Cached`] by hand.
#[cfg(any(test, feature = "fuzzing"))]
macro_rules! rows_by_serde {
    () => {
        fn serialize_row<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serde::Serialize::serialize(self, serializer)
        }

        fn deserialize_row<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Self, D::Error> {
            serde::Deserialize::deserialize(deserializer)
        }
    };
}
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) use rows_by_serde;
