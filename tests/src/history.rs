//! A randomized concurrent workload whose every operation is recorded with its invoke and
//! return times, and a checker that finds the reads that were *definitely* stale.
//!
//! Values are unique (every save writes a fresh number), so a read names the write it saw.
//! A read that returned the value of write `w` is stale when some other write or delete of the
//! same key both started after `w` returned and returned before the read started: in every
//! order consistent with real time, that write came between. A read that returned nothing is
//! stale when some save returned before the read started and no delete could have come between.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::{Connection, LoadConnection};
use write_through::{Cache, DieselOps};

use crate::fronts::{Blocking, Front};
use crate::models::{Account, Tag};

/// What one operation did.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Find(Option<i32>),
    Save(i32),
    Delete,
}

/// One completed operation.
#[derive(Debug, Clone)]
pub struct Event {
    pub key: usize,
    pub op: Op,
    pub invoked: Duration,
    pub returned: Duration,
}

/// The implementation under test: the library (through either front), or the hand-written
/// pattern it replaces.
#[derive(Clone)]
pub enum Subject {
    /// The blocking front, on the connections `run` is given.
    Library(Cache),
    /// The async front, each thread on a diesel-async connection to `backend` and a runtime of
    /// its own (the blocking connections `run` is given then serve only to set up tables).
    AsyncLibrary { cache: Cache, backend: AsyncBackend },
    /// "Write the database, then SET; GET, on a miss load and SET", on keys `{prefix}:{name}`.
    Naive {
        redis_url: String,
        prefix: String,
        /// A pause between a miss's load and its SET: what a slow network, a GC pause or a
        /// busy scheduler gives a real service. The race is the same with zero; the pause
        /// only makes it happen in a short run, so that the checker's teeth are shown
        /// deterministically rather than by the luck of scheduling.
        fill_delay: Duration,
    },
}

impl Subject {
    /// The library on `cache` through `front`.
    pub fn library(cache: Cache, front: LibraryFront) -> Self {
        match front {
            LibraryFront::Blocking => Subject::Library(cache),
            LibraryFront::Async(backend) => Subject::AsyncLibrary { cache, backend },
        }
    }
}

/// The front a suite drives the library through, for suites written once and run on both.
#[derive(Debug, Clone, Copy)]
pub enum LibraryFront {
    /// The blocking front, on the connections `run` is given.
    Blocking,
    /// The async front, on diesel-async connections to this database.
    Async(AsyncBackend),
}

/// The database of [`Subject::AsyncLibrary`].
#[derive(Debug, Clone, Copy)]
pub enum AsyncBackend {
    Postgres,
    Mysql,
}

impl AsyncBackend {
    fn connect(self) -> Box<dyn Front> {
        match self {
            AsyncBackend::Postgres => {
                Box::new(crate::fronts::async_postgres().expect("PostgreSQL"))
            }
            AsyncBackend::Mysql => Box::new(crate::fronts::async_mysql().expect("MySQL")),
        }
    }
}

/// The workload's shape.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    pub seed: u64,
    pub threads: usize,
    pub ops_per_thread: usize,
    pub keys: usize,
    /// Each thread goes on past `ops_per_thread` until this much time has passed (for fault
    /// tests, whose load must outlast the fault).
    pub at_least: Duration,
    /// The first value saves write; processes sharing keys use disjoint ranges, so that every
    /// value names one write.
    pub first_value: i32,
    /// Whether the library's operations go through a unique index (`by_email_op`) instead of
    /// the primary key (the hand-written pattern always uses the primary key).
    pub by_email: bool,
}

impl Workload {
    /// From `WT_SEED`, `WT_HISTORY_THREADS`, `WT_HISTORY_OPS` and `WT_HISTORY_KEYS`, with
    /// the given defaults (a short run) and a fresh seed.
    pub fn from_env(threads: usize, ops_per_thread: usize, keys: usize) -> Self {
        let var = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        Self {
            seed: var("WT_SEED", crate::unique()),
            threads: var("WT_HISTORY_THREADS", threads as u64) as usize,
            ops_per_thread: var("WT_HISTORY_OPS", ops_per_thread as u64) as usize,
            keys: var("WT_HISTORY_KEYS", keys as u64) as usize,
            at_least: Duration::ZERO,
            first_value: 1,
            by_email: false,
        }
    }
}

