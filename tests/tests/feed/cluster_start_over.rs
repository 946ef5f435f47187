//! A start-over on a Redis Cluster while a slot is being migrated: every key of the model is
//! retired, wherever the migration has put it. The keys that move, one by one, from a master
//! the scan has not reached yet to one it has already scanned (the nodes being migrated to are
//! scanned again once the round is over), and the keys a master holds for a slot it is importing
//! (its slot's master answers `ASK` for them, which a batch does not follow); on both fronts.

use std::time::Duration;

use write_through::pause::{self, FEED_MASTER_SCANNED};
use write_through_tests::private_cluster::PrivateCluster;

use super::World;

const IDS: std::ops::RangeInclusive<i64> = 1..=120;

/// Caches every user of [`IDS`] and returns a slot of the master the start-over scans last that
/// holds some of their keys, with those users.
fn cache_users_and_pick_a_slot(world: &mut World, cluster: &PrivateCluster) -> (u16, Vec<i64>) {
    for id in IDS {
        world.cached_user(id, "Ada");
    }
    let slots: Vec<(i64, u16)> = IDS
        .map(|id| {
            let key = world.test.key(&format!("feed_user:{id}"));
            let slot = redis::cmd("CLUSTER")
                .arg("KEYSLOT")
                .arg(key)
                .query(&mut *world.test.redis)
                .expect("CLUSTER KEYSLOT");
            (id, slot)
        })
        .collect();
    let (_, last_port) = *cluster.masters_in_slots_order().last().expect("masters");
    let served_by_last = |slot: u16| cluster.port_serving(slot) == last_port;
    let (_, slot) = *slots
        .iter()
        .filter(|(_, slot)| served_by_last(*slot))
        .max_by_key(|(id, _)| *id)
        .expect("a user keyed in the last master's slots");
    let moving = slots
        .iter()
        .filter(|(_, s)| *s == slot)
        .map(|(id, _)| *id)
        .collect();
    (slot, moving)
}

fn assert_no_user_cached(world: &mut World, moving: &[i64]) {
    for &id in moving {
        assert!(
            !world.user_is_cached(id),
            "user {id}, in the slot being migrated, is still cached"
        );
    }
    for id in IDS {
        assert!(!world.user_is_cached(id), "user {id} is still cached");
    }
}

#[test]
fn a_start_over_during_a_slot_migration_retires_every_key_wherever_it_moved() {
    let Some(cluster) = PrivateCluster::start() else {
        return;
    };
    let Some(mut world) = World::on_cluster(&cluster) else {
        return;
    };
    let (first_scanned_slot, first_port) = cluster.masters_in_slots_order()[0];

    // 1. Keys moving during the round, from the master scanned last to the one scanned first,
    // while the start-over (on the blocking front's thread) is held after its first master.
    let feed = world.start(world.feed());
    let (slot, moving) = cache_users_and_pick_a_slot(&mut world, &cluster);
    world.catch_up();
    cluster.begin_move(slot, first_port);
    let gate = pause::arm(
        FEED_MASTER_SCANNED,
        first_scanned_slot.to_string().as_bytes(),
    );
    world.sql("TRUNCATE wt_feed_users CASCADE");
    gate.wait_until_reached();
    cluster.migrate_keys(slot, first_port, usize::MAX);
    gate.release();
    world.catch_up();
    assert_no_user_cached(&mut world, &moving);
    cluster.end_move(slot, first_port);

    // 2. A start-over that begins with half of a slot's keys already on the importing master:
    // those are answered `ASK` by the slot's master.
    let (slot, moving) = cache_users_and_pick_a_slot(&mut world, &cluster);
    world.catch_up();
    cluster.begin_move(slot, first_port);
    cluster.migrate_keys(slot, first_port, moving.len().div_ceil(2));
    world.sql("TRUNCATE wt_feed_users CASCADE");
    world.catch_up();
    assert_no_user_cached(&mut world, &moving);
    cluster.end_move(slot, first_port);
    feed.stop();

    // 3. The same on the async front, whose router reaches no node outside its slot map: the
    // importing master's keys are scanned over a connection of their own.
    let url = world.server.url();
    let cache = world.cache().clone();
    let moved = write_through_tests::fronts::runtime().block_on(async {
        use diesel_async::AsyncConnection;
        let feed = world.start_async(world.feed()).await;
        let mut conn = diesel_async::AsyncPgConnection::establish(&url)
            .await
            .unwrap();
        let catch_up = async |conn: &mut diesel_async::AsyncPgConnection| {
            write_through::asynch::catch_up(&cache, conn, Duration::from_secs(10))
                .await
                .expect("the async feed catches up")
        };
        let (slot, moving) = cache_users_and_pick_a_slot(&mut world, &cluster);
        catch_up(&mut conn).await;
        cluster.begin_move(slot, first_port);
        cluster.migrate_keys(slot, first_port, moving.len().div_ceil(2));
        diesel_async::SimpleAsyncConnection::batch_execute(
            &mut conn,
            "TRUNCATE wt_feed_users CASCADE",
        )
        .await
        .unwrap();
        catch_up(&mut conn).await;
        feed.stop();
        (slot, moving)
    });
    let (slot, moving) = moved;
    assert_no_user_cached(&mut world, &moving);
    cluster.end_move(slot, first_port);
}
