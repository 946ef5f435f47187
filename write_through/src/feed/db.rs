//! The feed's database connection, as the one loop (`run.rs`) sees it on either front: a few
//! SQL statements whose answers are a text or the slot's changes. The blocking front's futures
//! are ready at once (Diesel has answered before they are made), as in `drive/`.

use std::future::Future;

use diesel::QueryResult;
use diesel::sql_types::{Binary, Nullable, Text};

/// A row of one nullable text column, `value`.
#[derive(diesel::QueryableByName)]
pub(crate) struct TextRow {
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) value: Option<String>,
}

/// One message of the slot: where it is in the log, and its bytes.
#[derive(diesel::QueryableByName)]
pub(crate) struct ChangeRow {
    #[diesel(sql_type = Text)]
    pub(crate) lsn: String,
    #[diesel(sql_type = Binary)]
    pub(crate) data: Vec<u8>,
}

/// What the feed asks of its connection.
pub(crate) trait FeedDb: Send {
    /// The `value` column of the first row of `sql`, `None` when there is no row or it is `NULL`.
    fn text(&mut self, sql: String) -> impl Future<Output = QueryResult<Option<String>>> + Send;

    /// Runs `sql` (statements without results).
    fn run(&mut self, sql: String) -> impl Future<Output = QueryResult<()>> + Send;

    /// The rows of `sql`, a read of the slot's changes.
    fn changes(&mut self, sql: String) -> impl Future<Output = QueryResult<Vec<ChangeRow>>> + Send;
}

pub(crate) mod blocking {
    use std::future::{Future, ready};

    use diesel::connection::{Connection, LoadConnection};
    use diesel::pg::Pg;
    use diesel::{QueryResult, RunQueryDsl};

    use super::{ChangeRow, FeedDb, TextRow};

    /// A Diesel connection to PostgreSQL, owned by the feed's thread.
    pub(crate) struct BlockingFeedDb<C>(pub(crate) C);

    impl<C> FeedDb for BlockingFeedDb<C>
    where
        C: Connection<Backend = Pg> + LoadConnection + Send,
    {
        fn text(
            &mut self,
            sql: String,
        ) -> impl Future<Output = QueryResult<Option<String>>> + Send {
            let rows = diesel::sql_query(sql).load::<TextRow>(&mut self.0);
            ready(rows.map(|rows| rows.into_iter().next().and_then(|row| row.value)))
        }

        fn run(&mut self, sql: String) -> impl Future<Output = QueryResult<()>> + Send {
            ready(self.0.batch_execute(&sql))
        }

        fn changes(
            &mut self,
            sql: String,
        ) -> impl Future<Output = QueryResult<Vec<ChangeRow>>> + Send {
            ready(diesel::sql_query(sql).load::<ChangeRow>(&mut self.0))
        }
    }
}

#[cfg(feature = "async")]
pub(crate) mod asynch {
    use diesel::QueryResult;
    use diesel::pg::Pg;
    use diesel_async::{AsyncConnection, RunQueryDsl};

    use super::{ChangeRow, FeedDb, TextRow};

    /// A diesel-async connection to PostgreSQL, owned by the feed's task.
    pub(crate) struct AsyncFeedDb<C>(pub(crate) C);

    impl<C> FeedDb for AsyncFeedDb<C>
    where
        C: AsyncConnection<Backend = Pg> + Send,
    {
        async fn text(&mut self, sql: String) -> QueryResult<Option<String>> {
            let rows: Vec<TextRow> = diesel::sql_query(sql).load(&mut self.0).await?;
            Ok(rows.into_iter().next().and_then(|row| row.value))
        }

        async fn run(&mut self, sql: String) -> QueryResult<()> {
            self.0.batch_execute(&sql).await
        }

        async fn changes(&mut self, sql: String) -> QueryResult<Vec<ChangeRow>> {
            diesel::sql_query(sql).load(&mut self.0).await
        }
    }
}
