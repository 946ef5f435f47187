//! A randomized history on a real server: two writers bypass the library (raw SQL updates,
//! deletes and re-inserts, some rolled back) while two readers go through it (`find`,
//! `find_by_email`), with the feed retiring what the writers change. Every operation is recorded
//! with its start, its end and its value, then checked:
//!
//! - (a) a read returns a value some write committed (never a rolled-back or invented one);
//! - (b) a read is linearizable, or stale by less than [`MAX_STALENESS`] (the feed's lag);
//! - (c) a read that starts after a `catch_up` returned reflects every write committed before
//!   `catch_up` was called.
//!
//! Randomness (a seeded xorshift) is only in the interleaving; the checks are exact. Per id,
//! every write takes the row of a version counter first, so the counter's order is the commit
//! order and each committed name is `{id}-v{version}-w{writer}`.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::result::Error;
use diesel::sql_types::{BigInt, Text};
use write_through::prelude::*;

use super::{FeedUser, World};

/// How many rows the history writes.
const IDS: u64 = 4;
/// How long the writers and readers run.
const HISTORY: Duration = Duration::from_millis(2500);
/// A writer calls `catch_up` after every this many writes.
const CATCH_UP_EVERY: u32 = 12;
/// The staleness a read may have: the feed's lag must stay under it.
const MAX_STALENESS: Duration = Duration::from_secs(1);

/// xorshift64: the interleaving's only randomness, seeded so that a run's choices repeat.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

/// One committed write: the row's state after it (`None`: deleted), and when it ran.
/// `before_commit` is taken just before `COMMIT` is sent: the commit happened in
/// `[before_commit, end]`.
#[derive(Debug, Clone)]
struct Write {
    id: i64,
    version: i64,
    state: Option<String>,
    start: Instant,
    before_commit: Instant,
    end: Instant,
}

/// One read through the library.
#[derive(Debug)]
struct Read {
    id: i64,
    by_email: bool,
    /// The name read (`None`: no such user).
    value: Option<String>,
    /// The row read had the id and the email of the id asked for.
    consistent: bool,
    start: Instant,
    end: Instant,
}

/// One `catch_up` of a writer.
#[derive(Debug)]
struct CatchUp {
    start: Instant,
    end: Instant,
}

/// What a writer did.
#[derive(Default)]
struct WriterLog {
    writes: Vec<Write>,
    rolled_back: Vec<String>,
    catch_ups: Vec<CatchUp>,
    failures: Vec<String>,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = BigInt)]
    v: i64,
}

fn email(id: i64) -> String {
    format!("history{id}@example.com")
}

fn set_name(conn: &mut PgConnection, id: i64, name: &str) -> Result<usize, Error> {
    diesel::sql_query("UPDATE wt_feed_users SET name = $2 WHERE id = $1")
        .bind::<BigInt, _>(id)
        .bind::<Text, _>(name)
        .execute(conn)
}

fn insert(conn: &mut PgConnection, id: i64, name: &str) -> Result<usize, Error> {
    diesel::sql_query("INSERT INTO wt_feed_users (id, email, name) VALUES ($1, $2, $3)")
        .bind::<BigInt, _>(id)
        .bind::<Text, _>(email(id))
        .bind::<Text, _>(name)
        .execute(conn)
}

fn delete(conn: &mut PgConnection, id: i64) -> Result<usize, Error> {
    diesel::sql_query("DELETE FROM wt_feed_users WHERE id = $1")
        .bind::<BigInt, _>(id)
        .execute(conn)
}

