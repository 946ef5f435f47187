//! What only the async front must show: its futures are `Send` and run on `tokio::spawn`, with
//! the pooled connections of deadpool and bb8; nothing it does blocks an executor thread; and
//! owed invalidations still go out before anything else when many tasks share its one
//! multiplexed connection.

use std::sync::Arc;
use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use write_through::asynch::{ModelOps as _, SaveOps as _, TransactionOps as _};
use write_through::{Cache, Error, WritePolicy};
use write_through_tests::models::{NewUser, Tag, User};
use write_through_tests::private_redis::PrivateRedis;
use write_through_tests::{TestCache, unique};

fn multi_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn deadpool(
    size: usize,
) -> Option<diesel_async::pooled_connection::deadpool::Pool<AsyncPgConnection>> {
    write_through_tests::postgres()?;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(
        write_through_tests::services::postgres_url(),
    );
    Some(
        diesel_async::pooled_connection::deadpool::Pool::builder(manager)
            .max_size(size)
            .build()
            .expect("a deadpool pool"),
    )
}

/// Every operation's future is `Send`: each runs inside `tokio::spawn` on a multi-thread
/// runtime, on a connection from a deadpool pool (as crates.io's backend does).
#[test]
fn every_operation_runs_in_a_spawned_task_on_a_deadpool_connection() {
    let (Some(pool), Some(tc)) = (deadpool(4), TestCache::new()) else {
        return;
    };
    let cache = tc.cache.clone();
    multi_thread_runtime().block_on(async move {
        let task = tokio::spawn(async move {
            let mut conn = pool.get().await.expect("a pooled connection");
            let new = NewUser {
                email: format!("spawned-{}@example.test", unique()),
                name: "spawned".into(),
            };
            let mut user = User::create(&mut conn, &cache, &new).await?;
            user.name = "renamed".into();
            user.save(&mut conn, &cache).await?;
            let found = User::find(&mut conn, &cache, &user.id).await?;
            let many = User::find_many(&mut conn, &cache, [&user.id]).await?;
            cache
                .transaction(&mut conn, async |conn| user.save(conn, &cache).await)
                .await?;
            let deleted = User::delete(&mut conn, &cache, &user.id).await?;
            Ok::<_, Error>((
                found == Some(user.clone()),
                many == vec![Some(user)],
                deleted,
            ))
        });
        assert_eq!(task.await.unwrap().unwrap(), (true, true, true));
    });
}

/// bb8's pooled connection works the same (diesel-async implements `AsyncConnection` for
/// every `DerefMut` to a connection).
#[test]
fn a_bb8_pooled_connection_is_a_connection_like_any_other() {
    let (Some(_), Some(tc)) = (write_through_tests::postgres(), TestCache::new()) else {
        return;
    };
    let cache = tc.cache.clone();
    multi_thread_runtime().block_on(async move {
        let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(
            write_through_tests::services::postgres_url(),
        );
        let pool = diesel_async::pooled_connection::bb8::Pool::builder()
            .max_size(2)
            .build(manager)
            .await
            .expect("a bb8 pool");
        let mut conn = pool.get().await.expect("a pooled connection");
        let row = Tag {
            name: format!("bb8-{}", unique()),
            uses: 7,
        };
        row.save(&mut conn, &cache).await.unwrap();
        assert_eq!(
            Tag::find(&mut conn, &cache, &row.name).await.unwrap(),
            Some(row)
        );
        assert_eq!(cache.stats().hits, 1);
    });
}

/// A connection wrapper of the application's own, as Lemmy's `DbConn` (a pooled connection or a
/// borrowed one, dereferencing to `AsyncPgConnection`): diesel-async implements its traits for
/// every `DerefMut` to a connection, so every operation takes it as it is, transactions included.
#[test]
fn an_applications_deref_mut_wrapper_is_a_connection_like_any_other() {
    enum DbConn<'a> {
        Pool(Box<diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>>),
        Conn(&'a mut AsyncPgConnection),
    }
    impl std::ops::Deref for DbConn<'_> {
        type Target = AsyncPgConnection;
        fn deref(&self) -> &AsyncPgConnection {
            match self {
                DbConn::Pool(conn) => conn,
                DbConn::Conn(conn) => conn,
            }
        }
    }
    impl std::ops::DerefMut for DbConn<'_> {
        fn deref_mut(&mut self) -> &mut AsyncPgConnection {
            match self {
                DbConn::Pool(conn) => conn,
                DbConn::Conn(conn) => conn,
            }
        }
    }

    let (Some(pool), Some(tc)) = (deadpool(2), TestCache::new()) else {
        return;
    };
    let cache = tc.cache.clone();
    multi_thread_runtime().block_on(async move {
        let mut conn = DbConn::Pool(Box::new(pool.get().await.expect("a pooled connection")));
        let row = Tag {
            name: format!("wrapped-{}", unique()),
            uses: 3,
        };
        row.save(&mut conn, &cache).await.unwrap();
        assert_eq!(
            Tag::find(&mut conn, &cache, &row.name).await.unwrap(),
            Some(row.clone())
        );
        let bumped = Tag {
            uses: 4,
            ..row.clone()
        };
        cache
            .transaction(&mut conn, async |conn| bumped.save(conn, &cache).await)
            .await
            .unwrap();
        let DbConn::Pool(mut pooled) = conn else {
            unreachable!()
        };
        let mut borrowed = DbConn::Conn(&mut pooled);
        assert_eq!(
            Tag::find(&mut borrowed, &cache, &row.name).await.unwrap(),
            Some(Tag {
                uses: 4,
                ..row.clone()
            })
        );
        assert!(Tag::delete(&mut borrowed, &cache, &row.name).await.unwrap());
    });
}

