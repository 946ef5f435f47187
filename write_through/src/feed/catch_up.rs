//! `catch_up`: read-your-writes for any write. The log's position is read on the caller's
//! connection, then the feed's progress in Redis is polled until it has passed it.

use std::time::Duration;

use diesel::backend::Backend;
use diesel::connection::{Connection, LoadConnection, TransactionManager};

use super::FeedError;
use crate::cache::Cache;
use crate::redis::commands::Exec;
use crate::redis::store::BlockingExec;
use crate::shared::ready::ready;

/// A position in a database's log that the feed must pass (opaque; read by
/// [`FeedDatabase`]).
#[doc(hidden)]
pub struct LogTarget(Target);

enum Target {
    #[cfg(feature = "postgres")]
    Lsn(super::pgoutput::Lsn),
    #[cfg(feature = "binlog")]
    Gtid(super::binlog::GtidPosition),
}

mod sealed {
    pub trait Sealed {}
}

/// A database whose log a change feed reads, so that `catch_up` can wait for it: PostgreSQL
/// (feature `postgres`, [`ChangeFeed`](crate::feed)) and MariaDB (feature `binlog`,
/// `BinlogFeed`).
pub trait FeedDatabase: Backend + sealed::Sealed {
    /// Reads the position of the log's last commit on `conn`.
    #[doc(hidden)]
    fn log_target<C>(conn: &mut C) -> Result<LogTarget, FeedError>
    where
        C: Connection<Backend = Self> + LoadConnection;

    /// The async form of `log_target`.
    #[doc(hidden)]
    #[cfg(feature = "async")]
    fn log_target_async<C>(
        conn: &mut C,
    ) -> impl Future<Output = Result<LogTarget, FeedError>> + Send
    where
        C: diesel_async::AsyncConnection<Backend = Self> + Send;
}

impl Cache {
    /// Waits until the change feed of this cache's namespace has applied everything committed
    /// before this call, so that a write that bypassed the library (`diesel::update(...)
    /// .filter(...)`, raw SQL) followed by `catch_up` is as strong as `save`: no read after it
    /// returns the row as it was before. Reads the log's position on `conn` (any connection to
    /// the database, outside a transaction: [`FeedError::InsideTransaction`]), then polls the
    /// feed's progress in Redis; fails with [`FeedError::Timeout`] after `timeout`.
    ///
    /// On PostgreSQL the position is the flushed WAL's end; commits made with
    /// `synchronous_commit = off` count too: when the log holds records not yet flushed,
    /// `catch_up` commits a transaction of its own synchronously first, which flushes them. On
    /// MariaDB it is `@@gtid_binlog_pos`. It blocks its thread; an async service awaits
    /// `write_through::asynch::catch_up`.
    pub fn catch_up<C>(&self, conn: &mut C, timeout: Duration) -> Result<(), FeedError>
    where
        C: Connection + LoadConnection,
        C::Backend: FeedDatabase,
    {
        if C::TransactionManager::transaction_manager_status_mut(conn)
            .transaction_depth()?
            .is_some()
        {
            return Err(FeedError::InsideTransaction);
        }
        let target = C::Backend::log_target(conn)?;
        let exec = BlockingExec(&self.inner().store);
        ready(wait_for(&exec, self, target, timeout))
    }
}

/// The async form of [`Cache::catch_up`]: waits until the change feed of `cache`'s namespace
/// has applied everything committed before this call.
#[cfg(feature = "async")]
pub async fn catch_up<C>(cache: &Cache, conn: &mut C, timeout: Duration) -> Result<(), FeedError>
where
    C: diesel_async::AsyncConnection + Send,
    C::Backend: FeedDatabase,
{
    use diesel_async::TransactionManager;
    if C::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_some()
    {
        return Err(FeedError::InsideTransaction);
    }
    let target = C::Backend::log_target_async(conn).await?;
    let exec = crate::redis::store::AsyncExec(&cache.inner().store);
    wait_for(&exec, cache, target, timeout).await
}

