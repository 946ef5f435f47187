//! The database fails under load: a private PostgreSQL is stopped (immediate shutdown) while
//! threads write and read. Every failure is a typed error, no lock is left behind in Redis, and
//! once the database is back every cached key equals its row.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use write_through::blocking::{ModelOps as _, SaveOps as _};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use write_through::{DieselOps, Error};
use write_through_tests::models::Tag;
use write_through_tests::private_postgres::PrivatePostgres;
use write_through_tests::schema::POSTGRES_DDL;
use write_through_tests::{TestCache, unique};

const KEYS: usize = 4;

#[test]
fn a_database_stopped_mid_load_gives_typed_errors_and_leaves_no_lock() {
    let (Some(pg), Some(mut tc)) = (PrivatePostgres::start(), TestCache::new()) else {
        return;
    };
    let connect = || PgConnection::establish(&pg.url());
    let mut setup = connect().expect("the private PostgreSQL");
    for ddl in POSTGRES_DDL {
        setup.batch_execute(ddl).unwrap();
    }
    drop(setup);
    let names: Vec<String> = (0..KEYS)
        .map(|k| format!("dbfault-{}-{k}", unique()))
        .collect();
    let (ok, failed, untyped) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        for thread_index in 0..4 {
            let (names, cache, ok, failed, untyped, stop) =
                (&names, &tc.cache, &ok, &failed, &untyped, &stop);
            scope.spawn(move || {
                let mut conn = connect().expect("connect before the stop");
                let mut i = thread_index;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let name = &names[i % KEYS];
                    let result = match i % 3 {
                        0 => Tag::find(&mut conn, cache, name).map(drop),
                        1 => Tag {
                            name: name.clone(),
                            uses: i as i32,
                        }
                        .save(&mut conn, cache),
                        _ => Tag::delete(&mut conn, cache, name).map(drop),
                    };
                    match result {
                        Ok(()) => ok.fetch_add(1, Ordering::Relaxed),
                        Err(Error::Database(_)) => failed.fetch_add(1, Ordering::Relaxed),
                        Err(_) => untyped.fetch_add(1, Ordering::Relaxed),
                    };
                    if conn.batch_execute("SELECT 1").is_err() {
                        // Reconnect once the server is back; until then every call fails.
                        if let Ok(fresh) = connect() {
                            conn = fresh;
                        } else {
                            thread::sleep(Duration::from_millis(20));
                        }
                    }
                }
            });
        }
        thread::sleep(Duration::from_millis(400));
        pg.stop_now();
        thread::sleep(Duration::from_millis(400));
        stop.store(true, Ordering::Relaxed);
    });
    println!(
        "database stopped mid-load: {} ok, {} typed database errors, {} other errors",
        ok.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
        untyped.load(Ordering::Relaxed)
    );
    assert!(failed.load(Ordering::Relaxed) > 0, "the stop was felt");
    assert_eq!(
        untyped.load(Ordering::Relaxed),
        0,
        "every failure is Error::Database"
    );

    let lock_or_lease = |bytes: &[u8]| bytes.len() > 3 && matches!(bytes[3], 3..=5);
    for name in &names {
        let raw = tc.raw(&format!("tag:{name}"));
        assert!(
            !raw.as_deref().is_some_and(lock_or_lease),
            "{name} holds a lock or lease: {raw:?}"
        );
    }

    pg.restart();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut conn = loop {
        match connect() {
            Ok(conn) => break conn,
            Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
            Err(error) => panic!("the private PostgreSQL did not come back: {error}"),
        }
    };
    for name in &names {
        let row = Tag::load(&mut conn, name).unwrap();
        assert_eq!(
            Tag::find(&mut conn, &tc.cache, name).unwrap(),
            row,
            "{name} after the restart"
        );
    }
}
