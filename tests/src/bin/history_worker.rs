//! One process of the multi-process history test: runs the random workload against the shared
//! PostgreSQL and Redis and prints its history, one event per line, for the test to merge.
//!
//! `history_worker <namespace> <names> <process> <seed> <threads> <ops> <keys> [blocking|async]`,
//! with `WT_CLUSTER_URLS` for a Redis Cluster. The last argument is the front the library is
//! driven through (default `blocking`; `async`: diesel-async connections, a runtime a thread).

use write_through::Cache;
use write_through_tests::history::{self, AsyncBackend, LibraryFront, Subject, Workload};

fn usage() -> ! {
    eprintln!(
        "usage: history_worker <namespace> <names> <process> <seed> <threads> <ops> <keys> [blocking|async]"
    );
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (positional, front) = match args.as_slice() {
        [positional @ .., front] if args.len() == 8 => (positional, front.as_str()),
        positional => (positional, "blocking"),
    };
    let [namespace, names, process, seed, threads, ops, keys] = positional else {
        usage();
    };
    let front = match front {
        "blocking" => LibraryFront::Blocking,
        "async" => LibraryFront::Async(AsyncBackend::Postgres),
        _ => usage(),
    };
    let number = |text: &str| text.parse::<u64>().expect("a number");
    let process = number(process);
    let workload = Workload {
        seed: number(seed) ^ process.wrapping_mul(0x9E37_79B9),
        threads: number(threads) as usize,
        ops_per_thread: number(ops) as usize,
        keys: number(keys) as usize,
        at_least: std::time::Duration::ZERO,
        first_value: 1 + 10_000_000 * process as i32,
        by_email: false,
    };
    // WT_CLUSTER_URLS (comma-separated) points the worker at a Redis Cluster.
    let builder = match std::env::var("WT_CLUSTER_URLS") {
        Ok(urls) => Cache::cluster_builder(&urls.split(',').collect::<Vec<_>>()),
        Err(_) => Cache::builder(&write_through_tests::redis_url()),
    };
    let cache = builder.namespace(namespace).build().expect("cache");
    let outcome = history::run(workload, &Subject::library(cache, front), names, || {
        write_through_tests::postgres().expect("PostgreSQL")
    });
    for event in &outcome.events {
        println!("{}", history::to_line(event));
    }
    eprintln!(
        "process {process}: {} operations, {} failed",
        outcome.events.len(),
        outcome.failed
    );
}
