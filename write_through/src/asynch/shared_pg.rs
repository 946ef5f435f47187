//! Reads through a shared `&AsyncPgConnection`, diesel-async's pipelining form (crates.io passes
//! one to most of its queries): `User::find(&mut conn, &cache, &id)` with
//! `mut conn: &AsyncPgConnection`, as Diesel's own `.first(&mut conn)`.
//!
//! A read must know whether its connection is inside a transaction: there a miss never fills
//! (the transaction may have written the row, or read it from an older snapshot). diesel-async
//! keeps that state behind `&mut` only, so through a shared reference the server is asked, with
//! the load itself: one more statement (prepared once) pipelined after it, in the same round
//! trip. A load may fill when the transaction it ran in has written nothing (no transaction id
//! assigned, so it cannot see rows of its own that are not committed) and reads committed data
//! with a snapshot per statement (`READ COMMITTED`), which is then what a statement outside a
//! transaction reads. A hit asks nothing. A session whose default isolation is stricter never
//! fills through a shared connection; nor does a server without `txid_current_if_assigned`
//! (PostgreSQL 10 and later have it), whose error inside a transaction would also abort it.
//!
//! Writes are not offered: each runs in a transaction of the library's own (its feed mark, a
//! `create`), which every query pipelined meanwhile on the same shared connection would join.
//! They take the `&mut AsyncPgConnection` the shared reference was borrowed from.

use std::future::Future;
use std::num::NonZeroU32;

use diesel::pg::Pg;
use diesel_async::AsyncPgConnection;

use crate::cache::Cache;
use crate::collection::CollectionLookup;
use crate::drive::db::{Conn, Load, LoadBy, LoadMembers};
use crate::error::Error;
use crate::index::{IndexLookup, Shared};
use crate::model::{AsyncDieselIndex, AsyncDieselOps, BoxFuture};
use crate::model_collection::AsyncDieselCollection;

use super::source::ReadSource;

mod sql {
    use diesel::sql_types::Text;

    diesel::define_sql_function! {
        /// PostgreSQL's `txid_current_if_assigned()`: the transaction's id, `NULL` until it writes.
        fn txid_current_if_assigned() -> Nullable<BigInt>;
    }
    diesel::define_sql_function! {
        /// PostgreSQL's `current_setting(name)`.
        fn current_setting(name: Text) -> Text;
    }
}

/// Whether a statement here reads what a statement outside a transaction would: inside none, or
/// inside one that has written nothing and takes a snapshot per statement. A typed query, so
/// that the connection prepares it once.
fn reads_as_outside_a_transaction_query() -> impl diesel::query_builder::QueryFragment<Pg>
+ diesel::query_builder::QueryId
+ diesel::query_builder::Query<
    SqlType = diesel::sql_types::Bool,
> + Send
+ 'static {
    use diesel::{BoolExpressionMethods as _, ExpressionMethods as _};
    diesel::select(
        sql::txid_current_if_assigned()
            .is_null()
            .and(sql::current_setting("transaction_isolation").eq("read committed")),
    )
}

/// A shared connection as the steps see it: loads that ask the server whether they may fill.
struct SharedPgDb<'c> {
    conn: &'c AsyncPgConnection,
    /// False once a load ran where it may not fill.
    may_fill: bool,
}

impl<'c> SharedPgDb<'c> {
    fn new(conn: &'c AsyncPgConnection) -> Self {
        SharedPgDb {
            conn,
            may_fill: true,
        }
    }
}

/// The server's answer, asked after the load it concerns: once a transaction has written, its
/// id stays assigned until it ends, and a shared reference cannot end it, so a "yes" asked after
/// the load holds for the load whatever ran between them. A question that failed is a no (the
/// load's own error, if any, is the one the caller sees).
async fn reads_as_outside_a_transaction(mut conn: &AsyncPgConnection) -> bool {
    let question = reads_as_outside_a_transaction_query();
    matches!(
        diesel_async::RunQueryDsl::get_result::<bool>(question, &mut conn).await,
        Ok(true)
    )
}

/// Runs `load` on the shared connection `conn` with the question pipelined after it, and notes
/// the answer in `may_fill`.
async fn asking<T>(
    may_fill: &mut bool,
    conn: &AsyncPgConnection,
    load: impl Future<Output = diesel::QueryResult<T>>,
) -> Result<T, Error> {
    let (loaded, answer) =
        futures_util::future::join(load, reads_as_outside_a_transaction(conn)).await;
    *may_fill &= answer;
    Ok(loaded?)
}

/// `SharedPgDb` as an opaque type, as `AsyncDb` is (see `db.rs`'s `hidden`).
fn hidden<'c, M: AsyncDieselOps<Pg>>(conn: &'c AsyncPgConnection) -> impl Load<M> + Send + 'c {
    SharedPgDb::new(conn)
}

/// `SharedPgDb` as an opaque type for the lookups of unique index `N`.
fn hidden_index<'c, M: AsyncDieselIndex<Pg, N>, const N: usize>(
    conn: &'c AsyncPgConnection,
) -> impl LoadBy<M, N> + Send + 'c {
    SharedPgDb::new(conn)
}

/// `SharedPgDb` as an opaque type for the listings of collection `N`.
fn hidden_collection<'c, M: AsyncDieselCollection<Pg, N>, const N: usize>(
    conn: &'c AsyncPgConnection,
) -> impl LoadMembers<M, N> + Send + 'c {
    SharedPgDb::new(conn)
}

