//! Reads through a shared `&AsyncPgConnection`, diesel-async's pipelining form, written as
//! crates.io writes its queries (`mut conn: &AsyncPgConnection`, then `&mut conn`): a miss fills
//! and the next read is a hit; several reads pipelined on one connection each get their row; and
//! a read inside a transaction, which the library cannot see through a shared reference, asks the
//! server and does not fill (the row it read may be the transaction's own, not committed, or
//! come from an older snapshot).

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, TransactionManager};
use write_through::asynch::ModelOps as _;
use write_through::{Cache, Error};
use write_through_tests::models::{Account, NewAccount, NewUser, User};
use write_through_tests::schema::{wt_accounts, wt_users};
use write_through_tests::unique;

/// Runs `test` with a connection to the suites' PostgreSQL and a cache of its own (see
/// `on_postgres`).
fn on_postgres(test: impl AsyncFnOnce(AsyncPgConnection, Cache)) {
    super::on_postgres(async |url, cache| {
        let conn = AsyncPgConnection::establish(&url).await.unwrap();
        test(conn, cache).await;
    });
}

/// A user in the database only (inserted without the library, so its key is cold).
async fn uncached_user(conn: &mut AsyncPgConnection) -> User {
    diesel::insert_into(wt_users::table)
        .values(NewUser {
            email: format!("shared-{}@example.test", unique()),
            name: "shared".into(),
        })
        .returning(User::as_returning())
        .get_result(conn)
        .await
        .expect("insert")
}

/// What a crates.io handler does: a function taking the shared reference.
async fn user_by_id(
    mut conn: &AsyncPgConnection,
    cache: &Cache,
    id: i64,
) -> Result<Option<User>, Error> {
    User::find(&mut conn, cache, &id).await
}

#[test]
fn a_miss_through_a_shared_connection_fills_and_the_next_read_is_a_hit() {
    on_postgres(async |mut owned, cache| {
        let user = uncached_user(&mut owned).await;
        let other = uncached_user(&mut owned).await;
        let conn: &AsyncPgConnection = &owned;

        let before = cache.stats();
        assert_eq!(
            user_by_id(conn, &cache, user.id).await.unwrap(),
            Some(user.clone())
        );
        let after_miss = cache.stats();
        assert_eq!(
            after_miss.misses - before.misses,
            1,
            "the first read missed"
        );
        assert_eq!(after_miss.fills - before.fills, 1, "and filled");
        assert_eq!(
            user_by_id(conn, &cache, user.id).await.unwrap(),
            Some(user.clone())
        );
        assert_eq!(
            cache.stats().hits - after_miss.hits,
            1,
            "the second read is a hit"
        );

        // find_many: one miss filled, one hit.
        let mut shared = conn;
        let many = User::find_many(&mut shared, &cache, [&user.id, &other.id])
            .await
            .unwrap();
        assert_eq!(many, vec![Some(user.clone()), Some(other.clone())]);
        let again = User::find_many(&mut shared, &cache, [&other.id])
            .await
            .unwrap();
        assert_eq!(again, vec![Some(other)]);
        let stats = cache.stats();
        assert_eq!(stats.fills - before.fills, 2, "both rows were filled once");
        assert_eq!(stats.hits - after_miss.hits, 3);
    });
}

#[test]
fn reads_pipelined_on_one_shared_connection_each_get_their_row() {
    on_postgres(async |mut owned, cache| {
        let mut users = Vec::new();
        for _ in 0..16 {
            users.push(uncached_user(&mut owned).await);
        }
        let conn: &AsyncPgConnection = &owned;
        // Every read at once on the one connection: their questions and loads interleave.
        let found = futures_util::future::join_all(
            users.iter().map(|user| user_by_id(conn, &cache, user.id)),
        )
        .await;
        for (user, found) in users.iter().zip(found) {
            assert_eq!(found.unwrap().as_ref(), Some(user));
        }
        // And they filled: each is a hit now.
        let hits = cache.stats().hits;
        for user in &users {
            assert_eq!(
                user_by_id(conn, &cache, user.id).await.unwrap().as_ref(),
                Some(user)
            );
        }
        assert_eq!(cache.stats().hits - hits, users.len() as u64);
    });
}

