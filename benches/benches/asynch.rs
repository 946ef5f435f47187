//! The async front (issue #9) beside a hand-written async `GET` and beside the blocking front,
//! in the same run, on PostgreSQL with the local Redis (and a Redis Cluster when
//! `WT_BENCH_CLUSTER_URLS` is set, e.g. from `scripts/local-cluster.sh start`).
//!
//! ```text
//! WT_BENCH_CLUSTER_URLS=$(scripts/local-cluster.sh start) \
//!     cargo bench -p write_through_benches --bench asynch -- --warm-up-time 1 --measurement-time 4
//! ```
//!
//! Groups:
//! - `async_find_hit`: the library's async hit beside `GET` + decode of the same bytes on a
//!   redis-rs `MultiplexedConnection` (the async twin of `HandWritten::find`), one after the
//!   other and paired in one loop (the paired ratio is printed to stderr after the group).
//! - `concurrent_hits_256`: 256 finds in flight on one multi-thread runtime sharing one
//!   `Cache` (one multiplexed connection), beside the blocking front with 8 or 16 threads each
//!   owning a PostgreSQL connection and sharing one `Cache` (pooled Redis connections).
//!   The async finds are 256 tasks (`tokio::spawn`) on a multi-thread runtime. Criterion's
//!   throughput is finds per second.
//! - `async_topology/{standalone,cluster}`: find_many(100) cold and warm, async and blocking,
//!   on one Redis and on a cluster (only with `WT_BENCH_CLUSTER_URLS`).
//! - `async_save_statement`: the async `save`, and its upsert read to its end (as `save` reads
//!   it) paired with the same upsert read to its first row (as it did before issue 19).
//!
//! Ratios between functions of one run are what matter (BENCHMARKS.md).

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diesel::SqliteConnection;
use diesel::prelude::*;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use tokio::runtime::Runtime;
use write_through::{Cache, Cached};
use write_through_benches::{User, postgres, redis_url};

const HOT: i64 = 1;
const MANY: i64 = 100;
/// Finds in flight at once in `concurrent_hits_256`.
const CONCURRENT: usize = 256;
/// The namespace of every key written here, apart from the other benches'.
const NAMESPACE: &str = "wt-bench-async";

fn pg_url() -> String {
    std::env::var("DATABASE_URL_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn cache() -> Cache {
    Cache::builder(&redis_url())
        .namespace(NAMESPACE)
        // As many idle Redis connections as the blocking front has threads below.
        .max_idle_connections(32)
        .build()
        .expect("cache")
}

/// Seeds rows 1..=MANY through the blocking front (the table is created by `postgres()`).
fn seed(cache: &Cache) -> Vec<i64> {
    use write_through::blocking::SaveOps as _;
    let mut conn = postgres();
    let ids: Vec<i64> = (1..=MANY).collect();
    for &id in &ids {
        User::sample(id).save(&mut conn, cache).expect("seed");
    }
    ids
}

fn invalidate_all(cache: &Cache, ids: &[i64]) {
    for id in ids {
        cache.invalidate::<User>(id).expect("invalidate");
    }
}

/// The hand-written async read: `GET` on a redis-rs multiplexed connection (opened with the
/// library's default timeouts, as the cache opens its own), then decode the bytes the library
/// stored, checking what it checks: the envelope of a bincode row (`WT`, version 1, kind row,
/// the schema fingerprint) and a payload consumed exactly.
struct HandWrittenAsync {
    redis: redis::aio::MultiplexedConnection,
}

impl HandWrittenAsync {
    async fn new() -> Self {
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_millis(500)));
        let redis = redis::Client::open(redis_url())
            .expect("Redis URL")
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .expect("Redis");
        Self { redis }
    }

    async fn get(&mut self, key: &[u8]) -> Option<User> {
        let bytes: Option<Vec<u8>> = redis::cmd("GET")
            .arg(key)
            .query_async(&mut self.redis)
            .await
            .expect("GET");
        decode(&bytes?)
    }
}

fn decode(bytes: &[u8]) -> Option<User> {
    let (header, payload) = bytes.split_first_chunk::<12>()?;
    let fingerprint = u64::from_le_bytes(header[4..].try_into().ok()?);
    if header[..4] != *b"WT\x01\x01" || fingerprint != User::SCHEMA_FINGERPRINT {
        return None;
    }
    let (user, read) =
        bincode::serde::decode_from_slice::<User, _>(payload, bincode::config::standard()).ok()?;
    (read == payload.len()).then_some(user)
}

