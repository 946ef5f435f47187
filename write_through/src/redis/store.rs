//! Sending requests to Redis, for both fronts: the state they share (client, breaker, owed
//! invalidations, counters) and the two executors over it, [`Blocking`] (pooled connections
//! with socket timeouts) and `Async` (one multiplexed connection for every task).
//!
//! A key whose invalidation failed may still hold a value older than its row, so until those
//! invalidations are delivered no other command may run: every request first delivers them,
//! and fails (falling back to the database) when it cannot. On the async front many tasks
//! share one multiplexed connection, and this still holds: a task owes a key before its
//! operation returns, and any request that starts afterwards sees the debt (the count is read
//! with acquire ordering after the release that recorded it) and *awaits* the delivery's reply
//! before it sends its own command, so Redis executes the `INVALIDATE` first. Requests already
//! in flight when the key was owed were concurrent with the failed write, which a linearizable
//! history allows to see either value. Two tasks may both deliver the same debt; an
//! `INVALIDATE` delivered twice is harmless, and a key owed again meanwhile stays owed (see
//! `shared/owed.rs`).

use std::sync::Mutex;
use std::time::Duration;

use redis::{FromRedisValue, RedisResult};

use crate::error::CacheError;
use crate::redis::commands::{self, Exec};
use crate::redis::connection::{RedisClient, RedisConn};
use crate::redis::request::Request;
use crate::shared::breaker::{self, Breaker};
use crate::shared::owed::Owed;
use crate::stats::{Counters, Event};

/// The label for events that belong to no one model.
const ANY_MODEL: &str = "*";

pub(crate) struct Store {
    client: RedisClient,
    idle: Mutex<Vec<RedisConn>>,
    max_idle: usize,
    connect_timeout: Duration,
    io_timeout: Duration,
    #[cfg(feature = "async")]
    multiplexed: Mutex<Option<crate::redis::connection::AsyncConn>>,
    /// The runtime that drives the multiplexed connection (see `asynch`).
    #[cfg(feature = "async")]
    driver: Mutex<Option<asynch::Driver>>,
    owed: Owed,
    breaker: Breaker,
    pub(crate) counters: std::sync::Arc<Counters>,
    /// Where the scripts announce written keys, for the in-process tiers of every process (see
    /// `local/`): this cache's 16-byte origin, then the channel; empty on a cluster, where
    /// nothing is announced.
    pub(crate) announce: Vec<u8>,
}

/// The blocking executor: requests on pooled connections, answered before `run` returns.
pub(crate) struct BlockingExec<'a>(pub(crate) &'a Store);

impl Store {
    pub(crate) fn new(
        client: RedisClient,
        max_idle: usize,
        connect_timeout: Duration,
        io_timeout: Duration,
        breaker_cooldown: Duration,
    ) -> Self {
        Self {
            client,
            idle: Mutex::new(Vec::with_capacity(max_idle)),
            max_idle,
            connect_timeout,
            io_timeout,
            #[cfg(feature = "async")]
            multiplexed: Mutex::new(None),
            #[cfg(feature = "async")]
            driver: Mutex::new(None),
            owed: Owed::default(),
            breaker: Breaker::new(breaker_cooldown),
            counters: std::sync::Arc::default(),
            announce: Vec::new(),
        }
    }

    /// Remembers a key that must be invalidated before Redis serves anything else.
    pub(crate) fn owe_invalidation(&self, key: Vec<u8>) {
        self.owed.owe(key);
    }

    pub(crate) fn owed_invalidations(&self) -> usize {
        self.owed.len()
    }

    /// Tries once to deliver what is owed (when the cache is dropped).
    pub(crate) fn flush_owed(&self) {
        if self.owed_invalidations() > 0 {
            let _ = crate::shared::ready::ready(commands::ping(&BlockingExec(self)));
        }
    }

    /// Whether the breaker lets a request try Redis now.
    fn admit(&self, operation: &'static str) -> Result<(), CacheError> {
        if self.breaker.allows() {
            return Ok(());
        }
        self.counters.record(Event::CacheError, ANY_MODEL);
        let open = std::io::Error::new(
            std::io::ErrorKind::NotConnected,
            "circuit open: Redis was unreachable moments ago",
        );
        Err(CacheError::new(operation, open.into()))
    }

