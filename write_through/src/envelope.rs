//! The byte layout of every value the library stores in Redis.
//!
//! ```text
//! offset  size  field
//! 0       2     magic "WT"
//! 2       1     format version (1 or 2)
//! 3       1     kind: 1 row, 2 absent (negative cache), 3 write lock, 4 fill lease,
//!               5 contended write lock (followed by its holders' 16-byte tokens),
//!               6 index pointer (a unique index's entry, followed by the row's full key)
//! version 1, row:   4   8   schema fingerprint, little endian
//!                   12  ..  bincode payload (standard config, serde mode)
//! version 2, row:   4   1   codec: 1 bincode, 2 MessagePack
//!                   5   8   schema fingerprint, little endian
//!                   13  ..  payload in that codec
//! lock, lease (version 1):  4  ..  the owner's token
//! ```
//!
//! A version 1 row is always bincode, so a bincode row is still written as version 1: byte for
//! byte what earlier deploys write and read, and a rolling upgrade keeps its hits. Only rows in
//! another codec are version 2, which an earlier deploy reads around (to it, an unknown
//! version may be a newer deploy's lock) without deleting it. Locks, leases and the absent
//! marker stay version 1: the Lua scripts of every deploy recognise locks by `WT\x01`.
//!
//! The fingerprint lives in the value rather than the key so that two deploys with different
//! struct shapes write the same key and so invalidate each other.

use std::fmt;

/// How a model's rows are encoded in Redis; the derive chooses it (see [`crate::guide::column_types`]), and
/// `#[write_through(codec = "...")]` overrides the choice.
///
/// ```
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// use write_through::Codec;
/// # diesel::table! { crates (id) { id -> BigInt, name -> Text, features -> Text, } }
/// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
///          Serialize, Deserialize, WriteThrough)]
/// #[diesel(table_name = crates)]
/// #[write_through(key = "crate:{id}", ttl = "1h")]
/// pub struct Crate { pub id: i64, pub name: String, pub features: String }
///
/// assert_eq!(<Crate as Cached>::CODEC, Codec::Bincode); // every field type is bincode-safe
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Codec {
    /// bincode 2 in serde mode: compact and fast, but not self-describing, so it cannot decode
    /// types that ask for `deserialize_any` (`serde_json::Value`, untagged or internally
    /// tagged enums, `#[serde(flatten)]`).
    Bincode,
    /// MessagePack through rmp-serde: self-describing, decodes whatever serde can carry.
    MessagePack,
}

const MAGIC: [u8; 2] = *b"WT";
/// The version of locks, leases, the absent marker and bincode rows.
const VERSION: u8 = 1;
/// The version of rows that name their codec.
const VERSION_WITH_CODEC: u8 = 2;
const HEADER_LEN: usize = 4;
const FINGERPRINT_LEN: usize = 8;

/// The kind tags of the fourth byte.
mod kind {
    pub(super) const ROW: u8 = 1;
    pub(super) const ABSENT: u8 = 2;
    pub(super) const LOCK: u8 = 3;
    pub(super) const LEASE: u8 = 4;
    pub(super) const CONTENDED: u8 = 5;
    pub(super) const POINTER: u8 = 6;
    pub(super) const MEMBERS: u8 = 7;
}

/// The codec tags of a version 2 row.
mod codec_tag {
    pub(super) const BINCODE: u8 = 1;
    pub(super) const MESSAGE_PACK: u8 = 2;
}

/// A value read from Redis, split into its parts without copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Envelope<'a> {
    /// A cached row.
    Row {
        /// The codec of the payload.
        codec: Codec,
        /// The schema fingerprint of the struct that wrote it.
        fingerprint: u64,
        /// The encoded row.
        payload: &'a [u8],
    },
    /// The database had no such row (negative cache).
    Absent,
    /// A writer holds the key while its database write is in flight.
    Lock {
        /// The writer's token (a contended lock: each holder's, 16 bytes each).
        token: &'a [u8],
        /// Made contended by an invalidation or a second writer: no publish will replace it
        /// (it stays until its TTL).
        contended: bool,
    },
    /// A reader is filling the key.
    Lease {
        /// The reader's token.
        token: &'a [u8],
    },
    /// A unique index's entry: the key of the row that had the indexed value when the entry
    /// was written. A hint, verified against the row on every read (see `core/index.rs`).
    Pointer {
        /// The row's full Redis key.
        row_key: &'a [u8],
    },
    /// A cached collection's entry: its members, in the collection's order (see
    /// `core/collection.rs`). Read with [`members`].
    Members {
        /// The members, as [`members_value`] wrote them.
        body: &'a [u8],
    },
}

