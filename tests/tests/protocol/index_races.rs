//! The races of a unique index (`find_by_email`), one deterministic test each, on PostgreSQL
//! and Redis through both fronts (`blocking::name`, `asynch::name`), as `races.rs` does for
//! rows: a reader is held after its database load (the pause point `FIND_LOADED` on the
//! entry's key) while a writer changes the indexed column, deletes the row, moves the value to
//! another row in one transaction, or gives it to a row while the reader caches its absence.
//!
//! Each test first replays its interleaving with the hand-written pattern (an `email -> id` key
//! beside the row's key: "GET; on a miss SELECT the id and SET"; writers update the database,
//! then SET the entry of the new email, not knowing the old one) and asserts that it goes
//! wrong: a wrong row, or a missed one. That half is the evidence that the schedule forced on
//! the library is a real hazard; the library half is the test.

use std::thread;

use diesel::PgConnection;
use diesel::prelude::*;
use write_through::Cache;
use write_through::pause::{self, FIND_LOADED};
use write_through_tests::fronts::{self, Blocking, Front, TxStep};
use write_through_tests::models::{Account, NewAccount};
use write_through_tests::schema::wt_accounts;
use write_through_tests::{TestCache, postgres, unique, unique_i32};

type AnyFront = Box<dyn Front + Send>;

#[derive(Clone, Copy)]
struct Fronts {
    make: fn() -> AnyFront,
}

const BLOCKING: Fronts = Fronts {
    make: || {
        Box::new(Blocking(
            postgres().expect("PostgreSQL answered a moment ago"),
        ))
    },
};

const ASYNC: Fronts = Fronts {
    make: || Box::new(fronts::async_postgres().expect("PostgreSQL answered a moment ago")),
};

write_through_tests::on_both_fronts!(
    [
        a_cached_absence_of_an_email_cannot_hide_a_row_given_that_email_meanwhile,
        a_fill_that_read_a_row_before_its_email_changed_never_finds_it_by_the_old_email,
        an_email_moved_to_another_row_in_one_transaction_is_found_on_that_row_only,
        a_fill_that_read_a_row_before_it_was_deleted_never_finds_it_again,
    ],
    blocking: |spec| spec(super::BLOCKING),
    asynch: |spec| spec(super::ASYNC),
);

/// The hand-written index: `naive:email:<email>` holds the id (or -1 for "none"), and
/// `naive:row:<id>` the row's email.
struct Naive<'a> {
    redis: &'a mut dyn redis::ConnectionLike,
    prefix: String,
}

impl Naive<'_> {
    fn get(&mut self, key: &str) -> Option<String> {
        redis::cmd("GET")
            .arg(format!("{}{key}", self.prefix))
            .query(self.redis)
            .unwrap()
    }
    fn del(&mut self, key: &str) {
        redis::cmd("DEL")
            .arg(format!("{}{key}", self.prefix))
            .query::<()>(self.redis)
            .unwrap();
    }
    fn set(&mut self, key: &str, value: &str) {
        redis::cmd("SET")
            .arg(format!("{}{key}", self.prefix))
            .arg(value)
            .query::<()>(self.redis)
            .unwrap();
    }
    /// The hand-written `find_by_email`, reading only Redis: the id the entry names, then the
    /// row's email as cached.
    fn lookup(&mut self, email: &str) -> Option<(i64, String)> {
        let id: i64 = self.get(&format!("email:{email}"))?.parse().unwrap();
        if id < 0 {
            return None;
        }
        let row = self.get(&format!("row:{id}"))?;
        Some((id, row))
    }
}

impl Drop for Naive<'_> {
    fn drop(&mut self) {
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}*", self.prefix))
            .query(self.redis)
            .unwrap();
        for key in keys {
            redis::cmd("DEL").arg(key).query::<()>(self.redis).unwrap();
        }
    }
}

fn naive(tc: &mut TestCache) -> Naive<'_> {
    let prefix = format!("{}:naive:", tc.cache.namespace());
    Naive {
        redis: &mut *tc.redis,
        prefix,
    }
}

fn db_id_by_email(conn: &mut PgConnection, email: &str) -> Option<i64> {
    wt_accounts::table
        .filter(wt_accounts::email.eq(email))
        .select(wt_accounts::id)
        .first(conn)
        .optional()
        .unwrap()
}

fn db_set_email(conn: &mut PgConnection, id: i64, email: &str) {
    diesel::update(wt_accounts::table.find(id))
        .set(wt_accounts::email.eq(email))
        .execute(conn)
        .unwrap();
}

fn db_insert(conn: &mut PgConnection, email: &str) -> i64 {
    diesel::insert_into(wt_accounts::table)
        .values((
            wt_accounts::email.eq(email),
            wt_accounts::org_id.eq(unique_i32()),
            wt_accounts::handle.eq(format!("h-{}", unique())),
            wt_accounts::name.eq("naive"),
        ))
        .returning(wt_accounts::id)
        .get_result(conn)
        .unwrap()
}