    fn succeeded(&self) {
        self.breaker.succeeded();
    }

    fn failed(&self, operation: &'static str, error: redis::RedisError) -> CacheError {
        self.counters.record(Event::CacheError, ANY_MODEL);
        if breaker::unreachable(&error) {
            // The connections were opened to the same Redis and are most likely dead too (a
            // restart, a network cut): drop them, so that the next try opens a fresh one.
            self.idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clear();
            #[cfg(feature = "async")]
            self.multiplexed
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take();
            if self.breaker.failed() {
                tracing::warn!(
                    "Redis unreachable: circuit open, cache calls fail fast for a while"
                );
            }
        }
        tracing::warn!(operation, error = %error, "Redis call failed");
        CacheError::new(operation, error)
    }

    fn recovered(&self, delivered: u64) {
        self.counters
            .add(Event::RecoveredInvalidation, delivered, ANY_MODEL);
        tracing::info!(
            delivered,
            "delivered invalidations owed while Redis was unreachable"
        );
    }

    fn checkout(&self) -> RedisResult<RedisConn> {
        let pooled = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        match pooled {
            Some(conn) => Ok(conn),
            None => self.client.connect(self.connect_timeout, self.io_timeout),
        }
    }

    fn checkin(&self, conn: RedisConn) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < self.max_idle {
            idle.push(conn);
        }
    }

    fn run_blocking<T: FromRedisValue>(
        &self,
        operation: &'static str,
        request: &Request,
    ) -> Result<T, CacheError> {
        self.admit(operation)?;
        let mut conn = self.checkout().map_err(|e| self.failed("connect", e))?;
        if let Some(snapshot) = self.owed.snapshot() {
            for delivery in commands::owed_delivery(&snapshot.keys(), &self.announce) {
                delivery
                    .send::<redis::Value>(&mut conn)
                    .map_err(|e| self.failed("INVALIDATE", e))?;
            }
            let delivered = self.owed.delivered(snapshot);
            self.recovered(delivered);
        }
        // A connection that failed may hold half a reply; it is dropped, never reused.
        let value = request
            .send(&mut conn)
            .map_err(|e| self.failed(operation, e))?;
        self.checkin(conn);
        self.succeeded();
        Ok(value)
    }
}

impl Exec for BlockingExec<'_> {
    fn is_cluster(&self) -> bool {
        self.0.client.is_cluster()
    }

    fn announce(&self) -> &[u8] {
        &self.0.announce
    }

    fn sleep(&self, pause: Duration) -> impl std::future::Future<Output = ()> + Send {
        std::thread::sleep(pause);
        std::future::ready(())
    }

    fn follow(
        &self,
        follower: crate::shared::flight::Follower,
        patience: Duration,
    ) -> impl std::future::Future<Output = ()> + Send {
        follower.wait(patience);
        std::future::ready(())
    }

    fn run<T: FromRedisValue + Send + 'static>(
        &self,
        operation: &'static str,
        request: Request,
    ) -> impl std::future::Future<Output = Result<T, CacheError>> + Send {
        std::future::ready(self.0.run_blocking(operation, &request))
    }
}

#[cfg(feature = "async")]
pub(crate) use asynch::AsyncExec;

#[cfg(feature = "async")]
mod asynch {
    use std::time::Duration;

    use redis::FromRedisValue;

    use super::Store;
    use crate::error::CacheError;
    use crate::model::BoxFuture;
    use crate::redis::commands::{self, Exec};
    use crate::redis::connection::AsyncConn;
    use crate::redis::request::Request;