/// Why a value under one of our keys cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// The value does not start with the envelope's magic bytes.
    Foreign,
    /// The envelope names a format version this build does not know.
    UnknownVersion,
    /// The envelope names a kind this build does not know.
    UnknownKind,
    /// The row was written by a different shape of the struct (another deploy).
    SchemaChanged,
    /// The payload is truncated, has trailing bytes, or fails to decode.
    Corrupt,
    /// The value is larger than the configured decode limit.
    TooLarge,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unreadable::Foreign => "not written by write_through",
            Unreadable::UnknownVersion => "unknown envelope version",
            Unreadable::UnknownKind => "unknown envelope kind",
            Unreadable::SchemaChanged => "written by another shape of the struct",
            Unreadable::Corrupt => "corrupt payload",
            Unreadable::TooLarge => "larger than the decode limit",
        })
    }
}

impl<'a> Envelope<'a> {
    /// Splits raw bytes from Redis; never panics, whatever the bytes.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Self, Unreadable> {
        let Some((header, body)) = bytes.split_first_chunk::<HEADER_LEN>() else {
            return Err(Unreadable::Foreign);
        };
        if header[..2] != MAGIC {
            return Err(Unreadable::Foreign);
        }
        match (header[2], header[3]) {
            (VERSION, kind::ROW) => row(Codec::Bincode, body),
            (VERSION, kind::ABSENT) if body.is_empty() => Ok(Envelope::Absent),
            (VERSION, kind::ABSENT) => Err(Unreadable::Corrupt),
            (VERSION, kind::LOCK) => Ok(Envelope::Lock {
                token: body,
                contended: false,
            }),
            (VERSION, kind::CONTENDED) => Ok(Envelope::Lock {
                token: body,
                contended: true,
            }),
            (VERSION, kind::LEASE) => Ok(Envelope::Lease { token: body }),
            (VERSION, kind::POINTER) if !body.is_empty() => Ok(Envelope::Pointer { row_key: body }),
            (VERSION, kind::POINTER) => Err(Unreadable::Corrupt),
            (VERSION, kind::MEMBERS) if members(body).is_some() => Ok(Envelope::Members { body }),
            (VERSION, kind::MEMBERS) => Err(Unreadable::Corrupt),
            (VERSION, _) => Err(Unreadable::UnknownKind),
            (VERSION_WITH_CODEC, kind::ROW) => match body.split_first() {
                Some((&codec_tag::BINCODE, rest)) => row(Codec::Bincode, rest),
                Some((&codec_tag::MESSAGE_PACK, rest)) => row(Codec::MessagePack, rest),
                // A codec of a newer deploy: read around it, as around a newer version.
                Some(_) => Err(Unreadable::UnknownVersion),
                None => Err(Unreadable::Corrupt),
            },
            // Version 2 is only ever a row; anything else there is a newer deploy's.
            _ => Err(Unreadable::UnknownVersion),
        }
    }
}

fn row(codec: Codec, body: &[u8]) -> Result<Envelope<'_>, Unreadable> {
    let Some((fingerprint, payload)) = body.split_first_chunk::<FINGERPRINT_LEN>() else {
        return Err(Unreadable::Corrupt);
    };
    Ok(Envelope::Row {
        codec,
        fingerprint: u64::from_le_bytes(*fingerprint),
        payload,
    })
}

/// Starts a row value in `out`: its header for `codec` and `fingerprint`; the payload is
/// appended after it.
pub(crate) fn write_row_header(out: &mut Vec<u8>, codec: Codec, fingerprint: u64) {
    match codec {
        Codec::Bincode => out.extend_from_slice(&[MAGIC[0], MAGIC[1], VERSION, kind::ROW]),
        Codec::MessagePack => out.extend_from_slice(&[
            MAGIC[0],
            MAGIC[1],
            VERSION_WITH_CODEC,
            kind::ROW,
            codec_tag::MESSAGE_PACK,
        ]),
    }
    out.extend_from_slice(&fingerprint.to_le_bytes());
}

/// How many bytes [`write_row_header`] writes for `codec`: where the payload starts.
pub(crate) fn row_header_len(codec: Codec) -> usize {
    match codec {
        Codec::Bincode => HEADER_LEN + FINGERPRINT_LEN,
        Codec::MessagePack => HEADER_LEN + 1 + FINGERPRINT_LEN,
    }
}

/// The longest row header (version 2).
pub(crate) const MAX_ROW_HEADER_LEN: usize = HEADER_LEN + 1 + FINGERPRINT_LEN;

/// The whole value that records "the database has no such row".
pub(crate) const ABSENT: [u8; HEADER_LEN] = [MAGIC[0], MAGIC[1], VERSION, kind::ABSENT];