async fn wait_for<E: Exec>(
    exec: &E,
    cache: &Cache,
    target: LogTarget,
    timeout: Duration,
) -> Result<(), FeedError> {
    match target.0 {
        #[cfg(feature = "postgres")]
        Target::Lsn(lsn) => super::postgres::wait_for_lsn(exec, cache, lsn, timeout).await,
        #[cfg(feature = "binlog")]
        Target::Gtid(position) => {
            super::retire::wait_applied(
                exec,
                &super::marker_key(cache),
                &position,
                super::binlog::GtidPosition::parse,
                super::binlog::GtidPosition::covers,
                timeout,
            )
            .await
        }
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use diesel::connection::{Connection, LoadConnection};
    use diesel::pg::Pg;

    use super::{FeedDatabase, LogTarget, Target, sealed};
    use crate::feed::FeedError;
    use crate::feed::db::TextRow;
    use crate::feed::postgres::target_of;
    use crate::feed::sql;

    impl sealed::Sealed for Pg {}

    impl FeedDatabase for Pg {
        fn log_target<C>(conn: &mut C) -> Result<LogTarget, FeedError>
        where
            C: Connection<Backend = Self> + LoadConnection,
        {
            let text = |conn: &mut C, sql: String| -> Result<Option<String>, FeedError> {
                let rows: Vec<TextRow> = diesel::RunQueryDsl::load(diesel::sql_query(sql), conn)?;
                Ok(rows.into_iter().next().and_then(|row| row.value))
            };
            let target = match text(conn, sql::flushed_if_complete())? {
                Some(flushed) => Some(flushed),
                None => {
                    conn.batch_execute(&sql::force_flush())?;
                    text(conn, sql::flushed())?
                }
            };
            Ok(LogTarget(Target::Lsn(target_of(target)?)))
        }

        #[cfg(feature = "async")]
        async fn log_target_async<C>(conn: &mut C) -> Result<LogTarget, FeedError>
        where
            C: diesel_async::AsyncConnection<Backend = Self> + Send,
        {
            let complete: Vec<TextRow> = diesel_async::RunQueryDsl::load(
                diesel::sql_query(sql::flushed_if_complete()),
                conn,
            )
            .await?;
            let target = match complete.into_iter().next().and_then(|row| row.value) {
                Some(flushed) => Some(flushed),
                None => {
                    conn.batch_execute(&sql::force_flush()).await?;
                    let flushed: Vec<TextRow> =
                        diesel_async::RunQueryDsl::load(diesel::sql_query(sql::flushed()), conn)
                            .await?;
                    flushed.into_iter().next().and_then(|row| row.value)
                }
            };
            Ok(LogTarget(Target::Lsn(target_of(target)?)))
        }
    }
}

#[cfg(feature = "binlog")]
mod mariadb {
    use diesel::connection::{Connection, LoadConnection};
    use diesel::mysql::Mysql;
    use diesel::sql_types::{Nullable, Text};

    use super::{FeedDatabase, LogTarget, Target, sealed};
    use crate::feed::FeedError;
    use crate::feed::binlog::GtidPosition;

    /// The GTID of the last transaction binlogged in each domain.
    const POSITION: &str = "SELECT @@GLOBAL.gtid_binlog_pos AS value";

    #[derive(diesel::QueryableByName)]
    struct PositionRow {
        #[diesel(sql_type = Nullable<Text>)]
        value: Option<String>,
    }

    fn target_of(rows: Vec<PositionRow>) -> Result<LogTarget, FeedError> {
        let text = rows
            .into_iter()
            .next()
            .and_then(|row| row.value)
            .unwrap_or_default();
        match GtidPosition::parse(&text) {
            Some(position) => Ok(LogTarget(Target::Gtid(position))),
            None => Err(FeedError::Decode {
                lsn: text,
                error: "not a GTID position".to_owned(),
            }),
        }
    }

    impl sealed::Sealed for Mysql {}

    impl FeedDatabase for Mysql {
        fn log_target<C>(conn: &mut C) -> Result<LogTarget, FeedError>
        where
            C: Connection<Backend = Self> + LoadConnection,
        {
            target_of(diesel::RunQueryDsl::load(
                diesel::sql_query(POSITION),
                conn,
            )?)
        }

        #[cfg(feature = "async")]
        async fn log_target_async<C>(conn: &mut C) -> Result<LogTarget, FeedError>
        where
            C: diesel_async::AsyncConnection<Backend = Self> + Send,
        {
            target_of(diesel_async::RunQueryDsl::load(diesel::sql_query(POSITION), conn).await?)
        }
    }
}
