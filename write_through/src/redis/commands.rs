//! The Redis commands that carry the core's steps, built and decoded once for both fronts:
//! each is an `async fn` over an [`Exec`], the front's way of sending a [`Request`] (blocking on
//! a pooled connection, whose futures are ready at once, or async on a multiplexed one).

use std::future::Future;
use std::time::{Duration, Instant};

use redis::{Cmd, FromRedisValue};

use crate::core::write::Published;
use crate::error::CacheError;
use crate::redis::request::{Batch, Request};
use crate::redis::scripts;
use crate::redis::slot;

/// How many keys one batch script call carries: a Lua script blocks Redis while it runs.
const BATCH_CHUNK: usize = 500;
/// How many keys one pipeline carries when delivering owed invalidations.
const DEL_CHUNK: usize = 512;

/// A front's way of doing I/O: sending requests (through the breaker, after the owed
/// invalidations, within the timeouts: see `redis/store.rs`), and waiting.
pub(crate) trait Exec: Sync {
    /// Whether the cache talks to a Redis Cluster.
    fn is_cluster(&self) -> bool;

    /// Where the lock, publish and invalidate scripts announce their key to the in-process
    /// tiers (see `local/`): this cache's origin and the channel; empty for nowhere.
    fn announce(&self) -> &[u8];

    /// Waits `pause` (between looks at a key another reader is filling).
    fn sleep(&self, pause: Duration) -> impl Future<Output = ()> + Send;

    /// Waits until the leader of a single flight is done, or `patience` has passed.
    fn follow(
        &self,
        follower: crate::shared::flight::Follower,
        patience: Duration,
    ) -> impl Future<Output = ()> + Send;

    /// On a Redis Cluster whose map this front keeps (the async front's: `node_pipelines.rs`),
    /// the positions of `slots` grouped by the master serving them; `None` on one Redis, on a
    /// front without the map, or while it is not known (not read yet, or stale).
    fn by_node(&self, slots: &[u16]) -> Option<Vec<Vec<usize>>> {
        let _ = slots;
        None
    }

    /// A reply showed that the cluster's map [`Exec::by_node`] grouped by is out of date: it is
    /// read again before the next batch.
    fn map_is_stale(&self) {}

    /// Sends `request`, decoding the reply as `T`.
    fn run<T: FromRedisValue + Send + 'static>(
        &self,
        operation: &'static str,
        request: Request,
    ) -> impl Future<Output = Result<T, CacheError>> + Send;
}

/// What a lock replaced: the previous value and its remaining TTL when the lock was taken.
#[derive(Debug, Clone)]
pub(crate) struct Replaced {
    value: Option<Vec<u8>>,
    /// Redis's PTTL: -2 no key, -1 no expiry, else milliseconds.
    pttl: i64,
    at: Instant,
}

impl Replaced {
    /// What putting it back would put back now, and the milliseconds it has left (0: delete
    /// instead): [`crate::core::write::restoration`].
    pub(crate) fn restoration(&self) -> (&[u8], u64) {
        crate::core::write::restoration(self.value.as_deref(), self.pttl, self.at.elapsed())
    }
}

/// `EVALSHA sha n key...`, to which the caller adds the arguments.
fn evalsha_keys(script: &redis::Script, keys: &[&[u8]]) -> Cmd {
    let mut cmd = redis::cmd("EVALSHA");
    cmd.arg(script.get_hash()).arg(keys.len()).arg(keys);
    cmd
}

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

fn one(cmd: &mut Cmd) -> Request {
    Request::One(std::mem::take(cmd))
}

/// `GET key`.
pub(crate) async fn get(e: &impl Exec, key: &[u8]) -> Result<Option<Vec<u8>>, CacheError> {
    e.run("GET", one(redis::cmd("GET").arg(key))).await
}

/// `MGET keys` (on a cluster, one `GET` each: a cluster refuses multi-slot MGETs).
pub(crate) async fn get_many(
    e: &impl Exec,
    keys: &[&[u8]],
) -> Result<Vec<Option<Vec<u8>>>, CacheError> {
    if e.is_cluster() {
        let mut gets = Batch::default();
        for key in keys {
            gets.add(redis::cmd("GET").arg(*key).clone());
        }
        return e.run("GET", Request::Many(gets)).await;
    }
    e.run("MGET", one(redis::cmd("MGET").arg(keys))).await
}

