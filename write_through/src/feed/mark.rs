//! The mark a library write leaves in PostgreSQL's log, so that the feed does not retire what the
//! write itself publishes.
//!
//! A write through the library locks its keys, commits, and publishes the row as the database
//! returned it: the cache is right without the feed. Retiring those keys again when the commit
//! comes through the log would cost every write's next read a miss. So a write made with
//! marking on ([`crate::CacheBuilder::mark_writes_for_feed`]) runs, in its transaction and right
//! after its statement, `pg_logical_emit_message(true, 'write_through', <mark>)`: a
//! transactional message, which logical decoding hands over in the transaction's order.
//!
//! The mark names the write's lock and, per key, the SHA-1 of the value the write publishes
//! there (or that it publishes none). The feed retires such a key *unless* Redis holds that lock
//! (the publish is still to come) or that value (`redis/scripts.rs`, `INVALIDATE_UNLESS_WRITTEN`):
//! so a write that died between its commit and its publish, whose key a reader refilled with an
//! older row after its lock expired, is still retired, as without the mark. A change after the
//! mark in the same transaction (raw SQL on the row after the write, which the published value
//! lacks) names the key again, and it is retired as any other.
//!
//! The content is a version byte; the lock as a big-endian `u32` length and its bytes; then per
//! key its length and bytes, and `1` and a 20-byte SHA-1, or `0`.

/// The prefix of the library's marks in the log.
pub(crate) const PREFIX: &str = "write_through";

/// The version of [`content`]'s layout.
const VERSION: u8 = 1;

/// What a write leaves under one key it marks: a value, or nothing.
pub(crate) type Published<'a> = (&'a [u8], Option<&'a [u8]>);

/// The SHA-1 of a published value, as Redis's `redis.sha1hex` spells it (lowercase hex).
pub(crate) type ValueDigest = [u8; 20];

/// A mark as the feed reads it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Mark<'a> {
    /// The write's lock value.
    pub(crate) lock: &'a [u8],
    /// Each key, with the digest of the value the write publishes there (`None`: none).
    pub(crate) keys: Vec<(&'a [u8], Option<ValueDigest>)>,
}

/// The statement that marks `keys` as written under `lock`, in the current transaction. The
/// content is inlined as hex (bytes the library made, so no quoting question arises) to run as
/// one simple query.
pub(crate) fn sql<'a>(lock: &[u8], keys: impl IntoIterator<Item = Published<'a>>) -> String {
    let content = content(lock, keys);
    let mut sql = String::with_capacity(80 + 2 * content.len());
    sql.push_str("SELECT pg_logical_emit_message(true, '");
    sql.push_str(PREFIX);
    sql.push_str("', decode('");
    sql.push_str(&hex(&content));
    sql.push_str("', 'hex'))");
    sql
}

/// The table the binlog feed creates for marks: one row per connection, whose every write
/// through the library replaces it (so the table stays as small as the number of connections).
pub(crate) const MYSQL_TABLE: &str = "write_through_marks";

/// The statement that creates [`MYSQL_TABLE`].
#[cfg_attr(not(feature = "binlog"), allow(dead_code))]
pub(crate) const MYSQL_CREATE: &str = "CREATE TABLE IF NOT EXISTS write_through_marks \
     (connection BIGINT UNSIGNED NOT NULL PRIMARY KEY, mark LONGBLOB NOT NULL) ENGINE=InnoDB";

/// The statement that marks `keys` as written under `lock` in MariaDB's binlog: the row of this
/// connection in [`MYSQL_TABLE`], replaced in the current transaction, which the binlog then
/// holds in the transaction's order.
pub(crate) fn mysql_sql<'a>(lock: &[u8], keys: impl IntoIterator<Item = Published<'a>>) -> String {
    let content = content(lock, keys);
    let mut sql = String::with_capacity(120 + 2 * content.len());
    sql.push_str("INSERT INTO ");
    sql.push_str(MYSQL_TABLE);
    sql.push_str(" (connection, mark) VALUES (CONNECTION_ID(), x'");
    sql.push_str(&hex(&content));
    sql.push_str("') ON DUPLICATE KEY UPDATE mark = VALUES(mark)");
    sql
}

