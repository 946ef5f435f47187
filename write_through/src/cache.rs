//! The `Cache` handle and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use crate::core::policy::WritePolicy;
use crate::core::policy::{Jitter, ValueRules};
use crate::error::{ConfigError, Error};
use crate::local::ModelTier;
use crate::model::Cached;
use crate::redacted::RedisUrl;
use crate::redis::commands::Replaced;
use crate::redis::connection::RedisClient;
use crate::redis::store::Store;
use crate::shared::flight::Flights;
use crate::shared::frames::Frames;
use crate::stats::Stats;

/// A handle to the Redis cache: cheap to clone, shared by all threads.
///
/// ```no_run
/// # fn main() -> Result<(), write_through::Error> {
/// let cache = write_through::Cache::open("redis://127.0.0.1:6379")?;
/// cache.ping()?; // optional: fail fast at start-up when Redis is down
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Cache {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) namespace: String,
    pub(crate) write_policy: WritePolicy,
    pub(crate) max_value_bytes: usize,
    pub(crate) ttl_jitter: f64,
    pub(crate) lock_ttl: Duration,
    pub(crate) lease_ttl: Duration,
    pub(crate) lease_wait: Duration,
    pub(crate) store: Store,
    pub(crate) flights: Flights,
    pub(crate) frames: Frames<Replaced>,
    /// The in-process tier; `None` on a cluster or with `local_capacity(0)`.
    pub(crate) local: Option<crate::local::LocalTier>,
    /// Whether writes on PostgreSQL are marked in the log for the change feed
    /// (`crate::feed::mark`): set by [`CacheBuilder::mark_writes_for_feed`], and by a feed
    /// started from this cache.
    pub(crate) marks_writes: std::sync::atomic::AtomicBool,
    url: RedisUrl,
}

impl Inner {
    /// Whether writes are marked for the change feed now.
    pub(crate) fn marks_writes(&self) -> bool {
        self.marks_writes.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Inner {
    /// The in-process tier as `M`'s read may use it now (see `LocalTier::for_model`).
    pub(crate) fn local_for<M: Cached>(&self) -> Option<ModelTier<'_>> {
        self.local.as_ref()?.for_model::<M>()
    }

    /// Retires this process's entry for `key` (see `LocalTier::evict`).
    pub(crate) fn evict_local(&self, key: &[u8]) {
        if let Some(local) = &self.local {
            local.evict(key);
        }
    }

    /// The rules every value is written with (size, TTL spread), as the core takes them.
    pub(crate) fn value_rules(&self) -> ValueRules {
        ValueRules {
            max_value_bytes: self.max_value_bytes,
            jitter: Jitter {
                fraction: self.ttl_jitter,
                draw: crate::jitter::unit,
            },
        }
    }
}

impl Cache {
    /// Opens a cache on the Redis at `url` with default settings. No connection is made until
    /// the first command, so an application can start while Redis is down.
    ///
    /// The URL is a redis-rs URL: `redis://[user:password@]host[:port][/db]`, or `rediss://` for
    /// TLS (feature `tls`). One that cannot be parsed is an [`Error::Config`] (whose message
    /// leaves the password out).
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use write_through::{Cache, Error};
    ///
    /// let cache = Cache::open("redis://127.0.0.1:6379")?; // no connection yet: Redis may be down
    /// assert_eq!(cache.namespace(), "wt");
    /// assert!(matches!(Cache::open("not a url"), Err(Error::Config(_))));
    /// # Ok(()) }
    /// ```
    pub fn open(url: &str) -> Result<Self, Error> {
        Self::builder(url).build()
    }

    /// Opens a cache on a Redis Cluster, given the URLs of some of its nodes (the others are
    /// discovered). Needs the `cluster` feature.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = write_through::Cache::cluster(&["redis://10.0.0.1:7000", "redis://10.0.0.2:7000"])?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "cluster")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cluster")))]
    pub fn cluster(urls: &[&str]) -> Result<Self, Error> {
        Self::cluster_builder(urls).build()
    }

