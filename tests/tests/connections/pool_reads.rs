//! Reads through a pool (`write_through::Pooled`): a hit takes no connection, so it is served
//! while every pooled connection is busy and while the database is down; a miss checks one out
//! (one per call) and gives it back; a miss that cannot get one fails with
//! `Error::Unavailable` within the pool's timeout, counted. deadpool and bb8, on PostgreSQL.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use write_through::asynch::ModelOps as _;
use write_through::{Cache, Error, Pooled};
use write_through_tests::models::{Account, NewUser, User};
use write_through_tests::pools::{bb8, deadpool};
use write_through_tests::private_postgres::PrivatePostgres;
use write_through_tests::schema::POSTGRES_DDL;
use write_through_tests::{TestCache, unique};

fn runtime() -> tokio::runtime::Runtime {
    write_through_tests::fronts::runtime()
}

/// A user created through the library, so that its key is warm.
async fn cached_user(conn: &mut AsyncPgConnection, cache: &Cache) -> User {
    let new = NewUser {
        email: format!("pooled-{}@example.test", unique()),
        name: "pooled".into(),
    };
    User::create(conn, cache, &new).await.expect("create")
}

#[test]
fn a_hit_takes_no_connection_even_when_every_one_is_busy() {
    super::on_postgres(async |url, cache| {
        let pool = deadpool(&url, 1);
        let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
        let user = cached_user(&mut conn, &cache).await;
        let other = cached_user(&mut conn, &cache).await;
        // The pool's only connection is held (a slow request).
        let held = pool.get().await.expect("the only connection");
        let before = cache.stats().checkouts;
        let found = User::find(&mut Pooled(&pool), &cache, &user.id).await;
        assert_eq!(found.unwrap(), Some(user.clone()));
        let ids = [&user.id, &other.id, &user.id];
        let many = User::find_many(&mut Pooled(&pool), &cache, ids).await;
        assert_eq!(
            many.unwrap(),
            vec![Some(user.clone()), Some(other), Some(user)]
        );
        assert_eq!(
            cache.stats().checkouts,
            before,
            "no hit checked a connection out"
        );
        drop(held);
    });
}

#[test]
fn a_unique_lookup_through_a_pool_hits_without_a_connection_and_misses_with_one() {
    let (Some(mut setup), Some(tc)) = (write_through_tests::postgres(), TestCache::new()) else {
        return;
    };
    let url = write_through_tests::services::postgres_url();
    let cache = tc.cache.clone();
    let email = format!("lookup-{}@example.test", unique());
    let account: Account = diesel::insert_into(write_through_tests::schema::wt_accounts::table)
        .values((
            write_through_tests::schema::wt_accounts::email.eq(&email),
            write_through_tests::schema::wt_accounts::org_id.eq(1),
            write_through_tests::schema::wt_accounts::handle.eq(format!("h{}", unique())),
            write_through_tests::schema::wt_accounts::name.eq("pooled"),
        ))
        .get_result(&mut setup)
        .unwrap();
    runtime().block_on(async {
        let pool = bb8(&url, 1, Duration::from_secs(5)).await;
        let before = cache.stats().checkouts;
        let cold = Account::find_by_email(&mut Pooled(&pool), &cache, &email).await;
        assert_eq!(cold.unwrap(), Some(account.clone()));
        assert_eq!(cache.stats().checkouts, before + 1, "the miss took one");
        // Warm: the entry and the row it points at (a second lookup fills what the first left).
        let again = Account::find_by_email(&mut Pooled(&pool), &cache, &email).await;
        assert_eq!(again.unwrap(), Some(account.clone()));
        let before = cache.stats().checkouts;
        let held = pool.get().await.expect("the only connection");
        let warm = Account::find_by_email(&mut Pooled(&pool), &cache, &email).await;
        assert_eq!(warm.unwrap(), Some(account));
        assert_eq!(cache.stats().checkouts, before, "the hit took none");
        drop(held);
    });
    diesel::delete(
        write_through_tests::schema::wt_accounts::table
            .filter(write_through_tests::schema::wt_accounts::email.eq(&email)),
    )
    .execute(&mut setup)
    .unwrap();
}