impl Conn for SharedPgDb<'_> {
    fn id(&mut self) -> usize {
        std::ptr::from_ref(self.conn) as usize
    }

    /// Not known before a load: [`Conn::loads_may_fill`] says it after.
    fn depth(&mut self) -> Result<Option<NonZeroU32>, diesel::result::Error> {
        Ok(None)
    }

    fn commit_trusted(&self) -> bool {
        true
    }

    fn loads_may_fill(&self) -> bool {
        self.may_fill
    }
}

impl<M: AsyncDieselOps<Pg>> Load<M> for SharedPgDb<'_> {
    fn load<'s, 'i: 's>(
        &'s mut self,
        id: M::Id<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        let mut conn = self.conn;
        async move { asking(&mut self.may_fill, self.conn, M::load(&mut conn, id)).await }
    }

    fn load_many<'s, 'i: 's>(
        &'s mut self,
        ids: &'s [M::Id<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        let mut conn = self.conn;
        async move { asking(&mut self.may_fill, self.conn, M::load_many(&mut conn, ids)).await }
    }
}

impl<M: AsyncDieselIndex<Pg, N>, const N: usize> LoadBy<M, N> for SharedPgDb<'_> {
    fn load_by<'s, 'i: 's>(
        &'s mut self,
        value: M::Value<'i>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 's {
        let mut conn = self.conn;
        async move { asking(&mut self.may_fill, self.conn, M::load_by(&mut conn, value)).await }
    }

    fn load_many_by<'s, 'i: 's>(
        &'s mut self,
        values: &'s [M::Value<'i>],
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        let mut conn = self.conn;
        async move {
            asking(
                &mut self.may_fill,
                self.conn,
                M::load_many_by(&mut conn, values),
            )
            .await
        }
    }
}

impl<M: AsyncDieselCollection<Pg, N>, const N: usize> LoadMembers<M, N> for SharedPgDb<'_> {
    fn load_members<'s, 'i: 's>(
        &'s mut self,
        parent: M::Parent<'i>,
    ) -> impl Future<Output = Result<Vec<M>, Error>> + Send + 's {
        let mut conn = self.conn;
        async move {
            asking(
                &mut self.may_fill,
                self.conn,
                M::load_members(&mut conn, parent),
            )
            .await
        }
    }
}

impl ReadSource<Shared> for &AsyncPgConnection {
    type Backend = Pg;

    fn __find<'a, M>(
        &'a mut self,
        cache: &'a Cache,
        id: M::Id<'a>,
    ) -> impl Future<Output = Result<Option<M>, Error>> + Send + 'a
    where
        M: AsyncDieselOps<Pg>,
    {
        let conn: &AsyncPgConnection = self;
        async move { super::find_through(&mut hidden::<M>(conn), cache, id).await }
    }

    fn __find_many<'a, M>(
        &'a mut self,
        cache: &'a Cache,
        ids: Vec<M::Id<'a>>,
    ) -> impl Future<Output = Result<Vec<Option<M>>, Error>> + Send + 'a
    where
        M: AsyncDieselOps<Pg>,
    {
        let conn: &AsyncPgConnection = self;
        async move { super::find_many_through(&mut hidden::<M>(conn), cache, ids).await }
    }
}

impl<M, const N: usize> IndexLookup<M, N, Shared> for &AsyncPgConnection
where
    M: AsyncDieselIndex<Pg, N>,
{
    type Output<'a, T: 'a>
        = BoxFuture<'a, Result<T, Error>>
    where
        Self: 'a;

    fn find_by<'a>(
        conn: &'a mut Self,
        cache: &'a Cache,
        value: M::Value<'a>,
    ) -> BoxFuture<'a, Result<Option<M>, Error>> {
        let conn: &AsyncPgConnection = conn;
        Box::pin(async move {
            let db = &mut hidden_index::<M, N>(conn);
            let mut rows = super::index::find_many_by_through(db, cache, vec![value]).await?;
            Ok(rows.pop().flatten())
        })
    }

    fn find_many_by<'a>(
        conn: &'a mut Self,
        cache: &'a Cache,
        values: Vec<M::Value<'a>>,
    ) -> BoxFuture<'a, Result<Vec<Option<M>>, Error>> {
        let conn: &AsyncPgConnection = conn;
        Box::pin(async move {
            super::index::find_many_by_through(&mut hidden_index::<M, N>(conn), cache, values).await
        })
    }
}

impl<M, const N: usize> CollectionLookup<M, N, Shared> for &AsyncPgConnection
where
    M: AsyncDieselCollection<Pg, N>,
{
    type Output<'a, T: 'a>
        = BoxFuture<'a, Result<T, Error>>
    where
        Self: 'a;

    fn find_all_by<'a>(
        conn: &'a mut Self,
        cache: &'a Cache,
        parent: M::Parent<'a>,
    ) -> BoxFuture<'a, Result<Vec<M>, Error>> {
        let conn: &AsyncPgConnection = conn;
        Box::pin(async move {
            let db = &mut hidden_collection::<M, N>(conn);
            let mut lists = super::collection::find_all_by_through(db, cache, vec![parent]).await?;
            Ok(lists.pop().unwrap_or_default())
        })
    }

    fn find_all_by_in<'a>(
        conn: &'a mut Self,
        cache: &'a Cache,
        parents: Vec<M::Parent<'a>>,
    ) -> BoxFuture<'a, Result<Vec<Vec<M>>, Error>> {
        let conn: &AsyncPgConnection = conn;
        Box::pin(async move {
            let db = &mut hidden_collection::<M, N>(conn);
            super::collection::find_all_by_through(db, cache, parents).await
        })
    }
}
