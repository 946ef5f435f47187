//! The model's typed statements, which the derive writes for each enabled backend, and the
//! runtime's side of them: how a statement runs on either front ([`run`]), how a save composes
//! them ([`save`]), and the public query traits ([`crate::model::DieselOps`] and its kin)
//! implemented once for every model from them ([`ops`]).
//!
//! Only what must be typed per model is generated: the statements themselves (a table, its key
//! columns, the row's `Selectable`, `Insertable` and `AsChangeset`). Everything that composes
//! them (reading a statement to its end, the rounds of MySQL's update-then-insert, the version
//! rules, `create`'s steps) is written here once, for both fronts, as serde_derive keeps its
//! logic in `__private` helpers.

use diesel::Table;
use diesel::backend::Backend;
use diesel::prelude::{Selectable, SelectableHelper};

use crate::model::{Cached, UniqueIndex};

mod bump;
pub mod ops;
pub mod run;
pub mod save;
pub mod whole_row;

pub use bump::WithVersionBump;
pub use run::{Execute, Load, NoStatement};
pub use save::{
    ReadOnly, SaveStrategy, UpdateThenInsert, Upsert, VersionedUpdateThenInsert, VersionedUpsert,
};
pub use whole_row::RowColumns;

/// `M::as_select()` on backend `DB`: what the generated statements select, and return.
pub fn as_select<M: Selectable<DB>, DB: Backend>() -> diesel::dsl::AsSelect<M, DB> {
    M::as_select()
}

/// The statements every model has on backend `DB`: look rows up by primary key, delete one.
/// `Save` names how `save` writes the row (see `save.rs`); `Table` is where `create` inserts.
pub trait Statements<DB: Backend>: Cached + Selectable<DB> {
    /// The model's Diesel table.
    type Table: Table + Default + Send + 'static;
    /// How `save` writes a row of this model on this backend ([`ReadOnly`] for a model built on
    /// a join or on computed expressions).
    type Save: SaveStrategy<Self, DB>;

