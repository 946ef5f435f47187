//! Redis, as the protocol uses it: a map key -> (bytes, expiry tick) and, per script, exactly
//! what the Lua in `redis/scripts.rs` does (each script is one atomic step, as in Redis).
//!
//! Time is a logical tick that the explorer advances as a step of its own; a TTL in
//! milliseconds becomes `ceil(ms / TICK_MS)` ticks (at least one), so with the checker's
//! settings a lock (10 s), a lease (2 s) and a cached absence (5 s) live one tick and a row
//! (60 s) six. `PTTL` answers in milliseconds, as Redis does, so the real
//! `core::write::restoration` computes what a restore puts back.
//!
//! [`Mutation`] breaks one compare on purpose (or, for the writer, the reading of its
//! statement's outcome); the mutation tests assert the checker then finds a counterexample.

use std::collections::BTreeMap;
use std::fmt;

/// The length of one tick, in milliseconds.
pub(crate) const TICK_MS: i64 = 10_000;

/// A deliberate bug in the model of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Mutation {
    /// The scripts as written.
    None,
    /// `PUBLISH` sets (or deletes) whatever the key holds, without comparing with its lock.
    PublishWithoutCompare,
    /// `FILL` sets the value whether or not the reader's lease is still there.
    FillWithoutLease,
    /// Not a script's: the writer takes its statement's first row for its outcome, so a
    /// commit refused after the row ([`Outcome::RefusedAfterRow`](super::db_model::Outcome))
    /// is published as committed (diesel-async's `get_result` did this; issue 19).
    PublishOnFirstRow,
    /// The change feed's invalidation deletes the key only when it holds a cached value (a
    /// row, an absence): a reader's lease stays, so a fill that read the database before the
    /// commit by hand still lands, after the invalidation that was to stop it. (A lock is
    /// still made contended, as the script does.) `cache.invalidate` keeps the script.
    FeedDeletesOnlyValues,
    /// The change feed leaves every key a library write marked in place (`feed::mark`), instead
    /// of only one that holds the write's lock or the value it publishes: a value a reader filled
    /// after the writer's lock expired stays, should the writer die before its publish.
    MarkKeepsAnything,
    /// Not a script's: the change feed delivers a commit's invalidation as soon as the commit
    /// is in the log, before readers can see it (MariaDB writes a transaction to its binlog
    /// before InnoDB commits it; PostgreSQL decodes a commit that waits for a synchronous
    /// standby), instead of waiting until it is visible (`feed::run::wait_visible`,
    /// `feed::binlog::session::wait_visible`).
    FeedBeforeVisible,
    /// Not a script's: `save` locks only the row's key, not its new parent's collection, and so
    /// does not delete the collection after its commit: a member list a reader loaded before the
    /// commit is filled after it, missing the child that joined.
    CollectionWriteSkipsLock,
    /// Not a script's: a reader of a collection answers from the entry as soon as every member's
    /// row is cached, without checking that each row still names the parent (`belongs` in
    /// `core/collection.rs`): a child that moved away is still listed.
    CollectionReaderTrustsMembers,
    /// Not a script's: after its commit a `save` puts back whatever members entry its lock
    /// replaced (`core::collection::kept_entry` without its check that the entry listed the
    /// row): a child that joined is missing from the entry put back.
    CollectionKeptWithoutTheRow,
}

/// One key's value and the tick at which it expires (`None`: never).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Entry {
    pub(crate) value: Vec<u8>,
    pub(crate) expires: Option<u32>,
}

/// The whole Redis: the logical time and the keys alive at that time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Redis {
    pub(crate) now: u32,
    pub(crate) keys: BTreeMap<Vec<u8>, Entry>,
}

const LOCK_PREFIX: &[u8] = b"WT\x01";
const CONTENDED: &[u8] = b"WT\x01\x05";

/// The scripts' `is_lock`: a lock (kind 3) or a contended lock (kind 5).
fn is_lock(value: Option<&[u8]>) -> bool {
    value.is_some_and(|v| v.starts_with(LOCK_PREFIX) && v.len() >= 4 && (v[3] == 3 || v[3] == 5))
}

fn is_contended(value: Option<&[u8]>) -> bool {
    value.is_some_and(|v| v.starts_with(CONTENDED))
}

/// The scripts' `token`: what follows the 4-byte header.
fn token(lock: &[u8]) -> &[u8] {
    lock.get(4..).unwrap_or_default()
}

