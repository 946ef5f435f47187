//! The byte layout of every value the library stores in Redis.
//!
//! ```text
//! offset  size  field
//! 0       2     magic "WT"
//! 2       1     format version (1)
//! 3       1     kind: 1 row, 2 absent (negative cache), 3 write lock, 4 fill lease,
//!               5 contended write lock (followed by its holders' 16-byte tokens)
//! row:    4     8     schema fingerprint, little endian
//!         12    ..    bincode payload (standard config, serde mode)
//! lock, lease: 4  ..  the owner's token
//! ```
//!
//! The fingerprint lives in the value rather than the key so that two deploys with different
//! struct shapes write the same key and so invalidate each other.

use std::fmt;

const MAGIC: [u8; 2] = *b"WT";
const VERSION: u8 = 1;
const HEADER_LEN: usize = 4;
const FINGERPRINT_LEN: usize = 8;

/// Where a row's bincode payload starts.
pub(crate) const ROW_PAYLOAD_OFFSET: usize = HEADER_LEN + FINGERPRINT_LEN;

/// The kind tags of the fourth byte.
mod kind {
    pub(super) const ROW: u8 = 1;
    pub(super) const ABSENT: u8 = 2;
    pub(super) const LOCK: u8 = 3;
    pub(super) const LEASE: u8 = 4;
    pub(super) const CONTENDED: u8 = 5;
}

/// A value read from Redis, split into its parts without copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Envelope<'a> {
    /// A cached row.
    Row {
        /// The schema fingerprint of the struct that wrote it.
        fingerprint: u64,
        /// The bincode payload.
        payload: &'a [u8],
    },
    /// The database had no such row (negative cache).
    Absent,
    /// A writer holds the key while its database write is in flight.
    Lock {
        /// The writer's token.
        token: &'a [u8],
    },
    /// A reader is filling the key.
    Lease {
        /// The reader's token.
        token: &'a [u8],
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
        if header[2] != VERSION {
            return Err(Unreadable::UnknownVersion);
        }
        match header[3] {
            kind::ROW => {
                let Some((fingerprint, payload)) = body.split_first_chunk::<FINGERPRINT_LEN>()
                else {
                    return Err(Unreadable::Corrupt);
                };
                Ok(Envelope::Row {
                    fingerprint: u64::from_le_bytes(*fingerprint),
                    payload,
                })
            }
            kind::ABSENT if body.is_empty() => Ok(Envelope::Absent),
            kind::ABSENT => Err(Unreadable::Corrupt),
            kind::LOCK | kind::CONTENDED => Ok(Envelope::Lock { token: body }),
            kind::LEASE => Ok(Envelope::Lease { token: body }),
            _ => Err(Unreadable::UnknownKind),
        }
    }
}

/// The first bytes of a row value; the payload is appended after them.
pub(crate) fn row_header(fingerprint: u64) -> [u8; ROW_PAYLOAD_OFFSET] {
    let mut header = [0u8; ROW_PAYLOAD_OFFSET];
    header[..2].copy_from_slice(&MAGIC);
    header[2] = VERSION;
    header[3] = kind::ROW;
    header[HEADER_LEN..].copy_from_slice(&fingerprint.to_le_bytes());
    header
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_splits_into_fingerprint_and_payload() {
        let mut value = row_header(0xDEAD_BEEF).to_vec();
        value.extend_from_slice(b"payload");
        assert_eq!(
            Envelope::parse(&value),
            Ok(Envelope::Row {
                fingerprint: 0xDEAD_BEEF,
                payload: b"payload"
            })
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
            Ok(Envelope::Lock { token: b"t1" })
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
            Envelope::parse(b"WT\x02\x01"),
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
        let Ok(Envelope::Lock { token: holders }) = Envelope::parse(&value) else {
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