#[test]
fn a_miss_checks_out_one_connection_per_call_and_gives_it_back() {
    super::on_postgres(async |url, cache| {
        let pool = deadpool(&url, 2);
        let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
        let users = [
            cached_user(&mut conn, &cache).await,
            cached_user(&mut conn, &cache).await,
            cached_user(&mut conn, &cache).await,
        ];
        for user in &users {
            cache.invalidate::<User>(&user.id).unwrap();
        }
        let before = cache.stats().checkouts;
        let found = User::find(&mut Pooled(&pool), &cache, &users[0].id).await;
        assert_eq!(found.unwrap(), Some(users[0].clone()));
        assert_eq!(cache.stats().checkouts, before + 1, "find: one");
        assert_eq!(
            pool.status().available,
            pool.status().size,
            "and given back"
        );
        let ids = [&users[0].id, &users[1].id, &users[2].id];
        let many = User::find_many(&mut Pooled(&pool), &cache, ids)
            .await
            .unwrap();
        assert_eq!(many, users.iter().cloned().map(Some).collect::<Vec<_>>());
        assert_eq!(
            cache.stats().checkouts,
            before + 2,
            "find_many with two misses: one"
        );
        assert_eq!(pool.status().available, pool.status().size);
        // Now all three are warm.
        User::find_many(&mut Pooled(&pool), &cache, ids)
            .await
            .unwrap();
        assert_eq!(
            cache.stats().checkouts,
            before + 2,
            "find_many of hits: none"
        );
        // A row that does not exist is a miss too (and then a cached absence, or not).
        let missing = User::find(&mut Pooled(&pool), &cache, &-1).await.unwrap();
        assert_eq!(missing, None);
        assert_eq!(cache.stats().checkouts, before + 3);
    });
}

#[test]
fn a_miss_with_every_connection_busy_is_unavailable_within_the_pool_timeout() {
    super::on_postgres(async |url, cache| {
        let pool = bb8(&url, 1, Duration::from_millis(300)).await;
        let held = pool.get().await.expect("the only connection");
        let before = cache.stats();
        let started = Instant::now();
        let cold = User::find(&mut Pooled(&pool), &cache, &-7).await;
        let waited = started.elapsed();
        match cold {
            Err(Error::Unavailable(error)) => {
                assert!(error.is_timeout(), "{error}");
                assert!(error.to_string().contains("timed out"), "{error}");
            }
            other => panic!("expected Error::Unavailable, got {other:?}"),
        }
        assert!(
            waited < Duration::from_secs(3),
            "bounded by the pool's timeout: {waited:?}"
        );
        let after = cache.stats();
        assert_eq!(after.database_unavailable, before.database_unavailable + 1);
        assert_eq!(after.checkouts, before.checkouts);
        drop(held);
        // With the connection back, the same read succeeds.
        assert_eq!(
            User::find(&mut Pooled(&pool), &cache, &-7).await.unwrap(),
            None
        );
    });
}

#[test]
fn with_the_database_down_warm_reads_are_served_and_cold_ones_fail_typed() {
    let (Some(server), Some(tc)) = (PrivatePostgres::start(), TestCache::new()) else {
        return;
    };
    let url = server.url();
    let cache = tc.cache.clone();
    runtime().block_on(async {
        let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
        for ddl in POSTGRES_DDL {
            diesel_async::SimpleAsyncConnection::batch_execute(&mut conn, ddl)
                .await
                .unwrap();
        }
        let user = cached_user(&mut conn, &cache).await;
        drop(conn);
        let deadpool = deadpool(&url, 2);
        let bb8 = bb8(&url, 2, Duration::from_millis(500)).await;
        // Warm the pools' connections, then stop the server under them.
        assert!(
            User::find(&mut Pooled(&deadpool), &cache, &-1)
                .await
                .is_ok()
        );
        assert!(User::find(&mut Pooled(&bb8), &cache, &-1).await.is_ok());
        server.stop_now();

        let found = User::find(&mut Pooled(&deadpool), &cache, &user.id).await;
        assert_eq!(
            found.unwrap(),
            Some(user.clone()),
            "deadpool: served from the cache"
        );
        let found = User::find(&mut Pooled(&bb8), &cache, &user.id).await;
        assert_eq!(
            found.unwrap(),
            Some(user.clone()),
            "bb8: served from the cache"
        );

        let before = cache.stats().database_unavailable;
        for (pool, cold) in [
            (
                "deadpool",
                User::find(&mut Pooled(&deadpool), &cache, &-2).await,
            ),
            ("bb8", User::find(&mut Pooled(&bb8), &cache, &-2).await),
        ] {
            match cold {
                Err(Error::Unavailable(error)) => {
                    assert!(!error.to_string().contains(&url), "{pool}: {error}");
                }
                other => panic!("{pool}: expected Error::Unavailable, got {other:?}"),
            }
        }
        assert_eq!(cache.stats().database_unavailable, before + 2);
    });
}

