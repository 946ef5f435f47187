//! Redis Cluster hash slots: CRC16 (XMODEM) of the key, or of its hash tag (the part between
//! the first `{` and the next `}`, when not empty), modulo 16384. User data in keys is escaped
//! and can never form a hash tag; literal braces in a key template (`{{...}}`) can, on purpose.

/// The hash slot of a key.
pub(crate) fn slot(key: &[u8]) -> u16 {
    let hashed = match key.iter().position(|&b| b == b'{') {
        Some(open) => match key[open + 1..].iter().position(|&b| b == b'}') {
            Some(len) if len > 0 => &key[open + 1..open + 1 + len],
            _ => key,
        },
        None => key,
    };
    crc16(hashed) % 16384
}

fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &byte in bytes {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The positions of `keys` grouped by slot, each group in the keys' order, at most `chunk`
/// positions a group.
pub(crate) fn group_by_slot(keys: &[&[u8]], chunk: usize) -> Vec<Vec<usize>> {
    let mut groups: std::collections::BTreeMap<u16, Vec<Vec<usize>>> = Default::default();
    for (position, key) in keys.iter().enumerate() {
        let chunks = groups.entry(slot(key)).or_default();
        match chunks.last_mut() {
            Some(last) if last.len() < chunk => last.push(position),
            _ => chunks.push(vec![position]),
        }
    }
    groups.into_values().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_match_the_redis_cluster_specification() {
        // Examples from the Redis Cluster specification and `CLUSTER KEYSLOT`.
        assert_eq!(crc16(b"123456789"), 0x31C3);
        assert_eq!(slot(b"foo"), 12182);
        assert_eq!(slot(b"bar"), 5061);
    }

    #[test]
    fn a_hash_tag_decides_the_slot() {
        assert_eq!(slot(b"{user1000}.following"), slot(b"{user1000}.followers"));
        assert_eq!(slot(b"{user1000}.following"), slot(b"user1000"));
        // The specification's examples: `{}` is no tag, so the whole key is hashed; only the
        // first `{` counts, so `foo{{bar}}zap` hashes `{bar`.
        assert_eq!(
            slot(b"foo{}{bar}"),
            crc16(b"foo{}{bar}") % 16384,
            "an empty tag hashes the whole key"
        );
        assert_ne!(slot(b"foo{}{bar}"), slot(b"bar"));
        assert_eq!(slot(b"foo{{bar}}zap"), slot(b"{bar"));
        assert_eq!(slot(b"foo{bar}{zap}"), slot(b"bar"));
    }

    #[test]
    fn groups_keep_order_and_size() {
        let keys: Vec<&[u8]> = vec![b"{a}1", b"{b}1", b"{a}2", b"{a}3"];
        let groups = group_by_slot(&keys, 2);
        let mut flat: Vec<usize> = groups.iter().flatten().copied().collect();
        flat.sort_unstable();
        assert_eq!(flat, vec![0, 1, 2, 3]);
        assert!(groups.iter().all(|g| g.len() <= 2));
        assert!(groups.contains(&vec![0, 2]));
    }
}
