//! One Redis, or a Redis Cluster: the two kinds of client, and of connection for each front,
//! behind one interface (how a request travels over each is in `request.rs`).

use std::time::Duration;

use redis::{Cmd, ConnectionLike, RedisResult, Value};

// One client per `Cache`: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(crate) enum RedisClient {
    Single(redis::Client),
    #[cfg(feature = "cluster")]
    Cluster(Box<ClusterClients>),
}

/// A cluster's clients: redis-rs's, which routes each command by its key, and (async) how the
/// batches reach each master on a connection of its own (see `node_pipelines.rs`).
#[cfg(feature = "cluster")]
#[derive(Clone)]
pub(crate) struct ClusterClients {
    pub(crate) routed: redis::cluster::ClusterClient,
    #[cfg(feature = "async")]
    pub(crate) nodes: crate::redis::node_pipelines::NodeClients,
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

    /// A new connection whose every command is bounded by the timeouts. A connect or handshake
    /// a signal interrupted (`EINTR`: a socket with a timeout is not restarted, whatever the
    /// handler's flags) is tried again, twice at most: nothing was wrong with the server.
    pub(crate) fn connect(
        &self,
        connect_timeout: Duration,
        io_timeout: Duration,
    ) -> RedisResult<RedisConn> {
        let mut tries = 0;
        loop {
            match self.connect_once(connect_timeout, io_timeout) {
                Err(error) if tries < 2 && interrupted(&error) => tries += 1,
                outcome => return outcome,
            }
        }
    }

    fn connect_once(
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
            RedisClient::Cluster(clients) => Ok(RedisConn::Cluster(Box::new(
                clients.routed.get_connection()?,
            ))),
        }
    }
}

/// Whether `error` is an I/O call a signal interrupted. redis-rs keeps the `io::Error` to
/// itself; its message carries the OS's code (`EINTR` is 4 on Linux and the BSDs).
fn interrupted(error: &redis::RedisError) -> bool {
    error.is_io_error() && error.to_string().contains("(os error 4)")
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

#[cfg(feature = "async")]
pub(crate) use asynch::AsyncConn;

#[cfg(feature = "async")]
mod asynch {
    use std::time::Duration;

    use redis::{Cmd, Pipeline, RedisFuture, RedisResult, Value};

    use super::RedisClient;
    #[cfg(feature = "cluster")]
    use crate::redis::node_pipelines::ClusterConn;

    /// A multiplexed connection: cheap to clone, shared by every task of one `Cache`.
    #[derive(Clone)]
    pub(crate) enum AsyncConn {
        Single(redis::aio::MultiplexedConnection),
        #[cfg(feature = "cluster")]
        Cluster(ClusterConn),
    }

    impl RedisClient {
        /// A new multiplexed connection whose every command is bounded by the timeouts.
        pub(crate) async fn connect_async(
            &self,
            connect_timeout: Duration,
            io_timeout: Duration,
        ) -> RedisResult<AsyncConn> {
            match self {
                RedisClient::Single(client) => {
                    let config = redis::AsyncConnectionConfig::new()
                        .set_connection_timeout(Some(connect_timeout))
                        .set_response_timeout(Some(io_timeout));
                    Ok(AsyncConn::Single(
                        client
                            .get_multiplexed_async_connection_with_config(&config)
                            .await?,
                    ))
                }
                // The cluster client carries its timeouts (set when it was built). Called on
                // the cache's driver runtime (see `store.rs`), where the node connections are
                // opened too.
                #[cfg(feature = "cluster")]
                RedisClient::Cluster(clients) => Ok(AsyncConn::Cluster(ClusterConn::new(
                    clients.routed.get_async_connection().await?,
                    clients.nodes.clone(),
                    connect_timeout,
                    io_timeout,
                    tokio::runtime::Handle::current(),
                ))),
            }
        }
    }

    impl redis::aio::ConnectionLike for AsyncConn {
        fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
            match self {
                AsyncConn::Single(conn) => conn.req_packed_command(cmd),
                #[cfg(feature = "cluster")]
                AsyncConn::Cluster(conn) => conn.routed.req_packed_command(cmd),
            }
        }

        fn req_packed_commands<'a>(
            &'a mut self,
            pipeline: &'a Pipeline,
            offset: usize,
            count: usize,
        ) -> RedisFuture<'a, Vec<Value>> {
            match self {
                AsyncConn::Single(conn) => conn.req_packed_commands(pipeline, offset, count),
                #[cfg(feature = "cluster")]
                AsyncConn::Cluster(conn) => {
                    conn.routed.req_packed_commands(pipeline, offset, count)
                }
            }
        }

        fn get_db(&self) -> i64 {
            match self {
                AsyncConn::Single(conn) => conn.get_db(),
                #[cfg(feature = "cluster")]
                AsyncConn::Cluster(conn) => conn.routed.get_db(),
            }
        }
    }
}

#[cfg(test)]
mod interrupted_tests {
    #[test]
    fn only_an_interrupted_call_is_tried_again() {
        let interrupted = redis::RedisError::from(std::io::Error::from_raw_os_error(4));
        assert!(super::interrupted(&interrupted));
        let refused =
            redis::RedisError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(!super::interrupted(&refused));
    }
}
