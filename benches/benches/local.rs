//! The in-process tier (issue 13) beside a Redis hit and Diesel alone, in the same run, on
//! PostgreSQL with the local Redis: the same `find` of the same row, through a cache whose
//! `User`s use the tier, through one whose do not, and as the generated query alone.
//!
//! ```text
//! cargo bench -p write_through_benches --bench local
//! ```
//!
//! Groups:
//! - `find_hit_local/postgres`: `local_tier` (a hit in this process), `redis_hit` (one round
//!   trip), `diesel_alone` (the primary-key select), and `moka_get_alone` (the map lookup the
//!   tier's hit is built on, for the share of the hit it costs);
//! - `find_hit_local_async/postgres`: the async front's local hit beside its Redis hit.
//! - `find_hit_pooled/postgres` (issue 23): a local hit through a pool (`Pooled`, which takes no
//!   connection for a hit) on both fronts, beside the same hit after a checkout (`pool.get()`
//!   then `&mut conn`, as services did) and a bare `moka` get and clone; the paired ratio to the
//!   bare get is printed. The async hit is timed both with a `block_on` per find and awaited in
//!   one task.
//!
//! The paired ratios are printed after each group. Ratios within one run are what matter.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use write_through::blocking::{ModelOps as _, SaveOps as _};
use write_through::{Cache, DieselOps};
use write_through_benches::{User, postgres, redis_url};

const HOT: i64 = 1;

fn caches() -> (Cache, Cache) {
    let plain = Cache::builder(&redis_url())
        .namespace("wt-bench-local")
        .build()
        .expect("cache");
    let local = Cache::builder(&redis_url())
        .namespace("wt-bench-local")
        .local::<User>(Duration::from_secs(60))
        .build()
        .expect("cache");
    (plain, local)
}

/// Reads once through `cache` and waits until its tier is live, then once more to install.
fn warm(conn: &mut diesel::PgConnection, cache: &Cache) {
    User::find(conn, cache, &HOT).unwrap();
    let start = Instant::now();
    while !cache.local_tier_is_live() {
        assert!(start.elapsed() < Duration::from_secs(5), "tier never live");
        std::thread::sleep(Duration::from_millis(1));
    }
    User::find(conn, cache, &HOT).unwrap();
}

/// Median of `n` timed runs of `f`, in nanoseconds, interleaved by the caller.
fn time(f: &mut impl FnMut(), iterations: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(iterations)
}

