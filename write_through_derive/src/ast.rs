//! What code generation reads: one cached model, checked. Built by [`crate::model`] (the
//! struct's fields and attributes, read, then checked by the rules of [`crate::check`]) and
//! [`crate::unique`] (its indexes); read by [`crate::expand`]. Types only.

use syn::{Ident, Path, Type};

use crate::internals::codec::Codec;

/// Everything code generation needs about one cached model.
pub struct Model {
    pub ident: Ident,
    /// The Diesel table module, e.g. `users` or `crate::schema::users`.
    pub table: Path,
    /// The primary-key fields, in Diesel's `primary_key(...)` order.
    pub key_fields: Vec<KeyField>,
    /// The template as written, for `Cached::KEY_TEMPLATE`.
    pub key_template: String,
    pub key_parts: Vec<KeyPart>,
    pub ttl_millis: u64,
    pub negative_ttl_millis: Option<u64>,
    /// `local = "..."`: the in-process tier's TTL.
    pub local_ttl_millis: Option<u64>,
    pub version: Option<VersionField>,
    pub backends: Vec<Backend>,
    pub fingerprint: u64,
    pub codec: Codec,
    /// The unique indexes, numbered by position (`UniqueIndex<N>`).
    pub indexes: Vec<Index>,
    /// Every field, in declaration order: the row as the cache encodes it.
    pub fields: Vec<RowField>,
    /// How `save` writes the row: column by column when every field is a plain column, else
    /// through the model's own `Insertable` and `AsChangeset`.
    pub writes: RowWrites,
    /// `#[diesel(base_query = ...)]`: what the cache's selects read from, in place of the table.
    pub base_query: Option<syn::Expr>,
    /// `#[write_through(partial_save)]`: `save` writes the struct's columns although they are not
    /// all of the table's (the user says the others have defaults).
    pub partial_save: bool,
    /// Every field's column, when every field is one plain column: the row `save` writes, which
    /// must be the table's whole row. `None` with an embedded or converted field.
    pub plain_columns: Option<Vec<Ident>>,
    /// `retired_by(table::column, ...)`: columns of other tables holding this model's key.
    pub retired_by: Vec<syn::Path>,
    /// `retires(OtherModel, foreign_key = field)`: rows of other models this model's writes
    /// retire.
    pub retires: Vec<Retire>,
    /// The cached collections, numbered by position (`Collection<N>`).
    pub collections: Vec<Collection>,
}

/// One `collection(by = ...)`, checked: the rows grouped by one parent column.
pub struct Collection {
    /// The parent field, as a one-field index: its name is the suffix of `find_all_by_`.
    pub parent: Index,
    /// `order_by = ...`: the field, its column, whether it is an `Option`, and whether the
    /// order is descending. `None`: key order.
    pub order: Option<OrderField>,
    /// `max = ...`, or the default.
    pub max: u64,
}

pub struct OrderField {
    pub ident: Ident,
    pub column: Ident,
    pub nullable: bool,
    pub descending: bool,
}

/// One `retires(...)`, checked: the other model, and the field of this one holding its key.
pub struct Retire {
    pub model: Path,
    pub field: Ident,
    /// The field is an `Option<_>`: a `None` names no row.
    pub nullable: bool,
}

/// The columns `save` writes, the model's own Diesel derives, or nothing.
pub enum RowWrites {
    /// Every field is one plain column: `save` writes each (`None` as `NULL`), and the model
    /// needs neither `Insertable` nor `AsChangeset`.
    Columns {
        /// The columns an insert writes (all but `skip_insertion`).
        inserted: Vec<WrittenColumn>,
        /// The columns an update sets (all but the key, the version and `skip_update`).
        updated: Vec<WrittenColumn>,
    },
    /// Through `&Model`'s `Insertable` and `AsChangeset` (an `embed`ded or converted field).
    ModelDerives,
    /// A model built on a join or on computed expressions (`base_query`, `select_expression`):
    /// its rows are not its table's, so it has no `save` and no `update` of its own.
    ReadOnly,
}

pub struct WrittenColumn {
    pub ident: Ident,
    pub column: Ident,
}

/// A field as the cache encodes it.
pub struct RowField {
    pub ident: Ident,
    pub ty: Type,
    /// `module::serialize` and `module::deserialize` of `#[write_through(with = "module")]`, or
    /// of serde's `with` on the field, carried over.
    pub serialize_with: Option<syn::ExprPath>,
    pub deserialize_with: Option<syn::ExprPath>,
}

pub struct KeyField {
    pub ident: Ident,
    pub ty: Type,
    pub column: Ident,
    /// `#[write_through(newtype)]`: the type is a tuple struct of one field, which is the key.
    pub newtype: bool,
}

/// The rendered key, in order.
pub enum KeyPart {
    Literal(String),
    /// An index into `key_fields`.
    Field(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Mysql,
    Sqlite,
}

/// The optimistic-locking column: `#[write_through(version)]` on an integer field.
pub struct VersionField {
    pub ident: Ident,
    pub column: Ident,
}

/// One unique index, numbered by its position in `Model::indexes`.
pub struct Index {
    /// `email`, or `owner_id_and_name` for a composite index: the suffix of `find_by_`.
    pub name: String,
    pub fields: Vec<IndexField>,
}

pub struct IndexField {
    pub ident: Ident,
    pub column: Ident,
    /// The field's type without `Option`.
    pub ty: Type,
    /// Whether the field is an `Option` (a nullable column: a row with `NULL` is in no entry).
    pub nullable: bool,
    /// Whether the type (without `Option`) is `String`, looked up as `&str`.
    pub string: bool,
    /// `#[write_through(newtype)]`: the type is a tuple struct of one field, which is the key.
    pub newtype: bool,
}
