//! The streaming replication protocol, as a logical-replication client speaks it to a
//! PostgreSQL walsender: the startup and authentication exchange, `START_REPLICATION`, the
//! server's messages in copy-both mode, and the client's status updates. No I/O: bytes in,
//! messages and bytes out (`stream.rs` drives it over a socket).
//!
//! Why a stream and not `pg_logical_slot_peek_binary_changes`: each call of the SQL functions
//! decodes the WAL again from the slot's `restart_lsn`, which moves only at the snapshots the
//! server logs every 15 seconds; under sustained writes each peek decoded seconds of WAL again,
//! and the lag grew to a second. A walsender keeps its decoding state for the whole session and
//! sends each transaction once, when it commits.
//!
//! Frames are `tag, length (4 bytes, counting itself), body`. Authentication (MD5 and
//! SCRAM-SHA-256) and the frontend messages are postgres-protocol's, the crate tokio-postgres
//! (and so diesel-async) speaks PostgreSQL with.

use bytes::{Buf, BytesMut};
use postgres_protocol::authentication::{md5_hash, sasl};
use postgres_protocol::message::frontend;

use super::FeedError;
use super::conninfo::{Conninfo, Host};
use super::pgoutput::Lsn;
use super::sql;

/// A message of the server, framed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    /// `R`: an authentication request (its code, then its data).
    Authentication(i32, Vec<u8>),
    /// `E`: an error; the session is over.
    Error(ServerError),
    /// `Z`: the server waits for a query.
    ReadyForQuery,
    /// `W`: `START_REPLICATION` succeeded; the stream follows.
    CopyBoth,
    /// `d`: one message of the stream.
    CopyData(Vec<u8>),
    /// `c`: the server ended the stream.
    CopyDone,
    /// Anything else (parameter statuses, notices, the cancel key, ...): nothing to do.
    Other(u8),
}

/// What an `ErrorResponse` says: its SQLSTATE and message (the fields a reader needs to know
/// what to change; a server error never holds the client's password).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ServerError {
    pub(crate) code: String,
    pub(crate) message: String,
}

impl ServerError {
    fn parse(mut body: &[u8]) -> Self {
        let mut error = ServerError {
            code: String::new(),
            message: String::new(),
        };
        while let Some((&field, rest)) = body.split_first() {
            if field == 0 {
                break;
            }
            let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let text = String::from_utf8_lossy(&rest[..end]).into_owned();
            match field {
                b'C' => error.code = text,
                b'M' => error.message = text,
                _ => {}
            }
            body = rest.get(end + 1..).unwrap_or_default();
        }
        error
    }

    /// The feed's error for it: the slot's own problems say what to change.
    pub(crate) fn into_feed_error(self) -> FeedError {
        FeedError::Replication {
            problem: format!("{} (SQLSTATE {})", self.message, self.code),
        }
    }
}

/// The longest frame accepted: a row of a huge transaction arrives as one message, so the
/// bound is generous (PostgreSQL's own limit on a datum is 1 GB).
const MAX_FRAME: usize = 1 << 30;

/// Takes the next whole frame off the front of `buffer`, if it holds one.
pub(crate) fn next_frame(buffer: &mut BytesMut) -> Result<Option<Backend>, FeedError> {
    if buffer.len() < 5 {
        return Ok(None);
    }
    let tag = buffer[0];
    let length = i32::from_be_bytes([buffer[1], buffer[2], buffer[3], buffer[4]]);
    let length = usize::try_from(length)
        .ok()
        .filter(|&length| (4..=MAX_FRAME).contains(&length))
        .ok_or_else(|| protocol("a frame's length is out of range"))?;
    if buffer.len() < 1 + length {
        // The buffer grows with what arrives, not with what a header announces.
        return Ok(None);
    }
    buffer.advance(5);
    let body = buffer.split_to(length - 4);
    Ok(Some(match tag {
        b'R' => {
            if body.len() < 4 {
                return Err(protocol("an authentication request is too short"));
            }
            let code = i32::from_be_bytes([body[0], body[1], body[2], body[3]]);
            Backend::Authentication(code, body[4..].to_vec())
        }
        b'E' => Backend::Error(ServerError::parse(&body)),
        b'Z' => Backend::ReadyForQuery,
        b'W' => Backend::CopyBoth,
        b'd' => Backend::CopyData(body.to_vec()),
        b'c' => Backend::CopyDone,
        other => Backend::Other(other),
    }))
}

fn protocol(problem: &str) -> FeedError {
    FeedError::Replication {
        problem: format!("the server sent what the replication protocol does not allow: {problem}"),
    }
}