/// The mark's content.
pub(crate) fn content<'a>(lock: &[u8], keys: impl IntoIterator<Item = Published<'a>>) -> Vec<u8> {
    let mut out = vec![VERSION];
    put(&mut out, lock);
    for (key, value) in keys {
        put(&mut out, key);
        match value {
            Some(value) => {
                out.push(1);
                out.extend(digest(value));
            }
            None => out.push(0),
        }
    }
    out
}

/// `bytes` with its length in front. Keys and locks are short (only keys that fit are locked).
fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    let length = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend(length.to_be_bytes());
    out.extend(&bytes[..length as usize]);
}

/// The SHA-1 of `value`.
pub(crate) fn digest(value: &[u8]) -> ValueDigest {
    sha1_smol::Sha1::from(value).digest().bytes()
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(2 * bytes.len());
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// The mark a message's content holds; `None` for content of another layout or cut short, which
/// then covers nothing (the feed retires what the changes named).
#[cfg_attr(not(any(feature = "postgres", feature = "binlog")), allow(dead_code))]
pub(crate) fn read(content: &[u8]) -> Option<Mark<'_>> {
    let (&version, rest) = content.split_first()?;
    if version != VERSION {
        return None;
    }
    let (lock, mut rest) = take(rest)?;
    let mut keys = Vec::new();
    while !rest.is_empty() {
        let (key, after) = take(rest)?;
        let (&kind, after) = after.split_first()?;
        let (value, after) = match kind {
            0 => (None, after),
            1 => {
                let (digest, after) = after.split_first_chunk::<20>()?;
                (Some(*digest), after)
            }
            _ => return None,
        };
        keys.push((key, value));
        rest = after;
    }
    Some(Mark { lock, keys })
}

/// Bytes with their length in front, and what follows them.
fn take(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (length, after) = bytes.split_first_chunk::<4>()?;
    let length = usize::try_from(u32::from_be_bytes(*length)).ok()?;
    (after.len() >= length).then(|| after.split_at(length))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_reads_back_as_it_was_made() {
        let content = content(
            b"lock",
            [
                (b"app:user:7".as_slice(), Some(b"value".as_slice())),
                (b"app:#user#0:a@x".as_slice(), None),
                (b"".as_slice(), Some(b"".as_slice())),
            ],
        );
        assert_eq!(
            read(&content),
            Some(Mark {
                lock: b"lock",
                keys: vec![
                    (b"app:user:7".as_slice(), Some(digest(b"value"))),
                    (b"app:#user#0:a@x".as_slice(), None),
                    (b"".as_slice(), Some(digest(b""))),
                ],
            })
        );
    }

    #[test]
    fn the_digest_is_sha1_as_redis_spells_it() {
        // redis-cli EVAL "return redis.sha1hex(ARGV[1])" 0 value
        assert_eq!(
            hex(&digest(b"value")),
            "f32b67c7e26342af42efabc674d441dca0a281c5"
        );
    }

    #[test]
    fn content_of_another_layout_or_cut_short_covers_nothing() {
        let content = content(b"lock", [(b"k".as_slice(), Some(b"v".as_slice()))]);
        assert!(read(&content).is_some());
        assert_eq!(read(&[]), None);
        assert_eq!(read(b"catch_up"), None);
        let mut other_kind = content.clone();
        other_kind[1 + 4 + 4 + 4 + 1] = 2;
        assert_eq!(read(&other_kind), None);
        // Every proper prefix ends inside the lock, a key, its kind or its digest, except the
        // one that ends right after the lock (a mark of no keys).
        for cut in 0..content.len() {
            let mark = read(&content[..cut]);
            assert!(mark.is_none() || cut == 1 + 4 + 4, "{cut}: {mark:?}");
        }
    }

    #[test]
    fn the_statement_inlines_the_content_as_hex() {
        assert_eq!(
            sql(b"L", [(b"k".as_slice(), None)]),
            "SELECT pg_logical_emit_message(true, 'write_through', decode('01000000014c000000016b00', 'hex'))"
        );
    }
}