    /// Starts configuring a cache on a Redis Cluster (see [`Cache::cluster`]). Needs the
    /// `cluster` feature.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = write_through::Cache::cluster_builder(&["redis://10.0.0.1:7000"])
    ///     .namespace("app")
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "cluster")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cluster")))]
    pub fn cluster_builder(urls: &[&str]) -> CacheBuilder {
        let mut builder = Self::builder(urls.first().copied().unwrap_or_default());
        builder.cluster_urls = urls.iter().map(|url| RedisUrl::new(url)).collect();
        if urls.is_empty() {
            builder.cluster_urls.push(RedisUrl::new(""));
        }
        builder
    }

    /// Starts configuring a cache on the Redis at `url`; [`CacheBuilder`] lists every setting
    /// and its default.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use std::time::Duration;
    ///
    /// let cache = write_through::Cache::builder("redis://127.0.0.1:6379")
    ///     .namespace("billing")
    ///     .io_timeout(Duration::from_millis(200))
    ///     .build()?;
    /// assert_eq!(cache.namespace(), "billing");
    /// # Ok(()) }
    /// ```
    pub fn builder(url: &str) -> CacheBuilder {
        CacheBuilder {
            url: RedisUrl::new(url),
            cluster_urls: Vec::new(),
            namespace: DEFAULT_NAMESPACE.to_owned(),
            connect_timeout: Duration::from_millis(500),
            io_timeout: Duration::from_millis(500),
            max_idle_connections: 16,
            max_value_bytes: 16 * 1024 * 1024,
            ttl_jitter: DEFAULT_TTL_JITTER,
            write_policy: WritePolicy::default(),
            lock_ttl: Duration::from_secs(10),
            lease_ttl: Duration::from_secs(2),
            lease_wait: Duration::from_millis(50),
            breaker_cooldown: Duration::from_secs(1),
            local_capacity: None,
            local_ttls: std::collections::HashMap::new(),
            mark_writes_for_feed: false,
            #[cfg(feature = "tls")]
            tls_root_certificate: None,
        }
    }

    /// The prefix of every key this cache writes: `"wt"` unless
    /// [`CacheBuilder::namespace`] set another.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = write_through::Cache::builder("redis://127.0.0.1:6379").namespace("app").build()?;
    /// assert_eq!(cache.namespace(), "app");
    /// # Ok(()) }
    /// ```
    pub fn namespace(&self) -> &str {
        &self.inner.namespace
    }

    /// The counters since this cache was opened, shared by all its clones.
    ///
    /// ```no_run
    /// # let cache = write_through::Cache::open("redis://127.0.0.1:6379").unwrap();
    /// let stats = cache.stats();
    /// let reads = stats.hits + stats.negative_hits + stats.misses;
    /// println!("hit ratio {:.2}", (stats.hits + stats.negative_hits) as f64 / reads.max(1) as f64);
    /// ```
    pub fn stats(&self) -> Stats {
        let store = &self.inner.store;
        store.counters.snapshot(store.owed_invalidations() as u64)
    }

    /// The full Redis key of the `M` row with primary key `id`: the namespace, then the model's
    /// key template filled in. For looking at a row with `redis-cli`, or in tests.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { memberships (org_id, user_id) { org_id -> BigInt, user_id -> BigInt, role -> Text, } }
    /// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///          Serialize, Deserialize, WriteThrough)]
    /// #[diesel(table_name = memberships, primary_key(org_id, user_id))]
    /// #[write_through(key = "org:{org_id}:member:{user_id}", ttl = "1h")]
    /// pub struct Membership { pub org_id: i64, pub user_id: i64, pub role: String }
    ///
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::builder("redis://127.0.0.1:6379").namespace("app").build()?;
    /// assert_eq!(cache.key::<Membership>((&7, &42)), b"app:org:7:member:42");
    /// # Ok(()) }
    /// ```
    pub fn key<M: Cached>(&self, id: M::Id<'_>) -> Vec<u8> {
        crate::core::key::key_of::<M>(&self.inner.namespace, id)
    }

