//! The binlog feed's loop, for both fronts: check the server, wait to be the active consumer
//! (a named lock), then read the binlog from the position recorded in Redis, retire what each
//! batch of transactions names, and only then record the position past it.
//!
//! At least once: the position is written after Redis acknowledged every invalidation of the
//! batch, so a consumer that dies in between leaves the batch to the next one. The position
//! lives in Redis beside the cache it protects, under the namespace's feed key; a feed that
//! finds none (the first start, or a Redis that lost it) cannot know what it missed, and starts
//! every model over before it reads on from the server's current position.

use std::collections::HashMap;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{FutureExt, StreamExt};
use mysql_async::binlog::events::EventData;
use mysql_async::prelude::Queryable;
use mysql_async::{BinlogStream, BinlogStreamRequest, Conn, Opts};

use super::events::{BinlogReader, Cascade, ColumnNames, Step};
use super::gtid::GtidPosition;
use crate::cache::Cache;
use crate::feed::plan::{FeedModel, Planner};
use crate::feed::{FeedError, Shared, retire};
use crate::redis::commands::{self, Exec};
use crate::stats::Event;

/// How long the stream may stay silent (the server sends a heartbeat every second,
/// `@master_heartbeat_period`) before the session takes its connection for dead.
const SILENCE: Duration = Duration::from_secs(10);
/// The binlog's rotate, table map and heartbeat events.
const ROTATE: u8 = 4;
const TABLE_MAP: u8 = 19;
const HEARTBEAT: u8 = 27;

/// The server's error for a position it cannot serve (its binlog was purged past it).
const CANNOT_READ_BINLOG: u16 = 1236;

/// What the loop reads: the feed's settings and models, fixed at start.
pub(crate) struct BinlogConfig {
    pub(crate) opts: Opts,
    pub(crate) models: Vec<FeedModel>,
    pub(crate) server_id: u32,
    pub(crate) lock: String,
    pub(crate) max_changes: usize,
    pub(crate) max_keys: usize,
    pub(crate) poll: Duration,
    pub(crate) standby_retry: Duration,
    pub(crate) retry: Duration,
    /// The Redis key recording the position the feed applied the binlog to.
    pub(crate) marker: Vec<u8>,
}

/// Runs sessions until `shared.stop` is set.
pub(crate) async fn run<E: Exec>(exec: &E, cache: &Cache, config: &BinlogConfig, shared: &Shared) {
    while !shared.stop.load(SeqCst) {
        let outcome = consume(exec, cache, config, shared).await;
        shared.active.store(false, SeqCst);
        if let Err(error) = outcome {
            tracing::warn!(%error, "binlog feed session ended; starting another");
            cache
                .inner()
                .store
                .counters
                .record(Event::FeedRestart, crate::feed::ANY_MODEL);
            exec.sleep(config.retry).await;
        }
    }
}

