//! The checker's model type: a row that is only its primary key, the version that wrote it (so
//! that a value read back names the write it came from) and its parent (the collection
//! scenarios' children move between parents; elsewhere it is `None`). It implements the real
//! [`Cached`] and [`Collection`] contracts, so the values in the Redis model are the library's
//! own envelopes and flow through the real `interpret`, `row_value`, `fill_for` and
//! `core::collection`'s `interpret` and `entry_fill`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::policy::ValueRules;
use crate::key::KeyWriter;
use crate::model::Cached;
use crate::model_collection::Collection;

/// One row: key `item:{id}`; `version` names the write that stored it; `parent` the collection
/// it is a member of (parent `p` of a scenario has id `p + 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Item {
    pub(crate) id: i64,
    pub(crate) version: u8,
    pub(crate) parent: Option<i64>,
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

/// `find_all_by_parent`: the items whose parent is one parent, in key order (no order column,
/// so every member's order value is empty).
impl Collection<0> for Item {
    type Parent<'a> = &'a i64;
    const COLLECTION_NAME: &'static str = "parent";
    const MAX_MEMBERS: usize = 8;

    fn parent(&self) -> Option<&i64> {
        self.parent.as_ref()
    }

    fn has_parent(&self, parent: &i64) -> bool {
        self.parent.as_ref() == Some(parent)
    }

    fn write_parent(parent: &i64, key: &mut KeyWriter) {
        key.part(parent);
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

/// The id of a scenario's parent `p`.
pub(crate) fn parent_id(p: usize) -> i64 {
    i64::try_from(p).unwrap_or(0) + 1
}

/// A parent's name in traces: `A` for parent 0 (id 1), `B` for parent 1.
pub(crate) fn parent_name(id: i64) -> char {
    u8::try_from(id - 1).map_or('?', |p| char::from(b'A' + p))
}

/// The Redis key of parent `p`'s collection, as the core computes it.
pub(crate) fn collection_key(p: usize) -> Vec<u8> {
    crate::model_collection::collection_key::<Item, 0>("wt", &parent_id(p))
}