    /// Whether the in-process tier is in use now: its invalidation channel is subscribed and
    /// keeping up. While it is not (at start-up, after a disconnection), finds go to Redis. Always
    /// `false` when no model uses the tier yet (its subscriber starts on the first find of one),
    /// on a cluster, and with `local_capacity(0)`.
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { flags (id) { id -> BigInt, on -> Bool, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = flags)]
    /// # #[write_through(key = "flag:{id}", ttl = "1h", local = "5s")]
    /// # pub struct Flag { pub id: i64, pub on: bool }
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut conn = SqliteConnection::establish("app.sqlite")?;
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// assert!(!cache.local_tier_is_live(), "no find of a local model yet");
    /// Flag::find(&mut conn, &cache, &1)?;   // starts the subscriber; this find goes to Redis
    /// std::thread::sleep(Duration::from_millis(100));
    /// println!("served locally from now on: {}", cache.local_tier_is_live());
    /// # Ok(()) }
    /// ```
    pub fn local_tier_is_live(&self) -> bool {
        self.inner.local.as_ref().is_some_and(|l| l.is_live())
    }

    /// The full Redis key of the entry of `value` in unique index `N` of `M`
    /// (`#[write_through(unique)]`). `N` is the index's position among the model's indexes:
    /// its `unique` fields in order, then its `unique(...)` groups. For looking at an entry
    /// with `redis-cli`, or in tests.
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
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// // `#`, the model's key template, `#`, the index's name, then the value.
    /// assert_eq!(
    ///     cache.index_key::<User, 0>("a@b.c"),
    ///     b"wt:#user%3A%7Bid%7D#email:a@b.c"
    /// );
    /// # Ok(()) }
    /// ```
    pub fn index_key<M: crate::model::UniqueIndex<N>, const N: usize>(
        &self,
        value: M::Value<'_>,
    ) -> Vec<u8> {
        crate::model::entry_key::<M, N>(&self.inner.namespace, value)
    }

