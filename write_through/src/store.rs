//! Talking to Redis: pooled blocking connections with bounded timeouts, and the invalidations
//! owed to Redis while it could not be reached.
//!
//! A key whose invalidation failed may still hold a value older than its row, so until those
//! invalidations are delivered no other command may run: every command first delivers them, and
//! fails (falling back to the database) when it cannot.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use redis::{Connection, RedisResult};

use crate::error::CacheError;
use crate::stats::{Counters, Event};

/// The label for events that belong to no one model.
const ANY_MODEL: &str = "*";
/// How many keys one `DEL` carries when delivering owed invalidations.
const DEL_CHUNK: usize = 512;

pub(crate) struct Store {
    client: redis::Client,
    idle: Mutex<Vec<Connection>>,
    max_idle: usize,
    connect_timeout: Duration,
    io_timeout: Duration,
    owed: Mutex<HashSet<Vec<u8>>>,
    /// `owed.len()`, readable without the lock on every command.
    owed_len: AtomicUsize,
    pub(crate) counters: Counters,
}

impl Store {
    pub(crate) fn new(
        client: redis::Client,
        max_idle: usize,
        connect_timeout: Duration,
        io_timeout: Duration,
    ) -> Self {
        Self {
            client,
            idle: Mutex::new(Vec::with_capacity(max_idle)),
            max_idle,
            connect_timeout,
            io_timeout,
            owed: Mutex::new(HashSet::new()),
            owed_len: AtomicUsize::new(0),
            counters: Counters::default(),
        }
    }

    /// `GET key`.
    pub(crate) fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, CacheError> {
        self.run("GET", |conn| redis::cmd("GET").arg(key).query(conn))
    }

    /// `SET key value PX ttl`.
    pub(crate) fn set(&self, key: &[u8], value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        self.run("SET", |conn| {
            redis::cmd("SET")
                .arg(key)
                .arg(value)
                .arg("PX")
                .arg(millis)
                .query(conn)
        })
    }

    /// `DEL key`.
    pub(crate) fn del(&self, key: &[u8]) -> Result<(), CacheError> {
        self.run("DEL", |conn| redis::cmd("DEL").arg(key).query(conn))
    }

    /// `PING`.
    pub(crate) fn ping(&self) -> Result<(), CacheError> {
        self.run("PING", |conn| redis::cmd("PING").query(conn))
    }

    /// Remembers a key that must be deleted before Redis serves anything else.
    pub(crate) fn owe_invalidation(&self, key: Vec<u8>) {
        let mut owed = self
            .owed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        owed.insert(key);
        self.owed_len.store(owed.len(), Ordering::Release);
    }

    pub(crate) fn owed_invalidations(&self) -> usize {
        self.owed_len.load(Ordering::Acquire)
    }

    /// Runs one command on a pooled connection, after delivering owed invalidations.
    fn run<T>(
        &self,
        operation: &'static str,
        command: impl FnOnce(&mut Connection) -> RedisResult<T>,
    ) -> Result<T, CacheError> {
        let mut conn = self.checkout().map_err(|e| self.failed("connect", e))?;
        if self.owed_invalidations() > 0 {
            self.deliver_owed(&mut conn)
                .map_err(|e| self.failed("DEL", e))?;
        }
        // A connection that failed may hold half a reply; it is dropped, never reused.
        let value = command(&mut conn).map_err(|e| self.failed(operation, e))?;
        self.checkin(conn);
        Ok(value)
    }

    fn failed(&self, operation: &'static str, error: redis::RedisError) -> CacheError {
        self.counters.record(Event::CacheError, ANY_MODEL);
        tracing::warn!(operation, error = %error, "Redis call failed");
        CacheError::new(operation, error)
    }

    fn deliver_owed(&self, conn: &mut Connection) -> RedisResult<()> {
        let mut owed = self
            .owed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let keys: Vec<&Vec<u8>> = owed.iter().collect();
        for chunk in keys.chunks(DEL_CHUNK) {
            redis::cmd("DEL").arg(chunk).query::<()>(conn)?;
        }
        let delivered = owed.len() as u64;
        owed.clear();
        self.owed_len.store(0, Ordering::Release);
        drop(owed);
        self.counters
            .add(Event::RecoveredInvalidation, delivered, ANY_MODEL);
        tracing::info!(
            delivered,
            "delivered invalidations owed while Redis was unreachable"
        );
        Ok(())
    }

    fn checkout(&self) -> RedisResult<Connection> {
        let pooled = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        if let Some(conn) = pooled {
            return Ok(conn);
        }
        let conn = self
            .client
            .get_connection_with_timeout(self.connect_timeout)?;
        conn.set_read_timeout(Some(self.io_timeout))?;
        conn.set_write_timeout(Some(self.io_timeout))?;
        Ok(conn)
    }

    fn checkin(&self, conn: Connection) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < self.max_idle {
            idle.push(conn);
        }
    }
}