/// The startup message of a logical replication session on `info`'s database. The session's
/// output formats are those the polling reader sets (`sql::session_formats`): pgoutput prints
/// values with the walsender's settings, and the keys are read from that text.
pub(crate) fn startup(info: &Conninfo) -> Result<BytesMut, FeedError> {
    let mut buffer = BytesMut::new();
    let parameters = [
        ("user", info.user.as_str()),
        ("database", info.dbname.as_str()),
        ("replication", "database"),
        ("application_name", info.application_name.as_str()),
        ("client_encoding", "UTF8"),
        ("DateStyle", "ISO, YMD"),
        ("IntervalStyle", "postgres"),
        ("bytea_output", "hex"),
        ("TimeZone", "UTC"),
        ("extra_float_digits", "3"),
    ];
    frontend::startup_message(parameters, &mut buffer)
        .map_err(|_| protocol("a connection setting holds a NUL byte"))?;
    Ok(buffer)
}

/// Where the authentication exchange is.
pub(crate) enum Auth {
    /// Waiting for the server's request.
    Start,
    /// A SCRAM exchange under way.
    Scram(Box<sasl::ScramSha256>),
    /// The server accepted; waiting for `ReadyForQuery`.
    Done,
}

/// Answers an authentication request: the bytes to send (none when the server is done asking).
pub(crate) fn authenticate(
    auth: &mut Auth,
    info: &Conninfo,
    code: i32,
    data: &[u8],
) -> Result<Option<BytesMut>, FeedError> {
    let password = || {
        info.password.as_deref().ok_or(FeedError::Replication {
            problem: "the server asks for a password and the streaming URL gives none".to_owned(),
        })
    };
    let mut out = BytesMut::new();
    match code {
        // AuthenticationOk; after a SCRAM exchange only once the server proved it knows the
        // password (SASLFinal), or a server in the middle could skip the proof.
        0 => {
            if matches!(auth, Auth::Scram(_)) {
                return Err(FeedError::Replication {
                    problem: "the server accepted the login without proving it knows the password (SCRAM)".to_owned(),
                });
            }
            *auth = Auth::Done;
            return Ok(None);
        }
        // Cleartext: only over a Unix socket. Over TCP, without TLS, anyone in between could
        // ask for the password and read it.
        3 => {
            if matches!(info.host, Host::Tcp(..)) {
                return Err(FeedError::Replication {
                    problem: "the server asks for the password in clear text over TCP without TLS: give the feed's user scram-sha-256 (or md5) in pg_hba.conf".to_owned(),
                });
            }
            frontend::password_message(password()?.as_bytes(), &mut out)
                .map_err(|_| protocol("the password holds a NUL byte"))?
        }
        // MD5
        5 => {
            let salt: [u8; 4] = data
                .get(..4)
                .and_then(|salt| salt.try_into().ok())
                .ok_or_else(|| protocol("an MD5 request has no salt"))?;
            let hash = md5_hash(info.user.as_bytes(), password()?.as_bytes(), salt);
            frontend::password_message(hash.as_bytes(), &mut out)
                .map_err(|_| protocol("the MD5 hash holds a NUL byte"))?;
        }
        // SASL: the mechanisms offered, NUL-terminated.
        10 => {
            let offered = data
                .split(|&b| b == 0)
                .any(|mechanism| mechanism == sasl::SCRAM_SHA_256.as_bytes());
            if !offered {
                return Err(FeedError::Replication {
                    problem: "the server offers no SASL mechanism the streaming reader speaks (SCRAM-SHA-256 without channel binding)".to_owned(),
                });
            }
            let scram =
                sasl::ScramSha256::new(password()?.as_bytes(), sasl::ChannelBinding::unsupported());
            frontend::sasl_initial_response(sasl::SCRAM_SHA_256, scram.message(), &mut out)
                .map_err(|_| protocol("a SCRAM message is too long"))?;
            *auth = Auth::Scram(Box::new(scram));
        }
        // SASLContinue
        11 => {
            let Auth::Scram(scram) = auth else {
                return Err(protocol("a SCRAM continuation without a SCRAM exchange"));
            };
            scram.update(data).map_err(|_| FeedError::Replication {
                problem: "the server's SCRAM challenge was refused (a wrong password?)".to_owned(),
            })?;
            frontend::sasl_response(scram.message(), &mut out)
                .map_err(|_| protocol("a SCRAM message is too long"))?;
        }
        // SASLFinal: the server proves it knows the password too.
        12 => {
            let Auth::Scram(scram) = auth else {
                return Err(protocol("a SCRAM end without a SCRAM exchange"));
            };
            scram.finish(data).map_err(|_| FeedError::Replication {
                problem:
                    "the server's SCRAM signature does not match: it does not know the password"
                        .to_owned(),
            })?;
            *auth = Auth::Done;
            return Ok(None);
        }
        other => {
            return Err(FeedError::Replication {
                problem: format!(
                    "the server asks for an authentication the streaming reader does not speak (code {other}: Kerberos, GSSAPI or SSPI)"
                ),
            });
        }
    }
    Ok(Some(out))
}

