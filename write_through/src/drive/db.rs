//! What the one sequence of steps needs from a database connection, whichever front drives it
//! (its futures are `Send`, so that the async front's are):
//! the blocking front's futures are ready at once (Diesel answers before they are made), the
//! async front's are diesel-async's. Errors are Diesel's own, which the core maps to outcomes.

use std::future::Future;
use std::num::NonZeroU32;

use diesel::QueryResult;

use crate::error::Error;
use crate::model::{Cached, UniqueIndex};
use crate::model_collection::Collection;

/// The connection itself: its identity and transaction state.
pub(crate) trait Conn {
    /// Identifies the connection (by address: see `shared/frames.rs`).
    fn id(&mut self) -> usize;

    /// The connection's transaction depth: `Ok(None)` outside a transaction, `Err` when its
    /// transaction state broke (it lost its server mid-transaction).
    fn depth(&mut self) -> Result<Option<NonZeroU32>, diesel::result::Error>;

    /// Whether a commit on this backend proves that the transaction's writes are in the
    /// database (false on MySQL: see `crate::guide::transactions`).
    fn commit_trusted(&self) -> bool;

    fn inside_transaction(&mut self) -> bool {
        !matches!(self.depth(), Ok(None))
    }

    /// Whether the rows of the loads so far may be cached. A connection whose transaction state
    /// is known before it loads ([`Conn::depth`]) says no there and never here; one that learns
    /// it only from the server, with its load (a shared `&AsyncPgConnection`: see
    /// `asynch/shared_pg.rs`), answers `false` once a load ran inside a transaction.
    fn loads_may_fill(&self) -> bool {
        true
    }

    /// [`Conn::depth`], with a broken transaction state reported as what it means.
    fn usable_depth(&mut self) -> Result<Option<NonZeroU32>, Error> {
        self.depth()
            .map_err(|error| Error::Database(unusable(error)))
    }
}

/// A connection that writes: transactions of the library's own and marks for the feed.
pub(crate) trait Writes: Conn {
    /// Opens a transaction of the library's own (a `create`, or a write marked for the feed).
    /// Through a pool, the connection it checks out is held until the commit or rollback; none
    /// to be had is [`Error::Unavailable`].
    fn begin(&mut self) -> impl Future<Output = Result<(), Error>> + Send;
    fn commit(&mut self) -> impl Future<Output = QueryResult<()>> + Send;
    fn rollback(&mut self) -> impl Future<Output = QueryResult<()>> + Send;

    /// Makes sure a connection is at hand for the write about to lock its keys (a pool checks
    /// one out now, so that a key is never locked while its writer waits for a connection);
    /// a connection of the caller's is at hand already. None to be had is
    /// [`Error::Unavailable`], before anything was locked.
    fn reserve(&mut self) -> impl Future<Output = Result<(), Error>> + Send {
        std::future::ready(Ok(()))
    }

    /// The write's database part is over: a pool gets its connection back (before the write
    /// publishes, so that no pooled connection waits for the publish).
    fn release(&mut self) {}

    /// Marks the connection's transaction state broken: a transaction of the library's own was
    /// left open (its future dropped before the commit or rollback returned), so the connection
    /// must not be used again (a pool discards it; the library's operations refuse it).
    fn abandon(&mut self);

    /// Whether this connection's database is PostgreSQL: it has the log the change feed reads,
    /// in which a write can be marked, and advisory locks (`drive/writers.rs`).
    fn is_postgres(&self) -> bool;

    /// Whether this connection's database is MySQL or MariaDB, whose binlog the change feed
    /// reads (the binlog feed's marks, `crate::feed::mark`).
    fn is_mysql(&self) -> bool;

    /// Runs `sql` (one `SELECT` with its literals inlined: the mark of `crate::feed::mark`, an
    /// advisory lock) in the connection's current transaction.
    fn run(&mut self, sql: String) -> impl Future<Output = QueryResult<()>> + Send;
}

