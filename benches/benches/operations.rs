//! write_through beside the hand-written pattern and Diesel alone, in the same run, on
//! PostgreSQL and SQLite with the local Redis.
//!
//! ```text
//! cargo bench -p write_through_benches --bench operations
//! ```
//!
//! Ratios between functions of one group are what matter (BENCHMARKS.md); absolute times
//! depend on the machine and its load.

use std::time::{Duration, Instant};
use write_through::blocking::{ModelOps as _, SaveOps as _};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use diesel::connection::LoadConnection;
use diesel::prelude::*;
use write_through::{Cache, DieselOps};
use write_through_benches::{HandWritten, Member, User, UserRetiring, postgres, redis_url, sqlite};

const HOT: i64 = 1;
const MANY: i64 = 100;

fn cache() -> Cache {
    Cache::builder(&redis_url())
        .namespace("wt-bench")
        .build()
        .expect("cache")
}

fn suite<C>(c: &mut Criterion, backend: &str, conn: &mut C)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    UserRetiring: DieselOps<C::Backend>,
{
    let cache = cache();
    let mut hand = HandWritten::new();
    let ids: Vec<i64> = (1..=MANY).collect();
    for &id in &ids {
        User::sample(id).save(conn, &cache).expect("seed");
        hand.find(conn, id);
    }

    let mut group = c.benchmark_group(format!("find_hit/{backend}"));
    group.bench_function("write_through", |b| {
        b.iter(|| User::find(conn, &cache, &HOT).unwrap())
    });
    group.bench_function("hand_written", |b| b.iter(|| hand.find(conn, HOT)));
    group.bench_function("diesel_alone", |b| {
        b.iter(|| <User as DieselOps<C::Backend>>::load(conn, &HOT).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group(format!("find_miss_and_fill/{backend}"));
    group.bench_function("write_through", |b| {
        b.iter_batched(
            || cache.invalidate::<User>(&HOT).unwrap(),
            |()| User::find(conn, &cache, &HOT).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("hand_written", |b| {
        with_setup(
            b,
            &mut (&mut *conn, &mut hand),
            |(_, h)| h.clean([HOT]),
            |(c, h)| {
                h.find(*c, HOT);
            },
        )
    });
    group.finish();

    let user = User::sample(HOT);
    let mut group = c.benchmark_group(format!("save/{backend}"));
    group.bench_function("write_through", |b| {
        b.iter(|| user.save(conn, &cache).unwrap())
    });
    // The same row and statement, by a model with `retires(...)`: its own transaction, the row
    // read `FOR UPDATE` first, one more key retired.
    let retiring = UserRetiring::from(&user);
    group.bench_function("write_through_retiring_a_join_row", |b| {
        b.iter(|| retiring.save(conn, &cache).unwrap())
    });
    // Its key is under a template of its own: leave nothing of it in Redis.
    cache.invalidate::<UserRetiring>(&HOT).unwrap();
    group.bench_function("hand_written_same_round_trips", |b| {
        b.iter(|| hand.save_locked(conn, &user))
    });
    group.bench_function("hand_written_naive", |b| {
        b.iter(|| hand.save_naive(conn, &user))
    });
    group.bench_function("diesel_alone", |b| {
        b.iter(|| <User as DieselOps<C::Backend>>::upsert(&user, conn).unwrap())
    });
    group.finish();

    let doomed = User::sample(MANY + 1);
    let mut group = c.benchmark_group(format!("delete/{backend}"));
    let insert = |c: &mut C| {
        <User as DieselOps<C::Backend>>::upsert(&doomed, c).unwrap();
    };
    group.bench_function("write_through", |b| {
        with_setup(
            b,
            &mut *conn,
            |c| insert(c),
            |c| {
                User::delete(c, &cache, &doomed.id).unwrap();
            },
        )
    });
    group.bench_function("hand_written", |b| {
        with_setup(
            b,
            &mut (&mut *conn, &mut hand),
            |(c, _)| insert(c),
            |(c, h)| {
                h.delete(*c, doomed.id);
            },
        )
    });
    group.finish();

    let invalidate_all = |cache: &Cache| {
        for id in &ids {
            cache.invalidate::<User>(id).unwrap();
        }
    };
    let mut group = c.benchmark_group(format!("find_many_100/{backend}"));
    group.bench_function("find_many_warm", |b| {
        b.iter(|| User::find_many(conn, &cache, &ids).unwrap())
    });
    group.bench_function("sequential_finds_warm", |b| {
        b.iter(|| {
            ids.iter()
                .map(|id| User::find(conn, &cache, id).unwrap())
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("find_many_cold", |b| {
        b.iter_batched(
            || invalidate_all(&cache),
            |()| User::find_many(conn, &cache, &ids).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("sequential_finds_cold", |b| {
        b.iter_batched(
            || invalidate_all(&cache),
            |()| {
                ids.iter()
                    .map(|id| User::find(conn, &cache, id).unwrap())
                    .collect::<Vec<_>>()
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();

    hand.clean(ids.iter().copied().chain([MANY + 1]));
    invalidate_all(&cache);
    cache.invalidate::<User>(&(MANY + 1)).unwrap();
}

/// Times `routine` only, running `setup` (untimed) before each run of it.
fn with_setup<S>(
    b: &mut criterion::Bencher<'_>,
    state: &mut S,
    mut setup: impl FnMut(&mut S),
    mut routine: impl FnMut(&mut S),
) {
    b.iter_custom(|iterations| {
        let mut timed = Duration::ZERO;
        for _ in 0..iterations {
            setup(state);
            let started = Instant::now();
            routine(state);
            timed += started.elapsed();
        }
        timed
    });
}

fn on_postgres(c: &mut Criterion) {
    let mut conn = postgres();
    suite(c, "postgres", &mut conn);
    unique_index(c, &mut conn);
}

/// `find_by_email` hit beside `find` hit and Diesel's `filter(email.eq(..)).first()`, and
/// what one unique index adds to `save`.
fn unique_index(c: &mut Criterion, conn: &mut PgConnection) {
    use write_through_benches::wt_bench_members::dsl as members;
    let cache = cache();
    let (user, member) = (User::sample(HOT), Member::sample(HOT));
    user.save(conn, &cache).expect("seed");
    member.save(conn, &cache).expect("seed");
    // Warm the entry and the row it points at.
    Member::find_by_email(conn, &cache, &member.email).expect("warm");

    let mut group = c.benchmark_group("unique_index/postgres");
    group.bench_function("find_by_email_hit", |b| {
        b.iter(|| Member::find_by_email(conn, &cache, &member.email).unwrap())
    });
    group.bench_function("find_hit", |b| {
        b.iter(|| User::find(conn, &cache, &HOT).unwrap())
    });
    group.bench_function("diesel_filter_email_first", |b| {
        b.iter(|| {
            members::wt_bench_members
                .filter(members::email.eq(&member.email))
                .select(Member::as_select())
                .first(conn)
                .unwrap()
        })
    });
    group.bench_function("save_with_one_unique_index", |b| {
        b.iter(|| member.save(conn, &cache).unwrap())
    });
    group.bench_function("save_without_index", |b| {
        b.iter(|| user.save(conn, &cache).unwrap())
    });
    group.finish();
    cache.invalidate::<Member>(&HOT).unwrap();
    cache
        .invalidate_index::<Member, 0>(member.email.as_str())
        .unwrap();
    cache.invalidate::<User>(&HOT).unwrap();
    diesel::sql_query("DROP TABLE IF EXISTS wt_bench_members")
        .execute(conn)
        .unwrap();
}

/// With `WT_BENCH_CLUSTER_URLS` (e.g. from `scripts/local-cluster.sh start`): find hit and
/// find_many on a Redis Cluster, beside the same on one Redis.
fn on_a_cluster(c: &mut Criterion) {
    let Ok(urls) = std::env::var("WT_BENCH_CLUSTER_URLS") else {
        return;
    };
    let urls: Vec<&str> = urls.split(',').collect();
    let mut conn = postgres();
    for (name, cache) in [
        ("standalone", cache()),
        (
            "cluster",
            Cache::cluster_builder(&urls)
                .namespace("wt-bench")
                .build()
                .expect("cluster"),
        ),
    ] {
        let ids: Vec<i64> = (1..=MANY).collect();
        for &id in &ids {
            User::sample(id).save(&mut conn, &cache).expect("seed");
        }
        let mut group = c.benchmark_group(format!("topology/{name}"));
        group.bench_function("find_hit", |b| {
            b.iter(|| User::find(&mut conn, &cache, &HOT).unwrap())
        });
        group.bench_function("find_many_100_warm", |b| {
            b.iter(|| User::find_many(&mut conn, &cache, &ids).unwrap())
        });
        group.bench_function("find_many_100_cold", |b| {
            b.iter_batched(
                || {
                    for id in &ids {
                        cache.invalidate::<User>(id).unwrap();
                    }
                },
                |()| User::find_many(&mut conn, &cache, &ids).unwrap(),
                BatchSize::PerIteration,
            )
        });
        group.finish();
        for id in &ids {
            cache.invalidate::<User>(id).unwrap();
        }
    }
}

fn on_sqlite(c: &mut Criterion) {
    let (mut conn, _dir) = sqlite();
    suite(c, "sqlite", &mut conn);
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = on_postgres, on_sqlite, on_a_cluster
}
criterion_main!(benches);
