//! The async front's batches on a Redis Cluster: one pipeline per master node, on a
//! connection of that node's own.
//!
//! redis-rs's async cluster client refuses a pipeline whose commands span slots, and sending a
//! batch's commands one by one through its router cost a cold `find_many(100)` about 300
//! routed requests (3.3x one Redis, BENCHMARKS.md). Its `route_pipeline` would take a
//! pipeline to one node, but on a redirect in any reply it sends the *whole* pipeline again,
//! elsewhere: commands that had run would run twice. So a batch goes here:
//!
//! - The commands are grouped by the master that serves their slot, per the cluster's map
//!   (`CLUSTER SLOTS`, read through the router on first use, by one task at a time).
//! - Each group is one pipeline on a multiplexed connection to that master alone, opened by
//!   this cache: it is sent once, and every reply comes back as it is.
//! - A misrouted reply (the slot moved since the map was read: see `cluster_batch.rs`) means
//!   that command did not run: it is sent again on its own through the router, which follows
//!   redirects; the map is read again for the next batch (the open connections are kept).
//! - A command whose slot or node is not known goes through the router, as before.
//! - A batch script that reaches keys of several slots of one node (`commands.rs`) is *pinned*:
//!   misrouted, or for a node it cannot reach, it is never sent through the router (a redirect
//!   with `ASKING` would extend to every key it touches); its reply is `Nil`, and the caller
//!   asks its keys one by one.
//! - A node connection that fails (a node restarted, or closed it) fails the batch, as any
//!   Redis error does (its commands may have run); the next batch reads the map and connects
//!   again. A master that cannot be reached has its commands sent through the router, and the
//!   map is read again after a second.
//!
//! Every command still declares keys of one slot, as Redis Cluster requires; only the
//! transport changes. The connections are opened on the cache's driver runtime (see `store.rs`).

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::aio::{ConnectionLike as _, MultiplexedConnection};
use redis::{Cmd, ConnectionAddr, ConnectionInfo, RedisResult, Value};

use crate::redis::cluster_batch::{first_key, sorted};
use crate::redis::node_map::NodeMap;
use crate::redis::slot::slot;

/// How to reach any node: the first seed's settings (credentials, TLS) at the node's address.
#[derive(Clone)]
pub(crate) struct NodeClients {
    pub(crate) seed: ConnectionInfo,
    #[cfg(feature = "tls")]
    pub(crate) root_certificate: Option<Vec<u8>>,
}

impl NodeClients {
    fn client(&self, host: &str, port: u16) -> RedisResult<redis::Client> {
        let addr = match self.seed.addr() {
            ConnectionAddr::TcpTls {
                insecure,
                tls_params,
                ..
            } => ConnectionAddr::TcpTls {
                host: host.to_owned(),
                port,
                insecure: *insecure,
                tls_params: tls_params.clone(),
            },
            _ => ConnectionAddr::Tcp(host.to_owned(), port),
        };
        let info = self.seed.clone().set_addr(addr);
        #[cfg(feature = "tls")]
        if let Some(root_cert) = &self.root_certificate {
            let certificates = redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(root_cert.clone()),
            };
            return redis::Client::build_with_tls(info, certificates);
        }
        redis::Client::open(info)
    }
}

/// The map and a connection to each of its masters (`None` where connecting failed: that
/// node's commands go through the router, and the map is read again after [`RETRY_AFTER`],
/// since a node that cannot be reached is likely being failed over).
struct Topology {
    map: NodeMap,
    links: Vec<Option<MultiplexedConnection>>,
    read_at: std::time::Instant,
}

/// How long a map with a node that could not be reached is used before it is read again.
const RETRY_AFTER: Duration = Duration::from_secs(1);

impl Topology {
    fn is_current(&self) -> bool {
        self.links.iter().all(Option::is_some) || self.read_at.elapsed() < RETRY_AFTER
    }

    /// The open connection to `node`, if this topology has one.
    fn link_to(&self, node: &(String, u16)) -> Option<MultiplexedConnection> {
        let at = self.map.nodes.iter().position(|known| known == node)?;
        self.links.get(at).cloned().flatten()
    }
}

/// What every clone of one [`ClusterConn`] shares.
struct Links {
    clients: NodeClients,
    connect_timeout: Duration,
    io_timeout: Duration,
    driver: tokio::runtime::Handle,
    /// The topology batches use; kept after it went stale, so that the next one reuses its
    /// open connections.
    topology: Mutex<Option<Arc<Topology>>>,
    /// Set when a reply was misrouted: the map is read again before the next batch.
    stale: AtomicBool,
    /// One task reads the map at a time; the others wait for its result (after a slot moved,
    /// every batch in flight would otherwise read it and connect to every master).
    refresh: tokio::sync::Mutex<()>,
}

