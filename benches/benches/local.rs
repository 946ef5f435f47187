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

criterion_group! {
    name = benches;
    config = config();
    targets = on_postgres, on_the_async_front
}
criterion_main!(benches);