/// SplitMix64: a tiny, seedable generator, so a seed reproduces every thread's operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Time since the Unix epoch: one clock for every process on this machine, so that histories
/// recorded by several processes can be merged and checked together.
pub fn wall_clock() -> Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// One event per line, for a worker process to hand its history to the test that merges them.
pub fn to_line(event: &Event) -> String {
    let op = match event.op {
        Op::Find(Some(value)) => format!("find {value}"),
        Op::Find(None) => "find -".to_owned(),
        Op::Save(value) => format!("save {value}"),
        Op::Delete => "delete -".to_owned(),
    };
    format!(
        "{} {op} {} {}",
        event.key,
        event.invoked.as_nanos(),
        event.returned.as_nanos()
    )
}

/// The inverse of [`to_line`].
pub fn from_line(line: &str) -> Option<Event> {
    let mut parts = line.split_whitespace();
    let key = parts.next()?.parse().ok()?;
    let (kind, value) = (parts.next()?, parts.next()?);
    let op = match (kind, value) {
        ("find", "-") => Op::Find(None),
        ("find", value) => Op::Find(Some(value.parse().ok()?)),
        ("save", value) => Op::Save(value.parse().ok()?),
        ("delete", _) => Op::Delete,
        _ => return None,
    };
    let nanos = |text: &str| text.parse::<u64>().ok().map(Duration::from_nanos);
    Some(Event {
        key,
        op,
        invoked: nanos(parts.next()?)?,
        returned: nanos(parts.next()?)?,
    })
}

/// The result of one run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub events: Vec<Event>,
    /// Operations that returned an error (deadlocks on MariaDB, for example); not in `events`.
    pub failed: usize,
}

