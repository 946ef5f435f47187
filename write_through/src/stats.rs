//! Counters of what the cache did, readable without a metrics exporter.
//!
//! Every event is counted twice: in the cache's own atomics (for [`Cache::stats`]) and through
//! the `metrics` facade (for whatever exporter the application installed), labelled with the
//! model's struct name.
//!
//! [`Cache::stats`]: crate::Cache::stats

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// What `metrics::counter!` would pass for a counter of this module.
static METADATA: metrics::Metadata<'static> =
    metrics::Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

/// How many models' metric keys are kept (see [`MODEL_KEYS`]); a program with more builds the
/// keys of the others at each event, as `metrics::counter!` does.
const KNOWN_MODELS: usize = 64;

/// The metric keys of each model counted so far, one per [`Event`] (at `event as usize`), made
/// once: `metrics::counter!` with a label that is not a literal builds (hashes, then frees) a
/// key with a label list on every event, which cost a local hit a quarter of its time. Slots
/// are taken in order and never change, so a look is a few loads, without a lock.
static MODEL_KEYS: [OnceLock<(&'static str, &'static [metrics::Key])>; KNOWN_MODELS] =
    [const { OnceLock::new() }; KNOWN_MODELS];

fn model_keys(model: &'static str) -> Option<&'static [metrics::Key]> {
    for slot in &MODEL_KEYS {
        let (name, keys) = slot.get_or_init(|| {
            let labels: &'static [metrics::Label] =
                Box::leak(Box::new([metrics::Label::from_static_parts(
                    "model", model,
                )]));
            let keys = Event::ALL
                .iter()
                .map(|event| metrics::Key::from_static_parts(event.metric_name(), labels))
                .collect::<Vec<_>>()
                .leak();
            (model, keys)
        });
        if *name == model {
            return Some(keys);
        }
    }
    None
}

/// A snapshot of a cache's counters since it was opened (shared by all its clones).
///
/// ```no_run
/// # let cache = write_through::Cache::open("redis://127.0.0.1:6379").unwrap();
/// let before = cache.stats();
/// // ... serve some requests ...
/// let after = cache.stats();
/// println!("{} database reads, {} owed invalidations", after.misses - before.misses,
///          after.pending_invalidations);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Finds answered from Redis with a row.
    pub hits: u64,
    /// Finds answered from Redis with a cached "no such row".
    pub negative_hits: u64,
    /// Finds that went to the database.
    pub misses: u64,
    /// Values written to Redis after a database load.
    pub fills: u64,
    /// Fills refused because a write started while the database was read.
    pub fills_refused: u64,
    /// Keys locked by writers.
    pub locks: u64,
    /// Values written to Redis after a committed write.
    pub publishes: u64,
    /// Keys deleted from Redis after a committed write or delete.
    pub invalidations: u64,
    /// Redis calls that failed or timed out.
    pub cache_errors: u64,
    /// Values under our keys that could not be used (foreign, corrupt, old schema, too large).
    pub unreadable_values: u64,
    /// Rows that encoded but did not decode again (a field type the model's codec cannot
    /// carry): never cached, and warned about once per model.
    pub undecodable_rows: u64,
    /// Keys whose invalidation could not reach Redis and waits for it to answer again.
    pub pending_invalidations: u64,
    /// Pending invalidations delivered after Redis came back.
    pub recovered_invalidations: u64,
    /// Finds answered from the in-process tier, without a Redis round trip.
    pub local_hits: u64,
    /// Entries of the in-process tier retired by a write of this process or by an invalidation
    /// message from another.
    pub local_evictions: u64,
    /// Times the in-process tier was emptied because its invalidation channel was (re)connected,
    /// dropped or lagging.
    pub local_clears: u64,
    /// Committed row changes on cached tables read by this cache's change feed.
    pub feed_changes: u64,
    /// Keys the change feed invalidated.
    pub feed_invalidations: u64,
    /// Models the change feed made start over (a `TRUNCATE`, a changed table, a lost slot).
    pub feed_start_overs: u64,
    /// Changes the feed could not map to keys (a column of another type than the model's).
    pub feed_unreadable_changes: u64,
    /// Feed sessions that ended on an error and were started again.
    pub feed_restarts: u64,
    /// Connections that operations through a pool ([`Pooled`](crate::Pooled)) checked out: one
    /// for each read that missed (hits take none), one for each write.
    pub checkouts: u64,
    /// Operations through a pool that needed a connection and could not get one (the pool timed
    /// out, or the database could not be reached): each one an
    /// [`Error::Unavailable`](crate::Error::Unavailable).
    pub database_unavailable: u64,
    /// Collection reads (`find_all_by_<parent>`) whose collection was larger than its cap
    /// (`collection(..., max = N)`): answered from the database, and not cached.
    pub collections_too_large: u64,
}

