//! The one error type every operation returns.

/// Everything that can go wrong in a `write_through` operation.
///
/// The database is the source of truth and Redis an accelerator, so most Redis failures are
/// absorbed (counted, logged, and repaired later) rather than returned: a read falls back to
/// the database and a committed write still returns `Ok`. [`Error::Cache`] reaches the caller
/// only where the caller asked for it (a health check such as [`Cache::ping`](crate::Cache::ping)).
///
/// No variant carries a password or a connection URL in its message.
///
/// Each error prints once: a variant's message includes what it wraps (the database's or
/// Redis's own message), so `source()` does not return it again, and a report that walks the
/// chain (`anyhow`'s `{:#}`, say) does not print it twice.
///
/// ```
/// use write_through::Error;
///
/// /// What an HTTP handler might answer for each error.
/// fn status(error: &Error) -> u16 {
///     match error {
///         Error::Conflict(_) => 409,                       // read again and retry
///         Error::Database(diesel::result::Error::NotFound) => 404,
///         Error::Database(_) | Error::Cache(_) => 503,     // Cache: only under WritePolicy::Strict
///         _ => 500,                                        // Usage, Codec, Config: a bug to fix
///     }
/// }
/// assert_eq!(status(&Error::Database(diesel::result::Error::NotFound)), 404);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database refused or failed the operation; nothing was published to the cache.
    #[error("database error: {0}")]
    Database(diesel::result::Error),
    /// Redis could not be reached, timed out, or answered with an error.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// A row could not be encoded for the cache.
    #[error(transparent)]
    Codec(#[from] CodecError),
    /// The cache was configured with an invalid value.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Optimistic locking: the row's version in the database is not the one the caller read;
    /// nothing was changed.
    #[error(transparent)]
    Conflict(#[from] ConflictError),
    /// The operation cannot run in the state the caller's connection is in.
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// An operation through a pool ([`Pooled`](crate::Pooled)) needed a database connection
    /// and could not get one: the pool timed out, or the database could not be reached. A read
    /// that missed the cache read nothing (what the cache holds is still served to other
    /// reads); a write wrote nothing, and the cache is as it was.
    #[error(transparent)]
    Unavailable(#[from] UnavailableError),
}

/// No database connection for an operation through a pool that needed one: a read that missed
/// the cache, or a write ([`Error::Unavailable`]). Its message says why (the pool's timeout, a
/// connection refused), never with the database's URL.
#[derive(Debug, thiserror::Error)]
#[error("no database connection: {reason}")]
pub struct UnavailableError {
    reason: String,
    timeout: bool,
}

impl UnavailableError {
    pub(crate) fn new(reason: String, timeout: bool) -> Self {
        Self { reason, timeout }
    }

    /// Whether the pool gave up waiting for a connection rather than reporting why it could not
    /// make one. r2d2 and bb8 report every failure as their timeout (all connections busy, or
    /// none could be made in time); deadpool reports a refused connection at once.
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }
}

/// Not `#[from]`: the message includes Diesel's, so the error is not also its `source()`.
impl From<diesel::result::Error> for Error {
    fn from(error: diesel::result::Error) -> Self {
        Error::Database(error)
    }
}

/// A failed conversation with Redis.
///
/// Returned by the health checks ([`Cache::ping`](crate::Cache::ping),
/// [`Cache::invalidate`](crate::Cache::invalidate) and their async forms), and inside
/// [`Error::Cache`] by writes under [`WritePolicy::Strict`](crate::WritePolicy::Strict); other
/// operations absorb Redis failures. Its message names the operation, never the URL.
///
/// ```
/// # fn main() -> Result<(), write_through::Error> {
/// // Nothing listens on port 1: the check fails, and says what it was doing.
/// let cache = write_through::Cache::open("redis://127.0.0.1:1")?;
/// let error: write_through::CacheError = cache.ping().unwrap_err();
/// eprintln!("Redis {} failed (timeout: {}): {error}", error.operation(), error.is_timeout());
/// assert!(!error.to_string().contains("127.0.0.1"));
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[error("Redis {operation} failed: {redis}")]
pub struct CacheError {
    operation: &'static str,
    /// Printed in the message, so not a `source()` (it would print twice).
    redis: redis::RedisError,
}

impl CacheError {
    pub(crate) fn new(operation: &'static str, redis: redis::RedisError) -> Self {
        Self { operation, redis }
    }

    /// A reply whose shape is not what the command returns.
    pub(crate) fn unexpected_reply(operation: &'static str) -> Self {
        Self::new(
            operation,
            redis::RedisError::from((
                redis::ErrorKind::UnexpectedReturnType,
                "reply of an unexpected shape",
            )),
        )
    }

    /// Redis's own error, for its kind and code (not the error's `source()`: its message is
    /// already in this one's).
    ///
    /// ```
    /// fn refused_for_memory(error: &write_through::CacheError) -> bool {
    ///     error.redis_error().code() == Some("OOM")
    /// }
    /// ```
    pub fn redis_error(&self) -> &redis::RedisError {
        &self.redis
    }

    /// What the library was doing when Redis failed (`"GET"`, `"connect"`, ...).
    ///
    /// ```
    /// fn log(error: &write_through::CacheError) {
    ///     eprintln!("Redis failed during {}: {error}", error.operation());
    /// }
    /// ```
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// True when Redis did not answer in time.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), write_through::Error> {
    /// # let cache = write_through::Cache::open("redis://127.0.0.1:6379")?;
    /// match cache.ping() {
    ///     Ok(()) => {}
    ///     Err(error) if error.is_timeout() => eprintln!("Redis is slow: {error}"),
    ///     Err(error) => eprintln!("Redis is down: {error}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_timeout(&self) -> bool {
        self.redis.is_timeout()
    }
}

