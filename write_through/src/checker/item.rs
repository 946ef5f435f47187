//! The checker's model type: a row that is only its primary key and the version that wrote
//! it, so that a value read back names the write it came from. It implements the real
//! [`Cached`] contract, so the values in the Redis model are the library's own envelopes and
//! flow through the real `interpret`, `row_value` and `fill_for`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::policy::ValueRules;
use crate::key::KeyWriter;
use crate::model::Cached;

/// One row: key `item:{id}`; `version` names the write that stored it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Item {
    pub(crate) id: i64,
    pub(crate) version: u8,
}

impl Cached for Item {
    crate::model::rows_by_serde!();

    type Id<'a> = &'a i64;
    const MODEL_NAME: &'static str = "Item";
    const KEY_TEMPLATE: &'static str = "item:{id}";
    const TTL: Duration = Duration::from_secs(60);
    const NEGATIVE_TTL: Option<Duration> = Some(Duration::from_secs(5));
    const SCHEMA_FINGERPRINT: u64 = 14;

    fn id(&self) -> &i64 {
        &self.id
    }

    fn write_key(id: &i64, key: &mut KeyWriter) {
        key.literal("item:");
        key.part(id);
    }
}

/// The rules every value is written with: no jitter, so that TTLs (and states) are exact.
pub(crate) const RULES: ValueRules = ValueRules {
    max_value_bytes: 1 << 20,
    jitter: crate::core::policy::Jitter::NONE,
};

/// The Redis key of row `id`, as the core computes it.
pub(crate) fn key(id: i64) -> Vec<u8> {
    crate::core::key::key_of::<Item>("wt", &id)
}
