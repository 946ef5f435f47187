//! The protocol's decisions, apart from the I/O that carries them: what a value read from Redis
//! means, and what to write back after the database answered. The blocking front end
//! ([`crate::ops`]) runs these; an async front end must reuse them rather than copy them.

use std::time::Duration;

use crate::codec;
use crate::envelope::{ABSENT, Envelope, Unreadable};
use crate::model::Cached;

/// What Redis holds under a key, as far as a reader is concerned.
#[derive(Debug)]
pub(crate) enum CachedState<M> {
    /// A usable row.
    Row(M),
    /// A cached "no such row".
    Absent,
    /// Nothing under the key.
    Empty,
    /// A writer's lock or a filler's lease: the row is in flux, do not fill.
    Held,
    /// Bytes that cannot be used; they are replaced or deleted.
    Unreadable(Unreadable),
    /// Redis did not answer.
    Unavailable,
}

/// Interprets the reply to `GET key`; never panics, whatever the bytes.
pub(crate) fn interpret<M: Cached>(value: Option<&[u8]>, max_value_bytes: usize) -> CachedState<M> {
    let Some(bytes) = value else {
        return CachedState::Empty;
    };
    if bytes.len() > max_value_bytes {
        return CachedState::Unreadable(Unreadable::TooLarge);
    }
    match Envelope::parse(bytes) {
        Ok(Envelope::Row {
            fingerprint,
            payload,
        }) if fingerprint == M::SCHEMA_FINGERPRINT => match codec::decode_payload(payload) {
            Some(row) => CachedState::Row(row),
            None => CachedState::Unreadable(Unreadable::Corrupt),
        },
        Ok(Envelope::Row { .. }) => CachedState::Unreadable(Unreadable::SchemaChanged),
        Ok(Envelope::Absent) => CachedState::Absent,
        Ok(Envelope::Lock { .. } | Envelope::Lease { .. }) => CachedState::Held,
        Err(reason) => CachedState::Unreadable(reason),
    }
}

/// What a reader does after looking in Redis.
#[derive(Debug)]
pub(crate) enum ReadPlan<M> {
    /// Answer from the cache.
    Answer(Option<M>),
    /// Read the database; `may_fill` says whether the result may be written back.
    Load {
        /// Whether the loaded result may be written to Redis.
        may_fill: bool,
        /// Whether unusable bytes sit under the key and must go if not overwritten.
        unreadable: bool,
    },
}

/// Decides a read from what Redis holds and whether the connection is inside a transaction
/// (whose reads may see uncommitted rows, which must never reach the cache).
pub(crate) fn plan_read<M>(state: CachedState<M>, inside_transaction: bool) -> ReadPlan<M> {
    match state {
        CachedState::Row(row) => ReadPlan::Answer(Some(row)),
        CachedState::Absent => ReadPlan::Answer(None),
        CachedState::Empty => ReadPlan::Load {
            may_fill: !inside_transaction,
            unreadable: false,
        },
        CachedState::Unreadable(_) => ReadPlan::Load {
            may_fill: !inside_transaction,
            unreadable: true,
        },
        CachedState::Held | CachedState::Unavailable => ReadPlan::Load {
            may_fill: false,
            unreadable: false,
        },
    }
}

/// What to write to Redis after the database answered a read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum WriteBack {
    /// `SET key value PX ttl`.
    Set { value: Vec<u8>, ttl: Duration },
    /// `DEL key`.
    Delete,
    /// Nothing.
    Nothing,
}

/// Decides the write-back after a database load.
pub(crate) fn after_load<M: Cached>(
    loaded: Option<&M>,
    plan_may_fill: bool,
    unreadable: bool,
    max_value_bytes: usize,
) -> WriteBack {
    let fill = if !plan_may_fill {
        None
    } else {
        match loaded {
            Some(row) => row_value(row, max_value_bytes).map(|value| (value, M::TTL)),
            None => M::NEGATIVE_TTL.map(|ttl| (ABSENT.to_vec(), ttl)),
        }
    };
    match fill {
        Some((value, ttl)) => WriteBack::Set { value, ttl },
        None if unreadable => WriteBack::Delete,
        None => WriteBack::Nothing,
    }
}

/// What to write to Redis after a committed save of an encoded row: the row, or a delete when
/// it is larger than any reader would accept.
pub(crate) fn after_save(value: Vec<u8>, ttl: Duration, max_value_bytes: usize) -> WriteBack {
    if value.len() <= max_value_bytes {
        WriteBack::Set { value, ttl }
    } else {
        tracing::warn!(
            bytes = value.len(),
            max_value_bytes,
            "row is larger than max_value_bytes; not cached"
        );
        WriteBack::Delete
    }
}

