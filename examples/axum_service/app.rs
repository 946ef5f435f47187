//! The axum service's model, state and router, shared by `main.rs` and the end-to-end test
//! (`examples/tests/axum_service.rs`, which compiles this file in and serves it on a free port).
//!
//! `GET /users/{id}` (200, 404), `PUT /users/{id}` (upsert, 200 with the row as stored),
//! `DELETE /users/{id}` (204, 404), `POST /users` (create, 201 with the row), `GET /stats`
//! (the cache's counters and the number of database statements sent), `GET /slow/{ms}` (a
//! query that holds a pooled connection for `ms` milliseconds, at most 10 000: the slow
//! report of a real service, for the load program's run with slow requests).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use diesel_async::pooled_connection::deadpool::{Pool, PoolError};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use serde::{Deserialize, Serialize};
use serde_json::json;
use write_through::Pooled;
use write_through::asynch::prelude::*;

diesel::table! {
    axum_users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
    }
}

/// The table, created when missing.
pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS axum_users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL
)";

#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
    Debug,
    Clone,
    PartialEq,
)]
#[diesel(table_name = axum_users)]
#[write_through(key = "axum_user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// The body of `POST /users` and `PUT /users/{id}`: a user without its id.
#[derive(Insertable, Deserialize, Serialize, Debug, Clone)]
#[diesel(table_name = axum_users)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub name: String,
}

/// What the handlers share: the pool, the cache (`None` in `NO_CACHE=1` mode, where every
/// request goes to the database), and a count of the statements sent to the database.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool<AsyncPgConnection>,
    pub cache: Option<Cache>,
    pub db_statements: Arc<AtomicU64>,
}

/// Counts every statement a pooled connection sends (queries, `BEGIN`, `COMMIT`, ...).
struct StatementCounter(Arc<AtomicU64>);

impl Instrumentation for StatementCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl AppState {
    /// A pool of `pool_size` connections to `database_url` (each counting its statements),
    /// with the table created if missing.
    pub async fn connect(
        database_url: &str,
        pool_size: usize,
        cache: Option<Cache>,
    ) -> Result<Self, String> {
        let db_statements = Arc::new(AtomicU64::new(0));
        let counter = db_statements.clone();
        let mut config = ManagerConfig::<AsyncPgConnection>::default();
        // `Verified` (the default) sends a `SELECT 1` at every checkout: one more statement
        // per request, hit or miss. A broken connection is discarded at its next error anyway.
        config.recycling_method = RecyclingMethod::Fast;
        config.custom_setup = Box::new(move |url| {
            let counter = counter.clone();
            Box::pin(async move {
                let mut conn = AsyncPgConnection::establish(url).await?;
                conn.set_instrumentation(StatementCounter(counter));
                Ok(conn)
            })
        });
        let manager = AsyncDieselConnectionManager::new_with_config(database_url, config);
        let pool = Pool::builder(manager)
            .max_size(pool_size)
            .build()
            .map_err(|error| format!("cannot build the connection pool: {error}"))?;
        let mut conn = pool
            .get()
            .await
            .map_err(|error| format!("PostgreSQL is not reachable: {}", describe_pool(&error)))?;
        if let Err(error) = conn.batch_execute(CREATE_TABLE).await {
            // Two processes creating the table at once: the loser's error is harmless.
            let text = error.to_string();
            if !text.contains("already exists") && !text.contains("duplicate key") {
                return Err(format!("cannot create the table axum_users: {text}"));
            }
        }
        drop(conn);
        Ok(Self {
            pool,
            cache,
            db_statements,
        })
    }
}

/// The routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/users", post(create_user))
        .route(
            "/users/{id}",
            get(get_user).put(put_user).delete(delete_user),
        )
        .route("/stats", get(stats))
        .route("/slow/{ms}", get(slow))
        .with_state(state)
}

async fn get_user(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id?;
    let user: Option<User> = if let Some(cache) = &state.cache {
        // Through the pool: a hit takes no connection (it is served while every connection is
        // busy, or the database down); a miss checks one out for its query.
        User::find(&mut Pooled(&state.pool), cache, &id).await?
    } else {
        let mut conn = state.pool.get().await?;
        axum_users::table
            .find(id)
            .select(User::as_select())
            .first(&mut conn)
            .await
            .optional()?
    };
    match user {
        Some(user) => Ok(axum::Json(user).into_response()),
        None => Err(ApiError::NotFound),
    }
}

async fn put_user(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    body: Result<axum::Json<NewUser>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id?;
    let axum::Json(body) = body?;
    let user = User {
        id,
        email: body.email,
        name: body.name,
    };
    let stored: Option<User> = match &state.cache {
        // The free function, not the method: it returns the row as the database stored it.
        // Through the pool: a connection is checked out for the lock and the upsert, and given
        // back before the publish.
        Some(cache) => write_through::asynch::save(&user, &mut Pooled(&state.pool), cache).await?,
        // Read to the end (not `get_result`), as the library does: diesel-async returns at the
        // first row, before PostgreSQL says whether the implicit commit succeeded.
        None => {
            let mut conn = state.pool.get().await?;
            diesel::insert_into(axum_users::table)
                .values(&user)
                .on_conflict(axum_users::id)
                .do_update()
                .set(&user)
                .returning(User::as_returning())
                .get_results(&mut conn)
                .await?
                .pop()
        }
    };
    // `None` only when a concurrent DELETE removed the row before it was read back.
    let stored = stored.ok_or(ApiError::NotFound)?;
    Ok(axum::Json(stored).into_response())
}