/// Times `iterations` awaits of `step` in one `block_on`.
fn timed<T>(rt: &Runtime, iterations: u64, mut step: impl AsyncFnMut() -> T) -> Duration {
    rt.block_on(async {
        let started = Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(step().await);
        }
        started.elapsed()
    })
}

/// 1. The async hit beside the hand-written async `GET` + decode.
fn find_hit(c: &mut Criterion) {
    use write_through::asynch::prelude::*;
    let rt = runtime();
    let cache = cache();
    seed(&cache);
    let key = cache.key::<User>(&HOT);
    let mut conn = rt
        .block_on(AsyncPgConnection::establish(&pg_url()))
        .expect("PostgreSQL");
    let mut hand = rt.block_on(HandWrittenAsync::new());
    // Both read the same stored bytes.
    assert_eq!(rt.block_on(hand.get(&key)), Some(User::sample(HOT)));
    assert_eq!(
        rt.block_on(User::find(&mut conn, &cache, &HOT)).unwrap(),
        Some(User::sample(HOT))
    );

    let mut group = c.benchmark_group("async_find_hit");
    group.bench_function("write_through", |b| {
        b.iter_custom(|n| {
            timed(&rt, n, async || {
                User::find(&mut conn, &cache, &HOT).await.unwrap().unwrap()
            })
        })
    });
    group.bench_function("hand_written_get_decode", |b| {
        b.iter_custom(|n| timed(&rt, n, async || hand.get(&key).await.unwrap()))
    });
    // The same two, paired: every iteration runs both, alternating, and times each, so that
    // both see the same load on a shared machine (the drift between two functions run one
    // after the other is often larger than the difference measured). Criterion reports the
    // library's time; the ratio of each sample's two sums is printed after the group.
    let mut pairs: Vec<(Duration, Duration)> = Vec::new();
    group.bench_function("paired/write_through", |b| {
        b.iter_custom(|n| {
            let (library, by_hand) = rt.block_on(async {
                let (mut library, mut by_hand) = (Duration::ZERO, Duration::ZERO);
                for _ in 0..n {
                    let started = Instant::now();
                    let found = User::find(&mut conn, &cache, &HOT).await.unwrap();
                    library += started.elapsed();
                    let started = Instant::now();
                    let got = hand.get(&key).await;
                    by_hand += started.elapsed();
                    std::hint::black_box((found.unwrap(), got.unwrap()));
                }
                (library, by_hand)
            });
            pairs.push((library, by_hand));
            library
        })
    });
    let mut ratios: Vec<f64> = pairs
        .iter()
        .map(|(library, by_hand)| library.as_secs_f64() / by_hand.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let (library, by_hand) = pairs
        .iter()
        .fold((Duration::ZERO, Duration::ZERO), |(l, h), (a, b)| {
            (l + *a, h + *b)
        });
    eprintln!(
        "async_find_hit/paired: write_through / hand-written = {:.3} (median of {} samples), {:.3} (all samples)",
        ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN),
        ratios.len(),
        library.as_secs_f64() / by_hand.as_secs_f64(),
    );
    group.finish();
    invalidate_all(&cache, &(1..=MANY).collect::<Vec<_>>());
}

