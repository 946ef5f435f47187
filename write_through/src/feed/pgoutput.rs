//! A decoder for the messages of PostgreSQL's built-in `pgoutput` plugin, protocol version 1.
//!
//! The feed reads committed row changes from a logical replication slot, with
//! `pg_logical_slot_peek_binary_changes(slot, NULL, n, 'proto_version', '1',
//! 'publication_names', 'pub')`. The `data` of each row it returns is one message. This module
//! turns one message into a value and does nothing else: no I/O, no state. So it can be tested
//! and fuzzed on its own, and the feed keeps the state (the relations seen so far, the LSN
//! reached).
//!
//! The layout is the one of PostgreSQL's "Logical Replication Message Formats". Integers are
//! big endian. Strings end with a NUL. Names are read as UTF-8, so the database's encoding must
//! be UTF8. Column values stay bytes borrowed from the input: what they mean depends on the
//! column's type, which only the Relation message names.
//!
//! Version 1 only. Streamed transactions (version 2) and two-phase commit (version 3) add
//! message kinds, which are reported as [`DecodeError::Unsupported`], not skipped: skipping
//! them would lose changes without a word.
//!
//! The bytes come from outside the process, so decoding never panics. Every read checks what
//! is left, and a count is checked against the bytes left before anything is allocated for it.

/// A position in PostgreSQL's write-ahead log (its `pg_lsn`). The feed says how far it has
/// read with one.
pub(crate) type Lsn = u64;

/// One message of the slot.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::enum_variant_names,
    reason = "pgoutput's own name for it is Message; Logical keeps it apart from the enum"
)]
pub(crate) enum Message<'a> {
    /// Opens a transaction. Its changes follow, then its `Commit`.
    Begin {
        /// Where the transaction's commit record is in the WAL.
        final_lsn: Lsn,
        /// When it committed, in microseconds since 2000-01-01 UTC (PostgreSQL's epoch).
        commit_time: i64,
        /// The transaction's id.
        xid: u32,
    },
    /// Closes the transaction that the last `Begin` opened.
    Commit {
        /// Unused by PostgreSQL so far (0); kept so that nothing is dropped.
        flags: u8,
        /// Where the commit record is in the WAL.
        commit_lsn: Lsn,
        /// Where the transaction ends in the WAL: the slot has been read up to here once this
        /// message is handled.
        end_lsn: Lsn,
        /// When it committed, in microseconds since 2000-01-01 UTC.
        commit_time: i64,
    },
    /// The transaction was replicated here from another server: which one, and where.
    Origin {
        /// Where the transaction committed in the origin's WAL.
        commit_lsn: Lsn,
        /// The replication origin's name.
        name: &'a str,
    },
    /// Describes a table. It comes before the table's first change in the decoding session,
    /// and again after the table changed, so the changes that follow are read with the latest
    /// one. Each call of the SQL functions is a session of its own.
    Relation(Relation),
    /// Names a type that is not built in (an enum, a domain), for the columns that use it.
    Type {
        /// The type's oid, as in [`Column::type_oid`].
        id: u32,
        /// The schema of the type.
        namespace: &'a str,
        /// The type's name.
        name: &'a str,
    },
    /// A row was inserted.
    Insert {
        /// The table's oid, as in [`Relation::id`].
        relation: u32,
        /// The new row.
        new: Tuple<'a>,
    },
    /// A row was updated.
    Update {
        /// The table's oid, as in [`Relation::id`].
        relation: u32,
        /// `old`: the key ('K') or the whole old row ('O') when the replica identity sends it.
        /// The key comes only when it changed, as a row whose other columns are null; the whole
        /// row comes with `REPLICA IDENTITY FULL`. Which one it is, the relation's
        /// [`Relation::replica_identity`] says.
        old: Option<Tuple<'a>>,
        /// The row as it is now. A TOASTed column that did not change is
        /// [`Value::UnchangedToast`].
        new: Tuple<'a>,
    },
    /// A row was deleted.
    Delete {
        /// The table's oid, as in [`Relation::id`].
        relation: u32,
        /// The deleted row's key ('K'), or the whole row ('O') with `REPLICA IDENTITY FULL`.
        old: Tuple<'a>,
    },
    /// Tables were truncated: every row of them is gone.
    Truncate {
        /// 1 for `CASCADE`, 2 for `RESTART IDENTITY`, or both.
        options: u8,
        /// The tables' oids.
        relations: Vec<u32>,
    },
    /// `pg_logical_emit_message`: ('M') flags, lsn, prefix, content. The slot sends these only
    /// when it is asked to, with the option `'messages', 'true'`.
    LogicalMessage {
        /// Whether the message belongs to a transaction (it then comes between its `Begin` and
        /// its `Commit`) or was written at once.
        transactional: bool,
        /// Where the message is in the WAL.
        lsn: Lsn,
        /// The prefix it was emitted with, which tells its readers apart.
        prefix: &'a str,
        /// What it carries.
        content: &'a [u8],
    },
}

/// A table as PostgreSQL describes it. Owned, because the feed keeps it for the changes that
/// follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Relation {
    /// The table's oid, which the changes name it by.
    pub(crate) id: u32,
    /// The table's schema; empty for `pg_catalog`.
    pub(crate) namespace: String,
    /// The table's name.
    pub(crate) name: String,
    /// `relreplident`: b'd' the primary key, b'n' nothing, b'f' the whole row, b'i' an index.
    /// It says what an Update's or a Delete's old tuple holds.
    pub(crate) replica_identity: u8,
    /// The columns, in the order of every tuple of this table.
    pub(crate) columns: Vec<Column>,
}

/// One column of a [`Relation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    /// Part of the replica identity (flags bit 1): a Delete's key tuple carries it.
    pub(crate) key: bool,
    /// The column's name.
    pub(crate) name: String,
    /// The oid of the column's type (`pg_type.oid`), which says how to read its values.
    pub(crate) type_oid: u32,
    /// The type's modifier (`atttypmod`), e.g. a varchar's length; -1 when it has none.
    pub(crate) type_modifier: i32,
}

/// A row: one value per column of its relation, in the relation's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tuple<'a>(pub(crate) Vec<Value<'a>>);