/// Locks `key` for a writer (see [`scripts::LOCK`]), returning what the lock replaced.
pub(crate) async fn lock(
    e: &impl Exec,
    key: &[u8],
    lock: &[u8],
    ttl: Duration,
) -> Result<Replaced, CacheError> {
    // The third element says whether the lock became contended; RESTORE and PUBLISH find that
    // out for themselves by comparing.
    let request = one(evalsha_keys(&scripts::LOCK, &[key])
        .arg(lock)
        .arg(millis(ttl))
        .arg(e.announce()));
    let (value, pttl, _contended): (Option<Vec<u8>>, i64, i64) = e.run("LOCK", request).await?;
    Ok(Replaced {
        value,
        pttl,
        at: Instant::now(),
    })
}

/// Publishes a committed write (see [`scripts::PUBLISH`]); `None` publishes a deletion.
pub(crate) async fn publish(
    e: &impl Exec,
    key: &[u8],
    lock: &[u8],
    value: Option<&[u8]>,
    ttl: Duration,
) -> Result<Published, CacheError> {
    let value = value.unwrap_or_default();
    let request = one(evalsha_keys(&scripts::PUBLISH, &[key])
        .arg(lock)
        .arg(value)
        .arg(millis(ttl))
        .arg(e.announce()));
    let outcome: i64 = e.run("PUBLISH", request).await?;
    Ok(match outcome {
        1 => Published::Set,
        2 => Published::Deleted,
        _ => Published::Contended,
    })
}

/// Puts back what a lock replaced, if the lock is still there (see [`scripts::RESTORE`]).
pub(crate) async fn restore(
    e: &impl Exec,
    key: &[u8],
    lock: &[u8],
    replaced: &Replaced,
) -> Result<(), CacheError> {
    let (value, remaining) = replaced.restoration();
    let request = one(evalsha_keys(&scripts::RESTORE, &[key])
        .arg(lock)
        .arg(value)
        .arg(remaining));
    e.run::<i64>("RESTORE", request).await.map(drop)
}

/// Deletes `key` if it still holds exactly `expected` (see [`scripts::DELETE_IF`]).
pub(crate) async fn delete_if(
    e: &impl Exec,
    key: &[u8],
    expected: &[u8],
) -> Result<(), CacheError> {
    let request = one(evalsha_keys(&scripts::DELETE_IF, &[key]).arg(expected));
    e.run::<i64>("DELETE_IF", request).await.map(drop)
}

/// `SET key lease NX PX ttl`: `true` when this reader now holds the lease.
pub(crate) async fn lease(
    e: &impl Exec,
    key: &[u8],
    lease: &[u8],
    ttl: Duration,
) -> Result<bool, CacheError> {
    let request = one(redis::cmd("SET")
        .arg(key)
        .arg(lease)
        .arg("NX")
        .arg("PX")
        .arg(millis(ttl)));
    let reply: Option<String> = e.run("LEASE", request).await?;
    Ok(reply.is_some())
}

/// Fills `key` while `lease` is still there (see [`scripts::FILL`]); `true` when filled.
pub(crate) async fn fill(
    e: &impl Exec,
    key: &[u8],
    lease: &[u8],
    value: &[u8],
    ttl: Duration,
) -> Result<bool, CacheError> {
    let request = one(evalsha_keys(&scripts::FILL, &[key])
        .arg(lease)
        .arg(value)
        .arg(millis(ttl)));
    e.run("FILL", request).await
}

/// Invalidates a key without holding its lock (see [`scripts::INVALIDATE`]).
pub(crate) async fn invalidate(e: &impl Exec, key: &[u8]) -> Result<(), CacheError> {
    let request = one(evalsha_keys(&scripts::INVALIDATE, &[key]).arg(e.announce()));
    e.run::<i64>("INVALIDATE", request).await.map(drop)
}

