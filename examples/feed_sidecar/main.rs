//! The change feed as a sidecar: a process that does nothing but retire, in Redis, the rows of
//! the axum example's models that any committed write changed (raw SQL, another service, a
//! migration), so that the services themselves need not run it.
//!
//! ```text
//! cargo run -p write_through_examples --bin feed_sidecar --features axum-service
//! ```
//!
//! `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`; the server needs
//! `wal_level = logical` and a user with the REPLICATION attribute; a `mysql://` URL reads a
//! MariaDB's binlog instead, which needs `log_bin`, `binlog_format = ROW` and
//! `binlog_row_image = FULL`), `REDIS_URL` (default
//! `redis://127.0.0.1:6379`), `CACHE_NAMESPACE` (the services' namespace, default `wt`),
//! `FEED_SLOT` (the replication slot and publication, or on MariaDB the name of the lock that
//! picks the active consumer, default `write_through`), `FEED_POLL=1` (poll the slot instead of
//! streaming it over the replication protocol: for a server reached only over TLS). Start two for
//! a standby: one is active, the other takes over when it stops. Ctrl-C (or SIGTERM) stops it;
//! what it had not applied stays in the slot for the next one.
//!
//! The services should mark their writes (`Cache::builder(url).mark_writes_for_feed(true)`;
//! `MARK_WRITES_FOR_FEED=1` for the axum example): the feed then leaves what each write
//! published in place instead of retiring it, which would cost the write's next read a miss.
//!
//! A sidecar of your own is this file with your models in `ChangeFeed::model` (or
//! `BinlogFeed::model`).

#[allow(
    dead_code,
    reason = "the axum example's models; its handlers are not served here"
)]
#[path = "../axum_service/app.rs"]
mod app;

use std::process::ExitCode;

use diesel_async::{AsyncConnection, AsyncPgConnection};
use write_through::Cache;
use write_through::feed::{BinlogFeed, ChangeFeed, FeedError, FeedHandle};

/// The feed of the database `database_url` names: PostgreSQL's logical decoding, or MariaDB's
/// binlog for a `mysql://` URL.
async fn start(cache: &Cache, database_url: String, slot: &str) -> Result<FeedHandle, FeedError> {
    if database_url.starts_with("mysql://") {
        return BinlogFeed::mariadb()
            .lock_name(slot)
            .model::<app::User>()
            .start_async(cache, &database_url)
            .await;
    }
    // Streamed over the replication protocol (`FEED_POLL=1`: polled, for a server reached
    // only over TLS, which the streaming reader does not speak).
    let mut feed = ChangeFeed::postgres()
        .slot(slot)
        .publication(slot)
        .model::<app::User>();
    if std::env::var("FEED_POLL").as_deref() != Ok("1") {
        feed = feed.streaming(&database_url);
    }
    let connect = move || {
        let url = database_url.clone();
        async move { AsyncPgConnection::establish(&url).await }
    };
    feed.start_async(cache, connect).await
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    let database_url = env_or("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test");
    let redis_url = env_or("REDIS_URL", "redis://127.0.0.1:6379");
    let namespace = env_or("CACHE_NAMESPACE", "wt");
    let slot = env_or("FEED_SLOT", "write_through");
    let cache = match Cache::builder(&redis_url).namespace(&namespace).build() {
        Ok(cache) => cache,
        Err(error) => {
            eprintln!("feed_sidecar: REDIS_URL: {error}");
            return ExitCode::FAILURE;
        }
    };
    let feed = match start(&cache, database_url, &slot).await {
        Ok(feed) => feed,
        Err(error) => {
            eprintln!("feed_sidecar: {error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("feed_sidecar: started (slot {slot}, namespace {namespace})");
    let _ = tokio::signal::ctrl_c().await;
    feed.stop();
    let stats = cache.stats();
    eprintln!(
        "feed_sidecar: stopped after {} changes, {} invalidations",
        stats.feed_changes, stats.feed_invalidations
    );
    ExitCode::SUCCESS
}
