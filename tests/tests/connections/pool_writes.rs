//! Writes through a pool (`write_through::Pooled`): each checks one connection out, just before
//! its Redis lock (a key is never locked while its writer waits for a connection), and gives it
//! back before its publish; it keeps the guarantees it has through `&mut conn`; a write that
//! cannot get a connection fails with `Error::Unavailable` within the pool's timeout and leaves
//! the cache as it was. deadpool and bb8 on the async front, r2d2 on the blocking one, on
//! PostgreSQL.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use write_through::asynch::{ModelOps as _, SaveOps as _};
use write_through::pause;
use write_through::{Cache, Error, Pooled};
use write_through_tests::models::{NewUser, User};
use write_through_tests::pools::{bb8, deadpool};
use write_through_tests::schema::wt_users;
use write_through_tests::{TestCache, unique};

fn runtime() -> tokio::runtime::Runtime {
    write_through_tests::fronts::runtime()
}

fn new_user() -> NewUser {
    NewUser {
        email: format!("pool-write-{}@example.test", unique()),
        name: "pooled".into(),
    }
}

#[test]
fn each_write_through_a_pool_checks_out_one_connection_and_is_read_back_from_the_cache() {
    super::on_postgres(async |url, cache| {
        let pool = deadpool(&url, 2);
        let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
        let checkouts = |cache: &Cache| cache.stats().checkouts;

        let before = checkouts(&cache);
        let created: User = User::create(&mut Pooled(&pool), &cache, &new_user())
            .await
            .expect("create through the pool");
        assert_eq!(checkouts(&cache), before + 1, "create: one");
        assert_eq!(pool.status().available, pool.status().size, "given back");

        let mut renamed = created.clone();
        renamed.name = "saved through the pool".into();
        renamed
            .save(&mut Pooled(&pool), &cache)
            .await
            .expect("save");
        assert_eq!(checkouts(&cache), before + 2, "save: one");

        let updated = User::update(
            &mut Pooled(&pool),
            &cache,
            &created.id,
            wt_users::name.eq("updated through the pool"),
        )
        .await
        .expect("update");
        assert_eq!(updated.name, "updated through the pool");
        assert_eq!(checkouts(&cache), before + 3, "update: one");

        // Read back from Redis (a hit), through a connection of the caller's.
        let hits = cache.stats().hits;
        let found = User::find(&mut conn, &cache, &created.id).await.unwrap();
        assert_eq!(found, Some(updated));
        assert_eq!(cache.stats().hits, hits + 1, "published by the update");

        let deleted = User::delete(&mut Pooled(&pool), &cache, &created.id)
            .await
            .expect("delete");
        assert!(deleted);
        assert_eq!(checkouts(&cache), before + 4, "delete: one");
        assert_eq!(
            User::find(&mut conn, &cache, &created.id).await.unwrap(),
            None
        );
        assert_eq!(pool.status().available, pool.status().size);
    });
}

/// With a pool of one connection: a write paused after its Redis lock holds it (it was checked
/// out before the lock); paused after its commit, before its publish, it has given it back.
#[test]
fn a_write_holds_its_pooled_connection_from_before_its_lock_to_before_its_publish() {
    let (Some(_), Some(tc)) = (write_through_tests::postgres(), TestCache::new()) else {
        return;
    };
    let url = write_through_tests::services::postgres_url();
    let cache = tc.cache.clone();
    // The pool's connections live on this runtime's workers (a diesel-async connection is
    // driven by a task of the runtime that made it).
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let pool = rt.block_on(bb8(&url, 1, Duration::from_secs(2)));
    let user: User = rt
        .block_on(User::create(&mut Pooled(&pool), &cache, &new_user()))
        .unwrap();
    for point in [pause::WRITE_LOCKED, pause::WRITE_COMMITTED] {
        let gate = pause::arm(point, &cache.key::<User>(&user.id));
        let (writer_pool, writer_cache) = (pool.clone(), cache.clone());
        let mut changed = user.clone();
        changed.name = format!("paused at {point}");
        // On a thread of its own: paused, it blocks that thread, never a worker of `rt`.
        let writer = std::thread::spawn(move || {
            runtime().block_on(async {
                changed
                    .save(&mut Pooled(&writer_pool), &writer_cache)
                    .await?;
                Ok::<User, Error>(changed)
            })
        });
        gate.wait_until_reached();
        rt.block_on(async {
            let other = tokio::time::timeout(Duration::from_millis(300), pool.get()).await;
            let free = matches!(other, Ok(Ok(_)));
            assert_eq!(
                free,
                point == pause::WRITE_COMMITTED,
                "{point}: is the pool's only connection free?"
            );
        });
        gate.release();
        let saved = writer.join().unwrap().expect("the paused save");
        let found = rt
            .block_on(User::find(&mut Pooled(&pool), &cache, &user.id))
            .unwrap();
        assert_eq!(found, Some(saved), "{point}");
    }
    rt.block_on(User::delete(&mut Pooled(&pool), &cache, &user.id))
        .unwrap();
}

