//! The read decisions, apart from the I/O that carries them: what a value read from Redis
//! means, and what to write back after the database answered. Both fronts run them through
//! `drive/`. A row that cannot be cached is said ([`Uncached`]); the drivers count and log it.

use std::time::Duration;

use crate::codec;
use crate::core::policy::ValueRules;
use crate::envelope::{ABSENT, Envelope, Unreadable};
use crate::error::CodecError;
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
    /// A writer's lock, not contended: the writer is about to publish (its statement runs).
    Writing,
    /// A contended writer's lock: writers met on the key, none will publish, and the last to
    /// finish leaves the key empty for the next reader to fill.
    Contended,
    /// A newer deploy's format (`lease: false`), or a filling reader's lease (`lease: true`).
    Held {
        /// Whether it is a reader's lease.
        lease: bool,
    },
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
        // Decoded with the codec that wrote it, whatever this build would choose.
        Ok(Envelope::Row {
            codec,
            fingerprint,
            payload,
        }) if fingerprint == M::SCHEMA_FINGERPRINT => match codec::decode_row(codec, payload) {
            Some(row) => CachedState::Row(row),
            None => CachedState::Unreadable(Unreadable::Corrupt),
        },
        Ok(Envelope::Row { .. }) => CachedState::Unreadable(Unreadable::SchemaChanged),
        Ok(Envelope::Absent) => CachedState::Absent,
        Ok(Envelope::Lock {
            contended: false, ..
        }) => CachedState::Writing,
        Ok(Envelope::Lock {
            contended: true, ..
        }) => CachedState::Contended,
        Ok(Envelope::Lease { .. }) => CachedState::Held { lease: true },
        // An index entry under a row's key: not ours to read as a row.
        Ok(Envelope::Pointer { .. } | Envelope::Members { .. }) => {
            CachedState::Unreadable(Unreadable::UnknownKind)
        }
        // A newer deploy's format (a rolling upgrade): it may be that deploy's lock, so it is
        // read around, never deleted.
        Err(Unreadable::UnknownVersion) => CachedState::Held { lease: false },
        Err(reason) => CachedState::Unreadable(reason),
    }
}

/// The answer a state gives by itself: `Some(row or None)` for a row or a cached absence.
pub(crate) fn answer<M>(state: CachedState<M>) -> Option<Option<M>> {
    match state {
        CachedState::Row(row) => Some(Some(row)),
        CachedState::Absent => Some(None),
        _ => None,
    }
}

/// What a reader does after looking in Redis.
#[derive(Debug)]
pub(crate) enum ReadPlan<M> {
    /// Answer from the cache.
    Answer(Option<M>),
    /// Read the database and leave Redis alone: Redis is down, holds a newer deploy's value, or
    /// the connection is inside a transaction (whose reads may see uncommitted rows).
    LoadWithoutFill,
    /// Another reader is filling the key, or writers hold it: wait briefly for its value (a
    /// read of a hot key while it is written is then served from Redis, not from the database
    /// and its pool); each look decided by [`after_poll`].
    AwaitFill {
        /// Writers held the key: when they leave it empty (writers that met never publish),
        /// the reader fills it, and the readers waiting with it are served that fill. A reader's
        /// lease left empty had nothing to fill: the database is read without filling.
        may_lease: bool,
    },
    /// Take a lease, read the database, and fill while the lease holds. `unreadable`: bad bytes
    /// sit under the key and must go first (a lease is only taken on an empty key).
    LeaseAndLoad {
        /// Whether unusable bytes must be deleted first.
        unreadable: bool,
    },
}

/// Decides a read from what Redis holds and whether the connection is inside a transaction.
pub(crate) fn plan_read<M>(state: CachedState<M>, inside_transaction: bool) -> ReadPlan<M> {
    match state {
        CachedState::Row(row) => ReadPlan::Answer(Some(row)),
        CachedState::Absent => ReadPlan::Answer(None),
        _ if inside_transaction => ReadPlan::LoadWithoutFill,
        CachedState::Empty => ReadPlan::LeaseAndLoad { unreadable: false },
        CachedState::Unreadable(_) => ReadPlan::LeaseAndLoad { unreadable: true },
        CachedState::Held { lease: true } => ReadPlan::AwaitFill { may_lease: false },
        CachedState::Writing | CachedState::Contended => ReadPlan::AwaitFill { may_lease: true },
        CachedState::Held { lease: false } | CachedState::Unavailable => ReadPlan::LoadWithoutFill,
    }
}