/// The blocking front: Diesel's r2d2 pool, the same rules.
mod blocking {
    use std::time::{Duration, Instant};

    use diesel::PgConnection;
    use diesel::r2d2::{ConnectionManager, Pool};
    use write_through::blocking::ModelOps as _;
    use write_through::{Error, Pooled};
    use write_through_tests::models::{NewUser, User};
    use write_through_tests::private_postgres::PrivatePostgres;
    use write_through_tests::schema::POSTGRES_DDL;
    use write_through_tests::{TestCache, unique};

    fn r2d2(url: &str, size: u32, timeout: Duration) -> Pool<ConnectionManager<PgConnection>> {
        Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .connection_timeout(timeout)
            .build(ConnectionManager::new(url))
            .expect("an r2d2 pool")
    }

    fn cached_user(conn: &mut PgConnection, cache: &write_through::Cache) -> User {
        let new = NewUser {
            email: format!("r2d2-{}@example.test", unique()),
            name: "r2d2".into(),
        };
        User::create(conn, cache, &new).expect("create")
    }

    #[test]
    fn hits_take_no_connection_and_a_miss_takes_one_per_call() {
        let (Some(mut conn), Some(tc)) = (write_through_tests::postgres(), TestCache::new()) else {
            return;
        };
        let url = write_through_tests::services::postgres_url();
        let cache = tc.cache.clone();
        let pool = r2d2(&url, 1, Duration::from_millis(300));
        let users = [
            cached_user(&mut conn, &cache),
            cached_user(&mut conn, &cache),
        ];
        cache.invalidate::<User>(&users[1].id).unwrap();
        let before = cache.stats().checkouts;
        let ids = [&users[0].id, &users[1].id];
        let found = User::find_many(&mut Pooled(&pool), &cache, ids).unwrap();
        assert_eq!(found, users.iter().cloned().map(Some).collect::<Vec<_>>());
        assert_eq!(
            cache.stats().checkouts,
            before + 1,
            "one miss: one checkout"
        );
        assert_eq!(
            pool.state().idle_connections,
            pool.state().connections,
            "given back"
        );
        let held = pool.get().expect("the only connection");
        assert_eq!(
            User::find(&mut Pooled(&pool), &cache, &users[1].id).unwrap(),
            Some(users[1].clone()),
            "a hit with every connection busy"
        );
        assert_eq!(cache.stats().checkouts, before + 1);
        let started = Instant::now();
        match User::find(&mut Pooled(&pool), &cache, &-5) {
            Err(Error::Unavailable(error)) => assert!(error.is_timeout(), "{error}"),
            other => panic!("expected Error::Unavailable, got {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(cache.stats().database_unavailable, 1);
        drop(held);
    }

    #[test]
    fn with_the_database_down_warm_reads_are_served_and_cold_ones_fail_typed() {
        let (Some(server), Some(tc)) = (PrivatePostgres::start(), TestCache::new()) else {
            return;
        };
        let url = server.url();
        let cache = tc.cache.clone();
        let mut conn = diesel::Connection::establish(&url).expect("the private PostgreSQL");
        write_through_tests::services::create_tables(&mut conn, POSTGRES_DDL);
        let user = cached_user(&mut conn, &cache);
        drop(conn);
        let pool = r2d2(&url, 2, Duration::from_millis(500));
        server.stop_now();
        assert_eq!(
            User::find(&mut Pooled(&pool), &cache, &user.id).unwrap(),
            Some(user)
        );
        match User::find(&mut Pooled(&pool), &cache, &-3) {
            Err(Error::Unavailable(error)) => {
                assert!(!error.to_string().contains(&url), "{error}");
            }
            other => panic!("expected Error::Unavailable, got {other:?}"),
        }
    }

    /// A pool whose connections begin a transaction (Diesel's test customizer) reads what may
    /// never commit: such a read is refused, and nothing is cached.
    #[test]
    fn a_pooled_connection_inside_a_transaction_is_refused() {
        let (Some(mut conn), Some(mut tc)) = (write_through_tests::postgres(), TestCache::new())
        else {
            return;
        };
        let url = write_through_tests::services::postgres_url();
        let cache = tc.cache.clone();
        let user = cached_user(&mut conn, &cache);
        cache.invalidate::<User>(&user.id).unwrap();
        let pool = Pool::builder()
            .max_size(1)
            .connection_customizer(Box::new(diesel::r2d2::TestCustomizer))
            .build(ConnectionManager::<PgConnection>::new(&url))
            .expect("an r2d2 pool");
        match User::find(&mut Pooled(&pool), &cache, &user.id) {
            Err(Error::Usage(write_through::UsageError::PooledConnectionInsideTransaction {
                model,
            })) => assert_eq!(model, "User"),
            other => panic!("expected the usage error, got {other:?}"),
        }
        assert_eq!(tc.raw(&format!("user:{}", user.id)), None, "nothing cached");
    }
}

/// A collection listed through deadpool and through Diesel's r2d2: the misses take one
/// connection, the hits none, even with every pooled connection held.
#[test]
fn a_collection_listed_through_a_pool_hits_without_a_connection() {
    use write_through_tests::models::{Comment, NewComment};
    let (Some(mut setup), Some(tc)) = (write_through_tests::postgres(), TestCache::new()) else {
        return;
    };
    let url = write_through_tests::services::postgres_url();
    let cache = tc.cache.clone();
    let post = unique() as i64;
    let comments: Vec<Comment> = (1..=3)
        .map(|rank| {
            let new = NewComment {
                post_id: post,
                rank,
                body: format!("rank {rank}"),
            };
            <Comment as write_through::blocking::ModelOps>::create(&mut setup, &cache, &new)
                .expect("create")
        })
        .collect();
    let expected: Vec<Comment> = comments.iter().rev().cloned().collect();
    runtime().block_on(async {
        let pool = deadpool(&url, 1);
        let before = cache.stats().checkouts;
        let cold = Comment::find_all_by_post_id(&mut Pooled(&pool), &cache, &post).await;
        assert_eq!(cold.unwrap(), expected);
        assert_eq!(cache.stats().checkouts, before + 1, "the miss took one");
        let held = pool.get().await.expect("the only connection");
        let warm =
            Comment::find_all_by_post_id_in(&mut Pooled(&pool), &cache, [&post, &post]).await;
        assert_eq!(warm.unwrap(), vec![expected.clone(), expected.clone()]);
        assert_eq!(cache.stats().checkouts, before + 1, "the hits took none");
        drop(held);
    });
    let r2d2 = diesel::r2d2::Pool::builder()
        .max_size(1)
        .build(diesel::r2d2::ConnectionManager::<PgConnection>::new(&url))
        .expect("an r2d2 pool");
    let held = r2d2.get().expect("the only connection");
    let before = cache.stats().checkouts;
    let warm = Comment::find_all_by_post_id(&mut Pooled(&r2d2), &cache, &post);
    assert_eq!(warm.unwrap(), expected);
    assert_eq!(
        cache.stats().checkouts,
        before,
        "a hit through r2d2 took none"
    );
    drop(held);
}