/// A lock or lease value: header then token.
pub(crate) fn token_value(lease: bool, token: &[u8]) -> Vec<u8> {
    let kind = if lease { kind::LEASE } else { kind::LOCK };
    let mut value = Vec::with_capacity(HEADER_LEN + token.len());
    value.extend_from_slice(&[MAGIC[0], MAGIC[1], VERSION, kind]);
    value.extend_from_slice(token);
    value
}

/// The row key a pointer names, if `value` is a pointer.
pub(crate) fn pointed_row(value: &[u8]) -> Option<&[u8]> {
    match Envelope::parse(value) {
        Ok(Envelope::Pointer { row_key }) => Some(row_key),
        _ => None,
    }
}

/// A unique index's entry pointing at the row under `row_key`.
pub(crate) fn pointer_value(row_key: &[u8]) -> Vec<u8> {
    let mut value = Vec::with_capacity(HEADER_LEN + row_key.len());
    value.extend_from_slice(&[MAGIC[0], MAGIC[1], VERSION, kind::POINTER]);
    value.extend_from_slice(row_key);
    value
}

/// One member of a collection's entry: the row's key, and the value of the collection's order
/// column when the entry was written (empty when the collection has no order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Member<'a> {
    pub(crate) row_key: &'a [u8],
    pub(crate) order: &'a [u8],
}

/// A collection's entry holding `members`, in order: each member is its row key and its order
/// value, each after its length (4 bytes, big-endian), which the read script walks to find the
/// row keys.
pub(crate) fn members_value<'a>(members: impl IntoIterator<Item = Member<'a>>) -> Vec<u8> {
    let mut value = vec![MAGIC[0], MAGIC[1], VERSION, kind::MEMBERS];
    for member in members {
        for part in [member.row_key, member.order] {
            // Row keys are at most `key::MAX_KEY_BYTES`, order values the size of one column.
            value.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
            value.extend_from_slice(part);
        }
    }
    value
}