/// 2. 256 hits in flight: async tasks on one multiplexed connection beside blocking threads.
fn concurrent_hits(c: &mut Criterion) {
    let rt = runtime();
    let cache = cache();
    let ids = seed(&cache);
    let per_task = |i: usize| ids[i % ids.len()];

    let mut group = c.benchmark_group(format!("concurrent_hits_{CONCURRENT}"));
    group.throughput(Throughput::Elements(CONCURRENT as u64));

    // Each task with a connection of its own (an in-memory SQLite connection, which a hit
    // never touches: the database is out of the picture), each doing `n` finds in a row: 256
    // finds in flight all the time on the one multiplexed connection.
    let mut own: Vec<SyncConnectionWrapper<SqliteConnection>> = (0..CONCURRENT)
        .map(|_| SyncConnectionWrapper::new(SqliteConnection::establish(":memory:").unwrap()))
        .collect();
    group.bench_function("async_256_tasks_own_connection", |b| {
        b.iter_custom(|n| {
            let conns = std::mem::take(&mut own);
            let started = Instant::now();
            own = rt.block_on(async {
                let tasks: Vec<_> = conns
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut conn)| {
                        let (cache, id) = (cache.clone(), per_task(i));
                        tokio::spawn(async move {
                            use write_through::asynch::prelude::*;
                            for _ in 0..n {
                                let user = User::find(&mut conn, &cache, &id).await.unwrap();
                                assert!(user.is_some());
                            }
                            conn
                        })
                    })
                    .collect();
                let mut back = Vec::with_capacity(tasks.len());
                for task in tasks {
                    back.push(task.await.expect("a find task"));
                }
                back
            });
            started.elapsed()
        })
    });

    // The same 256 tasks drawing a connection from a deadpool of 16 PostgreSQL connections for
    // each find, as a web handler would: at most 16 finds in flight. With diesel-async's
    // default recycling (`Verified`: a test query on every checkout) and with `Fast`.
    for (recycling, method) in [
        ("verified", RecyclingMethod::Verified),
        ("fast", RecyclingMethod::Fast),
    ] {
        let mut config = ManagerConfig::default();
        config.recycling_method = method;
        let manager =
            AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(pg_url(), config);
        let pool: Pool<AsyncPgConnection> = Pool::builder(manager)
            .max_size(16)
            .build()
            .expect("deadpool");
        group.bench_function(format!("async_256_tasks_deadpool_16_{recycling}"), |b| {
            b.iter_custom(|n| {
                let started = Instant::now();
                rt.block_on(async {
                    let tasks: Vec<_> = (0..CONCURRENT)
                        .map(|i| {
                            let (cache, pool, id) = (cache.clone(), pool.clone(), per_task(i));
                            tokio::spawn(async move {
                                use write_through::asynch::prelude::*;
                                for _ in 0..n {
                                    let mut conn = pool.get().await.expect("pooled connection");
                                    let user = User::find(&mut conn, &cache, &id).await.unwrap();
                                    assert!(user.is_some());
                                }
                            })
                        })
                        .collect();
                    for task in tasks {
                        task.await.expect("a find task");
                    }
                });
                started.elapsed()
            })
        });
    }

    // The blocking front: N threads, each with its own PostgreSQL connection, sharing one
    // `Cache`; 256 finds per iteration spread evenly over them.
    for threads in [8usize, 16] {
        let mut conns: Vec<PgConnection> = (0..threads).map(|_| postgres()).collect();
        group.bench_function(format!("blocking_{threads}_threads"), |b| {
            b.iter_custom(|n| {
                let started = Instant::now();
                std::thread::scope(|scope| {
                    for (t, conn) in conns.iter_mut().enumerate() {
                        let cache = &cache;
                        let ids = &ids;
                        scope.spawn(move || {
                            use write_through::blocking::ModelOps as _;
                            let mine = (CONCURRENT / threads) as u64;
                            for i in 0..n * mine {
                                let id = ids[(t + i as usize * threads) % ids.len()];
                                let user = User::find(conn, cache, &id).unwrap();
                                assert!(user.is_some());
                            }
                        });
                    }
                });
                started.elapsed()
            })
        });
    }
    group.finish();
    drop(rt);
    invalidate_all(&cache, &ids);
}

