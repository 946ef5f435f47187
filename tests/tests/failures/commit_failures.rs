//! A write whose statement returned its row can still fail to commit: a deferred constraint
//! checked at `COMMIT`, a server that dies while a deferred trigger runs, a commit record
//! written but never acknowledged. The library learns each statement's whole outcome, commit
//! included, before it publishes: a refused commit is the database's own error and puts back
//! what the lock replaced; a lost one (unknown outcome) deletes the key. Once the locks' TTL
//! has passed, every key equals its row.
//!
//! Each specification runs on both fronts, on PostgreSQL and SQLite (both have deferred
//! constraints); the faults run on private servers, and MariaDB (which checks constraints at
//! once, so a refusal is the statement's own error) has its connection killed mid-write.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use diesel::connection::{LoadConnection, SimpleConnection};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as Diesel};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use serde::{Deserialize, Serialize};
use write_through::{AsyncDieselCreate, AsyncDieselOps, DieselCreate, DieselOps};
use write_through::{Cache, Error, WriteThrough};
use write_through_tests::fronts::{Async, AsyncSqlite, Blocking};
use write_through_tests::private_postgres::PrivatePostgres;
use write_through_tests::services::{create_tables, mysql_url, postgres_url};
use write_through_tests::{TestCache, unique};

diesel::table! {
    wt_commit_children (id) {
        id -> BigInt,
        parent_id -> BigInt,
        label -> Text,
        version -> Integer,
    }
}

/// A row whose parent is checked at `COMMIT` (a deferred foreign key).
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
    Debug,
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_commit_children)]
#[write_through(key = "commit-child:{id}", ttl = "1h", partial_save)]
struct Child {
    id: i64,
    parent_id: i64,
    label: String,
}

/// The same rows under optimistic locking (its own keys).
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
    Debug,
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_commit_children)]
#[write_through(key = "commit-versioned:{id}", ttl = "1h")]
struct VersionedChild {
    id: i64,
    parent_id: i64,
    label: String,
    #[write_through(version)]
    #[diesel(skip_update)]
    version: i32,
}

#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = wt_commit_children)]
struct NewChild {
    parent_id: i64,
    label: String,
}

/// No parent ever has this id: a child pointing at it is refused at `COMMIT`.
const NO_PARENT: i64 = -1;
/// Every test's children point at this parent.
const PARENT: i64 = 1;

