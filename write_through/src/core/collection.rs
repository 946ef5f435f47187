//! Cached collections (`find_all_by_<parent>`), apart from I/O: what a collection's entry (whose
//! key is `model_collection::collection_key`) and its members' rows mean to a reader, and what a
//! reader fills after the database answered.
//!
//! An entry holds the *members* of one parent's collection: each child's row key, in the
//! collection's order, with the value its order column had. The rows themselves are the row
//! protocol's (a row's own update never touches a collection). A reader reads the entry and
//! every member's row together (one script on one Redis) and answers only when every row is
//! cached, still names the parent, and still has the order value the entry remembers.
//!
//! What must never be stale is membership:
//! - *A child that joins* the collection (created, saved or moved under the parent): every write
//!   that gives a row a parent locks that parent's entry with the row, and deletes it after the
//!   commit (an update through a form, which learns the parent from the row it returns,
//!   deletes it after the commit). A reader's lease on the entry is then lost, so a member list
//!   read from the database before the commit is never filled after it.
//! - *A child that leaves* (deleted, or moved to another parent): the write need not know the
//!   old parent. The leaving row's key is locked, deleted or republished with its new parent,
//!   so the next reader of the old entry finds a member whose row is not cached, is absent, or
//!   names another parent, and reads the collection again.
//!
//! Read in one script, the entry and the rows are one instant of Redis: members added since the
//! entry was written would have deleted it, and members gone since show in their rows. So an
//! answer is the collection as it was at that instant.

use std::time::Duration;

use crate::core::policy::ValueRules;
use crate::core::read::{self, CachedState};
use crate::envelope::{self, Envelope, Member};
use crate::model_collection::Collection;

/// What an entry, and its members' rows, mean to a reader of `parent`'s collection.
#[derive(Debug)]
pub(crate) enum CollectionState<M> {
    /// Every member's row is cached and still belongs where the entry puts it.
    Hit(Vec<M>),
    /// A plausible entry some of whose members' rows Redis does not hold in a usable form (not
    /// cached, a writer's lock, a reader's lease, unreadable bytes).
    RowsMissing {
        /// The entry's bytes, to replace by compare.
        entry: Vec<u8>,
        /// The keys of the members' rows that are empty (a reader may lease them).
        empty_rows: Vec<Vec<u8>>,
    },
    /// A member left (its row is absent, names another parent or has another order value), or
    /// the bytes are unusable: replace the entry.
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

/// Interprets an entry and its members' rows (`rows[i]` is what the `i`-th member's key held,
/// in the entry's order); never panics, whatever the bytes. `is_key_of(row, key)` says whether
/// `key` is `row`'s key.
pub(crate) fn interpret<M: Collection<N>, const N: usize>(
    entry: Option<&[u8]>,
    rows: &[Option<&[u8]>],
    parent: M::Parent<'_>,
    max_value_bytes: usize,
    is_key_of: impl Fn(&M, &[u8]) -> bool,
) -> CollectionState<M> {
    let Some(entry) = entry else {
        return CollectionState::Empty;
    };
    let stale = || CollectionState::Stale {
        entry: entry.to_vec(),
    };
    if entry.len() > max_value_bytes {
        return stale();
    }
    let members = match Envelope::parse(entry) {
        Ok(Envelope::Members { body }) => match envelope::members(body) {
            Some(members) => members,
            None => return stale(),
        },
        Ok(Envelope::Lock { .. } | Envelope::Lease { .. })
        | Err(envelope::Unreadable::UnknownVersion) => {
            return CollectionState::Held;
        }
        // A row, a pointer, an absence, or bytes that are not ours, under a collection's key.
        Ok(_) | Err(_) => return stale(),
    };
    if members.len() != rows.len() {
        // The script read another entry than this one (it cannot), or a reply was cut short.
        return CollectionState::Unavailable;
    }
    let mut found = Vec::with_capacity(members.len());
    let mut empty_rows = Vec::new();
    let mut missing = false;
    // One buffer for every member's order value.
    let mut order = Vec::new();
    for (member, row) in members.iter().zip(rows) {
        match read::interpret::<M>(*row, max_value_bytes) {
            CachedState::Row(row)
                if belongs::<M, N>(&row, member, parent, &is_key_of, &mut order) =>
            {
                found.push(row);
            }
            // The member left: deleted, moved to another parent, or its order changed.
            CachedState::Row(_) | CachedState::Absent => return stale(),
            CachedState::Empty => {
                missing = true;
                empty_rows.push(member.row_key.to_vec());
            }
            CachedState::Held { .. }
            | CachedState::Writing
            | CachedState::Contended
            | CachedState::Unreadable(_)
            | CachedState::Unavailable => missing = true,
        }
    }
    if missing {
        return CollectionState::RowsMissing {
            entry: entry.to_vec(),
            empty_rows,
        };
    }
    CollectionState::Hit(found)
}

/// Whether `row`, cached under `member`'s key, is still that member of `parent`'s collection.
/// `order` is a buffer to render its order value into.
fn belongs<M: Collection<N>, const N: usize>(
    row: &M,
    member: &Member<'_>,
    parent: M::Parent<'_>,
    is_key_of: &impl Fn(&M, &[u8]) -> bool,
    order: &mut Vec<u8>,
) -> bool {
    if !(row.has_parent(parent) && is_key_of(row, member.row_key)) {
        return false;
    }
    *order = crate::model_collection::render_order::<M, N>(row, std::mem::take(order));
    *order == member.order
}

/// What a reader of a collection does after looking in Redis.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CollectionPlan {
    /// Answer from the cache (the caller keeps the rows of the hit).
    Answer,
    /// Read the database and leave Redis alone: a writer holds the entry, another reader is
    /// filling it, Redis is down, or the connection is inside a transaction.
    LoadWithoutFill,
    /// Lease the entry (only when it still holds `replacing`, or is empty when that is `None`)
    /// and each of `rows` (only when empty); read the database; fill what was leased.
    LeaseAndLoad {
        /// The entry's bytes as read, to replace by compare.
        replacing: Option<Vec<u8>>,
        /// Members' row keys that Redis does not hold: filled from the same read.
        rows: Vec<Vec<u8>>,
    },
}