/// What a connection's broken transaction state means. Diesel marks the state broken when the
/// connection lost its server (or a rollback failed), and then answers every use with
/// `BrokenTransactionManager`, "The transaction manager is broken", which reads as a bug in
/// whoever called it. It is a connection that is gone: a `ClosedConnection` that says so.
pub(crate) fn unusable(error: diesel::result::Error) -> diesel::result::Error {
    use diesel::result::{DatabaseErrorKind, Error as Diesel};
    match error {
        Diesel::BrokenTransactionManager => Diesel::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            Box::new(String::from(
                "this database connection was lost (or a rollback on it failed) in an earlier \
                 operation and cannot be used again; take a new connection",
            )),
        ),
        other => other,
    }
}

/// Reading rows of `M`. Errors are the database's, or, reading through a pool, that no
/// connection could be had ([`Error::Unavailable`]).
pub(crate) trait Load<M: Cached>: Conn {
    fn load<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's;
    fn load_many<'s, 'i: 's>(
        &'s mut self,
        ids: &'s [M::Id<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's;
}

/// Reading rows of `M` by its unique index `N` (errors as [`Load`]'s).
pub(crate) trait LoadBy<M: UniqueIndex<N>, const N: usize>: Conn {
    fn load_by<'s, 'i: 's>(
        &'s mut self,
        value: M::Value<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's;
    fn load_many_by<'s, 'i: 's>(
        &'s mut self,
        values: &'s [M::Value<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's;
}

/// Reading the members of `M`'s collection `N` of one parent, in the collection's order (errors
/// as [`Load`]'s).
pub(crate) trait LoadMembers<M: Collection<N>, const N: usize>: Conn {
    fn load_members<'s, 'i: 's>(
        &'s mut self,
        parent: M::Parent<'i>,
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's;
}

/// Reading, locked until the transaction ends, the row of `M` a write is about to replace: a
/// model whose writes retire other models' rows ([`Cached::RETIRES`]) retires those its old
/// values name too.
pub(crate) trait LoadForUpdate<M: Cached>: Writes {
    fn load_for_update<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's;
}

/// Writing a row of `M`, returning it as stored.
pub(crate) trait Upsert<M: Cached>: LoadForUpdate<M> {
    fn upsert<'s>(
        &'s mut self,
        row: &'s M,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's;
}

/// Updating the row of `M` with a given key through changes `F`, returning it as stored.
pub(crate) trait Update<M: Cached, F>: LoadForUpdate<M> {
    fn update<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
        changes: F,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's
    where
        F: 's;
}

/// Deleting a row of `M`.
pub(crate) trait Remove<M: Cached>: LoadForUpdate<M> {
    fn remove<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<usize, Error>> + Send + 's;
}

/// Inserting a new row `N` in a transaction of its own ([`Writes::begin`]).
pub(crate) trait Create<M: Cached, N>: Writes {
    fn insert_returning<'s>(&'s mut self, new: N) -> impl Future<Output = Result<M, Error>> + Send
    where
        N: 's;
}

/// Whether backend `B` is MySQL (or MariaDB), whose binlog the change feed reads.
#[cfg_attr(not(feature = "mysql"), allow(clippy::extra_unused_type_parameters))]
pub(crate) fn is_mysql<B>() -> bool {
    #[cfg(feature = "mysql")]
    {
        std::any::type_name::<B>() == std::any::type_name::<diesel::mysql::Mysql>()
    }
    #[cfg(not(feature = "mysql"))]
    {
        false
    }
}

/// Whether backend `B` is PostgreSQL, whose log the change feed reads.
#[cfg_attr(not(feature = "postgres"), allow(clippy::extra_unused_type_parameters))]
pub(crate) fn is_postgres<B>() -> bool {
    #[cfg(feature = "postgres")]
    {
        // By name, as in `commit_trusted`.
        std::any::type_name::<B>() == std::any::type_name::<diesel::pg::Pg>()
    }
    #[cfg(not(feature = "postgres"))]
    {
        false
    }
}

/// Whether a commit on backend `B` proves that the transaction's writes are in the database.
#[cfg_attr(not(feature = "mysql"), allow(clippy::extra_unused_type_parameters))]
pub(crate) fn commit_trusted<B>() -> bool {
    #[cfg(feature = "mysql")]
    {
        // `TypeId` would need `B: 'static` in every caller's bounds; the type's name
        // identifies it as well within one build.
        std::any::type_name::<B>() != std::any::type_name::<diesel::mysql::Mysql>()
    }
    #[cfg(not(feature = "mysql"))]
    {
        true
    }
}
