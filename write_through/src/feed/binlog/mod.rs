//! The change feed from MariaDB's binlog: the second source of [`crate::feed`], on the same
//! models, planner and retirement as PostgreSQL's.
//!
//! The feed reads the row-based binlog (`binlog_format = ROW`, `binlog_row_image = FULL`) as a
//! replica does, with mysql_async's binlog stream, from a MariaDB GTID position. Every
//! committed insert, update and delete on a cached table retires the row's keys (old and new,
//! from the before and after images) and its unique-index entries; a `TRUNCATE` makes the
//! table's models start over. A rolled-back transaction never reaches the binlog.

mod events;
pub(crate) mod gtid;
mod session;

use std::sync::Arc;
use std::time::Duration;

use diesel::QuerySource;
use diesel::query_builder::QueryFragment;

pub(crate) use gtid::GtidPosition;
use session::BinlogConfig;

use super::handle::{FeedHandle, Runner};
use super::keys::ChangeKeys;
use super::models::{FeedModel, NamingBackend, feed_model};
use super::{FeedError, Shared, marker_key};
use crate::cache::Cache;

/// A change feed from MariaDB's binlog, for the models it is given: its settings, then
/// [`start`](BinlogFeed::start) (a thread) or [`start_async`](BinlogFeed::start_async) (a tokio
/// task). See the module page, [`crate::feed`].
#[must_use = "a BinlogFeed does nothing until it is started"]
pub struct BinlogFeed {
    models: Vec<fn(&Cache) -> Vec<FeedModel>>,
    server_id: Option<u32>,
    lock: Option<String>,
    max_changes: usize,
    max_keys: usize,
    poll: Duration,
    standby_retry: Duration,
    retry: Duration,
}

impl std::fmt::Debug for BinlogFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BinlogFeed")
            .field("models", &self.models.len())
            .field("server_id", &self.server_id)
            .field("lock", &self.lock)
            .finish_non_exhaustive()
    }
}

impl BinlogFeed {
    /// A feed with a lock named after the cache's namespace, at most 1 000 changes a batch, and a
    /// server id of its own drawn at random (see [`server_id`](BinlogFeed::server_id)).
    pub fn mariadb() -> Self {
        BinlogFeed {
            models: Vec::new(),
            server_id: None,
            lock: None,
            max_changes: 1000,
            max_keys: 100_000,
            poll: Duration::from_millis(10),
            standby_retry: Duration::from_secs(1),
            retry: Duration::from_secs(1),
        }
    }

    /// Serves model `M`: changes to its table retire its rows and unique-index entries.
    pub fn model<M>(mut self) -> Self
    where
        M: ChangeKeys,
        <M::Table as QuerySource>::FromClause: QueryFragment<NamingBackend>,
    {
        self.models.push(feed_model::<M>);
        self
    }

    /// The server id the feed reads the binlog as, unique among the server's replicas and
    /// readers (a second reader with the same id makes the server drop the first). Drawn at
    /// random in `2^31 .. 2^32` when not given.
    pub fn server_id(mut self, id: u32) -> Self {
        self.server_id = Some(id);
        self
    }

    /// The name of the lock (`GET_LOCK`) that makes one consumer active and the others stand
    /// by: one per cache namespace reading this server (by default `write_through_feed:` and
    /// the namespace; a name longer than the server's 64 characters is replaced by its hash).
    pub fn lock_name(mut self, name: &str) -> Self {
        self.lock = Some(name.to_owned());
        self
    }

    /// How many row changes a batch reads before it retires what they name (whole
    /// transactions: a larger one is read whole).
    pub fn max_changes(mut self, changes: usize) -> Self {
        self.max_changes = changes.max(1);
        self
    }

    /// How many keys a batch may name for one model before the model starts over instead (as
    /// [`ChangeFeed::max_keys`](crate::feed::ChangeFeed) on PostgreSQL).
    pub fn max_keys(mut self, keys: usize) -> Self {
        self.max_keys = keys.max(1);
        self
    }

