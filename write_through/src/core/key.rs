//! The Redis key of a row: the namespace, then the model's key template filled with its
//! primary key (see [`crate::key`] for the escaping that keeps keys apart).

use crate::key::KeyWriter;
use crate::model::Cached;

/// The full Redis key of the row with primary key `id`.
pub(crate) fn key_of<M: Cached>(namespace: &str, id: M::Id<'_>) -> Vec<u8> {
    let mut key = KeyWriter::new(namespace);
    M::write_key(id, &mut key);
    key.into_bytes()
}
