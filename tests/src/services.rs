//! Connections to the services the suites run against.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use diesel::prelude::*;
use diesel::{MysqlConnection, PgConnection, SqliteConnection};
use write_through::Cache;

use crate::schema::{MYSQL_DDL, POSTGRES_DDL, SQLITE_DDL};

/// The Redis the suites use (`REDIS_URL`, default the local one).
pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A value unique in this process and across runs: test ids, namespaces, emails.
pub fn unique() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    // Low 40 bits of the clock, then a counter: distinct across processes in practice and
    // within one process always; small enough for an INTEGER column after `% i32::MAX`.
    ((nanos as u64 & 0xFF_FFFF_FFFF) << 16) | (NEXT.fetch_add(1, Ordering::Relaxed) & 0xFFFF)
}

/// A unique positive `i32`, for integer keys the test chooses itself.
pub fn unique_i32() -> i32 {
    (unique() % (i32::MAX as u64 - 1)) as i32 + 1
}

/// Polls `ready` until it says yes; panics naming `what` after `timeout`. For servers a test
/// starts itself.
pub fn wait_until(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "{what} not ready after {timeout:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reports a missing service: a failure under CI, a counted skip elsewhere.
fn unavailable(service: &str, url: &str, error: &dyn std::fmt::Display) {
    crate::skipped::skip(&format!(
        "{service} is not reachable ({error}); set the URL with {url}"
    ));
}

/// A PostgreSQL connection with the test tables, or `None` (after a loud message) when
/// PostgreSQL is down outside CI.
/// The suites' PostgreSQL URL.
pub fn postgres_url() -> String {
    std::env::var("DATABASE_URL_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// The suites' MySQL URL.
pub fn mysql_url() -> String {
    std::env::var("DATABASE_URL_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

pub fn postgres() -> Option<PgConnection> {
    let url = postgres_url();
    match PgConnection::establish(&url) {
        Ok(mut conn) => {
            create_tables(&mut conn, POSTGRES_DDL);
            Some(conn)
        }
        Err(error) => {
            unavailable("PostgreSQL", "DATABASE_URL_PG", &error);
            None
        }
    }
}

/// A MySQL/MariaDB connection with the test tables, or `None` as for [`postgres`].
pub fn mysql() -> Option<MysqlConnection> {
    let url = mysql_url();
    match MysqlConnection::establish(&url) {
        Ok(mut conn) => {
            create_tables(&mut conn, MYSQL_DDL);
            Some(conn)
        }
        Err(error) => {
            unavailable("MySQL/MariaDB", "DATABASE_URL_MYSQL", &error);
            None
        }
    }
}

/// A SQLite database in a temporary file (deleted with the returned guard).
pub fn sqlite() -> (SqliteConnection, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.sqlite");
    let mut conn = SqliteConnection::establish(path.to_str().expect("utf-8 temp path"))
        .expect("open SQLite in a temp file");
    create_tables(&mut conn, SQLITE_DDL);
    (conn, dir)
}

/// Runs `ddl`, tolerating a table another test thread created first.
pub fn create_tables<C: Connection>(conn: &mut C, ddl: &[&str]) {
    for statement in ddl {
        // Two test threads may race to create a table; the loser's error is harmless.
        if let Err(error) = conn.batch_execute(statement) {
            let text = error.to_string();
            assert!(
                text.contains("already exists") || text.contains("duplicate key"),
                "creating test tables failed: {text}"
            );
        }
    }
}

/// A plain redis-rs connection, for looking behind the cache's back.
pub fn redis_connection() -> Option<redis::Connection> {
    let url = redis_url();
    match redis::Client::open(url.as_str()).and_then(|c| c.get_connection()) {
        Ok(conn) => Some(conn),
        Err(error) => {
            unavailable("Redis", "REDIS_URL", &error);
            None
        }
    }
}

/// The Redis Cluster the suites run against instead of one Redis, when `WT_REDIS_CLUSTER_URLS`
/// (comma-separated seed URLs) is set: `.ci/run` runs the consistency suites a second time so.
pub fn cluster_urls() -> Option<Vec<String>> {
    std::env::var("WT_REDIS_CLUSTER_URLS")
        .ok()
        .filter(|urls| !urls.is_empty())
        .map(|urls| urls.split(',').map(str::to_owned).collect())
}

/// A builder for the Redis the suites use: the cluster when `WT_REDIS_CLUSTER_URLS` is set,
/// else `REDIS_URL`.
pub fn cache_builder() -> write_through::CacheBuilder {
    match cluster_urls() {
        Some(urls) => Cache::cluster_builder(&urls.iter().map(String::as_str).collect::<Vec<_>>()),
        None => Cache::builder(&redis_url()),
    }
}

/// A plain connection to the suites' Redis (a cluster connection, which routes each key, when
/// `WT_REDIS_CLUSTER_URLS` is set).
pub fn any_redis_connection() -> Option<Box<dyn redis::ConnectionLike + Send>> {
    match cluster_urls() {
        Some(urls) => {
            match redis::cluster::ClusterClient::new(urls).and_then(|c| c.get_connection()) {
                Ok(conn) => Some(Box::new(conn)),
                Err(error) => {
                    unavailable("Redis Cluster", "WT_REDIS_CLUSTER_URLS", &error);
                    None
                }
            }
        }
        None => {
            redis_connection().map(|conn| Box::new(conn) as Box<dyn redis::ConnectionLike + Send>)
        }
    }
}

/// A cache in a namespace of its own, whose keys are deleted when it is dropped.
pub struct TestCache {
    pub cache: Cache,
    pub redis: Box<dyn redis::ConnectionLike + Send>,
}

impl TestCache {
    /// `None` (after a loud message) when Redis is down outside CI.
    pub fn new() -> Option<Self> {
        Self::with(|builder| builder)
    }

    /// A test cache with extra builder settings.
    pub fn with(
        configure: impl FnOnce(write_through::CacheBuilder) -> write_through::CacheBuilder,
    ) -> Option<Self> {
        let redis = any_redis_connection()?;
        let namespace = format!("wt-test-{}", unique());
        let cache = configure(cache_builder().namespace(&namespace))
            .build()
            .expect("a valid test cache");
        Some(Self { cache, redis })
    }

    /// The full key of a rendered template.
    pub fn key(&self, rendered: &str) -> String {
        format!("{}:{rendered}", self.cache.namespace())
    }

    /// The raw bytes under a rendered template.
    pub fn raw(&mut self, rendered: &str) -> Option<Vec<u8>> {
        let key = self.key(rendered);
        redis::cmd("GET")
            .arg(key)
            .query(&mut *self.redis)
            .expect("GET")
    }

    /// Puts raw bytes under a rendered template.
    pub fn put_raw(&mut self, rendered: &str, value: &[u8]) {
        let key = self.key(rendered);
        redis::cmd("SET")
            .arg(key)
            .arg(value)
            .query::<()>(&mut *self.redis)
            .expect("SET");
    }

    /// Deletes a rendered template's key behind the cache's back (no announcement), as an
    /// eviction would.
    pub fn delete_raw(&mut self, rendered: &str) {
        let key = self.key(rendered);
        redis::cmd("DEL")
            .arg(key)
            .query::<()>(&mut *self.redis)
            .expect("DEL");
    }

    /// The remaining TTL of a key in milliseconds (-2 when absent, -1 when none).
    pub fn pttl(&mut self, rendered: &str) -> i64 {
        let key = self.key(rendered);
        redis::cmd("PTTL")
            .arg(key)
            .query(&mut *self.redis)
            .expect("PTTL")
    }

    /// Every key in this cache's namespace.
    pub fn keys(&mut self) -> Vec<String> {
        let pattern = format!("{}:*", self.cache.namespace());
        let mut keys: Vec<String> = redis::cmd("KEYS")
            .arg(pattern)
            .query(&mut *self.redis)
            .expect("KEYS");
        keys.sort();
        keys
    }
}

impl Drop for TestCache {
    fn drop(&mut self) {
        let keys = self.keys();
        if !keys.is_empty() {
            let _ = redis::cmd("DEL").arg(keys).query::<()>(&mut *self.redis);
        }
    }
}