/// Opens a transaction on `conn` as diesel-async's `transaction` does.
async fn begin(conn: &mut AsyncPgConnection) {
    <AsyncPgConnection as AsyncConnection>::TransactionManager::begin_transaction(conn)
        .await
        .expect("BEGIN");
}

async fn rollback(conn: &mut AsyncPgConnection) {
    <AsyncPgConnection as AsyncConnection>::TransactionManager::rollback_transaction(conn)
        .await
        .expect("ROLLBACK");
}

#[test]
fn a_read_of_a_transactions_own_write_through_a_shared_connection_is_not_cached() {
    on_postgres(async |mut owned, cache| {
        let user = uncached_user(&mut owned).await;
        let fills = cache.stats().fills;

        begin(&mut owned).await;
        diesel::update(wt_users::table.find(user.id))
            .set(wt_users::name.eq("uncommitted"))
            .execute(&mut owned)
            .await
            .unwrap();
        let seen = user_by_id(&owned, &cache, user.id).await.unwrap().unwrap();
        assert_eq!(
            seen.name, "uncommitted",
            "the transaction reads its own write"
        );
        let mut conn: &AsyncPgConnection = &owned;
        let many = User::find_many(&mut conn, &cache, [&user.id])
            .await
            .unwrap();
        assert_eq!(
            many[0].as_ref().map(|u| u.name.as_str()),
            Some("uncommitted")
        );
        rollback(&mut owned).await;

        assert_eq!(
            cache.stats().fills,
            fills,
            "the uncommitted row was not cached"
        );
        assert_eq!(
            user_by_id(&owned, &cache, user.id).await.unwrap(),
            Some(user.clone()),
            "after the rollback, the committed row"
        );
        assert_eq!(
            cache.stats().fills,
            fills + 1,
            "outside the transaction, it fills"
        );
    });
}

#[test]
fn a_read_from_an_older_snapshot_through_a_shared_connection_is_not_cached() {
    on_postgres(async |mut owned, cache| {
        let url = write_through_tests::services::postgres_url();
        let mut other = AsyncPgConnection::establish(&url).await.unwrap();
        let user = uncached_user(&mut owned).await;
        let fills = cache.stats().fills;

        // A repeatable-read transaction that writes nothing takes its snapshot...
        begin(&mut owned).await;
        diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut owned)
            .await
            .unwrap();
        diesel::sql_query("SELECT 1")
            .execute(&mut owned)
            .await
            .unwrap();
        // ...then another connection renames the user and commits.
        diesel::update(wt_users::table.find(user.id))
            .set(wt_users::name.eq("renamed"))
            .execute(&mut other)
            .await
            .unwrap();
        let seen = user_by_id(&owned, &cache, user.id).await.unwrap().unwrap();
        assert_eq!(seen.name, user.name, "the snapshot predates the rename");
        rollback(&mut owned).await;

        assert_eq!(cache.stats().fills, fills, "the older row was not cached");
        let now = user_by_id(&owned, &cache, user.id).await.unwrap().unwrap();
        assert_eq!(now.name, "renamed");
    });
}

#[test]
fn a_read_inside_a_read_committed_transaction_that_wrote_nothing_fills() {
    on_postgres(async |mut owned, cache| {
        let user = uncached_user(&mut owned).await;
        let fills = cache.stats().fills;
        // Each statement of it reads the latest commit, as one outside a transaction does.
        begin(&mut owned).await;
        assert_eq!(
            user_by_id(&owned, &cache, user.id).await.unwrap(),
            Some(user)
        );
        rollback(&mut owned).await;
        assert_eq!(cache.stats().fills, fills + 1);
    });
}