/// One countable event.
#[derive(Debug, Clone, Copy)]
// The feed's events are counted only with the PostgreSQL feed compiled in.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) enum Event {
    Hit,
    NegativeHit,
    Miss,
    Fill,
    FillRefused,
    Lock,
    Publish,
    Invalidation,
    CacheError,
    UnreadableValue,
    UndecodableRow,
    RecoveredInvalidation,
    LocalHit,
    LocalEviction,
    LocalClear,
    FeedChange,
    FeedInvalidation,
    FeedStartOver,
    FeedUnreadable,
    FeedRestart,
    Checkout,
    DatabaseUnavailable,
    CollectionTooLarge,
}

impl Event {
    /// Every event, in declaration order: `event as usize` is its place.
    const ALL: [Event; 23] = [
        Event::Hit,
        Event::NegativeHit,
        Event::Miss,
        Event::Fill,
        Event::FillRefused,
        Event::Lock,
        Event::Publish,
        Event::Invalidation,
        Event::CacheError,
        Event::UnreadableValue,
        Event::UndecodableRow,
        Event::RecoveredInvalidation,
        Event::LocalHit,
        Event::LocalEviction,
        Event::LocalClear,
        Event::FeedChange,
        Event::FeedInvalidation,
        Event::FeedStartOver,
        Event::FeedUnreadable,
        Event::FeedRestart,
        Event::Checkout,
        Event::DatabaseUnavailable,
        Event::CollectionTooLarge,
    ];

    fn metric_name(self) -> &'static str {
        match self {
            Event::Hit => "write_through_hits_total",
            Event::NegativeHit => "write_through_negative_hits_total",
            Event::Miss => "write_through_misses_total",
            Event::Fill => "write_through_fills_total",
            Event::FillRefused => "write_through_fills_refused_total",
            Event::Lock => "write_through_locks_total",
            Event::Publish => "write_through_publishes_total",
            Event::Invalidation => "write_through_invalidations_total",
            Event::CacheError => "write_through_cache_errors_total",
            Event::UnreadableValue => "write_through_unreadable_values_total",
            Event::UndecodableRow => "write_through_undecodable_rows_total",
            Event::RecoveredInvalidation => "write_through_recovered_invalidations_total",
            Event::LocalHit => "write_through_local_hits_total",
            Event::LocalEviction => "write_through_local_evictions_total",
            Event::LocalClear => "write_through_local_clears_total",
            Event::FeedChange => "write_through_feed_changes_total",
            Event::FeedInvalidation => "write_through_feed_invalidations_total",
            Event::FeedStartOver => "write_through_feed_start_overs_total",
            Event::FeedUnreadable => "write_through_feed_unreadable_changes_total",
            Event::FeedRestart => "write_through_feed_restarts_total",
            Event::Checkout => "write_through_checkouts_total",
            Event::DatabaseUnavailable => "write_through_database_unavailable_total",
            Event::CollectionTooLarge => "write_through_collections_too_large_total",
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    hits: AtomicU64,
    negative_hits: AtomicU64,
    misses: AtomicU64,
    fills: AtomicU64,
    fills_refused: AtomicU64,
    locks: AtomicU64,
    publishes: AtomicU64,
    invalidations: AtomicU64,
    cache_errors: AtomicU64,
    unreadable_values: AtomicU64,
    undecodable_rows: AtomicU64,
    recovered_invalidations: AtomicU64,
    local_hits: AtomicU64,
    local_evictions: AtomicU64,
    local_clears: AtomicU64,
    feed_changes: AtomicU64,
    feed_invalidations: AtomicU64,
    feed_start_overs: AtomicU64,
    feed_unreadable_changes: AtomicU64,
    feed_restarts: AtomicU64,
    checkouts: AtomicU64,
    database_unavailable: AtomicU64,
    collections_too_large: AtomicU64,
}

impl Counters {
    pub(crate) fn record(&self, event: Event, model: &'static str) {
        self.add(event, 1, model);
    }