/// Runs the workload with one connection per thread (from `connect`) on keys named
/// `{names}-{k}`, and returns every completed operation.
pub fn run<C>(
    workload: Workload,
    subject: &Subject,
    names: &str,
    connect: impl Fn() -> C + Sync,
) -> Outcome
where
    C: Connection + LoadConnection + 'static,
    Tag: DieselOps<C::Backend>,
    Blocking<C>: Front,
{
    let next_value = AtomicI32::new(workload.first_value);
    let start = Instant::now();
    let per_thread: Vec<Outcome> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..workload.threads)
            .map(|thread| {
                let (connect, next_value) = (&connect, &next_value);
                scope.spawn(move || {
                    let mut naive_redis = match subject {
                        Subject::Naive { redis_url, .. } => Some(
                            redis::Client::open(redis_url.as_str())
                                .and_then(|c| c.get_connection())
                                .expect("Redis"),
                        ),
                        Subject::Library(_) | Subject::AsyncLibrary { .. } => None,
                    };
                    // The library through its front; the hand-written pattern on a bare connection.
                    let (mut conn, mut front): (Option<C>, Option<Box<dyn Front>>) = match subject {
                        Subject::Library(_) => (None, Some(Box::new(Blocking(connect())))),
                        Subject::AsyncLibrary { backend, .. } => (None, Some(backend.connect())),
                        Subject::Naive { .. } => (Some(connect()), None),
                    };
                    let mut rng =
                        Rng(workload.seed ^ (thread as u64).wrapping_mul(0x51_7CC1_B727_220A));
                    let mut outcome = Outcome::default();
                    let mut done = 0;
                    while done < workload.ops_per_thread || start.elapsed() < workload.at_least {
                        done += 1;
                        let key = rng.below(workload.keys);
                        let name = format!("{names}-{key}");
                        let roll = rng.below(100);
                        let invoked = wall_clock();
                        let op = match (subject, naive_redis.as_mut(), front.as_mut()) {
                            (Subject::Library(cache), _, Some(front))
                            | (Subject::AsyncLibrary { cache, .. }, _, Some(front))
                                if workload.by_email =>
                            {
                                let id = account_id(names, key);
                                by_email_op(front.as_mut(), cache, &name, id, roll, next_value)
                            }
                            (Subject::Library(cache), _, Some(front))
                            | (Subject::AsyncLibrary { cache, .. }, _, Some(front)) => {
                                library_op(front.as_mut(), cache, &name, roll, next_value)
                            }
                            (
                                Subject::Naive {
                                    prefix, fill_delay, ..
                                },
                                Some(redis),
                                _,
                            ) => naive_op(
                                conn.as_mut()
                                    .expect("the hand-written pattern's connection"),
                                redis,
                                &format!("{prefix}:{name}"),
                                &name,
                                roll,
                                next_value,
                                *fill_delay,
                            ),
                            _ => unreachable!("each subject has its connections"),
                        };
                        let returned = wall_clock();
                        match op {
                            Some(op) => outcome.events.push(Event {
                                key,
                                op,
                                invoked,
                                returned,
                            }),
                            None => outcome.failed += 1,
                        }
                    }
                    outcome
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    let mut all = Outcome::default();
    for outcome in per_thread {
        all.events.extend(outcome.events);
        all.failed += outcome.failed;
    }
    all
}

/// 50% finds, 35% saves, 15% deletes, through either front.
fn library_op(
    front: &mut dyn Front,
    cache: &Cache,
    name: &str,
    roll: usize,
    next: &AtomicI32,
) -> Option<Op> {
    match roll {
        0..50 => front
            .find_tag(cache, name)
            .ok()
            .map(|t| Op::Find(t.map(|t| t.uses))),
        50..85 => {
            let value = next.fetch_add(1, Ordering::Relaxed);
            let tag = Tag {
                name: name.to_owned(),
                uses: value,
            };
            front.save_tag(cache, &tag).ok().map(|()| Op::Save(value))
        }
        _ => front.delete_tag(cache, name).ok().map(|_| Op::Delete),
    }
}

/// The id of the account of key `key` in a by-email workload on `names`: large, so that no
/// database-generated id of the other suites meets it.
pub fn account_id(names: &str, key: usize) -> i64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    names.hash(&mut hasher);
    1_000_000_000_000 + (hasher.finish() % 1_000_000_000) as i64 * 1_000 + key as i64
}

/// The email of key `name` in a by-email workload.
pub fn account_email(name: &str) -> String {
    format!("{name}@history.test")
}

/// The workload on a unique index: key `name` is the email [`account_email`] of the account
/// `id`; a find is `find_by_email`, a save gives the row the email and a fresh value (its
/// name), a delete removes the row, and a rename moves the row's email away (for the checker, a
/// delete of the key: no row has its email after it). A renamed row's value is -1, which no
/// save writes, so a lookup that returned a renamed row is a stale read.
/// 50% finds, 30% saves, 10% deletes, 10% renames.
fn by_email_op(
    front: &mut dyn Front,
    cache: &Cache,
    name: &str,
    id: i64,
    roll: usize,
    next: &AtomicI32,
) -> Option<Op> {
    let account = |email: String, value: i32| Account {
        id,
        email,
        org_id: 1,
        handle: name.to_owned(),
        login: None,
        name: value.to_string(),
    };
    match roll {
        0..50 => front
            .account_by_email(cache, &account_email(name))
            .ok()
            .map(|found| Op::Find(found.map(|a| a.name.parse().unwrap_or(i32::MIN)))),
        50..80 => {
            let value = next.fetch_add(1, Ordering::Relaxed);
            front
                .save_account(cache, &account(account_email(name), value))
                .ok()
                .map(|()| Op::Save(value))
        }
        80..90 => front.delete_account(cache, id).ok().map(|_| Op::Delete),
        _ => front
            .save_account(cache, &account(format!("{name}-moved@history.test"), -1))
            .ok()
            .map(|()| Op::Delete),
    }
}

fn naive_op<C>(
    conn: &mut C,
    redis: &mut redis::Connection,
    key: &str,
    name: &str,
    roll: usize,
    next: &AtomicI32,
    fill_delay: Duration,
) -> Option<Op>
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let name = name.to_owned();
    match roll {
        0..50 => {
            let cached: Option<i32> = redis::cmd("GET").arg(key).query(redis).ok()?;
            if let Some(uses) = cached {
                return Some(Op::Find(Some(uses)));
            }
            let loaded = Tag::load(conn, &name).ok()?.map(|t| t.uses);
            if let Some(uses) = loaded {
                if !fill_delay.is_zero() {
                    std::thread::sleep(fill_delay);
                }
                redis::cmd("SET")
                    .arg(key)
                    .arg(uses)
                    .query::<()>(redis)
                    .ok()?;
            }
            Some(Op::Find(loaded))
        }
        50..85 => {
            let value = next.fetch_add(1, Ordering::Relaxed);
            Tag { name, uses: value }.upsert(conn).ok()?;
            redis::cmd("SET")
                .arg(key)
                .arg(value)
                .query::<()>(redis)
                .ok()?;
            Some(Op::Save(value))
        }
        _ => {
            Tag::remove(conn, &name).ok()?;
            redis::cmd("DEL").arg(key).query::<()>(redis).ok()?;
            Some(Op::Delete)
        }
    }
}

/// After the writes stopped (guarantee 6): every key of a workload on keys `{names}-{k}`, read
/// through the cache twice (a fill, then a hit), equals its row.
pub fn assert_cache_matches_database<C>(conn: &mut C, cache: &Cache, names: &str, keys: usize)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    for key in 0..keys {
        let name = format!("{names}-{key}");
        let row = Tag::load(conn, &name).expect("the row");
        for read in ["first", "second"] {
            let cached = write_through::blocking::find::<Tag, C>(conn, cache, &name)
                .expect("a read through the cache");
            assert_eq!(
                cached, row,
                "{name}: the {read} read after the writes stopped"
            );
        }
    }
}

