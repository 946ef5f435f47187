//! The in-process tier: a bounded map in front of Redis for the models that opt in
//! (`#[write_through(local = "5s")]` or [`crate::CacheBuilder::local`]), kept coherent with
//! writes made in this process and in others.
//!
//! An entry holds the bytes Redis held (a row or a cached absence) and the row they decode to, so
//! that a hit answers what a Redis hit would, without a round trip (and, for a `Clone` model,
//! without decoding: a clone of the kept row). Three rules keep it coherent:
//!
//! - **In this process** every write bumps its key's generation (see `generations.rs`) right
//!   after its Redis lock is taken, and again after its publish (or restore); a reader takes the
//!   generation before it reads Redis, and its entry is served only while that generation holds.
//!   A value read before a write's lock therefore dies at the lock, before the database write
//!   begins; a value read after the lock is either the lock itself (nothing is installed), or
//!   the published row. Only what Redis returned as a value, and fills that Redis accepted
//!   (their lease was intact, so no write began since the read), are installed; rows read
//!   *around* a lock never are.
//! - **Across processes** the lock, publish and invalidate scripts announce their key on a
//!   pub/sub channel (`{namespace}:local`, see `redis/scripts.rs`); every process whose tier is
//!   in use subscribes (`subscriber.rs`), and a message bumps the key's generation like a local
//!   write. A message overtaking a fill is the race that matters (process B reads V1, A's write
//!   publishes V2 and its message, B receives it, then B installs V1): B's entry carries the
//!   generation B read before its Redis read, which the message bumped, so it is never served.
//! - **When the channel is not live** (not yet subscribed, dropped, lagging behind a
//!   heartbeat, or its thread silent for longer than `subscriber::SILENCE_LIMIT`: starved, stuck
//!   or dead) the tier is not used: reads bypass it and nothing is installed, and every entry
//!   of the past subscription is retired (an epoch that each entry carries). The local TTL
//!   bounds what a lost message could leave.
//!
//! On a Redis Cluster the tier is off: a script's PUBLISH there is broadcast to every node, and
//! a subscriber would need one connection per node.

mod generations;
mod subscriber;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::model::Cached;
use crate::stats::{Counters, Event};
use crate::token::Token;

use generations::Generations;

/// The default number of entries ([`crate::CacheBuilder::local_capacity`]).
pub(crate) const DEFAULT_CAPACITY: u64 = 10_000;

/// The channel the writers of `namespace` announce their keys on.
pub(crate) fn channel(namespace: &str) -> Vec<u8> {
    format!("{namespace}:local").into_bytes()
}

/// The in-process tier of one `Cache` (shared by its clones).
pub(crate) struct LocalTier {
    shared: Arc<Shared>,
    /// Per-model TTLs given to the builder, overriding the models' own: a few, so a scan is
    /// quicker than hashing a `TypeId` on every hit.
    ttls: Vec<(TypeId, Duration)>,
    /// Where the subscriber connects; started on the first read of a local model.
    client: redis::Client,
    connect_timeout: Duration,
    started: OnceLock<()>,
}

/// What the subscriber thread shares with the readers and writers.
pub(crate) struct Shared {
    entries: moka::sync::Cache<Vec<u8>, Entry, rapidhash::fast::RandomState>,
    generations: Generations,
    /// Bumped at every clear: an entry of an earlier epoch is never served.
    epoch: AtomicU64,
    /// Whether the subscription is live, so that the tier may be used (while `confirmed` is
    /// recent too).
    live: AtomicBool,
    /// When the subscriber last confirmed it keeps up (milliseconds since `born`): readers
    /// trust the tier only within `subscriber::SILENCE_LIMIT` of it, since `live` alone is
    /// cleared only by the subscriber's own thread, which may be the one that is stuck.
    confirmed: AtomicU64,
    born: Instant,
    /// Set when the cache is dropped; the subscriber ends at its next look.
    stop: AtomicBool,
    channel: Vec<u8>,
    /// This cache's origin: its own announcements are skipped (its writes retire their entries
    /// synchronously, before they return).
    origin: Token,
    counters: Arc<Counters>,
}

/// One cached value: the bytes Redis held, the row they decode to (kept so that a hit of a
/// `Clone` model is a clone, not a decode), and what it was read under.
#[derive(Clone)]
struct Entry {
    /// Behind one `Arc`: moka hands out a clone of the entry on every hit.
    held: Arc<Held>,
    generation: u64,
    epoch: u64,
    ttl: Duration,
}

/// What an entry holds: the bytes, and the row they decode to.
struct Held {
    value: Box<[u8]>,
    row: Option<Box<dyn Any + Send + Sync>>,
}

/// Each entry lives for its model's local TTL from its installation.
struct LocalTtl;

