//! The in-process tier (`#[write_through(local = "...")]`, `CacheBuilder::local`): hits without
//! a Redis round trip, and every guarantee (`write_through::guide::guarantees`) kept with it on.
//!
//! Inside one process: a write retires the entry at its lock and after its publish, a
//! transaction at its locks and after its end, and a value read from Redis before a write is
//! never installed after it (a pause point holds the reader between its Redis read and its
//! install). The randomized history suite runs with the tier on, on both fronts.
//!
//! Across processes (here two `Cache`s with tiers of their own, each with its subscriber, as
//! two processes would have; `processes.rs`-style child processes measure the delay in
//! `local_tier_processes.rs`): a write in one evicts the other's entry within one delivery;
//! an invalidation that overtakes a reader's install keeps it out; a dropped channel clears
//! the tier; the local TTL caps what a lost message leaves.

use std::thread;
use std::time::{Duration, Instant};

use write_through::pause::{self, FIND_READ};
use write_through::{Cache, Error};
use write_through_tests::fronts::{Blocking, Front, TxStep, go_live};
use write_through_tests::history::{self, AsyncBackend, Subject, Workload};
use write_through_tests::models::{HotTag, NewUser, Tag, User};
use write_through_tests::services::wait_until;
use write_through_tests::{TestCache, cache_builder, postgres, unique};

/// A test cache whose `Tag`s and `User`s use the tier, with a minute of local TTL so that only
/// invalidations retire entries.
fn local_cache() -> Option<TestCache> {
    TestCache::with(|builder| {
        builder
            .local::<Tag>(Duration::from_secs(60))
            .local::<User>(Duration::from_secs(60))
    })
}

/// Another "process" on the same Redis and namespace: a cache with a tier of its own.
fn other_process(tc: &TestCache, local_ttl: Duration) -> Cache {
    cache_builder()
        .namespace(tc.cache.namespace())
        .local::<Tag>(local_ttl)
        .build()
        .expect("a cache")
}

fn tag(name: &str, uses: i32) -> Tag {
    Tag {
        name: name.to_owned(),
        uses,
    }
}

/// Saves `uses` as the tag's row, and reads it once so that it is in `cache`'s tier.
fn cached_locally(f: &mut impl Front, cache: &Cache, name: &str, uses: i32) {
    f.save_tag(cache, &tag(name, uses)).unwrap();
    assert_eq!(f.find_tag(cache, name).unwrap(), Some(tag(name, uses)));
    let before = cache.stats().local_hits;
    assert_eq!(f.find_tag(cache, name).unwrap(), Some(tag(name, uses)));
    assert_eq!(
        cache.stats().local_hits,
        before + 1,
        "{name} is in the tier"
    );
}

/// Deletes a key in Redis behind the library's back: nothing is announced.
fn delete_silently(tc: &mut TestCache, rendered: &str) {
    let key = tc.key(rendered);
    redis::cmd("DEL")
        .arg(key)
        .query::<()>(&mut *tc.redis)
        .expect("DEL");
}

write_through_tests::on_both_fronts!(
    [
        a_second_find_is_answered_by_the_tier_without_redis,
        a_write_of_this_process_is_seen_by_the_next_find,
        a_delete_is_seen_and_the_absence_is_served_locally,
        a_committed_transaction_is_seen_and_a_rolled_back_one_changes_nothing,
        find_many_answers_from_the_tier_and_sees_writes,
        a_write_in_another_process_evicts_within_one_delivery,
        the_local_ttl_caps_what_a_lost_invalidation_leaves,
        a_dropped_channel_clears_the_tier_until_it_is_live_again,
        a_silent_subscriber_takes_the_tier_out_of_use,
        a_subscriber_that_panics_takes_the_tier_out_of_use,
    ],
    blocking: |behaviour| {
        let (Some(conn), Some(mut tc)) = (write_through_tests::postgres(), super::local_cache()) else { return };
        behaviour(&mut write_through_tests::fronts::Blocking(conn), &mut tc);
    },
    asynch: |behaviour| {
        let (Some(mut front), Some(mut tc)) = (write_through_tests::fronts::async_postgres(), super::local_cache()) else { return };
        behaviour(&mut front, &mut tc);
    },
);