/// The reads that were definitely stale.
pub fn stale_reads(events: &[Event]) -> Vec<&Event> {
    let keys: std::collections::BTreeSet<usize> = events.iter().map(|e| e.key).collect();
    let mut stale = Vec::new();
    for key in keys {
        let of_key: Vec<&Event> = events.iter().filter(|e| e.key == key).collect();
        let writes = Timeline::of(
            of_key
                .iter()
                .copied()
                .filter(|e| !matches!(e.op, Op::Find(_))),
        );
        let saves = Timeline::of(
            of_key
                .iter()
                .copied()
                .filter(|e| matches!(e.op, Op::Save(_))),
        );
        let deletes = Timeline::of(of_key.iter().copied().filter(|e| e.op == Op::Delete));
        let sources: HashMap<i32, &Event> = of_key
            .iter()
            .filter_map(|e| match e.op {
                Op::Save(value) => Some((value, *e)),
                _ => None,
            })
            .collect();
        for read in of_key.iter().copied() {
            let is_stale = match read.op {
                Op::Find(Some(value)) => match sources.get(&value) {
                    // A value nobody wrote to this key, or one written after the read ended.
                    None => true,
                    Some(source) if source.invoked > read.returned => true,
                    // Some other write started after the source returned and returned before
                    // the read started.
                    Some(source) => {
                        writes.earliest_return_of_those_invoked_after(source.returned)
                            < read.invoked
                    }
                },
                Op::Find(None) => {
                    // The deletes that could fall before the read's end; a save that returned
                    // before the read and started after every one of them returned makes
                    // "no row" impossible.
                    let latest_delete =
                        deletes.latest_return_of_those_invoked_before(read.returned);
                    saves.earliest_return_of_those_invoked_at_or_after(latest_delete) < read.invoked
                }
                _ => false,
            };
            if is_stale {
                stale.push(read);
            }
        }
    }
    stale
}

/// Events of one key sorted by invocation, with running extremes of their return times, so
/// that each question about a read is a binary search.
struct Timeline {
    invoked: Vec<Duration>,
    /// `suffix_min_return[i]`: the earliest return among events `i..`.
    suffix_min_return: Vec<Duration>,
    /// `prefix_max_return[i]`: the latest return among events `..=i`.
    prefix_max_return: Vec<Duration>,
}