    /// The Redis key of `parent`'s collection `N` of `M` (`#[write_through(collection(by =
    /// ...))]`, see [`crate::collection`]): `#`, the model's key template, `#all_by.`, the
    /// collection's field, then the parent's key.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { comments (id) { id -> BigInt, post_id -> BigInt, body -> Text, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = comments)]
    /// # #[write_through(key = "comment:{id}", ttl = "1h", collection(by = post_id))]
    /// # pub struct Comment { pub id: i64, pub post_id: i64, pub body: String }
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// assert_eq!(
    ///     cache.collection_key::<Comment, 0>(&7),
    ///     b"wt:#comment%3A%7Bid%7D#all_by.post_id:7"
    /// );
    /// # Ok(()) }
    /// ```
    pub fn collection_key<M: crate::model_collection::Collection<N>, const N: usize>(
        &self,
        parent: M::Parent<'_>,
    ) -> Vec<u8> {
        crate::model_collection::collection_key::<M, N>(&self.inner.namespace, parent)
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

impl Drop for Inner {
    /// The last handle is going: one last try to deliver what is owed to Redis.
    fn drop(&mut self) {
        self.store.flush_owed();
    }
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("url", &self.inner.url)
            .field("namespace", &self.inner.namespace)
            .field("write_policy", &self.inner.write_policy)
            .finish_non_exhaustive()
    }
}

const DEFAULT_NAMESPACE: &str = "wt";
/// See [`CacheBuilder::ttl_jitter`].
const DEFAULT_TTL_JITTER: f64 = 0.1;

/// Settings for a [`Cache`]; start with [`Cache::builder`]. Every setting has a default; the
/// values below are the defaults, except the namespace and the policy.
///
/// ```no_run
/// use std::time::Duration;
/// use write_through::{Cache, WritePolicy};
///
/// # fn main() -> Result<(), write_through::Error> {
/// let cache = Cache::builder("redis://:secret@127.0.0.1:6379/0")
///     .namespace("shop")                           // keys are shop:{template}
///     .connect_timeout(Duration::from_millis(500))
///     .io_timeout(Duration::from_millis(500))
///     .max_idle_connections(16)
///     .max_value_bytes(16 * 1024 * 1024)           // larger values are not decoded
///     .write_policy(WritePolicy::Strict)           // refuse writes Redis cannot see
///     .lock_ttl(Duration::from_secs(10))
///     .lease_ttl(Duration::from_secs(2))
///     .lease_wait(Duration::from_millis(50))
///     .breaker_cooldown(Duration::from_secs(1))
///     .ttl_jitter(0.1)
///     .build()?;                                   // Err(Error::Config) for a bad value
/// println!("{cache:?}");                           // the password prints as ***
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until build() is called"]
pub struct CacheBuilder {
    url: RedisUrl,
    /// The seed nodes of a Redis Cluster; empty for one Redis.
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    cluster_urls: Vec<RedisUrl>,
    namespace: String,
    connect_timeout: Duration,
    io_timeout: Duration,
    max_idle_connections: usize,
    max_value_bytes: usize,
    ttl_jitter: f64,
    write_policy: WritePolicy,
    lock_ttl: Duration,
    lease_ttl: Duration,
    lease_wait: Duration,
    breaker_cooldown: Duration,
    /// Entries of the in-process tier; `None` until set (the default capacity, and no error
    /// on a cluster).
    local_capacity: Option<u64>,
    /// Local TTLs set with [`CacheBuilder::local`].
    local_ttls: std::collections::HashMap<std::any::TypeId, Duration>,
    mark_writes_for_feed: bool,
    /// PEM root certificate(s) to trust for `rediss://` instead of the system's.
    #[cfg(feature = "tls")]
    tls_root_certificate: Option<Vec<u8>>,
}

impl CacheBuilder {
    /// The prefix of every key (default `"wt"`): one namespace per application or tenant.
    ///
    /// ASCII letters, digits, `_`, `-` and `.` only, so that no namespace is a prefix of
    /// another's keys.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use write_through::{Cache, Error};
    /// let cache = Cache::builder("redis://127.0.0.1:6379").namespace("shop").build()?;
    /// assert_eq!(cache.namespace(), "shop");
    /// // "shop:eu" would share a prefix with "shop"'s keys.
    /// let refused = Cache::builder("redis://127.0.0.1:6379").namespace("shop:eu").build();
    /// assert!(matches!(refused, Err(Error::Config(_))));
    /// # Ok(()) }
    /// ```
    pub fn namespace(mut self, namespace: &str) -> Self {
        namespace.clone_into(&mut self.namespace);
        self
    }

    /// How long to wait for a new TCP connection to Redis (default 500 ms).
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use std::time::Duration;
    /// let cache = write_through::Cache::builder("redis://127.0.0.1:6379")
    ///     .connect_timeout(Duration::from_secs(2))   // a Redis across a datacenter
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for Redis to accept a command or answer it (default 500 ms).
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use std::time::Duration;
    /// use write_through::Cache;
    /// let cache = Cache::builder("redis://127.0.0.1:6379").io_timeout(Duration::from_millis(100)).build()?;
    /// assert!(Cache::builder("redis://127.0.0.1:6379").io_timeout(Duration::ZERO).build().is_err());
    /// # Ok(()) }
    /// ```
    pub fn io_timeout(mut self, timeout: Duration) -> Self {
        self.io_timeout = timeout;
        self
    }

    /// How many idle Redis connections to keep for reuse (default 16).
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// // A blocking service with 64 worker threads keeps a connection per thread.
    /// let cache = write_through::Cache::builder("redis://127.0.0.1:6379").max_idle_connections(64).build()?;
    /// # Ok(()) }
    /// ```
    pub fn max_idle_connections(mut self, count: usize) -> Self {
        self.max_idle_connections = count;
        self
    }

    /// The largest value the cache will decode (default 16 MiB); larger values are misses.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = write_through::Cache::builder("redis://127.0.0.1:6379")
    ///     .max_value_bytes(1024 * 1024)   // rows are small here: anything larger is not ours
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn max_value_bytes(mut self, bytes: usize) -> Self {
        self.max_value_bytes = bytes;
        self
    }

