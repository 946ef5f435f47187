//! The axum example end to end: the service's router (examples/axum_service/app.rs, compiled
//! in) served on a free loopback port, driven over real HTTP with hyper's client.
//!
//! PostgreSQL at `DATABASE_URL_PG` (else `DATABASE_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`), Redis at `REDIS_URL` (default
//! `redis://127.0.0.1:6379`). When either does not answer the test says it is skipped and
//! returns (and appends a line to `WT_SKIPPED_LOG`, as the suites do); under `CI=true` it fails.
//! It uses a Redis namespace of its own and deletes its keys and rows at the end, pass or fail.

#[path = "../axum_service/app.rs"]
#[allow(dead_code)]
mod app;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use write_through::Cache;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Skipped outside CI, failed under it.
fn skip(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why}; under CI every service must be up");
    }
    // Past libtest's capture (which takes `eprintln!` only), so that a skip shows in a
    // green run.
    let _ = std::io::stderr().write_all(
        format!("\n!!!!! {why} !!!!!\nthe_service_over_http: SKIPPED, NOT PASSED\n").as_bytes(),
    );
    if let Ok(path) = std::env::var("WT_SKIPPED_LOG") {
        let test = std::thread::current()
            .name()
            .unwrap_or("axum_service")
            .to_owned();
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            // One line per skipped test, as `scripts/test` counts them (libpq's message spans
            // lines).
            let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
            let _ = file.write_all(format!("axum_service::{test}: {why}\n").as_bytes());
        }
    }
}

struct Http {
    client: HttpClient,
    base: String,
}

impl Http {
    /// One request; the status and the JSON body (`Null` when empty).
    async fn call(&self, method: Method, path: &str, body: Option<&str>) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(format!("{}{path}", self.base));
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or("").to_owned())))
            .expect("a valid request");
        let response = self
            .client
            .request(request)
            .await
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a response body")
            .to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                panic!(
                    "{method} {path}: not JSON ({error}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        (status, value)
    }

    async fn json(&self, method: Method, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(method, path, Some(&body.to_string())).await
    }

    async fn stats(&self) -> Value {
        let (status, stats) = self.call(Method::GET, "/stats", None).await;
        assert_eq!(status, StatusCode::OK);
        stats
    }
}

fn counter(stats: &Value, name: &str) -> u64 {
    stats[name]
        .as_u64()
        .unwrap_or_else(|| panic!("no counter {name} in {stats}"))
}

#[test]
fn the_service_over_http() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let database_url = std::env::var("DATABASE_URL_PG")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());

    let redis = match redis::Client::open(redis_url.as_str()) {
        Ok(client) => client,
        Err(error) => return skip(&format!("REDIS_URL is not usable ({error})")),
    };
    let mut raw = match tokio::time::timeout(
        Duration::from_secs(2),
        redis.get_multiplexed_async_connection(),
    )
    .await
    {
        Ok(Ok(conn)) => conn,
        Ok(Err(error)) => {
            return skip(&format!(
                "Redis is not reachable ({error}); set the URL with REDIS_URL"
            ));
        }
        Err(_) => return skip("Redis did not answer in 2 s; set the URL with REDIS_URL"),
    };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    let namespace = format!("wt_axum_e2e_{}_{nanos}", std::process::id());
    let cache = Cache::builder(&redis_url)
        .namespace(&namespace)
        .build()
        .expect("a cache");
    let state = match app::AppState::connect(&database_url, 8, Some(cache.clone())).await {
        Ok(state) => state,
        Err(error) => return skip(&format!("{error}; set the URL with DATABASE_URL_PG")),
    };
    let pool = state.pool.clone();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("its address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app::router(state))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let http = Arc::new(Http {
        client: Client::builder(TokioExecutor::new()).build_http(),
        base: format!("http://{address}"),
    });

    // The scenario runs in a task of its own, so that a failed assertion still reaches the
    // cleanup below before it fails the test.
    let created = Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    let outcome = tokio::spawn(scenario(
        http.clone(),
        cache.clone(),
        raw.clone(),
        created.clone(),
    ))
    .await;

    // Clean up: our rows, our keys, the server.
    let ids = created.lock().unwrap().clone();
    if !ids.is_empty() {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        let mut conn = pool.get().await.expect("a connection for the cleanup");
        diesel::delete(app::axum_users::table.filter(app::axum_users::id.eq_any(&ids)))
            .execute(&mut conn)
            .await
            .expect("delete the test's rows");
    }
    let keys: Vec<Vec<u8>> = redis::cmd("KEYS")
        .arg(format!("{namespace}*"))
        .query_async(&mut raw)
        .await
        .expect("list the test's keys");
    if !keys.is_empty() {
        let () = redis::cmd("DEL")
            .arg(&keys)
            .query_async(&mut raw)
            .await
            .expect("delete the test's keys");
    }
    let _ = stop.send(());
    let served = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops within 10 s of the shutdown signal")
        .expect("the server task");
    served.expect("axum::serve ends without an error");

    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

