//! `find_by_<field>` and `find_many_by_<field>`: rows by a unique index, in the steps of
//! `find_many` (the decisions are in `core/index.rs`).
//!
//! 1. One round trip reads every entry and, for each pointer, the row it names (standalone
//!    Redis: one script; a cluster: entries, then rows). A pointer whose row still has the
//!    value answers.
//! 2. One round trip of leases, on the entries to fill (an empty one, or a stale pointer by
//!    compare) and on the rows a plausible pointer names that Redis does not hold.
//! 3. One query per [`LOAD_MANY_CHUNK`] values for everything Redis could not answer.
//! 4. One round trip that fills what was leased, by compare on the lease (so a write that
//!    locked an entry or a row meanwhile wins), and releases the rest.
//!
//! A warm lookup is step 1 alone.

use std::collections::HashMap;
use std::time::Duration;

use crate::cache::Cache;
use crate::core::batch::{self as grouping};
use crate::core::index::{self as plan, EntryPlan, EntryState};
use crate::core::read::{self as protocol, CachedState};
use crate::envelope;
use crate::error::Error;
use crate::key;
use crate::model::UniqueIndex;
use crate::redis::commands::{self, Exec};
use crate::stats::Event;
use crate::token::Token;

use super::batch::LOAD_MANY_CHUNK;
use super::db::LoadBy;
use super::key_of;

/// What one distinct value needs after step 1.
struct Pending {
    /// Leases wanted: the entry (with the bytes it must still hold) and the row's key.
    entry_lease: Option<Option<Vec<u8>>>,
    row_lease: Option<Vec<u8>>,
    /// Whether each lease was taken.
    entry_leased: bool,
    row_leased: bool,
}

