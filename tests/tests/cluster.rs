//! The same library on a Redis Cluster (three masters, three replicas, started by the test):
//! every operation, batches split by slot, hash tags, a race, the randomized history, several
//! processes, and a failover under load. The race, the history, the processes and the
//! failover run through both fronts (the blocking one, and the async one on diesel-async).

use std::thread;
use std::time::Duration;
use write_through::blocking::{ModelOps as _, SaveOps as _};

use diesel::prelude::*;
use write_through::Cache;
use write_through::pause::{self, FIND_LOADED};
use write_through_tests::fronts::{self, Blocking, Front};
use write_through_tests::history::{self, AsyncBackend, LibraryFront, Subject, Workload};
use write_through_tests::models::{NewUser, Tag, TaggedSession, User};
use write_through_tests::private_cluster::PrivateCluster;
use write_through_tests::{postgres, unique};

fn cache_on(cluster: &PrivateCluster) -> Cache {
    let urls = cluster.urls();
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    Cache::cluster_builder(&urls)
        .namespace(&format!("wt-cluster-{}", unique()))
        .connect_timeout(Duration::from_millis(500))
        .io_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

fn slot_of(cluster: &PrivateCluster, key: &[u8]) -> i64 {
    let url = &cluster.urls()[0];
    let mut conn = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    redis::cmd("CLUSTER")
        .arg("KEYSLOT")
        .arg(key)
        .query(&mut conn)
        .unwrap()
}

/// Every behaviour on one cluster, one after the other (a cluster takes seconds to start).
#[test]
fn on_a_cluster_every_operation_keeps_its_guarantees() {
    let Some(mut conn) = postgres() else { return };
    let Some(cluster) = PrivateCluster::start() else {
        return;
    };
    let cache = cache_on(&cluster);
    single_rows_round_trip(&mut conn, &cache);
    batches_split_by_slot_and_cost_one_query(&mut conn, &cache);
    hash_tags_keep_keys_together_and_user_data_cannot_form_one(&cluster, &cache);
    for front in FRONTS {
        a_fill_that_read_before_an_update_cannot_overwrite_it(front, &cache);
        the_randomized_history_has_no_stale_read(front, &cache);
        three_processes_share_the_cluster_without_stale_reads(front, &cluster, &cache);
    }
}

/// A batch is sent one pipeline per node, grouped by a slot → node map the async front reads
/// once: a slot moved to another master since (the map stale), and a slot half-way through its
/// move (`ASK` for the keys already moved), still give every row, served from Redis, and a
/// write to a key of the moved slot is read back.
#[test]
fn batches_follow_a_slot_that_moved_on_both_fronts() {
    let Some(mut conn) = postgres() else { return };
    let Some(cluster) = PrivateCluster::start() else {
        return;
    };
    let cache = cache_on(&cluster);
    let users: Vec<User> = (0..100)
        .map(|i| {
            let new = NewUser {
                email: format!("mv-{}-{i}@x", unique()),
                name: format!("mv{i}"),
            };
            User::create(&mut conn, &cache, &new).unwrap()
        })
        .collect();
    let ids: Vec<i64> = users.iter().map(|user| user.id).collect();
    let expected: Vec<Option<User>> = users.iter().cloned().map(Some).collect();
    let slot = |id: i64| u16::try_from(slot_of(&cluster, &cache.key::<User>(&id))).unwrap();
    for (round, front) in FRONTS.into_iter().enumerate() {
        let mut front = front_on_postgres(front);
        for id in &ids {
            cache.invalidate::<User>(id).unwrap();
        }
        let fills = cache.stats().fills;
        assert_eq!(front.find_many_users(&cache, &ids).unwrap(), expected);
        assert_eq!(
            cache.stats().fills - fills,
            100,
            "{}: cold: {:?}",
            front.name(),
            cache.stats()
        );
        let hits = cache.stats().hits;
        assert_eq!(front.find_many_users(&cache, &ids).unwrap(), expected);
        assert_eq!(cache.stats().hits - hits, 100, "{}: warm", front.name());

        // Moved whole: the map the batch was grouped by is stale. The async front sends the
        // misrouted commands again; the blocking one's batch fails once (served from the
        // database), and the client reads the map again for the next.
        let moved = ids[round * 2];
        cluster.move_slot(slot(moved), true);
        let (hits, errors) = (cache.stats().hits, cache.stats().cache_errors);
        assert_eq!(front.find_many_users(&cache, &ids).unwrap(), expected);
        if front.name() == "blocking" {
            assert_eq!(
                cache.stats().cache_errors - errors,
                1,
                "blocking: one batch failed"
            );
            let hits = cache.stats().hits;
            assert_eq!(front.find_many_users(&cache, &ids).unwrap(), expected);
            assert_eq!(
                cache.stats().hits - hits,
                100,
                "blocking: routed right again"
            );
        } else {
            assert_eq!(
                cache.stats().hits - hits,
                100,
                "{}: the moved keys are still hits: {:?}",
                front.name(),
                cache.stats()
            );
            assert_eq!(cache.stats().cache_errors, errors, "{}", front.name());
        }
        // Half-way: the slot's first key is on the target (`ASK`), the rest on the source. The
        // blocking front's batches touching it fail (served from the database) until the move
        // ends.
        let moving = ids[round * 2 + 1];
        cluster.move_slot(slot(moving), false);
        let hits = cache.stats().hits;
        assert_eq!(front.find_many_users(&cache, &ids).unwrap(), expected);
        if front.name() != "blocking" {
            assert_eq!(
                cache.stats().hits - hits,
                100,
                "async: while moving: {:?}",
                cache.stats()
            );
        }
        cache.invalidate::<User>(&moving).unwrap();
        assert_eq!(front.find_many_users(&cache, &ids).unwrap(), expected);
        // The move ends: every batch is served from Redis again, on both fronts.
        cluster.move_slot(slot(moving), true);
        front.find_many_users(&cache, &ids).unwrap();
        let hits = cache.stats().hits;
        assert_eq!(front.find_many_users(&cache, &ids).unwrap(), expected);
        assert_eq!(
            cache.stats().hits - hits,
            100,
            "{}: after the move",
            front.name()
        );

        let mut changed = users[round * 2].clone();
        changed.name = format!("moved on {}", front.name());
        front.save_user(&cache, &changed).unwrap();
        let hits = cache.stats().hits;
        let mut read = front.find_many_users(&cache, &ids).unwrap();
        assert_eq!(read.remove(round * 2), Some(changed), "{}", front.name());
        assert_eq!(
            cache.stats().hits - hits,
            100,
            "{}: the write was published",
            front.name()
        );
        front.save_user(&cache, &users[round * 2]).unwrap();
    }
    for id in &ids {
        User::delete(&mut conn, &cache, id).unwrap();
    }
}

/// The fronts the consistency checks run through.
const FRONTS: [LibraryFront; 2] = [
    LibraryFront::Blocking,
    LibraryFront::Async(AsyncBackend::Postgres),
];

/// A front of the library on PostgreSQL.
fn front_on_postgres(front: LibraryFront) -> Box<dyn Front + Send> {
    match front {
        LibraryFront::Blocking => Box::new(Blocking(postgres().unwrap())),
        LibraryFront::Async(_) => Box::new(fronts::async_postgres().unwrap()),
    }
}

fn single_rows_round_trip(conn: &mut PgConnection, cache: &Cache) {
    let user = User::create(
        conn,
        cache,
        &NewUser {
            email: format!("c-{}@x", unique()),
            name: "c".into(),
        },
    )
    .unwrap();
    assert_eq!(
        User::find(conn, cache, &user.id).unwrap(),
        Some(user.clone())
    );
    assert_eq!(cache.stats().hits, 1, "served by the cluster");
    let mut tag = Tag {
        name: format!("c-{}", unique()),
        uses: 1,
    };
    tag.save(conn, cache).unwrap();
    tag.uses = 2;
    tag.save(conn, cache).unwrap();
    assert_eq!(
        Tag::find(conn, cache, &tag.name).unwrap(),
        Some(tag.clone())
    );
    assert!(Tag::delete(conn, cache, &tag.name).unwrap());
    assert_eq!(Tag::find(conn, cache, &tag.name).unwrap(), None);
    assert!(User::delete(conn, cache, &user.id).unwrap());
}

fn batches_split_by_slot_and_cost_one_query(conn: &mut PgConnection, cache: &Cache) {
    let run = unique();
    let tags: Vec<Tag> = (0..100)
        .map(|i| Tag {
            name: format!("cb-{run}-{i}"),
            uses: i,
        })
        .collect();
    for tag in &tags {
        tag.save(conn, cache).unwrap();
        cache.invalidate::<Tag>(&tag.name).unwrap();
    }
    let fills = cache.stats().fills;
    let cold = Tag::find_many(conn, cache, tags.iter().map(|t| &t.name)).unwrap();
    assert_eq!(cold, tags.iter().cloned().map(Some).collect::<Vec<_>>());
    assert_eq!(
        cache.stats().fills - fills,
        100,
        "every row filled, across slots"
    );
    let hits = cache.stats().hits;
    let warm = Tag::find_many(conn, cache, tags.iter().map(|t| &t.name)).unwrap();
    assert_eq!(warm, cold);
    assert_eq!(cache.stats().hits - hits, 100);
}

fn hash_tags_keep_keys_together_and_user_data_cannot_form_one(
    cluster: &PrivateCluster,
    cache: &Cache,
) {
    let (a, b) = (format!("s-{}", unique()), "{sessions}".to_owned());
    let (key_a, key_b) = (
        cache.key::<TaggedSession>(&a),
        cache.key::<TaggedSession>(&b),
    );
    assert_eq!(
        slot_of(cluster, &key_a),
        slot_of(cluster, &key_b),
        "the template's {{sessions}} tag"
    );
    assert_eq!(slot_of(cluster, &key_a), slot_of(cluster, b"sessions"));
    // In a template without a tag, braces in user data are escaped and never become one.
    assert_ne!(
        slot_of(cluster, &cache.key::<Tag>(&b)),
        slot_of(cluster, b"sessions")
    );
}

fn a_fill_that_read_before_an_update_cannot_overwrite_it(front: LibraryFront, cache: &Cache) {
    let mut writer = front_on_postgres(front);
    let name = format!("cr-{}", unique());
    writer
        .save_tag(
            cache,
            &Tag {
                name: name.clone(),
                uses: 1,
            },
        )
        .unwrap();
    cache.invalidate::<Tag>(&name).unwrap();
    let gate = pause::arm(FIND_LOADED, &cache.key::<Tag>(&name));
    let (reader_cache, reader_name) = (cache.clone(), name.clone());
    let mut reader = front_on_postgres(front);
    let reader = thread::spawn(move || reader.find_tag(&reader_cache, &reader_name).unwrap());
    gate.wait_until_reached();
    writer
        .save_tag(
            cache,
            &Tag {
                name: name.clone(),
                uses: 2,
            },
        )
        .unwrap();
    gate.release();
    assert_eq!(
        reader.join().unwrap().map(|t| t.uses),
        Some(1),
        "{front:?} front"
    );
    assert_eq!(
        writer.find_tag(cache, &name).unwrap().map(|t| t.uses),
        Some(2),
        "{front:?} front"
    );
}

fn the_randomized_history_has_no_stale_read(front: LibraryFront, cache: &Cache) {
    let workload = Workload::from_env(4, 250, 3);
    let names = format!("ch-{}", unique());
    let subject = Subject::library(cache.clone(), front);
    let outcome = history::run(workload, &subject, &names, || postgres().unwrap());
    let stale = history::stale_reads(&outcome.events);
    println!(
        "cluster history ({front:?} front): {} operations, {} failed, {} stale",
        outcome.events.len(),
        outcome.failed,
        stale.len()
    );
    assert_eq!(outcome.failed, 0);
    assert!(stale.is_empty(), "seed {}: {stale:#?}", workload.seed);
}

fn three_processes_share_the_cluster_without_stale_reads(
    front: LibraryFront,
    cluster: &PrivateCluster,
    cache: &Cache,
) {
    let front_arg = match front {
        LibraryFront::Blocking => "blocking",
        LibraryFront::Async(_) => "async",
    };
    let names = format!("cp-{}", unique());
    let seed = unique();
    let children: Vec<_> = (0..3)
        .map(|process| {
            std::process::Command::new(env!("CARGO_BIN_EXE_history_worker"))
                .args([
                    cache.namespace(),
                    &names,
                    &process.to_string(),
                    &seed.to_string(),
                    "2",
                    "200",
                    "3",
                    front_arg,
                ])
                .env("WT_CLUSTER_URLS", cluster.urls().join(","))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut events = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        events.extend(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(|l| history::from_line(l).unwrap()),
        );
    }
    let stale = history::stale_reads(&events);
    println!(
        "cluster, 3 processes ({front_arg} front): {} operations merged, {} stale",
        events.len(),
        stale.len()
    );
    assert_eq!(events.len(), 3 * 2 * 200);
    assert!(stale.is_empty(), "seed {seed}: {stale:#?}");
}

#[test]
fn a_master_killed_under_load_fails_over_without_stale_reads() {
    fails_over(LibraryFront::Blocking);
}

#[test]
fn a_master_killed_under_load_fails_over_and_caches_again_at_once_through_the_async_front() {
    fails_over(LibraryFront::Async(AsyncBackend::Postgres));
}

/// The failover under load through `front`: no failed operation, no stale read, the cache
/// equal to the database, and the first save and find after it served by the healed cluster.
fn fails_over(front: LibraryFront) {
    let Some(mut conn) = postgres() else { return };
    let Some(mut cluster) = PrivateCluster::start() else {
        return;
    };
    let cache = cache_on(&cluster);
    let workload = Workload {
        at_least: Duration::from_secs(5),
        ..Workload::from_env(4, 100, 6)
    };
    let names = format!("cf-{}", unique());
    let master = cluster.a_master();
    let outcome = thread::scope(|scope| {
        let cluster = &mut cluster;
        scope.spawn(move || {
            thread::sleep(Duration::from_millis(800));
            cluster.kill(master);
        });
        history::run(
            workload,
            &Subject::library(cache.clone(), front),
            &names,
            || postgres().unwrap(),
        )
    });
    cluster.wait_until_healthy();
    let slowest = outcome
        .events
        .iter()
        .map(|e| e.returned - e.invoked)
        .max()
        .unwrap_or_default();
    let stale = history::stale_reads(&outcome.events);
    println!(
        "failover ({front:?} front): {} operations, {} failed, slowest {slowest:?}, {} stale, cache errors {}",
        outcome.events.len(),
        outcome.failed,
        stale.len(),
        cache.stats().cache_errors
    );
    assert_eq!(
        outcome.failed, 0,
        "the database serves every operation through the failover"
    );
    assert!(
        slowest < Duration::from_secs(10),
        "an operation took {slowest:?}"
    );
    assert!(stale.is_empty(), "seed {}: {stale:#?}", workload.seed);
    history::assert_cache_matches_database(&mut conn, &cache, &names, workload.keys);
    // The healed cluster caches again (the breaker's probe found the promoted replica).
    thread::sleep(Duration::from_millis(1200));
    let mut after = front_on_postgres(front);
    let row = Tag {
        name: format!("{names}-after"),
        uses: 1,
    };
    after.save_tag(&cache, &row).unwrap();
    let hits = cache.stats().hits;
    assert_eq!(after.find_tag(&cache, &row.name).unwrap(), Some(row));
    let stats = cache.stats();
    assert_eq!(
        stats.hits,
        hits + 1,
        "served by the cluster after the failover: {stats:?}"
    );
}