/// Writes until `deadline`, bypassing the library: each write is a transaction that takes the
/// id's version row, then updates the name (inserting the row if it is gone), or deletes the row
/// (inserting it if it is gone), or updates it and rolls back.
fn writer(url: &str, cache: &Cache, writer: u64, deadline: Instant) -> WriterLog {
    let mut conn = PgConnection::establish(url).expect("the writer connects");
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D ^ (writer + 1).wrapping_mul(0x9E37_79B9));
    let mut log = WriterLog::default();
    let mut written = 0u32;
    while Instant::now() < deadline {
        let id = 1 + rng.below(IDS) as i64;
        let roll = rng.below(100);
        let rolled_back_name = format!("{id}-rolled-back-w{writer}-{written}");
        let start = Instant::now();
        let outcome = conn.transaction(|conn| {
            let version = diesel::sql_query(
                "UPDATE wt_feed_history_versions SET v = v + 1 WHERE id = $1 RETURNING v",
            )
            .bind::<BigInt, _>(id)
            .get_result::<Version>(conn)?
            .v;
            let name = format!("{id}-v{version}-w{writer}");
            let state = if roll < 10 {
                set_name(conn, id, &rolled_back_name)?;
                return Err(Error::RollbackTransaction);
            } else if roll < 30 {
                if delete(conn, id)? == 0 {
                    insert(conn, id, &name)?;
                    Some(name)
                } else {
                    None
                }
            } else {
                if set_name(conn, id, &name)? == 0 {
                    insert(conn, id, &name)?;
                }
                Some(name)
            };
            Ok((version, state, Instant::now()))
        });
        let end = Instant::now();
        match outcome {
            Ok((version, state, before_commit)) => log.writes.push(Write {
                id,
                version,
                state,
                start,
                before_commit,
                end,
            }),
            Err(Error::RollbackTransaction) => log.rolled_back.push(rolled_back_name),
            Err(error) => panic!("writer {writer}: {error}"),
        }
        written += 1;
        if written.is_multiple_of(CATCH_UP_EVERY) && log.failures.is_empty() {
            let start = Instant::now();
            match cache.catch_up(&mut conn, Duration::from_secs(10)) {
                Ok(()) => log.catch_ups.push(CatchUp {
                    start,
                    end: Instant::now(),
                }),
                // Recorded, and no more catch-ups: the checks still run on the history.
                Err(error) => log
                    .failures
                    .push(format!("writer {writer}: catch_up failed: {error}")),
            }
        }
        std::thread::sleep(Duration::from_micros(rng.below(3000)));
    }
    log
}

/// Reads until `deadline` through the library, by key or by email.
fn reader(url: &str, cache: &Cache, reader: u64, deadline: Instant) -> Vec<Read> {
    let mut conn = PgConnection::establish(url).expect("the reader connects");
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ (reader + 1).wrapping_mul(0x85EB_CA6B));
    let mut reads = Vec::new();
    while Instant::now() < deadline {
        let id = 1 + rng.below(IDS) as i64;
        let by_email = rng.below(4) == 0;
        let start = Instant::now();
        let found = if by_email {
            FeedUser::find_by_email(&mut conn, cache, &email(id))
        } else {
            FeedUser::find(&mut conn, cache, &id)
        }
        .expect("find");
        let end = Instant::now();
        let consistent = found
            .as_ref()
            .is_none_or(|user| user.id == id && user.email == email(id));
        reads.push(Read {
            id,
            by_email,
            value: found.map(|user| user.name),
            consistent,
            start,
            end,
        });
        if rng.below(4) == 0 {
            std::thread::sleep(Duration::from_micros(rng.below(1000)));
        }
    }
    reads
}

/// The committed versions of one id, in commit order (version 0 is the initial row).
struct Versions(Vec<Write>);

impl Versions {
    /// The write that replaced version `at`, if any.
    fn next(&self, at: usize) -> Option<&Write> {
        self.0.get(at + 1)
    }
}