    /// Spreads the expiry of cached values (default 0.1): each row or absence is cached for its
    /// model's TTL shortened by a random fraction of it up to `fraction`, so rows cached together
    /// (a `find_many`, a bulk save) do not all expire in the same second and stampede the
    /// database. `0.0` turns it off; it must be in `0.0..1.0`. Locks and leases are not spread.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use write_through::Cache;
    /// // A row of a 1 h model lives between 48 and 60 minutes.
    /// let cache = Cache::builder("redis://127.0.0.1:6379").ttl_jitter(0.2).build()?;
    /// let exact = Cache::builder("redis://127.0.0.1:6379").ttl_jitter(0.0).build()?;
    /// assert!(Cache::builder("redis://127.0.0.1:6379").ttl_jitter(1.0).build().is_err());
    /// # Ok(()) }
    /// ```
    pub fn ttl_jitter(mut self, fraction: f64) -> Self {
        self.ttl_jitter = fraction;
        self
    }

    /// What a write does when Redis is unreachable (default [`WritePolicy::Available`]).
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use write_through::{Cache, WritePolicy};
    /// // A write Redis cannot see is refused, and the database is left unchanged.
    /// let cache = Cache::builder("redis://127.0.0.1:6379").write_policy(WritePolicy::Strict).build()?;
    /// # Ok(()) }
    /// ```
    pub fn write_policy(mut self, policy: WritePolicy) -> Self {
        self.write_policy = policy;
        self
    }

    /// How long a writer's lock lives (default 10 s). While a key is locked, reads go to the
    /// database; a lock left by a process that died between its commit and its publish
    /// expires after this long. A lock that expires early is safe, only less efficient: the
    /// publish then deletes instead of setting.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use std::time::Duration;
    /// use write_through::Cache;
    /// // Statements are cut at 5 s (PostgreSQL's statement_timeout): a lock outlives any write.
    /// let cache = Cache::builder("redis://127.0.0.1:6379").lock_ttl(Duration::from_secs(6)).build()?;
    /// assert!(Cache::builder("redis://127.0.0.1:6379").lock_ttl(Duration::from_millis(10)).build().is_err());
    /// # Ok(()) }
    /// ```
    pub fn lock_ttl(mut self, ttl: Duration) -> Self {
        self.lock_ttl = ttl;
        self
    }

    /// How long a reader's fill lease lives (default 2 s): longer than a database read.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use std::time::Duration;
    /// let cache = write_through::Cache::builder("redis://127.0.0.1:6379")
    ///     .lease_ttl(Duration::from_secs(5))   // slow reads: a lease outlives the query
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn lease_ttl(mut self, ttl: Duration) -> Self {
        self.lease_ttl = ttl;
        self
    }

    /// How long a `find` waits for another reader's fill, a writer's publish, or writers that
    /// met on the key to finish (it then fills the key), before reading the database itself
    /// without filling (default 50 ms). A reader that then loses the race to fill the key
    /// waits once more for the winner's fill.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use std::time::Duration;
    /// use write_through::Cache;
    /// let cache = Cache::builder("redis://127.0.0.1:6379").lease_wait(Duration::from_millis(20)).build()?;
    /// // A wait longer than the lease it waits on is refused.
    /// let refused = Cache::builder("redis://127.0.0.1:6379")
    ///     .lease_ttl(Duration::from_secs(1))
    ///     .lease_wait(Duration::from_secs(2))
    ///     .build();
    /// assert!(refused.is_err());
    /// # Ok(()) }
    /// ```
    pub fn lease_wait(mut self, wait: Duration) -> Self {
        self.lease_wait = wait;
        self
    }