#[test]
fn a_unique_lookup_through_a_shared_connection_fills_and_hits() {
    on_postgres(async |mut owned, cache| {
        let account: Account = diesel::insert_into(wt_accounts::table)
            .values(NewAccount {
                email: format!("shared-{}@example.test", unique()),
                org_id: 1,
                handle: format!("h{}", unique()),
                login: None,
                name: "shared".into(),
            })
            .returning(Account::as_returning())
            .get_result(&mut owned)
            .await
            .unwrap();
        let mut conn: &AsyncPgConnection = &owned;
        // A cold lookup fills the entry, the second the row (see the unique-index guide); the
        // third is a hit.
        for _ in 0..3 {
            let found = Account::find_by_email(&mut conn, &cache, &account.email).await;
            assert_eq!(found.unwrap().as_ref(), Some(&account));
        }
        let hits = cache.stats().hits;
        let many = Account::find_many_by_email(&mut conn, &cache, [account.email.as_str()]).await;
        assert_eq!(many.unwrap(), vec![Some(account.clone())]);
        assert_eq!(cache.stats().hits - hits, 1, "served from Redis");

        // Inside a transaction that renamed it, the lookup of a new value reads the
        // transaction's row and caches nothing.
        let fills = cache.stats().fills;
        let email = format!("renamed-{}@example.test", unique());
        begin(&mut owned).await;
        diesel::update(wt_accounts::table.find(account.id))
            .set(wt_accounts::email.eq(&email))
            .execute(&mut owned)
            .await
            .unwrap();
        let mut conn: &AsyncPgConnection = &owned;
        let found = Account::find_by_email(&mut conn, &cache, email.as_str())
            .await
            .unwrap();
        assert_eq!(found.map(|a| a.id), Some(account.id));
        rollback(&mut owned).await;
        assert_eq!(
            cache.stats().fills,
            fills,
            "nothing cached from inside the transaction"
        );
        let mut conn: &AsyncPgConnection = &owned;
        assert_eq!(
            Account::find_by_email(&mut conn, &cache, email.as_str())
                .await
                .unwrap(),
            None,
            "the rename never committed"
        );
    });
}

/// A collection listed through a shared connection: the first listing fills the entry, the
/// second the rows it found missing, the third is a hit; inside a transaction that added a
/// child, a listing reads the transaction's rows and caches nothing.
#[test]
fn a_collection_listed_through_a_shared_connection_fills_and_skips_a_transactions_rows() {
    use write_through_tests::models::{Comment, NewComment};
    use write_through_tests::schema::wt_comments;
    on_postgres(async |mut owned, cache| {
        let post = unique() as i64;
        for rank in [1, 2] {
            diesel::insert_into(wt_comments::table)
                .values(NewComment {
                    post_id: post,
                    rank,
                    body: format!("rank {rank}"),
                })
                .execute(&mut owned)
                .await
                .unwrap();
        }
        let mut conn: &AsyncPgConnection = &owned;
        for _ in 0..3 {
            let listed = Comment::find_all_by_post_id(&mut conn, &cache, &post).await;
            let ranks: Vec<i32> = listed.unwrap().iter().map(|c| c.rank).collect();
            assert_eq!(ranks, [2, 1]);
        }
        let hits = cache.stats().hits;
        let listed = Comment::find_all_by_post_id_in(&mut conn, &cache, [&post]).await;
        assert_eq!(listed.unwrap()[0].len(), 2);
        assert_eq!(cache.stats().hits - hits, 1, "served from Redis");

        // Inside a transaction that added a comment (written behind the cache's back), a
        // listing of another post reads the database and caches nothing.
        let other = unique() as i64;
        let fills = cache.stats().fills;
        begin(&mut owned).await;
        diesel::insert_into(wt_comments::table)
            .values(NewComment {
                post_id: other,
                rank: 5,
                body: "uncommitted".into(),
            })
            .execute(&mut owned)
            .await
            .unwrap();
        let mut conn: &AsyncPgConnection = &owned;
        let inside = Comment::find_all_by_post_id(&mut conn, &cache, &other).await;
        assert_eq!(inside.unwrap().len(), 1, "the transaction's own row");
        rollback(&mut owned).await;
        assert_eq!(
            cache.stats().fills,
            fills,
            "nothing cached from inside the transaction"
        );
        let mut conn: &AsyncPgConnection = &owned;
        let after = Comment::find_all_by_post_id(&mut conn, &cache, &other).await;
        assert!(after.unwrap().is_empty(), "the insert never committed");
    });
}