fn a_second_find_is_answered_by_the_tier_without_redis(f: &mut impl Front, tc: &mut TestCache) {
    go_live(f, &tc.cache);
    let name = format!("local-hit-{}", unique());
    cached_locally(f, &tc.cache, &name, 1);
    // Gone from Redis without an announcement: only the tier can still answer.
    delete_silently(tc, &format!("tag:{name}"));
    let before = tc.cache.stats();
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 1)));
    let after = tc.cache.stats();
    assert_eq!(after.local_hits, before.local_hits + 1);
    assert_eq!((after.hits, after.misses), (before.hits, before.misses));
}

fn a_write_of_this_process_is_seen_by_the_next_find(f: &mut impl Front, tc: &mut TestCache) {
    go_live(f, &tc.cache);
    let name = format!("local-write-{}", unique());
    cached_locally(f, &tc.cache, &name, 1);
    let evictions = tc.cache.stats().local_evictions;
    f.save_tag(&tc.cache, &tag(&name, 2)).unwrap();
    assert!(tc.cache.stats().local_evictions > evictions);
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 2)));
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 2)));
}

fn a_delete_is_seen_and_the_absence_is_served_locally(f: &mut impl Front, tc: &mut TestCache) {
    go_live(f, &tc.cache);
    let name = format!("local-delete-{}", unique());
    cached_locally(f, &tc.cache, &name, 1);
    assert!(f.delete_tag(&tc.cache, &name).unwrap());
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), None);
    // The cached absence (Tag has a negative TTL) is in the tier now.
    let before = tc.cache.stats().local_hits;
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), None);
    assert_eq!(tc.cache.stats().local_hits, before + 1);
    // And a save of the row again retires it.
    f.save_tag(&tc.cache, &tag(&name, 3)).unwrap();
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 3)));
}

fn a_committed_transaction_is_seen_and_a_rolled_back_one_changes_nothing(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    go_live(f, &tc.cache);
    let name = format!("local-tx-{}", unique());
    cached_locally(f, &tc.cache, &name, 1);
    let failed = f.transaction(
        &tc.cache,
        vec![TxStep::SaveTag(tag(&name, 2)), TxStep::Fail],
    );
    assert!(failed.is_err());
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 1)));
    cached_locally(f, &tc.cache, &name, 1);
    f.transaction(&tc.cache, vec![TxStep::SaveTag(tag(&name, 3))])
        .unwrap();
    if f.trusts_commits() {
        assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 3)));
    }
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 3)));
}

fn find_many_answers_from_the_tier_and_sees_writes(f: &mut impl Front, tc: &mut TestCache) {
    go_live(f, &tc.cache);
    let users: Vec<User> = (0..3)
        .map(|i| {
            f.create_user(
                &tc.cache,
                &NewUser {
                    email: format!("local-many-{i}-{}@example.test", unique()),
                    name: format!("n{i}"),
                },
            )
            .unwrap()
        })
        .collect();
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let expected: Vec<Option<User>> = users.iter().cloned().map(Some).collect();
    assert_eq!(f.find_many_users(&tc.cache, &ids).unwrap(), expected);
    let before = tc.cache.stats();
    assert_eq!(f.find_many_users(&tc.cache, &ids).unwrap(), expected);
    let after = tc.cache.stats();
    assert_eq!(after.local_hits, before.local_hits + 3);
    assert_eq!(after.hits, before.hits);

    let mut changed = users[1].clone();
    changed.name = "changed".into();
    f.save_user(&tc.cache, &changed).unwrap();
    let mut now = expected.clone();
    now[1] = Some(changed);
    assert_eq!(f.find_many_users(&tc.cache, &ids).unwrap(), now);
    assert_eq!(f.find_user(&tc.cache, ids[1]).unwrap(), now[1]);
}

