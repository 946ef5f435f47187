//! `find_many`: many rows in two Redis round trips and one database query per chunk.
//!
//! 1. One `GET_OR_LEASE_MANY` script call per 500 distinct keys, pipelined: each key's value
//!    where there is one, else a fill lease on the empty key (the lease protocol of `find`).
//! 2. One `WHERE pk IN (...)` query per [`LOAD_MANY_CHUNK`] keys that Redis could not answer.
//! 3. One round trip (`SETTLE_MANY` calls) that fills the leased keys (by compare, so a write that started meanwhile
//!    wins), releases leases with nothing to fill, and deletes unusable values.
//!
//! Inside a transaction step 1 is a plain `MGET` and step 3 is skipped: nothing read there may
//! reach the cache.

use std::collections::HashMap;

use crate::cache::{Cache, Inner};
use crate::core::batch::{self as plan, Copy, Looked, Seen, Settle};
use crate::core::read::{self as protocol, CachedState};
use crate::envelope;
use crate::error::Error;
use crate::key;
use crate::model::Cached;
use crate::redis::commands::{self, Exec};
use crate::stats::Event;
use crate::token::Token;

use super::db::Load;
use super::key_of;

/// The most primary keys one `load_many` query carries (bind parameters are limited: 65 535 on
/// PostgreSQL, 32 766 on older SQLite).
pub(crate) const LOAD_MANY_CHUNK: usize = 500;

/// How one distinct key was resolved, and how to answer it again for a duplicate id.
struct Slot<M> {
    answer: Option<Option<M>>,
    copy: Copy,
}