/// Concurrent misses of one key share one database load. On a current-thread runtime the
/// follower waits for the leader without blocking the thread: were it to block (a `Condvar`,
/// `thread::sleep`), the leader could not run until the follower gave up, and both would load.
#[test]
fn a_follower_waits_for_the_leaders_fill_without_blocking_the_thread() {
    let Some(tc) = TestCache::with(|builder| builder.lease_ttl(Duration::from_secs(5))) else {
        return;
    };
    let (mut setup, _dir) = write_through_tests::fronts::async_sqlite();
    let row = Tag {
        name: format!("flight-{}", unique()),
        uses: 1,
    };
    {
        use write_through_tests::fronts::Front;
        setup.save_tag(&tc.cache, &row).unwrap();
    }
    tc.cache.invalidate::<Tag>(&row.name).unwrap();
    let cache = tc.cache.clone();
    // The second reader's own connection (SQLite in the same file would do as well; a second
    // file with the same row keeps the readers' database calls apart).
    let (mut other, _other_dir) = write_through_tests::fronts::async_sqlite();
    {
        use write_through_tests::fronts::Front;
        other.execute(&format!(
            "INSERT INTO wt_tags (name, uses) VALUES ('{}', {})",
            row.name, row.uses
        ));
    }
    let (a, b) = setup.runtime.block_on(async {
        let name = row.name.clone();
        // Two readers on one thread: the second starts while the first awaits the database.
        let first = Tag::find(&mut setup.conn, &cache, &name);
        let second = Tag::find(&mut other.conn, &cache, &name);
        let (a, b) = tokio::join!(first, second);
        (a.unwrap(), b.unwrap())
    });
    assert_eq!((a.as_ref(), b.as_ref()), (Some(&row), Some(&row)));
    let stats = cache.stats();
    assert_eq!(
        (stats.misses, stats.hits, stats.fills),
        (1, 1, 1),
        "one load, one fill, the follower answered from it: {stats:?}"
    );
}

/// A reader that finds another reader's lease awaits its fill, and the filler, a task on the
/// same current-thread runtime, runs meanwhile: the reader is answered by the fill, not by the
/// database. (That the waits between its looks do not block the thread is by type: the async
/// executor's `sleep` is `tokio::time::Sleep`. A blocking sleep would still let the filler run
/// during the reader's Redis round trips, so this test cannot tell; the follower test above
/// can, and does, for the single flight's wait.)
#[test]
fn a_reader_awaiting_a_fill_lets_the_filler_run_on_the_same_thread() {
    let Some(mut tc) = TestCache::with(|builder| {
        builder
            .lease_ttl(Duration::from_secs(5))
            .lease_wait(Duration::from_secs(2))
    }) else {
        return;
    };
    let (mut front, _dir) = write_through_tests::fronts::async_sqlite();
    let row = Tag {
        name: format!("lease-{}", unique()),
        uses: 4,
    };
    {
        use write_through_tests::fronts::Front;
        front.save_tag(&tc.cache, &row).unwrap();
    }
    // Another process's reader holds the lease and will fill shortly.
    let key = tc.key(&format!("tag:{}", row.name));
    let filled_value = tc.raw(&format!("tag:{}", row.name)).expect("cached");
    let lease = b"WT\x01\x04other-readers-token".to_vec();
    redis::cmd("SET")
        .arg(&key)
        .arg(&lease)
        .arg("PX")
        .arg(5_000)
        .query::<()>(&mut *tc.redis)
        .unwrap();
    let cache = tc.cache.clone();
    let redis_url = write_through_tests::redis_url();
    let (found, filler_ran_first) = front.runtime.block_on(async {
        let filler = async {
            tokio::time::sleep(Duration::from_millis(30)).await;
            let client = redis::Client::open(redis_url.as_str()).unwrap();
            let mut conn = client.get_multiplexed_async_connection().await.unwrap();
            let _: () = redis::cmd("SET")
                .arg(&key)
                .arg(&filled_value)
                .query_async(&mut conn)
                .await
                .unwrap();
            std::time::Instant::now()
        };
        let reader = async {
            let found = Tag::find(&mut front.conn, &cache, &row.name).await.unwrap();
            (found, std::time::Instant::now())
        };
        let (filled_at, (found, read_at)) = tokio::join!(filler, reader);
        (found, filled_at <= read_at)
    });
    assert_eq!(found, Some(row));
    assert!(filler_ran_first);
    let stats = cache.stats();
    assert_eq!(
        (stats.hits, stats.misses),
        (1, 0),
        "answered by the fill it awaited, not by the database: {stats:?}"
    );
}