/// One column's value in a [`Tuple`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// SQL NULL ('n').
    Null,
    /// A TOASTed value that the change did not touch, so it is not sent ('u'). The row still
    /// has it; only this message does not.
    UnchangedToast,
    /// The value in its type's text form ('t'), as `SELECT` would print it.
    Text(&'a [u8]),
    /// The value in its type's binary form ('b'), sent with the option `'binary', 'true'`.
    Binary(&'a [u8]),
}

/// Why a message could not be decoded. Each names the place, so a log line is enough to tell a
/// cut message from a protocol the decoder does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DecodeError {
    /// No bytes at all, so not even a tag.
    #[error("empty pgoutput message")]
    Empty,
    /// The message ends before a field that it must have.
    #[error("pgoutput message ends inside {what}: {needed} bytes needed, {left} left")]
    Truncated {
        /// The field.
        what: &'static str,
        /// Its size.
        needed: usize,
        /// The bytes that were left.
        left: usize,
    },
    /// A string runs to the end of the message without its NUL.
    #[error("pgoutput message ends inside {what}: no NUL ends it")]
    Unterminated {
        /// The string.
        what: &'static str,
    },
    /// A count promises more items than the bytes left can hold. It is checked before anything
    /// is allocated, so a corrupt count cannot make the feed allocate gigabytes.
    #[error("{what} is {count}, more than the {left} bytes left can hold")]
    TooMany {
        /// The count.
        what: &'static str,
        /// Its value.
        count: usize,
        /// The bytes that were left.
        left: usize,
    },
    /// A length is negative.
    #[error("{what} is negative ({length})")]
    NegativeLength {
        /// The length.
        what: &'static str,
        /// Its value.
        length: i32,
    },
    /// A tag that no version of pgoutput sends.
    #[error("unknown pgoutput message tag {}", shown(.tag))]
    UnknownTag {
        /// The tag.
        tag: u8,
    },
    /// A message of a later protocol version, which this decoder does not read. The slot was
    /// asked for something else than version 1 without streaming or two-phase commit.
    #[error(
        "pgoutput {kind} message (tag {}) needs protocol version {version}; this decoder reads version 1",
        shown(.tag)
    )]
    Unsupported {
        /// The tag.
        tag: u8,
        /// The message kind it stands for.
        kind: &'static str,
        /// The protocol version that added it.
        version: u8,
    },
    /// A tuple marker that the message does not allow at that place.
    #[error("unknown tuple kind {} in a {kind} message: expected {expected}", shown(.found))]
    UnknownTupleKind {
        /// The message kind.
        kind: &'static str,
        /// The marker found.
        found: u8,
        /// The markers allowed there.
        expected: &'static str,
    },
    /// A column value that is not 'n', 'u', 't' or 'b'.
    #[error("unknown column value kind {}", shown(.found))]
    UnknownValueKind {
        /// The marker found.
        found: u8,
    },
    /// A name that is not UTF-8: the database's encoding is not UTF8, or the message is corrupt.
    #[error("{what} is not valid UTF-8")]
    InvalidUtf8 {
        /// The name.
        what: &'static str,
    },
    /// Bytes after a complete message. A message is one row of the slot, so these mean that
    /// the layout is not the one this decoder reads.
    #[error("{count} trailing bytes after a complete pgoutput {kind} message")]
    TrailingBytes {
        /// The message kind.
        kind: &'static str,
        /// How many bytes were left.
        count: usize,
    },
}

/// Shows a byte as the letter that PostgreSQL's documentation uses for it, or in hex when it is
/// not a printable letter.
fn shown(byte: &u8) -> String {
    if byte.is_ascii_graphic() {
        format!("'{}' ({byte:#04x})", char::from(*byte))
    } else {
        format!("{byte:#04x}")
    }
}

/// Decodes one message: the whole of one row's `data`, no more and no less.
pub(crate) fn decode(bytes: &[u8]) -> Result<Message<'_>, DecodeError> {
    let Some((&tag, rest)) = bytes.split_first() else {
        return Err(DecodeError::Empty);
    };
    let mut input = Reader { rest };
    let (kind, message) = match tag {
        b'B' => ("Begin", begin(&mut input)?),
        b'C' => ("Commit", commit(&mut input)?),
        b'O' => ("Origin", origin(&mut input)?),
        b'R' => ("Relation", Message::Relation(relation(&mut input)?)),
        b'Y' => ("Type", type_message(&mut input)?),
        b'I' => ("Insert", insert(&mut input)?),
        b'U' => ("Update", update(&mut input)?),
        b'D' => ("Delete", delete(&mut input)?),
        b'T' => ("Truncate", truncate(&mut input)?),
        b'M' => ("Message", logical_message(&mut input)?),
        _ => return Err(unknown(tag)),
    };
    if !input.rest.is_empty() {
        return Err(DecodeError::TrailingBytes {
            kind,
            count: input.rest.len(),
        });
    }
    Ok(message)
}

/// The error for a tag version 1 does not have: [`DecodeError::Unsupported`] for the tags of
/// later versions, so that the log says what was asked of the slot.
fn unknown(tag: u8) -> DecodeError {
    let (kind, version) = match tag {
        b'S' => ("Stream Start", 2),
        b'E' => ("Stream Stop", 2),
        b'c' => ("Stream Commit", 2),
        b'A' => ("Stream Abort", 2),
        b'b' => ("Begin Prepare", 3),
        b'P' => ("Prepare", 3),
        b'K' => ("Commit Prepared", 3),
        b'r' => ("Rollback Prepared", 3),
        b'p' => ("Stream Prepare", 3),
        _ => return DecodeError::UnknownTag { tag },
    };
    DecodeError::Unsupported { tag, kind, version }
}

/// 'B': final LSN, commit time, xid.
fn begin<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let final_lsn = input.u64("the final LSN")?;
    let commit_time = input.i64("the commit time")?;
    let xid = input.u32("the xid")?;
    Ok(Message::Begin {
        final_lsn,
        commit_time,
        xid,
    })
}

/// 'C': flags, commit LSN, end LSN, commit time.
fn commit<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let flags = input.u8("the commit flags")?;
    let commit_lsn = input.u64("the commit LSN")?;
    let end_lsn = input.u64("the end LSN")?;
    let commit_time = input.i64("the commit time")?;
    Ok(Message::Commit {
        flags,
        commit_lsn,
        end_lsn,
        commit_time,
    })
}

/// 'O': the origin's commit LSN, its name.
fn origin<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let commit_lsn = input.u64("the origin's commit LSN")?;
    let name = input.str("the origin's name")?;
    Ok(Message::Origin { commit_lsn, name })
}

/// The fewest bytes a Relation message's column takes: flags, an empty name's NUL, the type's
/// oid and modifier.
const MIN_COLUMN_LEN: usize = 1 + 1 + 4 + 4;

/// 'R': id, namespace, name, replica identity, then the columns.
fn relation(input: &mut Reader<'_>) -> Result<Relation, DecodeError> {
    let id = input.u32("the relation id")?;
    let namespace = input.str("the relation's namespace")?.to_owned();
    let name = input.str("the relation's name")?.to_owned();
    let replica_identity = input.u8("the replica identity")?;
    let count = input.u16("the relation's column count")?;
    let count = input.fits(count.into(), MIN_COLUMN_LEN, "the relation's column count")?;
    let mut columns = Vec::with_capacity(count);
    for _ in 0..count {
        let flags = input.u8("a column's flags")?;
        let name = input.str("a column's name")?.to_owned();
        let type_oid = input.u32("a column's type oid")?;
        let type_modifier = input.i32("a column's type modifier")?;
        columns.push(Column {
            key: flags & 1 != 0,
            name,
            type_oid,
            type_modifier,
        });
    }
    Ok(Relation {
        id,
        namespace,
        name,
        replica_identity,
        columns,
    })
}