    /// `SELECT ... WHERE pk = id LIMIT 1`.
    fn select(id: Self::Id<'_>) -> impl Load<DB, Self>;

    /// `SELECT ... WHERE pk IN (ids)`, or `(a = ? AND b = ?) OR ...` for a composite key.
    fn select_many(ids: &[Self::Id<'_>]) -> impl Load<DB, Self>;

    /// `DELETE ... WHERE pk = id`.
    fn delete(id: Self::Id<'_>) -> impl Execute<DB>;
}

/// A model without a version field on a backend with `RETURNING` (PostgreSQL, SQLite).
pub trait UpsertStatement<DB: Backend>: Statements<DB> {
    /// `INSERT ... ON CONFLICT (pk) DO UPDATE SET ... RETURNING ...`.
    fn upsert(&self) -> impl Load<DB, Self>;
}

/// A model with a version field on a backend with `RETURNING`.
pub trait VersionedStatements<DB: Backend>: Statements<DB> + BumpsVersion {
    /// `UPDATE ... SET ..., version = version + 1 WHERE pk = .. AND version = .. RETURNING ...`.
    fn update_at_version(&self) -> impl Load<DB, Self>;

    /// `INSERT ... ON CONFLICT (pk) DO NOTHING RETURNING ...`.
    fn insert_if_absent(&self) -> impl Load<DB, Self>;
}

/// A model on a backend without `RETURNING` (MySQL): the update and the insert on their own.
pub trait PlainWrites<DB: Backend>: Statements<DB> {
    /// `UPDATE ... SET ... WHERE pk = ..`; with a version field, also `AND version = ..`, and
    /// `version = version + 1`.
    fn update(&self) -> impl Execute<DB>;

    /// `INSERT INTO ... VALUES (...)`.
    fn insert(&self) -> impl Execute<DB>;
}

/// An update of the row with a given key through any `AsChangeset` of the model's table (the
/// application's update form), on a backend with `RETURNING`.
pub trait UpdateReturning<DB: Backend, F>: Statements<DB> {
    /// `UPDATE ... SET <changes> WHERE pk = id RETURNING ...`.
    fn update_returning(id: Self::Id<'_>, changes: F) -> impl Load<DB, Self>;
}

/// An update through any `AsChangeset` of the model's table on a backend without `RETURNING`
/// (MySQL): the update, then the row read back by its key.
pub trait UpdateThenSelect<DB: Backend, F>: Statements<DB> {
    /// `UPDATE ... SET <changes> WHERE pk = id`.
    fn update_by_key(id: Self::Id<'_>, changes: F) -> impl Execute<DB>;
}

/// A model with a `#[write_through(version)]` field, which the derive implements: how a save
/// carries the version it wrote. [`SavesInPlace`](crate::model::SavesInPlace) is implemented
/// from it for the models that can be saved whole.
pub trait BumpsVersion: Cached {
    /// Takes the version of `stored`, the row as the database stored it.
    fn take_version(&mut self, stored: &Self);

    /// Adds one to the version, as the versioned update did in the database (MySQL, whose
    /// read-back may show a newer writer's version).
    fn bump_version(&mut self);
}

/// A model without a version field, which the derive marks:
/// [`SavesByRef`](crate::model::SavesByRef) is implemented from it for the models that can be
/// saved whole.
pub trait Unversioned: Cached {}

#[cfg(feature = "mysql")]
pub use by_auto_increment::{CreatedByAutoIncrement, created};

#[cfg(feature = "mysql")]
mod by_auto_increment {
    use diesel::mysql::Mysql;

    use super::{Load, Statements};

    /// How `create` finds the row it inserted on MySQL, which has no `RETURNING`: by the id
    /// `LAST_INSERT_ID()` gave, which needs a single integer auto-increment key.
    pub trait CreatedByAutoIncrement: Statements<Mysql> {
        /// Whether the key is a single column, which `LAST_INSERT_ID()` can name. `create` refuses
        /// a composite key before it inserts anything.
        const SINGLE_KEY: bool;

        /// `SELECT ... WHERE pk = id` for the generated id, or `None` when it does not fit the key's
        /// type (or the key is not an integer).
        fn select_created(auto_increment: u64) -> Option<impl Load<Mysql, Self>>;
    }

    /// `create`'s rules on MySQL, shared by both fronts, which only run the statements between
    /// them: before the insert, a key `LAST_INSERT_ID()` can name; after it, exactly one row
    /// inserted ([`expect_one_row`](super::ops::expect_one_row)), an id that fits the key, and
    /// the row still there to read back.
    pub mod created {
        use diesel::mysql::Mysql;

        use super::CreatedByAutoIncrement;
        use crate::error::{Error, UsageError};
        use crate::statements::Load;

        /// Refuses a model whose key `LAST_INSERT_ID()` cannot name, before anything is inserted.
        pub fn can_create<M: CreatedByAutoIncrement>() -> Result<(), Error> {
            if M::SINGLE_KEY {
                Ok(())
            } else {
                Err(needs_auto_increment::<M>())
            }
        }

        /// The select of the row `LAST_INSERT_ID()` named.
        pub fn select<M: CreatedByAutoIncrement>(id: u64) -> Result<impl Load<Mysql, M>, Error> {
            M::select_created(id).ok_or_else(needs_auto_increment::<M>)
        }

        /// The row read back, which a concurrent delete may have removed.
        pub fn read_back<M: CreatedByAutoIncrement>(mut rows: Vec<M>) -> Result<M, Error> {
            rows.pop()
                .ok_or(Error::Usage(UsageError::CreatedRowVanished {
                    model: M::MODEL_NAME,
                }))
        }

        fn needs_auto_increment<M: CreatedByAutoIncrement>() -> Error {
            UsageError::CreateNeedsAutoIncrementKey {
                model: M::MODEL_NAME,
            }
            .into()
        }
    }
}

/// The statements of unique index `N` on backend `DB`.
pub trait IndexStatements<DB: Backend, const N: usize>: Statements<DB> + UniqueIndex<N> {
    /// `SELECT ... WHERE column = value LIMIT 1`.
    fn select_by(value: Self::Value<'_>) -> impl Load<DB, Self>;

    /// `SELECT ... WHERE column IN (values)`, or `(a = ? AND b = ?) OR ...`.
    fn select_many_by(values: &[Self::Value<'_>]) -> impl Load<DB, Self>;
}

/// The statement of collection `N` on backend `DB`.
pub trait CollectionStatements<DB: Backend, const N: usize>:
    Statements<DB> + crate::model_collection::Collection<N>
{
    /// `SELECT ... WHERE parent = value ORDER BY order, key`.
    fn select_members(parent: Self::Parent<'_>) -> impl Load<DB, Self>;
}

/// The backends with `RETURNING`, where `create` and `save` read the row the statement wrote.
pub trait ReturningBackend: Backend + 'static {}

#[cfg(feature = "postgres")]
impl ReturningBackend for diesel::pg::Pg {}

#[cfg(feature = "sqlite")]
impl ReturningBackend for diesel::sqlite::Sqlite {}
