//! The feed's one loop, for both fronts: set up the publication and the slot, wait to be the
//! active consumer, then read the slot's changes, retire what they name, and only then move the
//! slot on.
//!
//! At least once: a batch is read with `peek` (the slot keeps it), its keys are invalidated, and
//! the slot is advanced past it only when Redis acknowledged every invalidation. A consumer that
//! dies in between leaves the slot where it was, and the next one invalidates the batch again
//! (an invalidation is idempotent). A failure of either server ends the session; the loop waits
//! and starts a new one on a new connection.

use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::conninfo::Conninfo;
use super::db::FeedDb;
use super::pgoutput::{self, Lsn};
use super::pgoutput_plan::Relations;
use super::plan;
use super::socket::ReplicationSocket;
use super::{FeedConfig, FeedError, Shared, retire, sql};
use crate::cache::Cache;
use crate::redis::commands::{self, Exec};
use crate::stats::Event;

/// Opens the feed's connections (the application's connect function, on its front, and the
/// streaming reader's socket).
pub(crate) trait Connect: Send {
    type Db: FeedDb;
    type Socket: ReplicationSocket;

    fn connect(&mut self) -> impl Future<Output = Result<Self::Db, FeedError>> + Send;

    /// Connects to the walsender `info` names.
    fn replication(
        &mut self,
        info: &Conninfo,
    ) -> impl Future<Output = Result<Self::Socket, FeedError>> + Send;
}

/// Runs sessions until `shared.stop` is set.
pub(crate) async fn run<K: Connect, E: Exec>(
    mut connect: K,
    mut db: Option<K::Db>,
    exec: &E,
    cache: &Cache,
    config: &FeedConfig,
    shared: &Shared,
) {
    while !shared.stop.load(SeqCst) {
        let session = match db.take() {
            Some(db) => Ok(db),
            None => connect.connect().await,
        };
        let outcome = match session {
            Ok(mut db) => consume(&mut db, &mut connect, exec, cache, config, shared).await,
            Err(error) => Err(error),
        };
        shared.active.store(false, SeqCst);
        if let Err(error) = outcome {
            tracing::warn!(%error, slot = %config.slot, "change feed session ended; starting another");
            cache
                .inner()
                .store
                .counters
                .record(Event::FeedRestart, super::ANY_MODEL);
            exec.sleep(config.retry).await;
        }
    }
}

