//! `find_all_by_<parent>` and `find_all_by_<parent>_in`: cached collections, in the steps of
//! `find_many` (the decisions are in `core/collection.rs`).
//!
//! 1. One round trip reads every entry and every member's row (standalone Redis: one script, one
//!    instant; a cluster: entries, then rows). An entry whose rows all still belong answers.
//! 2. One round trip of leases, on the entries to fill (an empty one, or a stale one by compare)
//!    and on the members' rows that Redis does not hold.
//! 3. One query per parent Redis could not answer: its members, in order (all of them: a
//!    collection over its cap is answered whole, and not cached).
//! 4. One round trip that fills what was leased, by compare on the lease (so a write that
//!    locked an entry or a row meanwhile wins), and releases the rest.
//!
//! A warm listing is step 1 alone.

use std::time::Duration;

use crate::cache::Cache;
use crate::core::batch as grouping;
use crate::core::collection::{self as plan, CollectionPlan, CollectionState};
use crate::core::read as protocol;
use crate::envelope;
use crate::error::Error;
use crate::key;
use crate::model_collection::{Collection, collection_key};
use crate::redis::commands::{self, Exec};
use crate::stats::Event;
use crate::token::Token;

use super::db::LoadMembers;
use super::key_of;

/// What one distinct parent needs after step 1.
struct Pending {
    /// The entry's lease wanted (with the bytes it must still hold), and whether it was taken.
    entry_lease: Option<Option<Vec<u8>>>,
    entry_leased: bool,
    /// The members' rows to lease, each with whether it was taken.
    rows: Vec<(Vec<u8>, bool)>,
}

