//! One Redis, or a Redis Cluster: the two kinds of client and connection behind one interface,
//! and how a batch of script calls travels over each.
//!
//! Standalone, a batch is one pipeline: one round trip. On a cluster, a batch is one cluster
//! pipeline, which redis-rs splits by node: one round trip per node. (redis-rs before 1.x
//! refused `EVALSHA` in cluster pipelines; 1.8's list of commands a cluster pipeline refuses no
//! longer has it, though its doc comment still says so.) The callers group keys by hash slot so
//! that each multi-key script call stays within one slot and is routed by its first key.

use std::time::Duration;

use redis::{Cmd, ConnectionLike, FromRedisValue, RedisResult, Value};

use crate::redis::scripts;

pub(crate) enum RedisClient {
    Single(redis::Client),
    #[cfg(feature = "cluster")]
    Cluster(redis::cluster::ClusterClient),
}

pub(crate) enum RedisConn {
    Single(redis::Connection),
    // Boxed: a cluster connection is four times the size of a plain one, and pools hold many.
    #[cfg(feature = "cluster")]
    Cluster(Box<redis::cluster::ClusterConnection>),
}

impl RedisClient {
    pub(crate) fn is_cluster(&self) -> bool {
        !matches!(self, RedisClient::Single(_))
    }

    /// A new connection whose every command is bounded by the timeouts.
    pub(crate) fn connect(
        &self,
        connect_timeout: Duration,
        io_timeout: Duration,
    ) -> RedisResult<RedisConn> {
        match self {
            RedisClient::Single(client) => {
                let conn = client.get_connection_with_timeout(connect_timeout)?;
                conn.set_read_timeout(Some(io_timeout))?;
                conn.set_write_timeout(Some(io_timeout))?;
                Ok(RedisConn::Single(conn))
            }
            // The cluster client carries its timeouts (set when it was built).
            #[cfg(feature = "cluster")]
            RedisClient::Cluster(client) => {
                Ok(RedisConn::Cluster(Box::new(client.get_connection()?)))
            }
        }
    }
}

impl ConnectionLike for RedisConn {
    fn req_packed_command(&mut self, cmd: &[u8]) -> RedisResult<Value> {
        match self {
            RedisConn::Single(conn) => conn.req_packed_command(cmd),
            #[cfg(feature = "cluster")]
            RedisConn::Cluster(conn) => conn.req_packed_command(cmd),
        }
    }

    fn req_packed_commands(
        &mut self,
        cmd: &[u8],
        offset: usize,
        count: usize,
    ) -> RedisResult<Vec<Value>> {
        match self {
            RedisConn::Single(conn) => conn.req_packed_commands(cmd, offset, count),
            #[cfg(feature = "cluster")]
            RedisConn::Cluster(conn) => conn.req_packed_commands(cmd, offset, count),
        }
    }

    fn req_command(&mut self, cmd: &Cmd) -> RedisResult<Value> {
        match self {
            RedisConn::Single(conn) => conn.req_command(cmd),
            #[cfg(feature = "cluster")]
            RedisConn::Cluster(conn) => conn.req_command(cmd),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            RedisConn::Single(conn) => conn.get_db(),
            #[cfg(feature = "cluster")]
            RedisConn::Cluster(conn) => conn.get_db(),
        }
    }

    fn check_connection(&mut self) -> bool {
        match self {
            RedisConn::Single(conn) => conn.check_connection(),
            #[cfg(feature = "cluster")]
            RedisConn::Cluster(conn) => conn.check_connection(),
        }
    }

    fn is_open(&self) -> bool {
        match self {
            RedisConn::Single(conn) => conn.is_open(),
            #[cfg(feature = "cluster")]
            RedisConn::Cluster(conn) => conn.is_open(),
        }
    }
}

impl RedisConn {
    /// Plain commands (no scripts) in one round trip per node: a pipeline, or on a cluster a
    /// cluster pipeline, which redis-rs splits by node.
    pub(crate) fn pipelined<T: FromRedisValue>(&mut self, commands: &[Cmd]) -> RedisResult<Vec<T>> {
        match self {
            RedisConn::Single(conn) => {
                let mut pipeline = redis::pipe();
                for cmd in commands {
                    pipeline.add_command(cmd.clone());
                }
                pipeline.query(conn)
            }
            #[cfg(feature = "cluster")]
            RedisConn::Cluster(conn) => {
                let mut pipeline = redis::cluster::cluster_pipe();
                for cmd in commands {
                    pipeline.add_command(cmd.clone());
                }
                pipeline.query(conn.as_mut())
            }
        }
    }
}

/// Script calls (or plain commands) sent together; the replies of the ones not ignored come
/// back in order.
#[derive(Default)]
pub(crate) struct Batch {
    calls: Vec<(Cmd, bool)>,
}

impl Batch {
    pub(crate) fn add(&mut self, cmd: Cmd) {
        self.calls.push((cmd, false));
    }

    pub(crate) fn add_ignored(&mut self, cmd: Cmd) {
        self.calls.push((cmd, true));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// Runs the batch. After a restarted Redis answers `NOSCRIPT`, the scripts are loaded and
    /// the batch runs once more (every script compares before it writes, so running one twice
    /// is harmless).
    pub(crate) fn query<T: FromRedisValue>(&self, conn: &mut RedisConn) -> RedisResult<Vec<T>> {
        match self.query_once(conn) {
            Err(error)
                if error.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::NoScript) =>
            {
                for script in scripts::all() {
                    script.load(conn)?;
                }
                self.query_once(conn)
            }
            result => result,
        }
    }

    fn query_once<T: FromRedisValue>(&self, conn: &mut RedisConn) -> RedisResult<Vec<T>> {
        match conn {
            RedisConn::Single(single) => {
                let mut pipeline = redis::pipe();
                for (cmd, ignored) in &self.calls {
                    pipeline.add_command(cmd.clone());
                    if *ignored {
                        pipeline.ignore();
                    }
                }
                pipeline.query(single)
            }
            #[cfg(feature = "cluster")]
            RedisConn::Cluster(cluster) => {
                let mut pipeline = redis::cluster::cluster_pipe();
                for (cmd, ignored) in &self.calls {
                    pipeline.add_command(cmd.clone());
                    if *ignored {
                        pipeline.ignore();
                    }
                }
                pipeline.query(cluster.as_mut())
            }
        }
    }
}