/// What a waiting reader does after one more look.
#[derive(Debug)]
pub(crate) enum AfterPoll<M> {
    /// Still a reader's lease or writers' locks: look again, until the wait's end.
    Wait,
    /// The writers left the key empty: lease it and fill it from the database.
    Lease,
    /// A row or a cached absence arrived.
    Answer(Option<M>),
    /// Anything else (an empty key the reader may not lease, bad bytes, a newer deploy's
    /// value, Redis silent): read the database without filling.
    GiveUp,
}

/// Decides a waiting reader's next step from what Redis holds now; `may_lease` as in
/// [`ReadPlan::AwaitFill`], false once the reader has lost a race for the lease.
pub(crate) fn after_poll<M>(state: CachedState<M>, may_lease: bool) -> AfterPoll<M> {
    match state {
        CachedState::Held { lease: true } | CachedState::Writing | CachedState::Contended => {
            AfterPoll::Wait
        }
        CachedState::Empty if may_lease => AfterPoll::Lease,
        state => match answer(state) {
            Some(answer) => AfterPoll::Answer(answer),
            None => AfterPoll::GiveUp,
        },
    }
}

/// Why a row is not cached. Its write publishes a deletion instead, its fill releases the lease.
#[derive(Debug)]
pub(crate) enum Uncached {
    /// The row does not encode (its `Serialize` fails).
    Unencodable(CodecError),
    /// The row encodes but does not decode again (a field type its codec cannot carry; the
    /// codec warns once per model).
    Undecodable,
    /// The encoded row is larger than any reader accepts.
    TooLarge {
        bytes: usize,
        max_value_bytes: usize,
    },
}

/// A value to write with its TTL; `Ok(None)` when there is nothing to cache.
pub(crate) type ValueFor = Result<Option<(Vec<u8>, Duration)>, Uncached>;

/// The value a lease holder fills after reading the database: the row, or the absent marker
/// when negative caching is on; `Ok(None)` when there is nothing to cache.
pub(crate) fn fill_for<M: Cached>(loaded: Option<&M>, rules: ValueRules) -> ValueFor {
    match loaded {
        Some(row) => row_value(row, rules).map(Some),
        None => Ok(M::NEGATIVE_TTL.map(|ttl| (ABSENT.to_vec(), rules.jitter.apply(ttl)))),
    }
}

/// A row encoded for the cache with its (spread) TTL, or why it cannot be cached: it does not
/// encode, does not decode again, or is larger than any reader would accept.
pub(crate) fn row_value<M: Cached>(
    row: &M,
    rules: ValueRules,
) -> Result<(Vec<u8>, Duration), Uncached> {
    match codec::encode_cacheable(row) {
        Ok(value) => cacheable(value, rules.jitter.apply(M::TTL), rules.max_value_bytes),
        Err(error) if error.is_undecodable() => Err(Uncached::Undecodable),
        Err(error) => Err(Uncached::Unencodable(error)),
    }
}