/// Checks the server and creates what the feed needs: the publication of the cached tables and
/// the slot. When the slot had to be created again after the feed had run (dropped, or its WAL
/// removed), changes were lost: every model starts over.
pub(crate) async fn set_up<D: FeedDb, E: Exec>(
    db: &mut D,
    exec: &E,
    cache: &Cache,
    config: &FeedConfig,
) -> Result<(), FeedError> {
    let level = db.text(sql::wal_level()).await?.unwrap_or_default();
    if level != "logical" {
        return Err(FeedError::WalLevel { found: level });
    }
    db.run(sql::session_formats()).await?;
    let mut tables: Vec<String> = Vec::new();
    for model in &config.models {
        let table = model.quoted_table();
        match db.text(sql::primary_keys(&table)).await?.as_deref() {
            None => return Err(FeedError::NoTable { table }),
            Some("0") => return Err(FeedError::NoPrimaryKey { table }),
            Some(_) => {}
        }
        // A deleted row, or an updated one whose key changed, names its old key only through
        // the columns the table's replica identity sends of the old row.
        let identity = db
            .text(sql::replica_identity(&table))
            .await?
            .unwrap_or_default();
        if !identity_sends(&identity, &model.key_columns) {
            return Err(FeedError::ReplicaIdentity {
                table,
                columns: model.key_columns.join(", "),
            });
        }
        if !tables.contains(&table) {
            tables.push(table);
        }
    }
    let publication = &config.publication;
    if db
        .text(sql::publication_exists(publication))
        .await?
        .is_none()
    {
        let created = db.run(sql::create_publication(publication, &tables)).await;
        // Another consumer may have created it meanwhile; the tables are checked below.
        if let Err(error) = created
            && db
                .text(sql::publication_exists(publication))
                .await?
                .is_none()
        {
            return Err(FeedError::setup("creating the publication", error));
        }
    }
    // A publication found there (made by an earlier feed, or by hand) must let every change
    // through: inserts, updates, deletes, truncates, partitions as their root, whole rows.
    let options = db
        .text(sql::publication_options(publication))
        .await?
        .unwrap_or_default();
    let options: Vec<&str> = options.split(',').collect();
    if options.len() != 6 || options[..5].iter().any(|&option| option != "t") {
        return Err(FeedError::Publication {
            publication: publication.clone(),
            problem: "it must publish inserts, updates, deletes and truncates, with publish_via_partition_root = true",
        });
    }
    let all_tables = options[5] == "t";
    for table in &tables {
        if !all_tables && db.text(sql::publishes(publication, table)).await?.is_none() {
            db.run(sql::add_table(publication, table))
                .await
                .map_err(|error| FeedError::setup("adding a table to the publication", error))?;
        }
        if db.text(sql::filtered(publication, table)).await?.is_some() {
            return Err(FeedError::Publication {
                publication: publication.clone(),
                problem: "it filters a cached table's rows or columns (a WHERE or a column list), which would hide changes",
            });
        }
    }

    let slot = &config.slot;
    let state = db.text(sql::slot_state(slot)).await?;
    let lost = match state.as_deref() {
        None => true,
        Some(state) => {
            let (plugin, status) = state.split_once('/').unwrap_or((state, ""));
            if plugin != "pgoutput" {
                return Err(FeedError::SlotPlugin {
                    slot: slot.clone(),
                    plugin: plugin.to_owned(),
                });
            }
            if status == "lost" {
                tracing::warn!(%slot, "the slot's WAL was removed (max_slot_wal_keep_size); recreating it");
                db.run(sql::drop_slot(slot)).await?;
                true
            } else {
                false
            }
        }
    };
    if lost {
        if let Err(error) = db.text(sql::create_slot(slot)).await
            && db.text(sql::slot_state(slot)).await?.is_none()
        {
            return Err(FeedError::setup("creating the replication slot", error));
        }
        // A feed that ran before recorded how far it applied: what happened since is lost.
        let marker = commands::get(exec, &config.marker).await?;
        if marker.is_some() {
            tracing::warn!(%slot, "the slot was created again after the feed had run; every model starts over");
            for at in 0..config.models.len() {
                retire::start_over(exec, cache, &config.models, at).await?;
            }
        }
    }
    // From now on this cache's own writes carry their mark, and the feed leaves what they
    // publish in place (`feed::mark`).
    cache
        .inner()
        .marks_writes
        .store(true, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

/// One session: standby until this consumer holds the slot's lock, then batches until stopped
/// or a server fails, streamed (`stream.rs`) when the feed was given a replication URL, else
/// polled with `peek` and `advance`.
async fn consume<K: Connect, E: Exec>(
    db: &mut K::Db,
    connect: &mut K,
    exec: &E,
    cache: &Cache,
    config: &FeedConfig,
    shared: &Shared,
) -> Result<(), FeedError> {
    set_up(db, exec, cache, config).await?;
    loop {
        if shared.stop.load(SeqCst) {
            return Ok(());
        }
        if db.text(sql::try_lock(&config.slot)).await?.as_deref() == Some("true") {
            break;
        }
        exec.sleep(config.standby_retry).await;
    }
    if let Some(info) = &config.stream {
        let socket = connect.replication(info).await?;
        return super::stream::consume(db, socket, info, exec, cache, config, shared).await;
    }
    shared.active.store(true, SeqCst);
    tracing::info!(slot = %config.slot, "change feed active, polling");
    let mut applied = Applied::new(db, config).await?;
    let mut relations = Relations::default();
    while !shared.stop.load(SeqCst) {
        let flushed = lsn_of(db.text(sql::flushed()).await?)?;
        let (batch, read) = read_batch(db, cache, config, &mut relations).await?;
        let drained = read < config.max_changes;
        retire_batch(db, exec, cache, config, &batch, read).await?;

        // Everything up to `upto` is retired; the slot and the marker move there.
        let upto = match (drained, batch.commit_end) {
            (true, end) => Some(end.map_or(flushed, |end| end.max(flushed))),
            (false, end) => end,
        };
        if let Some(upto) = upto {
            // The slot moves only forward (a new slot may start ahead of the flushed log).
            if upto > applied.confirmed {
                db.text(sql::advance(&config.slot, upto)).await?;
            }
            applied
                .record(db, exec, config, shared, &batch, upto)
                .await?;
        }
        if drained {
            exec.sleep(config.poll).await;
        }
    }
    Ok(())
}

/// Retires what a batch names, once its transactions are visible to other sessions.
pub(crate) async fn retire_batch<D: FeedDb, E: Exec>(
    db: &mut D,
    exec: &E,
    cache: &Cache,
    config: &FeedConfig,
    batch: &plan::BatchPlan,
    read: usize,
) -> Result<(), FeedError> {
    if read > 0 {
        tracing::debug!(
            slot = %config.slot,
            messages = read,
            changes = batch.changes,
            keys = batch.keys.len(),
            covered = batch.covered.len(),
            start_overs = batch.start_over.len(),
            "write_through.feed batch"
        );
    }
    wait_visible(db, exec, config, &batch.xids).await?;
    retire::apply(exec, cache, &config.models, batch).await
}

/// How far the slot is confirmed, and the record of what is applied in Redis (for
/// `catch_up`), with the feed's metrics.
pub(crate) struct Applied {
    confirmed: Lsn,
    batches: u64,
}

impl Applied {
    /// Starts from where the slot was confirmed.
    pub(crate) async fn new<D: FeedDb>(db: &mut D, config: &FeedConfig) -> Result<Self, FeedError> {
        Ok(Self {
            confirmed: lsn_of(db.text(sql::confirmed(&config.slot)).await?)?,
            batches: 0,
        })
    }

    /// Where the slot is confirmed: the log before it is retired.
    pub(crate) fn confirmed(&self) -> Lsn {
        self.confirmed
    }

    /// Records that `batch` was retired and the slot confirmed up to `upto`.
    pub(crate) async fn record<D: FeedDb, E: Exec>(
        &mut self,
        db: &mut D,
        exec: &E,
        config: &FeedConfig,
        shared: &Shared,
        batch: &plan::BatchPlan,
        upto: Lsn,
    ) -> Result<(), FeedError> {
        self.confirmed = self.confirmed.max(upto);
        // The record of what is applied follows the slot whenever it grows (and now and then,
        // should Redis have lost it).
        let applied = shared.applied.load(SeqCst);
        if upto > applied || self.batches % 100 == 0 {
            let applied = upto.max(applied);
            commands::set_marker(
                exec,
                &config.marker,
                pgoutput::format_lsn(applied).as_bytes(),
            )
            .await?;
            shared.applied.store(applied, SeqCst);
        }
        if let Some(committed) = batch.commit_time {
            metrics::histogram!("write_through_feed_lag_seconds").record(lag_seconds(committed));
        }
        self.batches += 1;
        if self.batches % 100 == 1
            && let Some(bytes) = db.text(sql::retained(&config.slot)).await?
        {
            metrics::gauge!("write_through_feed_retained_wal_bytes")
                .set(bytes.parse::<f64>().unwrap_or(0.0));
        }
        Ok(())
    }
}

/// Reads the slot's next batch through a cursor, a chunk of messages at a time, each decoded,
/// planned and dropped before the next is fetched: the feed holds the batch's keys, never its
/// rows. Returns the plan and how many messages were read.
async fn read_batch<D: FeedDb>(
    db: &mut D,
    cache: &Cache,
    config: &FeedConfig,
    relations: &mut Relations,
) -> Result<(plan::BatchPlan, usize), FeedError> {
    let mut planner = plan::Planner::new(cache, &config.models, config.max_keys);
    let mut read = 0;
    db.run(sql::open_changes(
        &config.slot,
        &config.publication,
        config.max_changes,
    ))
    .await?;
    let fetched: Result<(), FeedError> = async {
        loop {
            let rows = db.changes(sql::fetch_changes()).await?;
            read += rows.len();
            let mut messages = Vec::with_capacity(rows.len());
            for row in &rows {
                messages.push(
                    pgoutput::decode(&row.data).map_err(|error| FeedError::Decode {
                        lsn: row.lsn.clone(),
                        error: error.to_string(),
                    })?,
                );
            }
            planner.read(relations, messages);
            if rows.len() < sql::FETCH_ROWS {
                return Ok(());
            }
        }
    }
    .await;
    if let Err(error) = fetched {
        // The session ends; should the connect function hand out pooled connections, this
        // one must not go back inside the cursor's transaction.
        let _ = db.run("ROLLBACK".to_owned()).await;
        return Err(error);
    }
    db.run(sql::close_changes()).await?;
    Ok((planner.finish(), read))
}

/// Waits until none of `xids` is in progress any more. A transaction's commit is in the log
/// (and decoded) before other sessions can see it, for as long as a synchronous standby takes to
/// acknowledge it: a key retired in between could be filled again from the row as it was.
async fn wait_visible<D: FeedDb, E: Exec>(
    db: &mut D,
    exec: &E,
    config: &FeedConfig,
    xids: &[u32],
) -> Result<(), FeedError> {
    if xids.is_empty() {
        return Ok(());
    }
    // A stream sends a commit as soon as it is flushed, usually a moment before the committing
    // session has made it visible: the first looks come quickly, then every poll interval.
    let mut pause = Duration::from_micros(250).min(config.poll);
    let started = std::time::Instant::now();
    let mut checked = false;
    loop {
        let snapshot = db.text(sql::snapshot()).await?.unwrap_or_default();
        if !in_progress(&snapshot, xids) {
            return Ok(());
        }
        // A commit waiting this long may be waiting for the feed itself, should the server
        // have been told since the session began to count its stream as a synchronous standby.
        if !checked && started.elapsed() >= Duration::from_secs(1) {
            checked = true;
            super::stream::refuse_sync_standby(db, config).await?;
        }
        exec.sleep(pause).await;
        pause = (pause * 2).min(config.poll.max(pause));
    }
}

/// Whether a snapshot (`xmin:xmax:xip,...`, 64-bit ids) holds one of `xids` (the log's 32-bit
/// ids, whose epoch it leaves out) as in progress: listed, or at or past `xmax` (a transaction
/// still waiting to end, such as a commit waiting for a synchronous standby, may be past the
/// latest one that completed).
fn in_progress(snapshot: &str, xids: &[u32]) -> bool {
    let mut parts = snapshot.split(':');
    let (Some(_), Some(xmax), Some(running)) = (parts.next(), parts.next(), parts.next()) else {
        // Unreadable: wait rather than retire too early.
        return true;
    };
    let Ok(xmax) = xmax.parse::<u64>() else {
        return true;
    };
    let running: Vec<u64> = running
        .split(',')
        .filter_map(|id| id.parse::<u64>().ok())
        .collect();
    xids.iter().any(|&xid| {
        // The 64-bit id of `xid`: in `xmax`'s epoch, or the one before when that is past it.
        let mut full = (xmax & !0xFFFF_FFFF) | u64::from(xid);
        if full > xmax && full >= 1 << 32 {
            full -= 1 << 32;
        }
        full >= xmax || running.contains(&full)
    })
}

/// Whether a replica identity (`kind:columns`, see `sql::replica_identity`) sends `needed` of an
/// old row: whole rows always, the primary key's or an index's columns when they hold them.
fn identity_sends(identity: &str, needed: &[&str]) -> bool {
    match identity.split_once(':') {
        Some(("f", _)) => true,
        Some(("d" | "i", columns)) => {
            let sent: Vec<&str> = columns.split(',').collect();
            needed.iter().all(|column| sent.contains(column))
        }
        _ => false,
    }
}

fn lsn_of(text: Option<String>) -> Result<Lsn, FeedError> {
    let text = text.unwrap_or_default();
    pgoutput::parse_lsn(&text).ok_or(FeedError::Decode {
        lsn: text,
        error: "not a log position".to_owned(),
    })
}

/// Now, in microseconds since 2000-01-01 UTC (PostgreSQL's epoch, in which commit times and
/// status updates are given).
pub(crate) fn postgres_now() -> i64 {
    const POSTGRES_EPOCH_UNIX_MICROS: i64 = 946_684_800_000_000;
    let since_unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_micros() as i64);
    since_unix.saturating_sub(POSTGRES_EPOCH_UNIX_MICROS)
}

/// Seconds from a commit (PostgreSQL's microseconds since 2000-01-01) to now.
fn lag_seconds(commit_time: i64) -> f64 {
    let lag = postgres_now().saturating_sub(commit_time);
    Duration::from_micros(lag.max(0) as u64).as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transaction_is_in_progress_while_a_snapshot_lists_it() {
        // 4294967303 is 2^32 + 7: the log's 32-bit id 7, in the next epoch.
        assert!(in_progress(
            "4294967296:4294967310:4294967299,4294967303",
            &[7]
        ));
        assert!(!in_progress(
            "4294967296:4294967310:4294967299,4294967301",
            &[7, 9]
        ));
        assert!(!in_progress("100:100:", &[7]));
        // At or past `xmax`: not completed yet (a commit waiting for a synchronous standby).
        assert!(in_progress("727:727:", &[727]));
        assert!(in_progress("727:727:", &[800]));
        // 2^32 - 2, in the epoch before `xmax`'s.
        assert!(!in_progress("4294967300:4294967300:", &[4_294_967_294]));
        assert!(in_progress("garbage", &[7]));
    }

    #[test]
    fn a_replica_identity_sends_the_columns_it_names() {
        assert!(identity_sends("d:id", &["id"]));
        assert!(!identity_sends("d:id", &["slug"]));
        assert!(identity_sends("i:slug,org", &["org", "slug"]));
        assert!(identity_sends("f:", &["user_id"]));
        assert!(!identity_sends("n:", &["id"]));
        assert!(!identity_sends("", &["id"]));
    }
}