    /// After three consecutive failures to reach Redis, cache calls fail at once for this long
    /// (default 1 s) instead of each waiting out its timeout; then one call probes Redis again.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use std::time::Duration;
    /// let cache = write_through::Cache::builder("redis://127.0.0.1:6379")
    ///     .breaker_cooldown(Duration::from_secs(5))   // probe a dead Redis less often
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn breaker_cooldown(mut self, cooldown: Duration) -> Self {
        self.breaker_cooldown = cooldown;
        self
    }

    /// How many rows the in-process tier holds at most (default 10 000), over all the models that
    /// use it; the least useful go first (TinyLFU). `0` turns the tier off in this process (it
    /// still announces its writes to the tiers of other processes). Refused on a cluster.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = write_through::Cache::builder("redis://127.0.0.1:6379")
    ///     .local_capacity(0)   // this process serves nothing locally
    ///     .build()?;
    /// assert!(!cache.local_tier_is_live());
    /// # Ok(()) }
    /// ```
    pub fn local_capacity(mut self, entries: u64) -> Self {
        self.local_capacity = Some(entries);
        self
    }

    /// Serves `M` from the in-process tier for up to `ttl` per entry, as
    /// `#[write_through(local = "...")]` on the model would (this overrides it; a zero `ttl`
    /// keeps `M` out of the tier). Refused on a cluster.
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { flags (id) { id -> BigInt, on -> Bool, } }
    /// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    /// #          Serialize, Deserialize, WriteThrough)]
    /// # #[diesel(table_name = flags)]
    /// # #[write_through(key = "flag:{id}", ttl = "1h")]
    /// # pub struct Flag { pub id: i64, pub on: bool }
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::builder("redis://127.0.0.1:6379")
    ///     .local::<Flag>(Duration::from_secs(5))
    ///     .local_capacity(50_000)
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn local<M: Cached>(mut self, ttl: Duration) -> Self {
        self.local_ttls.insert(std::any::TypeId::of::<M>(), ttl);
        self
    }

    /// Trusts these PEM root certificates for a `rediss://` URL (a private CA or a self-signed
    /// server certificate) instead of the system's. Needs the `tls` feature.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let ca = std::fs::read("/etc/redis/ca.pem")?;
    /// let cache = write_through::Cache::builder("rediss://cache.internal:6380")
    ///     .tls_root_certificate(&ca)
    ///     .build()?;
    /// cache.ping()?;   // Err when the server's certificate is not signed by that CA
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "tls")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tls")))]
    pub fn tls_root_certificate(mut self, pem: &[u8]) -> Self {
        self.tls_root_certificate = Some(pem.to_vec());
        self
    }

    /// Marks every write this cache makes on PostgreSQL in the database's log (default off), so
    /// that a change feed ([`crate::feed`]) leaves in place the values those writes publish:
    /// without the mark, the feed retires each write's keys again when its commit comes through
    /// the log, and the next read of the row is a miss.
    ///
    /// A feed started from this cache (embedded) turns it on by itself; set it on the caches of
    /// the services that write when the feed runs elsewhere (a sidecar). It costs each write a
    /// statement in its transaction (`pg_logical_emit_message`), and a write outside a
    /// transaction runs in one of its own (`BEGIN` and `COMMIT`): see BENCHMARKS.md. Writes on
    /// MySQL, MariaDB and SQLite are not marked.
    ///
    /// ```
    /// # fn main() -> Result<(), write_through::Error> {
    /// use write_through::Cache;
    /// let cache = Cache::builder("redis://127.0.0.1:6379").mark_writes_for_feed(true).build()?;
    /// # Ok(()) }
    /// ```
    pub fn mark_writes_for_feed(mut self, mark: bool) -> Self {
        self.mark_writes_for_feed = mark;
        self
    }