impl Timeline {
    fn of<'a>(events: impl Iterator<Item = &'a Event>) -> Self {
        let mut events: Vec<&Event> = events.collect();
        events.sort_by_key(|e| e.invoked);
        let invoked = events.iter().map(|e| e.invoked).collect();
        let mut suffix_min_return = vec![Duration::MAX; events.len()];
        for i in (0..events.len()).rev() {
            let later = suffix_min_return
                .get(i + 1)
                .copied()
                .unwrap_or(Duration::MAX);
            suffix_min_return[i] = events[i].returned.min(later);
        }
        let mut prefix_max_return = Vec::with_capacity(events.len());
        for e in &events {
            let before = prefix_max_return.last().copied().unwrap_or(Duration::ZERO);
            prefix_max_return.push(e.returned.max(before));
        }
        Self {
            invoked,
            suffix_min_return,
            prefix_max_return,
        }
    }

    fn earliest_return_of_those_invoked_after(&self, after: Duration) -> Duration {
        let first = self.invoked.partition_point(|&i| i <= after);
        self.suffix_min_return
            .get(first)
            .copied()
            .unwrap_or(Duration::MAX)
    }

    fn earliest_return_of_those_invoked_at_or_after(&self, at: Option<Duration>) -> Duration {
        let first = at.map_or(0, |at| self.invoked.partition_point(|&i| i < at));
        self.suffix_min_return
            .get(first)
            .copied()
            .unwrap_or(Duration::MAX)
    }

    fn latest_return_of_those_invoked_before(&self, before: Duration) -> Option<Duration> {
        let count = self.invoked.partition_point(|&i| i < before);
        count
            .checked_sub(1)
            .map(|last| self.prefix_max_return[last])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(key: usize, op: Op, invoked: u64, returned: u64) -> Event {
        Event {
            key,
            op,
            invoked: Duration::from_millis(invoked),
            returned: Duration::from_millis(returned),
        }
    }

    #[test]
    fn a_read_of_the_latest_write_is_fine() {
        let events = [
            at(0, Op::Save(1), 0, 1),
            at(0, Op::Save(2), 2, 3),
            at(0, Op::Find(Some(2)), 4, 5),
        ];
        assert!(stale_reads(&events).is_empty());
    }

    #[test]
    fn a_read_of_an_overwritten_value_is_stale() {
        let events = [
            at(0, Op::Save(1), 0, 1),
            at(0, Op::Save(2), 2, 3),
            at(0, Op::Find(Some(1)), 4, 5),
        ];
        assert_eq!(stale_reads(&events).len(), 1);
    }

    #[test]
    fn a_read_concurrent_with_the_newer_write_may_see_either() {
        let events = [
            at(0, Op::Save(1), 0, 1),
            at(0, Op::Save(2), 2, 6),
            at(0, Op::Find(Some(1)), 4, 5),
        ];
        assert!(stale_reads(&events).is_empty());
    }

    #[test]
    fn a_read_of_a_deleted_row_is_stale() {
        let events = [
            at(0, Op::Save(1), 0, 1),
            at(0, Op::Delete, 2, 3),
            at(0, Op::Find(Some(1)), 4, 5),
        ];
        assert_eq!(stale_reads(&events).len(), 1);
    }

    #[test]
    fn missing_a_saved_row_is_stale_unless_a_delete_could_intervene() {
        let stale = [at(0, Op::Save(1), 0, 1), at(0, Op::Find(None), 4, 5)];
        assert_eq!(stale_reads(&stale).len(), 1);
        let fine = [
            at(0, Op::Save(1), 0, 1),
            at(0, Op::Delete, 2, 6),
            at(0, Op::Find(None), 4, 5),
        ];
        assert!(stale_reads(&fine).is_empty());
    }

    #[test]
    fn keys_do_not_mix() {
        let events = [
            at(0, Op::Save(1), 0, 1),
            at(1, Op::Save(2), 2, 3),
            at(0, Op::Find(Some(1)), 4, 5),
        ];
        assert!(stale_reads(&events).is_empty());
    }
}
