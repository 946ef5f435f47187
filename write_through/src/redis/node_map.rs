//! Which master serves each hash slot of a Redis Cluster, read from `CLUSTER SLOTS`: the async
//! front's batches go one pipeline per master (`node_pipelines.rs`), and the change feed's
//! start-over scans every master (`feed/run.rs`).

use redis::Value;

/// Redis Cluster's number of hash slots.
const SLOTS: usize = 16384;

/// Marks a slot that no node of the map serves with an address to connect to.
const UNSERVED: u16 = u16::MAX;

/// Which master serves each slot, and the masters' addresses.
#[derive(Debug, PartialEq)]
pub(crate) struct NodeMap {
    node_of_slot: Vec<u16>,
    pub(crate) nodes: Vec<(String, u16)>,
    /// The first slot of each range whose master has no address this map can use: the router
    /// still reaches it by slot.
    unaddressed: Vec<u16>,
}

impl NodeMap {
    /// Reads a `CLUSTER SLOTS` reply: per range, its first and last slot and then the master
    /// (address, port, ...) before any replicas. `None` for a reply of another shape. A range
    /// whose master has no usable address (`?`, empty: its preferred endpoint is unknown) is
    /// left unserved, so its commands go through the router.
    pub(crate) fn from_cluster_slots(reply: &Value) -> Option<NodeMap> {
        let Value::Array(ranges) = reply else {
            return None;
        };
        let mut node_of_slot = vec![UNSERVED; SLOTS];
        let mut nodes: Vec<(String, u16)> = Vec::new();
        let mut unaddressed = Vec::new();
        for range in ranges {
            let Value::Array(range) = range else {
                return None;
            };
            let (Some(Value::Int(first)), Some(Value::Int(last)), Some(Value::Array(master))) =
                (range.first(), range.get(1), range.get(2))
            else {
                return None;
            };
            let (Some(address), Some(Value::Int(port))) = (master.first(), master.get(1)) else {
                return None;
            };
            let address = match address {
                Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok()?,
                Value::SimpleString(text) => text.clone(),
                // `cluster-preferred-endpoint-type unknown-endpoint`: "the host that answered",
                // which the router knows and this map does not.
                Value::Nil => String::new(),
                _ => return None,
            };
            let (first, last) = (usize::try_from(*first).ok()?, usize::try_from(*last).ok()?);
            if first > last || last >= SLOTS {
                return None;
            }
            let port = u16::try_from(*port).ok()?;
            // Addresses this map cannot connect to (unknown, or "the node that answered" as
            // `0.0.0.0`/`::` would name this host instead): their slots go through the router.
            if matches!(address.as_str(), "" | "?" | "0.0.0.0" | "::") {
                unaddressed.push(u16::try_from(first).ok()?);
                continue;
            }
            let node = (address, port);
            let number = match nodes.iter().position(|known| *known == node) {
                Some(number) => number,
                None => {
                    nodes.push(node);
                    nodes.len() - 1
                }
            };
            let number = u16::try_from(number).ok().filter(|&n| n != UNSERVED)?;
            node_of_slot[first..=last].fill(number);
        }
        Some(NodeMap {
            node_of_slot,
            nodes,
            unaddressed,
        })
    }

    /// Whether the map gives `slot` to the master at `host:port`.
    #[cfg_attr(
        not(all(feature = "cluster", any(feature = "postgres", feature = "binlog"))),
        allow(dead_code)
    )]
    pub(crate) fn serves(&self, slot: u16, host: &str, port: u16) -> bool {
        self.node_of_slot
            .get(usize::from(slot))
            .and_then(|&node| self.nodes.get(usize::from(node)))
            .is_some_and(|(h, p)| h == host && *p == port)
    }

    /// Whether the map gives slots `a` and `b` to the same master.
    #[cfg_attr(
        not(all(feature = "cluster", any(feature = "postgres", feature = "binlog"))),
        allow(dead_code)
    )]
    pub(crate) fn same_master(&self, a: u16, b: u16) -> bool {
        let node = |slot: u16| self.node_of_slot.get(usize::from(slot)).copied();
        node(a).is_some_and(|node_a| node_a != UNSERVED && node(b) == Some(node_a))
    }

    /// One slot of each master, to route a command to every master by slot (a `SCAN` sees only
    /// the keys of the node it runs on): a slot of each addressed master, then the first slot
    /// of each range without an address (two such ranges may share a master, which is then
    /// named twice).
    #[cfg_attr(not(any(feature = "postgres", feature = "binlog")), allow(dead_code))]
    pub(crate) fn one_slot_per_master(&self) -> Vec<u16> {
        let mut slots: Vec<Option<u16>> = vec![None; self.nodes.len()];
        for (slot, &node) in (0..=u16::MAX).zip(&self.node_of_slot) {
            if let Some(first) = slots.get_mut(usize::from(node))
                && first.is_none()
            {
                *first = Some(slot);
            }
        }
        slots
            .into_iter()
            .flatten()
            .chain(self.unaddressed.iter().copied())
            .collect()
    }

    /// The positions of `slots` (one per command; `None` for one whose slot is not known),
    /// grouped by node (`Some(node)`, each group in the commands' order), then the rest, whose
    /// slot is not known or served, under `None`.
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    pub(crate) fn groups(&self, slots: &[Option<u16>]) -> Vec<(Option<usize>, Vec<usize>)> {
        let mut groups: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
        let mut rest = Vec::new();
        for (position, slot) in slots.iter().enumerate() {
            let node = slot
                .and_then(|slot| self.node_of_slot.get(usize::from(slot)).copied())
                .filter(|&node| node != UNSERVED)
                .map(usize::from);
            match node {
                Some(node) => match groups.iter_mut().find(|(known, _)| *known == Some(node)) {
                    Some((_, positions)) => positions.push(position),
                    None => groups.push((Some(node), vec![position])),
                },
                None => rest.push(position),
            }
        }
        if !rest.is_empty() {
            groups.push((None, rest));
        }
        groups
    }
}