impl moka::Expiry<Vec<u8>, Entry> for LocalTtl {
    fn expire_after_create(&self, _: &Vec<u8>, entry: &Entry, _: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    fn expire_after_update(
        &self,
        _: &Vec<u8>,
        entry: &Entry,
        _: Instant,
        _: Option<Duration>,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

/// What a reader took before reading Redis: the generation and epoch its value may be
/// installed under.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    generation: u64,
    epoch: u64,
    ttl: Duration,
}

impl LocalTier {
    pub(crate) fn new(
        capacity: u64,
        ttls: HashMap<TypeId, Duration>,
        client: redis::Client,
        connect_timeout: Duration,
        channel: Vec<u8>,
        origin: Token,
        counters: Arc<Counters>,
    ) -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(capacity)
            .expire_after(LocalTtl)
            // Keys hold user data: a seeded hash, cheaper than std's SipHash.
            .build_with_hasher(rapidhash::fast::RandomState::new());
        Self {
            shared: Arc::new(Shared {
                entries,
                generations: Generations::default(),
                epoch: AtomicU64::new(0),
                live: AtomicBool::new(false),
                confirmed: AtomicU64::new(0),
                born: Instant::now(),
                stop: AtomicBool::new(false),
                channel,
                origin,
                counters,
            }),
            ttls: ttls.into_iter().collect(),
            client,
            connect_timeout,
            started: OnceLock::new(),
        }
    }

    /// The local TTL of `M`, when `M` uses the tier.
    pub(crate) fn ttl_of<M: Cached>(&self) -> Option<Duration> {
        if self.ttls.is_empty() {
            return M::LOCAL_TTL;
        }
        let model = TypeId::of::<M>();
        self.ttls
            .iter()
            .find(|(of, _)| *of == model)
            .map(|(_, ttl)| *ttl)
            .or(M::LOCAL_TTL)
    }

    /// The tier as `M` may use it now: `None` when `M` does not use it, or when the
    /// subscription is not live (the subscriber is started here on first use).
    pub(crate) fn for_model<M: Cached>(&self) -> Option<ModelTier<'_>> {
        let ttl = self.ttl_of::<M>().filter(|ttl| !ttl.is_zero())?;
        self.start();
        self.shared.is_live().then_some(ModelTier {
            shared: &self.shared,
            ttl,
            model: M::MODEL_NAME,
        })
    }

    /// Whether the subscription is live, so that the tier is in use.
    pub(crate) fn is_live(&self) -> bool {
        self.shared.is_live()
    }

    /// Retires whatever this process holds for `key`: after a write's lock, after its
    /// publish or restore, after an invalidation.
    pub(crate) fn evict(&self, key: &[u8]) {
        self.shared.evict(key);
    }

    /// Forgets every entry, the tier staying live: the change feed's start-over of a model.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn forget_all(&self) {
        self.shared.forget_all();
    }

    fn start(&self) {
        self.started.get_or_init(|| {
            subscriber::spawn(
                Arc::clone(&self.shared),
                self.client.clone(),
                self.connect_timeout,
            );
        });
    }
}

impl Drop for LocalTier {
    fn drop(&mut self) {
        self.shared.stop.store(true, SeqCst);
    }
}

impl Shared {
    /// Live, and heard from within `SILENCE_LIMIT`.
    fn is_live(&self) -> bool {
        self.live.load(SeqCst) && !self.silent()
    }

    /// Whether the subscriber's last confirmation is older than `SILENCE_LIMIT`.
    fn silent(&self) -> bool {
        self.millis_at(Instant::now())
            .saturating_sub(self.confirmed.load(SeqCst))
            > subscriber::SILENCE_LIMIT.as_millis() as u64
    }

    /// `at` in milliseconds since `born`, as `confirmed` holds it.
    fn millis_at(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.born).as_millis()).unwrap_or(u64::MAX)
    }

    /// A subscription is confirmed: the tier starts over empty, and in use.
    fn subscribed(&self) {
        self.confirmed.store(self.millis_at(Instant::now()), SeqCst);
        self.clear(true);
    }

    /// The subscriber keeps up: a heartbeat sent at `sent` was answered in time, so every
    /// message published before `sent` has arrived (and is handled next). After a silence
    /// readers stopped trusting, the tier starts over empty: messages may have been handled
    /// after entries that they retire were served.
    /// Only the subscriber calls it, inside a subscription, where the tier is live.
    fn confirm(&self, sent: Instant) {
        if self.silent() {
            self.clear(true);
        }
        self.confirmed.fetch_max(self.millis_at(sent), SeqCst);
    }

    fn evict(&self, key: &[u8]) {
        self.generations.bump(key);
        if self.entries.remove(key).is_some() {
            self.counters.record(Event::LocalEviction, "*");
        }
    }

    /// An announcement: the writer's origin, then its key. Another cache's retires the key; one
    /// with no key (a change feed's start-over) retires every entry.
    fn announced(&self, message: &[u8]) {
        if let Some((origin, key)) = message.split_at_checked(16)
            && origin != self.origin.as_bytes()
        {
            if key.is_empty() {
                self.forget_all();
            } else {
                self.evict(key);
            }
        }
    }

    /// Forgets every entry (the change feed's start-over of a model), the tier staying live.
    pub(crate) fn forget_all(&self) {
        self.clear(true);
    }

    /// Forgets every entry and stops (`live: false`) or resumes using the tier.
    fn clear(&self, live: bool) {
        if !live {
            self.live.store(false, SeqCst);
        }
        self.epoch.fetch_add(1, SeqCst);
        self.entries.invalidate_all();
        self.counters.record(Event::LocalClear, "*");
        if live {
            self.live.store(true, SeqCst);
        }
    }
}