    pub(crate) fn add(&self, event: Event, n: u64, model: &'static str) {
        let counter = match event {
            Event::Hit => &self.hits,
            Event::NegativeHit => &self.negative_hits,
            Event::Miss => &self.misses,
            Event::Fill => &self.fills,
            Event::FillRefused => &self.fills_refused,
            Event::Lock => &self.locks,
            Event::Publish => &self.publishes,
            Event::Invalidation => &self.invalidations,
            Event::CacheError => &self.cache_errors,
            Event::UnreadableValue => &self.unreadable_values,
            Event::UndecodableRow => &self.undecodable_rows,
            Event::RecoveredInvalidation => &self.recovered_invalidations,
            Event::LocalHit => &self.local_hits,
            Event::LocalEviction => &self.local_evictions,
            Event::LocalClear => &self.local_clears,
            Event::FeedChange => &self.feed_changes,
            Event::FeedInvalidation => &self.feed_invalidations,
            Event::FeedStartOver => &self.feed_start_overs,
            Event::FeedUnreadable => &self.feed_unreadable_changes,
            Event::FeedRestart => &self.feed_restarts,
            Event::Checkout => &self.checkouts,
            Event::DatabaseUnavailable => &self.database_unavailable,
            Event::CollectionTooLarge => &self.collections_too_large,
        };
        counter.fetch_add(n, Relaxed);
        let unlisted;
        let key = match model_keys(model).and_then(|keys| keys.get(event as usize)) {
            Some(key) => key,
            // Past the models kept, or if `Event::ALL` missed a variant (which its test forbids).
            None => {
                let label = metrics::Label::from_static_parts("model", model);
                unlisted = metrics::Key::from_parts(event.metric_name(), vec![label]);
                &unlisted
            }
        };
        metrics::with_recorder(|recorder| recorder.register_counter(key, &METADATA).increment(n));
    }

    pub(crate) fn snapshot(&self, pending_invalidations: u64) -> Stats {
        Stats {
            hits: self.hits.load(Relaxed),
            negative_hits: self.negative_hits.load(Relaxed),
            misses: self.misses.load(Relaxed),
            fills: self.fills.load(Relaxed),
            fills_refused: self.fills_refused.load(Relaxed),
            locks: self.locks.load(Relaxed),
            publishes: self.publishes.load(Relaxed),
            invalidations: self.invalidations.load(Relaxed),
            cache_errors: self.cache_errors.load(Relaxed),
            unreadable_values: self.unreadable_values.load(Relaxed),
            undecodable_rows: self.undecodable_rows.load(Relaxed),
            pending_invalidations,
            recovered_invalidations: self.recovered_invalidations.load(Relaxed),
            local_hits: self.local_hits.load(Relaxed),
            local_evictions: self.local_evictions.load(Relaxed),
            local_clears: self.local_clears.load(Relaxed),
            feed_changes: self.feed_changes.load(Relaxed),
            feed_invalidations: self.feed_invalidations.load(Relaxed),
            feed_start_overs: self.feed_start_overs.load(Relaxed),
            feed_unreadable_changes: self.feed_unreadable_changes.load(Relaxed),
            feed_restarts: self.feed_restarts.load(Relaxed),
            checkouts: self.checkouts.load(Relaxed),
            database_unavailable: self.database_unavailable.load(Relaxed),
            collections_too_large: self.collections_too_large.load(Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use metrics::{Counter, CounterFn, Gauge, Histogram, Key, KeyName, Metadata, Recorder};

    use super::*;

    /// A recorder that adds up every counter by its name and labels.
    #[derive(Default)]
    struct Sums(Arc<Mutex<Vec<(String, u64)>>>);

    struct Sum(Arc<Mutex<Vec<(String, u64)>>>, String);

    impl CounterFn for Sum {
        fn increment(&self, n: u64) {
            let mut sums = self.0.lock().unwrap();
            match sums.iter_mut().find(|(name, _)| *name == self.1) {
                Some((_, sum)) => *sum += n,
                None => sums.push((self.1.clone(), n)),
            }
        }
        fn absolute(&self, _: u64) {}
    }

    impl Recorder for Sums {
        fn describe_counter(&self, _: KeyName, _: Option<metrics::Unit>, _: metrics::SharedString) {
        }
        fn describe_gauge(&self, _: KeyName, _: Option<metrics::Unit>, _: metrics::SharedString) {}
        fn describe_histogram(
            &self,
            _: KeyName,
            _: Option<metrics::Unit>,
            _: metrics::SharedString,
        ) {
        }
        fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
            let labels: Vec<String> = key
                .labels()
                .map(|label| format!("{}={}", label.key(), label.value()))
                .collect();
            let name = format!("{}{{{}}}", key.name(), labels.join(","));
            Counter::from_arc(Arc::new(Sum(self.0.clone(), name)))
        }
        fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
            Gauge::noop()
        }
        fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
            Histogram::noop()
        }
    }