/// A row that its codec could not encode (a type whose `Serialize` impl fails, a map with
/// non-string keys where the codec needs them), or could encode but not decode again.
///
/// `save` encodes the row before it writes anything, so a row that does not encode is
/// refused with [`Error::Codec`] and the database is unchanged. A row that encodes but does not
/// decode again is not returned as an error: it is left uncached, counted
/// ([`Stats::undecodable_rows`](crate::Stats::undecodable_rows)) and warned about once per model.
///
/// ```
/// # use diesel::prelude::*;
/// # use write_through::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// #[derive(Queryable, Selectable, WriteThrough, Debug)]
/// #[diesel(table_name = users)]
/// #[write_through(key = "user:{id}", ttl = "1h")]
/// pub struct User {
///     pub id: i64,
///     #[write_through(with = "refusing")] // a cache encoding that fails
///     pub email: String,
/// }
///
/// mod refusing {
///     pub fn serialize<S: serde::Serializer>(_: &str, _: S) -> Result<S::Ok, S::Error> {
///         Err(serde::ser::Error::custom("this field is not for caching"))
///     }
///
///     pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
///         serde::Deserialize::deserialize(d)
///     }
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish(":memory:")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let user = User { id: 1, email: "ada@example.com".into() };
/// match user.save(&mut conn, &cache) {
///     Err(Error::Codec(error)) => {
///         assert_eq!(error.model(), "User");
///         assert!(!error.is_undecodable());
///     }
///     other => panic!("expected a codec error, got {other:?}"),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[error("cannot encode {model} for the cache: {message}")]
pub struct CodecError {
    pub(crate) model: &'static str,
    pub(crate) message: String,
    pub(crate) undecodable: bool,
}

impl CodecError {
    /// The model's struct name.
    ///
    /// ```
    /// fn log(error: &write_through::CodecError) {
    ///     eprintln!("a {} row cannot be cached: {error}", error.model());
    /// }
    /// ```
    pub fn model(&self) -> &'static str {
        self.model
    }

    /// True when the row encoded but did not decode again: a field type the model's codec
    /// cannot carry (see [`Codec`](crate::Codec)).
    ///
    /// ```
    /// fn advice(error: &write_through::CodecError) -> &'static str {
    ///     if error.is_undecodable() {
    ///         "a field type the codec cannot carry: let the derive choose the codec"
    ///     } else {
    ///         "a field whose Serialize fails"
    ///     }
    /// }
    /// ```
    pub fn is_undecodable(&self) -> bool {
        self.undecodable
    }
}