    /// How long the feed waits for the next event before it checks whether it was stopped.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll = interval;
        self
    }

    /// How often a standing-by consumer tries to become the active one.
    pub fn standby_retry(mut self, interval: Duration) -> Self {
        self.standby_retry = interval;
        self
    }

    /// How long the feed waits before a new session after a server failed.
    pub fn retry_interval(mut self, interval: Duration) -> Self {
        self.retry = interval;
        self
    }

    fn config(self, cache: &Cache, url: &str) -> Result<BinlogConfig, FeedError> {
        let opts = mysql_async::Opts::from_url(url).map_err(|_| FeedError::InvalidUrl)?;
        let lock = match self.lock {
            Some(lock) if lock.len() > 64 => hashed_lock(&lock),
            Some(lock) => lock,
            None => default_lock(cache.namespace()),
        };
        if lock.is_empty() {
            return Err(FeedError::InvalidName {
                what: "lock",
                name: lock,
            });
        }
        let mut models: Vec<FeedModel> =
            self.models.iter().flat_map(|model| model(cache)).collect();
        // A `table!` without a schema names a table of the connection's database, not of any.
        for model in &mut models {
            if model.schema.is_none() {
                model.schema = opts.db_name().map(str::to_owned);
            }
        }
        Ok(BinlogConfig {
            opts,
            models,
            server_id: self.server_id.unwrap_or_else(random_server_id),
            lock,
            max_changes: self.max_changes,
            max_keys: self.max_keys,
            poll: self.poll,
            standby_retry: self.standby_retry,
            retry: self.retry,
            marker: marker_key(cache),
        })
    }

    /// Starts the feed on a thread of its own (with a tokio runtime of its own, on which
    /// mysql_async runs), reading the server at `url` (`mysql://user:password@host:port/db`,
    /// the database the models are in). The server's settings and the tables are checked
    /// first, on the caller's thread, and their errors returned; the thread then waits to be
    /// the active consumer and runs until the handle is dropped or stopped.
    pub fn start(self, cache: &Cache, url: &str) -> Result<FeedHandle, FeedError> {
        let config = self.config(cache, url)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(FeedError::Runtime)?;
        let exec = crate::redis::store::BlockingExec(&cache.inner().store);
        runtime.block_on(session::prepare(&exec, cache, &config))?;
        let shared = Arc::new(Shared::default());
        let state = Arc::clone(&shared);
        let cache = cache.clone();
        let thread = std::thread::Builder::new()
            .name("write_through-binlog-feed".to_owned())
            .spawn(move || {
                let exec = crate::redis::store::BlockingExec(&cache.inner().store);
                runtime.block_on(session::run(&exec, &cache, &config, &state));
            })
            .map_err(FeedError::Runtime)?;
        Ok(FeedHandle::new(shared, Runner::Thread(Some(thread))))
    }

    /// Starts the feed as a tokio task, reading the server at `url`. The checks run first and
    /// their errors are returned; the task then waits to be the active consumer and runs until
    /// the handle is dropped or stopped.
    #[cfg(feature = "async")]
    pub async fn start_async(self, cache: &Cache, url: &str) -> Result<FeedHandle, FeedError> {
        let config = self.config(cache, url)?;
        let exec = crate::redis::store::AsyncExec(&cache.inner().store);
        session::prepare(&exec, cache, &config).await?;
        let shared = Arc::new(Shared::default());
        let state = Arc::clone(&shared);
        let cache = cache.clone();
        let task = tokio::spawn(async move {
            let exec = crate::redis::store::AsyncExec(&cache.inner().store);
            session::run(&exec, &cache, &config, &state).await;
        });
        Ok(FeedHandle::new(shared, Runner::Task(task)))
    }
}

/// `write_through_feed:<namespace>`, or with the namespace's SHA-1 when that is longer than a
/// lock name may be.
fn default_lock(namespace: &str) -> String {
    let named = format!("write_through_feed:{namespace}");
    if named.len() <= 64 {
        return named;
    }
    hashed_lock(namespace)
}

/// A lock name of at most 64 characters for `name`: its SHA-1.
fn hashed_lock(name: &str) -> String {
    let digest = crate::feed::mark::digest(name.as_bytes());
    format!("write_through_feed:{}", crate::feed::mark::hex(&digest))
}

/// A server id in `2^31 .. 2^32`, out of the way of the small ids servers are usually given.
fn random_server_id() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos()),
    );
    (hasher.finish() as u32) | 0x8000_0000
}