    #[test]
    fn every_event_has_its_place_in_the_list_of_all() {
        for (place, event) in Event::ALL.iter().enumerate() {
            assert_eq!(*event as usize, place, "{event:?}");
        }
        // A new variant fails to compile here: list it here and in `Event::ALL`, in its place.
        let last = match Event::ALL[Event::ALL.len() - 1] {
            Event::Hit
            | Event::NegativeHit
            | Event::Miss
            | Event::Fill
            | Event::FillRefused
            | Event::Lock
            | Event::Publish
            | Event::Invalidation
            | Event::CacheError
            | Event::UnreadableValue
            | Event::UndecodableRow
            | Event::RecoveredInvalidation
            | Event::LocalHit
            | Event::LocalEviction
            | Event::LocalClear
            | Event::FeedChange
            | Event::FeedInvalidation
            | Event::FeedStartOver
            | Event::FeedUnreadable
            | Event::FeedRestart
            | Event::Checkout
            | Event::DatabaseUnavailable => false,
            Event::CollectionTooLarge => true,
        };
        assert!(last, "the last variant closes the list");
    }

    #[test]
    fn every_event_is_counted_under_its_name_and_model() {
        let sums = Sums::default();
        let seen = sums.0.clone();
        let counters = Counters::default();
        metrics::with_local_recorder(&sums, || {
            counters.record(Event::LocalHit, "User");
            counters.record(Event::LocalHit, "Post");
            counters.add(Event::LocalHit, 2, "User");
            counters.record(Event::Miss, "User");
        });
        assert_eq!(
            *seen.lock().unwrap(),
            vec![
                ("write_through_local_hits_total{model=User}".to_string(), 3),
                ("write_through_local_hits_total{model=Post}".to_string(), 1),
                ("write_through_misses_total{model=User}".to_string(), 1),
            ]
        );
        assert_eq!(counters.snapshot(0).local_hits, 4);
        assert_eq!(counters.snapshot(0).misses, 1);
    }

    #[test]
    fn models_past_the_kept_ones_are_counted_as_well() {
        let sums = Sums::default();
        let seen = sums.0.clone();
        let counters = Counters::default();
        let models: Vec<&'static str> = (0..KNOWN_MODELS + 6)
            .map(|i| &*Box::leak(format!("Model{i}").into_boxed_str()))
            .collect();
        metrics::with_local_recorder(&sums, || {
            for model in &models {
                counters.record(Event::Fill, model);
            }
        });
        let seen = seen.lock().unwrap();
        for model in &models {
            let name = format!("write_through_fills_total{{model={model}}}");
            assert!(seen.contains(&(name.clone(), 1)), "{name}");
        }
    }
}