/// A save refused by optimistic locking: someone else saved the row since it was read.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { documents (id) { id -> BigInt, body -> Text, version -> Integer, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = documents)]
/// # #[write_through(key = "document:{id}", ttl = "1h")]
/// # pub struct Document { pub id: i64, pub body: String,
/// #     #[write_through(version)] #[diesel(skip_update)] pub version: i32 }
/// # fn main() -> Result<(), write_through::Error> {
/// # let mut conn = SqliteConnection::establish("app.sqlite").unwrap();
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// // Read, change, save; on a conflict read the newer row and apply the change again.
/// loop {
///     let Some(mut doc) = Document::find(&mut conn, &cache, &7)? else { break };
///     doc.body.push_str(" (reviewed)");
///     match doc.save(&mut conn, &cache) {
///         Err(Error::Conflict(conflict)) => eprintln!("{} moved on; retrying", conflict.model()),
///         other => break other?,
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[error(
    "{model} was changed by someone else since it was read (its version moved on); read it again and retry"
)]
pub struct ConflictError {
    model: &'static str,
}

impl ConflictError {
    #[doc(hidden)]
    pub fn new(model: &'static str) -> Self {
        Self { model }
    }

    /// The model's struct name.
    pub fn model(&self) -> &'static str {
        self.model
    }
}

/// A configuration value that the cache cannot work with, returned inside [`Error::Config`] by
/// [`CacheBuilder::build`](crate::CacheBuilder::build) (and so by `Cache::open`). Its message
/// says which setting is wrong, without the URL's password.
///
/// ```
/// let error = write_through::Cache::builder("redis://127.0.0.1:6379")
///     .ttl_jitter(1.5)
///     .build()
///     .unwrap_err();
/// assert!(matches!(error, write_through::Error::Config(_)));
/// assert_eq!(
///     error.to_string(),
///     "invalid cache configuration: ttl_jitter must be at least 0.0 and below 1.0"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[error("invalid cache configuration: {0}")]
pub struct ConfigError(pub(crate) String);

/// An operation called in a situation the library refuses, with what to do instead.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { notes (id) { id -> BigInt, body -> Text, version -> Integer, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = notes)]
/// # #[write_through(key = "note:{id}", ttl = "1h")]
/// # pub struct Note { pub id: i64, pub body: String,
/// #     #[write_through(version)] #[diesel(skip_update)] pub version: i32 }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut conn = SqliteConnection::establish("app.sqlite")?;
/// # let cache = Cache::open("redis://127.0.0.1:6379")?;
/// # let note = Note { id: 1, body: String::new(), version: 0 };
/// // Diesel's own transaction hides its commit from the cache, so writes in it are refused...
/// let refused = conn.transaction(|conn| {
///     let mut note = Note { id: 1, body: "draft".into(), version: 0 };
///     note.save(conn, &cache)
/// });
/// assert!(matches!(refused, Err(Error::Usage(write_through::UsageError::InsideTransaction { .. }))));
/// // ...and cache.transaction is the one to use.
/// cache.transaction(&mut conn, |conn| {
///     let mut note = Note { id: 1, body: "draft".into(), version: 0 };
///     note.save(conn, &cache)
/// })?;
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// A cached write ran on a connection inside a transaction the library does not manage
    /// (Diesel's own `transaction`, `begin_test_transaction`).
    ///
    /// The library publishes a row to Redis after the database has committed it; inside a
    /// foreign transaction it cannot know when (or whether) that commit happens, so it refuses
    /// rather than publish a row that may still roll back.
    #[error(
        "{operation} on {model} was called inside a database transaction that write_through does \
         not manage; run it inside cache.transaction(&mut conn, |conn| ...) instead, which \
         publishes to the cache after the commit"
    )]
    InsideTransaction {
        /// The refused operation.
        operation: &'static str,
        /// The model's struct name.
        model: &'static str,
    },
    /// `Cache::transaction` was called on a connection already inside a transaction the
    /// library does not manage: its publishes would run before the outer commit.
    #[error(
        "cache.transaction was called on a connection already inside a transaction that \
         write_through does not manage; make cache.transaction the outermost transaction"
    )]
    TransactionInsideForeignTransaction,
    /// `create` on MySQL/MariaDB needs a single integer auto-increment primary key, because
    /// MySQL has no `RETURNING` and the created row is read back by `LAST_INSERT_ID()`.
    #[error(
        "create on {model} with MySQL needs a single integer AUTO_INCREMENT primary key that the \
         database generates (leave it out of the Insertable); to choose the key yourself, call save"
    )]
    CreateNeedsAutoIncrementKey {
        /// The model's struct name.
        model: &'static str,
    },
    /// `create` was given something that inserts no row or several (a `Vec` of rows): it
    /// creates exactly one. Nothing was inserted.
    #[error(
        "create on {model} inserts exactly one row, and this would have inserted {rows}; save each row instead"
    )]
    CreateInsertsOneRow {
        /// The model's struct name.
        model: &'static str,
        /// How many rows the insert affected.
        rows: usize,
    },
    /// `create` inserted a row but could not read it back (it was deleted concurrently).
    #[error("create on {model} inserted a row but it was gone before it could be read back")]
    CreatedRowVanished {
        /// The model's struct name.
        model: &'static str,
    },
    /// `upsert` called directly on a model built on a join or on computed expressions
    /// (`base_query`, `select_expression`), whose rows are not its table's; `save` is not offered
    /// for it at all.
    #[error(
        "{model} is built on a join or computed expressions and cannot be saved; write through Model::update with a form, or Model::create"
    )]
    ReadOnlyModel {
        /// The model's struct name.
        model: &'static str,
    },
    /// An operation through a pool ([`Pooled`](crate::Pooled)) checked out a connection that
    /// is inside a transaction (a pool whose connections open one, as Diesel's test customizer
    /// does): what a read reads there may never commit, and a write would not commit when the
    /// library commits, so nothing is read, written or cached.
    #[error(
        "an operation on {model} through a pool checked out a connection inside a database transaction (a pool customizer that begins one?); pass &mut conn instead"
    )]
    PooledConnectionInsideTransaction {
        /// The model's struct name.
        model: &'static str,
    },
}