/// Connects the feed's control connection and checks the server: MariaDB, its binlog on and
/// row-based with whole images, every cached table there with a primary key.
pub(crate) async fn set_up(config: &BinlogConfig) -> Result<Conn, FeedError> {
    let mut control = Conn::new(config.opts.clone()).await.map_err(binlog_error)?;
    let version: String = first(&mut control, "SELECT VERSION()")
        .await?
        .unwrap_or_default();
    if !version.contains("MariaDB") {
        return Err(FeedError::NotMariaDb { version });
    }
    let setting = |found: Option<String>| found.unwrap_or_default();
    let log_bin = setting(first(&mut control, "SELECT @@GLOBAL.log_bin").await?);
    if log_bin != "1" && !log_bin.eq_ignore_ascii_case("ON") {
        return Err(FeedError::BinlogSetting {
            setting: "log_bin",
            found: log_bin,
            wanted: "ON",
        });
    }
    for (name, wanted) in [
        ("binlog_format", "ROW"),
        ("binlog_row_image", "FULL"),
        // Compressed events are sent as such to a reader, which mysql_async does not decode.
        ("log_bin_compress", "OFF"),
    ] {
        let found = setting(first(&mut control, &format!("SELECT @@GLOBAL.{name}")).await?);
        let found = match found.as_str() {
            "0" => "OFF".to_owned(),
            "1" => "ON".to_owned(),
            _ => found,
        };
        if !found.eq_ignore_ascii_case(wanted) {
            return Err(FeedError::BinlogSetting {
                setting: name,
                found,
                wanted,
            });
        }
    }
    for model in &config.models {
        let table = quote_text(&model.table);
        let schema = match &model.schema {
            Some(schema) => quote_text(schema),
            None => "DATABASE()".to_owned(),
        };
        let keys: Option<String> = first(
            &mut control,
            &format!(
                "SELECT CAST(COUNT(k.CONSTRAINT_NAME) AS CHAR) FROM information_schema.TABLES t \
                 LEFT JOIN information_schema.TABLE_CONSTRAINTS k ON k.TABLE_SCHEMA = t.TABLE_SCHEMA \
                 AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_TYPE = 'PRIMARY KEY' \
                 WHERE t.TABLE_SCHEMA = {schema} AND t.TABLE_NAME = {table} GROUP BY t.TABLE_NAME"
            ),
        )
        .await?;
        match keys.as_deref() {
            None => {
                return Err(FeedError::NoTable {
                    table: model.table.clone(),
                });
            }
            Some("0") => {
                return Err(FeedError::NoPrimaryKey {
                    table: model.table.clone(),
                });
            }
            Some(_) => {}
        }
    }
    // The table the library's writes leave their marks in (`feed::mark`), in the feed's
    // database, as the services' connections name it.
    control
        .query_drop(crate::feed::mark::MYSQL_CREATE)
        .await
        .map_err(binlog_error)?;
    Ok(control)
}

/// One session: standby until this consumer holds the named lock, then batches until stopped or
/// a server fails.
async fn consume<E: Exec>(
    exec: &E,
    cache: &Cache,
    config: &BinlogConfig,
    shared: &Shared,
) -> Result<(), FeedError> {
    let mut control = set_up(config).await?;
    loop {
        if shared.stop.load(SeqCst) {
            return Ok(());
        }
        let held: Option<String> = first(
            &mut control,
            &format!(
                "SELECT CAST(GET_LOCK({}, 0) AS CHAR)",
                quote_text(&config.lock)
            ),
        )
        .await?;
        if held.as_deref() == Some("1") {
            break;
        }
        exec.sleep(config.standby_retry).await;
    }
    shared.active.store(true, SeqCst);
    tracing::info!(lock = %config.lock, "binlog feed active");

    let position = recorded_or_now(&mut control, exec, cache, config).await?;

    let mut stream_conn = Conn::new(config.opts.clone()).await.map_err(binlog_error)?;
    stream_conn
        .query_drop(format!(
            "SET @mariadb_slave_capability = 4, @slave_connect_state = '{position}', \
             @slave_gtid_strict_mode = 0, @slave_gtid_ignore_duplicates = 0, \
             @master_heartbeat_period = 1000000000"
        ))
        .await
        .map_err(binlog_error)?;
    // The server's dump thread outlives a dropped stream until its next write, holding its
    // binlog file from `PURGE`: it is ended with the session.
    let stream_id = stream_conn.id();
    let mut stream = stream_conn
        .get_binlog_stream(BinlogStreamRequest::new(config.server_id))
        .await
        .map_err(binlog_error)?;

    let read = read_batches(
        &mut stream,
        &mut control,
        exec,
        cache,
        config,
        shared,
        position,
    )
    .await;
    let _ = control
        .query_drop(format!("KILL CONNECTION {stream_id}"))
        .await;
    read
}