fn email(name: &str) -> String {
    format!("{name}-{}@example.test", unique())
}

fn new_account(email: &str) -> NewAccount {
    NewAccount {
        email: email.to_owned(),
        org_id: unique_i32(),
        handle: format!("h-{}", unique()),
        login: None,
        name: "lib".into(),
    }
}

/// The full Redis key of the entry of `email`, where `FIND_LOADED` is armed.
fn entry_key(tc: &TestCache, email: &str) -> Vec<u8> {
    tc.key(&format!("#account%3A%7Bid%7D#email:{email}"))
        .into_bytes()
}

struct Setup {
    tc: TestCache,
    conn: PgConnection,
    a: AnyFront,
    b: AnyFront,
}

fn setup(fronts: Fronts) -> Option<Setup> {
    let (Some(conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return None;
    };
    Some(Setup {
        tc,
        conn,
        a: (fronts.make)(),
        b: (fronts.make)(),
    })
}

/// Cold: nothing cached for `account`'s row nor for its email's entry.
fn forget(tc: &mut TestCache, account: &Account) {
    tc.cache.invalidate::<Account>(&account.id).unwrap();
    redis::cmd("DEL")
        .arg(entry_key(tc, &account.email))
        .query::<()>(&mut *tc.redis)
        .unwrap();
}

/// `find_by_email(email)` on its own thread and front, held after its database load.
fn paused_lookup(
    tc: &TestCache,
    mut front: AnyFront,
    email: &str,
) -> (pause::Gate, thread::JoinHandle<(Option<Account>, AnyFront)>) {
    let gate = pause::arm(FIND_LOADED, &entry_key(tc, email));
    let (cache, email): (Cache, String) = (tc.cache.clone(), email.to_owned());
    let reader = thread::spawn(move || {
        let found = front.account_by_email(&cache, &email).unwrap();
        (found, front)
    });
    gate.wait_until_reached();
    (gate, reader)
}

fn a_cached_absence_of_an_email_cannot_hide_a_row_given_that_email_meanwhile(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
    }) = setup(fronts)
    else {
        return;
    };
    // Naive: the reader finds no id for X; a writer gives X to a row and SETs its entry; the
    // reader SETs "none".
    let x = email("x");
    let other = db_insert(&mut conn, &email("other"));
    {
        let mut n = naive(&mut tc);
        let loaded = db_id_by_email(&mut conn, &x);
        db_set_email(&mut conn, other, &x);
        n.set(&format!("row:{other}"), &x);
        n.set(&format!("email:{x}"), &other.to_string());
        n.set(&format!("email:{x}"), &loaded.unwrap_or(-1).to_string());
        assert_eq!(
            (n.lookup(&x), db_id_by_email(&mut conn, &x)),
            (None, Some(other)),
            "naive hides the row"
        );
    }

    let x = email("x");
    let bob = a
        .create_account(&tc.cache, &new_account(&email("bob")))
        .unwrap();
    let (gate, reader) = paused_lookup(&tc, b, &x);
    let mut given = bob.clone();
    given.email = x.clone();
    a.save_account(&tc.cache, &given).unwrap();
    gate.release();
    let (seen_by_reader, _) = reader.join().unwrap();
    assert_eq!(seen_by_reader, None, "it read before the write");
    assert_eq!(
        a.account_by_email(&tc.cache, &x).unwrap(),
        Some(given.clone())
    );
    // And from Redis, again.
    assert_eq!(a.account_by_email(&tc.cache, &x).unwrap(), Some(given));
}

fn a_fill_that_read_a_row_before_its_email_changed_never_finds_it_by_the_old_email(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
    }) = setup(fronts)
    else {
        return;
    };
    // Naive: the reader finds alice's id for X; alice's email becomes Z (the writer SETs the
    // entry of Z and the row, not knowing X); the reader SETs X -> alice.
    let x = email("alice");
    let alice = db_insert(&mut conn, &x);
    {
        let mut n = naive(&mut tc);
        let loaded = db_id_by_email(&mut conn, &x).unwrap();
        let z = email("alice-new");
        db_set_email(&mut conn, alice, &z);
        n.set(&format!("row:{alice}"), &z);
        n.set(&format!("email:{z}"), &alice.to_string());
        n.set(&format!("email:{x}"), &loaded.to_string());
        assert_eq!(
            (n.lookup(&x), db_id_by_email(&mut conn, &x)),
            (Some((alice, z)), None),
            "naive finds a row whose email is no longer X"
        );
    }

    let x = email("alice");
    let alice = a.create_account(&tc.cache, &new_account(&x)).unwrap();
    forget(&mut tc, &alice);
    let (gate, reader) = paused_lookup(&tc, b, &x);
    let mut moved = alice.clone();
    moved.email = email("alice-new");
    a.save_account(&tc.cache, &moved).unwrap();
    gate.release();
    let (seen_by_reader, _) = reader.join().unwrap();
    assert_eq!(seen_by_reader, Some(alice), "it read before the write");
    assert_eq!(a.account_by_email(&tc.cache, &x).unwrap(), None);
    assert_eq!(
        a.account_by_email(&tc.cache, &x).unwrap(),
        None,
        "and again"
    );
    assert_eq!(
        a.account_by_email(&tc.cache, &moved.email).unwrap(),
        Some(moved)
    );
}

