//! Unique indexes (`find_by_<field>`), apart from I/O: what an entry (whose key is
//! `model::entry_key`) and the row it points at mean to a reader, and what a reader fills after
//! the database answered.
//!
//! An entry (`<namespace>:#<template>#<index>:<value>`) holds a *pointer*, the key of the row
//! that had the value when the entry was written, or the absent marker: "no row has this
//! value". A pointer is only a hint. The reader reads the row it names in the same round trip
//! and answers only when that row, which the row protocol keeps coherent, still has the value.
//! So a stale pointer (the row's value changed, the row was deleted, the value moved to another
//! row) costs a database read, never a wrong row; a write need not know the row's *old* values.
//!
//! What must never be stale is an absence. Every write of a row locks, with the row's key, the
//! entries of the values it writes, so the lease rule of the row protocol applies to entries
//! as it applies to rows: an absence a reader loaded before a write that gives some row the
//! value cannot be filled after that write locked the entry. A committed write publishes a
//! pointer to its row in each entry it locked.

use std::time::Duration;

use crate::core::policy::ValueRules;
use crate::core::read::{self, CachedState};
use crate::envelope::{ABSENT, Envelope, Unreadable, pointer_value};
use crate::model::UniqueIndex;

/// What an entry, and the row its pointer names, mean to a reader of `value`.
#[derive(Debug)]
pub(crate) enum EntryState<M> {
    /// The pointer names a row Redis holds that has the value.
    Hit(M),
    /// A cached "no row has this value".
    Absent,
    /// A plausible pointer whose row Redis does not hold in a usable form.
    RowMissing {
        /// The entry's bytes, to replace by compare.
        entry: Vec<u8>,
        /// The row's key.
        row_key: Vec<u8>,
        /// Whether the row's key is empty (so a reader may lease it); otherwise a writer holds
        /// it, another reader is filling it, or its bytes are unusable.
        row_empty: bool,
    },
    /// A pointer whose row no longer has the value (or is gone), or unusable bytes: replace it.
    Stale {
        /// The entry's bytes, to replace by compare.
        entry: Vec<u8>,
    },
    /// Nothing under the entry's key.
    Empty,
    /// A writer's lock, or a reader's lease, on the entry.
    Held,
    /// Redis did not answer.
    Unavailable,
}

/// Interprets an entry and, when it is a pointer, the row it names (both as Redis returned
/// them); never panics, whatever the bytes. `row_key_of` renders a row's key.
pub(crate) fn interpret<M: UniqueIndex<N>, const N: usize>(
    entry: Option<&[u8]>,
    row: Option<&[u8]>,
    value: M::Value<'_>,
    max_value_bytes: usize,
    row_key_of: impl Fn(&M) -> Vec<u8>,
) -> EntryState<M> {
    let Some(entry) = entry else {
        return EntryState::Empty;
    };
    let stale = || EntryState::Stale {
        entry: entry.to_vec(),
    };
    if entry.len() > max_value_bytes {
        return stale();
    }
    match Envelope::parse(entry) {
        Ok(Envelope::Absent) => EntryState::Absent,
        Ok(Envelope::Lock { .. } | Envelope::Lease { .. }) | Err(Unreadable::UnknownVersion) => {
            EntryState::Held
        }
        Ok(Envelope::Pointer { row_key }) => {
            match read::interpret::<M>(row, max_value_bytes) {
                CachedState::Row(found)
                    if found.has_index_value(value) && row_key_of(&found) == row_key =>
                {
                    EntryState::Hit(found)
                }
                // The row's value changed, or the row is gone: the pointer is stale.
                CachedState::Row(_) | CachedState::Absent => stale(),
                CachedState::Empty => EntryState::RowMissing {
                    entry: entry.to_vec(),
                    row_key: row_key.to_vec(),
                    row_empty: true,
                },
                CachedState::Held { .. }
                | CachedState::Writing
                | CachedState::Contended
                | CachedState::Unreadable(_)
                | CachedState::Unavailable => EntryState::RowMissing {
                    entry: entry.to_vec(),
                    row_key: row_key.to_vec(),
                    row_empty: false,
                },
            }
        }
        // A row, a collection, or bytes that are not ours, under an entry's key.
        Ok(Envelope::Row { .. } | Envelope::Members { .. }) | Err(_) => stale(),
    }
}

/// What a reader of an index does after looking in Redis.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum EntryPlan {
    /// Answer from the cache (the caller keeps the row of a hit).
    Answer,
    /// Read the database by value and leave Redis alone: a writer holds the entry, another
    /// reader is filling it, Redis is down, or the connection is inside a transaction.
    LoadWithoutFill,
    /// Lease the entry (only when it still holds `replacing`, or is empty when that is `None`)
    /// and, when `row_key` is given, the row's key (only when empty); read the database; fill
    /// what was leased.
    LeaseAndLoad {
        /// The entry's bytes as read, to replace by compare.
        replacing: Option<Vec<u8>>,
        /// The row a plausible pointer names, empty in Redis.
        row_key: Option<Vec<u8>>,
    },
}