/// The nodes a master is moving slots to, from its `CLUSTER NODES`: the targets of the
/// `[slot->-node id]` markers on its own (`myself`) line, by the address their lines give
/// (`ip:port@bus-port`). A target may serve no slot yet, so it is found by address, not in the
/// map.
#[cfg_attr(
    not(all(feature = "cluster", any(feature = "postgres", feature = "binlog"))),
    allow(dead_code)
)]
pub(crate) fn migration_targets(cluster_nodes: &str) -> Vec<(String, u16)> {
    let lines: Vec<Vec<&str>> = cluster_nodes
        .lines()
        .map(|line| line.split_whitespace().collect())
        .collect();
    let Some(myself) = lines.iter().find(|fields| {
        fields
            .get(2)
            .is_some_and(|flags| flags.split(',').any(|f| f == "myself"))
    }) else {
        return Vec::new();
    };
    let mut targets = Vec::new();
    for marker in myself.iter().skip(8) {
        let Some(target) = marker
            .strip_prefix('[')
            .and_then(|marker| marker.strip_suffix(']'))
            .and_then(|marker| marker.split_once("->-"))
            .map(|(_, target)| target)
        else {
            continue;
        };
        // A target that is not a reachable master (failed, a replica by now, still joining)
        // holds nothing a scan could retire through it.
        let healthy = |fields: &&Vec<&str>| {
            fields.get(2).is_some_and(|flags| {
                let flags: Vec<&str> = flags.split(',').collect();
                flags.contains(&"master")
                    && !flags
                        .iter()
                        .any(|f| ["fail", "fail?", "handshake", "noaddr"].contains(f))
            })
        };
        let address = lines
            .iter()
            .find(|fields| fields.first() == Some(&target))
            .filter(healthy)
            .and_then(|fields| fields.get(1))
            .and_then(|address| address.split(['@', ',']).next())
            .and_then(|address| address.rsplit_once(':'))
            .and_then(|(host, port)| Some((host.to_owned(), port.parse::<u16>().ok()?)));
        if let Some(address) = address
            && !address.0.is_empty()
            && !targets.contains(&address)
        {
            targets.push(address);
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masters_migrating_markers_name_their_targets_by_address() {
        let nodes = "\
07c37dfe 127.0.0.1:30004@40004 slave e7d1eecc 0 1426238317239 4 connected
67ed2db8 127.0.0.1:30002@40002 master - 0 1426238316232 2 connected 5461-10922
e7d1eecc 127.0.0.1:30001@40001,host-a myself,master - 0 0 1 connected 0-5460 [93->-292f8b36] [77->-67ed2db8] [1002-<-67ed2db8] [94->-292f8b36]
292f8b36 10.0.0.7:30003@40003 master - 0 1426238318243 3 connected
";
        assert_eq!(
            migration_targets(nodes),
            vec![
                ("10.0.0.7".to_owned(), 30003),
                ("127.0.0.1".to_owned(), 30002)
            ]
        );
        // A target that failed is left out.
        let failed = nodes.replace(
            "10.0.0.7:30003@40003 master",
            "10.0.0.7:30003@40003 master,fail",
        );
        assert_eq!(
            migration_targets(&failed),
            vec![("127.0.0.1".to_owned(), 30002)]
        );
        // A master migrating nothing, and a reply of another shape.
        assert!(migration_targets(&nodes.replace("[", "x")).is_empty());
        assert!(migration_targets("garbage").is_empty());
    }

    fn range(first: i64, last: i64, address: &str, port: i64) -> Value {
        Value::Array(vec![
            Value::Int(first),
            Value::Int(last),
            Value::Array(vec![
                Value::BulkString(address.as_bytes().to_vec()),
                Value::Int(port),
                Value::BulkString(b"node-id".to_vec()),
            ]),
            // A replica, which must not count as the range's node.
            Value::Array(vec![
                Value::BulkString(b"10.0.0.9".to_vec()),
                Value::Int(7000),
            ]),
        ])
    }

    /// A range whose master's address is NULL (`cluster-preferred-endpoint-type
    /// unknown-endpoint`).
    fn range_without_address(first: i64, last: i64, port: i64) -> Value {
        let mut range = range(first, last, "x", port);
        if let Value::Array(parts) = &mut range
            && let Some(Value::Array(master)) = parts.get_mut(2)
        {
            master[0] = Value::Nil;
        }
        range
    }

    fn map(ranges: Vec<Value>) -> NodeMap {
        NodeMap::from_cluster_slots(&Value::Array(ranges)).expect("a CLUSTER SLOTS reply")
    }

    #[test]
    fn commands_are_grouped_by_the_master_of_their_slot() {
        let map = map(vec![
            range(0, 5460, "127.0.0.1", 7000),
            range(5461, 10922, "127.0.0.1", 7001),
            range(10923, 16383, "127.0.0.1", 7002),
        ]);
        assert_eq!(
            map.nodes,
            vec![
                ("127.0.0.1".to_string(), 7000),
                ("127.0.0.1".to_string(), 7001),
                ("127.0.0.1".to_string(), 7002)
            ]
        );
        let slots = [Some(12182), Some(5061), Some(100), Some(16000), Some(5461)];
        assert_eq!(
            map.groups(&slots),
            vec![
                (Some(2), vec![0, 3]),
                (Some(0), vec![1, 2]),
                (Some(1), vec![4]),
            ]
        );
    }

    #[test]
    fn a_master_serving_several_ranges_gets_one_group() {
        let map = map(vec![
            range(0, 99, "a", 1),
            range(100, 199, "b", 1),
            range(200, 16383, "a", 1),
        ]);
        assert_eq!(
            map.groups(&[Some(5), Some(150), Some(300)]),
            vec![(Some(0), vec![0, 2]), (Some(1), vec![1])]
        );
    }

    #[test]
    fn commands_without_a_known_node_go_through_the_router() {
        let map = map(vec![range(0, 99, "a", 1), range(100, 199, "?", 1)]);
        assert_eq!(
            map.groups(&[Some(5), None, Some(9000), Some(6), Some(150)]),
            vec![(Some(0), vec![0, 3]), (None, vec![1, 2, 4])]
        );
    }

    #[test]
    fn a_master_named_by_the_node_that_answered_goes_through_the_router() {
        // `cluster-preferred-endpoint-type unknown-endpoint` answers NULL; an unspecified
        // address would connect to this host rather than to the node.
        let map = map(vec![
            range_without_address(0, 99, 7000),
            range(100, 199, "0.0.0.0", 7001),
            range(200, 299, "::", 7002),
            range(300, 16383, "10.0.0.3", 7003),
        ]);
        assert_eq!(map.nodes, vec![("10.0.0.3".to_string(), 7003)]);
        assert_eq!(
            map.groups(&[Some(5), Some(150), Some(250), Some(400)]),
            vec![(Some(0), vec![3]), (None, vec![0, 1, 2])]
        );
    }

    #[test]
    fn every_master_is_named_by_one_of_its_slots_addressed_or_not() {
        let unknown = range_without_address(300, 399, 7000);
        let map = map(vec![
            range(0, 99, "a", 1),
            range(100, 199, "b", 1),
            range(200, 299, "a", 1),
            unknown,
            range(400, 16383, "?", 1),
        ]);
        assert_eq!(map.one_slot_per_master(), vec![0, 100, 300, 400]);
    }

    #[test]
    fn a_reply_of_another_shape_is_no_map() {
        assert_eq!(NodeMap::from_cluster_slots(&Value::Nil), None);
        assert_eq!(
            NodeMap::from_cluster_slots(&Value::Array(vec![Value::Int(1)])),
            None
        );
        assert_eq!(
            NodeMap::from_cluster_slots(&Value::Array(vec![range(10, 5, "a", 1)])),
            None,
            "a range that ends before it starts"
        );
        assert_eq!(
            NodeMap::from_cluster_slots(&Value::Array(vec![range(0, 16384, "a", 1)])),
            None,
            "a slot past the last"
        );
        assert_eq!(
            NodeMap::from_cluster_slots(&Value::Array(vec![range(0, 1, "a", 70000)])),
            None,
            "a port out of range"
        );
    }
}