/// The query that starts the stream of `slot` from where it was confirmed, through the
/// publication, with the library's marks (`pg_logical_emit_message`) in it.
pub(crate) fn start_replication(slot: &str, publication: &str) -> Result<BytesMut, FeedError> {
    let command = format!(
        "START_REPLICATION SLOT {slot} LOGICAL 0/0 (proto_version '1', publication_names {}, messages 'true')",
        sql::literal(&format!("\"{publication}\""))
    );
    let mut out = BytesMut::new();
    frontend::query(&command, &mut out).map_err(|_| protocol("a name holds a NUL byte"))?;
    Ok(out)
}

/// A message of the stream (the body of a `CopyData`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Replication<'a> {
    /// `w`: one pgoutput message (decoded by `pgoutput::decode`), and where it is in the log.
    XLogData { start: Lsn, data: &'a [u8] },
    /// `k`: the server is alive. `end` is how far it has decoded and sent: every transaction
    /// committed before it is in the stream before this message. `reply`: it wants a status
    /// update now (or it ends the session at `wal_sender_timeout`).
    Keepalive { end: Lsn, reply: bool },
}

/// Reads the body of a `CopyData`.
pub(crate) fn replication(body: &[u8]) -> Result<Replication<'_>, FeedError> {
    let word = |at: usize| -> Result<u64, FeedError> {
        body.get(at..at + 8)
            .and_then(|bytes| bytes.try_into().ok())
            .map(u64::from_be_bytes)
            .ok_or_else(|| protocol("a stream message is too short"))
    };
    match body.first() {
        // w, start, end (of the server's WAL), send time, data
        Some(b'w') => {
            word(17)?;
            Ok(Replication::XLogData {
                start: word(1)?,
                data: &body[25..],
            })
        }
        // k, end, send time, reply requested
        Some(b'k') => {
            let end = word(1)?;
            let reply = *body
                .get(17)
                .ok_or_else(|| protocol("a keepalive is too short"))?;
            Ok(Replication::Keepalive {
                end,
                reply: reply == 1,
            })
        }
        _ => Err(protocol("a stream message of an unknown kind")),
    }
}

/// The client's status update: everything up to `applied` is written, flushed and applied (the
/// server may then recycle the WAL before it, and a new session starts there). `now` in
/// microseconds since 2000-01-01.
pub(crate) fn status_update(applied: Lsn, now: i64, reply: bool) -> BytesMut {
    let mut body = Vec::with_capacity(34);
    body.push(b'r');
    for _ in 0..3 {
        body.extend_from_slice(&applied.to_be_bytes());
    }
    body.extend_from_slice(&now.to_be_bytes());
    body.push(u8::from(reply));
    let mut out = BytesMut::new();
    frontend::CopyData::new(&body[..])
        .expect("34 bytes fit a frame")
        .write(&mut out);
    out
}

