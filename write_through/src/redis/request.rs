//! A Redis request as both fronts send it: one command (a script call goes by `EVALSHA`), or a
//! batch of them. Built once, in `redis/commands.rs`; sent by the blocking front on a pooled
//! connection or by the async front on a multiplexed one, so both send identical bytes.
//!
//! Standalone, a batch is one pipeline: one round trip. On a cluster, the blocking front sends
//! a cluster pipeline, which redis-rs splits by node (one round trip per node; redis-rs 1.8 no
//! longer refuses `EVALSHA` there); the async cluster client refuses a pipeline that spans
//! slots, so the async front groups the batch by node itself and sends one pipeline per node
//! (`node_pipelines.rs`): again one round trip per node. A multi-key script call is routed by its
//! first key: the callers group keys by hash slot, or, where the front keeps the cluster's map,
//! by master (the batch scripts then declare one key and reach the others of the node through
//! `allow-cross-slot-keys`: see `commands.rs`).
//!
//! After a restarted Redis answers `NOSCRIPT`, the scripts are loaded and the request is sent
//! once more: every script compares before it writes, so running one twice is harmless.

use redis::{Cmd, FromRedisValue, RedisResult};

use crate::redis::connection::RedisConn;
use crate::redis::scripts;

pub(crate) enum Request {
    One(Cmd),
    Many(Batch),
    /// A command for the master that serves a slot, whatever its keys (a `SCAN` of that
    /// node's keys, on a cluster); on one Redis, that Redis.
    #[cfg_attr(
        not(all(feature = "cluster", any(feature = "postgres", feature = "binlog"))),
        allow(dead_code)
    )]
    OnMasterOf(u16, Cmd),
    /// A command for the node at an address (`host`, `port`), which may serve no slot yet (a
    /// master importing its first one); on one Redis, that Redis.
    #[cfg_attr(
        not(all(feature = "cluster", any(feature = "postgres", feature = "binlog"))),
        allow(dead_code)
    )]
    OnNode(String, u16, Cmd),
}

/// The route to the master serving `slot`.
#[cfg(feature = "cluster")]
fn master_of(slot: u16) -> redis::cluster_routing::RoutingInfo {
    use redis::cluster_routing::{Route, RoutingInfo, SingleNodeRoutingInfo, SlotAddr};
    RoutingInfo::SingleNode(SingleNodeRoutingInfo::SpecificNode(Route::new(
        slot,
        SlotAddr::Master,
    )))
}

/// The route to the node at `host:port`.
#[cfg(feature = "cluster")]
fn node_at(host: &str, port: u16) -> redis::cluster_routing::RoutingInfo {
    use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
    RoutingInfo::SingleNode(SingleNodeRoutingInfo::ByAddress {
        host: host.to_owned(),
        port,
    })
}

/// Commands sent together; the replies of the ones not ignored come back in order, as one
/// array.
#[derive(Default)]
pub(crate) struct Batch {
    calls: Vec<Call>,
}

struct Call {
    cmd: Cmd,
    /// Its reply is left out of the batch's.
    ignored: bool,
    /// It reaches keys of several slots of one node (see `commands.rs`): it goes to that node
    /// only, and where it cannot (misrouted: the slot of its first key moved; or no connection
    /// to the node) it is not sent at all, and its reply is `Nil`. Sent through the router, it
    /// could be redirected with `ASKING`, which Redis extends to every key the script touches.
    #[cfg_attr(not(all(feature = "cluster", feature = "async")), allow(dead_code))]
    pinned: bool,
}

impl Batch {
    pub(crate) fn add(&mut self, cmd: Cmd) {
        self.push(cmd, false, false);
    }

    pub(crate) fn add_ignored(&mut self, cmd: Cmd) {
        self.push(cmd, true, false);
    }

    /// Adds a call that reaches keys of several slots of one node (see [`Call::pinned`]).
    pub(crate) fn add_pinned(&mut self, cmd: Cmd, ignored: bool) {
        self.push(cmd, ignored, true);
    }