/// A short name for results of this crate.
///
/// ```no_run
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { users (id) { id -> BigInt, email -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = users)]
/// # #[write_through(key = "user:{id}", ttl = "1h")]
/// # pub struct User { pub id: i64, pub email: String }
/// fn email_of(conn: &mut SqliteConnection, cache: &Cache, id: i64) -> write_through::Result<Option<String>> {
///     Ok(User::find(conn, cache, &id)?.map(|user| user.email))
/// }
/// # fn main() {}
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// True when the error came from the database (including constraint violations).
    ///
    /// ```
    /// use write_through::Error;
    ///
    /// assert!(Error::Database(diesel::result::Error::NotFound).is_database());
    /// ```
    pub fn is_database(&self) -> bool {
        matches!(self, Error::Database(_))
    }
}

// `Error` must cross threads and live in `Box<dyn Error + Send + Sync>`; keep it that way.
const _: fn() = || {
    fn assert<T: std::error::Error + Send + Sync + 'static>() {}
    assert::<Error>();
};

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error as DieselError};

    use super::*;

    /// How many times `needle` appears in `haystack`.
    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn a_database_error_prints_the_databases_message_once_in_a_report_of_its_chain() {
        let refused = DieselError::DatabaseError(
            DatabaseErrorKind::ForeignKeyViolation,
            Box::new(String::from(
                "violates foreign key constraint \"pins_board_id_fkey\"",
            )),
        );
        let report = anyhow::Error::new(Error::from(refused));
        for printed in [
            format!("{report}"),
            format!("{report:#}"),
            format!("{report:?}"),
        ] {
            assert_eq!(count(&printed, "pins_board_id_fkey"), 1, "{printed}");
        }
        assert_eq!(
            format!("{report:#}"),
            "database error: violates foreign key constraint \"pins_board_id_fkey\""
        );
    }

    #[test]
    fn a_redis_error_prints_redis_message_once_in_a_report_of_its_chain() {
        let failed = CacheError::new(
            "GET",
            redis::RedisError::from((redis::ErrorKind::Io, "connection reset by peer")),
        );
        let report = anyhow::Error::new(Error::from(failed));
        for printed in [
            format!("{report}"),
            format!("{report:#}"),
            format!("{report:?}"),
        ] {
            assert_eq!(count(&printed, "connection reset by peer"), 1, "{printed}");
            assert!(printed.contains("Redis GET failed"), "{printed}");
        }
    }
}