fn a_write_in_another_process_evicts_within_one_delivery(f: &mut impl Front, tc: &mut TestCache) {
    let reader = other_process(tc, Duration::from_secs(60));
    go_live(f, &reader);
    let name = format!("local-remote-{}", unique());
    cached_locally(f, &reader, &name, 1);
    // The writer is the test cache (no tier of its own in use): its scripts announce.
    let wrote = Instant::now();
    f.save_tag(&tc.cache, &tag(&name, 2)).unwrap();
    let returned = wrote.elapsed();
    wait_until(
        "the other process's tier sees the write",
        Duration::from_secs(1),
        || f.find_tag(&reader, &name).unwrap() == Some(tag(&name, 2)),
    );
    println!(
        "write returned after {returned:?}; seen in the other process after {:?}",
        wrote.elapsed()
    );
    assert!(reader.stats().local_evictions >= 1);
}

fn the_local_ttl_caps_what_a_lost_invalidation_leaves(f: &mut impl Front, tc: &mut TestCache) {
    let reader = other_process(tc, Duration::from_millis(300));
    go_live(f, &reader);
    let name = format!("local-ttl-{}", unique());
    cached_locally(f, &reader, &name, 1);
    // A write that announces nothing (behind the library, and its Redis copy deleted silently)
    // is what a lost message looks like to the reader.
    f.execute(&format!(
        "UPDATE wt_tags SET uses = 2 WHERE name = '{name}'"
    ));
    delete_silently(tc, &format!("tag:{name}"));
    assert_eq!(
        f.find_tag(&reader, &name).unwrap(),
        Some(tag(&name, 1)),
        "stale within the local TTL, as documented"
    );
    thread::sleep(Duration::from_millis(350));
    assert_eq!(f.find_tag(&reader, &name).unwrap(), Some(tag(&name, 2)));
}

fn a_dropped_channel_clears_the_tier_until_it_is_live_again(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    go_live(f, &tc.cache);
    let name = format!("local-drop-{}", unique());
    cached_locally(f, &tc.cache, &name, 1);
    let clears = tc.cache.stats().local_clears;
    let killed: i64 = redis::cmd("CLIENT")
        .arg("KILL")
        .arg("SKIPME")
        .arg("yes")
        .arg("TYPE")
        .arg("pubsub")
        .arg("USER")
        .arg("default")
        .arg("ID")
        .arg(subscriber_id(tc))
        .query(&mut *tc.redis)
        .expect("CLIENT KILL");
    assert_eq!(killed, 1);
    // Cleared when the drop is seen, and again when the new subscription is confirmed.
    wait_until("the tier is cleared twice", Duration::from_secs(5), || {
        tc.cache.stats().local_clears >= clears + 2 && tc.cache.local_tier_is_live()
    });
    let before = tc.cache.stats();
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 1)));
    let after = tc.cache.stats();
    assert_eq!(
        after.local_hits, before.local_hits,
        "nothing from before the drop is served"
    );
    assert_eq!(after.hits, before.hits + 1);
}

/// The subscriber's thread stalls (held before a heartbeat, as a starved or stuck thread would
/// be) while another process writes: nobody handles that write's message, and nothing but the
/// silence tells the readers. Within the silence limit (550 ms) they stop using the tier and see
/// the write; when the thread goes on, the tier starts over empty and serves again.
fn a_silent_subscriber_takes_the_tier_out_of_use(f: &mut impl Front, tc: &mut TestCache) {
    go_live(f, &tc.cache);
    let name = format!("local-silent-{}", unique());
    cached_locally(f, &tc.cache, &name, 1);
    let writer = cache_builder()
        .namespace(tc.cache.namespace())
        .build()
        .expect("a cache");
    let channel = format!("{}:local", tc.cache.namespace());
    let gate = pause::arm(pause::LOCAL_HEARTBEAT, channel.as_bytes());
    gate.wait_until_reached();
    f.save_tag(&writer, &tag(&name, 2)).unwrap();
    wait_until(
        "the readers stop trusting a silent channel",
        Duration::from_secs(2),
        || !tc.cache.local_tier_is_live(),
    );
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 2)));
    let clears = tc.cache.stats().local_clears;
    gate.release();
    wait_until("the channel is heard again", Duration::from_secs(2), || {
        tc.cache.local_tier_is_live()
    });
    assert!(
        tc.cache.stats().local_clears > clears,
        "the tier started over"
    );
    // The messages that arrived while it was held may retire the first entry installed after
    // it: wait for one that stays.
    wait_until("served by the tier again", Duration::from_secs(2), || {
        let hits = tc.cache.stats().local_hits;
        assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 2)));
        tc.cache.stats().local_hits > hits
    });
}