fn ticks(ms: i64) -> u32 {
    u32::try_from(((ms.max(1)) + TICK_MS - 1) / TICK_MS).unwrap_or(u32::MAX)
}

impl Redis {
    /// `GET key`.
    pub(crate) fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.keys.get(key).map(|e| e.value.clone())
    }

    fn current(&self, key: &[u8]) -> Option<&[u8]> {
        self.keys.get(key).map(|e| e.value.as_slice())
    }

    /// `PTTL key`: -2 no key, -1 no expiry, else milliseconds.
    pub(crate) fn pttl(&self, key: &[u8]) -> i64 {
        match self.keys.get(key) {
            None => -2,
            Some(Entry { expires: None, .. }) => -1,
            Some(Entry {
                expires: Some(at), ..
            }) => i64::from(at - self.now) * TICK_MS,
        }
    }

    /// `SET key value PX ms`.
    pub(crate) fn set_px(&mut self, key: &[u8], value: Vec<u8>, ms: i64) {
        let expires = Some(self.now + ticks(ms));
        self.keys.insert(key.to_vec(), Entry { value, expires });
    }

    /// `DEL key`.
    pub(crate) fn del(&mut self, key: &[u8]) {
        self.keys.remove(key);
    }

    /// The passing of one tick: every key whose time is up goes.
    pub(crate) fn tick(&mut self) {
        self.now += 1;
        let now = self.now;
        self.keys.retain(|_, e| e.expires.is_none_or(|at| at > now));
    }

    /// Redis restarts empty (no persistence).
    pub(crate) fn restart(&mut self) {
        self.keys.clear();
    }

    /// The prelude's `contend`.
    fn contend(&mut self, key: &[u8], tokens: &[u8], ttl: i64) {
        let mut value = CONTENDED.to_vec();
        value.extend_from_slice(tokens);
        self.set_px(key, value, ttl.max(1));
    }

    /// The prelude's `leave`: the writer's token leaves a contended lock; the last one out
    /// deletes the key; a writer not on the list changes nothing.
    fn leave(&mut self, key: &[u8], contended: &[u8], lock: &[u8]) {
        let mine = token(lock);
        let holders = &contended[4..];
        for i in (0..holders.len()).step_by(16) {
            if holders.get(i..i + 16) == Some(mine) {
                let mut rest = holders[..i].to_vec();
                rest.extend_from_slice(holders.get(i + 16..).unwrap_or_default());
                if rest.is_empty() {
                    self.del(key);
                } else {
                    let pttl = self.pttl(key);
                    self.contend(key, &rest, pttl);
                }
                return;
            }
        }
    }

    /// `LOCK`: returns what the lock replaced, its PTTL, and whether it became contended.
    pub(crate) fn lock(
        &mut self,
        key: &[u8],
        lock: &[u8],
        ttl: i64,
    ) -> (Option<Vec<u8>>, i64, bool) {
        let old = self.get(key);
        let pttl = self.pttl(key);
        if is_contended(old.as_deref()) {
            let mut tokens = old.as_deref().unwrap()[4..].to_vec();
            tokens.extend_from_slice(token(lock));
            self.contend(key, &tokens, pttl.max(ttl));
            return (old, pttl, true);
        } else if is_lock(old.as_deref()) {
            let mut tokens = token(old.as_deref().unwrap()).to_vec();
            tokens.extend_from_slice(token(lock));
            self.contend(key, &tokens, pttl.max(ttl));
            return (old, pttl, true);
        }
        self.set_px(key, lock.to_vec(), ttl);
        (old, pttl, false)
    }

    /// `PUBLISH`: 1 set, 2 the writer's own lock deleted, 0 otherwise. An empty `value`
    /// publishes a deletion.
    pub(crate) fn publish(
        &mut self,
        key: &[u8],
        lock: &[u8],
        value: &[u8],
        ttl: i64,
        mutation: Mutation,
    ) -> i64 {
        let current = self.get(key);
        if current.as_deref() == Some(lock) || mutation == Mutation::PublishWithoutCompare {
            if value.is_empty() {
                self.del(key);
                return 2;
            }
            self.set_px(key, value.to_vec(), ttl);
            return 1;
        }
        if is_contended(current.as_deref()) {
            self.leave(key, current.as_deref().unwrap(), lock);
        } else if is_lock(current.as_deref()) {
            let pttl = self.pttl(key);
            self.contend(key, token(current.as_deref().unwrap()), pttl);
        } else {
            self.del(key);
        }
        0
    }

    /// `RESTORE`: `left` 0 deletes instead of putting `previous` back.
    pub(crate) fn restore(&mut self, key: &[u8], lock: &[u8], previous: &[u8], left: u64) -> i64 {
        let current = self.get(key);
        if current.as_deref() == Some(lock) {
            if left == 0 {
                self.del(key);
            } else {
                self.set_px(
                    key,
                    previous.to_vec(),
                    i64::try_from(left).unwrap_or(i64::MAX),
                );
            }
            return 1;
        }
        if is_contended(current.as_deref()) {
            self.leave(key, current.as_deref().unwrap(), lock);
        }
        0
    }

    /// `INVALIDATE`.
    pub(crate) fn invalidate(&mut self, key: &[u8]) -> i64 {
        let current = self.get(key);
        if is_contended(current.as_deref()) {
            return 0;
        } else if is_lock(current.as_deref()) {
            let pttl = self.pttl(key);
            self.contend(key, token(current.as_deref().unwrap()), pttl);
            return 0;
        }
        self.del(key);
        1
    }

    /// `INVALIDATE` sent by the change feed (see [`Mutation::FeedDeletesOnlyValues`]).
    pub(crate) fn feed_invalidate(&mut self, key: &[u8], mutation: Mutation) -> i64 {
        let value = self.current(key);
        let a_value_or_a_lock = value.is_none_or(|v| {
            is_lock(Some(v))
                || matches!(
                    crate::envelope::Envelope::parse(v),
                    Ok(crate::envelope::Envelope::Row { .. } | crate::envelope::Envelope::Absent)
                )
        });
        if mutation == Mutation::FeedDeletesOnlyValues && !a_value_or_a_lock {
            return 0;
        }
        self.invalidate(key)
    }

    /// `INVALIDATE_UNLESS_WRITTEN`, sent by the change feed for a key that the write holding
    /// `lock` marked as publishing `published` (the script compares SHA-1s; the model compares
    /// the values). 2 when the key is left in place.
    pub(crate) fn feed_invalidate_unless_written(
        &mut self,
        key: &[u8],
        lock: &[u8],
        published: Option<&[u8]>,
        mutation: Mutation,
    ) -> i64 {
        let kept = match self.current(key) {
            None => true,
            Some(current) => {
                current == lock
                    || published == Some(current)
                    || mutation == Mutation::MarkKeepsAnything
            }
        };
        if kept {
            return 2;
        }
        self.invalidate(key)
    }

    /// `DELETE_IF`.
    pub(crate) fn delete_if(&mut self, key: &[u8], expected: &[u8]) -> bool {
        if self.current(key) == Some(expected) {
            self.del(key);
            return true;
        }
        false
    }

    /// `READ_COLLECTIONS` for one entry key: the entry, and when it is a members list (kind 7)
    /// the value of each member's row, in the entry's order, walked as the script walks it (a
    /// length that runs past the end stops the walk). One atomic step: one instant of Redis.
    pub(crate) fn read_collection(&self, key: &[u8]) -> (Option<Vec<u8>>, Vec<Option<Vec<u8>>>) {
        let entry = self.get(key);
        let mut rows = Vec::new();
        if let Some(entry) = entry.as_deref().filter(|e| e.starts_with(b"WT\x01\x07")) {
            let length = |at: usize| -> Option<usize> {
                let bytes: [u8; 4] = entry.get(at..at + 4)?.try_into().ok()?;
                usize::try_from(u32::from_be_bytes(bytes)).ok()
            };
            let mut at = 4;
            while at < entry.len() {
                let Some(key_length) = length(at) else { break };
                let row_key = entry
                    .get(at + 4..at + 4 + key_length)
                    .or_else(|| entry.get(at + 4..))
                    .unwrap_or_default();
                at += 4 + key_length;
                let Some(order_length) = length(at) else {
                    break;
                };
                at += 4 + order_length;
                rows.push(self.get(row_key));
            }
        }
        (entry, rows)
    }

    /// `LEASE_IF`: the lease is taken only when the key holds exactly `expected` (nothing, when
    /// `None`).
    pub(crate) fn lease_if(
        &mut self,
        key: &[u8],
        lease: &[u8],
        ttl: i64,
        expected: Option<&[u8]>,
    ) -> bool {
        if self.current(key) != expected {
            return false;
        }
        self.set_px(key, lease.to_vec(), ttl);
        true
    }

    /// `SETTLE_MANY` with fills only: each key is set where `lease` is still there
    /// ([`Mutation::FillWithoutLease`]: wherever). Returns, per fill, whether it was filled.
    pub(crate) fn settle_fills(
        &mut self,
        lease: &[u8],
        fills: &[(Vec<u8>, Vec<u8>, i64)],
        mutation: Mutation,
    ) -> Vec<bool> {
        fills
            .iter()
            .map(|(key, value, ttl)| {
                let leased =
                    self.current(key) == Some(lease) || mutation == Mutation::FillWithoutLease;
                if leased {
                    self.set_px(key, value.clone(), *ttl);
                }
                leased
            })
            .collect()
    }

    /// `SETTLE_MANY` with releases only: each key is deleted where `lease` is still there.
    pub(crate) fn settle_releases(&mut self, lease: &[u8], releases: &[Vec<u8>]) {
        for key in releases {
            if self.current(key) == Some(lease) {
                self.del(key);
            }
        }
    }

    /// `FILL`.
    pub(crate) fn fill(
        &mut self,
        key: &[u8],
        lease: &[u8],
        value: &[u8],
        ttl: i64,
        mutation: Mutation,
    ) -> bool {
        if self.current(key) == Some(lease) || mutation == Mutation::FillWithoutLease {
            self.set_px(key, value.to_vec(), ttl);
            return true;
        }
        false
    }

    /// `SET key lease NX PX ttl`: whether the lease was taken.
    pub(crate) fn lease(&mut self, key: &[u8], lease: &[u8], ttl: i64) -> bool {
        if self.keys.contains_key(key) {
            return false;
        }
        self.set_px(key, lease.to_vec(), ttl);
        true
    }
}

