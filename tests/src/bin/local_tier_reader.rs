//! One reader process of the cross-process invalidation test (`tests/local_tier_processes.rs`):
//! threads that read a few hot tags through the in-process tier as fast as they can, and report
//! for each value they saw when they first and last began a read that returned it.
//!
//! `local_tier_reader <namespace> <names> <keys> <threads> <milliseconds>`. Prints `ready` once
//! its tier is live, then, after the time given, one line `seen <key> <value> <first µs> <last
//! µs>` per thread, key and value (wall-clock microseconds, comparable across processes), and
//! its stats on stderr.

use std::time::{Duration, Instant};

use write_through::Cache;
use write_through::blocking::ModelOps as _;
use write_through_tests::history::wall_clock;
use write_through_tests::models::Tag;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [namespace, names, keys, threads, millis] = args.as_slice() else {
        eprintln!("usage: local_tier_reader <namespace> <names> <keys> <threads> <milliseconds>");
        std::process::exit(2);
    };
    let number = |text: &str| text.parse::<u64>().expect("a number");
    let (keys, threads) = (number(keys) as usize, number(threads) as usize);
    let run_for = Duration::from_millis(number(millis));
    let cache = Cache::builder(&write_through_tests::redis_url())
        .namespace(namespace)
        .local::<Tag>(Duration::from_secs(5))
        .build()
        .expect("cache");
    let mut conn = write_through_tests::postgres().expect("PostgreSQL");
    let name = |key: usize| format!("{names}-{key}");
    Tag::find(&mut conn, &cache, &name(0)).expect("a first read");
    let live = Instant::now();
    while !cache.local_tier_is_live() {
        assert!(
            live.elapsed() < Duration::from_secs(5),
            "the tier never went live"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    println!("ready");
    let start = Instant::now();
    let seen: Vec<Vec<(usize, i32, u128, u128)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (cache, name) = (&cache, &name);
                scope.spawn(move || {
                    let mut conn = write_through_tests::postgres().expect("PostgreSQL");
                    // Per key: the value being seen, when it was first and last read.
                    let mut current: Vec<Option<(i32, u128, u128)>> = vec![None; keys];
                    let mut seen = Vec::new();
                    while start.elapsed() < run_for {
                        for (key, current) in current.iter_mut().enumerate() {
                            let began = wall_clock().as_micros();
                            let Ok(Some(tag)) = Tag::find(&mut conn, cache, &name(key)) else {
                                continue;
                            };
                            match current {
                                Some((value, _, last)) if *value == tag.uses => *last = began,
                                _ => {
                                    if let Some((value, first, last)) = current.take() {
                                        seen.push((key, value, first, last));
                                    }
                                    *current = Some((tag.uses, began, began));
                                }
                            }
                        }
                    }
                    for (key, current) in current.into_iter().enumerate() {
                        if let Some((value, first, last)) = current {
                            seen.push((key, value, first, last));
                        }
                    }
                    seen
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    for (key, value, first, last) in seen.into_iter().flatten() {
        println!("seen {key} {value} {first} {last}");
    }
    eprintln!("{:?}", cache.stats());
}