fn a_fill_that_read_a_row_before_it_was_deleted_never_finds_it_again(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
    }) = setup(fronts)
    else {
        return;
    };
    // Naive: the reader finds alice's id for X and loads her row; alice is deleted (the writer
    // DELs her row's key); the reader SETs X -> alice and her row, which no longer exists.
    let x = email("alice");
    let alice = db_insert(&mut conn, &x);
    {
        let mut n = naive(&mut tc);
        let loaded = db_id_by_email(&mut conn, &x).unwrap();
        diesel::delete(wt_accounts::table.find(alice))
            .execute(&mut conn)
            .unwrap();
        n.del(&format!("row:{alice}"));
        n.set(&format!("email:{x}"), &loaded.to_string());
        n.set(&format!("row:{loaded}"), &x);
        assert_eq!(
            (n.lookup(&x), db_id_by_email(&mut conn, &x)),
            (Some((alice, x.clone())), None),
            "naive resurrects the deleted row"
        );
    }

    let x = email("alice");
    let alice = a.create_account(&tc.cache, &new_account(&x)).unwrap();
    forget(&mut tc, &alice);
    let (gate, reader) = paused_lookup(&tc, b, &x);
    assert!(a.delete_account(&tc.cache, alice.id).unwrap());
    gate.release();
    let (seen_by_reader, _) = reader.join().unwrap();
    assert_eq!(seen_by_reader, Some(alice), "it read before the delete");
    assert_eq!(a.account_by_email(&tc.cache, &x).unwrap(), None);
    assert_eq!(
        a.account_by_email(&tc.cache, &x).unwrap(),
        None,
        "and again"
    );
}

fn an_email_moved_to_another_row_in_one_transaction_is_found_on_that_row_only(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
    }) = setup(fronts)
    else {
        return;
    };
    // Naive: the reader finds alice's id for X; in one transaction alice gets Z and bob gets X
    // (the writer SETs the entries of Z and X and both rows); the reader SETs X -> alice.
    let x = email("alice");
    let alice = db_insert(&mut conn, &x);
    let bob = db_insert(&mut conn, &email("bob"));
    {
        let mut n = naive(&mut tc);
        let loaded = db_id_by_email(&mut conn, &x).unwrap();
        let z = email("alice-new");
        conn.transaction(|conn| {
            db_set_email(conn, alice, &z);
            db_set_email(conn, bob, &x);
            diesel::QueryResult::Ok(())
        })
        .unwrap();
        n.set(&format!("row:{alice}"), &z);
        n.set(&format!("row:{bob}"), &x);
        n.set(&format!("email:{z}"), &alice.to_string());
        n.set(&format!("email:{x}"), &bob.to_string());
        n.set(&format!("email:{x}"), &loaded.to_string());
        assert_eq!(
            (n.lookup(&x), db_id_by_email(&mut conn, &x)),
            (Some((alice, z)), Some(bob)),
            "naive finds the wrong row"
        );
    }

    let x = email("alice");
    let alice = a.create_account(&tc.cache, &new_account(&x)).unwrap();
    let bob = a
        .create_account(&tc.cache, &new_account(&email("bob")))
        .unwrap();
    // The entry points at alice, whose row is not cached: the reader leases both.
    tc.cache.invalidate::<Account>(&alice.id).unwrap();
    let (gate, reader) = paused_lookup(&tc, b, &x);
    let mut alice_moved = alice.clone();
    alice_moved.email = email("alice-new");
    let mut bob_given = bob.clone();
    bob_given.email = x.clone();
    a.transaction(
        &tc.cache,
        vec![
            TxStep::SaveAccount(alice_moved.clone()),
            TxStep::SaveAccount(bob_given.clone()),
        ],
    )
    .unwrap();
    gate.release();
    let (seen_by_reader, _) = reader.join().unwrap();
    assert_eq!(seen_by_reader, Some(alice), "it read before the commit");
    assert_eq!(
        a.account_by_email(&tc.cache, &x).unwrap(),
        Some(bob_given.clone())
    );
    assert_eq!(
        a.account_by_email(&tc.cache, &x).unwrap(),
        Some(bob_given),
        "and again"
    );
    assert_eq!(
        a.find_account(&tc.cache, alice_moved.id).unwrap(),
        Some(alice_moved.clone()),
        "the reader's row fill lost to the transaction's lock"
    );
    assert_eq!(
        a.account_by_email(&tc.cache, &alice_moved.email).unwrap(),
        Some(alice_moved)
    );
}
