//! How one typed statement runs on either front: a query read to its end (every row, so that a
//! commit that fails after the rows were sent is seen), or a command and the rows it affected.
//!
//! The derive's statements are opaque (`impl Load<DB, M>`), so the bounds Diesel and
//! diesel-async need to run them are stated once here and proven where the statement is
//! written, with its concrete type.

use std::convert::Infallible;
use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::connection::{Connection, LoadConnection};
use diesel::deserialize::FromSqlRow;
use diesel::dsl::AsSelect;
use diesel::expression::{Expression, QueryMetadata, TypedExpressionType};
use diesel::prelude::Selectable;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::SqlType;

/// A query that yields rows of `M` on backend `DB`: every generated `SELECT` and every
/// statement with `RETURNING`.
pub trait Load<DB: Backend, M>: Send + Sized {
    /// Runs the query on a Diesel connection and reads all its rows.
    fn load_blocking<C>(self, conn: &mut C) -> QueryResult<Vec<M>>
    where
        C: Connection<Backend = DB> + LoadConnection;

    /// Runs the query on a diesel-async connection and reads all its rows.
    #[cfg(feature = "async")]
    fn load_async<'c, C>(self, conn: &'c mut C) -> impl Future<Output = QueryResult<Vec<M>>> + Send
    where
        C: diesel_async::AsyncConnectionCore<Backend = DB>,
        Self: 'c;

    /// The query, locking the rows it reads until the end of the transaction: ` FOR UPDATE`
    /// after it, none on SQLite (`ForUpdate`, in `statements/run.rs`).
    fn for_update(self) -> impl Load<DB, M>;
}

/// The rows are the model's `Selectable` (`.select(M::as_select())`, `.returning(M::as_returning())`).
impl<Q, DB, M, ST> Load<DB, M> for Q
where
    DB: Backend + QueryMetadata<AsSelect<M, DB>> + 'static,
    Q: Query<SqlType = AsSelect<M, DB>> + QueryFragment<DB> + QueryId + Send,
    M: Selectable<DB> + FromSqlRow<ST, DB> + Send + 'static,
    M::SelectExpression: QueryId + Expression<SqlType = ST>,
    ST: SqlType + TypedExpressionType + 'static,
{
    fn load_blocking<C>(self, conn: &mut C) -> QueryResult<Vec<M>>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        diesel::RunQueryDsl::load(Blocking(self), conn)
    }

    #[cfg(feature = "async")]
    fn load_async<'c, C>(self, conn: &'c mut C) -> impl Future<Output = QueryResult<Vec<M>>> + Send
    where
        C: diesel_async::AsyncConnectionCore<Backend = DB>,
        Self: 'c,
    {
        diesel_async::RunQueryDsl::load(self, conn)
    }

    fn for_update(self) -> impl Load<DB, M> {
        ForUpdate(self)
    }
}

/// A `SELECT` that locks the rows it reads: ` FOR UPDATE` after it (the generated selects end
/// with their `LIMIT`, after which PostgreSQL and MySQL take the clause). SQLite has no row
/// locks and no such clause: a transaction that read a row and then writes it fails rather than
/// overwrite a change committed in between (`SQLITE_BUSY`), so the plain read is as exact.
pub struct ForUpdate<Q>(Q);

impl<Q: Query> Query for ForUpdate<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for ForUpdate<Q> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass.reborrow())?;
        if !is_sqlite::<DB>() {
            pass.push_sql(" FOR UPDATE");
        }
        Ok(())
    }
}

impl<Q: QueryId> QueryId for ForUpdate<Q> {
    // Its own prepared statement, never the plain select's.
    type QueryId = ForUpdate<Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

/// Whether `DB` is SQLite (by the type's name, as `drive::db::is_postgres` tells PostgreSQL).
fn is_sqlite<DB>() -> bool {
    #[cfg(feature = "sqlite")]
    {
        std::any::type_name::<DB>() == std::any::type_name::<diesel::sqlite::Sqlite>()
    }
    #[cfg(not(feature = "sqlite"))]
    {
        false
    }
}

/// A statement that returns no rows, only how many it affected: MySQL's `UPDATE` and `INSERT`,
/// and `DELETE`.
pub trait Execute<DB: Backend>: Send + Sized {
    /// Runs the statement on a Diesel connection.
    fn execute_blocking<C>(self, conn: &mut C) -> QueryResult<usize>
    where
        C: Connection<Backend = DB>;

    /// Runs the statement on a diesel-async connection.
    #[cfg(feature = "async")]
    fn execute_async<'c, C>(
        self,
        conn: &'c mut C,
    ) -> impl Future<Output = QueryResult<usize>> + Send
    where
        C: diesel_async::AsyncConnection<Backend = DB>,
        Self: 'c;
}

impl<Q, DB> Execute<DB> for Q
where
    DB: Backend,
    Q: QueryFragment<DB> + QueryId + Send,
{
    fn execute_blocking<C>(self, conn: &mut C) -> QueryResult<usize>
    where
        C: Connection<Backend = DB>,
    {
        diesel::query_dsl::methods::ExecuteDsl::<C, DB>::execute(self, conn)
    }

    #[cfg(feature = "async")]
    fn execute_async<'c, C>(
        self,
        conn: &'c mut C,
    ) -> impl Future<Output = QueryResult<usize>> + Send
    where
        C: diesel_async::AsyncConnection<Backend = DB>,
        Self: 'c,
    {
        diesel_async::methods::ExecuteDsl::<C, DB>::execute(self, conn)
    }
}

/// A query as Diesel's blocking `RunQueryDsl` takes it. Diesel implements that trait for each
/// of its query types by name, so an opaque query needs a named type around it; this one only
/// passes the query through (its SQL, its binds and its prepared-statement id).
struct Blocking<Q>(Q);

impl<Q: Query> Query for Blocking<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Blocking<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }
}

impl<Q: QueryId> QueryId for Blocking<Q> {
    type QueryId = Q::QueryId;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q, Conn> diesel::RunQueryDsl<Conn> for Blocking<Q> {}

/// The statement of a step that cannot happen, such as reading back by `LAST_INSERT_ID()` the
/// row of a model with a composite key (`create` refuses it first). It has no value.
pub struct NoStatement<M>(Infallible, PhantomData<fn() -> M>);

impl<DB: Backend, M> Load<DB, M> for NoStatement<M> {
    fn load_blocking<C>(self, _: &mut C) -> QueryResult<Vec<M>>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        match self.0 {}
    }

    #[cfg(feature = "async")]
    async fn load_async<'c, C>(self, _: &'c mut C) -> QueryResult<Vec<M>>
    where
        C: diesel_async::AsyncConnectionCore<Backend = DB>,
        Self: 'c,
    {
        match self.0 {}
    }

    fn for_update(self) -> impl Load<DB, M> {
        self
    }
}
