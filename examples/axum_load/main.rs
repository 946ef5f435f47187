//! A load generator for `axum_service`: N concurrent HTTP clients, a read/write mix (GET and
//! PUT `/users/{id}`) over Zipf-distributed keys, for a fixed time. Prints throughput, p50/p99
//! latency, and the database statements per second the service sent (its `GET /stats`), with
//! PostgreSQL's own count of committed transactions beside it.
//!
//! ```text
//! cargo run --release -p write_through_examples --bin axum_service --features axum-service &
//! cargo run --release -p write_through_examples --bin axum_load --features axum-service -- \
//!     --clients 256 --seconds 20 --keys 10000 --writes 5 --zipf 1.0
//! ```
//!
//! `--slow-clients N --slow-ms M` adds N clients that each call `GET /slow/M` in a loop (a
//! query holding a pooled connection for M ms), beside the others, whose GET and PUT latencies
//! are then printed apart: with the cache a hit takes no connection, so GETs should not wait.
//!
//! Before the run it upserts the rows it uses (ids 1 000 000 001 to 1 000 000 000 + keys),
//! after it deletes them with `--cleanup`. `--url` (default `http://127.0.0.1:3000`);
//! `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`) for `pg_stat_database`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

const ID_BASE: i64 = 1_000_000_000;

#[derive(Debug, Clone)]
struct Settings {
    url: String,
    clients: usize,
    seconds: u64,
    keys: usize,
    write_percent: u64,
    zipf: f64,
    cleanup: bool,
    seed: bool,
    slow_clients: usize,
    slow_ms: u32,
}

fn settings() -> Result<Settings, String> {
    let mut settings = Settings {
        url: "http://127.0.0.1:3000".into(),
        clients: 256,
        seconds: 20,
        keys: 10_000,
        write_percent: 5,
        zipf: 1.0,
        cleanup: false,
        seed: true,
        slow_clients: 0,
        slow_ms: 200,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--cleanup" => {
                settings.cleanup = true;
                continue;
            }
            "--no-seed" => {
                settings.seed = false;
                continue;
            }
            _ => {}
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = || format!("{flag}: cannot read {value:?}");
        match flag.as_str() {
            "--url" => settings.url = value.trim_end_matches('/').to_owned(),
            "--clients" => settings.clients = value.parse().map_err(|_| bad())?,
            "--seconds" => settings.seconds = value.parse().map_err(|_| bad())?,
            "--keys" => settings.keys = value.parse().map_err(|_| bad())?,
            "--writes" => settings.write_percent = value.parse().map_err(|_| bad())?,
            "--zipf" => settings.zipf = value.parse().map_err(|_| bad())?,
            "--slow-clients" => settings.slow_clients = value.parse().map_err(|_| bad())?,
            "--slow-ms" => settings.slow_ms = value.parse().map_err(|_| bad())?,
            _ => {
                return Err(format!(
                    "unknown flag {flag}; use --url, --clients, --seconds, --keys, --writes, \
                     --zipf, --slow-clients, --slow-ms, --no-seed, --cleanup"
                ));
            }
        }
    }
    if settings.clients == 0 || settings.keys == 0 || settings.write_percent > 100 {
        return Err("--clients and --keys must be positive, --writes at most 100".into());
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

async fn send(
    client: &HttpClient,
    method: Method,
    url: String,
    body: Option<String>,
) -> Result<(StatusCode, Bytes), String> {
    let mut request = Request::builder().method(method).uri(url);
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let request = request
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .map_err(|e| e.to_string())?;
    let response = client.request(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, bytes))
}

fn user_body(key: usize, version: u64) -> String {
    format!(r#"{{"email":"load{key}@example.com","name":"v{version}"}}"#)
}

async fn stats(client: &HttpClient, base: &str) -> Result<serde_json::Value, String> {
    let (status, body) = send(client, Method::GET, format!("{base}/stats"), None).await?;
    if status != StatusCode::OK {
        return Err(format!("GET /stats: {status}"));
    }
    serde_json::from_slice(&body).map_err(|e| e.to_string())
}

#[derive(QueryableByName)]
struct PgStat {
    #[diesel(sql_type = BigInt)]
    xact_commit: i64,
    #[diesel(sql_type = BigInt)]
    tup_returned: i64,
}

async fn pg_stat(conn: &mut AsyncPgConnection) -> Option<(i64, i64)> {
    // Counters are flushed by each backend at most once a second: read after a pause.
    diesel::sql_query(
        "SELECT xact_commit, tup_returned FROM pg_stat_database WHERE datname = current_database()",
    )
    .get_result::<PgStat>(conn)
    .await
    .ok()
    .map(|s| (s.xact_commit, s.tup_returned))
}

/// Runs `count` jobs, `width` at a time.
async fn in_parallel<F, Fut>(count: usize, width: usize, job: F) -> Result<(), String>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    let job = Arc::new(job);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::<Result<(), String>>::new();
    for _ in 0..width {
        let job = job.clone();
        let next = next.clone();
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= count {
                    return Ok(());
                }
                job(i).await?;
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|e| e.to_string())??;
    }
    Ok(())
}