/// The members of an entry's body, in order; `None` when the body is not a whole list (a
/// truncated or foreign value).
pub(crate) fn members(body: &[u8]) -> Option<Vec<Member<'_>>> {
    fn part<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let (length, tail) = rest.split_first_chunk::<4>()?;
        let length = usize::try_from(u32::from_be_bytes(*length)).ok()?;
        if tail.len() < length {
            return None;
        }
        let (part, tail) = tail.split_at(length);
        *rest = tail;
        Some(part)
    }
    let mut rest = body;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let row_key = part(&mut rest)?;
        let order = part(&mut rest)?;
        if row_key.is_empty() {
            return None;
        }
        out.push(Member { row_key, order });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_round_trip_in_order_and_an_empty_collection_is_an_entry_too() {
        let list = [
            Member {
                row_key: b"wt:version:2",
                order: b"1.0.0",
            },
            Member {
                row_key: b"wt:version:1",
                order: b"",
            },
        ];
        let value = members_value(list);
        let Ok(Envelope::Members { body }) = Envelope::parse(&value) else {
            panic!("not a members entry: {value:?}");
        };
        assert_eq!(members(body), Some(list.to_vec()));
        let empty = members_value([]);
        assert_eq!(Envelope::parse(&empty), Ok(Envelope::Members { body: b"" }));
    }

    #[test]
    fn a_truncated_members_entry_is_corrupt() {
        let value = members_value([Member {
            row_key: b"wt:version:2",
            order: b"7",
        }]);
        for cut in 5..value.len() {
            assert_eq!(
                Envelope::parse(&value[..cut]),
                Err(Unreadable::Corrupt),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_pointer_carries_the_row_key_and_is_never_empty() {
        assert_eq!(
            Envelope::parse(&pointer_value(b"wt:user:7")),
            Ok(Envelope::Pointer {
                row_key: b"wt:user:7"
            })
        );
        assert_eq!(Envelope::parse(b"WT\x01\x06"), Err(Unreadable::Corrupt));
    }

    #[test]
    fn the_header_length_is_what_the_header_writer_writes() {
        for codec in [Codec::Bincode, Codec::MessagePack] {
            let mut header = Vec::new();
            write_row_header(&mut header, codec, 7);
            assert_eq!(header.len(), row_header_len(codec), "{codec:?}");
        }
    }

    fn row_value(codec: Codec, fingerprint: u64, payload: &[u8]) -> Vec<u8> {
        let mut value = Vec::new();
        write_row_header(&mut value, codec, fingerprint);
        value.extend_from_slice(payload);
        value
    }

    #[test]
    fn a_row_splits_into_codec_fingerprint_and_payload() {
        for codec in [Codec::Bincode, Codec::MessagePack] {
            assert_eq!(
                Envelope::parse(&row_value(codec, 0xDEAD_BEEF, b"payload")),
                Ok(Envelope::Row {
                    codec,
                    fingerprint: 0xDEAD_BEEF,
                    payload: b"payload"
                })
            );
        }
    }

    #[test]
    fn a_bincode_row_is_written_as_version_1_byte_for_byte() {
        // What every earlier deploy writes and reads: magic, 1, row, fingerprint, payload.
        let mut expected = b"WT\x01\x01".to_vec();
        expected.extend_from_slice(&7u64.to_le_bytes());
        expected.extend_from_slice(b"p");
        assert_eq!(row_value(Codec::Bincode, 7, b"p"), expected);
    }

    #[test]
    fn a_message_pack_row_is_version_2_and_names_its_codec() {
        let value = row_value(Codec::MessagePack, 7, b"p");
        assert_eq!(&value[..5], b"WT\x02\x01\x02");
        assert_eq!(value.len(), MAX_ROW_HEADER_LEN + 1);
    }

    #[test]
    fn a_version_2_row_in_bincode_is_read_as_bincode() {
        let mut value = b"WT\x02\x01\x01".to_vec();
        value.extend_from_slice(&7u64.to_le_bytes());
        assert_eq!(
            Envelope::parse(&value),
            Ok(Envelope::Row {
                codec: Codec::Bincode,
                fingerprint: 7,
                payload: b""
            })
        );
    }

    #[test]
    fn an_unknown_codec_is_read_around_as_a_newer_version() {
        let mut value = b"WT\x02\x01\x09".to_vec();
        value.extend_from_slice(&7u64.to_le_bytes());
        assert_eq!(Envelope::parse(&value), Err(Unreadable::UnknownVersion));
    }

    #[test]
    fn a_version_2_row_without_its_codec_is_corrupt() {
        assert_eq!(Envelope::parse(b"WT\x02\x01"), Err(Unreadable::Corrupt));
        assert_eq!(
            Envelope::parse(b"WT\x02\x01\x02\x00"),
            Err(Unreadable::Corrupt)
        );
    }

    #[test]
    fn the_absent_marker_round_trips() {
        assert_eq!(Envelope::parse(&ABSENT), Ok(Envelope::Absent));
    }

    #[test]
    fn locks_and_leases_carry_their_token() {
        assert_eq!(
            Envelope::parse(&token_value(false, b"t1")),
            Ok(Envelope::Lock {
                token: b"t1",
                contended: false
            })
        );
        assert_eq!(
            Envelope::parse(&token_value(true, b"t2")),
            Ok(Envelope::Lease { token: b"t2" })
        );
    }

    #[test]
    fn bytes_without_the_magic_are_foreign() {
        assert_eq!(Envelope::parse(b""), Err(Unreadable::Foreign));
        assert_eq!(Envelope::parse(b"WT"), Err(Unreadable::Foreign));
        assert_eq!(Envelope::parse(b"{\"id\":1}"), Err(Unreadable::Foreign));
    }

    #[test]
    fn another_format_version_is_not_guessed_at() {
        assert_eq!(
            Envelope::parse(b"WT\x03\x01"),
            Err(Unreadable::UnknownVersion)
        );
        assert_eq!(
            Envelope::parse(b"WT\x02\x03tok"),
            Err(Unreadable::UnknownVersion)
        );
    }

    #[test]
    fn a_contended_lock_is_a_lock_listing_its_holders() {
        // As the lock script writes it: the kind, then each holder's 16-byte token.
        let (first, second) = ([1u8; 16], [2u8; 16]);
        let mut value = b"WT\x01\x05".to_vec();
        value.extend_from_slice(&first);
        value.extend_from_slice(&second);
        let Ok(Envelope::Lock {
            token: holders,
            contended: true,
        }) = Envelope::parse(&value)
        else {
            panic!("a contended lock must read as a lock");
        };
        assert_eq!(holders.chunks(16).collect::<Vec<_>>(), [&first, &second]);
    }

    #[test]
    fn an_unknown_kind_is_unreadable() {
        assert_eq!(Envelope::parse(b"WT\x01\x09"), Err(Unreadable::UnknownKind));
    }

    #[test]
    fn a_row_cut_inside_its_fingerprint_is_corrupt() {
        assert_eq!(
            Envelope::parse(b"WT\x01\x01\x00\x01"),
            Err(Unreadable::Corrupt)
        );
    }

    #[test]
    fn an_absent_marker_with_trailing_bytes_is_corrupt() {
        assert_eq!(Envelope::parse(b"WT\x01\x02x"), Err(Unreadable::Corrupt));
    }
}
