//! A JSON service of users on axum, diesel-async (PostgreSQL) with a deadpool pool, and
//! write_through's async front:
//!
//! ```text
//! cargo run -p write_through_examples --bin axum_service --features axum-service
//! curl -si -X POST localhost:3000/users -H 'content-type: application/json' \
//!      -d '{"email":"ada@example.com","name":"Ada"}'
//! curl -si localhost:3000/users/1
//! ```
//!
//! `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`), `REDIS_URL` (default
//! `redis://127.0.0.1:6379`), `BIND` (default `127.0.0.1:3000`), `POOL_SIZE` (database
//! connections, default 16), `CACHE_NAMESPACE` (the Redis key prefix, default `wt`).
//! `NO_CACHE=1` serves every request from the database alone, for comparison.
//! `LOCAL_TIER_MS=5000` keeps users in each process's in-process tier for that long (a hit
//! then touches neither Redis nor the pool). `MARK_WRITES_FOR_FEED=1` marks the service's writes in the log for a change feed running as
//! a sidecar (`examples/feed_sidecar`), which then leaves what they published in place. Ctrl-C
//! (or SIGTERM) stops accepting connections and lets the requests in flight finish.

mod app;

use std::process::ExitCode;

use write_through::Cache;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    let database_url = env_or("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test");
    let redis_url = env_or("REDIS_URL", "redis://127.0.0.1:6379");
    let bind = env_or("BIND", "127.0.0.1:3000");
    let flag = |name: &str| std::env::var(name).is_ok_and(|v| v == "1" || v == "true");
    let no_cache = flag("NO_CACHE");
    let mark_writes = flag("MARK_WRITES_FOR_FEED");
    let local_tier = match std::env::var("LOCAL_TIER_MS").map(|ms| ms.parse::<u64>()) {
        Err(_) => None,
        Ok(Ok(ms)) if ms > 0 => Some(std::time::Duration::from_millis(ms)),
        Ok(_) => {
            eprintln!("axum_service: LOCAL_TIER_MS must be a positive number of milliseconds");
            return ExitCode::FAILURE;
        }
    };
    let pool_size = match env_or("POOL_SIZE", "16").parse::<usize>() {
        Ok(n) if n > 0 => n,
        _ => {
            eprintln!("axum_service: POOL_SIZE must be a positive number");
            return ExitCode::FAILURE;
        }
    };

    let cache = if no_cache {
        None
    } else {
        let namespace = env_or("CACHE_NAMESPACE", "wt");
        // Connects lazily: a Redis that is down fails requests (503), not the start.
        let mut builder = Cache::builder(&redis_url)
            .namespace(&namespace)
            .mark_writes_for_feed(mark_writes);
        if let Some(ttl) = local_tier {
            builder = builder.local::<app::User>(ttl);
        }
        match builder.build() {
            Ok(cache) => Some(cache),
            Err(error) => {
                eprintln!("axum_service: REDIS_URL: {error}");
                return ExitCode::FAILURE;
            }
        }
    };
    let state = match app::AppState::connect(&database_url, pool_size, cache).await {
        Ok(state) => state,
        Err(error) => {
            eprintln!("axum_service: {error} (set DATABASE_URL)");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(&bind).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("axum_service: cannot listen on {bind}: {error} (set BIND)");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "axum_service: listening on http://{} ({}, {pool_size} database connections)",
        listener
            .local_addr()
            .map_or(bind.clone(), |a| a.to_string()),
        if no_cache {
            "NO_CACHE: database only"
        } else {
            "through the cache"
        }
    );
    let served = axum::serve(listener, app::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    match served {
        Ok(()) => {
            eprintln!("axum_service: stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("axum_service: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    eprintln!("axum_service: shutting down, finishing the requests in flight");
}
