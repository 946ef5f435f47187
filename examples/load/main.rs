//! A load program: N threads, a read/write mix over Zipf-distributed keys, run against the
//! database alone, through the cache, and through the cache with its in-process tier on
//! (`CacheBuilder::local`). Prints throughput, p50/p99 latency and database queries per second
//! for each, and the reduction in database queries.
//!
//! ```text
//! cargo run --release --bin load --features postgres -- --threads 4 --seconds 10 --keys 10000 --writes 5 --zipf 1.0
//! ```
//!
//! PostgreSQL at `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`), Redis at
//! `REDIS_URL` (default `redis://127.0.0.1:6379`).

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::DieselOps;
use write_through::prelude::*;

diesel::table! {
    load_items (id) {
        id -> BigInt,
        name -> Text,
        counter -> BigInt,
    }
}

#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
    Debug,
    Clone,
)]
#[diesel(table_name = load_items)]
#[write_through(key = "item:{id}", ttl = "10m")]
pub struct Item {
    pub id: i64,
    pub name: String,
    pub counter: i64,
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    threads: usize,
    seconds: u64,
    keys: usize,
    write_percent: u64,
    zipf: f64,
}

fn settings() -> Result<Settings, String> {
    let mut settings = Settings {
        threads: 4,
        seconds: 10,
        keys: 10_000,
        write_percent: 5,
        zipf: 1.0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |_| format!("{flag}: cannot read {value:?}");
        match flag.as_str() {
            "--threads" => settings.threads = value.parse().map_err(bad)?,
            "--seconds" => settings.seconds = value.parse().map_err(bad)?,
            "--keys" => settings.keys = value.parse().map_err(bad)?,
            "--writes" => settings.write_percent = value.parse().map_err(bad)?,
            "--zipf" => {
                settings.zipf = value
                    .parse()
                    .map_err(|_| format!("{flag}: cannot read {value:?}"))?
            }
            _ => {
                return Err(format!(
                    "unknown flag {flag}; use --threads, --seconds, --keys, --writes, --zipf"
                ));
            }
        }
    }
    if settings.threads == 0 || settings.keys == 0 || settings.write_percent > 100 {
        return Err("--threads and --keys must be positive, --writes at most 100".into());
    }
    Ok(settings)
}

/// Zipf-distributed key indexes: key k (from 0) has weight 1 / (k + 1)^s.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(keys: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=keys)
            .map(|k| {
                total += 1.0 / (k as f64).powf(s);
                total
            })
            .collect::<Vec<_>>();
        Self {
            cumulative: cumulative.into_iter().map(|c| c / total).collect(),
        }
    }

    fn sample(&self, uniform: f64) -> usize {
        self.cumulative
            .partition_point(|&c| c < uniform)
            .min(self.cumulative.len() - 1)
    }
}

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct QueryCounter(Arc<AtomicU64>);

impl Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

struct Report {
    operations: usize,
    latencies_us: Vec<u32>,
    queries: u64,
    elapsed: Duration,
}