/// Decides a read from the entry's state and whether the connection is inside a transaction.
pub(crate) fn plan<M>(state: &CollectionState<M>, inside_transaction: bool) -> CollectionPlan {
    match state {
        CollectionState::Hit(_) => CollectionPlan::Answer,
        _ if inside_transaction => CollectionPlan::LoadWithoutFill,
        CollectionState::Empty => CollectionPlan::LeaseAndLoad {
            replacing: None,
            rows: Vec::new(),
        },
        CollectionState::Stale { entry } => CollectionPlan::LeaseAndLoad {
            replacing: Some(entry.clone()),
            rows: Vec::new(),
        },
        // The entry is probably right, but rows must be read anyway: lease those that are
        // empty too, so that they are filled from the same read.
        CollectionState::RowsMissing { entry, empty_rows } => CollectionPlan::LeaseAndLoad {
            replacing: Some(entry.clone()),
            rows: empty_rows.clone(),
        },
        CollectionState::Held | CollectionState::Unavailable => CollectionPlan::LoadWithoutFill,
    }
}

/// What a lease holder fills in the entry after reading `loaded`, the collection's rows in its
/// order, whose keys are `keys` (one each): its members, living as long as a row. `None`: the
/// collection is larger than its cap (or its entry than the largest value read, or a member's
/// key too long to cache), and is not cached.
pub(crate) fn entry_fill<M: Collection<N>, const N: usize>(
    loaded: &[M],
    keys: &[Vec<u8>],
    rules: ValueRules,
) -> Option<(Vec<u8>, Duration)> {
    // A member whose key is too long to cache is never locked by its writers: a list naming it
    // could be answered with a row nothing retires.
    if loaded.len() > M::MAX_MEMBERS || !keys.iter().all(|key| crate::key::fits(key)) {
        return None;
    }
    let orders: Vec<Vec<u8>> = loaded
        .iter()
        .map(|row| crate::model_collection::render_order::<M, N>(row, Vec::new()))
        .collect();
    let value = envelope::members_value(
        keys.iter()
            .zip(&orders)
            .map(|(row_key, order)| Member { row_key, order }),
    );
    if value.len() > rules.max_value_bytes {
        return None;
    }
    Some((value, rules.jitter.apply(M::TTL)))
}

