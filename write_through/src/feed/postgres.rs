//! The PostgreSQL feed's public side: its settings, starting it on either front, its handle, and
//! `catch_up`.

use std::sync::Arc;
use std::time::Duration;

use diesel::QuerySource;
use diesel::connection::{Connection, LoadConnection};
use diesel::pg::Pg;
use diesel::query_builder::QueryFragment;

use super::conninfo::Conninfo;
use super::db::blocking::BlockingFeedDb;
use super::handle::{FeedHandle, Runner};
use super::keys::ChangeKeys;
use super::models::{FeedModel, NamingBackend, feed_model};
use super::run::{self, Connect};
use super::socket::blocking::BlockingSocket;
use super::{FeedConfig, FeedError, Shared, marker_key, sql};
use crate::cache::Cache;
use crate::redis::store::BlockingExec;
use crate::shared::ready::ready;

/// A change feed from PostgreSQL's logical decoding, for the models it is given: its settings,
/// then [`start`](ChangeFeed::start) (a thread) or `start_async` (a tokio task). See the module
/// page, [`crate::feed`].
#[must_use = "a ChangeFeed does nothing until it is started"]
pub struct ChangeFeed {
    slot: String,
    publication: String,
    models: Vec<fn(&Cache) -> Vec<FeedModel>>,
    max_changes: usize,
    max_keys: usize,
    poll: Duration,
    standby_retry: Duration,
    retry: Duration,
    /// The replication URL, when the slot is streamed (never printed: it may hold a password).
    stream: Option<String>,
}

impl std::fmt::Debug for ChangeFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeFeed")
            .field("slot", &self.slot)
            .field("publication", &self.publication)
            .field("models", &self.models.len())
            .field("streaming", &self.stream.is_some())
            .finish_non_exhaustive()
    }
}

impl ChangeFeed {
    /// A feed with the slot and publication `write_through`, reading at most 1 000 changes a
    /// batch, looking for new ones every 10 ms when idle.
    pub fn postgres() -> Self {
        Self {
            slot: "write_through".to_owned(),
            publication: "write_through".to_owned(),
            models: Vec::new(),
            max_changes: 1000,
            max_keys: 100_000,
            poll: Duration::from_millis(10),
            standby_retry: Duration::from_secs(1),
            retry: Duration::from_secs(1),
            stream: None,
        }
    }

    /// Streams the slot over PostgreSQL's replication protocol, on a connection of the feed's
    /// own to `url` (a `postgres://` URL or libpq's `key=value` pairs: host or Unix-socket
    /// directory, port, user, password, database; trust, password, MD5 and SCRAM-SHA-256
    /// authentication; no TLS), besides the connect function's connection, which still sets
    /// up the slot and holds the consumer's lock.
    ///
    /// A stream is what holds the feed's lag under sustained writes: the server decodes each
    /// transaction once, when it commits, and sends it at once. Without it the feed polls the
    /// slot with `pg_logical_slot_peek_binary_changes`, which decodes again, on every call,
    /// the WAL since the slot's restart point (up to 15 s of it): fine for a few hundred
    /// changes a second, a lag of a second at thousands. BENCHMARKS.md has both. The user needs
    /// the `REPLICATION` attribute and a `pg_hba.conf` line allowing it to connect to the
    /// database (a `database` line covers logical replication connections).
    pub fn streaming(mut self, url: &str) -> Self {
        self.stream = Some(url.to_owned());
        self
    }

    /// The replication slot's name (one per cache namespace reading this database).
    pub fn slot(mut self, name: &str) -> Self {
        self.slot = name.to_owned();
        self
    }

