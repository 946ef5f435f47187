//! The change feed: every committed change to a cached table, whoever wrote it, retires what it
//! changed in the cache.
//!
//! The library's own writes keep the cache correct; writes that bypass it (a bulk
//! `diesel::update(...).filter(...)`, raw SQL, another service, a migration,
//! `ON DELETE CASCADE`) used to stay stale until the TTL. The feed reads PostgreSQL's logical
//! decoding (the built-in `pgoutput` plugin, a publication of the cached tables, a replication
//! slot streamed over the replication protocol or polled over an ordinary connection) and, for
//! each committed `INSERT`, `UPDATE`, `DELETE`
//! and `TRUNCATE`, invalidates the row's key (old and new, when an update changes it) and the
//! unique-index entries of its values, with the invalidation `Cache::invalidate` uses: the value,
//! a reader's lease (so a fill that read before the change cannot install it) and a writer's lock
//! (made contended, so an older publish cannot land after it) are all retired, and the
//! in-process tiers are told. It never fills from a change.
//!
//! On the blocking front the feed is a thread, on a Diesel connection of its own:
//! `ChangeFeed::postgres().model::<User>().streaming(&url).start(&cache, move ||
//! PgConnection::establish(&url))`, and `cache.catch_up(&mut conn, timeout)`. On the async
//! front, a tokio task:
//!
//! ```no_run
//! # use diesel::prelude::*;
//! # use write_through::asynch::prelude::*;
//! # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
//! # #[derive(Queryable, Selectable, Identifiable, WriteThrough)]
//! # #[diesel(table_name = users)]
//! # #[write_through(key = "user:{id}", ttl = "1h")]
//! # pub struct User { pub id: i64, #[write_through(unique)] pub email: String }
//! use std::time::Duration;
//! use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
//! use write_through::feed::ChangeFeed;
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let url = "postgres://localhost/app";
//! let cache = Cache::open("redis://127.0.0.1:6379")?;
//! // A task of its own, on connections of its own; stopped when `feed` is dropped.
//! let feed = ChangeFeed::postgres()
//!     .model::<User>()
//!     .streaming(url)
//!     .start_async(&cache, move || AsyncPgConnection::establish(url))
//!     .await?;
//!
//! let mut conn = AsyncPgConnection::establish(url).await?;
//! diesel::update(users::table).set(users::email.eq("x@example.com")).execute(&mut conn).await?;
//! // Read-your-writes for any write: returns once the feed has retired what it changed.
//! write_through::asynch::catch_up(&cache, &mut conn, Duration::from_secs(5)).await?;
//! # Ok(()) }
//! ```
//!
//! **Streaming or polling.** With [`ChangeFeed::streaming`] (a URL of the database, for a
//! connection of the feed's own in replication mode) the feed runs `START_REPLICATION` and the
//! server sends each transaction once, as it commits: a few milliseconds of lag, held under
//! thousands of changes a second. Without it the feed polls the slot every
//! [`ChangeFeed::poll_interval`] with `pg_logical_slot_peek_binary_changes` and moves it with
//! `pg_replication_slot_advance` over the connect function's connection; each of those calls
//! decodes again the WAL since the slot's restart point (which PostgreSQL moves every 15 s),
//! so under sustained writes its lag grows to a second (BENCHMARKS.md, "Change feed"). The
//! streaming reader speaks trust, password, MD5 and SCRAM-SHA-256 authentication, over TCP or a
//! Unix socket, without TLS ([`FeedError::StreamUrl`] for `sslmode=require`: poll instead, or
//! run the feed where the network is trusted).
//!
//! **At least once.** Either way, the slot is confirmed past a batch (a status update on the
//! stream, an advance when polling) only after Redis acknowledged every invalidation of the
//! batch: a consumer that dies in between leaves the batch to the next one. One consumer is
//! active per slot (a PostgreSQL advisory lock, held on the connect function's connection);
//! others stand by and take over when its session ends.
//!
//! **The library's own writes** come back through the log like any other. A cache that marks
//! its writes ([`crate::CacheBuilder::mark_writes_for_feed`], on by itself for the cache a feed
//! is started from; set it on the other services' caches when the feed runs in a sidecar) runs,
//! after each write's statement and in its transaction, `pg_logical_emit_message` naming the
//! write's lock and the SHA-1 of the value it publishes under each key (a write outside a
//! transaction then runs in one of its own: `BEGIN`, the statement, the mark, `COMMIT`). The
//! feed leaves such a key in place when Redis holds that lock or that value, and retires it
//! otherwise (so a writer that died after its lock expired, whose key a reader refilled with the
//! older row, is still retired). Without the mark, every write's next read would miss.
//!
//! **Large transactions.** A batch holds whole transactions, and a migration's `UPDATE` of a
//! whole table is one. The feed reads a batch message by message from the stream (or through a
//! cursor, a thousand at a time, when polling) and keeps only the keys the changes name, never
//! the rows; a model whose batch names more than
//! [`ChangeFeed::max_keys`] keys (100 000 by default) starts over instead (below).
//!
//! **Starting over.** A `TRUNCATE`, a table whose key columns are gone, or a slot created again
//! after the feed had run (dropped, or its WAL removed by `max_slot_wal_keep_size`) names no row:
//! the affected models start over, every key under their prefixes retired (a `SCAN` of one
//! Redis; on a Redis Cluster, of each master in turn, again if the cluster's map changed
//! meanwhile, and then, when a slot is being migrated, of each node it is moving to, by address,
//! for the keys that moved there from a master not scanned yet), and every process's
//! in-process tier told to forget what it holds (a row may sit there after Redis lost it: one
//! message on the tiers' channel).
//!
//! **Where it runs.** Embedded, as above, on a thread ([`ChangeFeed::start`], a Diesel
//! connection) or a tokio task (`ChangeFeed::start_async`, diesel-async); a sidecar is a program
//! that does the same and nothing else (`examples/feed_sidecar` in the repository, for the axum
//! example's models). One feed serves one cache namespace: its progress is
//! recorded under the namespace, for [`Cache::catch_up`].
//!
//! **What the server needs.** `wal_level = logical`, a free replication slot, and a user with the
//! `REPLICATION` attribute (or superuser) that owns the cached tables (for the publication);
//! streaming also takes one of `max_wal_senders`, and a `pg_hba.conf` line that lets that user
//! connect to the database (a line for the database, not the `replication` keyword, covers
//! logical replication). `synchronous_standby_names` must not name the stream's
//! `application_name` (`write_through feed` unless the URL sets one): commits would wait for
//! the feed while the feed waits for them to become visible, so such a session is refused
//! ([`FeedError::Replication`], logged, and tried again). The streaming URL's password comes
//! from the URL or `PGPASSWORD` (not from `.pgpass`).
//! Every cached table needs a primary key (PostgreSQL refuses `UPDATE`s on a published table
//! without one). Each is a typed [`FeedError`] saying what to change. SQLite has no log to read.
//!
//! # MariaDB's binlog
//!
//! With the feature `binlog`, `BinlogFeed` reads MariaDB's row-based binlog as a replica does
//! (mysql_async's binlog stream, the client diesel-async's MySQL connection is built on), on the
//! same models, planner and retirement as the PostgreSQL feed:
//! `BinlogFeed::mariadb().model::<User>().start(&cache, "mysql://feed@db/app")` (a thread with a
//! tokio runtime of its own) or `.start_async(&cache, url).await` (a task); `Cache::catch_up`
//! and `asynch::catch_up` take a MySQL connection as well and wait for `@@gtid_binlog_pos`.
//!
//! - **What the server needs:** `log_bin`, `binlog_format = ROW`, `binlog_row_image = FULL`,
//!   `log_bin_compress = OFF` (checked at start, each a [`FeedError::BinlogSetting`] saying what
//!   to set), a user with `REPLICATION SLAVE` and `BINLOG MONITOR` who may create a table (the
//!   marks table, below), and a primary key on every cached table. MySQL is refused
//!   ([`FeedError::NotMariaDb`]): its GTIDs and dump protocol differ.
//! - **Position, at least once:** the GTID position the feed applied is recorded in Redis (under
//!   the namespace's feed key) after each batch's invalidations were acknowledged; a consumer
//!   that dies in between leaves the batch to the next. A feed that finds no recorded position
//!   (the first start, or a Redis that lost it) cannot know what it missed: every model starts
//!   over, from the server's current position, before `start` returns. A position the server
//!   has purged (`binlog_expire_logs_seconds`, `PURGE BINARY LOGS`) does the same.
//! - **One active consumer:** a named lock (`GET_LOCK`, `write_through_feed:` and the cache's
//!   namespace, or [`BinlogFeed::lock_name`]); the others stand by. Each reads the binlog under
//!   a server id of its own ([`BinlogFeed::server_id`], drawn at random by default: a second
//!   reader with the same id makes the server drop the first). A model whose `table!` names no
//!   schema reads the table of the URL's database.
//! - **What is read:** row events with their before and after images (an update that changes
//!   the key names the old and the new key). What changes rows without giving them makes the
//!   models it may touch start over: a definition that names a cached table (`TRUNCATE`,
//!   `DROP`, `ALTER`, a `RENAME` swap), `DROP DATABASE` and writes logged as statements
//!   (a session's `binlog_format = STATEMENT`, `SET STATEMENT ... FOR`, a function's writes,
//!   `XA COMMIT`) make every model start over, as do compressed events (`log_bin_compress`
//!   turned on while the feed runs) and rows logged without all their columns (a session's
//!   `binlog_row_image = MINIMAL`). InnoDB runs foreign-key actions (`ON DELETE CASCADE`,
//!   `SET NULL`, `ON UPDATE CASCADE`) itself and the binlog does not hold the rows they change:
//!   the feed reads the acting keys from `information_schema` at each session and after each
//!   definition, and a deleted
//!   (or re-keyed) parent row makes the models of the tables its keys reach start over. Column
//!   names come from the table map when the server sends them (`binlog_row_metadata = FULL`),
//!   else from `information_schema`, read again after a definition names the table; a row
//!   whose column count no longer fits the names read (the feed behind a schema change) makes
//!   its models start over.
//! - **Visibility:** MariaDB writes a transaction to the binlog before its storage engine
//!   commits it. Before a batch's keys are retired, the feed waits until a consistent snapshot's
//!   binlog position (`binlog_snapshot_file`, `binlog_snapshot_position`) has passed the batch,
//!   so that no reader fills a retired key from the row as it was.
//! - **The library's own writes** are marked in the binlog as on PostgreSQL: after the write's
//!   statement, in its transaction, the connection's row of the table `write_through_marks`
//!   (created by the feed; one row per connection) is replaced with the write's mark. A write
//!   whose mark cannot be written (the table is not there yet) goes on, unmarked: the feed then
//!   retires its keys.