/// [`invalidate`] by `EVAL` of the script's source rather than its hash: for a key a slot
/// migration has moved, whose command follows `ASK` to a node that may never have loaded the
/// scripts.
#[cfg(all(feature = "cluster", any(feature = "postgres", feature = "binlog")))]
pub(crate) async fn invalidate_moved(e: &impl Exec, key: &[u8]) -> Result<(), CacheError> {
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(scripts::invalidate_source())
        .arg(1)
        .arg(key)
        .arg(e.announce());
    e.run::<i64>("INVALIDATE", one(&mut cmd)).await.map(drop)
}

/// Invalidates many keys at once (the change feed's batch), as [`invalidate`] does each: in
/// pipelines of [`DEL_CHUNK`] script calls of one key each (on a cluster, one pipeline per
/// node: see `request.rs`). `Ok` only when every call was answered.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) async fn invalidate_many(e: &impl Exec, keys: &[Vec<u8>]) -> Result<(), CacheError> {
    for request in owed_delivery(keys, e.announce()) {
        e.run::<redis::Value>("INVALIDATE", request).await?;
    }
    Ok(())
}

/// Tells every process's in-process tier to forget every entry (a change feed's start-over: a
/// model's keys may sit in other processes' tiers without being in Redis, where the start-over
/// finds what it retires): the writer's origin followed by no key, on the tiers' channel. A
/// cache with no channel (`announce` empty) has no tiers to tell.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) async fn announce_forget_all(e: &impl Exec) -> Result<(), CacheError> {
    let Some((origin, channel)) = e.announce().split_at_checked(16) else {
        return Ok(());
    };
    if channel.is_empty() {
        return Ok(());
    }
    let request = one(redis::cmd("PUBLISH").arg(channel).arg(origin));
    e.run::<i64>("PUBLISH", request).await.map(drop)
}

/// A key a library write covered with its mark (`feed::mark`): its lock value, and the SHA-1
/// (lowercase hex) of the value it publishes, `None` when it publishes none.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) struct Covered<'a> {
    pub(crate) key: &'a [u8],
    pub(crate) lock: &'a [u8],
    pub(crate) value: Option<String>,
}

/// The change feed's invalidation of keys library writes covered: each as [`invalidate`] does,
/// unless Redis holds the write's lock or the value it publishes. In pipelines of
/// [`DEL_CHUNK`] calls on one Redis, one call per key on a cluster. Returns the keys retired
/// (not left in place); `Ok` only when every call was answered.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) async fn invalidate_unless_written<'a>(
    e: &impl Exec,
    covered: &[Covered<'a>],
) -> Result<Vec<&'a [u8]>, CacheError> {
    let call = |covered: &Covered<'_>| {
        let mut cmd = evalsha_keys(&scripts::INVALIDATE_UNLESS_WRITTEN, &[covered.key]);
        cmd.arg(covered.lock)
            .arg(covered.value.as_deref().unwrap_or(""))
            .arg(e.announce());
        cmd
    };
    let mut left = Vec::with_capacity(covered.len());
    if e.is_cluster() {
        for one_key in covered {
            let left_in_place: i64 = e
                .run("INVALIDATE_UNLESS_WRITTEN", one(&mut call(one_key)))
                .await?;
            left.push(left_in_place == 2);
        }
    } else {
        for chunk in covered.chunks(DEL_CHUNK) {
            let mut batch = Batch::default();
            for one_key in chunk {
                batch.add(call(one_key));
            }
            let replies: Vec<i64> = e
                .run("INVALIDATE_UNLESS_WRITTEN", Request::Many(batch))
                .await?;
            left.extend(replies.into_iter().map(|reply| reply == 2));
        }
    }
    Ok(covered
        .iter()
        .zip(left)
        .filter(|(_, left)| !left)
        .map(|(covered, _)| covered.key)
        .collect())
}

/// `SCAN cursor MATCH pattern COUNT 1000`.
fn scan_cmd(cursor: u64, pattern: &[u8]) -> Cmd {
    let mut cmd = redis::cmd("SCAN");
    cmd.arg(cursor)
        .arg("MATCH")
        .arg(pattern)
        .arg("COUNT")
        .arg(1000);
    cmd
}

