//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`; not a public API).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::read::{self, CachedState};
use crate::envelope::Envelope;
use crate::key::KeyWriter;
use crate::model::Cached;

/// A model with the shapes bincode finds hardest: strings, options, sequences, nesting.
#[derive(Debug, Serialize, Deserialize)]
pub struct Probe {
    id: i64,
    name: String,
    tags: Vec<String>,
    parent: Option<Box<Probe>>,
    score: f64,
}

impl Cached for Probe {
    crate::model::rows_by_serde!();

    type Id<'a> = (&'a str, &'a str);
    const MODEL_NAME: &'static str = "Probe";
    const KEY_TEMPLATE: &'static str = "probe:{a}:{b}";
    const TTL: Duration = Duration::from_secs(1);
    const NEGATIVE_TTL: Option<Duration> = None;
    const SCHEMA_FINGERPRINT: u64 = 0x5EED;

    fn id(&self) -> Self::Id<'_> {
        (&self.name, &self.name)
    }

    fn write_key(id: Self::Id<'_>, key: &mut KeyWriter) {
        key.literal("probe:");
        key.part(id.0);
        key.literal(":");
        key.part(id.1);
    }
}

/// A model cached in MessagePack, with containers whose declared lengths serde may preallocate.
#[derive(Debug, Serialize, Deserialize)]
pub struct MessagePackProbe {
    id: i64,
    nested: Vec<Vec<u64>>,
    names: Vec<String>,
    map: std::collections::BTreeMap<String, Vec<i64>>,
    bytes: Vec<u8>,
}

impl Cached for MessagePackProbe {
    crate::model::rows_by_serde!();

    type Id<'a> = &'a i64;
    const MODEL_NAME: &'static str = "MessagePackProbe";
    const KEY_TEMPLATE: &'static str = "probe:{id}";
    const TTL: Duration = Duration::from_secs(1);
    const NEGATIVE_TTL: Option<Duration> = None;
    const SCHEMA_FINGERPRINT: u64 = 0x5EED_0002;
    const CODEC: crate::envelope::Codec = crate::envelope::Codec::MessagePack;

    fn id(&self) -> &i64 {
        &self.id
    }

    fn write_key(id: &i64, key: &mut KeyWriter) {
        key.literal("probe:");
        key.part(id);
    }
}

/// The header of a [`MessagePackProbe`] row: prepend it to a payload to make a value.
pub fn message_pack_probe_header() -> Vec<u8> {
    let mut header = Vec::new();
    crate::envelope::write_row_header(
        &mut header,
        crate::envelope::Codec::MessagePack,
        MessagePackProbe::SCHEMA_FINGERPRINT,
    );
    header
}

/// Reads arbitrary bytes as a cached [`MessagePackProbe`], as `find` would; must never panic.
/// `true` when they decoded to a row.
pub fn read_message_pack_value(bytes: &[u8]) -> bool {
    matches!(
        read::interpret::<MessagePackProbe>(Some(bytes), 1 << 20),
        CachedState::Row(_)
    )
}

/// Reads arbitrary bytes as a cached value, as `find` would; must never panic. `true` when
/// they decoded to a row.
pub fn read_value(bytes: &[u8]) -> bool {
    let _ = Envelope::parse(bytes);
    matches!(
        read::interpret::<Probe>(Some(bytes), 1 << 20),
        CachedState::Row(_)
    )
}

/// Renders the key of the composite id `(a, b)`.
pub fn render_key(a: &str, b: &str) -> Vec<u8> {
    let mut key = KeyWriter::new("fuzz");
    Probe::write_key((a, b), &mut key);
    key.into_bytes()
}