#[cfg(any(feature = "postgres", feature = "binlog"))]
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::time::Duration;

#[cfg(any(feature = "postgres", feature = "binlog"))]
use crate::cache::Cache;
use crate::error::CacheError;

mod keys;
pub(crate) mod mark;

pub use keys::{
    ChangeKeyWriter, ChangeKeys, ColumnText, ColumnTexts, Dependencies, FromChangeText, KeysOf,
    UnreadableChange,
};
#[doc(hidden)]
pub use keys::{index_column, key_column};

#[cfg(feature = "binlog")]
mod binlog;
#[cfg(any(feature = "postgres", feature = "binlog"))]
mod catch_up;
#[cfg(feature = "postgres")]
mod conninfo;
#[cfg(feature = "postgres")]
mod db;
#[cfg(any(feature = "postgres", feature = "binlog"))]
mod handle;
#[cfg(any(feature = "postgres", feature = "binlog"))]
mod models;
#[cfg(feature = "postgres")]
pub(crate) mod pgoutput;
#[cfg(feature = "postgres")]
mod pgoutput_plan;
#[cfg(any(feature = "postgres", feature = "binlog"))]
mod plan;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "postgres", feature = "binlog"))]
mod retire;
#[cfg(feature = "postgres")]
mod run;
#[cfg(feature = "postgres")]
mod socket;
#[cfg(feature = "postgres")]
mod sql;
#[cfg(feature = "postgres")]
mod stream;
#[cfg(feature = "postgres")]
mod walsender;