/// Reads many rows; results are in the order of `ids`, duplicates included.
pub(crate) async fn find_many<'a, M, D, E>(
    e: &E,
    db: &mut D,
    cache: &Cache,
    ids: Vec<M::Id<'a>>,
) -> Result<Vec<Option<M>>, Error>
where
    M: Cached,
    D: Load<M>,
    E: Exec,
{
    let inner = cache.inner();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<Vec<u8>> = ids.iter().map(|&id| key_of::<M>(inner, id)).collect();
    let plan::Grouping { slot_of, firsts } = plan::group(&keys);
    let distinct_keys: Vec<&[u8]> = firsts.iter().map(|&p| keys[p].as_slice()).collect();

    let fill = !db.inside_transaction();
    let lease = envelope::token_value(true, Token::new().as_bytes());
    // What the in-process tier answers skips Redis; the other keys carry the ticket their value
    // may be installed under (see `local/`).
    let local = inner.local_for::<M>();
    let (mut local_hits, tickets) = crate::local::look_many(local.as_ref(), &distinct_keys);
    let is_local_hit: Vec<bool> = local_hits.iter().map(Option::is_some).collect();
    // Over-long keys are never cached: they skip Redis and are read from the database.
    let cacheable: Vec<&[u8]> = distinct_keys
        .iter()
        .zip(&is_local_hit)
        .filter(|(k, hit)| key::fits(k) && !**hit)
        .map(|(k, _)| *k)
        .collect();
    let mut seen_cacheable = look_many(e, inner, &cacheable, fill.then_some(lease.as_slice()))
        .await
        .into_iter();
    let seen: Vec<Seen> = distinct_keys
        .iter()
        .zip(&mut local_hits)
        .map(|(k, local_hit)| {
            if let Some(value) = local_hit.take() {
                Seen::Value(value)
            } else if key::fits(k) {
                seen_cacheable.next().unwrap_or(Seen::Unknown)
            } else {
                Seen::Unknown
            }
        })
        .collect();

    let mut slots: Vec<Option<Slot<M>>> = Vec::with_capacity(firsts.len());
    let mut leased = vec![false; firsts.len()];
    let mut to_load: Vec<usize> = Vec::new();
    let mut unusable: Vec<(&[u8], Vec<u8>)> = Vec::new();
    let counters = &inner.store.counters;
    for (slot, seen) in seen.into_iter().enumerate() {
        match plan::look::<M>(seen, inner.max_value_bytes) {
            Looked::Hit(row, bytes) => {
                if !is_local_hit[slot] {
                    counters.record(Event::Hit, M::MODEL_NAME);
                    if let (Some(local), Some(ticket)) = (&local, tickets[slot]) {
                        local.install::<M>(distinct_keys[slot], &bytes, Some(&row), ticket);
                    }
                }
                slots.push(Some(Slot {
                    answer: Some(Some(row)),
                    copy: Copy::Encoded(bytes),
                }));
            }
            Looked::Absent => {
                if !is_local_hit[slot] {
                    counters.record(Event::NegativeHit, M::MODEL_NAME);
                    if let (Some(local), Some(ticket)) = (&local, tickets[slot]) {
                        local.install::<M>(distinct_keys[slot], &envelope::ABSENT, None, ticket);
                    }
                }
                slots.push(Some(Slot {
                    answer: Some(None),
                    copy: Copy::Absent,
                }));
            }
            Looked::Load {
                leased: lease_held,
                unusable: bytes,
            } => {
                if let Some((bytes, reason)) = bytes {
                    counters.record(Event::UnreadableValue, M::MODEL_NAME);
                    tracing::warn!(model = M::MODEL_NAME, %reason, "unusable cached value; reloading");
                    unusable.push((distinct_keys[slot], bytes));
                }
                leased[slot] = lease_held;
                counters.record(Event::Miss, M::MODEL_NAME);
                to_load.push(slot);
                slots.push(None);
            }
        }
    }

    // Step 2: one query per chunk for every key Redis could not answer.
    let mut loaded: HashMap<Vec<u8>, M> = HashMap::with_capacity(to_load.len());
    for chunk in to_load.chunks(LOAD_MANY_CHUNK) {
        let chunk_ids: Vec<M::Id<'a>> = chunk.iter().map(|&slot| ids[firsts[slot]]).collect();
        let rows = match db.load_many(&chunk_ids).await {
            Ok(rows) => rows,
            Err(error) => {
                release_all(e, &lease, &distinct_keys, &leased).await;
                return Err(error);
            }
        };
        for row in rows {
            loaded.insert(key_of::<M>(inner, row.id()), row);
        }
    }

    // Step 3: fill what we leased, release the rest, delete what was unusable.
    let mut fills: Vec<(&[u8], Vec<u8>, std::time::Duration)> = Vec::new();
    let mut fill_slots: Vec<usize> = Vec::new();
    let mut releases: Vec<&[u8]> = Vec::new();
    // Rows that match no requested key were found under another spelling of a key (a
    // case-insensitive collation): the ids that found nothing are then read one by one, and
    // neither they nor their aliases are cached.
    let matched = to_load
        .iter()
        .filter(|&&slot| loaded.contains_key(distinct_keys[slot]))
        .count();
    let mut aliased = matched < loaded.len();
    // Both spellings requested ("foo" and "FOO") match one row to one of them: the other finds
    // nothing, which would be cached as absent. Asking the database again for the ids that
    // found nothing tells a real absence (no row) from an alias (a row under another key).
    let absent: Vec<M::Id<'a>> = to_load
        .iter()
        .filter(|&&slot| !loaded.contains_key(distinct_keys[slot]))
        .map(|&slot| ids[firsts[slot]])
        .collect();
    if M::KEY_CAN_ALIAS && !aliased && matched > 0 && !absent.is_empty() {
        for chunk in absent.chunks(LOAD_MANY_CHUNK) {
            match db.load_many(chunk).await {
                Ok(rows) => aliased |= !rows.is_empty(),
                Err(error) => {
                    release_all(e, &lease, &distinct_keys, &leased).await;
                    return Err(error);
                }
            }
        }
    }
    let may_fill = db.loads_may_fill();
    for &slot in &to_load {
        let key = distinct_keys[slot];
        let row = loaded.remove(key);
        if row.is_none() && aliased {
            if leased[slot] {
                releases.push(key);
            }
            let row = match db.load(ids[firsts[slot]]).await {
                Ok(row) => row,
                Err(error) => {
                    release_all(e, &lease, &distinct_keys, &leased).await;
                    return Err(error);
                }
            };
            slots[slot] = Some(Slot {
                answer: Some(row),
                copy: Copy::Reload,
            });
            continue;
        }
        let (settle, copy, uncached) =
            plan::after_load(row.as_ref(), leased[slot], inner.value_rules());
        if let Some(uncached) = uncached {
            super::note_uncached(counters, M::MODEL_NAME, uncached);
        }
        match settle {
            // The loads ran inside a transaction after all: release what was leased.
            Settle::Fill(..) if !may_fill => releases.push(key),
            Settle::Fill(value, ttl) => {
                fills.push((key, value, ttl));
                fill_slots.push(slot);
            }
            Settle::Release => releases.push(key),
            Settle::Nothing => {}
        }
        slots[slot] = Some(Slot {
            answer: Some(row),
            copy,
        });
    }
    let unusable: Vec<(&[u8], &[u8])> = unusable
        .iter()
        .map(|(key, bytes)| (*key, bytes.as_slice()))
        .collect();
    if !(fills.is_empty() && releases.is_empty() && unusable.is_empty()) {
        if let Ok(filled) = commands::settle_many(e, &lease, &fills, &releases, &unusable).await {
            for (position, filled) in filled.into_iter().enumerate() {
                if let (true, Some(local), Some(ticket)) =
                    (filled, &local, tickets[fill_slots[position]])
                {
                    let (key, value, _) = &fills[position];
                    local.install::<M>(key, value, None, ticket);
                }
                let event = if filled {
                    Event::Fill
                } else {
                    Event::FillRefused
                };
                counters.record(event, M::MODEL_NAME);
            }
        }
    }

    // The answers, in the order of `ids`.
    let mut results = Vec::with_capacity(ids.len());
    for (position, &slot) in slot_of.iter().enumerate() {
        let slot = slots[slot]
            .as_mut()
            .expect("every distinct key was resolved");
        let answer = match slot.answer.take() {
            Some(first) => first,
            None => match &slot.copy {
                Copy::Absent => None,
                Copy::Encoded(bytes) => match protocol::interpret::<M>(Some(bytes), usize::MAX) {
                    CachedState::Row(row) => Some(row),
                    _ => db.load(ids[position]).await?,
                },
                Copy::Reload => db.load(ids[position]).await?,
            },
        };
        results.push(answer);
    }
    Ok(results)
}

