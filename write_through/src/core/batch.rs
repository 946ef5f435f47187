//! The `find_many` plan: ids grouped by distinct key, what each key's `GET_OR_LEASE_MANY` reply
//! means, and what follows its database load (fill our lease, release it, or nothing), with how
//! a duplicate id gets its own copy of the answer.

use std::collections::HashMap;
use std::time::Duration;

use crate::core::policy::ValueRules;
use crate::core::read::{self, CachedState, Uncached};
use crate::envelope::Unreadable;
use crate::model::Cached;

/// The ids of a batch grouped by distinct key.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Grouping {
    /// For each id, the index of its distinct key.
    pub(crate) slot_of: Vec<usize>,
    /// For each distinct key, the position of its first id.
    pub(crate) firsts: Vec<usize>,
}

/// Groups the keys of a batch, in the order of their first appearance.
pub(crate) fn group(keys: &[Vec<u8>]) -> Grouping {
    let mut distinct: HashMap<&[u8], usize> = HashMap::with_capacity(keys.len());
    let mut firsts: Vec<usize> = Vec::new();
    let slot_of = keys
        .iter()
        .enumerate()
        .map(|(position, key)| {
            *distinct.entry(key.as_slice()).or_insert_with(|| {
                firsts.push(position);
                firsts.len() - 1
            })
        })
        .collect();
    Grouping { slot_of, firsts }
}

/// What Redis said about one distinct key.
#[derive(Debug)]
pub(crate) enum Seen {
    /// The bytes under the key.
    Value(Vec<u8>),
    /// The key was empty and now holds our lease.
    Leased,
    /// No answer (Redis down, a key never cached, or an empty key inside a transaction).
    Unknown,
}

/// What one distinct key needs after the look.
#[derive(Debug)]
pub(crate) enum Looked<M> {
    /// A usable row, with the bytes it was decoded from (to decode again for a duplicate).
    Hit(M, Vec<u8>),
    /// A cached absence.
    Absent,
    /// Read the database. `leased`: we hold the key's lease and may fill it. `unusable`: bytes
    /// to delete after the load, only if still the same (a writer may lock the key meanwhile).
    Load {
        /// Whether our lease is on the key.
        leased: bool,
        /// Unusable bytes under the key, and why.
        unusable: Option<(Vec<u8>, Unreadable)>,
    },
}

/// Decides what a key needs from what Redis said about it.
pub(crate) fn look<M: Cached>(seen: Seen, max_value_bytes: usize) -> Looked<M> {
    match seen {
        Seen::Value(bytes) => match read::interpret::<M>(Some(&bytes), max_value_bytes) {
            CachedState::Row(row) => Looked::Hit(row, bytes),
            CachedState::Absent => Looked::Absent,
            CachedState::Unreadable(reason) => Looked::Load {
                leased: false,
                unusable: Some((bytes, reason)),
            },
            // A lock, another reader's lease: read around it.
            _ => Looked::Load {
                leased: false,
                unusable: None,
            },
        },
        Seen::Leased => Looked::Load {
            leased: true,
            unusable: None,
        },
        Seen::Unknown => Looked::Load {
            leased: false,
            unusable: None,
        },
    }
}

/// Where a duplicate position gets its own copy of the answer (models need not be `Clone`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Copy {
    /// No row.
    Absent,
    /// Decode this envelope again.
    Encoded(Vec<u8>),
    /// Read the database again (the row could not be encoded).
    Reload,
}

/// What a loaded key sends in the settling round trip.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Settle {
    /// Fill our lease with this value (by compare: a write that started meanwhile wins).
    Fill(Vec<u8>, Duration),
    /// Free our lease: nothing to cache.
    Release,
    /// Nothing: we hold no lease on the key.
    Nothing,
}

