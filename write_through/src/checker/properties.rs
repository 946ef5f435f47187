//! The properties, checked as the explorer goes (never over a stored history: each read
//! takes, when it starts, the little it needs to be judged when it returns).
//!
//! - (a) per-key linearizability of reads against writes, the rule of
//!   `tests/src/history.rs::stale_reads`: a read may return the value of write `S` only if
//!   `S` committed and no write `W` started after `S` returned and returned `Ok` before the
//!   read started. "No row" is a value too, written by each delete (and by the initial
//!   state when there is no row), so a read of "no row" needs one such source that is not
//!   superseded either. [`History`] keeps, per version, whether it returned and whether a
//!   later write superseded it; a read copies the superseded set when it starts.
//!
//!   One exception, documented: a write by hand that leaves the cache to the change feed
//!   (`feed.rs`) returns at its commit, but Redis hears of it only at the feed's first
//!   invalidation of its key. A read that starts in between may return what a read that
//!   started just before the commit could (the previous committed version, or any of the
//!   versions a read could then return, when concurrent writes left several): the versions
//!   that write supersedes join the superseded set at that invalidation, not at the commit.
//!   Nothing else is relaxed. A read that starts after the invalidation is judged by the rule
//!   above. The write's own version counts as returned from its commit, so a library write
//!   that starts after the commit and returns `Ok` supersedes it, and what came before it,
//!   as usual (its lock replaced whatever the key held). A write by hand supersedes nothing
//!   it did not supersede at its commit either: what returned between its commit and its
//!   invalidation is not in the set it started with.
//! - (b) when every actor is done, every key holds its row's current version, the absent
//!   marker when there is no row, or something that expires into a miss (a lock, a lease)
//!   (guarantee 6);
//! - (c) in every state, a cached row is a version the database committed, and a cached
//!   absence stands for a committed "no row" (guarantee 5); a read never returns an
//!   uncommitted version;
//! - (d) where a scenario says so (one failing writer, readers that can only hit), the cache
//!   at the end is the cache at the start (guarantee 1).

use super::db_model::{Db, VersionInfo, Versions, bit};
use super::item::Item;
use super::redis_model::Redis;
use crate::core::read::{CachedState, interpret};

/// What the history of writes says about each version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct History {
    /// Versions whose write returned (`Ok` or not); the initial versions from the start.
    pub(crate) returned: Versions,
    /// Versions some write superseded: it started after their write returned and returned
    /// `Ok`. A read that starts later may not return them.
    pub(crate) superseded: Versions,
}

impl History {
    pub(crate) fn new(initial: Versions) -> Self {
        Self {
            returned: initial,
            superseded: 0,
        }
    }

    /// A write starts: the versions of its keys whose writes have returned, which it will
    /// supersede if it returns `Ok`.
    pub(crate) fn write_started(&self, of_its_keys: Versions) -> Versions {
        self.returned & of_its_keys
    }

    /// A write by hand commits, and returns: its version is returned from here. What it
    /// supersedes (`write_started` at the same step) waits for
    /// [`invalidated_by_the_feed`](Self::invalidated_by_the_feed).
    pub(crate) fn committed_by_hand(&mut self, version: Versions) {
        self.returned |= version;
    }

    /// The change feed invalidates the key of a write by hand: what the write superseded when
    /// it committed (`before_it`) is superseded from now on. Reads that started before keep
    /// the set they copied: they overlapped the window.
    pub(crate) fn invalidated_by_the_feed(&mut self, before_it: Versions) {
        self.superseded |= before_it;
    }

    /// A write returns.
    pub(crate) fn write_returned(&mut self, versions: Versions, ok: bool, before_it: Versions) {
        self.returned |= versions;
        if ok {
            self.superseded |= before_it;
        }
    }
}

/// The versions of key `key` in the scenario's table.
pub(crate) fn of_key(table: &[VersionInfo], key: usize) -> Versions {
    table
        .iter()
        .enumerate()
        .filter(|(_, info)| info.key == key)
        .fold(0, |m, (v, _)| m | bit(v as u8))
}

