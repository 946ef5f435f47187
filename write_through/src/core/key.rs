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

/// Calls `f` with the key of `id`, rendered into a buffer this thread keeps: a look that needs
/// the key only for a moment (the in-process tier's, on every hit) allocates nothing.
pub(crate) fn with_key_of<M: Cached, T>(
    namespace: &str,
    id: M::Id<'_>,
    f: impl FnOnce(&[u8]) -> T,
) -> T {
    thread_local! {
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut key = KeyWriter::reusing(BUFFER.take(), namespace);
    M::write_key(id, &mut key);
    let bytes = key.into_bytes();
    let out = f(&bytes);
    // An outsized key's buffer is not kept.
    if bytes.capacity() <= 1024 {
        BUFFER.set(bytes);
    }
    out
}