/// An encoded row with its TTL, unless it is larger than any reader would accept.
pub(crate) fn cacheable(
    value: Vec<u8>,
    ttl: Duration,
    max_value_bytes: usize,
) -> Result<(Vec<u8>, Duration), Uncached> {
    if value.len() <= max_value_bytes {
        Ok((value, ttl))
    } else {
        Err(Uncached::TooLarge {
            bytes: value.len(),
            max_value_bytes,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::envelope::token_value;
    use crate::key::KeyWriter;
    use proptest::prelude::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub(crate) struct Row {
        id: i64,
        name: String,
    }

    impl Cached for Row {
        crate::model::rows_by_serde!();

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

    pub(crate) fn row() -> Row {
        Row {
            id: 1,
            name: "a".into(),
        }
    }

    pub(crate) const RULES: ValueRules = ValueRules {
        max_value_bytes: LIMIT,
        jitter: crate::core::policy::Jitter::NONE,
    };

    pub(crate) fn encoded(row: &Row) -> Vec<u8> {
        codec::encode_row(row).unwrap()
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
    fn an_empty_key_is_leased_loaded_and_filled() {
        let state = interpret::<Row>(None, LIMIT);
        assert!(matches!(
            plan_read(state, false),
            ReadPlan::LeaseAndLoad { unreadable: false }
        ));
    }

    #[test]
    fn inside_a_transaction_a_miss_is_never_filled() {
        let state = interpret::<Row>(None, LIMIT);
        assert!(matches!(plan_read(state, true), ReadPlan::LoadWithoutFill));
    }

    #[test]
    fn a_locked_key_waits_for_its_writers_publish() {
        let state = interpret::<Row>(Some(&token_value(false, b"t")), LIMIT);
        assert!(matches!(state, CachedState::Writing));
        assert!(matches!(
            plan_read(state, false),
            ReadPlan::AwaitFill { may_lease: true }
        ));
    }

    #[test]
    fn a_contended_lock_waits_for_its_writers_to_leave() {
        // No publish will replace it, but the last writer out empties the key, which the
        // waiting reader then fills.
        let mut contended = b"WT\x01\x05".to_vec();
        contended.extend_from_slice(&[1u8; 16]);
        let state = interpret::<Row>(Some(&contended), LIMIT);
        assert!(matches!(state, CachedState::Contended));
        assert!(matches!(
            plan_read(state, false),
            ReadPlan::AwaitFill { may_lease: true }
        ));
    }

    #[test]
    fn a_waiting_reader_looks_again_while_the_key_is_held() {
        for held in [
            CachedState::Held { lease: true },
            CachedState::Writing,
            CachedState::Contended,
        ] {
            assert!(matches!(after_poll::<Row>(held, true), AfterPoll::Wait));
        }
    }

    #[test]
    fn a_key_writers_left_empty_is_leased_by_its_waiting_reader_once() {
        assert!(matches!(
            after_poll::<Row>(CachedState::Empty, true),
            AfterPoll::Lease
        ));
        // One that already lost a race for the lease reads the database instead.
        assert!(matches!(
            after_poll::<Row>(CachedState::Empty, false),
            AfterPoll::GiveUp
        ));
    }

    #[test]
    fn a_waiting_reader_is_answered_what_arrives_and_gives_up_on_anything_else() {
        let arrived = after_poll::<Row>(interpret(Some(&encoded(&row())), LIMIT), false);
        assert!(matches!(arrived, AfterPoll::Answer(Some(r)) if r == row()));
        assert!(matches!(
            after_poll::<Row>(CachedState::Absent, true),
            AfterPoll::Answer(None)
        ));
        let newer = interpret::<Row>(Some(b"WT\x09\x03"), LIMIT);
        assert!(matches!(after_poll(newer, true), AfterPoll::GiveUp));
        let garbage = interpret::<Row>(Some(b"garbage"), LIMIT);
        assert!(matches!(after_poll(garbage, true), AfterPoll::GiveUp));
        assert!(matches!(
            after_poll::<Row>(CachedState::Unavailable, true),
            AfterPoll::GiveUp
        ));
    }

    #[test]
    fn a_newer_deploys_value_is_read_around() {
        // It may be that deploy's lock: never waited on, never deleted.
        let state = interpret::<Row>(Some(b"WT\x09\x03"), LIMIT);
        assert!(matches!(state, CachedState::Held { lease: false }));
        assert!(matches!(plan_read(state, false), ReadPlan::LoadWithoutFill));
    }

    #[test]
    fn a_leased_key_waits_for_the_fill() {
        let state = interpret::<Row>(Some(&token_value(true, b"t")), LIMIT);
        assert!(matches!(
            plan_read(state, false),
            ReadPlan::AwaitFill { may_lease: false }
        ));
    }

    #[test]
    fn unreadable_bytes_are_deleted_before_the_lease() {
        let state = interpret::<Row>(Some(b"garbage"), LIMIT);
        assert!(matches!(
            plan_read(state, false),
            ReadPlan::LeaseAndLoad { unreadable: true }
        ));
    }

    #[test]
    fn a_row_of_another_schema_is_unreadable() {
        let mut value = encoded(&row());
        // The last byte of the fingerprint, just before the payload.
        value[crate::envelope::MAX_ROW_HEADER_LEN - 2] ^= 1;
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
    fn a_missing_row_fills_the_absent_marker_for_the_negative_ttl() {
        assert_eq!(
            fill_for::<Row>(None, RULES).unwrap(),
            Some((ABSENT.to_vec(), Duration::from_secs(5)))
        );
    }

    #[test]
    fn a_row_too_large_to_read_back_is_not_cached() {
        let rules = ValueRules {
            max_value_bytes: 4,
            ..RULES
        };
        let bytes = encoded(&row()).len();
        assert!(matches!(
            fill_for(Some(&row()), rules),
            Err(Uncached::TooLarge { bytes: b, max_value_bytes: 4 }) if b == bytes
        ));
        assert!(matches!(
            cacheable(encoded(&row()), Row::TTL, 4),
            Err(Uncached::TooLarge { .. })
        ));
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
            let mut value = Vec::new();
            crate::envelope::write_row_header(&mut value, codec::Codec::Bincode, Row::SCHEMA_FINGERPRINT);
            value.extend_from_slice(&payload);
            let _ = interpret::<Row>(Some(&value), LIMIT);
        }
    }
}