/// The cluster's map of masters (`CLUSTER SLOTS`, through the router).
#[cfg(all(feature = "cluster", any(feature = "postgres", feature = "binlog")))]
pub(crate) async fn cluster_map(
    e: &impl Exec,
) -> Result<crate::redis::node_map::NodeMap, CacheError> {
    let reply: redis::Value = e
        .run("CLUSTER SLOTS", one(redis::cmd("CLUSTER").arg("SLOTS")))
        .await?;
    crate::redis::node_map::NodeMap::from_cluster_slots(&reply)
        .ok_or_else(|| CacheError::unexpected_reply("CLUSTER SLOTS"))
}

/// Where a `SCAN` of the change feed's start-over runs: the master serving a slot, or a node
/// by its address.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) enum ScanAt<'a> {
    MasterOf(u16),
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    Node(&'a str, u16),
}

/// One step of `SCAN cursor MATCH pattern COUNT 1000` at `at` (a cluster's nodes are scanned one
/// by one: each sees its own keys; one Redis is that Redis): the next cursor (0 when done) and
/// the keys.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) async fn scan_at(
    e: &impl Exec,
    at: &ScanAt<'_>,
    cursor: u64,
    pattern: &[u8],
) -> Result<(u64, Vec<Vec<u8>>), CacheError> {
    match at {
        ScanAt::MasterOf(slot) => {
            e.run(
                "SCAN",
                Request::OnMasterOf(*slot, scan_cmd(cursor, pattern)),
            )
            .await
        }
        ScanAt::Node(host, port) => {
            let request = Request::OnNode((*host).to_owned(), *port, scan_cmd(cursor, pattern));
            e.run("SCAN", request).await
        }
    }
}

/// `CLUSTER NODES` as the master serving `slot` sees the cluster (its own line carries the
/// slots it is migrating).
#[cfg(all(feature = "cluster", any(feature = "postgres", feature = "binlog")))]
pub(crate) async fn cluster_nodes_of(e: &impl Exec, slot: u16) -> Result<String, CacheError> {
    let mut cmd = redis::cmd("CLUSTER");
    cmd.arg("NODES");
    e.run("CLUSTER NODES", Request::OnMasterOf(slot, cmd)).await
}

/// `SET key value`, without expiry: the change feed's record of how far it applied the log.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) async fn set_marker(e: &impl Exec, key: &[u8], value: &[u8]) -> Result<(), CacheError> {
    let mut cmd = redis::cmd("SET");
    cmd.arg(key).arg(value);
    e.run::<redis::Value>("SET", one(&mut cmd)).await.map(drop)
}

/// `PING`.
pub(crate) async fn ping(e: &impl Exec) -> Result<(), CacheError> {
    e.run("PING", one(&mut redis::cmd("PING"))).await
}

/// The owed invalidations of `keys`, as pipelines of at most [`DEL_CHUNK`] script calls, each
/// announced on `announce` (see [`Exec::announce`]).
pub(crate) fn owed_delivery(keys: &[Vec<u8>], announce: &[u8]) -> Vec<Request> {
    keys.chunks(DEL_CHUNK)
        .map(|chunk| {
            let mut batch = Batch::default();
            for key in chunk {
                let mut cmd = evalsha_keys(&scripts::INVALIDATE, &[key.as_slice()]);
                batch.add_ignored(cmd.arg(announce).clone());
            }
            Request::Many(batch)
        })
        .collect()
}

/// Keys of one batch, grouped for script calls (`GET_OR_LEASE_MANY`, `SETTLE_MANY`): chunks of
/// [`BATCH_CHUNK`] positions; on a cluster, one group per master when the front keeps the
/// cluster's map (a group's keys then span slots: only its first is declared, the others go in
/// `ARGV`, which `allow-cross-slot-keys` lets the script reach), else one per hash slot.
struct Groups {
    groups: Vec<Vec<usize>>,
    across_slots: bool,
}