fn run(settings: Settings, url: &str, cache: Option<&Cache>) -> Result<Report, String> {
    let zipf = Arc::new(Zipf::new(settings.keys, settings.zipf));
    let queries = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(settings.seconds);
    let per_thread: Vec<Result<Vec<u32>, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..settings.threads)
            .map(|thread| {
                let (zipf, queries) = (zipf.clone(), queries.clone());
                scope.spawn(move || -> Result<Vec<u32>, String> {
                    let mut conn = PgConnection::establish(url).map_err(|e| e.to_string())?;
                    conn.set_instrumentation(QueryCounter(queries));
                    let mut rng = Rng(0xC0FFEE ^ thread as u64);
                    let mut latencies = Vec::with_capacity(1 << 16);
                    while Instant::now() < deadline {
                        let id = zipf.sample(rng.uniform()) as i64 + 1;
                        let write = rng.next() % 100 < settings.write_percent;
                        let op_started = Instant::now();
                        let item = Item {
                            id,
                            name: format!("item {id}"),
                            counter: rng.next() as i64,
                        };
                        match (cache, write) {
                            (Some(cache), true) => item.save(&mut conn, cache).map(drop),
                            (Some(cache), false) => Item::find(&mut conn, cache, &id).map(drop),
                            (None, true) => {
                                <Item as DieselOps<diesel::pg::Pg>>::upsert(&item, &mut conn)
                                    .map(drop)
                            }
                            (None, false) => {
                                <Item as DieselOps<diesel::pg::Pg>>::load(&mut conn, &id)
                                    .map(drop)
                                    .map_err(Error::from)
                            }
                        }
                        .map_err(|e| e.to_string())?;
                        latencies
                            .push(op_started.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    }
                    Ok(latencies)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    let mut latencies_us = Vec::new();
    for result in per_thread {
        latencies_us.extend(result?);
    }
    latencies_us.sort_unstable();
    Ok(Report {
        operations: latencies_us.len(),
        latencies_us,
        queries: queries.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
    })
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn seed(url: &str, keys: usize) -> Result<(), String> {
    let mut conn = PgConnection::establish(url).map_err(|e| e.to_string())?;
    conn.batch_execute(
        "CREATE TABLE IF NOT EXISTS load_items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, counter BIGINT NOT NULL)",
    )
    .map_err(|e| e.to_string())?;
    let items: Vec<Item> = (1..=keys as i64)
        .map(|id| Item {
            id,
            name: format!("item {id}"),
            counter: 0,
        })
        .collect();
    for chunk in items.chunks(1000) {
        diesel::insert_into(load_items::table)
            .values(chunk)
            .on_conflict_do_nothing()
            .execute(&mut conn)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Waits until `cache`'s in-process tier is live (its subscriber starts on the first find).
fn live(url: &str, cache: &Cache) -> Result<(), String> {
    let mut conn = PgConnection::establish(url).map_err(|e| e.to_string())?;
    Item::find(&mut conn, cache, &1).map_err(|e| e.to_string())?;
    let start = Instant::now();
    while !cache.local_tier_is_live() {
        if start.elapsed() > Duration::from_secs(5) {
            return Err("the in-process tier did not go live".into());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

/// Deletes what the run cached, so that the shared Redis is left as it was.
fn remove_keys(redis_url: &str, namespace: &str) -> Result<(), String> {
    let mut conn = redis::Client::open(redis_url)
        .and_then(|c| c.get_connection())
        .map_err(|e| e.to_string())?;
    let keys: Vec<Vec<u8>> = redis::cmd("KEYS")
        .arg(format!("{namespace}:*"))
        .query(&mut conn)
        .map_err(|e| e.to_string())?;
    for chunk in keys.chunks(500) {
        redis::cmd("DEL")
            .arg(chunk)
            .query::<()>(&mut conn)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let settings = match settings() {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("load: {message}");
            return ExitCode::FAILURE;
        }
    };
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let outcome = (|| -> Result<(), String> {
        let cache = Cache::builder(&redis_url)
            .namespace("wt-load")
            .build()
            .map_err(|e| e.to_string())?;
        cache
            .ping()
            .map_err(|e| format!("Redis is not reachable: {e}"))?;
        seed(&url, settings.keys)?;
        println!(
            "{} threads, {} s each run, {} keys (Zipf s = {}), {}% writes, PostgreSQL + Redis on this machine",
            settings.threads,
            settings.seconds,
            settings.keys,
            settings.zipf,
            settings.write_percent
        );
        let without = run(settings, &url, None)?;
        let with = run(settings, &url, Some(&cache))?;
        remove_keys(&redis_url, cache.namespace())?;
        // The same, with the rows in the in-process tier for up to 5 s (coherent with the
        // writes of every thread: they share the cache).
        let local = Cache::builder(&redis_url)
            .namespace("wt-load")
            .local::<Item>(Duration::from_secs(5))
            .build()
            .map_err(|e| e.to_string())?;
        live(&url, &local)?;
        let with_local = run(settings, &url, Some(&local))?;
        println!(
            "{:<22}{:>12}{:>10}{:>10}{:>16}",
            "", "ops/s", "p50 µs", "p99 µs", "db queries/s"
        );
        for (name, report) in [
            ("database alone", &without),
            ("write_through", &with),
            ("write_through + local", &with_local),
        ] {
            let seconds = report.elapsed.as_secs_f64();
            println!(
                "{:<22}{:>12.0}{:>10}{:>10}{:>16.0}",
                name,
                report.operations as f64 / seconds,
                percentile(&report.latencies_us, 0.50),
                percentile(&report.latencies_us, 0.99),
                report.queries as f64 / seconds
            );
        }
        remove_keys(&redis_url, cache.namespace())?;
        let per_op = |r: &Report| r.queries as f64 / r.operations.max(1) as f64;
        println!(
            "database queries per operation: {:.3} -> {:.3} ({:.1}% fewer); cache stats: {:?}",
            per_op(&without),
            per_op(&with),
            100.0 * (1.0 - per_op(&with) / per_op(&without)),
            cache.stats()
        );
        println!(
            "with the in-process tier: {:.3} database queries per operation; cache stats: {:?}",
            per_op(&with_local),
            local.stats()
        );
        Ok(())
    })();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("load: {message}");
            ExitCode::FAILURE
        }
    }
}