/// Ends the session politely.
pub(crate) fn terminate() -> BytesMut {
    let mut out = BytesMut::new();
    frontend::terminate(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        out.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn frames_are_taken_whole_and_only_whole() {
        let mut bytes = frame(b'd', b"wxyz");
        bytes.extend(frame(b'Z', b"I"));
        let mut buffer = BytesMut::from(&bytes[..7]);
        assert_eq!(next_frame(&mut buffer).unwrap(), None);
        buffer.extend_from_slice(&bytes[7..]);
        assert_eq!(
            next_frame(&mut buffer).unwrap(),
            Some(Backend::CopyData(b"wxyz".to_vec()))
        );
        assert_eq!(
            next_frame(&mut buffer).unwrap(),
            Some(Backend::ReadyForQuery)
        );
        assert_eq!(next_frame(&mut buffer).unwrap(), None);
    }

    #[test]
    fn a_frame_of_an_impossible_length_is_refused() {
        let mut buffer = BytesMut::from(&[b'd', 0, 0, 0, 3][..]);
        assert!(next_frame(&mut buffer).is_err());
        let mut buffer = BytesMut::from(&[b'd', 0x7f, 0xff, 0xff, 0xff][..]);
        assert!(next_frame(&mut buffer).is_err());
    }

    #[test]
    fn an_error_gives_its_code_and_message() {
        let body = b"SERROR\0C55006\0Mreplication slot \"s\" is active for PID 7\0\0";
        let mut buffer = BytesMut::from(&frame(b'E', body)[..]);
        let Some(Backend::Error(error)) = next_frame(&mut buffer).unwrap() else {
            panic!("not an error");
        };
        assert_eq!(error.code, "55006");
        assert!(error.message.contains("is active"));
    }

    #[test]
    fn stream_messages_are_read_and_short_ones_refused() {
        let mut xlog = vec![b'w'];
        xlog.extend_from_slice(&0x16_0000_0008_u64.to_be_bytes());
        xlog.extend_from_slice(&[0; 16]);
        xlog.extend_from_slice(b"B...");
        assert_eq!(
            replication(&xlog).unwrap(),
            Replication::XLogData {
                start: 0x16_0000_0008,
                data: b"B..."
            }
        );
        let mut keepalive = vec![b'k'];
        keepalive.extend_from_slice(&0x16_0000_0010_u64.to_be_bytes());
        keepalive.extend_from_slice(&[0; 8]);
        keepalive.push(1);
        assert_eq!(
            replication(&keepalive).unwrap(),
            Replication::Keepalive {
                end: 0x16_0000_0010,
                reply: true
            }
        );
        assert!(replication(&keepalive[..10]).is_err());
        assert!(replication(&xlog[..20]).is_err());
        assert!(replication(b"q").is_err());
        assert!(replication(b"").is_err());
    }

    #[test]
    fn a_status_update_confirms_one_position_three_times() {
        let update = status_update(0x1234, 99, false);
        assert_eq!(update[0], b'd');
        let body = &update[5..];
        assert_eq!(body.len(), 34);
        assert_eq!(body[0], b'r');
        for at in [1, 9, 17] {
            assert_eq!(
                u64::from_be_bytes(body[at..at + 8].try_into().unwrap()),
                0x1234
            );
        }
        assert_eq!(body[33], 0);
    }

    #[test]
    fn start_replication_quotes_the_publication() {
        let query = start_replication("write_through", "write_through").unwrap();
        let text = String::from_utf8_lossy(&query[5..]);
        assert!(text.starts_with(
            "START_REPLICATION SLOT write_through LOGICAL 0/0 (proto_version '1', publication_names '\"write_through\"', messages 'true')"
        ));
    }

    fn info(host: Host) -> Conninfo {
        Conninfo {
            host,
            user: "u".to_owned(),
            password: Some("secret".to_owned()),
            dbname: "d".to_owned(),
            application_name: "a".to_owned(),
            connect_timeout: None,
        }
    }

    #[test]
    fn a_cleartext_password_goes_over_a_unix_socket_only() {
        let mut auth = Auth::Start;
        let tcp = info(Host::Tcp("h".to_owned(), 5432));
        let error = authenticate(&mut auth, &tcp, 3, &[]).unwrap_err();
        assert!(!error.to_string().contains("secret"), "{error}");
        let unix = info(Host::Unix("/tmp/.s.PGSQL.5432".to_owned()));
        let sent = authenticate(&mut auth, &unix, 3, &[]).unwrap().unwrap();
        assert_eq!(&sent[5..], b"secret\0");
    }

    #[test]
    fn a_scram_login_the_server_accepts_without_its_proof_is_refused() {
        let mut auth = Auth::Start;
        let tcp = info(Host::Tcp("h".to_owned(), 5432));
        let first = authenticate(&mut auth, &tcp, 10, b"SCRAM-SHA-256\0\0").unwrap();
        assert!(first.is_some());
        assert!(authenticate(&mut auth, &tcp, 0, &[]).is_err());
        // A server that offers no mechanism the reader speaks is refused too.
        let mut auth = Auth::Start;
        assert!(authenticate(&mut auth, &tcp, 10, b"SCRAM-SHA-256-PLUS\0\0").is_err());
    }

    #[test]
    fn a_request_for_a_password_without_one_says_so() {
        let info = Conninfo {
            host: Host::Tcp("h".to_owned(), 5432),
            user: "u".to_owned(),
            password: None,
            dbname: "d".to_owned(),
            application_name: "a".to_owned(),
            connect_timeout: None,
        };
        let mut auth = Auth::Start;
        assert!(authenticate(&mut auth, &info, 3, &[]).is_err());
        assert!(authenticate(&mut auth, &info, 5, &[1, 2, 3, 4]).is_err());
        assert!(authenticate(&mut auth, &info, 11, b"r=x").is_err());
        assert!(authenticate(&mut auth, &info, 7, &[]).is_err());
        assert!(matches!(authenticate(&mut auth, &info, 0, &[]), Ok(None)));
        assert!(matches!(auth, Auth::Done));
    }
}