/// Frees every lease taken in step 1 (after a database error).
async fn release_all(e: &impl Exec, lease: &[u8], keys: &[&[u8]], leased: &[bool]) {
    let releases: Vec<&[u8]> = keys
        .iter()
        .zip(leased)
        .filter(|(_, leased)| **leased)
        .map(|(key, _)| *key)
        .collect();
    if !releases.is_empty() {
        let _ = commands::settle_many(e, lease, &[], &releases, &[]).await;
    }
}

/// Step 1: per distinct key, its value, or (when `lease` is given and the key was empty) our
/// lease. When Redis cannot be reached every key is `Unknown` and is read from the database.
async fn look_many(
    e: &impl Exec,
    inner: &Inner,
    keys: &[&[u8]],
    lease: Option<&[u8]>,
) -> Vec<Seen> {
    if keys.is_empty() {
        return Vec::new();
    }
    let replies = match lease {
        Some(lease) => commands::get_or_lease_many(e, keys, lease, inner.lease_ttl)
            .await
            .map(|values| {
                values
                    .into_iter()
                    .map(|v| v.map_or(Seen::Leased, Seen::Value))
                    .collect::<Vec<_>>()
            }),
        None => commands::get_many(e, keys).await.map(|values| {
            values
                .into_iter()
                .map(|v| v.map_or(Seen::Unknown, Seen::Value))
                .collect()
        }),
    };
    replies.unwrap_or_else(|_| keys.iter().map(|_| Seen::Unknown).collect())
}
