//! The subscriber: one thread per cache whose tier is in use, on a connection of its own,
//! subscribed to the channel on which writers announce the keys they lock, publish and
//! invalidate (see `redis/scripts.rs`). A message retires its key's entry.
//!
//! The tier is used only while this subscription is live. It becomes live once `SUBSCRIBE` is
//! confirmed (the tier is cleared first: entries from before could have missed messages), and
//! stops being live, clearing the tier, when the connection fails, when Redis closes it (a
//! subscriber whose output buffer overflowed is disconnected), or when a heartbeat `PING` sent
//! every [`HEARTBEAT`] is not answered within [`LAG_LIMIT`]: its reply comes after every message
//! published before it, so a late reply means this process is behind on invalidations. Then it
//! reconnects, with a backoff up to one second.
//!
//! A thread rather than a task: it serves both fronts, blocking on a plain connection, and it
//! never runs inside a caller's runtime. It ends within [`HEARTBEAT`] of the cache's drop.

use std::sync::Arc;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant};

use super::Shared;

/// How often the subscriber checks that it is keeping up, and that the cache is still there.
pub(crate) const HEARTBEAT: Duration = Duration::from_millis(100);
/// How late a heartbeat's reply may be before the tier is cleared and the connection replaced.
pub(crate) const LAG_LIMIT: Duration = Duration::from_millis(250);
/// How long readers trust the tier after the subscriber's last confirmed PING was sent. A
/// healthy thread confirms its next one at most a heartbeat's interval, a wait for a message and
/// a reply's limit later (450 ms); one more heartbeat of slack, so that a merely busy thread does
/// not flap the tier. Longer, and the thread itself is presumed starved, stuck or dead (nothing
/// else would clear `live`).
pub(crate) const SILENCE_LIMIT: Duration =
    Duration::from_millis(3 * HEARTBEAT.as_millis() as u64 + LAG_LIMIT.as_millis() as u64);

pub(super) fn spawn(shared: Arc<Shared>, client: redis::Client, connect_timeout: Duration) {
    let spawned = std::thread::Builder::new()
        .name("write_through-local".into())
        .spawn(move || run(&shared, &client, connect_timeout));
    if let Err(error) = spawned {
        // The tier is simply never live: reads go to Redis.
        tracing::warn!(%error, "could not start the in-process tier's subscriber");
    }
}

fn run(shared: &Shared, client: &redis::Client, connect_timeout: Duration) {
    let _stops_the_tier_if_this_thread_dies = StopOnUnwind(shared);
    let mut backoff = Duration::from_millis(10);
    while !shared.stop.load(SeqCst) {
        match subscribe(shared, client, connect_timeout) {
            Ok(()) => backoff = Duration::from_millis(10),
            Err(error) => {
                tracing::warn!(%error, "in-process tier: invalidation channel lost; tier cleared");
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(1));
            }
        }
        if shared.live.load(SeqCst) {
            shared.clear(false);
        }
    }
}

/// Takes the tier out of use when the subscriber's thread unwinds (a panic), rather than leave
/// readers trusting a channel nobody reads.
struct StopOnUnwind<'a>(&'a Shared);

impl Drop for StopOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.clear(false);
            // It is not restarted: this cache serves from Redis from now on.
            tracing::error!(
                "in-process tier: its subscriber thread panicked; the tier is off for this cache"
            );
        }
    }
}

/// One subscription, until it fails (`Err`) or the cache is dropped (`Ok`).
fn subscribe(
    shared: &Shared,
    client: &redis::Client,
    connect_timeout: Duration,
) -> redis::RedisResult<()> {
    let mut conn = client.get_connection_with_timeout(connect_timeout)?;
    conn.set_write_timeout(Some(LAG_LIMIT))?;
    conn.set_read_timeout(Some(LAG_LIMIT))?;
    // Named, so that an operator (or a test) can find it in CLIENT LIST. A server whose ACL
    // refuses CLIENT SETNAME still delivers the messages: the name is not worth the tier.
    match redis::cmd("CLIENT")
        .arg("SETNAME")
        .arg(client_name(&shared.channel))
        .query::<()>(&mut conn)
    {
        Ok(()) => {}
        Err(error) if error.is_io_error() || error.is_timeout() => return Err(error),
        Err(error) => {
            tracing::debug!(%error, "in-process tier: the subscriber's connection stays unnamed")
        }
    }
    let mut pubsub = conn.as_pubsub();
    pubsub.set_read_timeout(Some(LAG_LIMIT))?;
    pubsub.subscribe(shared.channel.as_slice())?;
    pubsub.set_read_timeout(Some(HEARTBEAT))?;
    shared.subscribed();
    let mut last_beat = Instant::now();
    loop {
        if shared.stop.load(SeqCst) {
            return Ok(());
        }
        match pubsub.get_message() {
            Ok(message) => {
                if message.get_channel_name().as_bytes() == shared.channel.as_slice() {
                    shared.announced(message.get_payload_bytes());
                }
            }
            Err(error) if error.is_timeout() => {}
            Err(error) => return Err(error),
        }
        if last_beat.elapsed() >= HEARTBEAT {
            crate::pause::reach(crate::pause::LOCAL_HEARTBEAT, &shared.channel);
            let sent = beat(&mut pubsub)?;
            shared.confirm(sent);
            last_beat = Instant::now();
        }
    }
}

/// `write_through-local-{namespace}`: the channel is `{namespace}:local`, whose characters
/// are all allowed in a client name.
fn client_name(channel: &[u8]) -> String {
    let namespace = channel.strip_suffix(b":local").unwrap_or(channel);
    format!("write_through-local-{}", String::from_utf8_lossy(namespace))
}

/// A `PING` whose reply must come within [`LAG_LIMIT`]; returns when it was sent. The messages
/// received before the reply are kept by redis-rs and handled next, so the reply proves only
/// that every message published before the PING has *arrived*: readers are told the time of
/// the PING, not of its reply, and a thread that stalls before handling them is distrusted
/// within [`SILENCE_LIMIT`] of their publication.
fn beat(pubsub: &mut redis::PubSub<'_>) -> redis::RedisResult<Instant> {
    pubsub.set_read_timeout(Some(LAG_LIMIT))?;
    let sent = Instant::now();
    pubsub.ping::<redis::Value>()?;
    if sent.elapsed() > LAG_LIMIT {
        return Err(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "the invalidation channel lags behind",
        )
        .into());
    }
    pubsub.set_read_timeout(Some(HEARTBEAT))?;
    Ok(sent)
}