    fn push(&mut self, cmd: Cmd, ignored: bool, pinned: bool) {
        self.calls.push(Call {
            cmd,
            ignored,
            pinned,
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    #[cfg(feature = "cluster")]
    fn cmds(&self) -> Vec<&Cmd> {
        self.calls.iter().map(|call| &call.cmd).collect()
    }

    #[cfg(all(feature = "cluster", feature = "async"))]
    fn pinned(&self) -> Vec<bool> {
        self.calls.iter().map(|call| call.pinned).collect()
    }

    /// The replies of the commands not ignored, as one array, from every command's reply.
    #[cfg(feature = "cluster")]
    fn kept(&self, replies: Vec<redis::Value>) -> redis::Value {
        let kept = self
            .calls
            .iter()
            .zip(replies)
            .filter(|(call, _)| !call.ignored)
            .map(|(_, reply)| reply)
            .collect();
        redis::Value::Array(kept)
    }

    fn pipeline(&self) -> redis::Pipeline {
        let mut pipeline = redis::pipe();
        for call in &self.calls {
            pipeline.add_command(call.cmd.clone());
            if call.ignored {
                pipeline.ignore();
            }
        }
        pipeline
    }
}

fn no_script(error: &redis::RedisError) -> bool {
    error.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::NoScript)
}

impl Request {
    /// Sends the request on a blocking connection.
    pub(crate) fn send<T: FromRedisValue>(&self, conn: &mut RedisConn) -> RedisResult<T> {
        match self.send_once(conn) {
            Err(error) if no_script(&error) => {
                for script in scripts::all() {
                    script.load(conn)?;
                }
                self.send_once(conn)
            }
            result => result,
        }
    }

    fn send_once<T: FromRedisValue>(&self, conn: &mut RedisConn) -> RedisResult<T> {
        match (self, conn) {
            (Request::One(cmd), conn) => cmd.query(conn),
            (
                Request::OnMasterOf(_, cmd) | Request::OnNode(_, _, cmd),
                RedisConn::Single(single),
            ) => cmd.query(single),
            #[cfg(feature = "cluster")]
            (Request::OnMasterOf(slot, cmd), RedisConn::Cluster(cluster)) => Ok(
                T::from_redis_value(cluster.route_command(cmd, master_of(*slot))?)?,
            ),
            #[cfg(feature = "cluster")]
            (Request::OnNode(host, port, cmd), RedisConn::Cluster(cluster)) => Ok(
                T::from_redis_value(cluster.route_command(cmd, node_at(host, *port))?)?,
            ),
            (Request::Many(batch), RedisConn::Single(single)) => batch.pipeline().query(single),
            #[cfg(feature = "cluster")]
            (Request::Many(batch), RedisConn::Cluster(cluster)) => {
                // Misrouted replies sent again (see `cluster_batch.rs`).
                let replies = crate::redis::cluster_batch::send_blocking(cluster, &batch.cmds())?;
                Ok(T::from_redis_value(batch.kept(replies))?)
            }
        }
    }
}

#[cfg(feature = "async")]
mod asynch {
    use redis::{FromRedisValue, RedisResult};

    use super::{Request, no_script};
    use crate::redis::connection::AsyncConn;
    use crate::redis::scripts;

    impl Request {
        /// Sends the request on an async connection.
        pub(crate) async fn send_async<T: FromRedisValue>(
            &self,
            conn: &mut AsyncConn,
        ) -> RedisResult<T> {
            match self.send_once_async(conn).await {
                Err(error) if no_script(&error) => {
                    for script in scripts::all() {
                        script.load_async(conn).await?;
                    }
                    self.send_once_async(conn).await
                }
                result => result,
            }
        }

        async fn send_once_async<T: FromRedisValue>(&self, conn: &mut AsyncConn) -> RedisResult<T> {
            match (self, conn) {
                (Request::One(cmd), conn) => cmd.query_async(conn).await,
                (
                    Request::OnMasterOf(_, cmd) | Request::OnNode(_, _, cmd),
                    AsyncConn::Single(single),
                ) => cmd.query_async(single).await,
                #[cfg(feature = "cluster")]
                (Request::OnNode(host, port, cmd), AsyncConn::Cluster(cluster)) => Ok(
                    T::from_redis_value(cluster.on_node(host, *port, cmd).await?)?,
                ),
                #[cfg(feature = "cluster")]
                (Request::OnMasterOf(slot, cmd), AsyncConn::Cluster(cluster)) => {
                    let reply = cluster
                        .routed
                        .route_command(cmd.clone(), super::master_of(*slot))
                        .await?;
                    Ok(T::from_redis_value(reply)?)
                }
                (Request::Many(batch), AsyncConn::Single(single)) => {
                    batch.pipeline().query_async(single).await
                }
                #[cfg(feature = "cluster")]
                (Request::Many(batch), AsyncConn::Cluster(cluster)) => {
                    // One pipeline per node (see `node_pipelines.rs`).
                    let replies = cluster.send_batch(&batch.cmds(), &batch.pinned()).await?;
                    Ok(T::from_redis_value(batch.kept(replies))?)
                }
            }
        }
    }
}
