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
//!
//! For cached collections (the scenarios with parents, `core/collection.rs`):
//!
//! - (a) a listing of a parent is linearizable: the rows it returns (which members, and each
//!   member's version) are the database's members of that parent at some instant between the
//!   listing's start and its return, in the collection's order. [`Listing`] keeps, until the
//!   answer is known, the memberships the database had since the start (the explorer tells it
//!   of each commit), then the answer and whether one of those instants, or a later one before
//!   the return, had it. The feed's window applies as above: a listing that starts between a
//!   commit by hand and the end of the feed's first delivery of it (its new parent's
//!   collection and its row's key) may return the members as they were just before that
//!   commit, or at any instant since ([`History::window`]). So may a listing that starts while
//!   an `update` through a form is between its commit and its return (it retires its new
//!   parent's collection only after its commit). This is stronger than the per-key rule (a
//!   write's instant is its commit, not any point of its call), so the collection scenarios
//!   let the clock tick, and Redis restart, only while no library write holds locks: a lock
//!   lost mid-write lets a row be read stale within the write's call, which the per-key rule
//!   allows and this one would not;
//! - (b) when every actor is done, each collection entry Redis holds lists every member the
//!   database has under its parent (a child that joins always retires the entry), and what a
//!   reader would answer from it and its members' rows is exactly the database's members: an
//!   entry may still list a child that left (readers find that out from the child's row), but
//!   then that row is not cached naming the parent, and the reader reloads. A lock or a lease
//!   expires, as for rows;
//! - (c) a listing returns only committed versions of rows under its parent.

use super::db_model::{Db, VersionInfo, Versions, bit, show_versions};
use super::item::{Item, parent_id, parent_name};
use super::redis_model::Redis;
use crate::core::collection::{self, CollectionState};
use crate::core::read::{CachedState, interpret};

/// What the history of writes says about each version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct History {
    /// Versions whose write returned (`Ok` or not); the initial versions from the start.
    pub(crate) returned: Versions,
    /// Versions some write superseded: it started after their write returned and returned
    /// `Ok`. A read that starts later may not return them.
    pub(crate) superseded: Versions,
    /// Collections only: the database's states (each key's version) from just before the
    /// earliest open window's commit (by hand, until the feed's first delivery of it ends; an
    /// `update` through a form's, until it returns) to now; empty when none is open. A listing
    /// that starts meanwhile may return the members of any of them.
    pub(crate) window: Vec<Vec<u8>>,
    /// The commits whose window is open (by version), each with where in `window` the state
    /// just before it is.
    pub(crate) open: Vec<(u8, usize)>,
}

impl History {
    pub(crate) fn new(initial: Versions) -> Self {
        Self {
            returned: initial,
            superseded: 0,
            window: Vec::new(),
            open: Vec::new(),
        }
    }

    /// Collections: a write by hand of `version` is about to commit over the database's
    /// `before`; its window opens.
    pub(crate) fn open_window(&mut self, version: u8, before: &[u8]) {
        if self.window.last().map(Vec::as_slice) != Some(before) {
            self.window.push(before.to_vec());
        }
        self.open.push((version, self.window.len() - 1));
    }

    /// Collections: the database changed to `rows` (any commit).
    pub(crate) fn record(&mut self, rows: &[u8]) {
        if !self.open.is_empty() && self.window.last().map(Vec::as_slice) != Some(rows) {
            self.window.push(rows.to_vec());
        }
    }

