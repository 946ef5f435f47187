//! The public query traits ([`DieselOps`], [`DieselIndex`], [`DieselCreate`] and their async
//! forms), implemented once for every model from its generated [`Statements`].

use diesel::Insertable;
use diesel::QueryResult;
use diesel::connection::{Connection, LoadConnection};
use diesel::dsl::{AsSelect, Returning, Values, insert_into};
use diesel::prelude::SelectableHelper;
use diesel::query_builder::Query;
use diesel::query_dsl::LoadQuery;

use super::{
    CollectionStatements, Execute, IndexStatements, Load, ReturningBackend, SaveStrategy,
    Statements, UpdateReturning,
};
use crate::error::{Error, UsageError};
use crate::model::{DieselCreate, DieselIndex, DieselOps, DieselUpdate};
use crate::model_collection::DieselCollection;

impl<M, DB> DieselOps<DB> for M
where
    M: Statements<DB>,
    DB: diesel::backend::Backend,
{
    fn load<C>(conn: &mut C, id: Self::Id<'_>) -> QueryResult<Option<Self>>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        Ok(M::select(id).load_blocking(conn)?.pop())
    }

    fn load_for_update<C>(conn: &mut C, id: Self::Id<'_>) -> QueryResult<Option<Self>>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        Ok(M::select(id).for_update().load_blocking(conn)?.pop())
    }

    fn load_many<C>(conn: &mut C, ids: &[Self::Id<'_>]) -> QueryResult<Vec<Self>>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        M::select_many(ids).load_blocking(conn)
    }

    fn upsert<C>(&self, conn: &mut C) -> Result<Option<Self>, Error>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        M::Save::save_blocking(self, conn)
    }

    fn remove<C>(conn: &mut C, id: Self::Id<'_>) -> QueryResult<usize>
    where
        C: Connection<Backend = DB>,
    {
        M::delete(id).execute_blocking(conn)
    }
}

impl<M, DB, const N: usize> DieselIndex<DB, N> for M
where
    M: IndexStatements<DB, N>,
    DB: diesel::backend::Backend,
{
    fn load_by<C>(conn: &mut C, value: Self::Value<'_>) -> QueryResult<Option<Self>>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        Ok(M::select_by(value).load_blocking(conn)?.pop())
    }

    fn load_many_by<C>(conn: &mut C, values: &[Self::Value<'_>]) -> QueryResult<Vec<Self>>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        M::select_many_by(values).load_blocking(conn)
    }
}

impl<M, DB, const N: usize> DieselCollection<DB, N> for M
where
    M: CollectionStatements<DB, N>,
    DB: diesel::backend::Backend,
{
    fn load_members<C>(conn: &mut C, parent: Self::Parent<'_>) -> QueryResult<Vec<Self>>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        M::select_members(parent).load_blocking(conn)
    }
}

/// `UPDATE ... RETURNING`: the row as stored, in one statement, read to its end.
impl<M, DB, F> DieselUpdate<DB, F> for M
where
    M: UpdateReturning<DB, F>,
    DB: ReturningBackend,
{
    fn update_returning<C>(
        conn: &mut C,
        id: Self::Id<'_>,
        changes: F,
    ) -> Result<Option<Self>, Error>
    where
        C: Connection<Backend = DB> + LoadConnection,
    {
        Ok(M::update_returning(id, changes).load_blocking(conn)?.pop())
    }
}

/// `INSERT ... RETURNING`: the row as stored, in one statement, read to its end.
impl<'q, M, DB, C, N> DieselCreate<DB, C, N> for M
where
    M: Statements<DB>,
    DB: ReturningBackend,
    C: Connection<Backend = DB> + LoadConnection,
    N: Insertable<M::Table>,
    // A named lifetime, not `for<'q>`: a higher-ranked bound would demand a `'static`
    // statement and so refuse borrowed rows such as `&NewUser`.
    Returning<Values<insert_into<M::Table>, N>, AsSelect<M, DB>>: LoadQuery<'q, C, M> + Query,
{
    fn insert_returning(conn: &mut C, new: N) -> Result<Self, Error> {
        let mut rows: Vec<M> = diesel::RunQueryDsl::get_results(
            insert_into(M::Table::default())
                .values(new)
                .returning(M::as_returning()),
            conn,
        )?;
        expect_one_row(rows.len(), M::MODEL_NAME)?;
        Ok(rows.remove(0))
    }
}

/// `create` inserts exactly one row; anything else is refused (and, inside `create`'s
/// transaction, rolled back).
pub fn expect_one_row(rows: usize, model: &'static str) -> Result<(), Error> {
    if rows == 1 {
        Ok(())
    } else {
        Err(UsageError::CreateInsertsOneRow { model, rows }.into())
    }
}

#[cfg(feature = "mysql")]
mod mysql {
    use diesel::Insertable;
    use diesel::connection::{Connection, LoadConnection};
    use diesel::dsl::{Values, insert_into};
    use diesel::mysql::Mysql;
    use diesel::query_dsl::methods::ExecuteDsl;

    use super::expect_one_row;
    use crate::error::Error;
    use crate::model::{DieselCreate, DieselOps, DieselUpdate};
    use crate::statements::{CreatedByAutoIncrement, Execute, Load, UpdateThenSelect, created};

    /// MySQL has no `RETURNING`: the update, then the row read back by its key (a newer write
    /// it may show locked after ours, so our publish will not set it).
    impl<M, F> DieselUpdate<Mysql, F> for M
    where
        M: UpdateThenSelect<Mysql, F>,
    {
        fn update_returning<C>(
            conn: &mut C,
            id: Self::Id<'_>,
            changes: F,
        ) -> Result<Option<Self>, Error>
        where
            C: Connection<Backend = Mysql> + LoadConnection,
        {
            // Not `== 0 => None`: the count is of rows *changed* on a connection opened without
            // CLIENT_FOUND_ROWS (diesel-async's `try_from` a mysql_async connection), and a
            // row the form left as it was is still the row; the read-back says what there is.
            M::update_by_key(id, changes).execute_blocking(conn)?;
            Ok(<M as DieselOps<Mysql>>::load(conn, id)?)
        }
    }

    /// MySQL has no `RETURNING`: the insert, then the row `LAST_INSERT_ID()` names. Reset
    /// first: an insert that sets the key itself leaves `LAST_INSERT_ID()` alone, and must not
    /// be taken for another row.
    impl<M, C, N> DieselCreate<Mysql, C, N> for M
    where
        M: CreatedByAutoIncrement,
        C: Connection<Backend = Mysql> + LoadConnection,
        N: Insertable<M::Table>,
        Values<insert_into<M::Table>, N>: ExecuteDsl<C>,
    {
        fn insert_returning(conn: &mut C, new: N) -> Result<Self, Error> {
            created::can_create::<M>()?;
            crate::mysql::reset_last_insert_id(conn)?;
            let inserted =
                diesel::RunQueryDsl::execute(insert_into(M::Table::default()).values(new), conn)?;
            expect_one_row(inserted, M::MODEL_NAME)?;
            let id = crate::mysql::last_insert_id(conn, M::MODEL_NAME)?;
            created::read_back(created::select::<M>(id)?.load_blocking(conn)?)
        }
    }
}

#[cfg(feature = "async")]
mod asynch {
    use diesel::Insertable;
    use diesel::QueryResult;
    use diesel::dsl::{AsSelect, Returning, Values, insert_into};
    use diesel::prelude::SelectableHelper;
    use diesel::query_builder::Query;
    use diesel_async::methods::LoadQuery;
    use diesel_async::{AsyncConnection, AsyncConnectionCore};

    use super::expect_one_row;
    use crate::error::Error;
    use crate::model::{
        AsyncDieselCreate, AsyncDieselIndex, AsyncDieselOps, AsyncDieselUpdate, BoxFuture,
    };
    use crate::model_collection::AsyncDieselCollection;
    use crate::statements::{
        CollectionStatements, Execute, IndexStatements, Load, ReturningBackend, SaveStrategy,
        Statements, UpdateReturning,
    };

    impl<M, DB, F> AsyncDieselUpdate<DB, F> for M
    where
        M: UpdateReturning<DB, F>,
        DB: ReturningBackend,
    {
        fn update_returning<C>(
            conn: &mut C,
            id: Self::Id<'_>,
            changes: F,
        ) -> impl Future<Output = Result<Option<Self>, Error>> + Send
        where
            C: AsyncConnection<Backend = DB>,
        {
            let update = M::update_returning(id, changes);
            async move { Ok(update.load_async(conn).await?.pop()) }
        }
    }

    impl<M, DB> AsyncDieselOps<DB> for M
    where
        M: Statements<DB>,
        DB: diesel::backend::Backend,
    {
        fn load<C>(
            conn: &mut C,
            id: Self::Id<'_>,
        ) -> impl Future<Output = QueryResult<Option<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = DB>,
        {
            let select = M::select(id);
            async move { Ok(select.load_async(conn).await?.pop()) }
        }

        fn load_for_update<C>(
            conn: &mut C,
            id: Self::Id<'_>,
        ) -> impl Future<Output = QueryResult<Option<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = DB>,
        {
            let select = M::select(id).for_update();
            async move { Ok(select.load_async(conn).await?.pop()) }
        }

        fn load_many<C>(
            conn: &mut C,
            ids: &[Self::Id<'_>],
        ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = DB>,
        {
            let select = M::select_many(ids);
            async move { select.load_async(conn).await }
        }

        fn upsert<C>(
            &self,
            conn: &mut C,
        ) -> impl Future<Output = Result<Option<Self>, Error>> + Send
        where
            C: AsyncConnection<Backend = DB>,
        {
            M::Save::save_async(self, conn)
        }

        fn remove<C>(
            conn: &mut C,
            id: Self::Id<'_>,
        ) -> impl Future<Output = QueryResult<usize>> + Send
        where
            C: AsyncConnection<Backend = DB>,
        {
            let delete = M::delete(id);
            async move { delete.execute_async(conn).await }
        }
    }

    impl<M, DB, const N: usize> AsyncDieselIndex<DB, N> for M
    where
        M: IndexStatements<DB, N>,
        DB: diesel::backend::Backend,
    {
        fn load_by<C>(
            conn: &mut C,
            value: Self::Value<'_>,
        ) -> impl Future<Output = QueryResult<Option<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = DB>,
        {
            let select = M::select_by(value);
            async move { Ok(select.load_async(conn).await?.pop()) }
        }

        fn load_many_by<C>(
            conn: &mut C,
            values: &[Self::Value<'_>],
        ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = DB>,
        {
            let select = M::select_many_by(values);
            async move { select.load_async(conn).await }
        }
    }

    impl<M, DB, const N: usize> AsyncDieselCollection<DB, N> for M
    where
        M: CollectionStatements<DB, N>,
        DB: diesel::backend::Backend,
    {
        fn load_members<C>(
            conn: &mut C,
            parent: Self::Parent<'_>,
        ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send
        where
            C: AsyncConnectionCore<Backend = DB>,
        {
            let select = M::select_members(parent);
            async move { select.load_async(conn).await }
        }
    }

    impl<'q, M, DB, C, N> AsyncDieselCreate<DB, C, N> for M
    where
        M: Statements<DB>,
        DB: ReturningBackend,
        C: AsyncConnection<Backend = DB> + 'q,
        N: Insertable<M::Table> + Send + 'q,
        Returning<Values<insert_into<M::Table>, N>, AsSelect<M, DB>>:
            LoadQuery<'q, C, M> + Query + 'q,
        N::Values: 'q,
    {
        fn insert_returning<'f>(conn: &'f mut C, new: N) -> BoxFuture<'f, Result<Self, Error>>
        where
            N: 'f,
        {
            Box::pin(async move {
                let mut rows: Vec<M> = diesel_async::RunQueryDsl::get_results(
                    insert_into(M::Table::default())
                        .values(new)
                        .returning(M::as_returning()),
                    conn,
                )
                .await?;
                expect_one_row(rows.len(), M::MODEL_NAME)?;
                Ok(rows.remove(0))
            })
        }
    }

    #[cfg(feature = "mysql")]
    mod mysql {
        use diesel::Insertable;
        use diesel::dsl::{Values, insert_into};
        use diesel::mysql::Mysql;
        use diesel_async::AsyncConnection;
        use diesel_async::methods::ExecuteDsl;

        use super::expect_one_row;
        use crate::error::Error;
        use crate::model::{AsyncDieselCreate, AsyncDieselOps, AsyncDieselUpdate, BoxFuture};
        use crate::statements::{CreatedByAutoIncrement, Execute, Load, UpdateThenSelect, created};

        /// As the blocking front's: the update, then the row read back by its key.
        impl<M, F> AsyncDieselUpdate<Mysql, F> for M
        where
            M: UpdateThenSelect<Mysql, F>,
        {
            fn update_returning<C>(
                conn: &mut C,
                id: Self::Id<'_>,
                changes: F,
            ) -> impl Future<Output = Result<Option<Self>, Error>> + Send
            where
                C: AsyncConnection<Backend = Mysql>,
            {
                let update = M::update_by_key(id, changes);
                async move {
                    // As on the blocking front: the read-back, not the count, says what there is.
                    update.execute_async(conn).await?;
                    Ok(<M as AsyncDieselOps<Mysql>>::load(conn, id).await?)
                }
            }
        }

        /// As the blocking front's: the insert, then the row `LAST_INSERT_ID()` names.
        impl<M, C, N> AsyncDieselCreate<Mysql, C, N> for M
        where
            M: CreatedByAutoIncrement,
            C: AsyncConnection<Backend = Mysql>,
            N: Insertable<M::Table> + Send,
            Values<insert_into<M::Table>, N>: ExecuteDsl<C>,
        {
            fn insert_returning<'f>(conn: &'f mut C, new: N) -> BoxFuture<'f, Result<Self, Error>>
            where
                N: 'f,
            {
                Box::pin(async move {
                    created::can_create::<M>()?;
                    crate::mysql::reset_last_insert_id_async(conn).await?;
                    let inserted = diesel_async::RunQueryDsl::execute(
                        insert_into(M::Table::default()).values(new),
                        conn,
                    )
                    .await?;
                    expect_one_row(inserted, M::MODEL_NAME)?;
                    let id = crate::mysql::last_insert_id_async(conn, M::MODEL_NAME).await?;
                    let select = created::select::<M>(id)?;
                    created::read_back(select.load_async(conn).await?)
                })
            }
        }
    }
}
