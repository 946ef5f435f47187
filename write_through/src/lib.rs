//! A Redis cache of Diesel models that is correct by construction.
//!
//! `#[derive(WriteThrough)]` on a Diesel model generates `save`, `find`, `delete` and `create`.
//! Writes commit to the database first and then publish the row to Redis under a key and TTL
//! fixed at compile time; reads go to Redis first and fill it from the database on a miss.
//!
//! ```ignore
//! use diesel::prelude::*;
//! use serde::{Deserialize, Serialize};
//! use write_through::prelude::*;
//!
//! diesel::table! { users (id) { id -> BigInt, email -> Text, name -> Text, } }
//!
//! #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
//!          Serialize, Deserialize, WriteThrough, Debug, Clone, PartialEq)]
//! #[diesel(table_name = users)]
//! #[write_through(key = "user:{id}", ttl = "1h")]
//! pub struct User { pub id: i64, pub email: String, pub name: String }
//!
//! let cache = Cache::open("redis://127.0.0.1:6379")?;
//! user.save(&mut conn, &cache)?;
//! let found: Option<User> = User::find(&mut conn, &cache, &42)?;
//! let existed: bool = User::delete(&mut conn, &cache, &42)?;
//! ```
//!
//! # Backends
//!
//! Enable the cargo features of the Diesel backends you use: `postgres`, `mysql`, `sqlite`.
//! The derive implements the model's queries for each enabled backend; restrict it with
//! Diesel's own `#[diesel(check_for_backend(...))]` when a model only works on some.
//!
//! # Attributes
//!
//! | attribute | meaning |
//! |---|---|
//! | `key = "user:{id}"` | key template; every `{field}` is a primary-key field, `{{`/`}}` are literal braces |
//! | `ttl = "1h"` or `ttl = 3600` | how long a cached row lives (`s`, `m`, `h`, `d`, `ms`; at least one second) |
//! | `negative_ttl = "30s"` | cache "no such row" for this long (off when absent) |
//! | `codec = "msgpack"` or `"bincode"` | how rows are encoded; the derive chooses without it (see [`Codec`]) |
//! | `#[write_through(version)]` on a field | optimistic locking; see [`Error::Conflict`] |
//!
//! # Consistency
//!
//! Writes lock their key in Redis, write the database, and publish with a compare-and-set on
//! the lock; reads that miss take a lease and fill with a compare-and-set on the lease. No
//! interleaving can leave an older row or a deleted row in the cache. Use
//! [`Cache::transaction`] to group writes in one database transaction; writes inside a
//! transaction the library does not manage are refused ([`UsageError::InsideTransaction`]).
//!
//! Keys are `{namespace}:{rendered template}`; see [`key`] for the escaping rule.

#![deny(missing_docs)]

mod batch;
mod breaker;
mod cache;
mod codec;
mod connection;
mod envelope;
mod error;
mod flight;
mod jitter;
pub mod key;
mod model;
pub mod ops;
pub mod pause;
mod protocol;
mod redacted;
mod scripts;
mod slot;
mod stats;
mod store;
mod token;
mod transaction;

#[cfg(feature = "mysql")]
#[doc(hidden)]
pub mod mysql;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use cache::{Cache, CacheBuilder, WritePolicy};
pub use codec::Codec;
pub use error::{CacheError, CodecError, ConfigError, ConflictError, Error, Result, UsageError};
pub use key::{KeyPart, KeyPartWriter, KeyWriter};
pub use model::{Cached, DieselCreate, DieselOps};
pub use stats::Stats;
pub use write_through_derive::WriteThrough;

/// Everything a model file needs: the derive, the cache handle and the error type.
pub mod prelude {
    pub use crate::{Cache, Cached, Error, WriteThrough};
}

/// What generated code refers to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use diesel;

    pub use crate::error::{ConflictError, UsageError};
    pub use crate::key::{KeyPart, KeyWriter};
    pub use crate::model::{Cached, DieselCreate, DieselOps};
    pub use crate::{Cache, Codec, Error, ops};

    #[cfg(feature = "mysql")]
    pub use crate::mysql;

    pub use crate::{
        __if_mysql as if_mysql, __if_postgres as if_postgres, __if_sqlite as if_sqlite,
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