impl Groups {
    fn of(e: &impl Exec, keys: &[&[u8]]) -> Groups {
        if !e.is_cluster() {
            let positions: Vec<usize> = (0..keys.len()).collect();
            let groups = positions
                .chunks(BATCH_CHUNK)
                .map(<[usize]>::to_vec)
                .collect();
            return Groups {
                groups,
                across_slots: false,
            };
        }
        let slots: Vec<u16> = keys.iter().map(|key| slot::slot(key)).collect();
        match e.by_node(&slots) {
            Some(by_node) => Groups {
                groups: by_node
                    .iter()
                    .flat_map(|group| group.chunks(BATCH_CHUNK).map(<[usize]>::to_vec))
                    .collect(),
                across_slots: true,
            },
            None => Groups {
                groups: slot::group_by_slot(keys, BATCH_CHUNK),
                across_slots: false,
            },
        }
    }

    /// `EVALSHA` of `script` over the keys of `group`: the keys it declares, and those it is
    /// passed in `ARGV` (see [`Groups`]), which the caller adds where the script reads them.
    /// Adds `cmd`, a call of this grouping, to `batch`: pinned to its node when its keys span
    /// slots (see `request.rs`).
    fn add(&self, batch: &mut Batch, cmd: Cmd, ignored: bool) {
        match (self.across_slots, ignored) {
            (true, ignored) => batch.add_pinned(cmd, ignored),
            (false, false) => batch.add(cmd),
            (false, true) => batch.add_ignored(cmd),
        }
    }

    fn call<'k>(
        &self,
        script: &redis::Script,
        keys: &[&'k [u8]],
        group: &[usize],
    ) -> (Cmd, Vec<&'k [u8]>) {
        let keys: Vec<&[u8]> = group.iter().map(|&i| keys[i]).collect();
        let declared = if self.across_slots {
            keys.len().min(1)
        } else {
            keys.len()
        };
        let cmd = evalsha_keys(script, &keys[..declared]);
        (cmd, keys[declared..].to_vec())
    }
}

/// One round trip for a batch read (one per node on a cluster): per key, `Some(value)` when
/// Redis holds one, `None` when the key was empty and is now leased to `lease`.
pub(crate) async fn get_or_lease_many(
    e: &impl Exec,
    keys: &[&[u8]],
    lease: &[u8],
    ttl: Duration,
) -> Result<Vec<Option<Vec<u8>>>, CacheError> {
    let groups = Groups::of(e, keys);
    // On a cluster without the map, the script would go once per slot (its declared keys must
    // share one), which for keys spread over many slots costs more than plain GETs: read
    // everything with one GET batch (one round trip per node), and lease only what is missing,
    // the same way. Measured in one run: a warm find_many(100) on a cluster was 3.4x one Redis
    // through the script per slot, 1.1x so.
    if e.is_cluster() && !groups.across_slots {
        return get_or_lease_many_on_a_cluster(e, keys, lease, ttl).await;
    }
    let mut batch = Batch::default();
    for group in &groups.groups {
        let (mut cmd, extra) = groups.call(&scripts::GET_OR_LEASE_MANY, keys, group);
        cmd.arg(lease).arg(millis(ttl));
        for key in extra {
            cmd.arg(key);
        }
        groups.add(&mut batch, cmd, false);
    }
    let replies: Vec<redis::Value> = e.run("GET_OR_LEASE", Request::Many(batch)).await?;
    let mut values: Vec<Option<Vec<u8>>> = vec![None; keys.len()];
    for (group, reply) in groups.groups.iter().zip(replies) {
        // Not sent (a pinned call whose node moved: `request.rs`): its keys are asked below.
        if reply == redis::Value::Nil {
            for &position in group {
                values[position] = Some(NOT_HERE.to_vec());
            }
            continue;
        }
        let reply: Vec<Option<Vec<u8>>> = redis::from_redis_value(reply)
            .map_err(|error| CacheError::new("GET_OR_LEASE", error.into()))?;
        if reply.len() != group.len() {
            return Err(CacheError::unexpected_reply("GET_OR_LEASE"));
        }
        for (&position, value) in group.iter().zip(reply) {
            values[position] = value;
        }
    }
    // Keys whose slot moved since the map was read: the map is read again, and they are asked
    // of their owners (one GET batch, then leases), as without the map.
    let elsewhere: Vec<usize> = (0..keys.len())
        .filter(|&i| values[i].as_deref() == Some(NOT_HERE))
        .collect();
    if !elsewhere.is_empty() {
        e.map_is_stale();
        let moved: Vec<&[u8]> = elsewhere.iter().map(|&i| keys[i]).collect();
        let asked = get_or_lease_many_on_a_cluster(e, &moved, lease, ttl).await?;
        for (&i, value) in elsewhere.iter().zip(asked) {
            values[i] = value;
        }
    }
    Ok(values)
}