    /// The publication's name; the feed creates it, or adds the cached tables to it.
    pub fn publication(mut self, name: &str) -> Self {
        self.publication = name.to_owned();
        self
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

    /// How many changes one batch reads at most (whole transactions: a larger one is read
    /// whole).
    pub fn max_changes(mut self, changes: usize) -> Self {
        self.max_changes = changes.max(1);
        self
    }

    /// How many keys a batch may name for one model (100 000 by default; counted per table the
    /// model is retired by, with repeats) before the model starts over instead, every key it has
    /// in Redis retired by a scan. A batch holds whole
    /// transactions, and the feed reads them a chunk at a time, keeping only the keys their
    /// changes name: a bulk change of more rows than this (a migration's `UPDATE` of a whole
    /// table) costs the model its cached rows rather than the feed's memory.
    pub fn max_keys(mut self, keys: usize) -> Self {
        self.max_keys = keys.max(1);
        self
    }

    /// How long the feed waits between two looks at the slot when it found nothing new: the
    /// floor of its lag.
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

    fn config(self, cache: &Cache) -> Result<FeedConfig, FeedError> {
        for (what, name) in [("slot", &self.slot), ("publication", &self.publication)] {
            if !sql::checked_name(name) {
                return Err(FeedError::InvalidName {
                    what,
                    name: name.clone(),
                });
            }
        }
        let stream = self.stream.as_deref().map(Conninfo::parse).transpose()?;
        Ok(FeedConfig {
            stream,
            models: self.models.iter().flat_map(|model| model(cache)).collect(),
            slot: self.slot,
            publication: self.publication,
            max_changes: self.max_changes,
            max_keys: self.max_keys,
            poll: self.poll,
            standby_retry: self.standby_retry,
            retry: self.retry,
            marker: marker_key(cache),
        })
    }

    /// Starts the feed on a thread of its own, with connections from `connect` (to the database
    /// the models are in). The setup (the server's settings, the publication, the slot) runs
    /// first, on the caller's thread, and its errors are returned; the thread then waits to be
    /// the active consumer and runs until the handle is dropped or stopped.
    pub fn start<C, F>(self, cache: &Cache, mut connect: F) -> Result<FeedHandle, FeedError>
    where
        C: Connection<Backend = Pg> + LoadConnection + Send + 'static,
        F: FnMut() -> diesel::ConnectionResult<C> + Send + 'static,
    {
        let config = self.config(cache)?;
        let mut db = BlockingFeedDb(connect()?);
        ready(run::set_up(
            &mut db,
            &BlockingExec(&cache.inner().store),
            cache,
            &config,
        ))?;
        let shared = Arc::new(Shared::default());
        let cache = cache.clone();
        let state = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("write_through-feed".to_owned())
            .spawn(move || {
                let exec = BlockingExec(&cache.inner().store);
                ready(run::run(
                    BlockingConnect(connect),
                    Some(db),
                    &exec,
                    &cache,
                    &config,
                    &state,
                ));
            })
            .map_err(|error| {
                FeedError::Connect(diesel::ConnectionError::BadConnection(error.to_string()))
            })?;
        Ok(FeedHandle::new(shared, Runner::Thread(Some(thread))))
    }
}

/// The application's connect function, on the blocking front.
struct BlockingConnect<F>(F);

impl<C, F> Connect for BlockingConnect<F>
where
    C: Connection<Backend = Pg> + LoadConnection + Send + 'static,
    F: FnMut() -> diesel::ConnectionResult<C> + Send + 'static,
{
    type Db = BlockingFeedDb<C>;
    type Socket = BlockingSocket;

    fn connect(&mut self) -> impl Future<Output = Result<Self::Db, FeedError>> + Send {
        std::future::ready((self.0)().map(BlockingFeedDb).map_err(FeedError::from))
    }

    fn replication(
        &mut self,
        info: &Conninfo,
    ) -> impl Future<Output = Result<Self::Socket, FeedError>> + Send {
        std::future::ready(BlockingSocket::connect(info).map_err(unreachable_server))
    }
}

/// The error for a replication connection that could not be made.
fn unreachable_server(error: std::io::Error) -> FeedError {
    FeedError::Replication {
        problem: format!("connecting for the stream: {error}"),
    }
}

/// Waits until the feed of `cache`'s namespace has applied the log up to `target`.
pub(crate) async fn wait_for_lsn<E: crate::redis::commands::Exec>(
    exec: &E,
    cache: &Cache,
    target: super::pgoutput::Lsn,
    timeout: Duration,
) -> Result<(), FeedError> {
    super::retire::wait_applied(
        exec,
        &marker_key(cache),
        &LsnText(target),
        |text| super::pgoutput::parse_lsn(text).map(LsnText),
        |applied, target| applied.0 >= target.0,
        timeout,
    )
    .await
}

/// A log position, printed as PostgreSQL prints it (`16/B374D848`).
struct LsnText(super::pgoutput::Lsn);

impl std::fmt::Display for LsnText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::pgoutput::format_lsn(self.0))
    }
}

