//! A Redis Cluster of a test's own: three masters and three replicas of `redis-server` on free
//! ports, created with `redis-cli --cluster create`, torn down when dropped. The same steps by
//! hand: `scripts/local-cluster.sh`.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A master as `CLUSTER NODES` lists it: its port, its node id, the slot ranges it serves.
type Master = (u16, String, Vec<(u16, u16)>);

pub struct PrivateCluster {
    nodes: Vec<(u16, Option<Child>)>,
    _dir: tempfile::TempDir,
}

/// One private cluster at a time per test binary (six servers and their bus ports each): taken
/// in `start`, given back in `drop`.
static BUSY: Mutex<bool> = Mutex::new(false);
static FREED: Condvar = Condvar::new();

impl PrivateCluster {
    /// Starts six nodes, joins them (one replica per master) and waits for `cluster_state:ok`.
    pub fn start() -> Option<Self> {
        if !crate::skipped::program_on_path("redis-server") {
            return None;
        }
        let busy = BUSY.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut busy = FREED
            .wait_while(busy, |busy| *busy)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *busy = true;
        drop(busy);
        let dir = tempfile::tempdir().expect("temp dir");
        let ports: Vec<u16> = (0..6).map(|_| free_port()).collect();
        let nodes = ports
            .iter()
            .map(|&port| {
                let node_dir = dir.path().join(port.to_string());
                std::fs::create_dir_all(&node_dir).expect("node dir");
                let child = Command::new("redis-server")
                    .args([
                        "--port",
                        &port.to_string(),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ])
                    .args([
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                    ])
                    .args([
                        "--cluster-node-timeout",
                        "1000",
                        "--cluster-replica-validity-factor",
                        "0",
                    ])
                    .current_dir(&node_dir)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("redis-server on PATH");
                (port, Some(child))
            })
            .collect();
        let cluster = Self { nodes, _dir: dir };
        for &port in &ports {
            cluster.wait_for(port, |reply| reply == "PONG", &["PING"]);
        }
        let addresses: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
        let created = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .output()
            .expect("redis-cli on PATH");
        assert!(
            created.status.success(),
            "redis-cli --cluster create failed: {}",
            String::from_utf8_lossy(&created.stdout)
        );
        for &port in &ports {
            cluster.wait_for(
                port,
                |info| info.contains("cluster_state:ok"),
                &["CLUSTER", "INFO"],
            );
        }
        Some(cluster)
    }

    /// The seed URLs of the nodes.
    pub fn urls(&self) -> Vec<String> {
        self.nodes
            .iter()
            .map(|(port, _)| format!("redis://127.0.0.1:{port}"))
            .collect()
    }

    /// The port of a node that is a master now.
    pub fn a_master(&self) -> u16 {
        for (port, child) in &self.nodes {
            if child.is_some()
                && info(*port, &["ROLE"]).is_some_and(|role| role.starts_with("master"))
            {
                return *port;
            }
        }
        panic!("no master left");
    }