/// A value, readably: `row v2` (`row v2 in A` for a child of parent A), `absent`,
/// `members [item:1 item:2]`, `lock W1`, `lease R1`, `contended [W1 W2]`.
pub(crate) fn describe(value: &[u8]) -> String {
    use crate::envelope::Envelope;
    match Envelope::parse(value) {
        Ok(Envelope::Row { .. }) => {
            match crate::core::read::interpret::<super::item::Item>(Some(value), usize::MAX) {
                crate::core::read::CachedState::Row(item) => match item.parent {
                    Some(parent) => {
                        format!(
                            "row v{} in {}",
                            item.version,
                            super::item::parent_name(parent)
                        )
                    }
                    None => format!("row v{}", item.version),
                },
                _ => "row ?".into(),
            }
        }
        Ok(Envelope::Absent) => "absent".into(),
        Ok(Envelope::Members { body }) => {
            let members: Vec<String> = crate::envelope::members(body)
                .unwrap_or_default()
                .iter()
                .map(|m| {
                    let key = String::from_utf8_lossy(m.row_key);
                    key.strip_prefix("wt:").unwrap_or(&key).to_string()
                })
                .collect();
            format!("members [{}]", members.join(" "))
        }
        _ if value.starts_with(CONTENDED) => {
            let names: Vec<String> = value[4..]
                .chunks(16)
                .map(super::actors::token_name)
                .collect();
            format!("contended [{}]", names.join(" "))
        }
        Ok(Envelope::Lock { .. }) => format!("lock {}", super::actors::token_name(token(value))),
        Ok(Envelope::Lease { .. }) => format!("lease {}", super::actors::token_name(token(value))),
        _ => format!("bytes {value:?}"),
    }
}

impl fmt::Display for Redis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={} {{", self.now)?;
        for (i, (key, entry)) in self.keys.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let expires = entry.expires.map_or("-".into(), |at| at.to_string());
            // A collection's key by its parent: `collection A`.
            let name = (0..8)
                .find(|&p| super::item::collection_key(p) == *key)
                .map_or_else(
                    || String::from_utf8_lossy(key).into_owned(),
                    |p| {
                        let parent = super::item::parent_name(super::item::parent_id(p));
                        format!("collection {parent}")
                    },
                );
            write!(
                f,
                "{sep}{name} = {} (expires t={expires})",
                describe(&entry.value)
            )?;
        }
        write!(f, "}}")
    }
}