#[cfg(feature = "binlog")]
pub use binlog::BinlogFeed;
#[cfg(all(any(feature = "postgres", feature = "binlog"), feature = "async"))]
#[doc(hidden)]
pub use catch_up::catch_up;
#[cfg(any(feature = "postgres", feature = "binlog"))]
pub use catch_up::{FeedDatabase, LogTarget};
#[cfg(any(feature = "postgres", feature = "binlog"))]
pub use handle::FeedHandle;
#[doc(hidden)]
#[cfg(any(feature = "postgres", feature = "binlog"))]
pub use models::NamingBackend;
#[cfg(feature = "postgres")]
pub use postgres::ChangeFeed;

/// The model label of events that are not one model's.
#[cfg(any(feature = "postgres", feature = "binlog"))]
const ANY_MODEL: &str = "*";

/// Why the change feed could not start or run, or `catch_up` could not wait. Each says what to
/// change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// The server does not decode its log.
    #[error(
        "wal_level is `{found}`; the change feed needs `logical`: set wal_level = logical in postgresql.conf and restart the server"
    )]
    WalLevel {
        /// The server's `wal_level`.
        found: String,
    },
    /// A model's table is not in the database (or not on the search path).
    #[error("table {table} does not exist in the feed's database")]
    NoTable {
        /// The table, as Diesel names it.
        table: String,
    },
    /// A cached table without a primary key, which the feed refuses to publish: PostgreSQL
    /// would then refuse its `UPDATE`s and `DELETE`s.
    #[error(
        "table {table} has no primary key: the feed does not publish it, since PostgreSQL would then refuse its UPDATEs and DELETEs; add one"
    )]
    NoPrimaryKey {
        /// The table, as Diesel names it.
        table: String,
    },
    /// The table's replica identity does not send the old values of the columns the feed
    /// needs (the model's key, or the column of a joined table that holds it): a delete or a key
    /// change could not name the row it retires.
    #[error(
        "table {table}'s replica identity does not send the old values of {columns}: use the model's key as the table's primary key, or run ALTER TABLE {table} REPLICA IDENTITY FULL"
    )]
    ReplicaIdentity {
        /// The table, as Diesel names it.
        table: String,
        /// The columns the feed needs of an old row.
        columns: String,
    },
    /// A publication of that name exists and would hide changes from the feed.
    #[error(
        "publication {publication} cannot serve the feed: {problem}; drop it or choose another name with ChangeFeed::publication"
    )]
    Publication {
        /// The publication's name.
        publication: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A slot of that name exists with another output plugin.
    #[error(
        "replication slot {slot} uses the plugin {plugin}; the feed needs a pgoutput slot: choose another name with ChangeFeed::slot"
    )]
    SlotPlugin {
        /// The slot's name.
        slot: String,
        /// Its plugin.
        plugin: String,
    },
    /// A slot or publication name PostgreSQL would need quoted.
    #[error(
        "`{name}` is not a valid {what} name: use 1 to 63 lowercase letters, digits and `_`, not starting with a digit"
    )]
    InvalidName {
        /// `slot` or `publication`.
        what: &'static str,
        /// The name given.
        name: String,
    },
    /// A step of the setup failed; `hint` says what it needs.
    #[error("{step} failed: {source}; {hint}")]
    Setup {
        /// What the feed was doing.
        step: &'static str,
        /// What PostgreSQL said.
        source: diesel::result::Error,
        /// What the step needs of the server.
        hint: &'static str,
    },
    /// The feed could not connect (the connect function's error).
    #[error("connecting to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    /// A statement failed.
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    /// Redis did not acknowledge: the batch is read again.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// A message of the slot that the decoder does not read.
    #[error("undecodable change at {lsn}: {error}")]
    Decode {
        /// Where in the log.
        lsn: String,
        /// What was wrong.
        error: String,
    },
    /// The server is not MariaDB: the binlog feed reads MariaDB's global transaction ids.
    #[error(
        "the binlog feed reads MariaDB's binlog and GTIDs; the server is `{version}` (MySQL's binlog is not supported yet)"
    )]
    NotMariaDb {
        /// The server's `VERSION()`.
        version: String,
    },
    /// A binlog setting the feed needs is not set.
    #[error(
        "the server's {setting} is `{found}`; the binlog feed needs {setting} = {wanted}: set it in the server's configuration and restart it"
    )]
    BinlogSetting {
        /// The setting.
        setting: &'static str,
        /// Its value on the server.
        found: String,
        /// The value the feed needs.
        wanted: &'static str,
    },
    /// The binlog feed's connection failed, or the server refused a statement.
    #[cfg(feature = "binlog")]
    #[error("binlog: {0}")]
    Binlog(Box<mysql_async::Error>),
    /// The URL the binlog feed was given is not a `mysql://` URL it can connect with (the URL
    /// is not repeated: it may hold a password).
    #[error("the binlog feed's database URL is not a valid mysql:// URL")]
    InvalidUrl,
    /// The URL given to `ChangeFeed::streaming` cannot be connected with (the URL is not
    /// repeated: it may hold a password).
    #[error("the change feed's streaming URL cannot be used: {problem}")]
    StreamUrl {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The replication connection failed, or the server refused the stream (a slot another
    /// session streams, a user without the `REPLICATION` attribute, a `pg_hba.conf` without a
    /// line for it); the session ends and the feed starts another.
    #[error("the change feed's replication stream: {problem}")]
    Replication {
        /// What happened, as the server or the socket said it.
        problem: String,
    },
    /// The thread or runtime the blocking front runs the binlog feed on could not be made.
    #[error("starting the binlog feed's thread: {0}")]
    Runtime(std::io::Error),
    /// `catch_up` was called inside a transaction: it waits for committed writes, and the
    /// transaction's own are not committed yet.
    #[error(
        "catch_up was called inside a transaction: call it after the commit, whose writes it waits for"
    )]
    InsideTransaction,
    /// `catch_up` waited `waited` and the feed had not applied the log up to `target`.
    #[error(
        "the change feed had not applied the log up to {target} after {waited:?} (applied: {applied:?}); is a feed running for this namespace?"
    )]
    Timeout {
        /// How long it waited.
        waited: Duration,
        /// How far the feed had applied, if it ever ran.
        applied: Option<String>,
        /// The position the call needed.
        target: String,
    },
}