fn row_value<M: Cached>(row: &M, max_value_bytes: usize) -> Option<Vec<u8>> {
    match codec::encode_row(M::MODEL_NAME, M::SCHEMA_FINGERPRINT, row) {
        Ok(value) if value.len() <= max_value_bytes => Some(value),
        Ok(value) => {
            tracing::warn!(
                model = M::MODEL_NAME,
                bytes = value.len(),
                max_value_bytes,
                "row is larger than max_value_bytes; not cached"
            );
            None
        }
        Err(error) => {
            tracing::warn!(model = M::MODEL_NAME, %error, "row does not encode; not cached");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{ROW_PAYLOAD_OFFSET, token_value};
    use crate::key::KeyWriter;
    use proptest::prelude::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Row {
        id: i64,
        name: String,
    }

    impl Cached for Row {
        type Id<'a> = &'a i64;
        const MODEL_NAME: &'static str = "Row";
        const KEY_TEMPLATE: &'static str = "row:{id}";
        const TTL: Duration = Duration::from_secs(60);
        const NEGATIVE_TTL: Option<Duration> = Some(Duration::from_secs(5));
        const SCHEMA_FINGERPRINT: u64 = 42;

        fn id(&self) -> &i64 {
            &self.id
        }

        fn write_key(id: &i64, key: &mut KeyWriter) {
            key.literal("row:");
            key.part(id);
        }
    }

    const LIMIT: usize = 1 << 20;

    fn row() -> Row {
        Row {
            id: 1,
            name: "a".into(),
        }
    }

    fn encoded(row: &Row) -> Vec<u8> {
        codec::encode_row("Row", Row::SCHEMA_FINGERPRINT, row).unwrap()
    }

    #[test]
    fn a_cached_row_is_answered_from_the_cache() {
        let state = interpret::<Row>(Some(&encoded(&row())), LIMIT);
        assert!(matches!(plan_read(state, false), ReadPlan::Answer(Some(r)) if r == row()));
    }

    #[test]
    fn a_cached_absence_is_answered_from_the_cache() {
        let state = interpret::<Row>(Some(&ABSENT), LIMIT);
        assert!(matches!(plan_read(state, false), ReadPlan::Answer(None)));
    }

    #[test]
    fn an_empty_key_is_loaded_and_filled() {
        let state = interpret::<Row>(None, LIMIT);
        assert!(matches!(
            plan_read(state, false),
            ReadPlan::Load {
                may_fill: true,
                unreadable: false
            }
        ));
    }

    #[test]
    fn inside_a_transaction_a_miss_is_never_filled() {
        let state = interpret::<Row>(None, LIMIT);
        assert!(matches!(
            plan_read(state, true),
            ReadPlan::Load {
                may_fill: false,
                ..
            }
        ));
    }

    #[test]
    fn a_locked_or_leased_key_is_loaded_without_filling() {
        for lease in [false, true] {
            let state = interpret::<Row>(Some(&token_value(lease, b"t")), LIMIT);
            assert!(matches!(
                plan_read(state, false),
                ReadPlan::Load {
                    may_fill: false,
                    ..
                }
            ));
        }
    }

    #[test]
    fn a_row_of_another_schema_is_unreadable() {
        let mut value = encoded(&row());
        value[ROW_PAYLOAD_OFFSET - 1] ^= 1;
        let state = interpret::<Row>(Some(&value), LIMIT);
        assert!(matches!(
            state,
            CachedState::Unreadable(Unreadable::SchemaChanged)
        ));
    }

    #[test]
    fn a_value_over_the_limit_is_unreadable_without_decoding() {
        let state = interpret::<Row>(Some(&encoded(&row())), 4);
        assert!(matches!(
            state,
            CachedState::Unreadable(Unreadable::TooLarge)
        ));
    }

    #[test]
    fn unreadable_bytes_are_overwritten_by_the_fill_or_deleted() {
        assert!(matches!(
            after_load(Some(&row()), true, true, LIMIT),
            WriteBack::Set { .. }
        ));
        assert_eq!(
            after_load::<Row>(Some(&row()), false, true, LIMIT),
            WriteBack::Delete
        );
    }

    #[test]
    fn a_missing_row_fills_the_absent_marker_for_the_negative_ttl() {
        assert_eq!(
            after_load::<Row>(None, true, false, LIMIT),
            WriteBack::Set {
                value: ABSENT.to_vec(),
                ttl: Duration::from_secs(5)
            }
        );
    }

    #[test]
    fn a_row_too_large_to_read_back_is_not_filled() {
        assert_eq!(after_load(Some(&row()), true, false, 4), WriteBack::Nothing);
        assert_eq!(after_save(encoded(&row()), Row::TTL, 4), WriteBack::Delete);
    }

    proptest! {
        #[test]
        fn any_bytes_are_interpreted_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = interpret::<Row>(Some(&bytes), LIMIT);
        }

        #[test]
        fn any_payload_behind_a_valid_header_is_interpreted_without_panicking(
            payload in proptest::collection::vec(any::<u8>(), 0..64)
        ) {
            let mut value = crate::envelope::row_header(Row::SCHEMA_FINGERPRINT).to_vec();
            value.extend_from_slice(&payload);
            let _ = interpret::<Row>(Some(&value), LIMIT);
        }
    }
}