/// (a) and (c) for a read of `key` that started when `forbidden` was superseded and returned
/// `answer`.
pub(crate) fn check_read(
    table: &[VersionInfo],
    db: &Db,
    key: usize,
    forbidden: Versions,
    answer: Option<Item>,
) -> Result<(), String> {
    if let Some(item) = answer {
        let known = table
            .get(usize::from(item.version))
            .is_some_and(|info| info.key == key && info.row);
        if !known || db.ever & bit(item.version) == 0 {
            return Err(format!(
                "(c) a read returned v{}, which never committed",
                item.version
            ));
        }
    }
    let candidates = table
        .iter()
        .enumerate()
        .filter(|(v, info)| {
            let v = *v as u8;
            info.key == key
                && db.ever & bit(v) != 0
                && forbidden & bit(v) == 0
                && match answer {
                    Some(item) => info.row && item.version == v,
                    None => !info.row,
                }
        })
        .count();
    if candidates == 0 {
        let what = answer.map_or("no row".to_string(), |i| format!("v{}", i.version));
        return Err(format!(
            "(a) stale read of key {key}: returned {what}, superseded before the read started"
        ));
    }
    Ok(())
}

/// The version a cached value stands for: `Some(Some(v))` a row, `Some(None)` an absence,
/// `None` a lock, a lease or anything else that is not an answer.
fn cached(value: &[u8]) -> Option<Option<u8>> {
    match interpret::<Item>(Some(value), usize::MAX) {
        CachedState::Row(item) => Some(Some(item.version)),
        CachedState::Absent => Some(None),
        _ => None,
    }
}

/// (c), in every state.
pub(crate) fn check_state(
    keys: &[Vec<u8>],
    table: &[VersionInfo],
    redis: &Redis,
    db: &Db,
) -> Result<(), String> {
    for (k, key) in keys.iter().enumerate() {
        let Some(entry) = redis.keys.get(key) else {
            continue;
        };
        match cached(&entry.value) {
            Some(Some(v)) => {
                let belongs = table
                    .get(usize::from(v))
                    .is_some_and(|info| info.key == k && info.row);
                if !belongs || db.ever & bit(v) == 0 {
                    return Err(format!("(c) key {k} caches v{v}, which never committed"));
                }
            }
            Some(None) => {
                let absences = table
                    .iter()
                    .enumerate()
                    .any(|(v, info)| info.key == k && !info.row && db.ever & bit(v as u8) != 0);
                if !absences {
                    return Err(format!(
                        "(c) key {k} caches an absence, but no row was ever absent"
                    ));
                }
            }
            None => {}
        }
    }
    Ok(())
}

/// (b), when every actor is done.
pub(crate) fn check_final(
    keys: &[Vec<u8>],
    table: &[VersionInfo],
    redis: &Redis,
    db: &Db,
) -> Result<(), String> {
    for (k, key) in keys.iter().enumerate() {
        let Some(entry) = redis.keys.get(key) else {
            continue;
        };
        let row = db.rows[k];
        let row_exists = table[usize::from(row)].row;
        match cached(&entry.value) {
            Some(Some(v)) if row_exists && v == row => {}
            Some(None) if !row_exists => {}
            Some(found) => {
                let found = found.map_or("an absence".to_string(), |v| format!("v{v}"));
                return Err(format!(
                    "(b) at the end key {k} caches {found} but the database holds v{row}"
                ));
            }
            None if entry.expires.is_some() => {}
            None => {
                return Err(format!(
                    "(b) at the end key {k} holds a lock or lease that never expires"
                ));
            }
        }
    }
    Ok(())
}