/// The tier for one model's read.
pub(crate) struct ModelTier<'a> {
    shared: &'a Shared,
    ttl: Duration,
    model: &'static str,
}

impl ModelTier<'_> {
    /// The entry for `key`, when it is still good (counted as a local hit).
    fn entry(&self, key: &[u8]) -> Option<Entry> {
        let entry = self.shared.entries.get(key)?;
        let good = entry.epoch == self.shared.epoch.load(SeqCst)
            && entry.generation == self.shared.generations.of(key)
            && self.shared.live.load(SeqCst);
        if good {
            self.shared.counters.record(Event::LocalHit, self.model);
            Some(entry)
        } else {
            None
        }
    }

    /// The bytes cached for `key`, when they are still good.
    pub(crate) fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.entry(key).map(|entry| entry.held.value.to_vec())
    }

    /// The answer cached for `key` (a row, or `None` for a cached absence), when it is still
    /// good and decodes: a clone of the row the entry keeps when `M` is `Clone` (the bytes
    /// decoded when it was installed), else the bytes decoded now.
    pub(crate) fn answer<M: Cached>(&self, key: &[u8]) -> Option<Option<M>> {
        let entry = self.entry(key)?;
        let kept = entry
            .held
            .row
            .as_deref()
            .and_then(|row| row.downcast_ref::<M>());
        if let Some(row) = kept.and_then(Cached::clone_row) {
            return Some(Some(row));
        }
        crate::core::read::answer(crate::core::read::interpret::<M>(
            Some(&entry.held.value),
            usize::MAX,
        ))
    }

    /// Taken before reading Redis for `key`.
    pub(crate) fn ticket(&self, key: &[u8]) -> Ticket {
        Ticket {
            epoch: self.shared.epoch.load(SeqCst),
            generation: self.shared.generations.of(key),
            ttl: self.ttl,
        }
    }

    /// Installs `value` (bytes Redis returned, or a fill Redis accepted) for `key`, read under
    /// `ticket`; nothing when a write or a clear came since. For a `Clone` model the entry also
    /// keeps the row the bytes decode to: `decoded` when the caller has it (decoded from these
    /// bytes), else decoded here. What a hit from Redis would answer, even for a field whose
    /// encoding loses something (the row the database returned is never kept).
    pub(crate) fn install<M: Cached>(
        &self,
        key: &[u8],
        value: &[u8],
        decoded: Option<&M>,
        ticket: Ticket,
    ) {
        if ticket.epoch != self.shared.epoch.load(SeqCst)
            || ticket.generation != self.shared.generations.of(key)
        {
            return;
        }
        let row = match decoded {
            Some(decoded) => decoded.clone_row(),
            None => match crate::core::read::interpret::<M>(Some(value), usize::MAX) {
                // Kept only when it can be cloned: another model's hits decode the bytes.
                crate::core::read::CachedState::Row(row) => row.clone_row().map(|_| row),
                _ => None,
            },
        }
        .map(|row| Box::new(row) as Box<dyn Any + Send + Sync>);
        // Should a write bump the generation right now, the entry is born retired: `get`
        // compares it again.
        self.shared.entries.insert(
            key.to_vec(),
            Entry {
                held: Arc::new(Held {
                    value: value.into(),
                    row,
                }),
                generation: ticket.generation,
                epoch: ticket.epoch,
                ttl: ticket.ttl,
            },
        );
    }
}

/// `find_many`'s look at the tier: per distinct key, the bytes it holds (a hit), else the
/// ticket to install what Redis returns under. Nothing without a tier.
pub(crate) fn look_many(
    local: Option<&ModelTier<'_>>,
    keys: &[&[u8]],
) -> (Vec<Option<Vec<u8>>>, Vec<Option<Ticket>>) {
    let Some(local) = local else {
        return (vec![None; keys.len()], vec![None; keys.len()]);
    };
    keys.iter()
        .map(|key| match local.get(key) {
            Some(value) => (Some(value), None),
            None => (None, Some(local.ticket(key))),
        })
        .unzip()
}
