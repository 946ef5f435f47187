//! The streaming reader (`ChangeFeed::streaming`) on its own: the ways it logs in (SCRAM-SHA-256,
//! MD5, a Unix socket), a walsender ended under it (it connects again and loses nothing), a
//! password the server refuses (the feed stays inactive and says so through its restarts), and
//! a URL it cannot use (refused at start). Every other feed test streams as well
//! (`World::feed`); `polling.rs` runs the polling reader.

use std::time::Duration;

use diesel::prelude::*;
use write_through::feed::FeedError;
use write_through_tests::services::wait_until;

use super::World;

/// Lets `user` in with `method` only (a line before initdb's `trust` lines), with the
/// `REPLICATION` attribute and password `secret` hashed as `method` needs.
fn password_user(world: &mut World, user: &str, method: &str) {
    let hba = world.server.path().join("data").join("pg_hba.conf");
    let lines = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
    std::fs::write(
        &hba,
        format!("host all {user} 127.0.0.1/32 {method}\n{lines}"),
    )
    .expect("write pg_hba.conf");
    let encryption = if method == "md5" {
        "md5"
    } else {
        "scram-sha-256"
    };
    world.sql(&format!(
        "SET password_encryption = '{encryption}';
         CREATE ROLE {user} LOGIN REPLICATION PASSWORD 'se:cr@t/';
         GRANT ALL ON ALL TABLES IN SCHEMA public TO {user};
         SELECT pg_reload_conf();"
    ));
}

/// The feed streams as `user` (the connect function's connection stays the superuser's, which
/// owns the tables for the publication) and a raw update is retired.
fn streams_as(world: &mut World, url: &str) {
    let feed = world.start(world.polling_feed().streaming(url));
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_feed_users SET name = 'Ada Lovelace' WHERE id = 1");
    world.catch_up();
    assert!(feed.is_active());
    assert_eq!(world.find_user(1).unwrap().name, "Ada Lovelace");
}

fn port_of(world: &World) -> u16 {
    let url = world.server.url();
    let after_host = url.rsplit_once(':').expect("a port").1;
    after_host.split('/').next().unwrap().parse().unwrap()
}

#[test]
fn a_user_with_a_scram_password_streams() {
    let Some(mut world) = World::new() else {
        return;
    };
    password_user(&mut world, "wt_scram_feed", "scram-sha-256");
    let port = port_of(&world);
    // The password's `:`, `@` and `/` percent-encoded, as in any libpq URL.
    streams_as(
        &mut world,
        &format!("postgres://wt_scram_feed:se%3Acr%40t%2F@127.0.0.1:{port}/postgres"),
    );
}

#[test]
fn a_user_with_an_md5_password_streams() {
    let Some(mut world) = World::new() else {
        return;
    };
    password_user(&mut world, "wt_md5_feed", "md5");
    let port = port_of(&world);
    // libpq's key=value form, the password quoted.
    streams_as(
        &mut world,
        &format!("host=127.0.0.1 port={port} user=wt_md5_feed password='se:cr@t/' dbname=postgres"),
    );
}

#[test]
fn a_unix_socket_directory_is_a_host() {
    let Some(mut world) = World::new() else {
        return;
    };
    let dir = world.server.path();
    let port = port_of(&world);
    streams_as(
        &mut world,
        &format!(
            "host={} port={port} user=postgres dbname=postgres",
            dir.display()
        ),
    );
}

#[test]
fn a_refused_password_leaves_the_feed_inactive_and_counts_its_tries() {
    let Some(mut world) = World::new() else {
        return;
    };
    password_user(&mut world, "wt_refused_feed", "scram-sha-256");
    let port = port_of(&world);
    let feed = world.start(world.polling_feed().streaming(&format!(
        "postgres://wt_refused_feed:wrong@127.0.0.1:{port}/postgres"
    )));
    wait_until("a few refused sessions", Duration::from_secs(10), || {
        world.cache().stats().feed_restarts >= 3
    });
    assert!(!feed.is_active());
    // Nothing was confirmed: the slot still holds what was written meanwhile.
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_feed_users SET name = 'kept in the slot' WHERE id = 1");
    drop(feed);
    let _feed = world.start(world.feed());
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "kept in the slot");
}

#[test]
fn a_walsender_ended_under_the_feed_is_replaced_and_nothing_is_lost() {
    let Some(mut world) = World::new() else {
        return;
    };
    let feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    let restarts = world.cache().stats().feed_restarts;
    // The walsender ends (a server shutting it down, a network cut), and a raw update commits
    // while the feed is away.
    world.sql(
        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots \
         WHERE slot_name = 'write_through'",
    );
    world.sql("UPDATE wt_feed_users SET name = 'while the stream was down' WHERE id = 1");
    wait_until("the feed connects again", Duration::from_secs(10), || {
        world.cache().stats().feed_restarts > restarts && feed.is_active()
    });
    world.catch_up();
    assert_eq!(
        world.find_user(1).unwrap().name,
        "while the stream was down"
    );
}

#[test]
fn a_url_the_stream_cannot_use_is_refused_at_start_without_repeating_it() {
    let Some(world) = World::new() else {
        return;
    };
    for url in [
        "postgres://feed:hunter2@127.0.0.1/postgres?sslmode=require",
        "postgres://feed:hunter2@127.0.0.1:port/postgres",
        "mysql://feed:hunter2@127.0.0.1/postgres",
    ] {
        let server_url = world.server.url();
        let error = world
            .polling_feed()
            .streaming(url)
            .start(world.cache(), move || PgConnection::establish(&server_url))
            .unwrap_err();
        assert!(
            matches!(error, FeedError::StreamUrl { .. }),
            "{url}: {error}"
        );
        assert!(!error.to_string().contains("hunter2"), "{error}");
        assert!(!format!("{error:?}").contains("hunter2"), "{error:?}");
    }
}

/// A stream the server counts as a synchronous standby would deadlock: commits waiting for the
/// feed to confirm them, the feed waiting for them to be visible. The session is refused (and
/// retried, loudly), and streams once the setting is gone.
#[test]
fn a_stream_the_server_would_wait_for_as_a_synchronous_standby_is_refused() {
    let Some(mut world) = World::new() else {
        return;
    };
    // This session's commits do not wait for any standby.
    world.sql("SET synchronous_commit = local");
    world.sql(r#"ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 ("write_through feed")'"#);
    world.sql("SELECT pg_reload_conf()");
    let feed = world.start(world.feed());
    wait_until("refused sessions", Duration::from_secs(30), || {
        world.cache().stats().feed_restarts >= 2
    });
    world.sql("ALTER SYSTEM RESET synchronous_standby_names");
    world.sql("SELECT pg_reload_conf()");
    world.sql("SET synchronous_commit = on");
    let restarts = world.cache().stats().feed_restarts;
    wait_until("the feed streams", Duration::from_secs(10), || {
        feed.is_active()
    });
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_feed_users SET name = 'Ada Lovelace' WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "Ada Lovelace");
    assert!(world.cache().stats().feed_restarts <= restarts + 1);
}