/// Reads the rows whose index `N` has `values`; results are in the order of `values`,
/// duplicates included.
pub(crate) async fn find_many_by<'a, M, const N: usize, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    values: Vec<M::Value<'a>>,
) -> Result<Vec<Option<M>>, Error>
where
    M: UniqueIndex<N>,
    D: LoadBy<M, N>,
    E: Exec,
{
    let inner = cache.inner();
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let counters = &inner.store.counters;
    let keys: Vec<Vec<u8>> = values
        .iter()
        .map(|&value| crate::model::entry_key::<M, N>(&inner.namespace, value))
        .collect();
    let grouping::Grouping { slot_of, firsts } = grouping::group(&keys);
    let distinct: Vec<&[u8]> = firsts.iter().map(|&p| keys[p].as_slice()).collect();
    let value_of = |slot: usize| values[firsts[slot]];
    let row_key_of = |row: &M| key_of::<M>(inner, row.id());

    // Step 1: entries and the rows they point at. Over-long keys are never cached.
    let cacheable: Vec<&[u8]> = distinct.iter().copied().filter(|k| key::fits(k)).collect();
    let mut read = if cacheable.is_empty() {
        Ok(Vec::new())
    } else {
        commands::read_entries(e, &cacheable).await
    }
    .map(Vec::into_iter);
    let states: Vec<EntryState<M>> = (0..distinct.len())
        .map(|slot| {
            if !key::fits(distinct[slot]) {
                return EntryState::Unavailable;
            }
            match &mut read {
                Ok(pairs) => match pairs.next() {
                    Some((entry, row)) => plan::interpret::<M, N>(
                        entry.as_deref(),
                        row.as_deref(),
                        value_of(slot),
                        inner.max_value_bytes,
                        row_key_of,
                    ),
                    None => EntryState::Unavailable,
                },
                Err(_) => EntryState::Unavailable,
            }
        })
        .collect();

    // What each distinct value needs.
    let inside_transaction = db.inside_transaction();
    let mut answers: Vec<Option<Option<M>>> = Vec::with_capacity(distinct.len());
    let mut pending: Vec<Option<Pending>> = Vec::with_capacity(distinct.len());
    for state in states {
        match (plan::plan(&state, inside_transaction), state) {
            (EntryPlan::Answer, EntryState::Hit(row)) => {
                counters.record(Event::Hit, M::MODEL_NAME);
                answers.push(Some(Some(row)));
                pending.push(None);
            }
            (EntryPlan::Answer, _) => {
                counters.record(Event::NegativeHit, M::MODEL_NAME);
                answers.push(Some(None));
                pending.push(None);
            }
            (EntryPlan::LoadWithoutFill, _) => {
                answers.push(None);
                pending.push(Some(Pending {
                    entry_lease: None,
                    row_lease: None,
                    entry_leased: false,
                    row_leased: false,
                }));
            }
            (EntryPlan::LeaseAndLoad { replacing, row_key }, _) => {
                answers.push(None);
                pending.push(Some(Pending {
                    entry_lease: Some(replacing),
                    row_lease: row_key,
                    entry_leased: false,
                    row_leased: false,
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
        if let Some(row_key) = &need.row_lease {
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
        if need.row_lease.is_some() {
            need.row_leased = taken.next().unwrap_or(false);
        }
    }

    // Step 3: the database, for every value Redis could not answer.
    let to_load: Vec<usize> = (0..distinct.len())
        .filter(|&slot| pending[slot].is_some())
        .collect();
    let mut loaded: HashMap<Vec<u8>, M> = HashMap::with_capacity(to_load.len());
    let mut strays = 0usize;
    for chunk in to_load.chunks(LOAD_MANY_CHUNK) {
        for _ in chunk {
            counters.record(Event::Miss, M::MODEL_NAME);
        }
        let chunk_values: Vec<M::Value<'a>> = chunk.iter().map(|&slot| value_of(slot)).collect();
        let rows = match chunk_values.as_slice() {
            [single] => db
                .load_by(*single)
                .await
                .map(|row| row.into_iter().collect()),
            many => db.load_many_by(many).await,
        };
        let rows: Vec<M> = match rows {
            Ok(rows) => rows,
            Err(error) => {
                release(e, &lease, &distinct, &pending).await;
                return Err(error);
            }
        };
        for row in rows {
            match row.index_value() {
                Some(value) => {
                    let key = crate::model::entry_key::<M, N>(&inner.namespace, value);
                    loaded.insert(key, row);
                }
                None => strays += 1,
            }
        }
    }
    // A row that matches no requested value exactly was found under another spelling of one
    // (a case- or pad-insensitive collation). Values that found nothing exactly are then
    // ambiguous: asking again for them alone tells an absence from an alias.
    let matched = to_load
        .iter()
        .filter(|&&slot| loaded.contains_key(distinct[slot]))
        .count();
    let mut aliased = strays > 0 || matched < loaded.len();
    let unmatched: Vec<M::Value<'a>> = to_load
        .iter()
        .filter(|&&slot| !loaded.contains_key(distinct[slot]))
        .map(|&slot| value_of(slot))
        .collect();
    if !aliased && matched > 0 && !unmatched.is_empty() {
        for chunk in unmatched.chunks(LOAD_MANY_CHUNK) {
            match db.load_many_by(chunk).await {
                Ok(rows) => aliased |= !rows.is_empty(),
                Err(error) => {
                    release(e, &lease, &distinct, &pending).await;
                    return Err(error);
                }
            }
        }
    }

    for &slot in &to_load {
        crate::pause::reach(crate::pause::FIND_LOADED, distinct[slot]);
    }

    // Step 4: fill what was leased, release the rest.
    let rules = inner.value_rules();
    let mut fills: Vec<(&[u8], Vec<u8>, Duration)> = Vec::new();
    let mut releases: Vec<&[u8]> = Vec::new();
    for &slot in &to_load {
        let need = pending[slot]
            .as_ref()
            .expect("a value to load has its needs");
        let row = loaded.remove(distinct[slot]);
        if row.is_none() && aliased {
            // Not cached under this spelling; the database answers it alone.
            if need.entry_leased {
                releases.push(distinct[slot]);
            }
            if let (true, Some(row_key)) = (need.row_leased, &need.row_lease) {
                releases.push(row_key);
            }
            match db.load_by(value_of(slot)).await {
                Ok(row) => answers[slot] = Some(row),
                Err(error) => {
                    let _ = commands::settle_many(e, &lease, &[], &releases, &[]).await;
                    release(e, &lease, &distinct, &pending).await;
                    return Err(error);
                }
            }
            continue;
        }
        let loaded_key = row.as_ref().map(row_key_of);
        if need.entry_leased {
            match plan::entry_fill::<M, N>(
                row.as_ref(),
                value_of(slot),
                loaded_key.as_deref(),
                rules,
            ) {
                Some((value, ttl)) => fills.push((distinct[slot], value, ttl)),
                None => releases.push(distinct[slot]),
            }
        }
        if let (true, Some(row_key)) = (need.row_leased, &need.row_lease) {
            let fill = match &row {
                Some(row) if loaded_key.as_deref() == Some(row_key.as_slice()) => {
                    super::noted::<M>(inner, protocol::row_value(row, rules).map(Some))
                }
                _ => None,
            };
            match fill {
                Some((value, ttl)) => fills.push((row_key, value, ttl)),
                None => releases.push(row_key),
            }
        }
        answers[slot] = Some(row);
    }
    if !db.loads_may_fill() {
        // The loads ran inside a transaction after all: release what was leased.
        releases.extend(fills.drain(..).map(|(key, _, _)| key));
    }
    if !(fills.is_empty() && releases.is_empty()) {
        if let Ok(filled) = commands::settle_many(e, &lease, &fills, &releases, &[]).await {
            for filled in filled {
                let event = if filled {
                    Event::Fill
                } else {
                    Event::FillRefused
                };
                counters.record(event, M::MODEL_NAME);
            }
        }
    }

    // The answers, in the order of `values`; a duplicate value gets a copy of the row.
    let mut copies: Vec<Option<Vec<u8>>> = vec![None; distinct.len()];
    let mut results = Vec::with_capacity(values.len());
    for (position, &slot) in slot_of.iter().enumerate() {
        let answer = match answers[slot].take() {
            Some(first) => {
                if firsts[slot] == position && slot_of.iter().filter(|&&s| s == slot).count() > 1 {
                    copies[slot] = first
                        .as_ref()
                        .and_then(|row| crate::codec::encode_cacheable(row).ok());
                }
                first
            }
            None => match copies[slot]
                .as_deref()
                .map(|bytes| protocol::interpret::<M>(Some(bytes), usize::MAX))
            {
                Some(CachedState::Row(row)) => Some(row),
                _ => db.load_by(values[position]).await?,
            },
        };
        results.push(answer);
    }
    Ok(results)
}

/// Frees every lease taken in step 2 (after a database error).
async fn release(e: &impl Exec, lease: &[u8], distinct: &[&[u8]], pending: &[Option<Pending>]) {
    let mut releases: Vec<&[u8]> = Vec::new();
    for (slot, need) in pending.iter().enumerate() {
        let Some(need) = need else { continue };
        if need.entry_leased {
            releases.push(distinct[slot]);
        }
        if let (true, Some(row_key)) = (need.row_leased, &need.row_lease) {
            releases.push(row_key);
        }
    }
    if !releases.is_empty() {
        let _ = commands::settle_many(e, lease, &[], &releases, &[]).await;
    }
}