/// After the load of a key: what to send for it, how a duplicate gets its copy, and why a
/// loaded row could not be cached (for the drivers to count).
pub(crate) fn after_load<M: Cached>(
    row: Option<&M>,
    leased: bool,
    rules: ValueRules,
) -> (Settle, Copy, Option<Uncached>) {
    match (row, leased) {
        (None, true) => match read::fill_for::<M>(None, rules) {
            Ok(Some((value, ttl))) => (Settle::Fill(value, ttl), Copy::Absent, None),
            Ok(None) => (Settle::Release, Copy::Absent, None),
            Err(uncached) => (Settle::Release, Copy::Absent, Some(uncached)),
        },
        (None, false) => (Settle::Nothing, Copy::Absent, None),
        (Some(row), true) => match read::row_value(row, rules) {
            Ok((value, ttl)) => (Settle::Fill(value.clone(), ttl), Copy::Encoded(value), None),
            Err(uncached) => (Settle::Release, Copy::Reload, Some(uncached)),
        },
        (Some(_), false) => (Settle::Nothing, Copy::Reload, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::read::tests::{RULES, Row, encoded, row};
    use crate::envelope::ABSENT;

    fn keys(names: &[&str]) -> Vec<Vec<u8>> {
        names.iter().map(|k| k.as_bytes().to_vec()).collect()
    }

    #[test]
    fn duplicate_ids_share_one_distinct_key_in_the_order_of_first_appearance() {
        assert_eq!(
            group(&keys(&["b", "a", "b", "c", "a"])),
            Grouping {
                slot_of: vec![0, 1, 0, 2, 1],
                firsts: vec![0, 1, 3],
            }
        );
    }

    #[test]
    fn a_key_we_leased_is_loaded_and_may_be_filled() {
        assert!(matches!(
            look::<Row>(Seen::Leased, usize::MAX),
            Looked::Load {
                leased: true,
                unusable: None
            }
        ));
    }

    #[test]
    fn a_key_redis_did_not_answer_is_loaded_without_a_lease() {
        assert!(matches!(
            look::<Row>(Seen::Unknown, usize::MAX),
            Looked::Load {
                leased: false,
                unusable: None
            }
        ));
    }

    #[test]
    fn unusable_bytes_are_loaded_around_and_kept_for_a_compare_and_delete() {
        let garbage = b"not an envelope".to_vec();
        match look::<Row>(Seen::Value(garbage.clone()), usize::MAX) {
            Looked::Load {
                leased: false,
                unusable: Some((bytes, _)),
            } => assert_eq!(bytes, garbage),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cached_row_is_a_hit_that_keeps_its_bytes_for_duplicates() {
        let bytes = encoded(&row());
        match look::<Row>(Seen::Value(bytes.clone()), usize::MAX) {
            Looked::Hit(found, kept) => assert_eq!((found, kept), (row(), bytes)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cached_absence_answers_without_a_load() {
        assert!(matches!(
            look::<Row>(Seen::Value(ABSENT.to_vec()), usize::MAX),
            Looked::Absent
        ));
    }

    #[test]
    fn a_row_loaded_under_our_lease_is_filled_and_duplicates_decode_the_filled_bytes() {
        let (settle, copy, uncached) = after_load(Some(&row()), true, RULES);
        assert!(uncached.is_none());
        let Settle::Fill(value, _) = settle else {
            panic!("{settle:?}")
        };
        assert_eq!(copy, Copy::Encoded(value));
    }

    #[test]
    fn a_missing_row_under_our_lease_fills_the_absent_marker() {
        let (settle, copy, uncached) = after_load::<Row>(None, true, RULES);
        assert!(uncached.is_none());
        assert!(matches!(settle, Settle::Fill(value, _) if value == ABSENT));
        assert_eq!(copy, Copy::Absent);
    }

    #[test]
    fn without_our_lease_nothing_is_filled_and_duplicates_reload() {
        let (settle, copy, _) = after_load(Some(&row()), false, RULES);
        assert_eq!((settle, copy), (Settle::Nothing, Copy::Reload));
    }

    #[test]
    fn a_row_too_large_to_cache_releases_our_lease() {
        let rules = ValueRules {
            max_value_bytes: 1,
            ..RULES
        };
        let (settle, copy, uncached) = after_load(Some(&row()), true, rules);
        assert_eq!((settle, copy), (Settle::Release, Copy::Reload));
        assert!(matches!(uncached, Some(Uncached::TooLarge { .. })));
    }
}
