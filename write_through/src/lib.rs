#![doc = include_str!("lib.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
// `statements::whole_row` implements `Arity` for tuples up to 128 elements, one length per step.
#![recursion_limit = "256"]

pub mod guide;

/// The README's examples, compiled by `cargo test --doc` (each is a whole program).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

#[cfg(feature = "async")]
#[cfg_attr(docsrs, doc(cfg(feature = "async")))]
pub mod asynch;
pub mod blocking;
mod cache;
#[cfg(test)]
mod checker;
mod codec;
pub mod collection;
mod core;
mod drive;
mod envelope;
mod error;
pub mod feed;
pub mod index;
mod jitter;
pub mod key;
mod local;
mod model;
mod model_collection;
#[doc(hidden)] // test support: pause points in the protocol, not an API
pub mod pause;
mod pooled;
mod redacted;
mod redis;
mod row_clone;
mod row_form;
mod shared;
mod statements;
mod stats;
mod token;

#[cfg(feature = "mysql")]
mod mysql;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use cache::{Cache, CacheBuilder, WritePolicy};
pub use codec::Codec;
pub use error::{
    CacheError, CodecError, ConfigError, ConflictError, Error, Result, UnavailableError, UsageError,
};
pub use key::{CollectionKeys, IndexKeys, KeyPart, KeyPartWriter, KeyWriter, RetiredKeys};
#[cfg(feature = "async")]
pub use model::{
    AsyncDieselCreate, AsyncDieselIndex, AsyncDieselOps, AsyncDieselUpdate, BoxFuture,
};
pub use model::{
    Cached, DieselCreate, DieselIndex, DieselOps, DieselUpdate, SavesByRef, SavesInPlace,
    UniqueIndex,
};
#[cfg(feature = "async")]
pub use model_collection::AsyncDieselCollection;
pub use model_collection::{Collection, DieselCollection};
pub use pooled::Pooled;
pub use stats::Stats;
#[doc = include_str!("derive.md")]
pub use write_through_derive::WriteThrough;

/// Everything a model file of a blocking service needs: the derive, the cache handle, the error
/// type, and the blocking front's operations (`find`, `find_many`, `save`, `delete`, `create`,
/// `cache.transaction`). An async service imports `write_through::asynch::prelude` instead.
pub mod prelude {
    pub use crate::blocking::{ModelOps as _, SaveOps as _, TransactionOps as _};
    pub use crate::{Cache, Cached, Error, WriteThrough};
}

/// What generated code refers to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use diesel;

    pub use crate::collection::CollectionLookup;
    pub use crate::feed::{
        ChangeKeyWriter, ChangeKeys, ColumnTexts, Dependencies, FromChangeText, UnreadableChange,
        index_column, key_column,
    };
    pub use crate::index::IndexLookup;
    pub use crate::key::{CollectionKeys, IndexKeys, KeyPart, KeyWriter, RetiredKeys};
    pub use crate::model::{Cached, UniqueIndex};
    pub use crate::model_collection::Collection;
    pub use crate::row_clone::{CloneRow, NoCloneRow, RowRef};
    pub use crate::row_form::{FieldSeed, cache_field, fill, next_field, present};
    #[cfg(feature = "mysql")]
    pub use crate::statements::CreatedByAutoIncrement;
    pub use crate::statements::{
        BumpsVersion, CollectionStatements, Execute, IndexStatements, Load, NoStatement,
        PlainWrites, ReadOnly, RowColumns, Statements, Unversioned, UpdateReturning,
        UpdateThenInsert, UpdateThenSelect, Upsert, UpsertStatement, VersionedStatements,
        VersionedUpdateThenInsert, VersionedUpsert, WithVersionBump, as_select,
    };
    pub use crate::{Cache, Codec};
    pub use serde;

    pub use crate::{
        __if_feed as if_feed, __if_mysql as if_mysql, __if_postgres as if_postgres,
        __if_sqlite as if_sqlite,
    };
}

// The derive emits each backend's impls inside one of these, so that code for a backend whose
// feature is off is dropped before it is compiled.

#[cfg(feature = "postgres")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_postgres { ($($item:tt)*) => { $($item)* }; }
#[cfg(not(feature = "postgres"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_postgres {
    ($($item:tt)*) => {};
}

#[cfg(any(feature = "postgres", feature = "binlog"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_feed { ($($item:tt)*) => { $($item)* }; }
#[cfg(not(any(feature = "postgres", feature = "binlog")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_feed {
    ($($item:tt)*) => {};
}

#[cfg(feature = "mysql")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_mysql { ($($item:tt)*) => { $($item)* }; }
#[cfg(not(feature = "mysql"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_mysql {
    ($($item:tt)*) => {};
}

#[cfg(feature = "sqlite")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_sqlite { ($($item:tt)*) => { $($item)* }; }
#[cfg(not(feature = "sqlite"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_sqlite {
    ($($item:tt)*) => {};
}