/// The async cluster connection (redis-rs's, which routes single commands), with the node
/// connections its batches go through; cheap to clone.
#[derive(Clone)]
pub(crate) struct ClusterConn {
    /// redis-rs's connection, which routes each command by its key.
    pub(crate) routed: redis::cluster_async::ClusterConnection,
    links: Arc<Links>,
}

impl ClusterConn {
    /// `routed`, and node connections made from `clients` on the `driver` runtime.
    pub(crate) fn new(
        routed: redis::cluster_async::ClusterConnection,
        clients: NodeClients,
        connect_timeout: Duration,
        io_timeout: Duration,
        driver: tokio::runtime::Handle,
    ) -> ClusterConn {
        ClusterConn {
            routed,
            links: Arc::new(Links {
                clients,
                connect_timeout,
                io_timeout,
                driver,
                topology: Mutex::new(None),
                stale: AtomicBool::new(false),
                refresh: tokio::sync::Mutex::new(()),
            }),
        }
    }

    fn current(&self) -> Option<Arc<Topology>> {
        self.links
            .topology
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn usable(&self) -> Option<Arc<Topology>> {
        self.current()
            .filter(|topology| !self.links.stale.load(SeqCst) && topology.is_current())
    }

    /// `cmd` on the node at `host:port`, over a connection of its own made for it: redis-rs's
    /// router reaches only the nodes of its slot map, and a master importing its first slot is
    /// in none. Seldom: a change feed's start-over while a slot is being migrated.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) async fn on_node(&self, host: &str, port: u16, cmd: &Cmd) -> RedisResult<Value> {
        let client = self.links.clients.client(host, port)?;
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.links.connect_timeout))
            .set_response_timeout(Some(self.links.io_timeout));
        let cmd = cmd.clone();
        // On the driver, where the connection's I/O task then lives.
        self.links
            .driver
            .spawn(async move {
                let mut conn = client
                    .get_multiplexed_async_connection_with_config(&config)
                    .await?;
                cmd.query_async(&mut conn).await
            })
            .await
            .map_err(|_| {
                redis::RedisError::from((
                    redis::ErrorKind::Client,
                    "the connection to a migrating slot's target ended",
                ))
            })?
    }

    /// The positions of `slots` grouped by the master serving them, per the map as it is now;
    /// `None` while there is no usable map, or when one of the slots has no addressed master.
    pub(crate) fn by_node(&self, slots: &[u16]) -> Option<Vec<Vec<usize>>> {
        let topology = self.usable()?;
        let slots: Vec<Option<u16>> = slots.iter().copied().map(Some).collect();
        topology
            .map
            .groups(&slots)
            .into_iter()
            .map(|(node, positions)| node.map(|_| positions))
            .collect()
    }

    /// The map and node connections: read and opened when there are none, when a reply was
    /// misrouted, or (while a master could not be reached) after [`RETRY_AFTER`]. Connections
    /// to masters that the previous map had are kept.
    async fn topology(&mut self) -> RedisResult<Arc<Topology>> {
        if let Some(topology) = self.usable() {
            return Ok(topology);
        }
        let _refreshing = self.links.refresh.lock().await;
        if let Some(topology) = self.usable() {
            return Ok(topology);
        }
        let previous = self.current();
        let read_at = std::time::Instant::now();
        let reply: Value = redis::cmd("CLUSTER")
            .arg("SLOTS")
            .query_async(&mut self.routed)
            .await?;
        let map = NodeMap::from_cluster_slots(&reply).ok_or_else(|| {
            redis::RedisError::from((
                redis::ErrorKind::UnexpectedReturnType,
                "CLUSTER SLOTS answered with a reply of another shape",
            ))
        })?;
        let connects = map.nodes.iter().map(|node| {
            let kept = previous
                .as_ref()
                .and_then(|previous| previous.link_to(node));
            let client = self.links.clients.client(&node.0, node.1);
            let config = redis::AsyncConnectionConfig::new()
                .set_connection_timeout(Some(self.links.connect_timeout))
                .set_response_timeout(Some(self.links.io_timeout));
            let driver = self.links.driver.clone();
            async move {
                if kept.is_some() {
                    return kept;
                }
                let client = client.ok()?;
                // On the driver, where the connection's I/O task then lives.
                driver
                    .spawn(async move {
                        client
                            .get_multiplexed_async_connection_with_config(&config)
                            .await
                    })
                    .await
                    .ok()?
                    .ok()
            }
        });
        let links = futures_util::future::join_all(connects).await;
        let topology = Arc::new(Topology {
            map,
            links,
            read_at,
        });
        *self
            .links
            .topology
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(topology.clone());
        self.links.stale.store(false, SeqCst);
        Ok(topology)
    }

    /// A reply was misrouted: the map is read again before the next batch, its connections
    /// kept.
    pub(crate) fn map_is_stale(&self) {
        self.links.stale.store(true, SeqCst);
    }

    /// A node connection failed: the map is read again, and every connection opened again
    /// (a failed one is not told apart from the others).
    fn forget_topology(&self) {
        *self
            .links
            .topology
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        self.links.stale.store(true, SeqCst);
    }

    /// Sends `cmds`, one pipeline per node, the nodes in parallel; the replies in the
    /// commands' order. An error reply other than a redirect fails the whole batch. A
    /// `pinned` command (keys of several slots of one node) goes only to the node of its first
    /// key's slot: where it cannot, it is not sent, and its reply is `Nil`.
    pub(crate) async fn send_batch(
        &mut self,
        cmds: &[&Cmd],
        pinned: &[bool],
    ) -> RedisResult<Vec<Value>> {
        let topology = self.topology().await?;
        let slots: Vec<Option<u16>> = cmds.iter().map(|cmd| first_key(cmd).map(slot)).collect();
        let groups = topology.map.groups(&slots);
        let sends = groups.iter().map(|(node, positions)| {
            let link = node.and_then(|node| topology.links.get(node).cloned().flatten());
            let routed = self.routed.clone();
            async move {
                match link {
                    Some(mut link) => {
                        let mut pipeline = redis::pipe();
                        for &position in positions {
                            pipeline.add_command(cmds[position].clone());
                        }
                        link.req_packed_commands(&pipeline, 0, positions.len())
                            .await
                    }
                    None => {
                        let one_by_one = positions.iter().map(|&position| {
                            let mut routed = routed.clone();
                            async move {
                                if pinned[position] {
                                    return Ok(Value::Nil);
                                }
                                cmds[position].query_async::<Value>(&mut routed).await
                            }
                        });
                        futures_util::future::join_all(one_by_one)
                            .await
                            .into_iter()
                            .collect()
                    }
                }
            }
        });
        let replies = futures_util::future::join_all(sends).await;
        let mut in_order = vec![Value::Nil; cmds.len()];
        for ((_, positions), reply) in groups.iter().zip(replies) {
            let reply = match reply {
                Ok(reply) if reply.len() == positions.len() => reply,
                Ok(_) => {
                    self.forget_topology();
                    return Err(redis::RedisError::from((
                        redis::ErrorKind::UnexpectedReturnType,
                        "a node answered a pipeline with another number of replies",
                    )));
                }
                Err(error) => {
                    self.forget_topology();
                    return Err(error);
                }
            };
            for (&position, value) in positions.iter().zip(reply) {
                in_order[position] = value;
            }
        }
        let sorted = sorted(in_order)?;
        if sorted.iter().any(Option::is_none) {
            self.map_is_stale();
        }
        let resends = sorted
            .into_iter()
            .zip(cmds)
            .zip(pinned)
            .map(|((reply, cmd), &pinned)| {
                let mut routed = self.routed.clone();
                async move {
                    match reply {
                        Some(reply) => Ok(reply),
                        None if pinned => Ok(Value::Nil),
                        None => cmd.query_async::<Value>(&mut routed).await,
                    }
                }
            });
        futures_util::future::join_all(resends)
            .await
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clients(seed: &str) -> NodeClients {
        NodeClients {
            seed: redis::IntoConnectionInfo::into_connection_info(seed).unwrap(),
            #[cfg(feature = "tls")]
            root_certificate: None,
        }
    }

    #[test]
    fn a_node_is_reached_with_the_seeds_credentials_at_its_own_address() {
        let client = clients("redis://ada:s3cret@10.0.0.1:7000/")
            .client("10.0.0.2", 7002)
            .unwrap();
        let info = client.get_connection_info();
        assert_eq!(
            info.addr(),
            &ConnectionAddr::Tcp("10.0.0.2".to_string(), 7002)
        );
        assert_eq!(info.redis_settings().username(), Some("ada"));
        assert_eq!(info.redis_settings().password(), Some("s3cret"));
    }

    #[cfg(feature = "tls")]
    #[test]
    fn a_tls_seed_reaches_every_node_over_tls() {
        let client = clients("rediss://10.0.0.1:7000/#insecure")
            .client("10.0.0.2", 7002)
            .unwrap();
        match client.get_connection_info().addr() {
            ConnectionAddr::TcpTls {
                host,
                port,
                insecure,
                ..
            } => assert_eq!((host.as_str(), *port, *insecure), ("10.0.0.2", 7002, true)),
            other => panic!("not TLS: {other:?}"),
        }
    }
}