/// 'Y': the type's oid, namespace and name.
fn type_message<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let id = input.u32("the type's oid")?;
    let namespace = input.str("the type's namespace")?;
    let name = input.str("the type's name")?;
    Ok(Message::Type {
        id,
        namespace,
        name,
    })
}

/// 'I': the relation, 'N', the new tuple.
fn insert<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let relation = input.u32("the relation id")?;
    match input.u8("the tuple kind")? {
        b'N' => {}
        found => {
            return Err(DecodeError::UnknownTupleKind {
                kind: "Insert",
                found,
                expected: "'N'",
            });
        }
    }
    let new = tuple(input)?;
    Ok(Message::Insert { relation, new })
}

/// 'U': the relation, then maybe 'K' or 'O' and the old tuple, then 'N' and the new tuple.
fn update<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let relation = input.u32("the relation id")?;
    let old = match input.u8("the tuple kind")? {
        b'K' | b'O' => {
            let old = tuple(input)?;
            match input.u8("the new tuple's kind")? {
                b'N' => Some(old),
                found => {
                    return Err(DecodeError::UnknownTupleKind {
                        kind: "Update",
                        found,
                        expected: "'N' after the old tuple",
                    });
                }
            }
        }
        b'N' => None,
        found => {
            return Err(DecodeError::UnknownTupleKind {
                kind: "Update",
                found,
                expected: "'K', 'O' or 'N'",
            });
        }
    };
    let new = tuple(input)?;
    Ok(Message::Update { relation, old, new })
}

/// 'D': the relation, 'K' or 'O', the old tuple.
fn delete<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let relation = input.u32("the relation id")?;
    match input.u8("the tuple kind")? {
        b'K' | b'O' => {}
        found => {
            return Err(DecodeError::UnknownTupleKind {
                kind: "Delete",
                found,
                expected: "'K' or 'O'",
            });
        }
    }
    let old = tuple(input)?;
    Ok(Message::Delete { relation, old })
}

/// 'T': the number of relations, the options, the relations' oids.
fn truncate<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let count = input.u32("the truncated relation count")?;
    let options = input.u8("the truncate options")?;
    // A count that does not fit a usize cannot fit the bytes left either.
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let count = input.fits(count, 4, "the truncated relation count")?;
    let mut relations = Vec::with_capacity(count);
    for _ in 0..count {
        relations.push(input.u32("a truncated relation id")?);
    }
    Ok(Message::Truncate { options, relations })
}

/// 'M': flags, LSN, prefix, the content's length and the content.
fn logical_message<'a>(input: &mut Reader<'a>) -> Result<Message<'a>, DecodeError> {
    let flags = input.u8("the message's flags")?;
    let lsn = input.u64("the message's LSN")?;
    let prefix = input.str("the message's prefix")?;
    let length = input.length("the message's content length")?;
    let content = input.bytes(length, "the message's content")?;
    Ok(Message::LogicalMessage {
        transactional: flags & 1 != 0,
        lsn,
        prefix,
        content,
    })
}

/// TupleData: the column count, then each value: 'n', 'u', or 't' or 'b' with a length and
/// the bytes.
fn tuple<'a>(input: &mut Reader<'a>) -> Result<Tuple<'a>, DecodeError> {
    let count = input.u16("a tuple's column count")?;
    // Each value takes at least its kind's byte.
    let count = input.fits(count.into(), 1, "a tuple's column count")?;
    let mut values = Vec::with_capacity(count);
    for _ in 0..count {
        let value = match input.u8("a value's kind")? {
            b'n' => Value::Null,
            b'u' => Value::UnchangedToast,
            b't' => {
                let length = input.length("a text value's length")?;
                Value::Text(input.bytes(length, "a text value")?)
            }
            b'b' => {
                let length = input.length("a binary value's length")?;
                Value::Binary(input.bytes(length, "a binary value")?)
            }
            found => return Err(DecodeError::UnknownValueKind { found }),
        };
        values.push(value);
    }
    Ok(Tuple(values))
}

/// The unread rest of a message. Every read checks what is left, so no input can make it
/// panic.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// The next `N` bytes.
    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], DecodeError> {
        let Some((head, rest)) = self.rest.split_first_chunk::<N>() else {
            return Err(DecodeError::Truncated {
                what,
                needed: N,
                left: self.rest.len(),
            });
        };
        self.rest = rest;
        Ok(*head)
    }

    /// An Int8 or a Byte1.
    fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let [byte] = self.array(what)?;
        Ok(byte)
    }

    /// An Int16, unsigned: PostgreSQL writes the column counts as such.
    fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        self.array(what).map(u16::from_be_bytes)
    }

    /// An Int32 that is an oid, an xid or a count.
    fn u32(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        self.array(what).map(u32::from_be_bytes)
    }

    /// An Int32 that is signed: a type modifier or a length.
    fn i32(&mut self, what: &'static str) -> Result<i32, DecodeError> {
        self.array(what).map(i32::from_be_bytes)
    }

    /// An Int64 that is an LSN.
    fn u64(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        self.array(what).map(u64::from_be_bytes)
    }

    /// An Int64 that is a timestamp, which can be before 2000.
    fn i64(&mut self, what: &'static str) -> Result<i64, DecodeError> {
        self.array(what).map(i64::from_be_bytes)
    }

    /// An Int32 length, which must not be negative.
    fn length(&mut self, what: &'static str) -> Result<usize, DecodeError> {
        let length = self.i32(what)?;
        usize::try_from(length).map_err(|_| DecodeError::NegativeLength { what, length })
    }

    /// The next `length` bytes, borrowed.
    fn bytes(&mut self, length: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let Some((head, rest)) = self.rest.split_at_checked(length) else {
            return Err(DecodeError::Truncated {
                what,
                needed: length,
                left: self.rest.len(),
            });
        };
        self.rest = rest;
        Ok(head)
    }

    /// A NUL-terminated string, without its NUL.
    fn str(&mut self, what: &'static str) -> Result<&'a str, DecodeError> {
        let mut parts = self.rest.splitn(2, |&byte| byte == 0);
        let text = parts.next().unwrap_or_default();
        let Some(rest) = parts.next() else {
            return Err(DecodeError::Unterminated { what });
        };
        let text = std::str::from_utf8(text).map_err(|_| DecodeError::InvalidUtf8 { what })?;
        self.rest = rest;
        Ok(text)
    }

    /// `count` itself when `count` items of at least `each` bytes fit in what is left, so that
    /// it can be allocated for.
    fn fits(&self, count: usize, each: usize, what: &'static str) -> Result<usize, DecodeError> {
        let left = self.rest.len();
        match count.checked_mul(each) {
            Some(least) if least <= left => Ok(count),
            _ => Err(DecodeError::TooMany { what, count, left }),
        }
    }
}

