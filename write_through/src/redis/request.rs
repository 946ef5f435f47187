//! A Redis request as both fronts send it: one command (a script call goes by `EVALSHA`), or a
//! batch of them. Built once, in `redis/commands.rs`; sent by the blocking front on a pooled
//! connection or by the async front on a multiplexed one, so both send identical bytes.
//!
//! Standalone, a batch is one pipeline: one round trip. On a cluster, the blocking front sends
//! a cluster pipeline, which redis-rs splits by node (one round trip per node; redis-rs 1.8 no
//! longer refuses `EVALSHA` there); the async cluster client refuses a pipeline that spans
//! slots, so the async front sends the batch's commands concurrently on its multiplexed
//! connection, which again costs about one round trip per node. The callers group keys by hash
//! slot, so each multi-key script call stays within one slot and is routed by its first key.
//!
//! After a restarted Redis answers `NOSCRIPT`, the scripts are loaded and the request is sent
//! once more: every script compares before it writes, so running one twice is harmless.

use redis::{Cmd, FromRedisValue, RedisResult};

use crate::redis::connection::RedisConn;
use crate::redis::scripts;

pub(crate) enum Request {
    One(Cmd),
    Many(Batch),
}

/// Commands sent together; the replies of the ones not ignored come back in order, as one
/// array.
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

    fn pipeline(&self) -> redis::Pipeline {
        let mut pipeline = redis::pipe();
        for (cmd, ignored) in &self.calls {
            pipeline.add_command(cmd.clone());
            if *ignored {
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
            (Request::Many(batch), RedisConn::Single(single)) => batch.pipeline().query(single),
            #[cfg(feature = "cluster")]
            (Request::Many(batch), RedisConn::Cluster(cluster)) => {
                let mut pipeline = redis::cluster::cluster_pipe();
                for (cmd, ignored) in &batch.calls {
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
                (Request::Many(batch), AsyncConn::Single(single)) => {
                    batch.pipeline().query_async(single).await
                }
                #[cfg(feature = "cluster")]
                (Request::Many(batch), AsyncConn::Cluster(cluster)) => {
                    use redis::Value;
                    // Concurrent on one multiplexed cluster connection: the client pipelines
                    // what goes to one node, and the nodes answer in parallel.
                    let sends = batch.calls.iter().map(|(cmd, _)| {
                        let mut conn = cluster.clone();
                        async move { cmd.query_async::<Value>(&mut conn).await }
                    });
                    let replies = futures_util::future::join_all(sends).await;
                    let mut kept = Vec::with_capacity(replies.len());
                    for ((_, ignored), reply) in batch.calls.iter().zip(replies) {
                        let reply = reply?;
                        if !*ignored {
                            kept.push(reply);
                        }
                    }
                    Ok(T::from_redis_value(Value::Array(kept))?)
                }
            }
        }
    }
}