/// What `GET_OR_LEASE_MANY` answers for a key its node does not serve (a slot moved since the
/// cluster's map was read).
const NOT_HERE: &[u8] = b"WT!";

/// On a cluster: every key's GET in one batch, then `SET NX` leases for the empty keys the same
/// way. A lease lost to someone else in between reads as empty bytes: unusable, so the row is
/// loaded and not filled.
async fn get_or_lease_many_on_a_cluster(
    e: &impl Exec,
    keys: &[&[u8]],
    lease: &[u8],
    ttl: Duration,
) -> Result<Vec<Option<Vec<u8>>>, CacheError> {
    let mut values = get_many(e, keys).await?;
    let empty: Vec<usize> = (0..keys.len()).filter(|&i| values[i].is_none()).collect();
    if empty.is_empty() {
        return Ok(values);
    }
    let mut leases = Batch::default();
    for &i in &empty {
        leases.add(
            redis::cmd("SET")
                .arg(keys[i])
                .arg(lease)
                .arg("NX")
                .arg("PX")
                .arg(millis(ttl))
                .clone(),
        );
    }
    let taken: Vec<Option<String>> = e.run("LEASE", Request::Many(leases)).await?;
    for (&i, taken) in empty.iter().zip(taken) {
        values[i] = if taken.is_some() {
            None
        } else {
            Some(Vec::new())
        };
    }
    Ok(values)
}

/// An index entry's value and, when it is a pointer, the value of the row it names.
pub(crate) type EntryAndRow = (Option<Vec<u8>>, Option<Vec<u8>>);

/// A unique index's entries and, for each pointer, the row it names. Standalone: one round trip
/// (the script reads the row its pointer names). On a cluster the two live in different slots:
/// a batch of entry reads, then one of row reads.
pub(crate) async fn read_entries(
    e: &impl Exec,
    keys: &[&[u8]],
) -> Result<Vec<EntryAndRow>, CacheError> {
    if e.is_cluster() {
        let entries = get_many(e, keys).await?;
        let pointed: Vec<(usize, Vec<u8>)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| {
                Some((i, crate::envelope::pointed_row(entry.as_deref()?)?.to_vec()))
            })
            .collect();
        let rows = if pointed.is_empty() {
            Vec::new()
        } else {
            let row_keys: Vec<&[u8]> = pointed.iter().map(|(_, key)| key.as_slice()).collect();
            get_many(e, &row_keys).await?
        };
        let mut out: Vec<EntryAndRow> = entries.into_iter().map(|entry| (entry, None)).collect();
        for ((i, _), row) in pointed.into_iter().zip(rows) {
            out[i].1 = row;
        }
        return Ok(out);
    }
    let mut batch = Batch::default();
    for chunk in keys.chunks(BATCH_CHUNK) {
        batch.add(evalsha_keys(&scripts::READ_ENTRIES, chunk));
    }
    let replies: Vec<Vec<Option<Vec<u8>>>> = e.run("READ_ENTRIES", Request::Many(batch)).await?;
    let mut out = Vec::with_capacity(keys.len());
    for reply in replies {
        let mut values = reply.into_iter();
        while let (Some(entry), Some(row)) = (values.next(), values.next()) {
            out.push((entry, row));
        }
    }
    if out.len() != keys.len() {
        return Err(CacheError::unexpected_reply("READ_ENTRIES"));
    }
    Ok(out)
}

/// A collection's entry and the values of its members' rows, in the entry's order (none when
/// the entry is not a members list).
pub(crate) type EntryAndMembers = (Option<Vec<u8>>, MemberRows);

/// The values of a collection's members' rows, in one buffer as Redis sent them.
#[derive(Debug, Default)]
pub(crate) struct MemberRows {
    bytes: Vec<u8>,
    rows: Vec<Option<std::ops::Range<usize>>>,
}

