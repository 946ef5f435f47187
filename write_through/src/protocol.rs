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