/// The subscriber's thread dies (a panic at a heartbeat): the tier is taken out of use at once,
/// by the thread's own unwinding (a cleared tier, counted), not only by the silence limit
/// (which counts no clear); finds go on from Redis.
fn a_subscriber_that_panics_takes_the_tier_out_of_use(f: &mut impl Front, tc: &mut TestCache) {
    go_live(f, &tc.cache);
    let name = format!("local-panic-{}", unique());
    cached_locally(f, &tc.cache, &name, 1);
    let clears = tc.cache.stats().local_clears;
    let channel = format!("{}:local", tc.cache.namespace());
    let gate = pause::arm(pause::LOCAL_HEARTBEAT, channel.as_bytes());
    gate.wait_until_reached();
    gate.die();
    wait_until(
        "the dying thread clears the tier",
        Duration::from_secs(5),
        || tc.cache.stats().local_clears > clears && !tc.cache.local_tier_is_live(),
    );
    let hits = tc.cache.stats().hits;
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag(&name, 1)));
    assert_eq!(tc.cache.stats().hits, hits + 1, "from Redis");
    assert!(!tc.cache.local_tier_is_live(), "and it stays off");
}

/// The client id of the test cache's subscriber, found by its name in `CLIENT LIST`.
fn subscriber_id(tc: &mut TestCache) -> String {
    let list: String = redis::cmd("CLIENT")
        .arg("LIST")
        .query(&mut *tc.redis)
        .expect("CLIENT LIST");
    let name = format!("name=write_through-local-{} ", tc.cache.namespace());
    let line = list
        .lines()
        .find(|line| line.contains(&name))
        .expect("the subscriber is connected");
    line.split(' ')
        .find_map(|field| field.strip_prefix("id="))
        .expect("an id")
        .to_owned()
}

/// A reader held between its Redis read (the old row) and its install; a write of this process
/// completes meanwhile. Released, the reader must not install what it read: without the
/// generation check every later find would serve the old row for the local TTL.
#[test]
fn a_value_read_before_a_write_of_this_process_is_never_installed_after_it() {
    let (Some(conn), Some(tc)) = (postgres(), local_cache()) else {
        return;
    };
    held_reader_overtaken_by_a_write(Blocking(conn), tc.cache.clone(), &tc.cache);
}

/// The race of the cross-process protocol: process B reads V1 from Redis, process A's write
/// publishes V2 and its message, B receives the message, and only then B installs V1.
#[test]
fn a_value_read_before_another_process_writes_is_never_installed_after_its_message() {
    let (Some(conn), Some(tc)) = (postgres(), local_cache()) else {
        return;
    };
    let reader = other_process(&tc, Duration::from_secs(60));
    held_reader_overtaken_by_a_write(Blocking(conn), reader, &tc.cache);
}