/// The tables, the deferred constraints, and the parent: children need a parent at `COMMIT`,
/// and a child that a pin points at cannot be deleted (the pin is checked at `COMMIT` too).
const POSTGRES_DDL: &str = "
    CREATE TABLE IF NOT EXISTS wt_commit_parents (id BIGINT PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS wt_commit_children (
        id BIGSERIAL PRIMARY KEY,
        parent_id BIGINT NOT NULL REFERENCES wt_commit_parents (id) DEFERRABLE INITIALLY DEFERRED,
        label TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS wt_commit_pins (
        child_id BIGINT PRIMARY KEY REFERENCES wt_commit_children (id) DEFERRABLE INITIALLY DEFERRED);
    INSERT INTO wt_commit_parents VALUES (1) ON CONFLICT DO NOTHING;
";

/// SQLite checks deferred foreign keys at `COMMIT` once `foreign_keys` is on (per connection).
const SQLITE_DDL: &str = "
    PRAGMA foreign_keys = ON;
    CREATE TABLE IF NOT EXISTS wt_commit_parents (id INTEGER PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS wt_commit_children (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        parent_id BIGINT NOT NULL REFERENCES wt_commit_parents (id) DEFERRABLE INITIALLY DEFERRED,
        label TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS wt_commit_pins (
        child_id BIGINT PRIMARY KEY REFERENCES wt_commit_children (id) DEFERRABLE INITIALLY DEFERRED);
    INSERT OR IGNORE INTO wt_commit_parents VALUES (1);
";

/// The lock TTL of these tests' caches: the end state is checked after it.
const LOCK_TTL: Duration = Duration::from_millis(500);

fn test_cache() -> Option<TestCache> {
    TestCache::with(|builder| builder.lock_ttl(LOCK_TTL))
}

/// What a specification needs from a front.
trait Front {
    fn name(&self) -> &'static str;
    fn save(&mut self, cache: &Cache, child: &Child) -> Result<(), Error>;
    fn save_versioned(&mut self, cache: &Cache, child: &mut VersionedChild) -> Result<(), Error>;
    fn create(&mut self, cache: &Cache, new: &NewChild) -> Result<Child, Error>;
    fn delete(&mut self, cache: &Cache, id: i64) -> Result<bool, Error>;
    /// `save` inside `cache.transaction`.
    fn save_in_transaction(&mut self, cache: &Cache, child: &Child) -> Result<(), Error>;
    fn find(&mut self, cache: &Cache, id: i64) -> Result<Option<Child>, Error>;
    fn find_versioned(&mut self, cache: &Cache, id: i64) -> Result<Option<VersionedChild>, Error>;
    /// The row in the database, read past the cache.
    fn stored(&mut self, id: i64) -> Option<Child>;
    /// SQL behind the cache's back.
    fn execute(&mut self, sql: &str);
}

/// The blocking front, with its traits in scope alone (both fronts name their methods alike).
mod blocking_front {
    use super::*;
    use write_through::blocking::{ModelOps as _, SaveOps as _, TransactionOps as _};

    impl<C> Front for Blocking<C>
    where
        C: Connection + LoadConnection + SimpleConnection,
        Child: DieselOps<C::Backend>,
        VersionedChild: DieselOps<C::Backend>,
        for<'a> Child: DieselCreate<C::Backend, C, &'a NewChild>,
    {
        fn name(&self) -> &'static str {
            "blocking"
        }
        fn save(&mut self, cache: &Cache, child: &Child) -> Result<(), Error> {
            child.save(&mut self.0, cache)
        }
        fn save_versioned(
            &mut self,
            cache: &Cache,
            child: &mut VersionedChild,
        ) -> Result<(), Error> {
            child.save(&mut self.0, cache)
        }
        fn create(&mut self, cache: &Cache, new: &NewChild) -> Result<Child, Error> {
            Child::create(&mut self.0, cache, new)
        }
        fn delete(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
            Child::delete(&mut self.0, cache, &id)
        }
        fn save_in_transaction(&mut self, cache: &Cache, child: &Child) -> Result<(), Error> {
            cache.transaction(&mut self.0, |conn| child.save(conn, cache))
        }
        fn find(&mut self, cache: &Cache, id: i64) -> Result<Option<Child>, Error> {
            Child::find(&mut self.0, cache, &id)
        }
        fn find_versioned(
            &mut self,
            cache: &Cache,
            id: i64,
        ) -> Result<Option<VersionedChild>, Error> {
            VersionedChild::find(&mut self.0, cache, &id)
        }
        fn stored(&mut self, id: i64) -> Option<Child> {
            <Child as DieselOps<C::Backend>>::load(&mut self.0, &id).expect("read the row")
        }
        fn execute(&mut self, sql: &str) {
            self.0.batch_execute(sql).expect("SQL by hand");
        }
    }
}

/// The async front, with its traits in scope alone.
mod async_front {
    use super::*;
    use write_through::asynch::{ModelOps as _, SaveOps as _, TransactionOps as _};

    impl<C> Front for Async<C>
    where
        C: AsyncConnection + SimpleAsyncConnection + 'static,
        Child: AsyncDieselOps<C::Backend>,
        VersionedChild: AsyncDieselOps<C::Backend>,
        for<'a> Child: AsyncDieselCreate<C::Backend, C, &'a NewChild>,
    {
        fn name(&self) -> &'static str {
            "async"
        }
        fn save(&mut self, cache: &Cache, child: &Child) -> Result<(), Error> {
            self.runtime.block_on(child.save(&mut self.conn, cache))
        }
        fn save_versioned(
            &mut self,
            cache: &Cache,
            child: &mut VersionedChild,
        ) -> Result<(), Error> {
            self.runtime.block_on(child.save(&mut self.conn, cache))
        }
        fn create(&mut self, cache: &Cache, new: &NewChild) -> Result<Child, Error> {
            self.runtime
                .block_on(Child::create(&mut self.conn, cache, new))
        }
        fn delete(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
            self.runtime
                .block_on(Child::delete(&mut self.conn, cache, &id))
        }
        fn save_in_transaction(&mut self, cache: &Cache, child: &Child) -> Result<(), Error> {
            self.runtime.block_on(
                cache.transaction(&mut self.conn, async |conn| child.save(conn, cache).await),
            )
        }
        fn find(&mut self, cache: &Cache, id: i64) -> Result<Option<Child>, Error> {
            self.runtime
                .block_on(Child::find(&mut self.conn, cache, &id))
        }
        fn find_versioned(
            &mut self,
            cache: &Cache,
            id: i64,
        ) -> Result<Option<VersionedChild>, Error> {
            self.runtime
                .block_on(VersionedChild::find(&mut self.conn, cache, &id))
        }
        fn stored(&mut self, id: i64) -> Option<Child> {
            self.runtime
                .block_on(<Child as AsyncDieselOps<C::Backend>>::load(
                    &mut self.conn,
                    &id,
                ))
                .expect("read the row")
        }
        fn execute(&mut self, sql: &str) {
            self.runtime
                .block_on(self.conn.batch_execute(sql))
                .expect("SQL by hand");
        }
    }
}

/// A key no other test uses (positive, within a BIGINT and an SQLite INTEGER).
fn fresh_id() -> i64 {
    (unique() % (i64::MAX as u64 >> 1)) as i64 + 1_000_000
}

fn child(id: i64, parent_id: i64, label: &str) -> Child {
    Child {
        id,
        parent_id,
        label: label.into(),
    }
}

/// The error of a write refused at `COMMIT` by the deferred foreign key: the database's own.
fn assert_refused_by_the_foreign_key<T: std::fmt::Debug>(result: Result<T, Error>, what: &str) {
    match result {
        Err(Error::Database(Diesel::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _))) => {}
        other => panic!("{what}: expected the foreign key's refusal at COMMIT, got {other:?}"),
    }
}

/// After the lock TTL, what `find` answers is the database's row.
fn assert_settled(front: &mut dyn Front, cache: &Cache, id: i64) {
    thread::sleep(LOCK_TTL + Duration::from_millis(100));
    let stored = front.stored(id);
    assert_eq!(
        front.find(cache, id).expect("find"),
        stored,
        "{}: the cache disagrees with the database once the locks expired",
        front.name()
    );
    assert_eq!(front.find(cache, id).expect("find again"), stored);
}

// ---- the specifications ----------------------------------------------------------------------

/// `save` of an existing, cached row, refused at `COMMIT`: the database's error, the old row
/// both stored and served (the lock put back what it replaced).
fn a_save_refused_at_commit_returns_its_error_and_keeps_the_old_row(
    front: &mut dyn Front,
    tc: &mut TestCache,
) {
    let id = fresh_id();
    let kept = child(id, PARENT, "kept");
    front
        .save(&tc.cache, &kept)
        .expect("a save the database accepts");
    assert_eq!(front.find(&tc.cache, id).unwrap(), Some(kept.clone()));

    let refused = front.save(&tc.cache, &child(id, NO_PARENT, "refused"));
    assert_refused_by_the_foreign_key(refused, front.name());
    assert_eq!(
        front.stored(id),
        Some(kept.clone()),
        "the commit was refused"
    );
    assert_eq!(
        front.find(&tc.cache, id).unwrap(),
        Some(kept),
        "{}: a row the database never committed was served",
        front.name()
    );
    assert_settled(front, &tc.cache, id);
}

/// `save` of a new row, refused at `COMMIT`: no row, and none served.
fn a_new_row_refused_at_commit_is_never_served(front: &mut dyn Front, tc: &mut TestCache) {
    let id = fresh_id();
    assert_eq!(front.find(&tc.cache, id).unwrap(), None);
    let refused = front.save(&tc.cache, &child(id, NO_PARENT, "never"));
    assert_refused_by_the_foreign_key(refused, front.name());
    assert_eq!(front.stored(id), None);
    assert_eq!(front.find(&tc.cache, id).unwrap(), None);
    assert_settled(front, &tc.cache, id);
}

/// Optimistic locking's `save` (an `UPDATE ... RETURNING`, or an insert), refused at `COMMIT`:
/// the caller's version is unchanged and the old row is served.
fn a_versioned_save_refused_at_commit_changes_nothing(front: &mut dyn Front, tc: &mut TestCache) {
    let id = fresh_id();
    let mut row = VersionedChild {
        id,
        parent_id: NO_PARENT,
        label: "new".into(),
        version: 0,
    };
    // The insert path.
    assert_refused_by_the_foreign_key(front.save_versioned(&tc.cache, &mut row), front.name());
    assert_eq!(row.version, 0);
    assert_eq!(front.find_versioned(&tc.cache, id).unwrap(), None);
    // The update path.
    row.parent_id = PARENT;
    front.save_versioned(&tc.cache, &mut row).expect("accepted");
    let accepted = row.clone();
    assert_eq!(
        front.find_versioned(&tc.cache, id).unwrap(),
        Some(accepted.clone())
    );
    row.parent_id = NO_PARENT;
    row.label = "refused".into();
    assert_refused_by_the_foreign_key(front.save_versioned(&tc.cache, &mut row), front.name());
    assert_eq!(
        row.version, accepted.version,
        "a refused save adopted a version"
    );
    assert_eq!(
        front.find_versioned(&tc.cache, id).unwrap(),
        Some(accepted),
        "{}: a row the database never committed was served",
        front.name()
    );
    assert_settled(front, &tc.cache, id);
}

/// `create` refused at `COMMIT`: an error, and the id it would have had is never served.
fn a_create_refused_at_commit_returns_its_error(front: &mut dyn Front, tc: &mut TestCache) {
    let accepted = front
        .create(
            &tc.cache,
            &NewChild {
                parent_id: PARENT,
                label: "first".into(),
            },
        )
        .expect("accepted");
    let refused = front.create(
        &tc.cache,
        &NewChild {
            parent_id: NO_PARENT,
            label: "refused".into(),
        },
    );
    assert_refused_by_the_foreign_key(refused, front.name());
    // Sequences skip the refused id; every id after the accepted one is unused.
    for id in accepted.id + 1..accepted.id + 4 {
        assert_eq!(front.stored(id), None);
        assert_eq!(front.find(&tc.cache, id).unwrap(), None);
    }
    assert_settled(front, &tc.cache, accepted.id);
}

/// `delete` refused at `COMMIT` (a pin still points at the row): the row stays, and is served.
fn a_delete_refused_at_commit_keeps_the_row(front: &mut dyn Front, tc: &mut TestCache) {
    let id = fresh_id();
    let pinned = child(id, PARENT, "pinned");
    front.save(&tc.cache, &pinned).unwrap();
    front.execute(&format!("INSERT INTO wt_commit_pins VALUES ({id})"));
    assert_eq!(front.find(&tc.cache, id).unwrap(), Some(pinned.clone()));
    assert_refused_by_the_foreign_key(front.delete(&tc.cache, id), front.name());
    assert_eq!(front.stored(id), Some(pinned.clone()));
    assert_eq!(front.find(&tc.cache, id).unwrap(), Some(pinned));
    assert_settled(front, &tc.cache, id);
}

/// A transaction whose `COMMIT` the deferred foreign key refuses: the database's error, and
/// once the locks expired the old row is served.
fn a_transaction_refused_at_commit_returns_its_error(front: &mut dyn Front, tc: &mut TestCache) {
    let id = fresh_id();
    let kept = child(id, PARENT, "kept");
    front.save(&tc.cache, &kept).unwrap();
    assert_eq!(front.find(&tc.cache, id).unwrap(), Some(kept.clone()));
    let refused = front.save_in_transaction(&tc.cache, &child(id, NO_PARENT, "refused"));
    assert_refused_by_the_foreign_key(refused, front.name());
    assert_eq!(front.stored(id), Some(kept.clone()));
    assert_eq!(front.find(&tc.cache, id).unwrap(), Some(kept));
    assert_settled(front, &tc.cache, id);
}

macro_rules! specifications {
    ($($spec:ident),* $(,)?) => {
        mod blocking_postgres {
            $(#[test] fn $spec() {
                let (Some(front), Some(mut tc)) = (super::blocking_postgres(), super::test_cache()) else { return };
                super::$spec(&mut { front }, &mut tc);
            })*
        }
        mod async_postgres {
            $(#[test] fn $spec() {
                let (Some(front), Some(mut tc)) = (super::async_postgres(), super::test_cache()) else { return };
                super::$spec(&mut { front }, &mut tc);
            })*
        }
        mod blocking_sqlite {
            $(#[test] fn $spec() {
                let Some(mut tc) = super::test_cache() else { return };
                let (front, _dir) = super::blocking_sqlite();
                super::$spec(&mut { front }, &mut tc);
            })*
        }
        mod async_sqlite {
            $(#[test] fn $spec() {
                let Some(mut tc) = super::test_cache() else { return };
                let (front, _dir) = super::async_sqlite();
                super::$spec(&mut { front }, &mut tc);
            })*
        }
    };
}

