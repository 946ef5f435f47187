//! The streaming reader: one session of the replication protocol (`walsender.rs`) over a
//! socket (`socket.rs`), on either front. It opens the stream from where the slot was
//! confirmed, reads whole transactions into a batch until the server has nothing more to send
//! (or the batch is full), retires the batch (`run::retire_batch`), and only then tells the
//! server that the log is applied up to the batch's end: at least once, as the polling reader.
//!
//! Positions the batch may confirm: the end of its last commit, and the server's keepalives,
//! which say how far it has decoded (every transaction committed before is in the stream
//! before the keepalive, so once the batch is retired the log is applied up to there, even when
//! the WAL in between held nothing the publication sends). That is what lets `catch_up` pass
//! a position no cached table wrote.

use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant};

use bytes::BytesMut;

use super::conninfo::Conninfo;
use super::db::FeedDb;
use super::pgoutput::{self, Lsn, Message};
use super::pgoutput_plan::Relations;
use super::run::{self, Applied, postgres_now};
use super::socket::ReplicationSocket;
use super::walsender::{self, Auth, Backend, Replication};
use super::{FeedConfig, FeedError, Shared, plan, sql};
use crate::cache::Cache;
use crate::redis::commands::Exec;

/// How long the handshake (startup, authentication, `START_REPLICATION`) may take.
const HANDSHAKE: Duration = Duration::from_secs(30);

/// How often the reader tells a quiet server where it is and asks for a keepalive back (the
/// server ends a session it has not heard from in `wal_sender_timeout`, 60 s by default; the
/// reader ends one it has not heard from in [`silence_limit`]).
const STATUS_INTERVAL: Duration = Duration::from_secs(10);

/// How long the server may stay silent although asked to answer before the reader takes it for
/// gone (a cut network, a failover: the socket alone would not say so for minutes). A
/// walsender replaying a huge transaction answers within half its `wal_sender_timeout`.
async fn silence_limit<D: FeedDb>(db: &mut D) -> Result<Duration, FeedError> {
    let timeout_ms = db
        .text(sql::wal_sender_timeout())
        .await?
        .and_then(|ms| ms.parse::<u64>().ok())
        .unwrap_or(60_000);
    Ok(Duration::from_millis(timeout_ms).max(Duration::from_secs(60)) + Duration::from_secs(30))
}

/// Refuses a session whose walsender the server counts as a synchronous standby: a commit would
/// wait for the feed to confirm it, and the feed waits for the commit to be visible before it
/// retires and confirms it, so every write to a cached table would hang.
pub(crate) async fn refuse_sync_standby<D: FeedDb>(
    db: &mut D,
    config: &FeedConfig,
) -> Result<(), FeedError> {
    match db.text(sql::sync_standby(&config.slot)).await? {
        None => Ok(()),
        Some(state) => Err(FeedError::Replication {
            problem: format!(
                "the server counts the feed's stream as a synchronous standby ({state}): commits would wait for the feed, which waits for them; leave its application_name out of synchronous_standby_names (and do not use `*` there)"
            ),
        }),
    }
}

/// A replication session: the socket and what it has sent that is not read yet.
struct Stream<S> {
    socket: S,
    buffer: BytesMut,
}

impl<S: ReplicationSocket> Stream<S> {
    /// The server's next message, waiting at most `wait` for it.
    async fn next(&mut self, wait: Duration) -> Result<Option<Backend>, FeedError> {
        loop {
            if let Some(frame) = walsender::next_frame(&mut self.buffer)? {
                return Ok(Some(frame));
            }
            if !self
                .socket
                .read(&mut self.buffer, wait)
                .await
                .map_err(io_error)?
            {
                return Ok(None);
            }
        }
    }

    async fn send(&mut self, bytes: &[u8]) -> Result<(), FeedError> {
        self.socket.write(bytes).await.map_err(io_error)
    }

    /// Tells the server the log is applied up to `applied`; with `reply`, asks for a keepalive
    /// back.
    async fn confirm(&mut self, applied: Lsn, reply: bool) -> Result<(), FeedError> {
        self.send(&walsender::status_update(applied, postgres_now(), reply))
            .await
    }
}

fn io_error(error: std::io::Error) -> FeedError {
    FeedError::Replication {
        problem: format!("the replication connection failed: {error}"),
    }
}

/// Logs in on `socket` and starts streaming the slot.
async fn open<S: ReplicationSocket>(
    socket: S,
    info: &Conninfo,
    config: &FeedConfig,
) -> Result<Stream<S>, FeedError> {
    let mut stream = Stream {
        socket,
        buffer: BytesMut::with_capacity(64 * 1024),
    };
    let deadline = Instant::now() + HANDSHAKE;
    let next = async |stream: &mut Stream<S>| -> Result<Backend, FeedError> {
        let left = deadline.saturating_duration_since(Instant::now());
        match stream.next(left).await? {
            Some(frame) if !left.is_zero() => Ok(frame),
            _ => Err(FeedError::Replication {
                problem: format!("the server did not start the stream within {HANDSHAKE:?}"),
            }),
        }
    };
    stream.send(&walsender::startup(info)?).await?;
    let mut auth = Auth::Start;
    loop {
        match next(&mut stream).await? {
            Backend::Authentication(code, data) => {
                if let Some(reply) = walsender::authenticate(&mut auth, info, code, &data)? {
                    stream.send(&reply).await?;
                }
            }
            Backend::ReadyForQuery if matches!(auth, Auth::Done) => break,
            Backend::Error(error) => return Err(error.into_feed_error()),
            Backend::Other(_) => {}
            _ => return Err(unexpected("logging in")),
        }
    }
    stream
        .send(&walsender::start_replication(
            &config.slot,
            &config.publication,
        )?)
        .await?;
    loop {
        match next(&mut stream).await? {
            Backend::CopyBoth => return Ok(stream),
            Backend::Error(error) => return Err(error.into_feed_error()),
            Backend::Other(_) => {}
            _ => return Err(unexpected("starting the stream")),
        }
    }
}

