//! The database: the committed version of each row (or none), and every version that ever
//! committed. A write's database action is one atomic step whose outcome the scenario lets
//! vary: it commits, it does not commit (a rollback, a refused statement, a conflict), or its
//! outcome is unknown to the client (it committed, or not, but the client saw an error).
//! A transaction's writes are buffered by its actor and become visible at its commit step.

use std::fmt;

/// Versions are small integers; sets of them are bit masks.
pub(crate) type Versions = u32;

pub(crate) fn bit(version: u8) -> Versions {
    1 << version
}

/// What a version leaves in the database: a row, or no row (a delete).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct VersionInfo {
    /// The index of the row's key in the scenario's keys (row id = index + 1).
    pub(crate) key: usize,
    /// Whether the version is a row (a save) or its absence (a delete, or no initial row).
    pub(crate) row: bool,
    /// The parent of the row (the collection scenarios' children), by index (`None`: in no
    /// collection, and for an absence).
    pub(crate) parent: Option<u8>,
}

/// The committed state.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Db {
    /// Per key, the committed version.
    pub(crate) rows: Vec<u8>,
    /// Every version that ever committed, the initial ones included.
    pub(crate) ever: Versions,
}

/// How a database write ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Outcome {
    /// Committed, and the client knows it.
    Commit,
    /// Certainly not committed (rollback, refused statement, conflict).
    NotCommitted,
    /// The statement returned its row, then its commit was refused (a deferred constraint
    /// checked at `COMMIT`, a serialization failure): nothing committed, and the client learns
    /// it only by reading the statement's results to the end. In a transaction, the `COMMIT`
    /// itself fails.
    RefusedAfterRow,
    /// Committed, but the client saw an error (a lost connection at `COMMIT`).
    UnknownCommitted,
    /// Not committed, and the client saw an error that proves nothing.
    UnknownNotCommitted,
    /// MySQL after a deadlock inside a transaction: the transaction rolled back, the session
    /// went on outside it (its later statements autocommitted), and the client saw the end
    /// of the transaction succeed or fail as if nothing had committed. Only for transactions.
    SessionWentOn,
}

impl Outcome {
    pub(crate) fn commits(self) -> bool {
        matches!(
            self,
            Outcome::Commit | Outcome::UnknownCommitted | Outcome::SessionWentOn
        )
    }
}

impl Db {
    pub(crate) fn new(initial: &[u8]) -> Self {
        Self {
            rows: initial.to_vec(),
            ever: initial.iter().fold(0, |m, &v| m | bit(v)),
        }
    }

    /// Commits `version` to its key.
    pub(crate) fn commit(&mut self, key: usize, version: u8) {
        self.rows[key] = version;
        self.ever |= bit(version);
    }

    /// The members of parent `p`'s collection now: the versions of the rows whose parent is
    /// `p` (each names its key, so the set is the members and their values).
    pub(crate) fn members(&self, table: &[VersionInfo], p: usize) -> Versions {
        self.rows
            .iter()
            .filter(|&&v| {
                let info = table[usize::from(v)];
                info.row && info.parent.map(usize::from) == Some(p)
            })
            .fold(0, |m, &v| m | bit(v))
    }

    /// The rows `members` loads, in the collection's order (the keys').
    pub(crate) fn load_members(&self, table: &[VersionInfo], p: usize) -> Vec<(usize, u8)> {
        let members = self.members(table, p);
        self.rows
            .iter()
            .enumerate()
            .filter(|&(_, &v)| members & bit(v) != 0)
            .map(|(k, &v)| (k, v))
            .collect()
    }
}

/// A set of versions, readably: `{v0 v3}`.
pub(crate) fn show_versions(versions: Versions) -> String {
    let names: Vec<String> = (0..32u8)
        .filter(|&v| versions & bit(v) != 0)
        .map(|v| format!("v{v}"))
        .collect();
    format!("{{{}}}", names.join(" "))
}

impl fmt::Display for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<String> = self.rows.iter().map(|v| format!("v{v}")).collect();
        write!(f, "[{}]", rows.join(", "))
    }
}