/// Many tasks share the cache's one multiplexed connection. A key owed while Redis was hung
/// is invalidated before any of them is answered once it is back: none sees the old value.
#[test]
fn an_owed_invalidation_goes_out_before_any_task_on_the_multiplexed_connection_is_answered() {
    let (Some(redis), Some(pool)) = (PrivateRedis::start(), deadpool(8)) else {
        return;
    };
    let cache = Cache::builder(&redis.url())
        .namespace(&format!("wt-owed-{}", unique()))
        .connect_timeout(Duration::from_millis(300))
        .io_timeout(Duration::from_millis(300))
        .write_policy(WritePolicy::Available)
        .build()
        .unwrap();
    let runtime = multi_thread_runtime();
    let rows: Vec<Tag> = (0..8)
        .map(|i| Tag {
            name: format!("owed-{}-{i}", unique()),
            uses: 1,
        })
        .collect();
    runtime.block_on(async {
        let mut conn = pool.get().await.unwrap();
        for row in &rows {
            row.save(&mut conn, &cache).await.unwrap();
        }
    });
    redis.pause();
    let updated: Vec<Tag> = rows
        .iter()
        .map(|r| Tag {
            uses: 2,
            ..r.clone()
        })
        .collect();
    runtime.block_on(async {
        let mut conn = pool.get().await.unwrap();
        for row in &updated {
            row.save(&mut conn, &cache).await.unwrap();
        }
    });
    assert!(
        cache.stats().pending_invalidations > 0,
        "{:?}",
        cache.stats()
    );
    redis.resume();
    // Let the breaker's cool-down pass, so that the tasks below reach Redis.
    std::thread::sleep(Duration::from_millis(1_100));
    let cache = Arc::new(cache);
    let results = runtime.block_on(async {
        let tasks: Vec<_> = (0..64)
            .map(|i| {
                let (pool, cache, name) =
                    (pool.clone(), cache.clone(), updated[i % 8].name.clone());
                tokio::spawn(async move {
                    let mut conn = pool.get().await.unwrap();
                    Tag::find(&mut conn, &cache, &name).await.unwrap()
                })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        results
    });
    for (i, found) in results.iter().enumerate() {
        assert_eq!(
            found.as_ref(),
            Some(&updated[i % 8]),
            "task {i} saw an old value"
        );
    }
    let stats = cache.stats();
    assert_eq!(stats.pending_invalidations, 0, "{stats:?}");
    assert!(stats.recovered_invalidations >= 1, "{stats:?}");
}

/// `asynch::invalidate` drops a cached row without blocking, and owes it while Redis is away.
#[test]
fn an_async_invalidation_drops_the_row_or_is_owed() {
    let Some(mut tc) = TestCache::new() else {
        return;
    };
    let (mut front, _dir) = write_through_tests::fronts::async_sqlite();
    let row = Tag {
        name: format!("invalidate-{}", unique()),
        uses: 1,
    };
    {
        use write_through_tests::fronts::Front;
        front.save_tag(&tc.cache, &row).unwrap();
    }
    let rendered = format!("tag:{}", row.name);
    assert!(tc.raw(&rendered).is_some());
    front
        .runtime
        .block_on(write_through::asynch::invalidate::<Tag>(
            &tc.cache, &row.name,
        ))
        .unwrap();
    assert_eq!(tc.raw(&rendered), None);
    front
        .runtime
        .block_on(write_through::asynch::ping(&tc.cache))
        .unwrap();

    let dead = Cache::builder(&write_through_tests::private_redis::dead_redis_url())
        .connect_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let owed = front
        .runtime
        .block_on(write_through::asynch::invalidate::<Tag>(&dead, &row.name));
    assert!(owed.is_err());
    assert_eq!(dead.stats().pending_invalidations, 1);
}