    /// Checks the settings and creates the cache. Connects lazily: a Redis that is down is met
    /// by the first operation (which then goes to the database alone), not here.
    ///
    /// ```
    /// use std::time::Duration;
    /// use write_through::{Cache, Error};
    ///
    /// let refused = Cache::builder("redis://127.0.0.1:6379")
    ///     .lease_ttl(Duration::from_millis(10))
    ///     .build();
    /// match refused {
    ///     Err(Error::Config(error)) => assert!(error.to_string().contains("lease_ttl")),
    ///     other => panic!("{other:?}"),
    /// }
    /// // Nothing listens on port 1, yet the cache is built.
    /// assert!(Cache::builder("redis://127.0.0.1:1").build().is_ok());
    /// ```
    pub fn build(self) -> Result<Cache, Error> {
        validate_namespace(&self.namespace)?;
        for (name, timeout) in [
            ("connect_timeout", self.connect_timeout),
            ("io_timeout", self.io_timeout),
        ] {
            if timeout.is_zero() {
                return Err(ConfigError(format!("{name} must be longer than zero")).into());
            }
        }
        let day = Duration::from_secs(86_400);
        for (name, ttl) in [("lock_ttl", self.lock_ttl), ("lease_ttl", self.lease_ttl)] {
            if ttl < Duration::from_millis(100) || ttl > day {
                return Err(
                    ConfigError(format!("{name} must be between 100 ms and one day")).into(),
                );
            }
        }
        if !(0.0..1.0).contains(&self.ttl_jitter) {
            return Err(ConfigError("ttl_jitter must be at least 0.0 and below 1.0".into()).into());
        }
        if self.lease_wait > self.lease_ttl {
            return Err(ConfigError("lease_wait must not be longer than lease_ttl".into()).into());
        }
        // The client's own error could quote the URL; say only what is wrong.
        let client = self.client().map_err(|e| {
            ConfigError(format!(
                "the Redis URL {} is not valid ({:?})",
                self.url.redacted(),
                e.kind()
            ))
        })?;
        let single = match &client {
            RedisClient::Single(client) => Some(client.clone()),
            #[cfg(feature = "cluster")]
            RedisClient::Cluster(_) => None,
        };
        if single.is_none() && (self.local_capacity.is_some() || !self.local_ttls.is_empty()) {
            return Err(ConfigError(
                "the in-process tier does not work on a Redis Cluster (its invalidations would be broadcast to every node): remove local_capacity and local".into(),
            )
            .into());
        }
        let mut store = Store::new(
            client,
            self.max_idle_connections,
            self.connect_timeout,
            self.io_timeout,
            self.breaker_cooldown,
        );
        let channel = crate::local::channel(&self.namespace);
        let local = match single {
            Some(client) => {
                // Every cache on one Redis announces its writes, whether or not it uses the tier
                // itself: other processes' tiers depend on it.
                let origin = crate::token::Token::new();
                store.announce = [origin.as_bytes(), channel.as_slice()].concat();
                let capacity = self
                    .local_capacity
                    .unwrap_or(crate::local::DEFAULT_CAPACITY);
                (capacity > 0).then(|| {
                    crate::local::LocalTier::new(
                        capacity,
                        self.local_ttls,
                        client,
                        self.connect_timeout,
                        channel,
                        origin,
                        store.counters.clone(),
                    )
                })
            }
            None => None,
        };
        Ok(Cache {
            inner: Arc::new(Inner {
                namespace: self.namespace,
                write_policy: self.write_policy,
                max_value_bytes: self.max_value_bytes,
                ttl_jitter: self.ttl_jitter,
                lock_ttl: self.lock_ttl,
                lease_ttl: self.lease_ttl,
                lease_wait: self.lease_wait,
                store,
                flights: Flights::default(),
                frames: Frames::default(),
                marks_writes: self.mark_writes_for_feed.into(),
                local,
                url: self.url,
            }),
        })
    }
}