fn held_reader_overtaken_by_a_write(
    mut f: Blocking<diesel::PgConnection>,
    reader: Cache,
    writer: &Cache,
) {
    go_live(&mut f, &reader);
    let name = format!("local-race-{}", unique());
    f.save_tag(&reader, &tag(&name, 1)).unwrap();
    let gate = pause::arm(FIND_READ, &reader.key::<Tag>(&name));
    let held = {
        let (reader, name) = (reader.clone(), name.clone());
        thread::spawn(move || {
            let mut f = Blocking(postgres().expect("PostgreSQL"));
            f.find_tag(&reader, &name)
        })
    };
    gate.wait_until_reached();
    let mut w = Blocking(postgres().expect("PostgreSQL"));
    w.save_tag(writer, &tag(&name, 2)).unwrap();
    // Another process's message is delivered in well under this.
    thread::sleep(Duration::from_millis(100));
    gate.release();
    let read = held.join().unwrap().unwrap();
    assert_eq!(
        read,
        Some(tag(&name, 1)),
        "concurrent with the write: the old row"
    );
    for _ in 0..3 {
        assert_eq!(f.find_tag(&reader, &name).unwrap(), Some(tag(&name, 2)));
    }
}

/// `cache.invalidate` after a write by hand, whose INVALIDATE cannot reach Redis while a find of
/// the same process can (`CLIENT PAUSE WRITE` holds the script, lets `GET` through): the debt is
/// recorded before the tier's entry is retired. Held between the two steps, the find it lets
/// through may see the old row (it is concurrent with the invalidation), but once
/// `invalidate` has returned no find may: in the other order a find in between would miss the
/// tier, read the old row from Redis (which never got the invalidation) and install it there for
/// the local TTL.
#[test]
fn an_invalidation_owed_to_redis_is_owed_before_the_tier_lets_go_of_the_key() {
    use diesel::prelude::*;
    use write_through_tests::private_redis::PrivateRedis;
    use write_through_tests::schema::wt_tags;
    let (Some(conn), Some(redis)) = (postgres(), PrivateRedis::start()) else {
        return;
    };
    let mut f = Blocking(conn);
    let cache = Cache::builder(&redis.url())
        .namespace(&format!("wt_owed_{}", unique()))
        .io_timeout(Duration::from_millis(200))
        .local::<Tag>(Duration::from_secs(60))
        .build()
        .expect("a cache");
    go_live(&mut f, &cache);
    let name = format!("owed-{}", unique());
    cached_locally(&mut f, &cache, &name, 1);
    diesel::update(wt_tags::table.find(&name))
        .set(wt_tags::uses.eq(2))
        .execute(&mut f.0)
        .unwrap();

    let mut admin = redis.connection();
    redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(10_000)
        .arg("WRITE")
        .query::<()>(&mut admin)
        .expect("CLIENT PAUSE");
    let gate = pause::arm(pause::INVALIDATION_OWED, &cache.key::<Tag>(&name));
    let invalidation = {
        let (cache, name) = (cache.clone(), name.clone());
        thread::spawn(move || cache.invalidate::<Tag>(&name))
    };
    gate.wait_until_reached();
    let during = f.find_tag(&cache, &name).unwrap();
    assert!(
        during == Some(tag(&name, 1)) || during == Some(tag(&name, 2)),
        "concurrent with the invalidation: either row, got {during:?}"
    );
    redis::cmd("CLIENT")
        .arg("UNPAUSE")
        .query::<()>(&mut admin)
        .expect("CLIENT UNPAUSE");
    gate.release();
    assert!(
        invalidation.join().unwrap().is_err(),
        "the INVALIDATE timed out behind CLIENT PAUSE"
    );
    for _ in 0..3 {
        assert_eq!(f.find_tag(&cache, &name).unwrap(), Some(tag(&name, 2)));
    }
    assert_eq!(
        cache.stats().pending_invalidations,
        0,
        "the debt was delivered"
    );
}