fn unexpected(when: &str) -> FeedError {
    FeedError::Replication {
        problem: format!("the server sent a message the protocol does not allow when {when}"),
    }
}

/// One session of the active consumer: streams, retires and confirms batches until stopped or
/// a server fails. The slot's lock is held (on `db`) by the caller.
pub(crate) async fn consume<D: FeedDb, S: ReplicationSocket, E: Exec>(
    db: &mut D,
    socket: S,
    info: &Conninfo,
    exec: &E,
    cache: &Cache,
    config: &FeedConfig,
    shared: &Shared,
) -> Result<(), FeedError> {
    let mut stream = open(socket, info, config).await?;
    // The server may come to count the stream as a synchronous standby a moment after it
    // heard from it, or after a reload: looked at when idle, soon after the start, then every
    // status interval.
    let mut sync_checks = [50, 100, 200, 400, 800, 1600, 3200]
        .map(Duration::from_millis)
        .into_iter();
    let mut next_sync_check = Instant::now() + Duration::from_millis(20);
    let silence_limit = silence_limit(db).await?;
    let mut last_heard = Instant::now();
    shared.active.store(true, SeqCst);
    tracing::info!(slot = %config.slot, "change feed active, streaming");
    let mut applied = Applied::new(db, config).await?;
    // The log before the slot's confirmed position is retired: recorded at once, for a
    // `catch_up` waiting on a server that has written nothing since.
    let confirmed = applied.confirmed();
    applied
        .record(
            db,
            exec,
            config,
            shared,
            &plan::BatchPlan::default(),
            confirmed,
        )
        .await?;
    // A first status update: the server ranks a stream among its synchronous standbys only
    // once it has heard from it, and `refuse_sync_standby` should find out at once.
    stream.confirm(confirmed, false).await?;
    let mut relations = Relations::default();
    let mut last_status = Instant::now();
    while !shared.stop.load(SeqCst) {
        let mut planner = plan::Planner::new(cache, &config.models, config.max_keys);
        let mut read = 0;
        let mut inside_transaction = false;
        // How far the server says it has sent everything (its keepalives).
        let mut sent_upto: Lsn = 0;
        loop {
            let wait = if read > 0 && !inside_transaction {
                // A batch ends as soon as the server has nothing more to send at once.
                Duration::ZERO
            } else {
                config.poll.max(Duration::from_millis(1))
            };
            let Some(frame) = stream.next(wait).await? else {
                if !inside_transaction && (read > 0 || sent_upto > applied.confirmed()) {
                    break;
                }
                // Stopped, even inside a transaction: nothing of it is confirmed.
                if shared.stop.load(SeqCst) {
                    return stop(stream).await;
                }
                if Instant::now() >= next_sync_check {
                    refuse_sync_standby(db, config).await?;
                    next_sync_check += sync_checks.next().unwrap_or(STATUS_INTERVAL);
                }
                if last_heard.elapsed() >= silence_limit {
                    return Err(FeedError::Replication {
                        problem: format!(
                            "the server sent nothing for {:?}, though asked to answer",
                            last_heard.elapsed()
                        ),
                    });
                }
                if last_status.elapsed() >= STATUS_INTERVAL {
                    // Only what is retired is confirmed; the keepalive asked for proves the
                    // server is still there.
                    stream.confirm(applied.confirmed(), true).await?;
                    last_status = Instant::now();
                }
                continue;
            };
            last_heard = Instant::now();
            match frame {
                Backend::CopyData(body) => match walsender::replication(&body)? {
                    Replication::XLogData { start, data } => {
                        let message =
                            pgoutput::decode(data).map_err(|error| FeedError::Decode {
                                lsn: pgoutput::format_lsn(start),
                                error: error.to_string(),
                            })?;
                        match message {
                            Message::Begin { .. } => inside_transaction = true,
                            Message::Commit { .. } => inside_transaction = false,
                            _ => {}
                        }
                        read += 1;
                        planner.read(&mut relations, [message]);
                        if !inside_transaction && read >= config.max_changes {
                            break;
                        }
                    }
                    Replication::Keepalive { end, reply } => {
                        sent_upto = sent_upto.max(end);
                        if reply {
                            // Only what is retired is confirmed; the rest of the batch follows.
                            stream.confirm(applied.confirmed(), false).await?;
                            last_status = Instant::now();
                        }
                    }
                },
                Backend::Error(error) => return Err(error.into_feed_error()),
                Backend::CopyDone => {
                    return Err(FeedError::Replication {
                        problem: "the server ended the stream".to_owned(),
                    });
                }
                Backend::Other(_) => {}
                _ => return Err(unexpected("streaming")),
            }
        }
        let batch = planner.finish();
        run::retire_batch(db, exec, cache, config, &batch, read).await?;
        let upto = batch.commit_end.map_or(sent_upto, |end| end.max(sent_upto));
        if upto > applied.confirmed() {
            stream.confirm(upto, false).await?;
            last_status = Instant::now();
        }
        applied
            .record(db, exec, config, shared, &batch, upto)
            .await?;
    }
    stop(stream).await
}

/// Ends the session: the server then frees the slot at once, for the next consumer.
async fn stop<S: ReplicationSocket>(mut stream: Stream<S>) -> Result<(), FeedError> {
    let _ = stream.send(&walsender::terminate()).await;
    Ok(())
}
