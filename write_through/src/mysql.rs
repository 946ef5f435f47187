//! MySQL's stand-in for `RETURNING`: the id of the row this connection inserted last.

use diesel::QueryResult;
use diesel::connection::{Connection, LoadConnection};
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Unsigned};

use crate::error::{Error, UsageError};
use crate::key::KeyPart;

/// `SELECT LAST_INSERT_ID(0)`: makes this connection's last insert id 0 before an insert, so
/// that an insert which generates no id is recognised.
pub fn reset_last_insert_id<C>(conn: &mut C) -> Result<(), Error>
where
    C: Connection<Backend = Mysql> + LoadConnection,
{
    diesel::select(diesel::dsl::sql::<Unsigned<BigInt>>("LAST_INSERT_ID(0)"))
        .get_result::<u64>(conn)?;
    Ok(())
}

/// `SELECT LAST_INSERT_ID()` converted to the key type `K`.
///
/// `LAST_INSERT_ID()` is per connection, so concurrent inserts elsewhere cannot interfere. It
/// is 0 when this connection inserted no auto-increment value, which is refused rather than
/// read as a key.
pub fn last_insert_id<K, C>(conn: &mut C, model: &'static str) -> Result<K, Error>
where
    K: KeyPart,
    C: Connection<Backend = Mysql> + LoadConnection,
{
    let id: QueryResult<u64> =
        diesel::select(diesel::dsl::sql::<Unsigned<BigInt>>("LAST_INSERT_ID()")).get_result(conn);
    match id? {
        0 => Err(UsageError::CreateNeedsAutoIncrementKey { model }.into()),
        id => K::from_auto_increment(id)
            .ok_or_else(|| UsageError::CreateNeedsAutoIncrementKey { model }.into()),
    }
}

#[cfg(feature = "async")]
pub use asynch::{last_insert_id_async, reset_last_insert_id_async};

#[cfg(feature = "async")]
mod asynch {
    use diesel::mysql::Mysql;
    use diesel::sql_types::{BigInt, Unsigned};
    use diesel_async::{AsyncConnection, RunQueryDsl};

    use crate::error::{Error, UsageError};
    use crate::key::KeyPart;

    /// [`reset_last_insert_id`](super::reset_last_insert_id) through diesel-async.
    pub async fn reset_last_insert_id_async<C>(conn: &mut C) -> Result<(), Error>
    where
        C: AsyncConnection<Backend = Mysql>,
    {
        diesel::select(diesel::dsl::sql::<Unsigned<BigInt>>("LAST_INSERT_ID(0)"))
            .get_result::<u64>(conn)
            .await?;
        Ok(())
    }

    /// [`last_insert_id`](super::last_insert_id) through diesel-async.
    pub async fn last_insert_id_async<K, C>(conn: &mut C, model: &'static str) -> Result<K, Error>
    where
        K: KeyPart,
        C: AsyncConnection<Backend = Mysql>,
    {
        let id: u64 = diesel::select(diesel::dsl::sql::<Unsigned<BigInt>>("LAST_INSERT_ID()"))
            .get_result(conn)
            .await?;
        match id {
            0 => Err(UsageError::CreateNeedsAutoIncrementKey { model }.into()),
            id => K::from_auto_increment(id)
                .ok_or_else(|| UsageError::CreateNeedsAutoIncrementKey { model }.into()),
        }
    }
}