specifications!(
    a_save_refused_at_commit_returns_its_error_and_keeps_the_old_row,
    a_new_row_refused_at_commit_is_never_served,
    a_versioned_save_refused_at_commit_changes_nothing,
    a_create_refused_at_commit_returns_its_error,
    a_delete_refused_at_commit_keeps_the_row,
    a_transaction_refused_at_commit_returns_its_error,
);

// ---- connections ------------------------------------------------------------------------------

fn blocking_postgres_at(url: &str) -> Option<Blocking<PgConnection>> {
    let mut conn = match PgConnection::establish(url) {
        Ok(conn) => conn,
        Err(error) => {
            write_through_tests::skipped::skip(&format!("PostgreSQL is not reachable: {error}"));
            return None;
        }
    };
    create_tables(&mut conn, &[POSTGRES_DDL]);
    Some(Blocking(conn))
}

fn blocking_postgres() -> Option<Blocking<PgConnection>> {
    blocking_postgres_at(&postgres_url())
}

fn async_postgres_at(url: &str) -> Option<Async<diesel_async::AsyncPgConnection>> {
    blocking_postgres_at(url)?;
    let url = url.to_owned();
    Some(Async::connect(|| async move {
        diesel_async::AsyncPgConnection::establish(&url)
            .await
            .expect("PostgreSQL answered a moment ago")
    }))
}