    /// SIGKILL one node.
    pub fn kill(&mut self, port: u16) {
        let node = self.nodes.iter_mut().find(|(p, _)| *p == port);
        if let Some(mut child) = node.and_then(|(_, child)| child.take()) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits until every live node says `cluster_state:ok` (after a failover).
    pub fn wait_until_healthy(&self) {
        for (port, child) in &self.nodes {
            if child.is_some() {
                self.wait_for(
                    *port,
                    |info| info.contains("cluster_state:ok"),
                    &["CLUSTER", "INFO"],
                );
            }
        }
    }

    /// Moves `slot` and its keys from the master serving it to another master, as `redis-cli
    /// --cluster reshard` does: the target imports it, the source migrates it, every key is
    /// `MIGRATE`d, then every master is told the new owner. With `finish` false it stops
    /// half-way: the slot stays `MIGRATING`/`IMPORTING` with its first key moved, so a client
    /// is answered `ASK` for that key; calling it again with `finish` true ends that move (the
    /// target is the same: the first master other than the source). Returns the port of the
    /// master the slot went to.
    pub fn move_slot(&self, slot: u16, finish: bool) -> u16 {
        let (source_port, _) = self.source_of(slot);
        let target_port = self
            .masters()
            .iter()
            .map(|(port, _, _)| *port)
            .find(|port| *port != source_port)
            .expect("a second master");
        self.begin_move(slot, target_port);
        if !finish {
            self.migrate_keys(slot, target_port, 1);
            return target_port;
        }
        self.migrate_keys(slot, target_port, usize::MAX);
        self.end_move(slot, target_port);
        target_port
    }

    /// Begins moving `slot` from the master serving it to the master on `target_port`, as
    /// `redis-cli --cluster reshard` does: the target imports it, the source migrates it; no
    /// key has moved yet.
    pub fn begin_move(&self, slot: u16, target_port: u16) {
        let (source_port, source_id) = self.source_of(slot);
        let target_id = self.id_of(target_port);
        let slot_arg = slot.to_string();
        command(
            target_port,
            &["CLUSTER", "SETSLOT", &slot_arg, "IMPORTING", &source_id],
        );
        command(
            source_port,
            &["CLUSTER", "SETSLOT", &slot_arg, "MIGRATING", &target_id],
        );
    }

    /// `MIGRATE`s at most `most` keys of `slot` still on its source to `target_port`; the slot
    /// stays migrating.
    pub fn migrate_keys(&self, slot: u16, target_port: u16, most: usize) {
        let (source_port, _) = self.source_of(slot);
        let mut moved = 0;
        while moved < most {
            let keys: Vec<Vec<u8>> = query(
                source_port,
                redis::cmd("CLUSTER")
                    .arg("GETKEYSINSLOT")
                    .arg(slot)
                    .arg((most - moved).min(100)),
            );
            if keys.is_empty() {
                return;
            }
            for key in &keys {
                let _: redis::Value = query(
                    source_port,
                    redis::cmd("MIGRATE")
                        .arg("127.0.0.1")
                        .arg(target_port)
                        .arg(key)
                        .arg(0)
                        .arg(5000),
                );
            }
            moved += keys.len();
        }
    }

    /// Ends the move of `slot`: every master is told that `target_port`'s serves it.
    pub fn end_move(&self, slot: u16, target_port: u16) {
        let target_id = self.id_of(target_port);
        let slot_arg = slot.to_string();
        for (port, _, _) in &self.masters() {
            command(
                *port,
                &["CLUSTER", "SETSLOT", &slot_arg, "NODE", &target_id],
            );
        }
    }

    /// The port of the master serving `slot` now.
    pub fn port_serving(&self, slot: u16) -> u16 {
        self.source_of(slot).0
    }

    /// The master serving `slot`: its port and node id.
    fn source_of(&self, slot: u16) -> (u16, String) {
        self.masters()
            .into_iter()
            .find(|(_, _, slots)| slots.iter().any(|&(a, b)| (a..=b).contains(&slot)))
            .map(|(port, id, _)| (port, id))
            .expect("a master serves the slot")
    }

    fn id_of(&self, port: u16) -> String {
        self.masters()
            .into_iter()
            .find(|(p, _, _)| *p == port)
            .map(|(_, id, _)| id)
            .expect("a master on that port")
    }

    /// The masters' ports, each with the lowest slot it serves, in the order `CLUSTER SLOTS`
    /// first names them (the order a change feed's start-over scans them in).
    pub fn masters_in_slots_order(&self) -> Vec<(u16, u16)> {
        let (port, _) = self
            .nodes
            .iter()
            .find(|(_, child)| child.is_some())
            .expect("a live node");
        let reply: redis::Value = query(*port, redis::cmd("CLUSTER").arg("SLOTS"));
        let redis::Value::Array(ranges) = reply else {
            panic!("CLUSTER SLOTS: {reply:?}");
        };
        let mut masters: Vec<(u16, u16)> = Vec::new();
        for range in ranges {
            let redis::Value::Array(range) = range else {
                panic!("a range: {range:?}");
            };
            let (Some(redis::Value::Int(first)), Some(redis::Value::Array(master))) =
                (range.first(), range.get(2))
            else {
                panic!("a range: {range:?}");
            };
            let Some(redis::Value::Int(port)) = master.get(1) else {
                panic!("a master: {master:?}");
            };
            let (first, port) = (*first as u16, *port as u16);
            match masters.iter_mut().find(|(_, p)| *p == port) {
                Some((lowest, _)) => *lowest = (*lowest).min(first),
                None => masters.push((first, port)),
            }
        }
        masters
    }

    /// Every live master: its port, its node id, and the slot ranges it serves.
    fn masters(&self) -> Vec<Master> {
        let (port, _) = self
            .nodes
            .iter()
            .find(|(_, child)| child.is_some())
            .expect("a live node");
        let nodes: String = query(*port, redis::cmd("CLUSTER").arg("NODES"));
        nodes
            .lines()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                if !fields.get(2)?.contains("master") || fields.get(2)?.contains("fail") {
                    return None;
                }
                let port = fields[1].split(['@', ':']).nth(1)?.parse().ok()?;
                let slots = fields[8..]
                    .iter()
                    .filter(|range| !range.starts_with('['))
                    .filter_map(|range| {
                        let (first, last) = range.split_once('-').unwrap_or((range, range));
                        Some((first.parse().ok()?, last.parse().ok()?))
                    })
                    .collect();
                Some((port, fields[0].to_string(), slots))
            })
            // Just after the cluster is made, one node's view can still call a replica a
            // master (CI once sent it `SETSLOT`): each node is asked its own role too (one
            // that does not answer keeps the view's word).
            .filter(|(port, _, _)| info(*port, &["ROLE"]).is_none_or(|role| role == "master"))
            .collect()
    }

    fn wait_for(&self, port: u16, ready: impl Fn(&str) -> bool, command: &[&str]) {
        let what = format!("redis node {port} for {command:?}");
        crate::services::wait_until(&what, Duration::from_secs(20), || {
            info(port, command).is_some_and(|reply| ready(&reply))
        });
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        for (_, child) in &mut self.nodes {
            if let Some(mut child) = child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        *BUSY.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = false;
        FREED.notify_all();
    }
}