/// Decides a read from the entry's state and whether the connection is inside a transaction.
pub(crate) fn plan<M>(state: &EntryState<M>, inside_transaction: bool) -> EntryPlan {
    match state {
        EntryState::Hit(_) | EntryState::Absent => EntryPlan::Answer,
        _ if inside_transaction => EntryPlan::LoadWithoutFill,
        EntryState::Empty => EntryPlan::LeaseAndLoad {
            replacing: None,
            row_key: None,
        },
        EntryState::Stale { entry } => EntryPlan::LeaseAndLoad {
            replacing: Some(entry.clone()),
            row_key: None,
        },
        // The pointer is probably right, but its row must be read anyway: lease both, so that
        // the row is filled too, and the entry is corrected if the value moved.
        EntryState::RowMissing {
            entry,
            row_key,
            row_empty: true,
        } if crate::key::fits(row_key) => EntryPlan::LeaseAndLoad {
            replacing: Some(entry.clone()),
            row_key: Some(row_key.clone()),
        },
        EntryState::RowMissing { .. } | EntryState::Held | EntryState::Unavailable => {
            EntryPlan::LoadWithoutFill
        }
    }
}

/// What a writer publishes in an entry it locked, for its row committed under `row_key` with
/// `row_change`: a pointer to the row, living as long as the row's value, when the row is
/// cached; else a deletion.
pub(crate) fn published_pointer(
    row_key: &[u8],
    row_change: &Option<(Vec<u8>, Duration)>,
) -> Option<(Vec<u8>, Duration)> {
    row_change
        .as_ref()
        .map(|(_, ttl)| (pointer_value(row_key), *ttl))
}

/// What a lease holder fills in the entry of `value` after reading `loaded` from the database:
/// a pointer to the row, or the absent marker when negative caching is on. `None`: release the
/// lease (the row matched under another spelling of the value, a case-insensitive collation,
/// and belongs to its own entry; or there is no row and no negative caching).
pub(crate) fn entry_fill<M: UniqueIndex<N>, const N: usize>(
    loaded: Option<&M>,
    value: M::Value<'_>,
    row_key: Option<&[u8]>,
    rules: ValueRules,
) -> Option<(Vec<u8>, Duration)> {
    match (loaded, row_key) {
        // A row whose key is too long to cache is never locked by its writers: no entry may
        // point at it (its reader would fill it, and nothing would retire it).
        (Some(_), Some(row_key)) if !crate::key::fits(row_key) => None,
        (Some(row), Some(row_key)) if row.has_index_value(value) => {
            Some((pointer_value(row_key), rules.jitter.apply(M::TTL)))
        }
        (Some(_), _) => None,
        (None, _) => M::NEGATIVE_TTL.map(|ttl| (ABSENT.to_vec(), rules.jitter.apply(ttl))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn absent() -> EntryState<()> {
        EntryState::Absent
    }

    #[test]
    fn a_cached_answer_needs_no_database() {
        assert_eq!(plan(&absent(), false), EntryPlan::Answer);
        assert_eq!(plan(&EntryState::Hit(()), true), EntryPlan::Answer);
    }

    #[test]
    fn inside_a_transaction_nothing_is_leased() {
        for state in [
            EntryState::Empty,
            EntryState::Stale {
                entry: b"x".to_vec(),
            },
            EntryState::RowMissing {
                entry: b"p".to_vec(),
                row_key: b"r".to_vec(),
                row_empty: true,
            },
        ] {
            assert_eq!(plan::<()>(&state, true), EntryPlan::LoadWithoutFill);
        }
    }

    #[test]
    fn a_stale_pointer_is_replaced_by_compare_and_an_empty_entry_leased_only_if_empty() {
        assert_eq!(
            plan::<()>(
                &EntryState::Stale {
                    entry: b"x".to_vec()
                },
                false
            ),
            EntryPlan::LeaseAndLoad {
                replacing: Some(b"x".to_vec()),
                row_key: None
            }
        );
        assert_eq!(
            plan::<()>(&EntryState::Empty, false),
            EntryPlan::LeaseAndLoad {
                replacing: None,
                row_key: None
            }
        );
    }

    #[test]
    fn a_pointer_to_an_uncached_row_leases_both_and_one_to_a_held_row_fills_nothing() {
        let missing = |row_empty| EntryState::<()>::RowMissing {
            entry: b"p".to_vec(),
            row_key: b"r".to_vec(),
            row_empty,
        };
        assert_eq!(
            plan(&missing(true), false),
            EntryPlan::LeaseAndLoad {
                replacing: Some(b"p".to_vec()),
                row_key: Some(b"r".to_vec())
            }
        );
        assert_eq!(plan(&missing(false), false), EntryPlan::LoadWithoutFill);
        // A pointer at a key too long to cache (never locked by its writers): nothing leased.
        let long = EntryState::<()>::RowMissing {
            entry: b"p".to_vec(),
            row_key: vec![b'r'; crate::key::MAX_KEY_BYTES + 1],
            row_empty: true,
        };
        assert_eq!(plan(&long, false), EntryPlan::LoadWithoutFill);
        assert_eq!(
            plan::<()>(&EntryState::Held, false),
            EntryPlan::LoadWithoutFill
        );
    }
}