fn async_postgres() -> Option<Async<diesel_async::AsyncPgConnection>> {
    async_postgres_at(&postgres_url())
}

fn sqlite_file() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("commit.sqlite");
    (path.to_string_lossy().into_owned(), dir)
}

fn blocking_sqlite() -> (Blocking<SqliteConnection>, tempfile::TempDir) {
    let (path, dir) = sqlite_file();
    let mut conn = SqliteConnection::establish(&path).expect("open SQLite");
    conn.batch_execute(SQLITE_DDL).expect("the SQLite tables");
    (Blocking(conn), dir)
}

fn async_sqlite() -> (Async<AsyncSqlite>, tempfile::TempDir) {
    let (path, dir) = sqlite_file();
    let mut conn = SqliteConnection::establish(&path).expect("open SQLite");
    conn.batch_execute(SQLITE_DDL).expect("the SQLite tables");
    let front = Async {
        conn: AsyncSqlite::new(conn),
        runtime: write_through_tests::fronts::runtime(),
    };
    (front, dir)
}

// ---- faults at COMMIT on private servers ------------------------------------------------------

/// Where the private server's fault strikes.
#[derive(Clone, Copy, Debug)]
enum CommitFault {
    /// While a deferred trigger runs at `COMMIT`: nothing committed.
    InDeferredTrigger,
    /// After the commit record, while the server waits for a synchronous standby that never
    /// answers: committed, never acknowledged.
    AwaitingTheStandby,
}