/// Parses PostgreSQL's text form of an LSN ("16/B374D848") and formats one back.
///
/// The form is `pg_lsn`'s: two halves of one to eight hex digits around a '/', nothing else.
/// `None` for anything PostgreSQL itself would reject, so that a typo in a configured position
/// is an error, not another position.
pub(crate) fn parse_lsn(text: &str) -> Option<Lsn> {
    let (high, low) = text.split_once('/')?;
    Some(u64::from(lsn_half(high)?) << 32 | u64::from(lsn_half(low)?))
}

/// One half of an LSN's text form. `from_str_radix` alone would take a sign too.
fn lsn_half(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 8 || !text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(text, 16).ok()
}

/// Formats an LSN as PostgreSQL prints it ("16/B374D848"), so that logs and SQL agree.
pub(crate) fn format_lsn(lsn: Lsn) -> String {
    format!("{:X}/{:X}", lsn >> 32, lsn & 0xFFFF_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A test-only encoder: what pgoutput writes, built from the documented layout on its own,
    // so that the round trips check the decoder against the format, not against itself.

    fn put_str(out: &mut Vec<u8>, text: &str) {
        out.extend_from_slice(text.as_bytes());
        out.push(0);
    }

    fn put_tuple(out: &mut Vec<u8>, tuple: &Tuple<'_>) {
        let count = u16::try_from(tuple.0.len()).expect("a tuple has at most 65535 columns");
        out.extend(count.to_be_bytes());
        for value in &tuple.0 {
            match value {
                Value::Null => out.push(b'n'),
                Value::UnchangedToast => out.push(b'u'),
                Value::Text(bytes) | Value::Binary(bytes) => {
                    out.push(if matches!(value, Value::Text(_)) {
                        b't'
                    } else {
                        b'b'
                    });
                    let length = i32::try_from(bytes.len()).expect("a value fits an Int32");
                    out.extend(length.to_be_bytes());
                    out.extend_from_slice(bytes);
                }
            }
        }
    }

    fn encode(message: &Message<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        match message {
            Message::Begin {
                final_lsn,
                commit_time,
                xid,
            } => {
                out.push(b'B');
                out.extend(final_lsn.to_be_bytes());
                out.extend(commit_time.to_be_bytes());
                out.extend(xid.to_be_bytes());
            }
            Message::Commit {
                flags,
                commit_lsn,
                end_lsn,
                commit_time,
            } => {
                out.push(b'C');
                out.push(*flags);
                out.extend(commit_lsn.to_be_bytes());
                out.extend(end_lsn.to_be_bytes());
                out.extend(commit_time.to_be_bytes());
            }
            Message::Origin { commit_lsn, name } => {
                out.push(b'O');
                out.extend(commit_lsn.to_be_bytes());
                put_str(&mut out, name);
            }
            Message::Relation(relation) => {
                out.push(b'R');
                out.extend(relation.id.to_be_bytes());
                put_str(&mut out, &relation.namespace);
                put_str(&mut out, &relation.name);
                out.push(relation.replica_identity);
                let count = u16::try_from(relation.columns.len()).expect("at most 65535 columns");
                out.extend(count.to_be_bytes());
                for column in &relation.columns {
                    out.push(u8::from(column.key));
                    put_str(&mut out, &column.name);
                    out.extend(column.type_oid.to_be_bytes());
                    out.extend(column.type_modifier.to_be_bytes());
                }
            }
            Message::Type {
                id,
                namespace,
                name,
            } => {
                out.push(b'Y');
                out.extend(id.to_be_bytes());
                put_str(&mut out, namespace);
                put_str(&mut out, name);
            }
            Message::Insert { relation, new } => {
                out.push(b'I');
                out.extend(relation.to_be_bytes());
                out.push(b'N');
                put_tuple(&mut out, new);
            }
            Message::Update { relation, old, new } => {
                out.push(b'U');
                out.extend(relation.to_be_bytes());
                if let Some(old) = old {
                    // 'K' and 'O' decode alike; the relation's replica identity tells them apart.
                    out.push(b'O');
                    put_tuple(&mut out, old);
                }
                out.push(b'N');
                put_tuple(&mut out, new);
            }
            Message::Delete { relation, old } => {
                out.push(b'D');
                out.extend(relation.to_be_bytes());
                out.push(b'K');
                put_tuple(&mut out, old);
            }
            Message::Truncate { options, relations } => {
                out.push(b'T');
                let count = u32::try_from(relations.len()).expect("a count fits an Int32");
                out.extend(count.to_be_bytes());
                out.push(*options);
                for relation in relations {
                    out.extend(relation.to_be_bytes());
                }
            }
            Message::LogicalMessage {
                transactional,
                lsn,
                prefix,
                content,
            } => {
                out.push(b'M');
                out.push(u8::from(*transactional));
                out.extend(lsn.to_be_bytes());
                put_str(&mut out, prefix);
                let length = i32::try_from(content.len()).expect("content fits an Int32");
                out.extend(length.to_be_bytes());
                out.extend_from_slice(content);
            }
        }
        out
    }

    fn assert_round_trips(message: Message<'_>) {
        let bytes = encode(&message);
        assert_eq!(decode(&bytes), Ok(message));
    }

    fn hex(text: &str) -> Vec<u8> {
        assert!(text.len() % 2 == 0, "{text}");
        (0..text.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(&text[at..at + 2], 16).expect("hex digits"))
            .collect()
    }

    fn users() -> Relation {
        let column = |key, name: &str, type_oid, type_modifier| Column {
            key,
            name: name.to_owned(),
            type_oid,
            type_modifier,
        };
        Relation {
            id: 16384,
            namespace: "public".to_owned(),
            name: "users".to_owned(),
            replica_identity: b'd',
            columns: vec![
                column(true, "id", 20, -1),
                column(false, "name", 25, -1),
                column(false, "note", 25, -1),
                column(false, "big", 25, -1),
            ],
        }
    }

    /// One message of each kind, with every value kind and both old tuples.
    fn samples() -> Vec<Message<'static>> {
        vec![
            Message::Begin {
                final_lsn: 0x0016_B374_D848,
                commit_time: -1,
                xid: u32::MAX,
            },
            Message::Commit {
                flags: 0,
                commit_lsn: 1,
                end_lsn: u64::MAX,
                commit_time: i64::MIN,
            },
            Message::Origin {
                commit_lsn: 0xABCDEF,
                name: "upstream",
            },
            Message::Relation(users()),
            Message::Relation(Relation {
                id: 1,
                namespace: String::new(),
                name: "no columns".to_owned(),
                replica_identity: b'n',
                columns: Vec::new(),
            }),
            Message::Type {
                id: 16404,
                namespace: "public",
                name: "mood",
            },
            Message::Insert {
                relation: 16384,
                new: Tuple(vec![
                    Value::Text(b"1"),
                    Value::Text("é".as_bytes()),
                    Value::Null,
                    Value::Binary(&[0, 0xFF, 0]),
                ]),
            },
            Message::Update {
                relation: 16384,
                old: None,
                new: Tuple(vec![
                    Value::Text(b"1"),
                    Value::Text(b""),
                    Value::Null,
                    Value::UnchangedToast,
                ]),
            },
            Message::Update {
                relation: 16384,
                old: Some(Tuple(vec![Value::Binary(&[0; 8])])),
                new: Tuple(vec![Value::Binary(&[0, 0, 0, 0, 0, 0, 0, 2])]),
            },
            Message::Delete {
                relation: 16384,
                old: Tuple(vec![Value::Text(b"2"), Value::Null]),
            },
            Message::Truncate {
                options: 3,
                relations: vec![16384, 16391, u32::MAX],
            },
            Message::Truncate {
                options: 0,
                relations: Vec::new(),
            },
            Message::LogicalMessage {
                transactional: true,
                lsn: 0x1544BB0,
                prefix: "wt",
                content: b"hello\0world",
            },
            Message::LogicalMessage {
                transactional: false,
                lsn: 0,
                prefix: "",
                content: b"",
            },
        ]
    }

    #[test]
    fn every_sample_round_trips() {
        for message in samples() {
            assert_round_trips(message);
        }
    }

    #[test]
    fn begin_carries_final_lsn_commit_time_and_xid() {
        assert_round_trips(Message::Begin {
            final_lsn: 0x0154_36D0,
            commit_time: 0x0003_04E9_FD60_6B6E,
            xid: 729,
        });
    }

    #[test]
    fn commit_carries_its_flags_lsns_and_time() {
        assert_round_trips(Message::Commit {
            flags: 0,
            commit_lsn: 0x0154_36D0,
            end_lsn: 0x0154_3700,
            commit_time: 0x0003_04E9_FD60_6B6E,
        });
    }

    #[test]
    fn origin_carries_the_upstream_lsn_and_name() {
        assert_round_trips(Message::Origin {
            commit_lsn: 7,
            name: "upstream",
        });
    }

    #[test]
    fn relation_carries_its_columns_in_order() {
        assert_round_trips(Message::Relation(users()));
    }

    #[test]
    fn type_carries_its_namespace_and_name() {
        assert_round_trips(Message::Type {
            id: 16404,
            namespace: "public",
            name: "mood",
        });
    }

    #[test]
    fn insert_carries_nulls_text_and_binary_values() {
        assert_round_trips(Message::Insert {
            relation: 16384,
            new: Tuple(vec![
                Value::Null,
                Value::Text(b"ada"),
                Value::Binary(&[1, 2]),
            ]),
        });
    }

    #[test]
    fn update_without_an_old_tuple_marks_unchanged_toast() {
        assert_round_trips(Message::Update {
            relation: 16384,
            old: None,
            new: Tuple(vec![Value::Text(b"1"), Value::UnchangedToast]),
        });
    }

    #[test]
    fn update_reads_a_key_tuple_and_a_whole_old_row_alike() {
        let old = Tuple(vec![Value::Text(b"1"), Value::Null]);
        let new = Tuple(vec![Value::Text(b"2"), Value::Text(b"ada")]);
        for marker in [b'K', b'O'] {
            let mut bytes = vec![b'U', 0, 0, 0x40, 0, marker];
            put_tuple(&mut bytes, &old);
            bytes.push(b'N');
            put_tuple(&mut bytes, &new);
            assert_eq!(
                decode(&bytes),
                Ok(Message::Update {
                    relation: 16384,
                    old: Some(old.clone()),
                    new: new.clone(),
                }),
                "{}",
                char::from(marker)
            );
        }
    }

    #[test]
    fn delete_reads_a_key_tuple_and_a_whole_old_row_alike() {
        let old = Tuple(vec![Value::Text(b"2"), Value::Null]);
        for marker in [b'K', b'O'] {
            let mut bytes = vec![b'D', 0, 0, 0x40, 0, marker];
            put_tuple(&mut bytes, &old);
            assert_eq!(
                decode(&bytes),
                Ok(Message::Delete {
                    relation: 16384,
                    old: old.clone(),
                }),
            );
        }
    }

    #[test]
    fn truncate_lists_every_relation() {
        assert_round_trips(Message::Truncate {
            options: 1,
            relations: vec![1, 2, 3, 4, 5],
        });
    }

    #[test]
    fn a_logical_message_carries_its_prefix_and_content() {
        assert_round_trips(Message::LogicalMessage {
            transactional: false,
            lsn: 9,
            prefix: "write_through",
            content: &[0, 1, 2, 0xFF],
        });
    }

    /// The `data` of the rows `pg_logical_slot_peek_binary_changes(slot, NULL, NULL,
    /// 'proto_version', '1', 'publication_names', 'pub', 'messages', 'true')` returned on
    /// PostgreSQL 15.20, after:
    ///
    /// ```sql
    /// CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, note text, big text);
    /// ALTER TABLE users ALTER COLUMN big SET STORAGE EXTERNAL;
    /// CREATE TABLE audit (id int, what varchar(20));
    /// ALTER TABLE audit REPLICA IDENTITY FULL;
    /// CREATE PUBLICATION pub FOR TABLE users, audit;
    /// SELECT pg_create_logical_replication_slot('slot', 'pgoutput');
    /// INSERT INTO users VALUES (1, 'ada', NULL, repeat('x', 10000));
    /// UPDATE users SET name = 'ada l' WHERE id = 1;
    /// UPDATE users SET id = 2 WHERE id = 1;
    /// DELETE FROM users WHERE id = 2;
    /// INSERT INTO audit VALUES (7, 'seen');
    /// UPDATE audit SET what = 'again';
    /// BEGIN; TRUNCATE users, audit; COMMIT;
    /// SELECT pg_logical_emit_message(true, 'wt', 'hello');
    /// ```
    ///
    /// The insert into `users` is left out here (10,028 bytes); see
    /// `a_captured_insert_of_a_toasted_value_decodes`.
    const CAPTURED: &[&str] = &[
        "4200000000015436d0000304e9fd606b6e000002d9",
        "52000040007075626c6963007573657273006400040169640000000014ffffffff006e616d65000000\
         0019ffffffff006e6f74650000000019ffffffff006269670000000019ffffffff",
        "430000000000015436d00000000001543700000304e9fd606b6e",
        "4200000000015437a0000304e9fd606de5000002da",
        "55000040004e00047400000001317400000005616461206c6e75",
        "430000000000015437a000000000015437d0000304e9fd606de5",
        "4200000000015438b8000304e9fd606eef000002db",
        "55000040004b00047400000001316e6e6e4e00047400000001327400000005616461206c6e75",
        "430000000000015438b800000000015438e8000304e9fd606eef",
        "420000000001543a80000304e9fd606fda000002dc",
        "44000040004b00047400000001326e6e6e",
        "43000000000001543a800000000001543ab0000304e9fd606fda",
        "420000000001543af0000304e9fd607105000002dd",
        "52000040077075626c6963006175646974006600020169640000000017ffffffff01776861740000\
         00041300000018",
        "49000040074e000274000000013774000000047365656e",
        "43000000000001543af00000000001543b20000304e9fd607105",
        "420000000001543b80000304e9fd607201000002de",
        "55000040074f000274000000013774000000047365656e4e00027400000001377400000005616761\
         696e",
        "43000000000001543b800000000001543bb0000304e9fd607201",
        "4200000000015449c8000304e9fd60781b000002df",
        "52000040007075626c6963007573657273006400040169640000000014ffffffff006e616d65000000\
         0019ffffffff006e6f74650000000019ffffffff006269670000000019ffffffff",
        "52000040077075626c6963006175646974006600020169640000000017ffffffff01776861740000\
         00041300000018",
        "5400000002000000400000004007",
        "430000000000015449c80000000001544b70000304e9fd60781b",
        "420000000001544bb0000304e9fd607b4a000002e0",
        "4d010000000001544bb07774000000000568656c6c6f",
        "43000000000001544bb00000000001544be0000304e9fd607b4a",
    ];

    /// The same changes, asked for with `'binary', 'true'` as well (the begins, commits and
    /// relations are the same bytes).
    const CAPTURED_BINARY: &[&str] = &[
        "55000040004e0004620000000800000000000000016200000005616461206c6e75",
        "55000040004b0004620000000800000000000000016e6e6e4e00046200000008000000000000000262\
         00000005616461206c6e75",
        "44000040004b0004620000000800000000000000026e6e6e",
        "49000040074e000262000000040000000762000000047365656e",
        "55000040074f000262000000040000000762000000047365656e4e0002620000000400000007620000\
         0005616761696e",
    ];

    /// A later transaction on the same server, after:
    ///
    /// ```sql
    /// CREATE TYPE mood AS ENUM ('ok', 'sad');
    /// CREATE TABLE feelings (id int PRIMARY KEY, m mood);
    /// ALTER PUBLICATION pub ADD TABLE feelings;
    /// SELECT pg_replication_origin_create('upstream');
    /// SELECT pg_replication_origin_session_setup('upstream');
    /// BEGIN;
    /// SELECT pg_replication_origin_xact_setup('0/ABCDEF', '2024-01-02 03:04:05+00');
    /// INSERT INTO feelings VALUES (2, 'sad');
    /// COMMIT;
    /// ```
    ///
    /// then a `TRUNCATE feelings RESTART IDENTITY CASCADE`.
    const CAPTURED_ORIGIN: &[&str] = &[
        "42000000000154b8f00002b0ec8515f340000002e6",
        "4f0000000000abcdef757073747265616d00",
        "49000040194e00027400000001327400000003736164",
        "4300000000000154b8f0000000000154b9380002b0ec8515f340",
        "59000040147075626c6963006d6f6f6400",
        "52000040197075626c6963006665656c696e6773006400020169640000000017ffffffff006d00000040\
         14ffffffff",
        "54000000010300004019",
    ];

    /// The captured insert of `(1, 'ada', NULL, repeat('x', 10000))`: this header, then the
    /// 10,000 bytes of 'x' (checked against the slot's row with md5).
    const CAPTURED_TOASTED_INSERT_HEADER: &str =
        "49000040004e000474000000013174000000036164616e7400002710";

    fn captured() -> Vec<Vec<u8>> {
        let mut toasted = hex(CAPTURED_TOASTED_INSERT_HEADER);
        toasted.extend([b'x'; 10_000]);
        CAPTURED
            .iter()
            .chain(CAPTURED_BINARY)
            .chain(CAPTURED_ORIGIN)
            .map(|text| hex(text))
            .chain([toasted])
            .collect()
    }

    #[test]
    fn a_captured_transaction_from_postgresql_15_decodes() {
        let messages: Vec<Vec<u8>> = CAPTURED.iter().map(|text| hex(text)).collect();
        let decoded: Vec<Message<'_>> = messages
            .iter()
            .map(|bytes| decode(bytes).expect("PostgreSQL's own bytes decode"))
            .collect();
        let time = 0x0003_04E9_FD60_6B6E;
        assert_eq!(
            decoded[..3],
            [
                Message::Begin {
                    final_lsn: 0x15436D0,
                    commit_time: time,
                    xid: 729,
                },
                Message::Relation(users()),
                Message::Commit {
                    flags: 0,
                    commit_lsn: 0x15436D0,
                    end_lsn: 0x1543700,
                    commit_time: time,
                },
            ]
        );
        // The name changed, the TOASTed `big` did not, and the key stayed: no old tuple.
        assert_eq!(
            decoded[4],
            Message::Update {
                relation: 16384,
                old: None,
                new: Tuple(vec![
                    Value::Text(b"1"),
                    Value::Text(b"ada l"),
                    Value::Null,
                    Value::UnchangedToast,
                ]),
            }
        );
        // The key changed: the old key comes first, with the other columns null.
        assert_eq!(
            decoded[7],
            Message::Update {
                relation: 16384,
                old: Some(Tuple(vec![
                    Value::Text(b"1"),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ])),
                new: Tuple(vec![
                    Value::Text(b"2"),
                    Value::Text(b"ada l"),
                    Value::Null,
                    Value::UnchangedToast,
                ]),
            }
        );
        assert_eq!(
            decoded[10],
            Message::Delete {
                relation: 16384,
                old: Tuple(vec![
                    Value::Text(b"2"),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ]),
            }
        );
        // REPLICA IDENTITY FULL: every column is part of the key, and an update sends the
        // whole old row.
        let audit = Relation {
            id: 16391,
            namespace: "public".to_owned(),
            name: "audit".to_owned(),
            replica_identity: b'f',
            columns: vec![
                Column {
                    key: true,
                    name: "id".to_owned(),
                    type_oid: 23,
                    type_modifier: -1,
                },
                Column {
                    key: true,
                    name: "what".to_owned(),
                    type_oid: 1043,
                    // varchar(20): the length plus the 4 bytes of the varlena header.
                    type_modifier: 24,
                },
            ],
        };
        assert_eq!(decoded[13], Message::Relation(audit));
        assert_eq!(
            decoded[14],
            Message::Insert {
                relation: 16391,
                new: Tuple(vec![Value::Text(b"7"), Value::Text(b"seen")]),
            }
        );
        assert_eq!(
            decoded[17],
            Message::Update {
                relation: 16391,
                old: Some(Tuple(vec![Value::Text(b"7"), Value::Text(b"seen")])),
                new: Tuple(vec![Value::Text(b"7"), Value::Text(b"again")]),
            }
        );
        assert_eq!(
            decoded[22],
            Message::Truncate {
                options: 0,
                relations: vec![16384, 16391],
            }
        );
        assert_eq!(
            decoded[25],
            Message::LogicalMessage {
                transactional: true,
                lsn: 0x1544BB0,
                prefix: "wt",
                content: b"hello",
            }
        );
        assert_eq!(
            decoded[26],
            Message::Commit {
                flags: 0,
                commit_lsn: 0x1544BB0,
                end_lsn: 0x1544BE0,
                commit_time: 0x0003_04E9_FD60_7B4A,
            }
        );
        // Every message encodes back to PostgreSQL's bytes, but an Update with an old tuple:
        // the test encoder marks that tuple 'O' whatever PostgreSQL sent.
        for (bytes, message) in messages.iter().zip(&decoded) {
            if !matches!(message, Message::Update { old: Some(_), .. }) {
                assert_eq!(&encode(message), bytes, "{message:?}");
            }
        }
    }

    #[test]
    fn a_captured_insert_of_a_toasted_value_decodes() {
        let mut bytes = hex(CAPTURED_TOASTED_INSERT_HEADER);
        bytes.extend([b'x'; 10_000]);
        assert_eq!(
            decode(&bytes),
            Ok(Message::Insert {
                relation: 16384,
                new: Tuple(vec![
                    Value::Text(b"1"),
                    Value::Text(b"ada"),
                    Value::Null,
                    Value::Text(&[b'x'; 10_000]),
                ]),
            })
        );
    }

    #[test]
    fn captured_binary_values_are_the_types_send_form() {
        let update = hex(CAPTURED_BINARY[1]);
        assert_eq!(
            decode(&update),
            Ok(Message::Update {
                relation: 16384,
                old: Some(Tuple(vec![
                    Value::Binary(&1_i64.to_be_bytes()),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ])),
                new: Tuple(vec![
                    Value::Binary(&2_i64.to_be_bytes()),
                    Value::Binary(b"ada l"),
                    Value::Null,
                    Value::UnchangedToast,
                ]),
            })
        );
        let insert = hex(CAPTURED_BINARY[3]);
        assert_eq!(
            decode(&insert),
            Ok(Message::Insert {
                relation: 16391,
                new: Tuple(vec![
                    Value::Binary(&7_i32.to_be_bytes()),
                    Value::Binary(b"seen"),
                ]),
            })
        );
        for text in CAPTURED_BINARY {
            assert!(decode(&hex(text)).is_ok(), "{text}");
        }
    }

    #[test]
    fn a_captured_replicated_transaction_names_its_origin_and_types() {
        let decoded: Vec<Vec<u8>> = CAPTURED_ORIGIN.iter().map(|text| hex(text)).collect();
        // pg_replication_origin_xact_setup's timestamp, in microseconds since 2000-01-01.
        let commit_time = (1_704_164_645 - 946_684_800) * 1_000_000;
        assert_eq!(
            decode(&decoded[0]),
            Ok(Message::Begin {
                final_lsn: 0x154B8F0,
                commit_time,
                xid: 742,
            })
        );
        assert_eq!(
            decode(&decoded[1]),
            Ok(Message::Origin {
                commit_lsn: 0xABCDEF,
                name: "upstream",
            })
        );
        assert_eq!(
            decode(&decoded[2]),
            Ok(Message::Insert {
                relation: 16409,
                new: Tuple(vec![Value::Text(b"2"), Value::Text(b"sad")]),
            })
        );
        assert_eq!(
            decode(&decoded[4]),
            Ok(Message::Type {
                id: 16404,
                namespace: "public",
                name: "mood",
            })
        );
        let Ok(Message::Relation(feelings)) = decode(&decoded[5]) else {
            panic!("a relation");
        };
        assert_eq!(feelings.columns[1].type_oid, 16404);
        assert_eq!(
            decode(&decoded[6]),
            Ok(Message::Truncate {
                // CASCADE | RESTART IDENTITY
                options: 3,
                relations: vec![16409],
            })
        );
    }

    #[test]
    fn trailing_bytes_after_a_message_are_an_error() {
        for message in samples() {
            let mut bytes = encode(&message);
            bytes.push(0);
            assert!(
                matches!(
                    decode(&bytes),
                    Err(DecodeError::TrailingBytes { count: 1, .. })
                ),
                "{message:?}"
            );
        }
    }

    #[test]
    fn an_empty_message_is_an_error() {
        assert_eq!(decode(&[]), Err(DecodeError::Empty));
    }

    #[test]
    fn an_unknown_tag_is_named_in_the_error() {
        let error = decode(b"Z").unwrap_err();
        assert_eq!(error, DecodeError::UnknownTag { tag: b'Z' });
        assert_eq!(error.to_string(), "unknown pgoutput message tag 'Z' (0x5a)");
        assert_eq!(
            decode(&[0]).unwrap_err().to_string(),
            "unknown pgoutput message tag 0x00"
        );
    }

    #[test]
    fn messages_of_later_protocol_versions_are_unsupported_not_skipped() {
        for (tag, version) in [
            (b'S', 2),
            (b'E', 2),
            (b'c', 2),
            (b'A', 2),
            (b'b', 3),
            (b'P', 3),
        ] {
            let error = decode(&[tag, 0, 0, 0, 0]).unwrap_err();
            assert!(
                matches!(error, DecodeError::Unsupported { version: v, .. } if v == version),
                "{error}"
            );
        }
        assert_eq!(
            decode(b"S").unwrap_err().to_string(),
            "pgoutput Stream Start message (tag 'S' (0x53)) needs protocol version 2; this \
             decoder reads version 1"
        );
    }

    #[test]
    fn unknown_tuple_and_value_kinds_are_errors() {
        assert!(matches!(
            decode(&[b'I', 0, 0, 0, 1, b'K', 0, 0]),
            Err(DecodeError::UnknownTupleKind {
                kind: "Insert",
                found: b'K',
                ..
            })
        ));
        assert!(matches!(
            decode(&[b'U', 0, 0, 0, 1, b'X', 0, 0]),
            Err(DecodeError::UnknownTupleKind {
                kind: "Update",
                found: b'X',
                ..
            })
        ));
        // After an old tuple only the new one may come.
        assert!(matches!(
            decode(&[b'U', 0, 0, 0, 1, b'K', 0, 0, b'O', 0, 0]),
            Err(DecodeError::UnknownTupleKind {
                kind: "Update",
                found: b'O',
                ..
            })
        ));
        assert!(matches!(
            decode(&[b'D', 0, 0, 0, 1, b'N', 0, 0]),
            Err(DecodeError::UnknownTupleKind {
                kind: "Delete",
                found: b'N',
                ..
            })
        ));
        assert_eq!(
            decode(&[b'I', 0, 0, 0, 1, b'N', 0, 1, b'x']),
            Err(DecodeError::UnknownValueKind { found: b'x' })
        );
    }

    #[test]
    fn a_name_that_is_not_utf8_is_an_error() {
        let mut bytes = vec![b'Y', 0, 0, 0, 1];
        bytes.extend(b"public\0");
        bytes.extend([0xC3, 0x28, 0]);
        let error = decode(&bytes).unwrap_err();
        assert_eq!(
            error,
            DecodeError::InvalidUtf8 {
                what: "the type's name"
            }
        );
        assert_eq!(error.to_string(), "the type's name is not valid UTF-8");
    }

    #[test]
    fn a_string_without_its_nul_is_an_error() {
        assert_eq!(
            decode(b"O\0\0\0\0\0\0\0\x01upstream"),
            Err(DecodeError::Unterminated {
                what: "the origin's name"
            })
        );
    }

    #[test]
    fn a_negative_length_is_an_error() {
        let mut bytes = vec![b'I', 0, 0, 0, 1, b'N', 0, 1, b't'];
        bytes.extend((-2_i32).to_be_bytes());
        assert_eq!(
            decode(&bytes),
            Err(DecodeError::NegativeLength {
                what: "a text value's length",
                length: -2
            })
        );
    }

    #[test]
    fn a_length_past_the_end_is_an_error() {
        let mut bytes = vec![b'I', 0, 0, 0, 1, b'N', 0, 1, b'b'];
        bytes.extend(i32::MAX.to_be_bytes());
        bytes.extend(b"abc");
        assert_eq!(
            decode(&bytes),
            Err(DecodeError::Truncated {
                what: "a binary value",
                needed: i32::MAX as usize,
                left: 3
            })
        );
    }

    #[test]
    fn a_count_larger_than_the_bytes_left_is_an_error_not_an_allocation() {
        // Four billion relations promised, none there.
        assert_eq!(
            decode(&[b'T', 0xFF, 0xFF, 0xFF, 0xFF, 0]),
            Err(DecodeError::TooMany {
                what: "the truncated relation count",
                count: u32::MAX as usize,
                left: 0,
            })
        );
        // 65535 values promised, two bytes there.
        assert_eq!(
            decode(&[b'I', 0, 0, 0, 1, b'N', 0xFF, 0xFF, b'n', b'n']),
            Err(DecodeError::TooMany {
                what: "a tuple's column count",
                count: 65535,
                left: 2,
            })
        );
        // Two columns take at least 20 bytes.
        let mut relation = vec![b'R', 0, 0, 0, 1, 0, 0, b'd', 0, 2];
        relation.extend([0; 19]);
        assert!(matches!(
            decode(&relation),
            Err(DecodeError::TooMany {
                count: 2,
                left: 19,
                ..
            })
        ));
    }

    #[test]
    fn errors_say_where_the_message_ends() {
        assert_eq!(
            decode(b"B\0\0").unwrap_err().to_string(),
            "pgoutput message ends inside the final LSN: 8 bytes needed, 2 left"
        );
        let mut bytes = encode(&samples()[0]);
        bytes.push(1);
        assert_eq!(
            decode(&bytes).unwrap_err().to_string(),
            "1 trailing bytes after a complete pgoutput Begin message"
        );
    }

    #[test]
    fn lsns_parse_as_postgresql_writes_them() {
        // SELECT '16/B374D848'::pg_lsn - '0/0' on PostgreSQL 15: 97500059720.
        assert_eq!(parse_lsn("16/B374D848"), Some(97_500_059_720));
        assert_eq!(parse_lsn("16/b374d848"), Some(97_500_059_720));
        assert_eq!(parse_lsn("0/0"), Some(0));
        assert_eq!(parse_lsn("00000001/00000000"), Some(1 << 32));
        assert_eq!(parse_lsn("FFFFFFFF/FFFFFFFF"), Some(u64::MAX));
    }

    #[test]
    fn lsns_postgresql_rejects_do_not_parse() {
        for text in [
            "",
            "/",
            "1",
            "1/",
            "/1",
            "+1/0",
            "1/+0",
            "-1/0",
            " 1/0",
            "1/0 ",
            "000000001/0",
            "0/000000001",
            "g/0",
            "1/2/3",
            "0x1/0",
        ] {
            assert_eq!(parse_lsn(text), None, "{text:?}");
        }
    }

    #[test]
    fn lsns_format_as_postgresql_prints_them() {
        assert_eq!(format_lsn(97_500_059_720), "16/B374D848");
        assert_eq!(format_lsn(0), "0/0");
        assert_eq!(format_lsn(1 << 32), "1/0");
        assert_eq!(format_lsn(u64::MAX), "FFFFFFFF/FFFFFFFF");
        for lsn in [0, 1, 0xABCDEF, 1 << 32, 0x0016_B374_D848, u64::MAX] {
            assert_eq!(parse_lsn(&format_lsn(lsn)), Some(lsn));
        }
    }

    /// Every valid message: the samples and PostgreSQL's own.
    fn valid_messages() -> Vec<Vec<u8>> {
        samples().iter().map(encode).chain(captured()).collect()
    }

    #[test]
    fn every_prefix_of_a_valid_message_is_an_error() {
        for bytes in valid_messages() {
            assert!(decode(&bytes).is_ok());
            for end in 0..bytes.len() {
                assert!(decode(&bytes[..end]).is_err(), "{:02x?}", &bytes[..end]);
            }
        }
    }

    /// xorshift64: deterministic, so a failure repeats.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, bound: usize) -> usize {
            (self.next() % bound as u64) as usize
        }

        fn byte(&mut self) -> u8 {
            self.next() as u8
        }
    }

    /// Decodes without panicking, and whatever decodes survives a round trip through the
    /// encoder. True when it decoded.
    fn check(bytes: &[u8]) -> bool {
        match decode(bytes) {
            Ok(message) => {
                assert_eq!(decode(&encode(&message)), Ok(message));
                true
            }
            Err(_) => false,
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        // Bytes the format gives meaning to, so that random input gets past the first checks.
        const MEANINGFUL: &[u8] = b"BCORYIUDTMKNOntub\0\x01\xFF";
        let mut random = Random(0x2545_F491_4F6C_DD1D);
        let mut decoded = 0;
        for _ in 0..100_000 {
            let length = random.below(48);
            let mut bytes: Vec<u8> = (0..length)
                .map(|_| {
                    if random.below(2) == 0 {
                        MEANINGFUL[random.below(MEANINGFUL.len())]
                    } else {
                        random.byte()
                    }
                })
                .collect();
            if let Some(first) = bytes.first_mut() {
                *first = b"BCORYIUDTM"[random.below(10)];
            }
            decoded += usize::from(check(&bytes));
        }
        // A few are whole messages, so the round trip is checked on them too.
        assert!(decoded > 100, "{decoded}");
    }

    #[test]
    fn mutated_valid_messages_never_panic() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let (mut decoded, mut tried) = (0, 0);
        for valid in valid_messages() {
            for _ in 0..1_000 {
                let mut bytes = valid.clone();
                for _ in 0..1 + random.below(4) {
                    let at = random.below(bytes.len() + 1);
                    match random.below(4) {
                        0 if at < bytes.len() => bytes[at] ^= 1 << random.below(8),
                        1 if at < bytes.len() => bytes[at] = random.byte(),
                        2 if at < bytes.len() => {
                            bytes.remove(at);
                        }
                        _ => bytes.insert(at, random.byte()),
                    }
                }
                decoded += usize::from(check(&bytes));
                tried += 1;
            }
        }
        // Both ways are taken: the mutations reach past the first checks.
        assert!(
            decoded > tried / 10 && decoded < tried / 2,
            "{decoded} of {tried}"
        );
    }
}
