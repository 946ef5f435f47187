//! Cancellation: a future of the async front dropped at any `.await` (an axum timeout, a client
//! that went away) never leaves a stale value, never leaves a lock or lease for longer than its
//! TTL, and the cache ends equal to the database.
//!
//! Each operation is run again and again on fresh rows, dropped after its k-th poll for every
//! k until it completes. After each drop: every key it touched holds nothing, a lock or lease
//! that expires within its TTL, or exactly the database's row (or absence); once those expire,
//! a read returns the database's row and the cache holds it. On PostgreSQL and MySQL.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection};
use write_through::asynch::{ModelOps as _, SaveOps as _, TransactionOps as _};
use write_through::{AsyncDieselCreate, AsyncDieselOps, Cache, Error};
use write_through_tests::models::{NewUser, Tag, User};
use write_through_tests::{TestCache, unique};

const LOCK_TTL: Duration = Duration::from_millis(200);

/// Polls a future at most `polls` times (the runtime polls it only after a wake-up, so each
/// poll is one step of progress), then drops it where it stands.
struct DropAfter<F> {
    future: Pin<Box<F>>,
    left: usize,
}

impl<F: Future> Future for DropAfter<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.left -= 1;
        match self.future.as_mut().poll(cx) {
            Poll::Ready(output) => Poll::Ready(Some(output)),
            Poll::Pending if self.left == 0 => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The operations under test, each on fresh rows named after `run`.
#[derive(Debug, Clone, Copy)]
enum Operation {
    /// Overwrites a cached row.
    Save,
    /// Deletes a cached row.
    Delete,
    /// Reads a row that is not cached (lease, load, fill).
    ColdFind,
    /// Reads three rows, one cached, one not, one missing.
    FindMany,
    /// Creates a user.
    Create,
    /// Saves two rows in one transaction.
    Transaction,
}

const OPERATIONS: [Operation; 6] = [
    Operation::Save,
    Operation::Delete,
    Operation::ColdFind,
    Operation::FindMany,
    Operation::Create,
    Operation::Transaction,
];

fn tag(name: &str, uses: i32) -> Tag {
    Tag {
        name: name.to_owned(),
        uses,
    }
}

/// Runs `operation` on fresh rows, dropped after `polls` polls; returns whether it completed,
/// and the tag names it touched.
async fn run<C>(
    connect: &impl Fn() -> Pin<Box<dyn Future<Output = C>>>,
    cache: &Cache,
    operation: Operation,
    polls: usize,
) -> (bool, Vec<String>)
where
    C: AsyncConnection + 'static,
    Tag: AsyncDieselOps<C::Backend>,
    User: AsyncDieselOps<C::Backend>,
    for<'a> User: AsyncDieselCreate<C::Backend, C, &'a NewUser>,
{
    let id = unique();
    let names: Vec<String> = (0..3).map(|i| format!("cancel-{id}-{i}")).collect();
    // Set-up, not dropped: the first row cached, the second in the database only.
    let mut setup = connect().await;
    tag(&names[0], 1).save(&mut setup, cache).await.unwrap();
    tag(&names[1], 1).save(&mut setup, cache).await.unwrap();
    cache.invalidate::<Tag>(&names[1]).unwrap();
    let mut conn = connect().await;
    let new_user = NewUser {
        email: format!("cancel-{id}@example.test"),
        name: "cancelled".into(),
    };
    let completed = match operation {
        Operation::Save => {
            let row = tag(&names[0], 2);
            DropAfter {
                future: Box::pin(async { row.save(&mut conn, cache).await }),
                left: polls,
            }
            .await
            .map(|r| r.unwrap())
            .is_some()
        }
        Operation::Delete => DropAfter {
            future: Box::pin(Tag::delete(&mut conn, cache, &names[0])),
            left: polls,
        }
        .await
        .map(|r| r.unwrap())
        .is_some(),
        Operation::ColdFind => DropAfter {
            future: Box::pin(Tag::find(&mut conn, cache, &names[1])),
            left: polls,
        }
        .await
        .map(|r| r.unwrap())
        .is_some(),
        Operation::FindMany => DropAfter {
            future: Box::pin(Tag::find_many(&mut conn, cache, names.iter())),
            left: polls,
        }
        .await
        .map(|r| r.unwrap())
        .is_some(),
        Operation::Create => DropAfter {
            future: Box::pin(User::create(&mut conn, cache, &new_user)),
            left: polls,
        }
        .await
        .map(|r| r.unwrap())
        .is_some(),
        Operation::Transaction => {
            let (a, b) = (tag(&names[0], 3), tag(&names[1], 3));
            DropAfter {
                future: Box::pin(cache.transaction(&mut conn, async |conn| {
                    a.save(conn, cache).await?;
                    b.save(conn, cache).await?;
                    Ok::<_, Error>(())
                })),
                left: polls,
            }
            .await
            .map(|r| r.unwrap())
            .is_some()
        }
    };
    // A write the library ran in a transaction of its own (`create`, a write marked for the
    // feed) never leaves the connection silently inside it: its transaction state is then
    // broken, which pools and the library refuse.
    if !matches!(operation, Operation::Transaction) {
        use diesel_async::TransactionManager;
        let depth =
            C::TransactionManager::transaction_manager_status_mut(&mut conn).transaction_depth();
        assert!(
            !matches!(depth, Ok(Some(_))),
            "{operation:?} dropped after {polls} polls left an open transaction: {depth:?}"
        );
    }
    // A connection whose transaction future was dropped may still be inside it: closed here,
    // so the database rolls it back, as a pool discards such a connection.
    drop(conn);
    (completed, names)
}

/// The kind byte of a raw value and its remaining TTL.
fn raw(tc: &mut TestCache, name: &str) -> Option<(u8, i64)> {
    let key = tc.key(&format!("tag:{name}"));
    let value: Option<Vec<u8>> = redis::cmd("GET").arg(&key).query(&mut *tc.redis).unwrap();
    let pttl: i64 = redis::cmd("PTTL").arg(&key).query(&mut *tc.redis).unwrap();
    value.map(|v| (v[3], pttl))
}

/// Checks the end state of one dropped (or completed) run.
async fn check<C>(
    connect: &impl Fn() -> Pin<Box<dyn Future<Output = C>>>,
    tc: &mut TestCache,
    names: &[String],
    context: &str,
) where
    C: AsyncConnection + 'static,
    Tag: AsyncDieselOps<C::Backend>,
{
    let mut conn = connect().await;
    let mut longest_hold = Duration::ZERO;
    for name in names {
        let in_db = Tag::load(&mut conn, &name.clone()).await.unwrap();
        match raw(tc, name) {
            None => {}
            // A lock (3), lease (4) or contended lock (5): it must expire within its TTL.
            Some((3..=5, pttl)) => {
                assert!(
                    pttl > 0 && pttl <= LOCK_TTL.as_millis() as i64,
                    "{context}: {name} is held for {pttl} ms"
                );
                longest_hold = longest_hold.max(Duration::from_millis(pttl as u64));
            }
            // A row or an absence: it must be exactly the database's.
            Some((kind, _)) => {
                let cached = Tag::find(&mut conn, &tc.cache, &name.clone())
                    .await
                    .unwrap();
                assert_eq!(cached, in_db, "{context}: {name} (kind {kind}) is stale");
            }
        }
    }
    tokio::time::sleep(longest_hold + Duration::from_millis(20)).await;
    for name in names {
        let in_db = Tag::load(&mut conn, &name.clone()).await.unwrap();
        let read = Tag::find(&mut conn, &tc.cache, &name.clone())
            .await
            .unwrap();
        assert_eq!(
            read, in_db,
            "{context}: {name} read after the locks expired"
        );
        if in_db.is_some() {
            assert_eq!(
                raw(tc, name).map(|(kind, _)| kind),
                Some(1),
                "{context}: {name} refilled"
            );
        }
    }
}

fn harness<C>(connect: impl Fn() -> Pin<Box<dyn Future<Output = C>>>, mark_writes: bool)
where
    C: AsyncConnection + 'static,
    Tag: AsyncDieselOps<C::Backend>,
    User: AsyncDieselOps<C::Backend>,
    for<'a> User: AsyncDieselCreate<C::Backend, C, &'a NewUser>,
{
    let Some(mut tc) = TestCache::with(|builder| {
        builder
            .lock_ttl(LOCK_TTL)
            .lease_ttl(LOCK_TTL)
            .lease_wait(Duration::from_millis(50))
            .mark_writes_for_feed(mark_writes)
    }) else {
        return;
    };
    let runtime = write_through_tests::fronts::runtime();
    let cache = tc.cache.clone();
    for operation in OPERATIONS {
        let mut polls = 1;
        loop {
            let (completed, names) = runtime.block_on(run(&connect, &cache, operation, polls));
            let context = format!("{operation:?} dropped after {polls} polls");
            runtime.block_on(check(&connect, &mut tc, &names, &context));
            if completed {
                println!(
                    "{operation:?}: completes after {polls} polls; every earlier drop checked"
                );
                break;
            }
            polls += 1;
            assert!(polls < 200, "{operation:?} never completes");
        }
    }
}

/// Connections to the suites' PostgreSQL, or `None` (skipped) when it does not answer.
fn postgres_connections() -> Option<impl Fn() -> Pin<Box<dyn Future<Output = AsyncPgConnection>>>> {
    write_through_tests::postgres()?;
    let url = write_through_tests::services::postgres_url();
    Some(move || {
        let url = url.clone();
        Box::pin(async move {
            AsyncPgConnection::establish(&url)
                .await
                .expect("PostgreSQL")
        }) as Pin<Box<dyn Future<Output = AsyncPgConnection>>>
    })
}

#[test]
fn a_dropped_operation_leaves_no_stale_value_and_no_lock_beyond_its_ttl_on_postgres() {
    if let Some(connect) = postgres_connections() {
        harness(connect, false);
    }
}

/// The same with the writes marked for the change feed: each `save` and `delete` then runs in a
/// transaction of its own (`BEGIN`, the statement, the mark, `COMMIT`), dropped at every point.
#[test]
fn a_dropped_marked_write_leaves_no_stale_value_and_no_open_transaction_on_postgres() {
    if let Some(connect) = postgres_connections() {
        harness(connect, true);
    }
}

#[test]
fn a_dropped_operation_leaves_no_stale_value_and_no_lock_beyond_its_ttl_on_mysql() {
    if write_through_tests::mysql().is_none() {
        return;
    }
    let url = write_through_tests::services::mysql_url();
    harness(
        move || {
            let url = url.clone();
            Box::pin(async move { AsyncMysqlConnection::establish(&url).await.expect("MySQL") })
        },
        false,
    );
}