/// `save` of a cached row on a private PostgreSQL that is stopped (immediately) during the
/// commit: the save reports the lost connection, never success; the same connection then
/// says it is gone; and once the server is back and the locks expired, `find` serves the row
/// the database has (the old one, or the new one that committed without acknowledgement).
fn a_server_lost_during_commit(fault: CommitFault, asynchronous: bool) {
    let (Some(pg), Some(tc)) = (PrivatePostgres::start(), test_cache()) else {
        return;
    };
    let url = pg.url();
    let mut setup = blocking_postgres_at(&url).expect("the private PostgreSQL");
    setup.execute(
        "CREATE FUNCTION wt_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.label = 'slow' THEN PERFORM pg_sleep(30); END IF; RETURN NULL; END $$;
         CREATE CONSTRAINT TRIGGER wt_slow_commit AFTER INSERT OR UPDATE ON wt_commit_children
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wt_slow_commit();",
    );
    let mut front: Box<dyn Front + Send> = if asynchronous {
        Box::new(async_postgres_at(&url).unwrap())
    } else {
        Box::new(blocking_postgres_at(&url).unwrap())
    };
    let id = fresh_id();
    let old = child(id, PARENT, "old");
    front.save(&tc.cache, &old).unwrap();
    assert_eq!(front.find(&tc.cache, id).unwrap(), Some(old.clone()));
    let new = match fault {
        CommitFault::InDeferredTrigger => child(id, PARENT, "slow"),
        CommitFault::AwaitingTheStandby => {
            // One statement each: ALTER SYSTEM refuses to run inside a transaction block.
            setup.execute("ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
            setup.execute("SELECT pg_reload_conf()");
            // The reload reaches each session at its next statement, once the postmaster has
            // re-read the file and signalled them; a new session seeing the setting proves it
            // has, and a statement on the saving session then takes it in.
            write_through_tests::services::wait_until(
                "the reloaded setting",
                Duration::from_secs(20),
                || {
                    PgConnection::establish(&url).is_ok_and(|mut fresh| {
                        diesel::sql_query(
                            "SELECT 1 WHERE current_setting('synchronous_standby_names') = 'nobody'",
                        )
                        .execute(&mut fresh)
                        .is_ok_and(|rows| rows == 1)
                    })
                },
            );
            front.execute("SELECT 1");
            child(id, PARENT, "unacknowledged")
        }
    };
    let name = front.name();
    let (result, mut front) = thread::scope(|scope| {
        let saving = scope.spawn(|| {
            let result = front.save(&tc.cache, &new);
            (result, front)
        });
        // The save is inside its COMMIT once its session waits (in pg_sleep, or for the
        // standby).
        let waiting = match fault {
            CommitFault::InDeferredTrigger => {
                "state = 'active' AND query LIKE '%wt_commit_children%' AND wait_event = 'PgSleep'"
            }
            CommitFault::AwaitingTheStandby => "wait_event = 'SyncRep'",
        };
        let probe = format!("SELECT pid FROM pg_stat_activity WHERE {waiting}");
        write_through_tests::services::wait_until(
            "a save waiting inside its COMMIT",
            Duration::from_secs(20),
            || {
                diesel::sql_query(&probe)
                    .execute(&mut setup.0)
                    .is_ok_and(|rows| rows > 0)
            },
        );
        pg.stop_now();
        saving.join().expect("the saving thread")
    });
    match &result {
        Err(Error::Database(_)) => {}
        other => panic!("{name} {fault:?}: expected the lost connection, got {other:?}"),
    }
    // The same connection, used again, says what happened: it is gone (diesel-async's own
    // "connection closed"; on the blocking front, no longer Diesel's "The transaction manager
    // is broken"), for a write and for a transaction (no longer "a foreign transaction").
    let gone = |what: &str, result: Result<(), Error>| match result {
        Err(Error::Database(Diesel::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            info,
        ))) => {
            assert!(
                info.message().contains("connection"),
                "{name} {what}: an unclear message: {}",
                info.message()
            );
        }
        other => panic!("{name} {what}: expected a closed connection, got {other:?}"),
    };
    gone("save", front.save(&tc.cache, &old));
    gone("transaction", front.save_in_transaction(&tc.cache, &old));
    pg.restart();
    // Commits are acknowledged again before anything else writes.
    let mut reset = PgConnection::establish(&url).expect("the restarted PostgreSQL");
    reset
        .batch_execute("ALTER SYSTEM RESET synchronous_standby_names")
        .unwrap();
    reset.batch_execute("SELECT pg_reload_conf()").unwrap();
    let mut after = blocking_postgres_at(&url).expect("the restarted PostgreSQL");
    let expected = match fault {
        CommitFault::InDeferredTrigger => old,
        CommitFault::AwaitingTheStandby => new,
    };
    assert_eq!(after.stored(id), Some(expected), "{fault:?}");
    assert_settled(&mut after, &tc.cache, id);
}