impl MemberRows {
    /// Each row's value, `None` for nothing under its key.
    pub(crate) fn rows(&self) -> Vec<Option<&[u8]>> {
        self.rows
            .iter()
            .map(|range| range.clone().map(|range| &self.bytes[range]))
            .collect()
    }

    /// Rows read one by one (a cluster's), copied into one buffer.
    fn of(values: impl IntoIterator<Item = Option<Vec<u8>>>) -> Self {
        let mut out = MemberRows::default();
        for value in values {
            out.rows.push(value.map(|value| {
                let start = out.bytes.len();
                out.bytes.extend_from_slice(&value);
                start..out.bytes.len()
            }));
        }
        out
    }
}

/// Cached collections' entries and, for each members list, every member's row. Standalone: one
/// round trip, one instant (the script reads the rows its entry names). On a cluster the rows
/// live in other slots: a batch of entry reads, then one of row reads.
pub(crate) async fn read_collections(
    e: &impl Exec,
    keys: &[&[u8]],
) -> Result<Vec<EntryAndMembers>, CacheError> {
    if e.is_cluster() {
        let entries = get_many(e, keys).await?;
        let named: Vec<Vec<Vec<u8>>> = entries
            .iter()
            .map(|entry| {
                let members = match entry.as_deref().map(crate::envelope::Envelope::parse) {
                    Some(Ok(crate::envelope::Envelope::Members { body })) => {
                        crate::envelope::members(body).unwrap_or_default()
                    }
                    _ => Vec::new(),
                };
                members.iter().map(|m| m.row_key.to_vec()).collect()
            })
            .collect();
        let row_keys: Vec<&[u8]> = named.iter().flatten().map(Vec::as_slice).collect();
        let mut rows = if row_keys.is_empty() {
            Vec::new()
        } else {
            get_many(e, &row_keys).await?
        }
        .into_iter();
        return Ok(entries
            .into_iter()
            .zip(&named)
            .map(|(entry, keys)| (entry, MemberRows::of(rows.by_ref().take(keys.len()))))
            .collect());
    }
    let mut batch = Batch::default();
    for chunk in keys.chunks(BATCH_CHUNK) {
        batch.add(evalsha_keys(&scripts::READ_COLLECTIONS, chunk));
    }
    let replies: Vec<Vec<Option<Vec<u8>>>> =
        e.run("READ_COLLECTIONS", Request::Many(batch)).await?;
    let mut out = Vec::with_capacity(keys.len());
    for reply in replies {
        let mut values = reply.into_iter();
        while let (Some(entry), Some(packed)) = (values.next(), values.next()) {
            let packed = packed.unwrap_or_default();
            let rows = unpack_rows(&packed)
                .ok_or_else(|| CacheError::unexpected_reply("READ_COLLECTIONS"))?;
            out.push((
                entry,
                MemberRows {
                    bytes: packed,
                    rows,
                },
            ));
        }
    }
    if out.len() != keys.len() {
        return Err(CacheError::unexpected_reply("READ_COLLECTIONS"));
    }
    Ok(out)
}

/// Where the rows `READ_COLLECTIONS` packed into one string are in it: per row, `1`, a 4-byte
/// big-endian length and the bytes, or `0` for nothing. `None` when the string is cut short.
fn unpack_rows(packed: &[u8]) -> Option<Vec<Option<std::ops::Range<usize>>>> {
    let mut rows = Vec::new();
    let mut at = 0;
    while let Some(&present) = packed.get(at) {
        at += 1;
        if present == 0 {
            rows.push(None);
            continue;
        }
        let length = packed.get(at..at + 4)?;
        let length = usize::try_from(u32::from_be_bytes(length.try_into().ok()?)).ok()?;
        at += 4;
        if packed.len() - at < length {
            return None;
        }
        rows.push(Some(at..at + length));
        at += length;
    }
    Some(rows)
}

