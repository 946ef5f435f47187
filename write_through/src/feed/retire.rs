//! Retiring what a batch of the log names, whichever database's log it is: its keys (those a
//! library write's mark covers only when Redis holds neither that write's lock nor its value),
//! then the models that start over (every key under their prefixes, on one Redis or on each
//! master of a cluster), and the in-process tiers with them.

use std::time::Duration;

use super::FeedError;
use super::plan::{BatchPlan, FeedModel};
use crate::cache::Cache;
use crate::redis::commands::{self, Exec, ScanAt};
use crate::stats::Event;

/// Invalidates a batch's keys, then starts over the models it says, and counts.
pub(crate) async fn apply<E: Exec>(
    exec: &E,
    cache: &Cache,
    models: &[FeedModel],
    batch: &BatchPlan,
) -> Result<(), FeedError> {
    let counters = &cache.inner().store.counters;
    for (model, error) in &batch.unreadable {
        tracing::warn!(model, %error, "a change the feed cannot map to keys");
        counters.record(Event::FeedUnreadable, model);
    }
    let keys: Vec<Vec<u8>> = batch.keys.iter().cloned().collect();
    let invalidated = commands::invalidate_many(exec, &keys).await;
    for key in &keys {
        cache.inner().evict_local(key);
    }
    invalidated?;
    // Keys a library write covered: retired only when Redis holds neither its lock nor its
    // value (`feed::mark`).
    let covered: Vec<commands::Covered<'_>> = batch
        .covered
        .iter()
        .map(|(key, cover)| commands::Covered {
            key,
            lock: &cover.lock,
            value: cover.value.map(|digest| super::mark::hex(&digest)),
        })
        .collect();
    let retired = commands::invalidate_unless_written(exec, &covered).await;
    let retired = match retired {
        Ok(retired) => retired,
        Err(error) => {
            for key in batch.covered.keys() {
                cache.inner().evict_local(key);
            }
            return Err(error.into());
        }
    };
    for key in &retired {
        cache.inner().evict_local(key);
    }
    counters.add(Event::FeedChange, batch.changes, super::ANY_MODEL);
    counters.add(
        Event::FeedInvalidation,
        (keys.len() + retired.len()) as u64,
        super::ANY_MODEL,
    );
    for &at in &batch.start_over {
        start_over(exec, cache, models, at).await?;
    }
    Ok(())
}

/// Retires every key of model `at` (its rows and index entries): after a `TRUNCATE`, a table
/// whose key columns changed, or a slot lost. Every key under the model's prefixes is scanned
/// and invalidated: on one Redis, there; on a cluster, on each master in turn (a `SCAN` sees
/// only its node's keys).
pub(crate) async fn start_over<E: Exec>(
    exec: &E,
    cache: &Cache,
    models: &[FeedModel],
    at: usize,
) -> Result<(), FeedError> {
    let model = &models[at];
    cache
        .inner()
        .store
        .counters
        .record(Event::FeedStartOver, model.name);
    if exec.is_cluster() {
        // (Without the feature, no cache talks to a cluster.)
        #[cfg(feature = "cluster")]
        retire_on_every_master(exec, cache, &model.patterns).await?;
    } else {
        // One Redis: any slot routes there.
        retire_matching(exec, cache, &ScanAt::MasterOf(0), &model.patterns, None).await?;
    }
    // Keys of this model may sit in tiers without being in Redis any more: this process's, and
    // (told through Redis) every other's.
    if let Some(local) = &cache.inner().local {
        local.forget_all();
    }
    commands::announce_forget_all(exec).await?;
    Ok(())
}

/// How many times a start-over on a cluster scans every master before it gives up (the
/// session then ends, and the batch is read again): each time the cluster's map changed while
/// it scanned, a key may have moved from a master not yet scanned to one already scanned.
#[cfg(feature = "cluster")]
const SCAN_ROUNDS: usize = 3;