#[test]
fn blocking_postgres_stopped_while_a_deferred_trigger_runs_at_commit() {
    a_server_lost_during_commit(CommitFault::InDeferredTrigger, false);
}

#[test]
fn async_postgres_stopped_while_a_deferred_trigger_runs_at_commit() {
    a_server_lost_during_commit(CommitFault::InDeferredTrigger, true);
}

#[test]
fn blocking_postgres_stopped_after_the_commit_record_before_its_acknowledgement() {
    a_server_lost_during_commit(CommitFault::AwaitingTheStandby, false);
}

#[test]
fn async_postgres_stopped_after_the_commit_record_before_its_acknowledgement() {
    a_server_lost_during_commit(CommitFault::AwaitingTheStandby, true);
}

// ---- MariaDB: nothing is deferred; a connection killed mid-write ------------------------------

/// MariaDB checks every constraint when the statement runs, so nothing is refused at `COMMIT`,
/// and the library's MySQL writes read their OK packet, which the server sends after the
/// autocommit. What can still happen is a connection lost mid-write: the save reports it, and
/// the key ends as the database's row.
fn a_mariadb_connection_killed_mid_write(asynchronous: bool) {
    let Some(tc) = test_cache() else { return };
    let mut setup = match MysqlConnection::establish(&mysql_url()) {
        Ok(conn) => conn,
        Err(error) => {
            write_through_tests::skipped::skip(&format!("MariaDB is not reachable: {error}"));
            return;
        }
    };
    create_tables(&mut setup, &[MYSQL_DDL]);
    // A trigger that sleeps for the 'slow' label.
    setup.batch_execute(
        "CREATE TRIGGER IF NOT EXISTS wt_commit_slow BEFORE UPDATE ON wt_commit_children FOR EACH ROW
         SET @wt_slept = IF(NEW.label = 'slow', SLEEP(30), 0)",
    )
    .expect("the sleeping trigger");
    let mut front: Box<dyn Front + Send> = if asynchronous {
        let url = mysql_url();
        Box::new(Async::connect(|| async move {
            diesel_async::AsyncMysqlConnection::establish(&url)
                .await
                .expect("MariaDB answered a moment ago")
        }))
    } else {
        Box::new(Blocking(
            MysqlConnection::establish(&mysql_url()).expect("MariaDB answered a moment ago"),
        ))
    };
    let id = fresh_id();
    let old = child(id, PARENT, "old");
    front.save(&tc.cache, &old).unwrap();
    assert_eq!(front.find(&tc.cache, id).unwrap(), Some(old.clone()));
    let name = front.name();
    let result = thread::scope(|scope| {
        let saving = scope.spawn(|| front.save(&tc.cache, &child(id, PARENT, "slow")));
        write_through_tests::services::wait_until(
            "a save sleeping in its trigger",
            Duration::from_secs(20),
            || {
                #[derive(QueryableByName)]
                struct Session {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    id: i64,
                }
                let sessions: Vec<Session> = diesel::sql_query(
                    "SELECT id FROM information_schema.processlist \
                     WHERE info LIKE '%wt_slept%' AND state = 'User sleep'",
                )
                .load(&mut setup)
                .unwrap_or_default();
                for session in &sessions {
                    let _ = setup.batch_execute(&format!("KILL CONNECTION {}", session.id));
                }
                !sessions.is_empty()
            },
        );
        saving.join().expect("the saving thread")
    });
    match &result {
        Err(Error::Database(_)) => {}
        other => panic!("{name}: expected the lost connection, got {other:?}"),
    }
    drop(front);
    let mut after = Blocking(MysqlConnection::establish(&mysql_url()).unwrap());
    assert_eq!(after.stored(id), Some(old));
    assert_settled(&mut after, &tc.cache, id);
}