/// Reads the stream a batch at a time: the events up to the end of a transaction with nothing
/// more ready (or a full batch), then what they name retired, then the position recorded.
async fn read_batches<E: Exec>(
    stream: &mut BinlogStream,
    control: &mut Conn,
    exec: &E,
    cache: &Cache,
    config: &BinlogConfig,
    shared: &Shared,
    mut position: GtidPosition,
) -> Result<(), FeedError> {
    let mut reader = BinlogReader::default();
    reader.cascades = cascades(control, config).await?;
    let mut names = TableNames::default();
    let mut file = String::new();
    while !shared.stop.load(SeqCst) {
        let mut planner = Planner::new(cache, &config.models, config.max_keys);
        let mut batch_position = position.clone();
        let mut end = 0u64;
        let mut committed_at: Option<u32> = None;
        let mut transactions = 0usize;
        let mut last_event = Instant::now();
        // Events until a transaction ends with nothing more ready, or the batch is full.
        loop {
            let next = if transactions == 0 {
                match tokio::time::timeout(config.poll, stream.next()).await {
                    Ok(next) => next,
                    Err(_) if shared.stop.load(SeqCst) => return Ok(()),
                    // The server sends a heartbeat every second when it has nothing else.
                    Err(_) if last_event.elapsed() > SILENCE => return Err(binlog_closed()),
                    Err(_) => continue,
                }
            } else {
                // What is already read ends the batch; a timer, even of zero, would wait for
                // its tick, and events a millisecond apart would then never end one.
                match stream.next().now_or_never() {
                    Some(next) => next,
                    None => break,
                }
            };
            let Some(next) = next else {
                return Err(binlog_closed());
            };
            let event = match next {
                Ok(event) => event,
                Err(mysql_async::Error::Server(error)) if error.code == CANNOT_READ_BINLOG => {
                    tracing::warn!(
                        message = %error.message,
                        "the server cannot send the binlog from the feed's position (purged?); every model starts over"
                    );
                    start_from_now(control, exec, cache, config).await?;
                    return Err(binlog_error(mysql_async::Error::Server(error)));
                }
                Err(error) => return Err(binlog_error(error)),
            };
            // A table map is decoded here too only to read the names of a table the feed reads
            // before its rows: the reader decodes every event once more.
            if event.header().event_type_raw() == TABLE_MAP
                && let Ok(Some(EventData::TableMapEvent(map))) = event.read_data()
            {
                let (schema, table) = (map.database_name(), map.table_name());
                if reads(config, &reader, &schema, &table) {
                    names.ensure(control, &schema, &table).await?;
                }
            }
            let step =
                reader
                    .read(&mut planner, &event, &names)
                    .map_err(|error| FeedError::Decode {
                        lsn: format!("{file}:{}", event.header().log_pos()),
                        error: error.to_string(),
                    })?;
            if !reader.altered.is_empty() {
                let altered: Vec<(String, String)> = reader.altered.drain(..).collect();
                for name in &altered {
                    names.by_table.remove(name);
                }
                // The server logs a definition before it lets go of the table, and
                // `information_schema` may show the table as it was until then: wait for the
                // tables it names that the feed reads (a read of none of their rows waits for
                // the definition's lock; a name that is no table fails, and is skipped).
                for (schema, table) in &altered {
                    if reads(config, &reader, schema, table) {
                        let _ = control
                            .query_drop(format!(
                                "SELECT 1 FROM {}.{} LIMIT 0",
                                quote_ident(schema),
                                quote_ident(table)
                            ))
                            .await;
                    }
                }
                // A definition may also have added or dropped a foreign key that acts on a
                // cached table.
                reader.cascades = cascades(control, config).await?;
            }
            last_event = Instant::now();
            // Where the next event starts: the position the batch has read up to. A heartbeat
            // says where the server is, not what was read; a rotation's own position is in the
            // file it leaves (the step gives the new one's).
            let kind = event.header().event_type_raw();
            if event.header().log_pos() != 0 && kind != HEARTBEAT && kind != ROTATE {
                end = u64::from(event.header().log_pos());
            }
            match step {
                Step::Committed(gtid) => {
                    batch_position.advance(gtid);
                    committed_at = Some(event.header().timestamp());
                    transactions += 1;
                    if planner.plan.changes as usize >= config.max_changes {
                        break;
                    }
                }
                Step::Rotated { name, position } => {
                    file = name;
                    end = position;
                }
                Step::Read => {}
            }
            if shared.stop.load(SeqCst) && transactions == 0 {
                return Ok(());
            }
        }
        let plan = planner.finish();
        if transactions > 0 {
            tracing::debug!(
                transactions,
                changes = plan.changes,
                keys = plan.keys.len(),
                covered = plan.covered.len(),
                start_overs = plan.start_over.len(),
                position = %batch_position,
                "write_through.feed binlog batch"
            );
        }
        let retires = !plan.keys.is_empty() || !plan.start_over.is_empty();
        if retires && !wait_visible(control, exec, config, Some(shared), &file, end).await? {
            // Stopped: the batch is read again by the next consumer.
            return Ok(());
        }
        retire::apply(exec, cache, &config.models, &plan).await?;
        commands::set_marker(exec, &config.marker, batch_position.to_string().as_bytes()).await?;
        position = batch_position;
        if let Some(at) = committed_at {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0.0, |since| since.as_secs_f64());
            metrics::histogram!("write_through_feed_lag_seconds")
                .record((now - f64::from(at)).max(0.0));
        }
    }
    Ok(())
}