async fn scenario(
    http: Arc<Http>,
    cache: Cache,
    mut raw: redis::aio::MultiplexedConnection,
    created: Arc<std::sync::Mutex<Vec<i64>>>,
) {
    let redis_get = async |raw: &mut redis::aio::MultiplexedConnection, id: i64| {
        let key = cache.key::<app::User>(&id);
        let value: Option<Vec<u8>> = redis::cmd("GET")
            .arg(&key)
            .query_async(raw)
            .await
            .expect("Redis GET");
        value
    };

    // Create: 201 with the row and its generated id; the row is cached at once.
    let (status, user) = http
        .json(
            Method::POST,
            "/users",
            json!({"email": "ada@example.com", "name": "Ada"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "POST /users: {user}");
    let id = user["id"].as_i64().expect("an id");
    created.lock().unwrap().push(id);
    assert_eq!(
        user,
        json!({"id": id, "email": "ada@example.com", "name": "Ada"})
    );
    assert!(
        redis_get(&mut raw, id).await.is_some(),
        "create publishes the row"
    );

    // Get, from the cache.
    let before = http.stats().await;
    let (status, got) = http.call(Method::GET, &format!("/users/{id}"), None).await;
    assert_eq!((status, &got), (StatusCode::OK, &user));
    let after = http.stats().await;
    assert_eq!(counter(&after, "hits"), counter(&before, "hits") + 1);
    assert_eq!(
        counter(&after, "db_statements"),
        counter(&before, "db_statements"),
        "a hit sends nothing to the database"
    );

    // Drop the cached value behind the service's back: the next get is a miss that fills,
    // the one after it a hit.
    let () = redis::cmd("DEL")
        .arg(cache.key::<app::User>(&id))
        .query_async(&mut raw)
        .await
        .expect("Redis DEL");
    let before = http.stats().await;
    let (status, got) = http.call(Method::GET, &format!("/users/{id}"), None).await;
    assert_eq!((status, &got), (StatusCode::OK, &user));
    let middle = http.stats().await;
    assert_eq!(counter(&middle, "misses"), counter(&before, "misses") + 1);
    assert_eq!(counter(&middle, "fills"), counter(&before, "fills") + 1);
    assert!(counter(&middle, "db_statements") > counter(&before, "db_statements"));
    assert!(
        redis_get(&mut raw, id).await.is_some(),
        "the miss filled the cache"
    );
    let (status, got) = http.call(Method::GET, &format!("/users/{id}"), None).await;
    assert_eq!((status, &got), (StatusCode::OK, &user));
    let after = http.stats().await;
    assert_eq!(counter(&after, "hits"), counter(&middle, "hits") + 1);
    assert_eq!(counter(&after, "misses"), counter(&middle, "misses"));
    assert_eq!(
        counter(&after, "db_statements"),
        counter(&middle, "db_statements")
    );

    // Put: 200 with the stored row; the next get sees it (from the cache).
    let (status, put) = http
        .json(
            Method::PUT,
            &format!("/users/{id}"),
            json!({"email": "ada@lovelace.org", "name": "Ada Lovelace"}),
        )
        .await;
    let new = json!({"id": id, "email": "ada@lovelace.org", "name": "Ada Lovelace"});
    assert_eq!((status, &put), (StatusCode::OK, &new));
    let before = http.stats().await;
    let (status, got) = http.call(Method::GET, &format!("/users/{id}"), None).await;
    assert_eq!((status, &got), (StatusCode::OK, &new));
    assert_eq!(
        counter(&http.stats().await, "hits"),
        counter(&before, "hits") + 1
    );

    // Put on an id that does not exist yet: an insert.
    let (status, other) = http
        .json(
            Method::POST,
            "/users",
            json!({"email": "b@example.com", "name": "B"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let other_id = other["id"].as_i64().expect("an id");
    created.lock().unwrap().push(other_id);
    let (status, _) = http
        .call(Method::DELETE, &format!("/users/{other_id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, reinserted) = http
        .json(
            Method::PUT,
            &format!("/users/{other_id}"),
            json!({"email": "b2@example.com", "name": "B2"}),
        )
        .await;
    assert_eq!(
        (status, reinserted),
        (
            StatusCode::OK,
            json!({"id": other_id, "email": "b2@example.com", "name": "B2"})
        )
    );

    // Delete: 204, then 404 for the get and for a second delete; the key is gone.
    let (status, body) = http
        .call(Method::DELETE, &format!("/users/{id}"), None)
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = http.call(Method::GET, &format!("/users/{id}"), None).await;
    assert_eq!(
        (status, body),
        (StatusCode::NOT_FOUND, json!({"error": "not found"}))
    );
    let (status, _) = http
        .call(Method::DELETE, &format!("/users/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        redis_get(&mut raw, id).await.is_none(),
        "delete removed the cached row"
    );

    // Bad requests: JSON errors in JSON.
    let (status, body) = http
        .call(Method::PUT, &format!("/users/{other_id}"), Some("{\"email"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].is_string());
    let (status, body) = http
        .json(Method::POST, "/users", json!({"email": 7, "name": "x"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = http
        .json(
            Method::POST,
            "/users",
            json!({"id": 5, "email": "e", "name": "x"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an id in a create is refused"
    );
    let (status, body) = http.call(Method::GET, "/users/not-a-number", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    concurrent(&http, &created).await;
}

/// 64 clients at once. Each of 32 owns a row and alternates put and get on it: every get
/// must return its own last put. 32 others read one shared row while a writer updates it: a
/// read that starts after a put has returned must see that put or a later one.
async fn concurrent(http: &Arc<Http>, created: &Arc<std::sync::Mutex<Vec<i64>>>) {
    let mut ids = Vec::new();
    for i in 0..33 {
        let (status, user) = http
            .json(
                Method::POST,
                "/users",
                json!({"email": format!("c{i}@example.com"), "name": "0"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let id = user["id"].as_i64().expect("an id");
        created.lock().unwrap().push(id);
        ids.push(id);
    }
    let shared = ids[32];
    let written = Arc::new(AtomicI64::new(0));
    let before = http.stats().await;
    let mut tasks = tokio::task::JoinSet::new();
    for &id in &ids[..32] {
        let http = http.clone();
        tasks.spawn(async move {
            for round in 1..=10 {
                let body = json!({"email": format!("{id}@example.com"), "name": round.to_string()});
                let (status, put) = http.json(Method::PUT, &format!("/users/{id}"), body).await;
                assert_eq!(status, StatusCode::OK, "{put}");
                let (status, got) = http.call(Method::GET, &format!("/users/{id}"), None).await;
                assert_eq!(status, StatusCode::OK);
                assert_eq!(
                    got["name"],
                    json!(round.to_string()),
                    "row {id}: a stale read"
                );
            }
        });
    }
    {
        let http = http.clone();
        let written = written.clone();
        tasks.spawn(async move {
            for version in 1..=40_i64 {
                let body = json!({"email": "shared@example.com", "name": version.to_string()});
                let (status, _) = http
                    .json(Method::PUT, &format!("/users/{shared}"), body)
                    .await;
                assert_eq!(status, StatusCode::OK);
                written.store(version, Ordering::SeqCst);
            }
        });
    }
    for _ in 0..32 {
        let http = http.clone();
        let written = written.clone();
        tasks.spawn(async move {
            for _ in 0..20 {
                let floor = written.load(Ordering::SeqCst);
                let (status, got) = http
                    .call(Method::GET, &format!("/users/{shared}"), None)
                    .await;
                assert_eq!(status, StatusCode::OK);
                let seen: i64 = got["name"]
                    .as_str()
                    .expect("a name")
                    .parse()
                    .expect("a number");
                assert!(
                    seen >= floor,
                    "a read that started after version {floor} was stored returned {seen}"
                );
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        if let Err(error) = joined {
            std::panic::resume_unwind(error.into_panic());
        }
    }
    let after = http.stats().await;
    assert_eq!(
        counter(&after, "cache_errors"),
        counter(&before, "cache_errors")
    );
    assert!(
        counter(&after, "hits") > counter(&before, "hits") + 500,
        "most of the 960 concurrent reads came from the cache: {after}"
    );
}