/// Reads the collections `N` of `parents`; results are in the order of `parents`, duplicates
/// included.
pub(crate) async fn find_all_by<'a, M, const N: usize, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    parents: Vec<M::Parent<'a>>,
) -> Result<Vec<Vec<M>>, Error>
where
    M: Collection<N>,
    D: LoadMembers<M, N>,
    E: Exec,
{
    let inner = cache.inner();
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    let counters = &inner.store.counters;
    let keys: Vec<Vec<u8>> = parents
        .iter()
        .map(|&parent| collection_key::<M, N>(&inner.namespace, parent))
        .collect();
    let grouping::Grouping { slot_of, firsts } = grouping::group(&keys);
    let distinct: Vec<&[u8]> = firsts.iter().map(|&p| keys[p].as_slice()).collect();
    let parent_of = |slot: usize| parents[firsts[slot]];
    let row_key_of = |row: &M| key_of::<M>(inner, row.id());

    // Step 1: entries and their members' rows. Over-long keys are never cached.
    let cacheable: Vec<&[u8]> = distinct.iter().copied().filter(|k| key::fits(k)).collect();
    let mut read = if cacheable.is_empty() {
        Ok(Vec::new())
    } else {
        commands::read_collections(e, &cacheable).await
    }
    .map(Vec::into_iter);
    let states: Vec<CollectionState<M>> = (0..distinct.len())
        .map(|slot| {
            if !key::fits(distinct[slot]) {
                return CollectionState::Unavailable;
            }
            match &mut read {
                Ok(read) => match read.next() {
                    Some((entry, rows)) => plan::interpret::<M, N>(
                        entry.as_deref(),
                        &rows.rows(),
                        parent_of(slot),
                        inner.max_value_bytes,
                        |row: &M, key: &[u8]| {
                            super::with_key_of::<M, _>(inner, row.id(), |own| own == key)
                        },
                    ),
                    None => CollectionState::Unavailable,
                },
                Err(_) => CollectionState::Unavailable,
            }
        })
        .collect();

    // What each distinct parent needs.
    let inside_transaction = db.inside_transaction();
    let mut answers: Vec<Option<Vec<M>>> = Vec::with_capacity(distinct.len());
    let mut pending: Vec<Option<Pending>> = Vec::with_capacity(distinct.len());
    for state in states {
        match (plan::plan(&state, inside_transaction), state) {
            (CollectionPlan::Answer, CollectionState::Hit(rows)) => {
                counters.record(Event::Hit, M::MODEL_NAME);
                answers.push(Some(rows));
                pending.push(None);
            }
            (CollectionPlan::LeaseAndLoad { replacing, rows }, _) => {
                answers.push(None);
                pending.push(Some(Pending {
                    entry_lease: Some(replacing),
                    entry_leased: false,
                    rows: rows.into_iter().map(|key| (key, false)).collect(),
                }));
            }
            (_, _) => {
                answers.push(None);
                pending.push(Some(Pending {
                    entry_lease: None,
                    entry_leased: false,
                    rows: Vec::new(),
                }));
            }
        }
    }

    // Step 2: the leases, in one round trip.
    let lease = envelope::token_value(true, Token::new().as_bytes());
    let mut wanted: Vec<(&[u8], Option<&[u8]>)> = Vec::new();
    for (slot, need) in pending.iter().enumerate() {
        let Some(need) = need else { continue };
        if let Some(replacing) = &need.entry_lease {
            wanted.push((distinct[slot], replacing.as_deref()));
        }
        for (row_key, _) in &need.rows {
            wanted.push((row_key.as_slice(), None));
        }
    }
    let taken = commands::lease_each(e, &wanted, &lease, inner.lease_ttl)
        .await
        .unwrap_or_default();
    let mut taken = taken.into_iter();
    for need in pending.iter_mut().flatten() {
        if need.entry_lease.is_some() {
            need.entry_leased = taken.next().unwrap_or(false);
        }
        for (_, leased) in &mut need.rows {
            *leased = taken.next().unwrap_or(false);
        }
    }

    // Step 3: the database, one query per parent Redis could not answer.
    let to_load: Vec<usize> = (0..distinct.len())
        .filter(|&slot| pending[slot].is_some())
        .collect();
    let mut loaded: Vec<(usize, Vec<M>)> = Vec::with_capacity(to_load.len());
    for &slot in &to_load {
        counters.record(Event::Miss, M::MODEL_NAME);
        match db.load_members(parent_of(slot)).await {
            Ok(rows) => loaded.push((slot, rows)),
            Err(error) => {
                release(e, &lease, &distinct, &pending).await;
                return Err(error);
            }
        }
        crate::pause::reach(crate::pause::FIND_LOADED, distinct[slot]);
    }

    // Step 4: fill what was leased, release the rest.
    let rules = inner.value_rules();
    let mut fills: Vec<(&[u8], Vec<u8>, Duration)> = Vec::new();
    let mut releases: Vec<&[u8]> = Vec::new();
    for (slot, rows) in loaded {
        let need = pending[slot]
            .as_ref()
            .expect("a parent to load has its needs");
        if rows.len() > M::MAX_MEMBERS {
            counters.record(Event::CollectionTooLarge, M::MODEL_NAME);
            tracing::debug!(
                model = M::MODEL_NAME,
                collection = M::COLLECTION_NAME,
                max = M::MAX_MEMBERS,
                "a collection larger than its cap is read from the database and not cached"
            );
        }
        // Rendered once, for the entry and for the rows leased.
        let row_keys: Vec<Vec<u8>> = rows.iter().map(row_key_of).collect();
        // Rows found under another spelling of the parent (a case- or pad-insensitive
        // collation) belong to the collection of their own spelling: answered, not cached.
        let aliased = rows.iter().any(|row| !row.has_parent(parent_of(slot)));
        if need.entry_leased && aliased {
            releases.push(distinct[slot]);
        } else if need.entry_leased {
            match plan::entry_fill::<M, N>(&rows, &row_keys, rules) {
                Some((value, ttl)) => fills.push((distinct[slot], value, ttl)),
                None => releases.push(distinct[slot]),
            }
        }
        for (row_key, leased) in &need.rows {
            if !leased {
                continue;
            }
            let fill = row_keys
                .iter()
                .position(|loaded| loaded == row_key)
                .and_then(|at| {
                    super::noted::<M>(inner, protocol::row_value(&rows[at], rules).map(Some))
                });
            match fill {
                Some((value, ttl)) => fills.push((row_key.as_slice(), value, ttl)),
                None => releases.push(row_key.as_slice()),
            }
        }
        answers[slot] = Some(rows);
    }
    if !db.loads_may_fill() {
        // The loads ran inside a transaction after all: release what was leased.
        releases.extend(fills.drain(..).map(|(key, _, _)| key));
    }
    if !(fills.is_empty() && releases.is_empty())
        && let Ok(filled) = commands::settle_many(e, &lease, &fills, &releases, &[]).await
    {
        for filled in filled {
            let event = if filled {
                Event::Fill
            } else {
                Event::FillRefused
            };
            counters.record(event, M::MODEL_NAME);
        }
    }

    // The answers, in the order of `parents`: a parent asked for more than once gets copies,
    // the last one the rows themselves.
    let mut left = vec![0usize; distinct.len()];
    for &slot in &slot_of {
        left[slot] += 1;
    }
    let mut results = Vec::with_capacity(parents.len());
    for (position, &slot) in slot_of.iter().enumerate() {
        left[slot] -= 1;
        let rows = if left[slot] == 0 {
            answers[slot].take().unwrap_or_default()
        } else {
            let rows = answers[slot].as_deref().unwrap_or_default();
            match copies(rows) {
                Some(copies) => copies,
                None => db.load_members(parents[position]).await?,
            }
        };
        results.push(rows);
    }
    Ok(results)
}

/// Copies of `rows`: clones for a `Clone` model, else decoded from their encoding (`None` when
/// one does not decode again).
fn copies<M: Collection<N>, const N: usize>(rows: &[M]) -> Option<Vec<M>> {
    rows.iter()
        .map(|row| {
            row.clone_row().or_else(|| {
                let bytes = crate::codec::encode_cacheable(row).ok()?;
                match protocol::interpret::<M>(Some(&bytes), usize::MAX) {
                    protocol::CachedState::Row(copy) => Some(copy),
                    _ => None,
                }
            })
        })
        .collect()
}

/// Frees every lease taken in step 2 (after a database error).
async fn release(e: &impl Exec, lease: &[u8], distinct: &[&[u8]], pending: &[Option<Pending>]) {
    let mut releases: Vec<&[u8]> = Vec::new();
    for (slot, need) in pending.iter().enumerate() {
        let Some(need) = need else { continue };
        if need.entry_leased {
            releases.push(distinct[slot]);
        }
        releases.extend(
            need.rows
                .iter()
                .filter(|(_, leased)| *leased)
                .map(|(key, _)| key.as_slice()),
        );
    }
    if !releases.is_empty() {
        let _ = commands::settle_many(e, lease, &[], &releases, &[]).await;
    }
}