/// Checks the server, then makes sure a position is recorded, so that every change committed
/// after this returns is read: without one, every model starts over from the current position.
pub(crate) async fn prepare<E: Exec>(
    exec: &E,
    cache: &Cache,
    config: &BinlogConfig,
) -> Result<(), FeedError> {
    let mut control = set_up(config).await?;
    recorded_or_now(&mut control, exec, cache, config).await?;
    let _ = control.disconnect().await;
    // From now on this cache's own writes carry their mark, and the feed leaves what they
    // publish in place.
    cache
        .inner()
        .marks_writes
        .store(true, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

/// The position recorded in Redis; when there is none (the first start, or a Redis that lost
/// it), what the feed missed cannot be known: every model starts over from the current one.
async fn recorded_or_now<E: Exec>(
    control: &mut Conn,
    exec: &E,
    cache: &Cache,
    config: &BinlogConfig,
) -> Result<GtidPosition, FeedError> {
    let recorded = commands::get(exec, &config.marker).await?;
    let recorded = recorded
        .as_deref()
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(GtidPosition::parse);
    match recorded {
        Some(position) => Ok(position),
        None => {
            tracing::warn!("the binlog feed has no recorded position; every model starts over");
            start_from_now(control, exec, cache, config).await
        }
    }
}

/// Starts every model over from the server's current position: the position is read first,
/// every key the models have is retired once what it covers is visible, then it is recorded.
async fn start_from_now<E: Exec>(
    control: &mut Conn,
    exec: &E,
    cache: &Cache,
    config: &BinlogConfig,
) -> Result<GtidPosition, FeedError> {
    let now: String = first(control, "SELECT @@GLOBAL.gtid_binlog_pos")
        .await?
        .unwrap_or_default();
    let position = GtidPosition::parse(&now).ok_or_else(|| FeedError::Decode {
        lsn: now.clone(),
        error: "not a GTID position".to_owned(),
    })?;
    let (file, end) = binlog_end(control).await?;
    wait_visible(control, exec, config, None, &file, end).await?;
    for at in 0..config.models.len() {
        retire::start_over(exec, cache, &config.models, at).await?;
    }
    commands::set_marker(exec, &config.marker, position.to_string().as_bytes()).await?;
    Ok(position)
}

/// Waits until every transaction written to the binlog up to `file`:`end` is visible to new
/// snapshots. MariaDB writes a transaction to the binlog before its storage engine commits it:
/// a key retired in between could be filled again from the row as it was. A consistent
/// snapshot's binlog position (`binlog_snapshot_file`, `binlog_snapshot_position`) says which
/// transactions it sees.
async fn wait_visible<E: Exec>(
    control: &mut Conn,
    exec: &E,
    config: &BinlogConfig,
    shared: Option<&Shared>,
    file: &str,
    end: u64,
) -> Result<bool, FeedError> {
    loop {
        if shared.is_some_and(|shared| shared.stop.load(SeqCst)) {
            return Ok(false);
        }
        control
            .query_drop("START TRANSACTION WITH CONSISTENT SNAPSHOT")
            .await
            .map_err(binlog_error)?;
        let status: Result<Vec<(String, String)>, _> =
            control.query("SHOW STATUS LIKE 'binlog_snapshot_%'").await;
        control.query_drop("COMMIT").await.map_err(binlog_error)?;
        let status = status.map_err(binlog_error)?;
        let value = |name: &str| {
            status
                .iter()
                .find(|(variable, _)| variable.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        let seen_file = value("Binlog_snapshot_file").unwrap_or_default();
        let seen_end = value("Binlog_snapshot_position")
            .and_then(|pos| pos.parse::<u64>().ok())
            .unwrap_or(0);
        if (file_number(seen_file), seen_end) >= (file_number(file), end) {
            return Ok(true);
        }
        exec.sleep(
            config
                .poll
                .min(Duration::from_millis(1))
                .max(Duration::from_micros(200)),
        )
        .await;
    }
}

/// The binlog's current end: `SHOW MASTER STATUS`'s file and position.
async fn binlog_end(control: &mut Conn) -> Result<(String, u64), FeedError> {
    let row: Option<mysql_async::Row> = control
        .query_first("SHOW MASTER STATUS")
        .await
        .map_err(binlog_error)?;
    let row = row.ok_or(FeedError::BinlogSetting {
        setting: "log_bin",
        found: "OFF".to_owned(),
        wanted: "ON",
    })?;
    let file: Option<String> = row.get(0);
    let end: Option<u64> = row.get(1);
    Ok((file.unwrap_or_default(), end.unwrap_or(0)))
}

/// The number a binlog file name ends with (`mariadb-bin.000042`), which orders the files.
fn file_number(name: &str) -> u64 {
    name.rsplit('.')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Whether the feed reads the rows of `schema`.`table`: a model caches it, or one of its foreign
/// keys acts on a cached table.
fn reads(config: &BinlogConfig, reader: &BinlogReader, schema: &str, table: &str) -> bool {
    reader.is_cascade_parent(schema, table)
        || config
            .models
            .iter()
            .any(|model| model.caches(schema, table))
}

/// Column names read from `information_schema`, for tables whose maps do not carry them.
#[derive(Default)]
struct TableNames {
    by_table: HashMap<(String, String), Vec<String>>,
}

impl TableNames {
    /// Reads the names of `schema`.`table` when they are not known yet.
    async fn ensure(
        &mut self,
        control: &mut Conn,
        schema: &str,
        table: &str,
    ) -> Result<(), FeedError> {
        let key = (schema.to_owned(), table.to_owned());
        if self.by_table.contains_key(&key) {
            return Ok(());
        }
        let names: Vec<String> = control
            .exec(
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS \
                 WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
                (schema, table),
            )
            .await
            .map_err(binlog_error)?;
        self.by_table.insert(key, names);
        Ok(())
    }
}

impl ColumnNames for TableNames {
    fn names(&self, schema: &str, table: &str) -> Option<&[String]> {
        self.by_table
            .get(&(schema.to_owned(), table.to_owned()))
            .map(Vec::as_slice)
    }
}

/// The foreign keys whose `ON DELETE` or `ON UPDATE` actions change rows of the cached tables,
/// directly or through a chain of such keys.
async fn cascades(control: &mut Conn, config: &BinlogConfig) -> Result<Vec<Cascade>, FeedError> {
    // Two plain reads, restricted to the models' databases, joined here: MariaDB 10.11 was
    // seen to crash (SIGSEGV in `create_tmp_table_for_schema`) on one query joining the two
    // views over every database.
    let schemas: Option<Vec<String>> = config
        .models
        .iter()
        .map(|model| model.schema.as_ref().map(|schema| quote_text(schema)))
        .collect();
    let within = |column: &str| match &schemas {
        Some(schemas) if !schemas.is_empty() => {
            format!(" AND {column} IN ({})", schemas.join(", "))
        }
        _ => String::new(),
    };
    type Key = (String, String, String, String, String, String, String);
    let keys: Vec<Key> = control
        .query(format!(
            "SELECT CONSTRAINT_SCHEMA, CONSTRAINT_NAME, TABLE_NAME, UNIQUE_CONSTRAINT_SCHEMA, \
                    REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE \
             FROM information_schema.REFERENTIAL_CONSTRAINTS \
             WHERE (DELETE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT') \
                OR UPDATE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT')){}",
            within("CONSTRAINT_SCHEMA")
        ))
        .await
        .map_err(binlog_error)?;
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    type Column = (String, String, String, String);
    let columns: Vec<Column> = control
        .query(format!(
            "SELECT CONSTRAINT_SCHEMA, CONSTRAINT_NAME, TABLE_NAME, REFERENCED_COLUMN_NAME \
             FROM information_schema.KEY_COLUMN_USAGE \
             WHERE REFERENCED_TABLE_NAME IS NOT NULL{} ORDER BY ORDINAL_POSITION",
            within("CONSTRAINT_SCHEMA")
        ))
        .await
        .map_err(binlog_error)?;
    let acting = |rule: &str| matches!(rule, "CASCADE" | "SET NULL" | "SET DEFAULT");
    let keys: Vec<Cascade> = keys
        .into_iter()
        .map(
            |(child_schema, name, child, parent_schema, parent, on_delete, on_update)| {
                let referenced = columns
                    .iter()
                    .filter(|(schema, key, table, _)| {
                        *schema == child_schema && *key == name && *table == child
                    })
                    .map(|(_, _, _, column)| column.clone())
                    .collect();
                Cascade {
                    parent: (parent_schema, parent),
                    referenced,
                    on_delete: acting(&on_delete),
                    on_update: acting(&on_update),
                    reached: vec![(child_schema, child)],
                }
            },
        )
        .collect();
    Ok(plan_cascades(keys, &config.models))
}

/// `name` as a quoted identifier.
fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// `text` as a SQL string literal.
fn quote_text(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// Each key with every table its action reaches (its child, and what the child's own keys
/// reach, whatever their rules: a conservative closure), kept when one of them is cached.
fn plan_cascades(keys: Vec<Cascade>, models: &[FeedModel]) -> Vec<Cascade> {
    let mut planned = Vec::new();
    for key in &keys {
        let mut reached = key.reached.clone();
        let mut at = 0;
        while at < reached.len() {
            for further in &keys {
                if further.parent == reached[at] && !reached.contains(&further.reached[0]) {
                    reached.push(further.reached[0].clone());
                }
            }
            at += 1;
        }
        reached.retain(|(schema, table)| models.iter().any(|model| model.caches(schema, table)));
        if !reached.is_empty() {
            planned.push(Cascade {
                reached,
                ..key.clone()
            });
        }
    }
    planned
}

/// The first column of the first row of `sql`, as text.
async fn first(control: &mut Conn, sql: &str) -> Result<Option<String>, FeedError> {
    let value: Option<Option<String>> = control.query_first(sql).await.map_err(binlog_error)?;
    Ok(value.flatten())
}

fn binlog_error(error: mysql_async::Error) -> FeedError {
    FeedError::Binlog(Box::new(error))
}

fn binlog_closed() -> FeedError {
    FeedError::Binlog(Box::new(mysql_async::Error::Driver(
        mysql_async::DriverError::ConnectionClosed,
    )))
}