#[test]
fn the_derive_attribute_puts_a_model_in_the_tier() {
    use write_through::prelude::*;
    assert_eq!(HotTag::LOCAL_TTL, Some(Duration::from_secs(5)));
    assert_eq!(Tag::LOCAL_TTL, None);
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let name = format!("hot-{}", unique());
    let row = HotTag {
        name: name.clone(),
        uses: 7,
    };
    row.save(&mut conn, &tc.cache).unwrap();
    HotTag::find(&mut conn, &tc.cache, &name).unwrap();
    wait_until("the tier is live", Duration::from_secs(5), || {
        tc.cache.local_tier_is_live()
    });
    HotTag::find(&mut conn, &tc.cache, &name).unwrap();
    let before = tc.cache.stats().local_hits;
    assert_eq!(
        HotTag::find(&mut conn, &tc.cache, &name).unwrap(),
        Some(row)
    );
    assert_eq!(tc.cache.stats().local_hits, before + 1);
}

#[test]
fn a_model_without_the_tier_never_starts_a_subscriber() {
    let (Some(conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let mut f = Blocking(conn);
    let name = format!("plain-{}", unique());
    cached_plain(&mut f, &tc.cache, &name);
    thread::sleep(Duration::from_millis(100));
    assert!(!tc.cache.local_tier_is_live());
    assert_eq!(tc.cache.stats().local_hits, 0);
}

fn cached_plain(f: &mut impl Front, cache: &Cache, name: &str) {
    f.save_tag(cache, &tag(name, 1)).unwrap();
    for _ in 0..3 {
        assert_eq!(f.find_tag(cache, name).unwrap(), Some(tag(name, 1)));
    }
}

#[test]
fn the_tier_is_refused_on_a_cluster() {
    for builder in [
        Cache::cluster_builder(&["redis://127.0.0.1:7000"]).local_capacity(100),
        Cache::cluster_builder(&["redis://127.0.0.1:7000"]).local::<Tag>(Duration::from_secs(1)),
    ] {
        let err = builder.build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        assert!(err.to_string().contains("Cluster"), "{err}");
    }
}

#[test]
fn a_zero_capacity_turns_the_tier_off() {
    let (Some(conn), Some(tc)) = (
        postgres(),
        TestCache::with(|b| b.local::<Tag>(Duration::from_secs(60)).local_capacity(0)),
    ) else {
        return;
    };
    let mut f = Blocking(conn);
    let name = format!("off-{}", unique());
    cached_plain(&mut f, &tc.cache, &name);
    assert!(!tc.cache.local_tier_is_live());
    assert_eq!(tc.cache.stats().local_hits, 0);
}

/// The randomized concurrency suite (`tests/src/history.rs`) with `Tag` in the tier: threads of random
/// save/delete/find on a few hot keys share one cache, and the history must be linearizable.
fn history_with_the_tier(subject: impl Fn(Cache) -> Subject) {
    let (Some(mut conn), Some(tc)) = (postgres(), local_cache()) else {
        return;
    };
    let mut f = Blocking(postgres().expect("PostgreSQL"));
    go_live(&mut f, &tc.cache);
    let workload = Workload::from_env(6, 250, 3);
    let names = format!("local-hist-{}", unique());
    let run = history::run(workload, &subject(tc.cache.clone()), &names, || {
        postgres().expect("PostgreSQL")
    });
    let stale = history::stale_reads(&run.events);
    let stats = tc.cache.stats();
    println!(
        "{workload:?}: {} operations, {} failed, {} stale; {stats:?}",
        run.events.len(),
        run.failed,
        stale.len()
    );
    assert!(
        stale.is_empty(),
        "stale reads with seed {}: {stale:#?}",
        workload.seed
    );
    assert!(stats.local_hits > 0, "the tier answered some reads");
    assert!(run.failed * 10 <= run.events.len());
    history::assert_cache_matches_database(&mut conn, &tc.cache, &names, workload.keys);
}

#[test]
fn no_stale_reads_under_random_concurrency_with_the_tier() {
    history_with_the_tier(Subject::Library);
}

#[test]
fn no_stale_reads_under_random_concurrency_with_the_tier_through_the_async_front() {
    history_with_the_tier(|cache| Subject::AsyncLibrary {
        cache,
        backend: AsyncBackend::Postgres,
    });
}