#[test]
fn a_write_with_no_connection_to_be_had_is_unavailable_and_leaves_the_cache_as_it_was() {
    super::on_postgres(async |url, cache| {
        let pool = bb8(&url, 1, Duration::from_millis(300)).await;
        let user: User = User::create(&mut Pooled(&pool), &cache, &new_user())
            .await
            .unwrap();
        let held = pool.get().await.expect("the only connection");
        let before = cache.stats();
        let mut changed = user.clone();
        changed.name = "never written".into();
        let started = Instant::now();
        let saved = changed.save(&mut Pooled(&pool), &cache).await;
        let waited = started.elapsed();
        match saved {
            Err(Error::Unavailable(error)) => assert!(error.is_timeout(), "{error}"),
            other => panic!("expected Error::Unavailable, got {other:?}"),
        }
        assert!(waited < Duration::from_secs(3), "waited {waited:?}");
        assert_eq!(
            cache.stats().database_unavailable,
            before.database_unavailable + 1
        );
        // Nothing was locked: the row as it is, still served from Redis.
        let hits = cache.stats().hits;
        assert_eq!(
            User::find(&mut Pooled(&pool), &cache, &user.id)
                .await
                .unwrap(),
            Some(user.clone())
        );
        assert_eq!(cache.stats().hits, hits + 1, "still cached");
        drop(held);
        // And nothing is left locked: the next write goes through.
        changed.save(&mut Pooled(&pool), &cache).await.unwrap();
        assert_eq!(
            User::find(&mut Pooled(&pool), &cache, &user.id)
                .await
                .unwrap(),
            Some(changed)
        );
        User::delete(&mut Pooled(&pool), &cache, &user.id)
            .await
            .unwrap();
    });
}

/// The blocking front: Diesel's r2d2 pool as `Pooled`, one checkout per write, given back before
/// the publish; a write with no connection to be had is `Error::Unavailable`.
mod blocking {
    use std::time::Duration;

    use diesel::PgConnection;
    use diesel::prelude::*;
    use diesel::r2d2::{ConnectionManager, Pool};
    use write_through::blocking::{ModelOps as _, SaveOps as _};
    use write_through::{Error, Pooled, pause};
    use write_through_tests::TestCache;
    use write_through_tests::models::User;
    use write_through_tests::schema::wt_users;

    fn pool(size: u32, timeout: Duration) -> Option<Pool<ConnectionManager<PgConnection>>> {
        write_through_tests::postgres()?;
        let url = write_through_tests::services::postgres_url();
        Some(
            Pool::builder()
                .max_size(size)
                .connection_timeout(timeout)
                .build(ConnectionManager::new(url))
                .expect("an r2d2 pool"),
        )
    }

    #[test]
    fn writes_through_r2d2_check_out_one_connection_each_given_back_before_the_publish() {
        let (Some(pool), Some(tc)) = (pool(1, Duration::from_secs(2)), TestCache::new()) else {
            return;
        };
        let cache = tc.cache.clone();
        let before = cache.stats().checkouts;
        let user: User = User::create(&mut Pooled(&pool), &cache, &super::new_user()).unwrap();
        assert_eq!(cache.stats().checkouts, before + 1, "create: one");
        let updated = User::update(
            &mut Pooled(&pool),
            &cache,
            &user.id,
            wt_users::name.eq("updated through r2d2"),
        )
        .unwrap();
        assert_eq!(cache.stats().checkouts, before + 2, "update: one");
        assert_eq!(
            User::find(&mut Pooled(&pool), &cache, &user.id).unwrap(),
            Some(updated.clone()),
        );
        assert_eq!(cache.stats().checkouts, before + 2, "the find was a hit");

        for point in [pause::WRITE_LOCKED, pause::WRITE_COMMITTED] {
            let gate = pause::arm(point, &cache.key::<User>(&user.id));
            let (writer_pool, writer_cache) = (pool.clone(), cache.clone());
            let mut changed = updated.clone();
            changed.name = format!("paused at {point}");
            let writer = std::thread::spawn(move || {
                changed.save(&mut Pooled(&writer_pool), &writer_cache)?;
                Ok::<User, Error>(changed)
            });
            gate.wait_until_reached();
            let other = pool.get_timeout(Duration::from_millis(300));
            assert_eq!(
                other.is_ok(),
                point == pause::WRITE_COMMITTED,
                "{point}: is the only connection free?"
            );
            drop(other);
            gate.release();
            let saved = writer.join().unwrap().expect("the paused save");
            assert_eq!(
                User::find(&mut Pooled(&pool), &cache, &user.id).unwrap(),
                Some(saved)
            );
        }

        let held = pool.get().unwrap();
        let unavailable = User::delete(&mut Pooled(&pool), &cache, &user.id);
        assert!(
            matches!(unavailable, Err(Error::Unavailable(_))),
            "{unavailable:?}"
        );
        drop(held);
        assert!(User::delete(&mut Pooled(&pool), &cache, &user.id).unwrap());
        assert_eq!(
            User::find(&mut Pooled(&pool), &cache, &user.id).unwrap(),
            None
        );
    }
}

