//! Tokens that name one writer's lock or one reader's lease, unique across processes.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// 16 bytes: the process id, a random per-process value (from the OS's hash seed) and a
/// per-process counter. The process id is read for every token, so a forked child never
/// repeats its parent's tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token([u8; 16]);

static PROCESS_PREFIX: LazyLock<u64> =
    LazyLock::new(|| RandomState::new().hash_one(std::process::id()));
static NEXT: AtomicU64 = AtomicU64::new(0);

impl Token {
    pub(crate) fn new() -> Self {
        let mut bytes = [0u8; 16];
        bytes[..4].copy_from_slice(&std::process::id().to_le_bytes());
        bytes[4..8].copy_from_slice(&PROCESS_PREFIX.to_le_bytes()[..4]);
        bytes[8..].copy_from_slice(&NEXT.fetch_add(1, Ordering::Relaxed).to_le_bytes());
        Self(bytes)
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Token;

    #[test]
    fn tokens_are_distinct() {
        assert_ne!(Token::new(), Token::new());
    }
}