pub(crate) fn target_of(text: Option<String>) -> Result<super::pgoutput::Lsn, FeedError> {
    let text = text.unwrap_or_default();
    super::pgoutput::parse_lsn(&text).ok_or(FeedError::Decode {
        lsn: text,
        error: "not a log position".to_owned(),
    })
}

impl FeedModel {
    /// The table as SQL names it, quoted (and qualified when the `table!` gives a schema).
    pub(crate) fn quoted_table(&self) -> String {
        let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
        match &self.schema {
            Some(schema) => format!("{}.{}", quote(schema), quote(&self.table)),
            None => quote(&self.table),
        }
    }
}

#[cfg(feature = "async")]
mod asynch {
    use std::sync::Arc;

    use diesel::pg::Pg;
    use diesel_async::AsyncConnection;

    use super::ChangeFeed;
    use crate::cache::Cache;

    use crate::feed::db::asynch::AsyncFeedDb;
    use crate::feed::handle::{FeedHandle, Runner};
    use crate::feed::run::{self, Connect};
    use crate::feed::{FeedError, Shared};
    use crate::redis::store::AsyncExec;

    impl ChangeFeed {
        /// Starts the feed as a tokio task, with diesel-async connections from `connect`. The
        /// setup runs first and its errors are returned; the task then waits to be the active
        /// consumer and runs until the handle is dropped or stopped.
        pub async fn start_async<C, F, Fut>(
            self,
            cache: &Cache,
            mut connect: F,
        ) -> Result<FeedHandle, FeedError>
        where
            C: AsyncConnection<Backend = Pg> + Send + 'static,
            F: FnMut() -> Fut + Send + 'static,
            Fut: Future<Output = diesel::ConnectionResult<C>> + Send,
        {
            let config = self.config(cache)?;
            let mut db = AsyncFeedDb(connect().await?);
            run::set_up(&mut db, &AsyncExec(&cache.inner().store), cache, &config).await?;
            let shared = Arc::new(Shared::default());
            let cache = cache.clone();
            let state = Arc::clone(&shared);
            let task = tokio::spawn(async move {
                let exec = AsyncExec(&cache.inner().store);
                run::run(
                    AsyncConnect(connect),
                    Some(db),
                    &exec,
                    &cache,
                    &config,
                    &state,
                )
                .await;
            });
            Ok(FeedHandle::new(shared, Runner::Task(task)))
        }
    }

    use crate::feed::conninfo::Conninfo;
    use crate::feed::socket::asynch::AsyncSocket;

    /// The application's connect function, on the async front.
    struct AsyncConnect<F>(F);

    impl<C, F, Fut> Connect for AsyncConnect<F>
    where
        C: AsyncConnection<Backend = Pg> + Send + 'static,
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = diesel::ConnectionResult<C>> + Send,
    {
        type Db = AsyncFeedDb<C>;
        type Socket = AsyncSocket;

        fn connect(&mut self) -> impl Future<Output = Result<Self::Db, FeedError>> + Send {
            let connecting = (self.0)();
            async move { Ok(AsyncFeedDb(connecting.await?)) }
        }

        async fn replication(&mut self, info: &Conninfo) -> Result<Self::Socket, FeedError> {
            AsyncSocket::connect(info)
                .await
                .map_err(super::unreachable_server)
        }
    }
}