#[cfg(feature = "postgres")]
impl FeedError {
    fn setup(step: &'static str, source: diesel::result::Error) -> Self {
        let hint = match step {
            "creating the replication slot" => {
                "the feed's user needs the REPLICATION attribute (or superuser), and the server a free slot (max_replication_slots)"
            }
            _ => {
                "the feed's user needs the CREATE privilege on the database and must own the cached tables"
            }
        };
        FeedError::Setup { step, source, hint }
    }
}

/// What the loop reads: the feed's settings and models, fixed at start.
#[cfg(feature = "postgres")]
pub(crate) struct FeedConfig {
    /// Where the slot is streamed from; `None`: it is polled.
    pub(crate) stream: Option<conninfo::Conninfo>,
    pub(crate) slot: String,
    pub(crate) publication: String,
    pub(crate) models: Vec<plan::FeedModel>,
    pub(crate) max_changes: usize,
    /// How many keys of one model a batch names before the model starts over instead.
    pub(crate) max_keys: usize,
    pub(crate) poll: Duration,
    pub(crate) standby_retry: Duration,
    pub(crate) retry: Duration,
    /// The Redis key recording how far the feed applied the log (for `catch_up`).
    pub(crate) marker: Vec<u8>,
}

/// What the loop and its handle share.
#[cfg(any(feature = "postgres", feature = "binlog"))]
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub(crate) stop: AtomicBool,
    pub(crate) active: AtomicBool,
    /// How far the PostgreSQL feed applied the log (the binlog feed keeps its position itself).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) applied: AtomicU64,
}

#[cfg(any(feature = "postgres", feature = "binlog"))]
/// The Redis key where the feed of `cache`'s namespace records how far it applied the log.
pub(crate) fn marker_key(cache: &Cache) -> Vec<u8> {
    let mut key = crate::key::KeyWriter::new(cache.namespace());
    key.literal("#feed");
    key.into_bytes()
}