/// Scans each master of the cluster's map for `patterns` and retires what it finds; done when
/// the map read after the round is the one the round scanned.
///
/// A slot being migrated moves its keys one by one from its master to the target, which the
/// map does not show until the move ends: a key that moved from a master not scanned yet to one
/// already scanned would be seen by neither. Keys only move towards the target, so every node
/// a master was migrating to, before or after the round, is scanned again once the round is
/// over (by address: it may serve no slot yet); a move that began and ended within the round
/// changed the map.
#[cfg(feature = "cluster")]
async fn retire_on_every_master<E: Exec>(
    exec: &E,
    cache: &Cache,
    patterns: &[Vec<u8>],
) -> Result<(), FeedError> {
    let mut map = commands::cluster_map(exec).await?;
    for _ in 0..SCAN_ROUNDS {
        let masters = map.one_slot_per_master();
        let mut targets = Vec::new();
        add_migration_targets(exec, &masters, &mut targets).await;
        for &slot in &masters {
            retire_matching(exec, cache, &ScanAt::MasterOf(slot), patterns, Some(&map)).await?;
            crate::pause::reach(
                crate::pause::FEED_MASTER_SCANNED,
                slot.to_string().as_bytes(),
            );
        }
        add_migration_targets(exec, &masters, &mut targets).await;
        for (host, port) in &targets {
            let at = ScanAt::Node(host, *port);
            retire_matching(exec, cache, &at, patterns, Some(&map)).await?;
        }
        let after = commands::cluster_map(exec).await?;
        if after == map {
            return Ok(());
        }
        map = after;
    }
    Err(crate::error::CacheError::new(
        "SCAN",
        redis::RedisError::from((
            redis::ErrorKind::Client,
            "the cluster's map kept changing while every master was scanned",
        )),
    )
    .into())
}

/// Adds to `targets` the nodes the masters of `masters` (one slot of each) are migrating slots
/// to, each once. A master that refuses `CLUSTER NODES` (an ACL, a managed service) names none:
/// the start-over then does what it did before it looked for migrations.
#[cfg(feature = "cluster")]
async fn add_migration_targets<E: Exec>(
    exec: &E,
    masters: &[u16],
    targets: &mut Vec<(String, u16)>,
) {
    for &slot in masters {
        let nodes = match commands::cluster_nodes_of(exec, slot).await {
            Ok(nodes) => nodes,
            Err(error) => {
                tracing::warn!(%error, slot, "CLUSTER NODES refused: a start-over during a slot migration may miss the keys that move");
                continue;
            }
        };
        for target in crate::redis::node_map::migration_targets(&nodes) {
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
    }
}

/// The map a start-over's round scans by, on a cluster. A scanned node's keys of slots the map
/// gives it are retired in batches; the others (keys it is importing while a slot migrates,
/// whose slot's master answers `ASK`, which a batch does not follow) each on its own through
/// the router, by the script's source (the node may never have loaded it).
#[cfg(feature = "cluster")]
type Importing<'m> = Option<&'m crate::redis::node_map::NodeMap>;
#[cfg(not(feature = "cluster"))]
type Importing<'m> = Option<&'m std::convert::Infallible>;

/// Scans the node `at` names for keys matching `patterns` and retires each, in Redis and in
/// this process's tier.
async fn retire_matching<E: Exec>(
    exec: &E,
    cache: &Cache,
    at: &ScanAt<'_>,
    patterns: &[Vec<u8>],
    importing: Importing<'_>,
) -> Result<(), FeedError> {
    for pattern in patterns {
        let mut cursor = 0;
        loop {
            let (next, keys) = commands::scan_at(exec, at, cursor, pattern).await?;
            match importing {
                #[cfg(feature = "cluster")]
                Some(map) => {
                    let own = |key: &[u8]| {
                        let slot = crate::redis::slot::slot(key);
                        match at {
                            ScanAt::MasterOf(master) => map.same_master(slot, *master),
                            ScanAt::Node(host, port) => map.serves(slot, host, *port),
                        }
                    };
                    let (owned, imported): (Vec<Vec<u8>>, Vec<Vec<u8>>) =
                        keys.iter().cloned().partition(|key| own(key));
                    commands::invalidate_many(exec, &owned).await?;
                    for key in &imported {
                        commands::invalidate_moved(exec, key).await?;
                    }
                }
                _ => commands::invalidate_many(exec, &keys).await?,
            }
            for key in &keys {
                cache.inner().evict_local(key);
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
    }
    Ok(())
}

/// Waits until the feed has applied the log up to `target` (read by `catch_up`), polling the
/// marker the active consumer writes (a position `parse` reads, which `covers` the target once
/// the feed is there), or fails after `timeout`.
pub(crate) async fn wait_applied<E: Exec, P: std::fmt::Display>(
    exec: &E,
    marker: &[u8],
    target: &P,
    parse: impl Fn(&str) -> Option<P>,
    covers: impl Fn(&P, &P) -> bool,
    timeout: Duration,
) -> Result<(), FeedError> {
    let start = std::time::Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        let applied = commands::get(exec, marker).await?;
        let applied = applied
            .as_deref()
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .and_then(&parse);
        if applied
            .as_ref()
            .is_some_and(|applied| covers(applied, target))
        {
            return Ok(());
        }
        if start.elapsed() >= timeout {
            return Err(FeedError::Timeout {
                waited: timeout,
                applied: applied.map(|applied| applied.to_string()),
                target: target.to_string(),
            });
        }
        exec.sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}