#[test]
fn reads_are_committed_values_stale_by_less_than_the_feeds_lag_and_current_after_catch_up() {
    let began = Instant::now();
    let Some(mut world) = World::new() else {
        return;
    };
    let mut ddl = String::from(
        "CREATE TABLE wt_feed_history_versions (id BIGINT PRIMARY KEY, v BIGINT NOT NULL);",
    );
    for id in 1..=IDS as i64 {
        ddl.push_str(&format!(
            "INSERT INTO wt_feed_history_versions VALUES ({id}, 0);
             INSERT INTO wt_feed_users VALUES ({id}, '{}', '{id}-v0-w0');",
            email(id)
        ));
    }
    world.sql(&ddl);
    let initial = Instant::now();
    let _feed = world.start(world.feed());
    world.catch_up();
    let setup = began.elapsed();

    let url = world.server.url();
    let deadline = Instant::now() + HISTORY;
    let (logs, reads) = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..2)
            .map(|n| {
                let (url, cache) = (url.clone(), world.cache().clone());
                scope.spawn(move || writer(&url, &cache, n + 1, deadline))
            })
            .collect();
        let readers: Vec<_> = (0..2)
            .map(|n| {
                let (url, cache) = (url.clone(), world.cache().clone());
                scope.spawn(move || reader(&url, &cache, n + 1, deadline))
            })
            .collect();
        let logs: Vec<WriterLog> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        let reads: Vec<Read> = readers
            .into_iter()
            .flat_map(|r| r.join().unwrap())
            .collect();
        (logs, reads)
    });

    // Each id's committed versions, in the counter's order, which is the commit order.
    let mut by_id: HashMap<i64, Versions> = (1..=IDS as i64)
        .map(|id| {
            let first = Write {
                id,
                version: 0,
                state: Some(format!("{id}-v0-w0")),
                start: initial,
                before_commit: initial,
                end: initial,
            };
            (id, Versions(vec![first]))
        })
        .collect();
    let mut rolled_back: HashSet<&str> = HashSet::new();
    let mut catch_ups: Vec<&CatchUp> = Vec::new();
    let mut violations: Vec<String> = Vec::new();
    for log in &logs {
        for write in &log.writes {
            by_id.get_mut(&write.id).unwrap().0.push(write.clone());
        }
        rolled_back.extend(log.rolled_back.iter().map(String::as_str));
        catch_ups.extend(&log.catch_ups);
        violations.extend(log.failures.iter().cloned());
    }
    for (id, versions) in &mut by_id {
        versions.0.sort_by_key(|write| write.version);
        for (at, write) in versions.0.iter().enumerate() {
            assert_eq!(write.version, at as i64, "id {id}: versions are contiguous");
            assert!(write.start <= write.before_commit && write.before_commit <= write.end);
        }
    }

    // (c)'s bound: after a catch-up, every version that committed before it was called.
    // `required[id]` lists (catch-up end, the newest version of `id` that ended before it began).
    let required: HashMap<i64, Vec<(Instant, i64)>> = by_id
        .iter()
        .map(|(id, versions)| {
            let bounds = catch_ups
                .iter()
                .map(|catch_up| {
                    let newest = versions
                        .0
                        .iter()
                        .filter(|write| write.end <= catch_up.start)
                        .map(|write| write.version)
                        .max()
                        .unwrap_or(0);
                    (catch_up.end, newest)
                })
                .collect();
            (*id, bounds)
        })
        .collect();

    let mut stale_reads = 0usize;
    let mut max_staleness = Duration::ZERO;
    let mut reads_after_catch_up = 0usize;
    for read in &reads {
        let versions = &by_id[&read.id];
        let what = format!(
            "{} of id {} in [{:?}, {:?}] read {:?}",
            if read.by_email {
                "find_by_email"
            } else {
                "find"
            },
            read.id,
            read.start - initial,
            read.end - initial,
            read.value
        );
        // (a) A value some write committed, and committed before the read ended.
        if !read.consistent {
            violations.push(format!("(a) {what}: a row of another id or email"));
            continue;
        }
        if read
            .value
            .as_deref()
            .is_some_and(|name| rolled_back.contains(name))
        {
            violations.push(format!("(a) {what}: a rolled-back value"));
            continue;
        }
        let candidates: Vec<usize> = (0..versions.0.len())
            .filter(|&at| versions.0[at].state == read.value)
            .filter(|&at| versions.0[at].before_commit < read.end)
            .collect();
        if candidates.is_empty() {
            violations.push(format!("(a) {what}: no write committed it before the read"));
            continue;
        }
        // (b) Current at some instant of the read, or replaced less than the bound before it.
        let linearizable = candidates
            .iter()
            .any(|&at| versions.next(at).is_none_or(|next| next.end > read.start));
        if !linearizable {
            stale_reads += 1;
            let staleness = candidates
                .iter()
                .filter_map(|&at| versions.next(at))
                .map(|next| read.start.saturating_duration_since(next.before_commit))
                .min()
                .unwrap_or_default();
            max_staleness = max_staleness.max(staleness);
            if staleness >= MAX_STALENESS {
                violations.push(format!(
                    "(b) {what}: stale by {staleness:?}, replaced by {:?}",
                    versions.next(candidates[candidates.len() - 1])
                ));
            }
        }
        // (c) After a catch-up, at least what committed before it.
        let needed = required[&read.id]
            .iter()
            .filter(|(returned, _)| *returned <= read.start)
            .map(|(_, version)| *version)
            .max();
        if let Some(needed) = needed {
            reads_after_catch_up += 1;
            if !candidates.iter().any(|&at| at as i64 >= needed) {
                violations.push(format!(
                    "(c) {what}: after a catch-up that needed version {needed} ({:?}), read {:?}",
                    versions.0[needed as usize].state, candidates
                ));
            }
        }
    }

    let writes: usize = logs.iter().map(|log| log.writes.len()).sum();
    let longest_catch_up = catch_ups
        .iter()
        .map(|catch_up| catch_up.end - catch_up.start)
        .max()
        .unwrap_or_default();
    eprintln!(
        "random history: setup {setup:?}, {writes} writes ({} rolled back), {} reads \
         ({reads_after_catch_up} after a catch-up), {} catch-ups (longest {longest_catch_up:?}), \
         {stale_reads} stale reads, max staleness {max_staleness:?}, total {:?}",
        rolled_back.len(),
        reads.len(),
        catch_ups.len(),
        began.elapsed()
    );
    assert!(
        violations.is_empty(),
        "{} violations, the first: {:#?}",
        violations.len(),
        &violations[..violations.len().min(10)]
    );
    assert!(
        writes > 100 && reads.len() > 100 && catch_ups.len() > 4 && reads_after_catch_up > 100,
        "the history is too short to say anything"
    );
}
