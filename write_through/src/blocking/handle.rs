//! The blocking front's operations on the cache handle itself: the health check and the
//! invalidations of writes that bypassed the library. (The async front's are
//! `asynch::{ping, invalidate, invalidate_index}`.)

use crate::cache::Cache;
use crate::drive;
use crate::error::CacheError;
use crate::model::Cached;
use crate::redis::commands;
use crate::redis::store::BlockingExec;
use crate::shared::ready::ready;

impl Cache {
    /// Sends `PING`: `Ok` when Redis answers within the timeouts. Nothing else needs it (the
    /// cache works, uncached, while Redis is down); it is a health check. It blocks its thread;
    /// an async service awaits `write_through::asynch::ping` instead.
    ///
    /// ```no_run
    /// # let cache = write_through::Cache::open("redis://127.0.0.1:6379").unwrap();
    /// if let Err(error) = cache.ping() {
    ///     eprintln!("Redis is down, serving from the database: {error}");
    /// }
    /// ```
    pub fn ping(&self) -> Result<(), CacheError> {
        ready(commands::ping(&BlockingExec(&self.inner().store)))
    }

    /// Deletes the cached value of one row, for writes that bypassed the library (a migration,
    /// another service, `psql`). If a writer of this library holds the key, its lock becomes
    /// contended instead, so that it cannot publish a row older than the bypassing write. When
    /// Redis cannot be reached the invalidation is owed and delivered before this cache sends
    /// anything else to Redis, and the error is returned for information. It blocks its thread
    /// for the round trip; an async service awaits `write_through::asynch::invalidate`.
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
    /// // A fix made by hand, outside the library: drop the cached copy afterwards.
    /// diesel::update(users::table.find(42)).set(users::email.eq("fixed@example.com")).execute(&mut conn)?;
    /// cache.invalidate::<User>(&42)?;
    /// assert_eq!(cache.key::<User>(&42), b"wt:user:42");
    /// # Ok(()) }
    /// ```
    pub fn invalidate<M: Cached>(&self, id: M::Id<'_>) -> Result<(), CacheError> {
        let exec = BlockingExec(&self.inner().store);
        ready(drive::invalidate(&exec, self.inner(), self.key::<M>(id)))
    }

    /// Deletes the cached entry of `value` in unique index `N` of `M`, for writes that
    /// bypassed the library and gave a row a value that may be cached as absent (a changed
    /// or deleted row needs only [`Cache::invalidate`]: an entry pointing at it is verified
    /// against the row). Owed when Redis cannot be reached, as for [`Cache::invalidate`]. `N`
    /// is the index's position among the model's indexes: its `unique` fields in order, then
    /// its `unique(...)` groups.
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
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish("app.sqlite")?;
    /// # let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// // A row inserted by hand, outside the library: "new@example.com" may be cached as
    /// // belonging to no user, so drop that entry afterwards.
    /// diesel::insert_into(users::table)
    ///     .values((users::id.eq(43), users::email.eq("new@example.com")))
    ///     .execute(&mut conn)?;
    /// cache.invalidate_index::<User, 0>("new@example.com")?;
    /// # Ok(()) }
    /// ```
    pub fn invalidate_index<M: crate::model::UniqueIndex<N>, const N: usize>(
        &self,
        value: M::Value<'_>,
    ) -> Result<(), CacheError> {
        let key = self.index_key::<M, N>(value);
        let exec = BlockingExec(&self.inner().store);
        ready(drive::invalidate(&exec, self.inner(), key))
    }

    /// Deletes the cached collection `N` of `parent` (`#[write_through(collection(by =
    /// ...))]`), for writes that bypassed the library and gave a row that parent (an insert, or
    /// a row moved to it; a row deleted or moved away needs only [`Cache::invalidate`]: a
    /// collection's members are verified against their rows). Owed when Redis cannot be
    /// reached, as for [`Cache::invalidate`]. `N` is the collection's position among the
    /// model's `collection(...)` attributes.
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
    /// // A comment inserted by hand, outside the library: post 7's cached list lacks it.
    /// diesel::insert_into(comments::table)
    ///     .values((comments::id.eq(43), comments::post_id.eq(7), comments::body.eq("hi")))
    ///     .execute(&mut conn)?;
    /// cache.invalidate_collection::<Comment, 0>(&7)?;
    /// # Ok(()) }
    /// ```
    pub fn invalidate_collection<M: crate::model_collection::Collection<N>, const N: usize>(
        &self,
        parent: M::Parent<'_>,
    ) -> Result<(), CacheError> {
        let key = self.collection_key::<M, N>(parent);
        let exec = BlockingExec(&self.inner().store);
        ready(drive::invalidate(&exec, self.inner(), key))
    }
}