/// (d): the cache at the end is the cache at the start.
pub(crate) fn check_unchanged(initial: &Redis, now: &Redis) -> Result<(), String> {
    let values = |r: &Redis| -> Vec<(Vec<u8>, Vec<u8>)> {
        r.keys
            .iter()
            .map(|(k, e)| (k.clone(), e.value.clone()))
            .collect()
    };
    if values(initial) == values(now) {
        Ok(())
    } else {
        Err(format!(
            "(d) a failed write changed the cache: it was {initial}, it is {now}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// v0 the initial row, v1 a save, v2 a delete, all of key 0.
    fn table() -> Vec<VersionInfo> {
        [true, true, false]
            .into_iter()
            .map(|row| VersionInfo { key: 0, row })
            .collect()
    }

    fn db(ever: &[u8], row: u8) -> Db {
        let mut db = Db::new(&[0]);
        for &v in ever {
            db.commit(0, v);
        }
        db.rows[0] = row;
        db
    }

    fn item(version: u8) -> Option<Item> {
        Some(Item { id: 1, version })
    }

    #[test]
    fn a_read_of_a_version_superseded_before_it_started_is_stale() {
        let db = db(&[1], 1);
        assert!(check_read(&table(), &db, 0, bit(0), item(0)).is_err());
        assert!(
            check_read(&table(), &db, 0, 0, item(0)).is_ok(),
            "concurrent"
        );
        assert!(check_read(&table(), &db, 0, bit(0), item(1)).is_ok());
    }

    #[test]
    fn a_read_of_no_row_needs_a_delete_not_superseded() {
        let db = db(&[1], 1);
        assert!(
            check_read(&table(), &db, 0, bit(0), None).is_err(),
            "no delete"
        );
        let db = self::db(&[1, 2], 2);
        assert!(check_read(&table(), &db, 0, bit(0), None).is_ok());
        assert!(check_read(&table(), &db, 0, bit(0) | bit(2), None).is_err());
    }

    #[test]
    fn a_read_of_a_version_that_never_committed_breaks_c() {
        let db = db(&[], 0);
        let broken = check_read(&table(), &db, 0, 0, item(1)).unwrap_err();
        assert!(broken.starts_with("(c)"), "{broken}");
    }

    #[test]
    fn the_history_supersedes_what_returned_before_a_write_started() {
        let mut history = History::new(bit(0));
        let before = history.write_started(bit(0) | bit(1));
        history.write_returned(bit(1), true, before);
        assert_eq!(history.superseded, bit(0));
        let before = history.write_started(bit(0) | bit(1) | bit(2));
        history.write_returned(bit(2), false, before);
        assert_eq!(
            history.superseded,
            bit(0),
            "a failed write supersedes nothing"
        );
    }

    #[test]
    fn a_write_by_hand_supersedes_at_the_feeds_invalidation_not_at_its_commit() {
        let mut history = History::new(bit(0));
        let db = db(&[1], 1);
        let before = history.write_started(bit(0) | bit(1) | bit(2));
        history.committed_by_hand(bit(1));
        // In the window: the previous version may still be read, the new one too.
        let in_the_window = history.superseded;
        assert!(check_read(&table(), &db, 0, in_the_window, item(0)).is_ok());
        assert!(check_read(&table(), &db, 0, in_the_window, item(1)).is_ok());
        history.invalidated_by_the_feed(before);
        // After the invalidation: only the new one.
        let after = history.superseded;
        assert!(check_read(&table(), &db, 0, after, item(0)).is_err());
        assert!(check_read(&table(), &db, 0, after, item(1)).is_ok());
        // The window began at the commit: a library write that started after it and returned
        // Ok before the invalidation supersedes the write by hand's version at once.
        let mut history = History::new(bit(0));
        let by_hand = history.write_started(bit(0) | bit(1) | bit(2));
        history.committed_by_hand(bit(1));
        let library = history.write_started(bit(0) | bit(1) | bit(2));
        history.write_returned(bit(2), true, library);
        assert_eq!(history.superseded, bit(0) | bit(1));
        history.invalidated_by_the_feed(by_hand);
        assert_eq!(history.superseded, bit(0) | bit(1));
    }
}