/// A command of the test's own on one node, which must succeed.
fn command(port: u16, command: &[&str]) {
    let mut cmd = redis::cmd(command[0]);
    for arg in &command[1..] {
        cmd.arg(*arg);
    }
    let _: redis::Value = query(port, &cmd);
}

/// A command's reply from one node, which must succeed.
fn query<T: redis::FromRedisValue>(port: u16, cmd: &redis::Cmd) -> T {
    let client = redis::Client::open(format!("redis://127.0.0.1:{port}")).expect("a node URL");
    let mut conn = client
        .get_connection_with_timeout(Duration::from_secs(2))
        .expect("the node answers");
    cmd.query(&mut conn)
        .unwrap_or_else(|error| panic!("{cmd:?} on {port}: {error}"))
}

/// A command's reply from one node, as text.
fn info(port: u16, command: &[&str]) -> Option<String> {
    let client = redis::Client::open(format!("redis://127.0.0.1:{port}")).ok()?;
    let mut conn = client
        .get_connection_with_timeout(Duration::from_millis(300))
        .ok()?;
    let mut cmd = redis::cmd(command[0]);
    for arg in &command[1..] {
        cmd.arg(*arg);
    }
    match cmd.query::<redis::Value>(&mut conn).ok()? {
        redis::Value::SimpleString(text) => Some(text),
        redis::Value::BulkString(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        redis::Value::VerbatimString { text, .. } => Some(text),
        redis::Value::Array(items) => items.first().and_then(|first| match first {
            redis::Value::BulkString(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            redis::Value::SimpleString(text) => Some(text.clone()),
            _ => None,
        }),
        _ => None,
    }
}

fn free_port() -> u16 {
    // Cluster nodes also listen on port + 10000 (the bus): keep both free and in range.
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("bind")
            .port();
        if port < 55_000 && TcpListener::bind(("127.0.0.1", port + 10_000)).is_ok() {
            return port;
        }
    }
}