/// What a committed write that leaves its row (under `row_key`) in a collection puts back in
/// that collection's entry, which its lock replaced (`replaced`, empty for nothing or a lease,
/// with the time it had left: `core::write::restoration`):
/// the entry as it was when it listed the row, since the write added no member (a `save` that
/// kept the row's parent, the most common write of a child). Anything else (no entry, a lease,
/// an entry without the row: the row joined) is deleted. Another writer that joined a row
/// meanwhile made the lock contended, so nothing is put back over it; a member whose order
/// value this write changed is found stale by the next reader.
pub(crate) fn kept_entry(
    replaced: &[u8],
    left: Duration,
    row_key: &[u8],
) -> Option<(Vec<u8>, Duration)> {
    let Ok(Envelope::Members { body }) = Envelope::parse(replaced) else {
        return None;
    };
    let listed = envelope::members(body)?
        .iter()
        .any(|member| member.row_key == row_key);
    (listed && !left.is_zero()).then(|| (replaced.to_vec(), left))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::KeyWriter;
    use crate::model::Cached;
    use std::time::Duration;

    /// A child row: `id`, its parent, and the value it is ordered by.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Child {
        id: i64,
        parent: Option<i64>,
        rank: i32,
    }

    impl Cached for Child {
        type Id<'a> = &'a i64;
        const MODEL_NAME: &'static str = "Child";
        const KEY_TEMPLATE: &'static str = "child:{id}";
        const TTL: Duration = Duration::from_secs(60);
        const NEGATIVE_TTL: Option<Duration> = None;
        const SCHEMA_FINGERPRINT: u64 = 11;
        fn id(&self) -> &i64 {
            &self.id
        }
        fn write_key(id: &i64, key: &mut KeyWriter) {
            key.literal("child:");
            key.part(id);
        }
        crate::model::rows_by_serde!();
    }

    impl Collection<0> for Child {
        type Parent<'a> = &'a i64;
        const COLLECTION_NAME: &'static str = "parent";
        const MAX_MEMBERS: usize = 2;
        fn parent(&self) -> Option<&i64> {
            self.parent.as_ref()
        }
        fn has_parent(&self, parent: &i64) -> bool {
            self.parent.as_ref() == Some(parent)
        }
        fn write_parent(parent: &i64, key: &mut KeyWriter) {
            key.part(parent);
        }
        fn write_order(&self, key: &mut KeyWriter) {
            key.part(&self.rank);
        }
    }

    fn key_of(row: &Child) -> Vec<u8> {
        let mut key = KeyWriter::new("wt");
        Child::write_key(&row.id, &mut key);
        key.into_bytes()
    }

    fn child(id: i64, parent: i64, rank: i32) -> Child {
        Child {
            id,
            parent: Some(parent),
            rank,
        }
    }

    fn rules() -> ValueRules {
        ValueRules {
            jitter: crate::core::policy::Jitter::NONE,
            max_value_bytes: usize::MAX,
        }
    }

    /// The entry a reader filled from `rows`, and each row as cached.
    fn cached(rows: &[Child]) -> (Vec<u8>, Vec<Option<Vec<u8>>>) {
        let (entry, _) = entry_fill::<Child, 0>(rows, &keys_of(rows), rules()).unwrap();
        let values = rows
            .iter()
            .map(|row| Some(crate::codec::encode_cacheable(row).unwrap()))
            .collect();
        (entry, values)
    }

    fn keys_of(rows: &[Child]) -> Vec<Vec<u8>> {
        rows.iter().map(key_of).collect()
    }

    fn is_key_of(row: &Child, key: &[u8]) -> bool {
        key_of(row) == key
    }

    fn state(entry: &[u8], rows: &[Option<Vec<u8>>], parent: i64) -> CollectionState<Child> {
        let rows: Vec<Option<&[u8]>> = rows.iter().map(Option::as_deref).collect();
        interpret::<Child, 0>(Some(entry), &rows, &parent, usize::MAX, is_key_of)
    }

    #[test]
    fn an_entry_whose_rows_all_still_belong_answers_in_its_order() {
        let rows = [child(2, 7, 1), child(1, 7, 2)];
        let (entry, values) = cached(&rows);
        match state(&entry, &values, 7) {
            CollectionState::Hit(found) => assert_eq!(found, rows),
            other => panic!("expected a hit, got {other:?}"),
        }
        assert_eq!(
            plan(&state(&entry, &values, 7), true),
            CollectionPlan::Answer
        );
    }

    #[test]
    fn an_empty_collection_is_cached_and_answers() {
        let (entry, values) = cached(&[]);
        assert!(
            matches!(state(&entry, &values, 7), CollectionState::Hit(found) if found.is_empty())
        );
    }

    #[test]
    fn a_member_that_moved_deleted_or_reordered_makes_the_entry_stale() {
        let rows = [child(2, 7, 1), child(1, 7, 2)];
        let (entry, mut values) = cached(&rows);
        let moved = crate::codec::encode_cacheable(&child(1, 8, 2)).unwrap();
        let reordered = crate::codec::encode_cacheable(&child(1, 7, 0)).unwrap();
        for replaced in [moved, reordered, crate::envelope::ABSENT.to_vec()] {
            values[1] = Some(replaced);
            match state(&entry, &values, 7) {
                CollectionState::Stale { entry: bytes } => assert_eq!(bytes, entry),
                other => panic!("expected stale, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_member_not_cached_is_leased_with_the_entry_and_a_held_one_is_not() {
        let rows = [child(2, 7, 1), child(1, 7, 2)];
        let (entry, mut values) = cached(&rows);
        values[0] = None;
        values[1] = Some(crate::envelope::token_value(false, &[9; 16]));
        let found = state(&entry, &values, 7);
        assert_eq!(
            plan(&found, false),
            CollectionPlan::LeaseAndLoad {
                replacing: Some(entry.clone()),
                rows: vec![key_of(&rows[0])],
            }
        );
        assert_eq!(plan(&found, true), CollectionPlan::LoadWithoutFill);
    }

    #[test]
    fn another_parents_entry_is_not_an_answer() {
        let (entry, values) = cached(&[child(2, 7, 1)]);
        assert!(matches!(
            state(&entry, &values, 8),
            CollectionState::Stale { .. }
        ));
    }

    #[test]
    fn a_locked_or_leased_entry_is_read_around_and_garbage_replaced() {
        let lock = crate::envelope::token_value(false, &[1; 16]);
        assert!(matches!(state(&lock, &[], 7), CollectionState::Held));
        assert!(matches!(
            state(b"garbage", &[], 7),
            CollectionState::Stale { .. }
        ));
        assert!(matches!(
            interpret::<Child, 0>(None, &[], &7, usize::MAX, is_key_of),
            CollectionState::Empty
        ));
    }

    #[test]
    fn a_write_that_leaves_its_row_in_a_collection_puts_the_entry_back_and_one_that_adds_it_does_not()
     {
        let rows = [child(2, 7, 1)];
        let (entry, _) = cached(&rows);
        let left = Duration::from_secs(30);
        assert_eq!(
            kept_entry(&entry, left, &key_of(&rows[0])),
            Some((entry.clone(), left))
        );
        assert_eq!(kept_entry(&entry, left, &key_of(&child(3, 7, 1))), None);
        assert_eq!(kept_entry(&entry, Duration::ZERO, &key_of(&rows[0])), None);
        let lease = crate::envelope::token_value(true, &[1; 16]);
        assert_eq!(kept_entry(&lease, left, &key_of(&rows[0])), None);
        assert_eq!(kept_entry(&[], left, &key_of(&rows[0])), None);
    }

    #[test]
    fn a_collection_naming_a_row_whose_key_is_too_long_to_cache_is_not_cached() {
        let rows = [child(1, 7, 1)];
        let mut keys = keys_of(&rows);
        keys[0].resize(crate::key::MAX_KEY_BYTES + 1, b'x');
        assert!(entry_fill::<Child, 0>(&rows, &keys, rules()).is_none());
    }

    #[test]
    fn a_collection_over_its_cap_is_not_cached() {
        let rows = [child(1, 7, 1), child(2, 7, 2), child(3, 7, 3)];
        assert!(entry_fill::<Child, 0>(&rows, &keys_of(&rows), rules()).is_none());
        assert!(entry_fill::<Child, 0>(&rows[..2], &keys_of(&rows[..2]), rules()).is_some());
    }
}