fn on_postgres(c: &mut Criterion) {
    let mut conn = postgres();
    let (plain, local) = caches();
    User::sample(HOT).save(&mut conn, &plain).expect("seed");
    warm(&mut conn, &local);
    let before = local.stats().local_hits;
    User::find(&mut conn, &local, &HOT).unwrap();
    assert_eq!(local.stats().local_hits, before + 1, "a local hit");

    let moka: moka::sync::Cache<Vec<u8>, std::sync::Arc<[u8]>> = moka::sync::Cache::new(10_000);
    let key = local.key::<User>(&HOT);
    moka.insert(key.clone(), vec![0u8; 64].into());

    let mut group = c.benchmark_group("find_hit_local/postgres");
    group.bench_function("local_tier", |b| {
        b.iter(|| User::find(&mut conn, &local, black_box(&HOT)).unwrap())
    });
    group.bench_function("redis_hit", |b| {
        b.iter(|| User::find(&mut conn, &plain, black_box(&HOT)).unwrap())
    });
    group.bench_function("diesel_alone", |b| {
        b.iter(|| <User as DieselOps<diesel::pg::Pg>>::load(&mut conn, black_box(&HOT)).unwrap())
    });
    group.bench_function("moka_get_alone", |b| {
        b.iter(|| moka.get(black_box(key.as_slice())))
    });
    group.finish();

    // Paired, interleaved: the ratios of one moment of this shared machine.
    let (mut l, mut r, mut d) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..15 {
        l.push(time(
            &mut || drop(User::find(&mut conn, &local, &HOT)),
            20_000,
        ));
        r.push(time(&mut || drop(User::find(&mut conn, &plain, &HOT)), 200));
        d.push(time(
            &mut || drop(<User as DieselOps<diesel::pg::Pg>>::load(&mut conn, &HOT)),
            200,
        ));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (l, r, d) = (median(&mut l), median(&mut r), median(&mut d));
    eprintln!(
        "paired medians: local hit {l:.0} ns, Redis hit {r:.0} ns, Diesel alone {d:.0} ns; Redis/local {:.0}x, Diesel/local {:.0}x",
        r / l,
        d / l
    );
    eprintln!("{:?}", local.stats());
}

fn on_the_async_front(c: &mut Criterion) {
    use diesel_async::{AsyncConnection, AsyncPgConnection};
    use write_through::asynch::ModelOps;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let url = std::env::var("DATABASE_URL_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut conn = runtime
        .block_on(AsyncPgConnection::establish(&url))
        .expect("PostgreSQL");
    let mut blocking = postgres();
    let (plain, local) = caches();
    User::sample(HOT).save(&mut blocking, &plain).expect("seed");
    warm(&mut blocking, &local);
    let mut group = c.benchmark_group("find_hit_local_async/postgres");
    group.bench_function("local_tier", |b| {
        b.iter(|| {
            runtime
                .block_on(<User as ModelOps>::find(&mut conn, &local, black_box(&HOT)))
                .unwrap()
        })
    });
    group.bench_function("redis_hit", |b| {
        b.iter(|| {
            runtime
                .block_on(<User as ModelOps>::find(&mut conn, &plain, black_box(&HOT)))
                .unwrap()
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

fn through_a_pool(c: &mut Criterion) {
    use diesel::r2d2::{ConnectionManager, Pool};
    use diesel_async::AsyncPgConnection;
    use diesel_async::pooled_connection::AsyncDieselConnectionManager;
    use diesel_async::pooled_connection::deadpool::Pool as Deadpool;
    use write_through::Pooled;
    use write_through::asynch::ModelOps as AsyncModelOps;
    use write_through::blocking::ModelOps as BlockingModelOps;
    let url = std::env::var("DATABASE_URL_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut blocking = postgres();
    let (plain, local) = caches();
    User::sample(HOT).save(&mut blocking, &plain).expect("seed");
    warm(&mut blocking, &local);
    let r2d2 = Pool::builder()
        .max_size(4)
        .build(ConnectionManager::<diesel::PgConnection>::new(&url))
        .expect("r2d2");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // diesel-async's default recycling (`Verified`): a test query at every checkout.
    let deadpool = Deadpool::builder(AsyncDieselConnectionManager::<AsyncPgConnection>::new(&url))
        .max_size(4)
        .build()
        .expect("deadpool");
    let moka: moka::sync::Cache<Vec<u8>, User> = moka::sync::Cache::new(10_000);
    let key = local.key::<User>(&HOT);
    moka.insert(key.clone(), User::sample(HOT));

    let before = local.stats();
    <User as BlockingModelOps>::find(&mut Pooled(&r2d2), &local, &HOT).unwrap();
    runtime
        .block_on(<User as AsyncModelOps>::find(
            &mut Pooled(&deadpool),
            &local,
            &HOT,
        ))
        .unwrap();
    let after = local.stats();
    assert_eq!(after.local_hits, before.local_hits + 2, "local hits");
    assert_eq!(after.checkouts, before.checkouts, "no checkout");

    let mut group = c.benchmark_group("find_hit_pooled/postgres");
    group.bench_function("r2d2_pooled_local_hit", |b| {
        b.iter(|| {
            <User as BlockingModelOps>::find(&mut Pooled(&r2d2), &local, black_box(&HOT)).unwrap()
        })
    });
    group.bench_function("r2d2_checkout_then_local_hit", |b| {
        b.iter(|| {
            let mut conn = r2d2.get().unwrap();
            <User as BlockingModelOps>::find(&mut conn, &local, black_box(&HOT)).unwrap()
        })
    });
    group.bench_function("deadpool_pooled_local_hit", |b| {
        b.iter(|| {
            runtime
                .block_on(<User as AsyncModelOps>::find(
                    &mut Pooled(&deadpool),
                    &local,
                    black_box(&HOT),
                ))
                .unwrap()
        })
    });
    // The same hits awaited in one task: what the async front costs without a `block_on` per
    // find (which the line above pays, as a blocking caller would).
    group.bench_function("deadpool_pooled_local_hit_in_one_task", |b| {
        b.iter_custom(|n| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..n {
                    <User as AsyncModelOps>::find(&mut Pooled(&deadpool), &local, black_box(&HOT))
                        .await
                        .unwrap();
                }
                started.elapsed()
            })
        })
    });
    group.bench_function("deadpool_checkout_then_local_hit", |b| {
        b.iter(|| {
            runtime
                .block_on(async {
                    let mut conn = deadpool.get().await.unwrap();
                    <User as AsyncModelOps>::find(&mut conn, &local, black_box(&HOT)).await
                })
                .unwrap()
        })
    });
    group.bench_function("moka_get_clone", |b| {
        b.iter(|| moka.get(black_box(key.as_slice())))
    });
    group.finish();

    let (mut pooled, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        pooled.push(time(
            &mut || {
                drop(<User as BlockingModelOps>::find(
                    &mut Pooled(&r2d2),
                    &local,
                    &HOT,
                ))
            },
            20_000,
        ));
        bare.push(time(&mut || drop(moka.get(key.as_slice())), 20_000));
    }
    let ratios: Vec<f64> = pooled.iter().zip(&bare).map(|(p, b)| p / b).collect();
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    eprintln!(
        "paired medians: local hit through the r2d2 pool {:.0} ns, bare moka get and clone {:.0} ns; ratio {:.2}x",
        median(pooled),
        median(bare),
        median(ratios)
    );
}

criterion_group! {
    name = benches;
    config = config();
    targets = on_postgres, on_the_async_front, through_a_pool
}
criterion_main!(benches);
