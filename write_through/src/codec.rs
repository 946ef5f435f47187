//! bincode behind one small door, so the codec can be swapped without touching the protocol.
//!
//! bincode 2 is pinned to `>=2.0.1, <3` (3.x is an empty tombstone). The configuration is
//! `standard()` (little endian, variable-length integers) and is part of envelope version 1:
//! changing it means a new envelope version.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::envelope::{ROW_PAYLOAD_OFFSET, row_header};
use crate::error::CodecError;

/// Encodes a row as a complete envelope (header and payload) in one allocation.
pub(crate) fn encode_row<M: Serialize>(
    model: &'static str,
    fingerprint: u64,
    row: &M,
) -> Result<Vec<u8>, CodecError> {
    let mut value = Vec::with_capacity(ROW_PAYLOAD_OFFSET + 64);
    value.extend_from_slice(&row_header(fingerprint));
    bincode::serde::encode_into_std_write(row, &mut value, bincode::config::standard()).map_err(
        |e| CodecError {
            model,
            message: e.to_string(),
        },
    )?;
    Ok(value)
}

/// Decodes a payload that must be consumed exactly; `None` when it cannot be.
///
/// bincode allocates a string or byte buffer for its declared length before reading it, so a
/// hostile length prefix could ask for gigabytes. The decode limit caps every such claim. In
/// serde mode only strings and byte buffers claim (sequences grow as they are read), and a
/// genuine payload never claims more bytes than it holds, so the limit is the payload's own
/// length rounded up to a power of sixteen: memory for a hostile value stays within 16x its size.
pub(crate) fn decode_payload<M: DeserializeOwned>(payload: &[u8]) -> Option<M> {
    match payload.len() {
        0..=0x1000 => decode_with_limit::<M, 0x1000>(payload),
        0x1001..=0x1_0000 => decode_with_limit::<M, 0x1_0000>(payload),
        0x1_0001..=0x10_0000 => decode_with_limit::<M, 0x10_0000>(payload),
        0x10_0001..=0x100_0000 => decode_with_limit::<M, 0x100_0000>(payload),
        _ => decode_with_limit::<M, 0x1000_0000>(payload),
    }
}

fn decode_with_limit<M: DeserializeOwned, const LIMIT: usize>(payload: &[u8]) -> Option<M> {
    let config = bincode::config::standard().with_limit::<LIMIT>();
    match bincode::serde::decode_from_slice::<M, _>(payload, config) {
        Ok((row, read)) if read == payload.len() => Some(row),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Envelope;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        id: i64,
        name: String,
        tags: Vec<String>,
    }

    fn sample() -> Row {
        Row {
            id: 7,
            name: "ada".into(),
            tags: vec!["a".into(), "b".into()],
        }
    }

    fn payload_of(value: &[u8]) -> &[u8] {
        match Envelope::parse(value) {
            Ok(Envelope::Row { payload, .. }) => payload,
            other => panic!("not a row: {other:?}"),
        }
    }

    #[test]
    fn an_encoded_row_decodes_to_itself() {
        let value = encode_row("Row", 1, &sample()).unwrap();
        assert_eq!(decode_payload::<Row>(payload_of(&value)), Some(sample()));
    }

    #[test]
    fn the_envelope_carries_the_fingerprint() {
        let value = encode_row("Row", 0xABCD, &sample()).unwrap();
        assert!(matches!(
            Envelope::parse(&value),
            Ok(Envelope::Row {
                fingerprint: 0xABCD,
                ..
            })
        ));
    }

    #[test]
    fn a_truncated_payload_is_refused() {
        let value = encode_row("Row", 1, &sample()).unwrap();
        let payload = payload_of(&value);
        for cut in 0..payload.len() {
            assert_eq!(decode_payload::<Row>(&payload[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let mut value = encode_row("Row", 1, &sample()).unwrap();
        value.push(0);
        assert_eq!(decode_payload::<Row>(payload_of(&value)), None);
    }

    #[test]
    fn a_huge_length_prefix_is_refused_without_allocating_it() {
        // id = 7, then a string length of u64::MAX - 1 (varint tag 0xFD + 8 bytes).
        let mut payload = vec![7u8, 0xFD];
        payload.extend_from_slice(&(u64::MAX - 1).to_le_bytes());
        assert_eq!(decode_payload::<Row>(&payload), None);
    }
}