/// A write through the pool whose future is dropped at any point (an async caller's timeout)
/// never gives the pool a connection inside its transaction: `create` runs one of its own, and
/// so does a `save` marked for the change feed. Dropped after every few hundred microseconds,
/// over many tries; each time the pool's one connection must come back out of any transaction
/// (or be replaced), and the next write must go through.
#[test]
fn a_write_through_the_pool_dropped_mid_flight_leaves_no_connection_inside_a_transaction() {
    use diesel_async::TransactionManager as _;
    let (Some(_), Some(tc)) = (
        write_through_tests::postgres(),
        TestCache::with(|builder| builder.mark_writes_for_feed(true)),
    ) else {
        return;
    };
    let url = write_through_tests::services::postgres_url();
    let cache = tc.cache.clone();
    runtime().block_on(async {
        let pool = deadpool(&url, 1);
        let mut created = Vec::new();
        for attempt in 0..60u64 {
            let budget = Duration::from_micros(100 + attempt * 50);
            let new = new_user();
            let email = new.email.clone();
            let _ = tokio::time::timeout(budget, User::create(&mut Pooled(&pool), &cache, &new)).await;
            let mut user = User {
                id: 0,
                email,
                name: "dropped".into(),
            };
            {
                let mut conn = pool.get().await.expect("the pool's connection");
                let depth = <AsyncPgConnection as AsyncConnection>::TransactionManager::transaction_manager_status_mut(&mut *conn)
                    .transaction_depth();
                assert!(
                    matches!(depth, Ok(None)),
                    "attempt {attempt}: the pool handed out a connection in a transaction: {depth:?}"
                );
                let query = wt_users::table.filter(wt_users::email.eq(&user.email));
                let stored: Option<User> = diesel_async::RunQueryDsl::first(query, &mut *conn)
                    .await
                    .optional()
                    .unwrap();
                match stored {
                    Some(stored) => user.id = stored.id,
                    None => continue,
                }
            }
            created.push(user.id);
            let _ = tokio::time::timeout(budget, user.save(&mut Pooled(&pool), &cache)).await;
            let mut conn = pool.get().await.expect("the pool's connection");
            let depth = <AsyncPgConnection as AsyncConnection>::TransactionManager::transaction_manager_status_mut(&mut *conn)
                .transaction_depth();
            assert!(matches!(depth, Ok(None)), "attempt {attempt}: after save: {depth:?}");
        }
        // The pool still writes, and what it wrote is read back.
        let user: User = User::create(&mut Pooled(&pool), &cache, &new_user())
            .await
            .unwrap();
        assert_eq!(
            User::find(&mut Pooled(&pool), &cache, &user.id).await.unwrap(),
            Some(user.clone())
        );
        created.push(user.id);
        for id in created {
            User::delete(&mut Pooled(&pool), &cache, &id).await.unwrap();
        }
    });
}

/// A write of a model that retires a join model's rows reads the row it replaces first, in a
/// transaction of its own: through a pool, both on the one connection it checked out, which it
/// gives back; the joined rows of the avatar's old and new person are retired.
#[test]
fn a_write_that_retires_a_join_models_rows_runs_on_one_pooled_connection() {
    use write_through_tests::models::{Avatar, NewAvatar, PersonWithAvatar};
    use write_through_tests::schema::wt_people;
    super::on_postgres(async |url, cache| {
        let pool = deadpool(&url, 1);
        let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
        let (from, to) = (unique() as i64, unique() as i64);
        for id in [from, to] {
            let insert = diesel::insert_into(wt_people::table)
                .values((wt_people::id.eq(id), wt_people::name.eq("pooled")));
            diesel_async::RunQueryDsl::execute(insert, &mut conn)
                .await
                .unwrap();
        }
        let new = NewAvatar {
            person_id: from,
            url: format!("https://avatars.example.test/{}.png", unique()),
        };
        let avatar: Avatar = Avatar::create(&mut Pooled(&pool), &cache, &new)
            .await
            .unwrap();
        for id in [from, to] {
            PersonWithAvatar::find(&mut Pooled(&pool), &cache, &id)
                .await
                .unwrap();
        }

        let before = cache.stats().checkouts;
        let moved = Avatar {
            person_id: to,
            ..avatar
        };
        moved.save(&mut Pooled(&pool), &cache).await.unwrap();
        assert_eq!(
            cache.stats().checkouts,
            before + 1,
            "one connection for the save"
        );
        assert_eq!(pool.status().available, pool.status().size, "given back");

        let avatar_of = async |id: i64| {
            let person = PersonWithAvatar::find(&mut Pooled(&pool), &cache, &id).await;
            person.unwrap().unwrap().avatar
        };
        assert_eq!(avatar_of(from).await, None, "the person it left");
        assert_eq!(
            avatar_of(to).await,
            Some(moved.url.clone()),
            "the person it moved to"
        );
    });
}