struct ClientReport {
    latencies_us: Vec<u32>,
    /// Each request's latency, read (`GET`) or not.
    kinds: Vec<bool>,
    reads: u64,
    writes: u64,
    errors: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match settings() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("axum_load: {error}");
            return ExitCode::FAILURE;
        }
    };
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(settings.clients)
        .build_http();
    let base = settings.url.clone();
    let before = match stats(&client, &base).await {
        Ok(stats) => stats,
        Err(error) => {
            eprintln!(
                "axum_load: the service does not answer at {base} ({error}); start it with \
                 `cargo run --release -p write_through_examples --bin axum_service --features axum-service`"
            );
            return ExitCode::FAILURE;
        }
    };
    let mode = before["mode"].as_str().unwrap_or("?").to_owned();

    if settings.seed {
        let started = Instant::now();
        let (c, b) = (client.clone(), base.clone());
        let seeded = in_parallel(settings.keys, 64, move |k| {
            let (c, b) = (c.clone(), b.clone());
            async move {
                let url = format!("{b}/users/{}", ID_BASE + 1 + k as i64);
                match send(&c, Method::PUT, url, Some(user_body(k, 0))).await? {
                    (StatusCode::OK, _) => Ok(()),
                    (status, body) => Err(format!(
                        "seeding: PUT answered {status}: {}",
                        String::from_utf8_lossy(&body)
                    )),
                }
            }
        })
        .await;
        if let Err(error) = seeded {
            eprintln!("axum_load: {error}");
            return ExitCode::FAILURE;
        }
        eprintln!(
            "axum_load: upserted {} rows in {:.1?}",
            settings.keys,
            started.elapsed()
        );
    }

    let database_url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut pg = AsyncPgConnection::establish(&database_url).await.ok();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let pg_before = match pg.as_mut() {
        Some(conn) => pg_stat(conn).await,
        None => None,
    };
    let before = stats(&client, &base).await.unwrap_or(before);

    let zipf = Arc::new(Zipf::new(settings.keys, settings.zipf));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(settings.seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for client_index in 0..settings.clients {
        let (client, base, zipf) = (client.clone(), base.clone(), zipf.clone());
        let write_percent = settings.write_percent;
        tasks.spawn(async move {
            let mut rng = Rng(0x5EED_0000 + client_index as u64);
            let mut report = ClientReport {
                latencies_us: Vec::with_capacity(4096),
                kinds: Vec::with_capacity(4096),
                reads: 0,
                writes: 0,
                errors: 0,
            };
            let mut version = 0;
            while Instant::now() < deadline {
                let key = zipf.sample(rng.uniform());
                let url = format!("{base}/users/{}", ID_BASE + 1 + key as i64);
                let write = rng.next() % 100 < write_percent;
                let began = Instant::now();
                let outcome = if write {
                    version += 1;
                    let body = user_body(key, ((client_index as u64) << 32) | version);
                    send(&client, Method::PUT, url, Some(body)).await
                } else {
                    send(&client, Method::GET, url, None).await
                };
                let micros = began.elapsed().as_micros().min(u32::MAX as u128) as u32;
                match outcome {
                    Ok((StatusCode::OK, _)) => {
                        report.latencies_us.push(micros);
                        report.kinds.push(!write);
                        if write {
                            report.writes += 1;
                        } else {
                            report.reads += 1;
                        }
                    }
                    _ => report.errors += 1,
                }
            }
            report
        });
    }
    // The slow clients: each holds a pooled connection for `slow_ms`, again and again.
    let mut slow_tasks = tokio::task::JoinSet::new();
    for _ in 0..settings.slow_clients {
        let (client, url) = (client.clone(), format!("{base}/slow/{}", settings.slow_ms));
        slow_tasks.spawn(async move {
            let (mut done, mut failed) = (0u64, 0u64);
            while Instant::now() < deadline {
                match send(&client, Method::GET, url.clone(), None).await {
                    Ok((StatusCode::OK, _)) => done += 1,
                    _ => failed += 1,
                }
            }
            (done, failed)
        });
    }
    let mut latencies = Vec::new();
    let (mut read_latencies, mut write_latencies) = (Vec::new(), Vec::new());
    let (mut reads, mut writes, mut errors) = (0, 0, 0);
    while let Some(joined) = tasks.join_next().await {
        let report = joined.expect("a client task");
        for (&micros, &read) in report.latencies_us.iter().zip(&report.kinds) {
            if read {
                read_latencies.push(micros);
            } else {
                write_latencies.push(micros);
            }
        }
        latencies.extend(report.latencies_us);
        reads += report.reads;
        writes += report.writes;
        errors += report.errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let after = stats(&client, &base).await.unwrap_or_default();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let pg_after = match pg.as_mut() {
        Some(conn) => pg_stat(conn).await,
        None => None,
    };

    let (mut slow_done, mut slow_failed) = (0, 0);
    while let Some(joined) = slow_tasks.join_next().await {
        let (done, failed) = joined.expect("a slow client task");
        slow_done += done;
        slow_failed += failed;
    }
    latencies.sort_unstable();
    read_latencies.sort_unstable();
    write_latencies.sort_unstable();
    let percentile_of = |latencies: &[u32], p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index] as f64 / 1000.0
    };
    let percentile = |p: f64| percentile_of(&latencies, p);
    let delta = |name: &str| {
        after[name]
            .as_u64()
            .unwrap_or(0)
            .saturating_sub(before[name].as_u64().unwrap_or(0))
    };
    let operations = reads + writes;
    println!(
        "mode {mode}: {} clients, {:.1} s, {} keys, zipf {}, {}% writes",
        settings.clients, elapsed, settings.keys, settings.zipf, settings.write_percent
    );
    println!(
        "  {operations} requests ({reads} GET, {writes} PUT, {errors} failed): {:.0} req/s",
        operations as f64 / elapsed
    );
    println!(
        "  latency p50 {:.2} ms, p99 {:.2} ms (GET p50 {:.2} ms, p99 {:.2} ms; PUT p50 {:.2} ms, p99 {:.2} ms)",
        percentile(0.50),
        percentile(0.99),
        percentile_of(&read_latencies, 0.50),
        percentile_of(&read_latencies, 0.99),
        percentile_of(&write_latencies, 0.50),
        percentile_of(&write_latencies, 0.99),
    );
    println!(
        "  GET p90 {:.2} ms, p95 {:.2} ms, p99.9 {:.2} ms",
        percentile_of(&read_latencies, 0.90),
        percentile_of(&read_latencies, 0.95),
        percentile_of(&read_latencies, 0.999),
    );
    if settings.slow_clients > 0 {
        println!(
            "  slow requests ({} clients, {} ms each): {slow_done} done, {slow_failed} failed",
            settings.slow_clients, settings.slow_ms
        );
    }
    println!(
        "  database statements sent by the service: {} ({:.0}/s)",
        delta("db_statements"),
        delta("db_statements") as f64 / elapsed
    );
    if mode == "cache" {
        println!(
            "  cache: {} hits, {} misses, {} fills, {} publishes, {} errors; hit rate {:.1}%",
            delta("hits"),
            delta("misses"),
            delta("fills"),
            delta("publishes"),
            delta("cache_errors"),
            100.0 * delta("hits") as f64 / (delta("hits") + delta("misses")).max(1) as f64
        );
    }
    if let (Some((x0, t0)), Some((x1, t1))) = (pg_before, pg_after) {
        println!(
            "  PostgreSQL (pg_stat_database, whole database): {:.0} commits/s, {:.0} tuples returned/s",
            (x1 - x0) as f64 / elapsed,
            (t1 - t0) as f64 / elapsed
        );
    }

    if settings.cleanup {
        let (c, b) = (client.clone(), base.clone());
        let cleaned = in_parallel(settings.keys, 64, move |k| {
            let (c, b) = (c.clone(), b.clone());
            async move {
                let url = format!("{b}/users/{}", ID_BASE + 1 + k as i64);
                send(&c, Method::DELETE, url, None).await.map(drop)
            }
        })
        .await;
        if let Err(error) = cleaned {
            eprintln!("axum_load: cleanup: {error}");
            return ExitCode::FAILURE;
        }
        eprintln!("axum_load: deleted the {} rows", settings.keys);
    }
    if errors > 0 {
        eprintln!("axum_load: {errors} requests failed");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