/// One round trip of leases (see [`scripts::LEASE_IF`]): per `(key, expected)`, whether this
/// reader now holds the lease on the key, taken only if it held exactly `expected` (or nothing,
/// when `expected` is `None`).
pub(crate) async fn lease_each(
    e: &impl Exec,
    keys: &[(&[u8], Option<&[u8]>)],
    lease: &[u8],
    ttl: Duration,
) -> Result<Vec<bool>, CacheError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut batch = Batch::default();
    for (key, expected) in keys {
        batch.add(
            evalsha_keys(&scripts::LEASE_IF, &[key])
                .arg(lease)
                .arg(millis(ttl))
                .arg(expected.unwrap_or_default())
                .clone(),
        );
    }
    let taken: Vec<i64> = e.run("LEASE", Request::Many(batch)).await?;
    Ok(taken.into_iter().map(|taken| taken == 1).collect())
}

/// One round trip after a batch read (one per node on a cluster): fill what we leased, release
/// leases with nothing to fill, and delete unusable values that are still exactly what was
/// read. Returns, per fill, whether it was filled.
pub(crate) async fn settle_many(
    e: &impl Exec,
    lease: &[u8],
    fills: &[(&[u8], Vec<u8>, Duration)],
    releases: &[&[u8]],
    unusable: &[(&[u8], &[u8])],
) -> Result<Vec<bool>, CacheError> {
    let mut batch = Batch::default();
    let fill_keys: Vec<&[u8]> = fills.iter().map(|(key, _, _)| *key).collect();
    let fill_groups = Groups::of(e, &fill_keys);
    for group in &fill_groups.groups {
        let (mut cmd, extra) = fill_groups.call(&scripts::SETTLE_MANY, &fill_keys, group);
        cmd.arg(lease).arg(group.len()).arg(0).arg(extra.len());
        for key in extra {
            cmd.arg(key);
        }
        for &i in group {
            cmd.arg(fills[i].1.as_slice()).arg(millis(fills[i].2));
        }
        fill_groups.add(&mut batch, cmd, false);
    }
    let release_groups = Groups::of(e, releases);
    for group in &release_groups.groups {
        let (mut cmd, extra) = release_groups.call(&scripts::SETTLE_MANY, releases, group);
        cmd.arg(lease).arg(0).arg(group.len()).arg(extra.len());
        for key in extra {
            cmd.arg(key);
        }
        release_groups.add(&mut batch, cmd, true);
    }
    let unusable_keys: Vec<&[u8]> = unusable.iter().map(|(key, _)| *key).collect();
    let unusable_groups = Groups::of(e, &unusable_keys);
    for group in &unusable_groups.groups {
        let (mut cmd, extra) = unusable_groups.call(&scripts::SETTLE_MANY, &unusable_keys, group);
        cmd.arg(lease).arg(0).arg(0).arg(extra.len());
        for key in extra {
            cmd.arg(key);
        }
        for &i in group {
            cmd.arg(unusable[i].1);
        }
        unusable_groups.add(&mut batch, cmd, true);
    }
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let replies: Vec<redis::Value> = e.run("FILL", Request::Many(batch)).await?;
    let mut filled = vec![false; fills.len()];
    for (group, reply) in fill_groups.groups.iter().zip(replies) {
        // Not sent (a pinned call whose node moved): not filled; the leases expire.
        if reply == redis::Value::Nil {
            continue;
        }
        let reply: Vec<i64> = redis::from_redis_value(reply)
            .map_err(|error| CacheError::new("FILL", error.into()))?;
        for (&position, outcome) in group.iter().zip(reply) {
            filled[position] = outcome == 1;
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::unpack_rows;

    #[test]
    fn packed_rows_unpack_in_order_with_their_absences_and_a_cut_one_is_refused() {
        let mut packed = vec![1, 0, 0, 0, 2, b'a', b'b', 0];
        packed.extend_from_slice(&[1, 0, 0, 0, 0]);
        assert_eq!(
            unpack_rows(&packed),
            Some(vec![Some(5..7), None, Some(13..13)])
        );
        assert_eq!(&packed[5..7], b"ab");
        assert_eq!(unpack_rows(&[]), Some(Vec::new()));
        assert_eq!(unpack_rows(&[1, 0, 0, 0, 3, b'a']), None);
        assert_eq!(unpack_rows(&[1, 0, 0]), None);
    }
}