async fn delete_user(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id?;
    let existed = if let Some(cache) = &state.cache {
        User::delete(&mut Pooled(&state.pool), cache, &id).await?
    } else {
        let mut conn = state.pool.get().await?;
        diesel::delete(axum_users::table.find(id))
            .execute(&mut conn)
            .await?
            > 0
    };
    if existed {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::NotFound)
    }
}

async fn create_user(
    State(state): State<AppState>,
    body: Result<axum::Json<NewUser>, JsonRejection>,
) -> Result<Response, ApiError> {
    let axum::Json(new) = body?;
    let created: User = if let Some(cache) = &state.cache {
        User::create(&mut Pooled(&state.pool), cache, new).await?
    } else {
        let mut conn = state.pool.get().await?;
        diesel::insert_into(axum_users::table)
            .values(&new)
            .returning(User::as_returning())
            .get_results(&mut conn)
            .await?
            .pop()
            .ok_or(ApiError::NotFound)?
    };
    Ok((StatusCode::CREATED, axum::Json(created)).into_response())
}

async fn slow(
    State(state): State<AppState>,
    ms: Result<Path<u32>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(ms) = ms?;
    if ms > 10_000 {
        return Err(ApiError::BadRequest(
            StatusCode::BAD_REQUEST,
            "at most 10000 ms".into(),
        ));
    }
    let mut conn = state.pool.get().await?;
    diesel::select(pg_sleep(f64::from(ms) / 1000.0))
        .execute(&mut conn)
        .await?;
    Ok(StatusCode::OK.into_response())
}

diesel::define_sql_function! {
    /// PostgreSQL's `pg_sleep(seconds)`.
    fn pg_sleep(seconds: diesel::sql_types::Double);
}

async fn stats(State(state): State<AppState>) -> Response {
    let db_statements = AtomicU64::load(&state.db_statements, Ordering::Relaxed);
    let body = match &state.cache {
        Some(cache) => {
            let s = cache.stats();
            json!({
                "mode": "cache",
                "db_statements": db_statements,
                "hits": s.hits,
                "negative_hits": s.negative_hits,
                "misses": s.misses,
                "fills": s.fills,
                "fills_refused": s.fills_refused,
                "locks": s.locks,
                "publishes": s.publishes,
                "invalidations": s.invalidations,
                "cache_errors": s.cache_errors,
                "unreadable_values": s.unreadable_values,
                "pending_invalidations": s.pending_invalidations,
                "local_hits": s.local_hits,
                "checkouts": s.checkouts,
                "database_unavailable": s.database_unavailable,
            })
        }
        None => json!({ "mode": "direct", "db_statements": db_statements }),
    };
    axum::Json(body).into_response()
}

/// What a request can fail with, as an HTTP status and a JSON body `{"error": "..."}`. The
/// body names the kind of failure only: never a URL, a password or a server's message, which
/// go to the service's log instead.
#[derive(Debug)]
pub enum ApiError {
    NotFound,
    /// A bad path or body: 400 (malformed), 415 (not JSON) or 422 (JSON of the wrong shape).
    BadRequest(StatusCode, String),
    /// A duplicate key, or a version conflict.
    Conflict,
    /// The database or the cache cannot be reached now: 503, worth a retry.
    Unavailable(&'static str),
    /// Anything else: 500.
    Internal(&'static str),
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        // serde's message names the field and the position, nothing of the server's.
        Self::BadRequest(rejection.status(), rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(StatusCode::BAD_REQUEST, rejection.body_text())
    }
}

impl From<PoolError> for ApiError {
    fn from(error: PoolError) -> Self {
        eprintln!(
            "axum_service: no database connection: {}",
            describe_pool(&error)
        );
        Self::Unavailable("database unavailable")
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error as E};
        match error {
            E::NotFound => Self::NotFound,
            E::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::Conflict,
            E::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
            | E::BrokenTransactionManager => {
                eprintln!("axum_service: database connection lost: {error}");
                Self::Unavailable("database unavailable")
            }
            error => {
                eprintln!("axum_service: database error: {error}");
                Self::Internal("database error")
            }
        }
    }
}

impl From<write_through::Error> for ApiError {
    fn from(error: write_through::Error) -> Self {
        match error {
            write_through::Error::Database(error) => error.into(),
            write_through::Error::Cache(error) => {
                // The write was not made (or was undone); the client may retry.
                eprintln!("axum_service: {error}");
                Self::Unavailable("cache unavailable")
            }
            write_through::Error::Conflict(_) => Self::Conflict,
            write_through::Error::Unavailable(error) => {
                // A read that missed the cache, or a write, found no database connection.
                eprintln!("axum_service: {error}");
                Self::Unavailable("database unavailable")
            }
            error => {
                eprintln!("axum_service: {error}");
                Self::Internal("internal error")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, "not found".to_owned()),
            Self::BadRequest(status, message) => (status, message),
            Self::Conflict => (StatusCode::CONFLICT, "conflict".to_owned()),
            Self::Unavailable(what) => (StatusCode::SERVICE_UNAVAILABLE, what.to_owned()),
            Self::Internal(what) => (StatusCode::INTERNAL_SERVER_ERROR, what.to_owned()),
        };
        (status, axum::Json(json!({ "error": message }))).into_response()
    }
}

/// A pool error without the URL (deadpool's own messages do not carry it; this keeps it so).
fn describe_pool(error: &PoolError) -> String {
    match error {
        PoolError::Timeout(_) => "timed out waiting for a connection".to_owned(),
        PoolError::Backend(error) => error.to_string(),
        PoolError::Closed => "the pool is closed".to_owned(),
        PoolError::NoRuntimeSpecified => "no runtime for the pool's timeouts".to_owned(),
        PoolError::PostCreateHook(error) => error.to_string(),
    }
}