    /// The async executor: requests on the cache's multiplexed connection, opened on first use
    /// and again after it failed.
    pub(crate) struct AsyncExec<'a>(pub(crate) &'a Store);

    /// A current-thread runtime on a thread of the cache's own, on which the multiplexed
    /// connection is opened. redis-rs spawns a connection's I/O task on the runtime that opens
    /// it, and a `Cache` is shared by whatever runtimes its clones are used from: opened on a
    /// caller's runtime, the connection would stall while that runtime is not polled (another
    /// thread's current-thread runtime between two `block_on`s) and die with it. Requests from
    /// any runtime go through the connection's channel and await their replies there. The
    /// thread ends when the cache is dropped.
    pub(crate) struct Driver {
        handle: tokio::runtime::Handle,
        _stop: tokio::sync::oneshot::Sender<()>,
    }

    impl Store {
        /// The driver's runtime, started on first use.
        fn driver(&self) -> std::io::Result<tokio::runtime::Handle> {
            let mut driver = self
                .driver
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(driver) = driver.as_ref() {
                return Ok(driver.handle.clone());
            }
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let handle = runtime.handle().clone();
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            std::thread::Builder::new()
                .name("write_through-redis".into())
                .spawn(move || {
                    // Until the cache (the sender) is dropped; then the runtime ends here, on
                    // its own thread, never inside a caller's async context.
                    runtime.block_on(async move {
                        let _ = stopped.await;
                    });
                })?;
            *driver = Some(Driver {
                handle: handle.clone(),
                _stop: stop,
            });
            Ok(handle)
        }

        async fn multiplexed(&self) -> redis::RedisResult<AsyncConn> {
            let open = self
                .multiplexed
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            if let Some(conn) = open {
                return Ok(conn);
            }
            // Two tasks may connect at once; the last one's connection is kept, and the other
            // is dropped after its request.
            let driver = self.driver()?;
            let (client, connect_timeout, io_timeout) =
                (self.client.clone(), self.connect_timeout, self.io_timeout);
            let conn = driver
                .spawn(async move { client.connect_async(connect_timeout, io_timeout).await })
                .await
                .map_err(|stopped| {
                    redis::RedisError::from(std::io::Error::other(format!(
                        "the Redis driver thread stopped: {stopped}"
                    )))
                })??;
            *self
                .multiplexed
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(conn.clone());
            Ok(conn)
        }

        async fn run_async<T: FromRedisValue>(
            &self,
            operation: &'static str,
            request: Request,
        ) -> Result<T, CacheError> {
            self.admit(operation)?;
            let mut conn = self
                .multiplexed()
                .await
                .map_err(|e| self.failed("connect", e))?;
            if let Some(snapshot) = self.owed.snapshot() {
                for delivery in commands::owed_delivery(&snapshot.keys(), &self.announce) {
                    delivery
                        .send_async::<redis::Value>(&mut conn)
                        .await
                        .map_err(|e| self.failed("INVALIDATE", e))?;
                }
                let delivered = self.owed.delivered(snapshot);
                self.recovered(delivered);
            }
            let value = request
                .send_async(&mut conn)
                .await
                .map_err(|e| self.failed(operation, e))?;
            self.succeeded();
            Ok(value)
        }
    }

    // `sleep` and `follow` name their futures (refining the trait's `impl Future`), which
    // captures nothing of `&self`.
    #[allow(refining_impl_trait)]
    impl Exec for AsyncExec<'_> {
        fn is_cluster(&self) -> bool {
            self.0.client.is_cluster()
        }

        fn announce(&self) -> &[u8] {
            &self.0.announce
        }

        fn sleep(&self, pause: Duration) -> tokio::time::Sleep {
            tokio::time::sleep(pause)
        }

        fn follow(
            &self,
            follower: crate::shared::flight::Follower,
            patience: Duration,
        ) -> BoxFuture<'static, ()> {
            Box::pin(follower.wait_async(patience))
        }

        #[cfg(feature = "cluster")]
        fn by_node(&self, slots: &[u16]) -> Option<Vec<Vec<usize>>> {
            match self
                .0
                .multiplexed
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .as_ref()?
            {
                AsyncConn::Cluster(cluster) => cluster.by_node(slots),
                AsyncConn::Single(_) => None,
            }
        }

        #[cfg(feature = "cluster")]
        fn map_is_stale(&self) {
            if let Some(AsyncConn::Cluster(cluster)) = self
                .0
                .multiplexed
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .as_ref()
            {
                cluster.map_is_stale();
            }
        }

        fn run<T: FromRedisValue + Send + 'static>(
            &self,
            operation: &'static str,
            request: Request,
        ) -> impl std::future::Future<Output = Result<T, CacheError>> + Send {
            self.0.run_async(operation, request)
        }
    }
}