/// 3. find_many(100), cold and warm, async and blocking, on one Redis and on a cluster.
fn topology(c: &mut Criterion) {
    let urls = std::env::var("WT_BENCH_CLUSTER_URLS").ok();
    let mut caches = vec![("standalone", Arc::new(cache()))];
    if let Some(urls) = &urls {
        let urls: Vec<&str> = urls.split(',').collect();
        let cluster = Cache::cluster_builder(&urls)
            .namespace(NAMESPACE)
            .build()
            .expect("cluster");
        caches.push(("cluster", Arc::new(cluster)));
    }
    let rt = runtime();
    let mut conn = rt
        .block_on(AsyncPgConnection::establish(&pg_url()))
        .expect("PostgreSQL");
    let mut blocking_conn = postgres();
    for (name, cache) in caches {
        let ids = seed(&cache);
        let mut group = c.benchmark_group(format!("async_topology/{name}"));
        group.bench_function("find_many_100_cold/async", |b| {
            use write_through::asynch::prelude::*;
            b.iter_custom(|n| {
                let mut timed = Duration::ZERO;
                for _ in 0..n {
                    invalidate_all(&cache, &ids);
                    let started = Instant::now();
                    let rows = rt
                        .block_on(User::find_many(&mut conn, &cache, &ids))
                        .unwrap();
                    timed += started.elapsed();
                    assert!(rows.iter().all(Option::is_some));
                }
                timed
            })
        });
        group.bench_function("find_many_100_cold/blocking", |b| {
            use write_through::blocking::ModelOps as _;
            b.iter_custom(|n| {
                let mut timed = Duration::ZERO;
                for _ in 0..n {
                    invalidate_all(&cache, &ids);
                    let started = Instant::now();
                    let rows = User::find_many(&mut blocking_conn, &cache, &ids).unwrap();
                    timed += started.elapsed();
                    assert!(rows.iter().all(Option::is_some));
                }
                timed
            })
        });
        group.bench_function("find_many_100_warm/async", |b| {
            use write_through::asynch::prelude::*;
            b.iter_custom(|n| {
                timed(&rt, n, async || {
                    User::find_many(&mut conn, &cache, &ids).await.unwrap()
                })
            })
        });
        group.bench_function("find_many_100_warm/blocking", |b| {
            use write_through::blocking::ModelOps as _;
            b.iter(|| User::find_many(&mut blocking_conn, &cache, &ids).unwrap())
        });
        group.finish();
        invalidate_all(&cache, &ids);
    }
}

/// What reading a write statement to its end costs `save` (issue 19): the upsert that
/// `save` sends, read to its first row (`get_result`, what the async front did, which missed
/// a commit refused after the row) and to its end (`get_results`, what it does now), paired
/// in one loop; beside the library's whole async `save`. The fix costs `save` the difference
/// of the first two.
fn save_statement(c: &mut Criterion) {
    use write_through::asynch::prelude::*;
    use write_through_benches::wt_bench_users;
    let cache = cache();
    seed(&cache);
    let rt = runtime();
    let mut conn = rt
        .block_on(AsyncPgConnection::establish(&pg_url()))
        .expect("PostgreSQL");
    let row = User::sample(HOT);
    let upsert = || {
        diesel::insert_into(wt_bench_users::table)
            .values(&row)
            .on_conflict(wt_bench_users::id)
            .do_update()
            .set(&row)
            .returning(User::as_returning())
    };
    let mut group = c.benchmark_group("async_save_statement");
    group.bench_function("save", |b| {
        b.iter_custom(|n| timed(&rt, n, async || row.save(&mut conn, &cache).await.unwrap()))
    });
    let mut pairs: Vec<(Duration, Duration)> = Vec::new();
    group.bench_function("paired/upsert_read_to_its_end", |b| {
        b.iter_custom(|n| {
            let (to_end, first_row) = rt.block_on(async {
                let (mut to_end, mut first_row) = (Duration::ZERO, Duration::ZERO);
                for _ in 0..n {
                    let started = Instant::now();
                    let rows: Vec<User> =
                        diesel_async::RunQueryDsl::get_results(upsert(), &mut conn)
                            .await
                            .unwrap();
                    to_end += started.elapsed();
                    let started = Instant::now();
                    let one: User = diesel_async::RunQueryDsl::get_result(upsert(), &mut conn)
                        .await
                        .unwrap();
                    first_row += started.elapsed();
                    std::hint::black_box((rows, one));
                }
                (to_end, first_row)
            });
            pairs.push((to_end, first_row));
            to_end
        })
    });
    group.finish();
    let (to_end, first_row) = pairs
        .iter()
        .fold((Duration::ZERO, Duration::ZERO), |(e, f), (a, b)| {
            (e + *a, f + *b)
        });
    let mut ratios: Vec<f64> = pairs
        .iter()
        .map(|(to_end, first)| to_end.as_secs_f64() / first.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    eprintln!(
        "async_save_statement/paired: to its end / first row = {:.3} (median of {} samples), {:.3} (all samples)",
        ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN),
        ratios.len(),
        to_end.as_secs_f64() / first_row.as_secs_f64(),
    );
    cache.invalidate::<User>(&HOT).expect("invalidate");
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = find_hit, concurrent_hits, topology, save_statement
}
criterion_main!(benches);