    /// Collections: the feed's first delivery of the write by hand of `version` ended; its
    /// window closes (the states before the next open
    /// one's start are dropped).
    pub(crate) fn close_window(&mut self, version: u8) {
        self.open.retain(|&(v, _)| v != version);
        match self.open.iter().map(|&(_, at)| at).min() {
            None => self.window.clear(),
            Some(first) => {
                self.window.drain(..first);
                for (_, at) in &mut self.open {
                    *at -= first;
                }
            }
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

/// What a listing of one parent needs to be judged when it returns (a, c).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Listing {
    /// Until its answer is known: the parent's memberships the database had from the start
    /// (and in an open feed window, since just before the commit by hand), sorted.
    Seen(Vec<Versions>),
    /// Its answer (the versions returned), and whether the database had exactly those members
    /// at an instant since the start.
    Answered { answer: Versions, matched: bool },
}

impl Listing {
    /// A listing of parent `p` starts.
    pub(crate) fn start(history: &History, table: &[VersionInfo], db: &Db, p: usize) -> Self {
        let mut seen = Listing::Seen(Vec::new());
        seen.observe(db.members(table, p));
        for rows in &history.window {
            let then = Db {
                rows: rows.clone(),
                ever: db.ever,
            };
            seen.observe(then.members(table, p));
        }
        seen
    }

    /// The database now has `members` under the parent.
    pub(crate) fn observe(&mut self, members: Versions) {
        match self {
            Listing::Seen(seen) => {
                if let Err(at) = seen.binary_search(&members) {
                    seen.insert(at, members);
                }
            }
            Listing::Answered { answer, matched } => *matched |= *answer == members,
        }
    }

    /// The listing of parent `p` knows its answer, `rows`: (c) each is a committed version of
    /// a row under `p`, in the collection's order (the keys'), and it is judged against the
    /// memberships seen so far.
    pub(crate) fn answer(
        &mut self,
        table: &[VersionInfo],
        db: &Db,
        p: usize,
        rows: &[Item],
    ) -> Result<(), String> {
        let name = parent_name(parent_id(p));
        let mut answer = 0;
        for (i, row) in rows.iter().enumerate() {
            let known = table.get(usize::from(row.version)).is_some_and(|info| {
                info.row
                    && i64::try_from(info.key).is_ok_and(|k| k + 1 == row.id)
                    && info.parent.map(usize::from) == Some(p)
                    && row.parent == Some(parent_id(p))
            });
            if !known || db.ever & bit(row.version) == 0 {
                return Err(format!(
                    "(c) a listing of {name} returned v{}, which never committed under {name}",
                    row.version
                ));
            }
            if i > 0 && rows[i - 1].id >= row.id {
                return Err(format!(
                    "(a) a listing of {name} returned its members out of order (or twice)"
                ));
            }
            answer |= bit(row.version);
        }
        let matched = match self {
            Listing::Seen(seen) => seen.contains(&answer),
            Listing::Answered { .. } => unreachable!("one answer per listing"),
        };
        *self = Listing::Answered { answer, matched };
        Ok(())
    }

    /// (a) when the listing of parent `p` returns.
    pub(crate) fn returned(&self, p: usize) -> Result<(), String> {
        match *self {
            Listing::Answered { matched: true, .. } => Ok(()),
            Listing::Answered { answer, .. } => Err(format!(
                "(a) a listing of {} returned {}, which the database never had under it \
                 between the listing's start and its return",
                parent_name(parent_id(p)),
                show_versions(answer)
            )),
            Listing::Seen(_) => unreachable!("a listing returns its answer"),
        }
    }
}

/// (b) for collections, when every actor is done: `collections[p]` is parent `p`'s key.
pub(crate) fn check_final_collections(
    collections: &[Vec<u8>],
    table: &[VersionInfo],
    redis: &Redis,
    db: &Db,
) -> Result<(), String> {
    use crate::envelope::{Envelope, members};
    for (p, key) in collections.iter().enumerate() {
        let Some(stored) = redis.keys.get(key) else {
            continue;
        };
        let name = parent_name(parent_id(p));
        let listed: Vec<Vec<u8>> = match Envelope::parse(&stored.value) {
            Ok(Envelope::Members { body }) => members(body)
                .unwrap_or_default()
                .iter()
                .map(|m| m.row_key.to_vec())
                .collect(),
            Ok(Envelope::Lock { .. } | Envelope::Lease { .. }) if stored.expires.is_some() => {
                continue;
            }
            _ => {
                return Err(format!(
                    "(b) at the end the collection of {name} holds {} that never expires",
                    super::redis_model::describe(&stored.value)
                ));
            }
        };
        for (k, _) in db.load_members(table, p) {
            if !listed.contains(&super::item::key(i64::try_from(k).unwrap_or(0) + 1)) {
                return Err(format!(
                    "(b) at the end the collection of {name} misses key {k}, which the database \
                     has under {name}"
                ));
            }
        }
        let (entry, rows) = redis.read_collection(key);
        let rows: Vec<Option<&[u8]>> = rows.iter().map(Option::as_deref).collect();
        let state = collection::interpret::<Item, 0>(
            entry.as_deref(),
            &rows,
            &parent_id(p),
            usize::MAX,
            |row: &Item, key: &[u8]| super::item::key(row.id) == key,
        );
        if let CollectionState::Hit(found) = state {
            let answer = found.iter().fold(0, |m, row| m | bit(row.version));
            let members = db.members(table, p);
            if answer != members {
                return Err(format!(
                    "(b) at the end the collection of {name} answers {} but the database has {}",
                    show_versions(answer),
                    show_versions(members)
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
            .map(|row| VersionInfo {
                key: 0,
                row,
                parent: None,
            })
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
        Some(Item {
            id: 1,
            version,
            parent: None,
        })
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