impl CacheBuilder {
    fn client(&self) -> redis::RedisResult<RedisClient> {
        #[cfg(feature = "cluster")]
        if !self.cluster_urls.is_empty() {
            let urls: Vec<&str> = self.cluster_urls.iter().map(RedisUrl::expose).collect();
            // Bounded: a few retries on MOVED/ASK and failover, each bounded by the timeouts.
            let builder = redis::cluster::ClusterClient::builder(urls.clone())
                .connection_timeout(self.connect_timeout)
                .response_timeout(self.io_timeout)
                .retries(3);
            #[cfg(feature = "tls")]
            let builder = match &self.tls_root_certificate {
                Some(root_cert) => builder.certs(redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(root_cert.clone()),
                }),
                None => builder,
            };
            let routed = builder.build()?;
            #[cfg(feature = "async")]
            let nodes = crate::redis::node_pipelines::NodeClients {
                seed: redis::IntoConnectionInfo::into_connection_info(urls[0])?,
                #[cfg(feature = "tls")]
                root_certificate: self.tls_root_certificate.clone(),
            };
            return Ok(RedisClient::Cluster(Box::new(
                crate::redis::connection::ClusterClients {
                    routed,
                    #[cfg(feature = "async")]
                    nodes,
                },
            )));
        }
        #[cfg(feature = "tls")]
        if let Some(root_cert) = &self.tls_root_certificate {
            let certificates = redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(root_cert.clone()),
            };
            return redis::Client::build_with_tls(self.url.expose(), certificates)
                .map(RedisClient::Single);
        }
        redis::Client::open(self.url.expose()).map(RedisClient::Single)
    }
}

fn validate_namespace(namespace: &str) -> Result<(), ConfigError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    if namespace.is_empty() || !namespace.chars().all(allowed) {
        return Err(ConfigError(format!(
            "namespace {namespace:?} must be non-empty ASCII letters, digits, '_', '-' or '.'"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespace_with_a_separator_is_refused() {
        let err = Cache::builder("redis://127.0.0.1")
            .namespace("a:b")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
    }

    #[test]
    fn an_empty_namespace_is_refused() {
        assert!(
            Cache::builder("redis://127.0.0.1")
                .namespace("")
                .build()
                .is_err()
        );
    }

    #[test]
    fn lock_and_lease_ttls_must_be_sensible() {
        for builder in [
            Cache::builder("redis://127.0.0.1").lock_ttl(Duration::ZERO),
            Cache::builder("redis://127.0.0.1").lease_ttl(Duration::from_secs(999_999)),
            Cache::builder("redis://127.0.0.1").lease_wait(Duration::from_secs(10)),
        ] {
            assert!(matches!(builder.build(), Err(Error::Config(_))));
        }
    }

    #[test]
    fn a_zero_timeout_is_refused() {
        let err = Cache::builder("redis://127.0.0.1")
            .io_timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("io_timeout"), "{err}");
    }

    #[test]
    fn a_ttl_jitter_outside_zero_to_one_is_refused() {
        for fraction in [-0.1, 1.0, f64::NAN, f64::INFINITY] {
            let err = Cache::builder("redis://127.0.0.1")
                .ttl_jitter(fraction)
                .build()
                .unwrap_err();
            assert!(err.to_string().contains("ttl_jitter"), "{fraction}: {err}");
        }
        for fraction in [0.0, 0.1, 0.99] {
            assert!(
                Cache::builder("redis://127.0.0.1")
                    .ttl_jitter(fraction)
                    .build()
                    .is_ok()
            );
        }
    }

    #[test]
    fn a_bad_url_is_a_config_error_that_does_not_quote_the_password() {
        let err = Cache::open("redis://user:hunter2@host:notaport").unwrap_err();
        assert!(matches!(err, Error::Config(_)));
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn debug_output_hides_the_password() {
        let cache = Cache::open("redis://user:hunter2@127.0.0.1:6379").unwrap();
        let shown = format!("{cache:?} {:?}", Cache::builder("redis://:hunter2@h"));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("user:***@127.0.0.1"), "{shown}");
    }

    #[test]
    fn opening_does_not_need_a_running_redis() {
        // Port 1 is never a Redis; opening succeeds, the first command fails with a typed error.
        let cache = Cache::builder("redis://127.0.0.1:1")
            .connect_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let err = cache.ping().unwrap_err();
        assert_eq!(err.operation(), "connect");
    }

    #[test]
    fn the_cache_is_shared_across_threads() {
        fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
        assert_shareable::<Cache>();
    }
}
