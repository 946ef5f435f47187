//! A start-over on a Redis Cluster while a slot is being migrated: the keys that move, one by
//! one, from a master the scan has not reached yet to one it has already scanned are retired
//! all the same (the nodes being migrated to are scanned again once the round is over).

use write_through::pause::{self, FEED_MASTER_SCANNED};
use write_through_tests::private_cluster::PrivateCluster;

use super::World;

#[test]
fn keys_moving_during_a_start_over_to_a_master_already_scanned_are_retired() {
    let Some(cluster) = PrivateCluster::start() else {
        return;
    };
    let Some(mut world) = World::on_cluster(&cluster) else {
        return;
    };
    // The blocking front: the start-over runs on the feed's thread, which the pause holds.
    let feed = world.start(world.feed());
    let ids: Vec<i64> = (1..=120).collect();
    for &id in &ids {
        world.cached_user(id, "Ada");
    }
    world.catch_up();
    // The master the start-over scans first, and the one it scans last.
    let masters = cluster.masters_in_slots_order();
    let (first_scanned_slot, first_port) = masters[0];
    let (_, last_port) = *masters.last().unwrap();
    // A slot of the last master that holds some of the users' keys.
    let slots: Vec<u16> = ids
        .iter()
        .map(|id| {
            let key = world.test.key(&format!("feed_user:{id}"));
            redis::cmd("CLUSTER")
                .arg("KEYSLOT")
                .arg(key)
                .query(&mut *world.test.redis)
                .expect("CLUSTER KEYSLOT")
        })
        .collect();
    let slot_of = |id: i64| slots[(id - 1) as usize];
    let owned_by_last = |slot: u16| {
        cluster
            .masters_in_slots_order()
            .iter()
            .rev()
            .find(|(lowest, _)| *lowest <= slot)
            .is_some_and(|(_, port)| *port == last_port)
    };
    let slot = ids
        .iter()
        .map(|&id| slot_of(id))
        .find(|&slot| owned_by_last(slot))
        .expect("a user keyed in the last master's slots");
    let moving: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|&id| slot_of(id) == slot)
        .collect();
    cluster.begin_move(slot, first_port);

    // The start-over stops after its first master; the slot's keys then move to that master,
    // from the last one, which the scan has not reached yet.
    let gate = pause::arm(
        FEED_MASTER_SCANNED,
        first_scanned_slot.to_string().as_bytes(),
    );
    world.sql("TRUNCATE wt_feed_users CASCADE");
    gate.wait_until_reached();
    cluster.migrate_keys(slot, first_port, usize::MAX);
    gate.release();
    world.catch_up();

    for &id in &moving {
        assert!(
            !world.user_is_cached(id),
            "user {id}, moved to a master already scanned, is still cached"
        );
    }
    for &id in &ids {
        assert!(!world.user_is_cached(id), "user {id} is still cached");
    }
    cluster.end_move(slot, first_port);
    feed.stop();
}
