//! What an operation through a pool (`Pooled`) makes of its checkout, whichever front made it: a
//! connection is counted, and refused when it is inside a transaction (what a read there reads
//! may never commit, so it must not be cached; a write there would not commit when the library
//! commits); a failed checkout is counted and logged, and is the operation's error.

use std::num::NonZeroU32;

use crate::error::{Error, UnavailableError, UsageError};
use crate::stats::{Counters, Event};

/// A connection was checked out for an operation on `model`; `depth` is its transaction depth.
pub(crate) fn checked_out(
    counters: &Counters,
    model: &'static str,
    depth: Result<Option<NonZeroU32>, diesel::result::Error>,
) -> Result<(), Error> {
    counters.record(Event::Checkout, model);
    match depth {
        Ok(None) => Ok(()),
        _ => Err(UsageError::PooledConnectionInsideTransaction { model }.into()),
    }
}

/// No connection could be had for an operation on `model`.
pub(crate) fn unavailable(
    counters: &Counters,
    model: &'static str,
    error: UnavailableError,
) -> Error {
    counters.record(Event::DatabaseUnavailable, model);
    tracing::warn!(model, %error, "an operation that needed the database had no connection");
    error.into()
}
