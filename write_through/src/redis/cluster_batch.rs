//! A batch on a Redis Cluster: how the replies of commands sent to the wrong node are told
//! apart (both fronts), and how the blocking front sends a batch.
//!
//! **Misrouted replies.** When a slot moved since the client read the cluster's map, the node a
//! command went to answers `MOVED` (or `ASK` while the slot is moving; `TRYAGAIN`,
//! `CLUSTERDOWN` and the like while the cluster settles). Such a command did not run.
//! - Async: it is sent again on its own through the client's router, which follows redirects
//!   as for any command: a stale map costs round trips, never a command run on the wrong node
//!   or run twice.
//! - Blocking: redis-rs's cluster pipeline fails the batch as a whole, the other replies lost
//!   with the error, and (in 1.8, whose check for a redirect looks at errors while a pipeline's
//!   error replies come back as values) never reads the map again, so every later batch on a
//!   moved slot failed too. Here a harmless `EXISTS` of a misrouted key makes it read the map:
//!   one batch fails (served from the database, as after any Redis error), the next is routed
//!   right.
//!
//! Any other error reply fails the batch, so `NOSCRIPT` still makes the caller load the scripts
//! and send again.
//!
//! The async front's batches go one pipeline per master, on connections of its own:
//! `node_pipelines.rs`.

use redis::{Arg, Cmd, RedisResult, ServerErrorKind, Value};

/// Whether a reply says the command did not run because of where or when it was sent (the
/// replies redis-rs's router retries): it is sent again through the router, and the map is
/// read again.
pub(crate) fn misrouted(value: &Value) -> bool {
    matches!(
        value,
        Value::ServerError(error) if matches!(
            error.kind(),
            Some(
                ServerErrorKind::Moved
                    | ServerErrorKind::Ask
                    | ServerErrorKind::TryAgain
                    | ServerErrorKind::ClusterDown
                    | ServerErrorKind::MasterDown
                    | ServerErrorKind::BusyLoading
                    | ServerErrorKind::ReadOnly
            )
        )
    )
}

/// The replies of a batch, in the commands' order: `None` for a misrouted one, which is to be
/// sent again; an error reply of another kind fails the batch.
#[cfg(feature = "async")]
pub(crate) fn sorted(replies: Vec<Value>) -> RedisResult<Vec<Option<Value>>> {
    replies
        .into_iter()
        .map(|reply| match reply {
            reply if misrouted(&reply) => Ok(None),
            Value::ServerError(error) => Err(error.into()),
            reply => Ok(Some(reply)),
        })
        .collect()
}

/// The first key of a batch command (`GET`, `SET`, `EVALSHA` with at least one key); `None`
/// for any other.
pub(crate) fn first_key(cmd: &Cmd) -> Option<&[u8]> {
    let mut args = cmd.args_iter().map(|arg| match arg {
        Arg::Simple(bytes) => Some(bytes),
        _ => None,
    });
    let name = args.next()??;
    if name.eq_ignore_ascii_case(b"EVALSHA") {
        let _sha = args.next()??;
        let keys: usize = std::str::from_utf8(args.next()??).ok()?.parse().ok()?;
        if keys == 0 {
            return None;
        }
        args.next()?
    } else if name.eq_ignore_ascii_case(b"GET") || name.eq_ignore_ascii_case(b"SET") {
        args.next()?
    } else {
        None
    }
}

/// Sends `cmds` as one cluster pipeline of the blocking client (one round trip per node).
///
/// redis-rs's blocking cluster pipeline fails a batch with a misrouted reply as a whole (the
/// other replies are lost with it), and does not read the cluster's map again, so every later
/// batch touching a moved slot would fail the same way. After such a failure a harmless
/// `EXISTS` of a misrouted key is sent alone: the router follows its redirect and reads the map
/// again, and the next batch is routed right. The batch itself still fails: as after any
/// error mid-batch, the callers assume that its commands may have run.
pub(crate) fn send_blocking(
    cluster: &mut redis::cluster::ClusterConnection,
    cmds: &[&Cmd],
) -> RedisResult<Vec<Value>> {
    let mut pipeline = redis::cluster::cluster_pipe();
    for cmd in cmds {
        pipeline.add_command((*cmd).clone());
    }
    let error = match pipeline.query::<Vec<Value>>(cluster) {
        Ok(replies) => return Ok(replies),
        Err(error) => error,
    };
    let misrouted_key = error.clone().into_server_errors().and_then(|errors| {
        errors
            .iter()
            .find(|(_, reply)| misrouted(&Value::ServerError(reply.clone())))
            .and_then(|(position, _)| first_key(cmds.get(*position)?))
    });
    if let Some(key) = misrouted_key {
        let _: RedisResult<Value> = redis::cmd("EXISTS").arg(key).query(cluster);
    }
    Err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_key_of_a_batch_command() {
        let key = |cmd: &Cmd| first_key(cmd).map(<[u8]>::to_vec);
        assert_eq!(key(redis::cmd("GET").arg("foo")), Some(b"foo".to_vec()));
        assert_eq!(
            key(redis::cmd("SET").arg("foo").arg("v").arg("NX")),
            Some(b"foo".to_vec())
        );
        assert_eq!(
            key(redis::cmd("EVALSHA")
                .arg("0123")
                .arg(2)
                .arg("bar")
                .arg("baz")),
            Some(b"bar".to_vec())
        );
        assert_eq!(key(&redis::cmd("PING")), None);
        assert_eq!(key(redis::cmd("EVALSHA").arg("0123").arg(0)), None);
        assert_eq!(
            key(redis::cmd("DEL").arg("foo")),
            None,
            "not a batch command"
        );
    }

    #[test]
    fn redirects_are_misrouted_and_other_errors_are_not() {
        let reply = |line: &[u8]| redis::parse_redis_value(line).expect("a RESP error line");
        assert!(misrouted(&reply(b"-MOVED 3999 127.0.0.1:6381\r\n")));
        assert!(misrouted(&reply(b"-ASK 3999 127.0.0.1:6381\r\n")));
        assert!(misrouted(&reply(
            b"-TRYAGAIN Multiple keys request during rehashing\r\n"
        )));
        assert!(misrouted(&reply(b"-CLUSTERDOWN The cluster is down\r\n")));
        assert!(misrouted(&reply(
            b"-READONLY You can't write against a replica\r\n"
        )));
        assert!(!misrouted(&reply(b"-NOSCRIPT No matching script\r\n")));
        assert!(!misrouted(&reply(b"-ERR unknown command\r\n")));
        assert!(!misrouted(&Value::Nil));
    }

    #[test]
    fn misrouted_replies_are_sent_again_and_other_errors_fail_the_batch() {
        let reply = |line: &[u8]| redis::parse_redis_value(line).expect("a RESP line");
        assert_eq!(
            sorted(vec![
                reply(b"$1\r\na\r\n"),
                reply(b"-MOVED 3999 127.0.0.1:6381\r\n"),
                Value::Nil
            ])
            .unwrap(),
            vec![Some(reply(b"$1\r\na\r\n")), None, Some(Value::Nil)]
        );
        let error = sorted(vec![
            reply(b"-MOVED 3999 127.0.0.1:6381\r\n"),
            reply(b"-NOSCRIPT No matching script\r\n"),
        ])
        .unwrap_err();
        assert_eq!(
            error.kind(),
            redis::ErrorKind::Server(ServerErrorKind::NoScript)
        );
    }
}