/// MariaDB has no deferred constraints: the tables without them, and no pins.
const MYSQL_DDL: &str = "
    CREATE TABLE IF NOT EXISTS wt_commit_children (
        id BIGINT AUTO_INCREMENT PRIMARY KEY,
        parent_id BIGINT NOT NULL,
        label TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 0);
";

#[test]
fn blocking_mariadb_connection_killed_mid_write() {
    a_mariadb_connection_killed_mid_write(false);
}

#[test]
fn async_mariadb_connection_killed_mid_write() {
    a_mariadb_connection_killed_mid_write(true);
}

// ---- a randomized history ---------------------------------------------------------------------

/// Writers save rows of a few keys, a third of them pointing at no parent (refused at
/// `COMMIT`); readers read them all the while. No read ever returns a row the database did not
/// commit (one without a parent), and once the writers are through and the locks expired,
/// every key is the database's row.
fn a_history_with_refused_commits(asynchronous: bool) {
    let Some(tc) = test_cache() else { return };
    let Some(mut check) = blocking_postgres() else {
        return;
    };
    const KEYS: i64 = 3;
    const WRITES: usize = 80;
    let base = fresh_id();
    let connect = || -> Box<dyn Front + Send> {
        if asynchronous {
            Box::new(async_postgres().expect("PostgreSQL answered a moment ago"))
        } else {
            Box::new(blocking_postgres().expect("PostgreSQL answered a moment ago"))
        }
    };
    let (reads, refused, uncommitted) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let writing = AtomicUsize::new(2);
    thread::scope(|scope| {
        for writer in 0..2_u64 {
            let (cache, refused, writing, mut front) = (&tc.cache, &refused, &writing, connect());
            scope.spawn(move || {
                let mut state = unique() ^ (writer << 60);
                for n in 0..WRITES {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let id = base + (state >> 33) as i64 % KEYS;
                    let parent = if (state >> 20).is_multiple_of(3) {
                        NO_PARENT
                    } else {
                        PARENT
                    };
                    let row = child(id, parent, &format!("w{writer}-{n}"));
                    match front.save(cache, &row) {
                        Ok(()) => assert_eq!(parent, PARENT, "a save without a parent returned Ok"),
                        Err(Error::Database(Diesel::DatabaseError(
                            DatabaseErrorKind::ForeignKeyViolation,
                            _,
                        ))) => {
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(other) => panic!("an unexpected error: {other:?}"),
                    }
                }
                writing.fetch_sub(1, Ordering::Relaxed);
            });
        }
        for reader in 0..2 {
            let (cache, reads, uncommitted, writing, mut front) =
                (&tc.cache, &reads, &uncommitted, &writing, connect());
            scope.spawn(move || {
                let mut n = reader;
                while writing.load(Ordering::Relaxed) > 0 {
                    n += 1;
                    let read = front.find(cache, base + n % KEYS).expect("find");
                    if read.is_some_and(|row| row.parent_id != PARENT) {
                        uncommitted.fetch_add(1, Ordering::Relaxed);
                    }
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    let (reads, refused, uncommitted) = (
        reads.into_inner(),
        refused.into_inner(),
        uncommitted.into_inner(),
    );
    println!("{reads} reads, {refused} commits refused, {uncommitted} uncommitted rows read");
    assert!(
        refused > 0 && reads > 0,
        "the history refused no commit or read nothing"
    );
    assert_eq!(
        uncommitted, 0,
        "reads returned rows the database never committed"
    );
    for id in base..base + KEYS {
        assert_settled(&mut check, &tc.cache, id);
    }
}

#[test]
fn blocking_postgres_history_with_refused_commits() {
    a_history_with_refused_commits(false);
}

#[test]
fn async_postgres_history_with_refused_commits() {
    a_history_with_refused_commits(true);
}

// ---- an update through a form whose commit is never acknowledged ------------------------------

/// `Comment::update` through a form moves a comment to another post on a private PostgreSQL
/// whose commit is written but never acknowledged (the server waits for a standby that never
/// answers, then is stopped): the update reports the lost connection. It learned the new post
/// only from the row its statement returned, and locked that post's cached collection before
/// its commit; so, once the server is back, the new post's listing has the comment, and the
/// old post's does not, although the update's caller was told it failed. Found by the model
/// checker (`an_update_whose_outcome_is_unknown_retires_the_collection_it_joined`): the update
/// used to invalidate the collection after its commit only when it took itself for committed.
fn an_unacknowledged_update_through_a_form_still_retires_the_collection_it_joined(
    asynchronous: bool,
) {
    use write_through_tests::models::{Comment, CommentUpdateForm, NewComment};
    let (Some(pg), Some(tc)) = (PrivatePostgres::start(), test_cache()) else {
        return;
    };
    let url = pg.url();
    let mut setup = PgConnection::establish(&url).expect("the private PostgreSQL");
    setup
        .batch_execute(
            "CREATE TABLE wt_comments (id BIGSERIAL PRIMARY KEY, post_id BIGINT NOT NULL,
             rank INTEGER NOT NULL, body TEXT NOT NULL)",
        )
        .unwrap();
    let (from, to) = (1_i64, 2_i64);
    let create = |conn: &mut PgConnection, post_id: i64, rank: i32| {
        let new = NewComment {
            post_id,
            rank,
            body: format!("rank {rank}"),
        };
        <Comment as DieselCreate<_, _, _>>::insert_returning(conn, &new).unwrap()
    };
    let moving = create(&mut setup, from, 1);
    let staying = create(&mut setup, to, 2);
    let list = |conn: &mut PgConnection, post: i64| -> Vec<i64> {
        Comment::find_all_by_post_id(conn, &tc.cache, &post)
            .unwrap()
            .iter()
            .map(|comment| comment.id)
            .collect()
    };
    // Both listings cached (the second read of each is a hit).
    for _ in 0..2 {
        assert_eq!(list(&mut setup, from), [moving.id]);
        assert_eq!(list(&mut setup, to), [staying.id]);
    }
    setup
        .batch_execute("ALTER SYSTEM SET synchronous_standby_names = 'nobody'")
        .unwrap();
    setup.batch_execute("SELECT pg_reload_conf()").unwrap();
    let mut updating = PgConnection::establish(&url).expect("the private PostgreSQL");
    write_through_tests::services::wait_until(
        "the reloaded setting",
        Duration::from_secs(20),
        || {
            diesel::sql_query(
                "SELECT 1 WHERE current_setting('synchronous_standby_names') = 'nobody'",
            )
            .execute(&mut updating)
            .is_ok_and(|rows| rows == 1)
        },
    );
    let form = CommentUpdateForm {
        post_id: Some(to),
        ..CommentUpdateForm::default()
    };
    let result = thread::scope(|scope| {
        let update = scope.spawn(|| {
            if asynchronous {
                let runtime = write_through_tests::fronts::runtime();
                runtime.block_on(async {
                    use write_through::asynch::ModelOps as _;
                    let mut conn = diesel_async::AsyncPgConnection::establish(&url)
                        .await
                        .expect("the private PostgreSQL");
                    Comment::update(&mut conn, &tc.cache, &moving.id, &form).await
                })
            } else {
                use write_through::blocking::ModelOps as _;
                Comment::update(&mut updating, &tc.cache, &moving.id, &form)
            }
        });
        write_through_tests::services::wait_until(
            "an update waiting for the standby inside its COMMIT",
            Duration::from_secs(20),
            || {
                diesel::sql_query("SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep'")
                    .execute(&mut setup)
                    .is_ok_and(|rows| rows > 0)
            },
        );
        pg.stop_now();
        update.join().expect("the updating thread")
    });
    assert!(
        matches!(result, Err(Error::Database(_))),
        "expected the lost connection, got {result:?}"
    );
    pg.restart();
    let mut reset = PgConnection::establish(&url).expect("the restarted PostgreSQL");
    reset
        .batch_execute("ALTER SYSTEM RESET synchronous_standby_names")
        .unwrap();
    reset.batch_execute("SELECT pg_reload_conf()").unwrap();
    let mut after = PgConnection::establish(&url).expect("the restarted PostgreSQL");
    let mut joined = list(&mut after, to);
    joined.sort_unstable();
    assert_eq!(
        joined,
        [moving.id, staying.id],
        "the comment joined, though unacknowledged"
    );
    assert!(list(&mut after, from).is_empty(), "and left");
    thread::sleep(LOCK_TTL);
    let mut joined = list(&mut after, to);
    joined.sort_unstable();
    assert_eq!(
        joined,
        [moving.id, staying.id],
        "once the locks expired too"
    );
}

#[test]
fn blocking_an_unacknowledged_update_through_a_form_still_retires_the_collection_it_joined() {
    an_unacknowledged_update_through_a_form_still_retires_the_collection_it_joined(false);
}

#[test]
fn async_an_unacknowledged_update_through_a_form_still_retires_the_collection_it_joined() {
    an_unacknowledged_update_through_a_form_still_retires_the_collection_it_joined(true);
}
