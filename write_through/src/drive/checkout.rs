//! What a read through a pool (`Pooled`) makes of its checkout, whichever front made it: a
//! connection is counted, and refused when it is inside a transaction (what it reads may never
//! commit, so it must not be cached); a failed checkout is counted and logged, and is the
//! read's error.

use std::num::NonZeroU32;

use crate::error::{Error, UnavailableError, UsageError};
use crate::model::Cached;
use crate::stats::{Counters, Event};

/// A connection was checked out for a load of `M`; `depth` is its transaction depth.
pub(crate) fn checked_out<M: Cached>(
    counters: &Counters,
    depth: Result<Option<NonZeroU32>, diesel::result::Error>,
) -> Result<(), Error> {
    counters.record(Event::Checkout, M::MODEL_NAME);
    match depth {
        Ok(None) => Ok(()),
        _ => Err(UsageError::PooledConnectionInsideTransaction {
            model: M::MODEL_NAME,
        }
        .into()),
    }
}

/// No connection could be had for a load of `M`.
pub(crate) fn unavailable<M: Cached>(counters: &Counters, error: UnavailableError) -> Error {
    counters.record(Event::DatabaseUnavailable, M::MODEL_NAME);
    tracing::warn!(model = M::MODEL_NAME, %error, "a read that missed the cache had no database connection");
    error.into()
}
