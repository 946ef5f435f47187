//! The codecs of cached rows, behind one small door so the protocol never sees them.
//!
//! Two codecs, chosen per model by the derive ([`Codec`]): bincode, compact and fast, for
//! models whose every field type the derive can prove bincode decodes; MessagePack
//! (`rmp-serde`), self-describing, for everything else: `serde_json::Value`, untagged and
//! internally tagged enums, `#[serde(flatten)]`, and any type the derive cannot see into.
//!
//! bincode 2 is pinned to `>=2.0.1, <3` (3.x is an empty tombstone). Its configuration is
//! `standard()` (little endian, variable-length integers) and is part of envelope version 1:
//! changing it means a new envelope version. MessagePack rows use rmp-serde's default layout
//! with field names (`write_named`: structs as maps). Not as arrays: the fingerprint pins only
//! the model's own fields, and a nested type (a JSON-mapped struct, an embedded one) decoded
//! by position goes silently wrong when it skips a field on the way out
//! (`skip_serializing_if`) or another deploy reordered or added its fields: `{"locale":"fr"}`
//! would come back as `{"theme":"fr"}`. By name, a skipped field is a missing key and comes
//! back as its default, and order does not matter.
//!
//! Every row is decoded again right after it is encoded, before it is written to Redis, so a
//! type that a codec carries one way only is never cached: it is reported once per model and
//! counted ([`Stats::undecodable_rows`](crate::Stats::undecodable_rows)), and its reads go to
//! the database.

use std::collections::HashSet;
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use crate::envelope::Codec;
use crate::envelope::{MAX_ROW_HEADER_LEN, row_header_len, write_row_header};
use crate::error::CodecError;
use crate::model::Cached;

/// Encodes a row as a complete envelope (header and payload) in one allocation.
pub(crate) fn encode_row<M: Cached>(row: &M) -> Result<Vec<u8>, CodecError> {
    encode_with(
        M::CODEC,
        M::MODEL_NAME,
        M::SCHEMA_FINGERPRINT,
        &Encoded(row),
    )
}

/// Decodes a row of `M` from a payload that must be consumed exactly; `None` when it cannot be.
pub(crate) fn decode_row<M: Cached>(codec: Codec, payload: &[u8]) -> Option<M> {
    decode_payload::<Decoded<M>>(codec, payload).map(|decoded| decoded.0)
}

/// A row as the cache encodes it ([`Cached::serialize_row`], which the derive writes).
struct Encoded<'a, M>(&'a M);

impl<M: Cached> Serialize for Encoded<'_, M> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_row(serializer)
    }
}

/// A row decoded from the cache ([`Cached::deserialize_row`]).
struct Decoded<M>(M);

impl<'de, M: Cached> serde::Deserialize<'de> for Decoded<M> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        M::deserialize_row(deserializer).map(Decoded)
    }
}

/// Encodes a row with `codec` (the envelope records which).
pub(crate) fn encode_with<M: Serialize>(
    codec: Codec,
    model: &'static str,
    fingerprint: u64,
    row: &M,
) -> Result<Vec<u8>, CodecError> {
    let mut value = Vec::with_capacity(MAX_ROW_HEADER_LEN + 64);
    write_row_header(&mut value, codec, fingerprint);
    let failed = |message: String| CodecError {
        model,
        message,
        undecodable: false,
    };
    match codec {
        Codec::Bincode => {
            bincode::serde::encode_into_std_write(row, &mut value, bincode::config::standard())
                .map_err(|e| failed(e.to_string()))?;
        }
        Codec::MessagePack => {
            rmp_serde::encode::write_named(&mut value, row).map_err(|e| failed(e.to_string()))?;
        }
    }
    Ok(value)
}

/// Encodes a row for the cache and proves that it decodes again. A row that does not decode
/// is an error whose [`CodecError::is_undecodable`] is true; the first one of each model is
/// logged as a warning that names the model and why.
pub(crate) fn encode_cacheable<M: Cached>(row: &M) -> Result<Vec<u8>, CodecError> {
    let value = encode_row(row)?;
    let payload = &value[row_header_len(M::CODEC)..];
    if let Err(why) = decode_payload_reason::<Decoded<M>>(M::CODEC, payload) {
        warn_once(M::MODEL_NAME, M::CODEC, &why);
        return Err(CodecError {
            model: M::MODEL_NAME,
            message: format!(
                "{codec:?} cannot decode what it encoded: {why}",
                codec = M::CODEC
            ),
            undecodable: true,
        });
    }
    Ok(value)
}

static WARNED: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);

fn warn_once(model: &'static str, codec: Codec, why: &str) {
    let mut warned = WARNED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if warned.get_or_insert_with(HashSet::new).insert(model) {
        tracing::warn!(
            model,
            ?codec,
            why,
            "rows of this model cannot be cached: they encode but do not decode; every read \
             goes to the database. Use #[write_through(codec = \"msgpack\")] on the model, or \
             change the field type"
        );
    }
}

/// Decodes a payload that must be consumed exactly; `None` when it cannot be.
pub(crate) fn decode_payload<M: DeserializeOwned>(codec: Codec, payload: &[u8]) -> Option<M> {
    decode_payload_reason(codec, payload).ok()
}

fn decode_payload_reason<M: DeserializeOwned>(codec: Codec, payload: &[u8]) -> Result<M, String> {
    match codec {
        Codec::Bincode => decode_bincode(payload),
        Codec::MessagePack => decode_message_pack(payload),
    }
}

/// bincode allocates a string or byte buffer for its declared length before reading it, so a
/// hostile length prefix could ask for gigabytes. The decode limit caps every such claim: a
/// genuine payload never claims more bytes than it holds, so the limit is the payload's own
/// length rounded up to a power of sixteen, and strings and byte buffers of a hostile value stay
/// within 16x its size. A sequence's declared length is not claimed: bincode hands it to serde
/// as a size hint, and serde's `Vec` preallocates at most 1 MiB for a hint however large
/// (`serde::__private::size_hint::cautious`), per sequence level of the type: bounded, but not
/// in proportion to the value, unlike MessagePack's walk below.
fn decode_bincode<M: DeserializeOwned>(payload: &[u8]) -> Result<M, String> {
    match payload.len() {
        0..=0x1000 => decode_with_limit::<M, 0x1000>(payload),
        0x1001..=0x1_0000 => decode_with_limit::<M, 0x1_0000>(payload),
        0x1_0001..=0x10_0000 => decode_with_limit::<M, 0x10_0000>(payload),
        0x10_0001..=0x100_0000 => decode_with_limit::<M, 0x100_0000>(payload),
        _ => decode_with_limit::<M, 0x1000_0000>(payload),
    }
}

fn decode_with_limit<M: DeserializeOwned, const LIMIT: usize>(payload: &[u8]) -> Result<M, String> {
    let config = bincode::config::standard().with_limit::<LIMIT>();
    match bincode::serde::decode_from_slice::<M, _>(payload, config) {
        Ok((row, read)) if read == payload.len() => Ok(row),
        Ok((_, read)) => Err(format!("{} trailing bytes", payload.len() - read)),
        Err(error) => Err(error.to_string()),
    }
}

/// The deepest nesting a MessagePack row may have. Diesel reads JSON with serde_json, which
/// refuses nesting deeper than 128, so no row from the database comes near this.
const MAX_MESSAGE_PACK_DEPTH: usize = 256;

/// rmp-serde reads strings and byte buffers from the slice without allocating for their
/// declared length (it borrows and checks the bytes are there), but passes an array's or a
/// map's declared length to serde as a size hint, which may preallocate for it. So the
/// payload is first walked ([`well_formed_message_pack`]): it must be exactly one value, no
/// deeper than [`MAX_MESSAGE_PACK_DEPTH`], whose every declared length fits in the bytes that
/// remain. A hostile value therefore preallocates no more than a genuine value of its size.
fn decode_message_pack<M: DeserializeOwned>(payload: &[u8]) -> Result<M, String> {
    well_formed_message_pack(payload)?;
    let mut deserializer = rmp_serde::Deserializer::from_read_ref(payload);
    deserializer.set_max_depth(MAX_MESSAGE_PACK_DEPTH);
    M::deserialize(&mut deserializer).map_err(|error| error.to_string())
}

/// Checks that `bytes` is exactly one MessagePack value (see [`decode_message_pack`]), without
/// recursion and without allocating more than the depth limit.
fn well_formed_message_pack(bytes: &[u8]) -> Result<(), String> {
    let malformed = |what: &str| Err(format!("malformed MessagePack: {what}"));
    // How many values each open container still holds; the outermost "container" holds the one
    // top-level value.
    let mut open: Vec<u64> = vec![1];
    let mut at = 0usize;
    while let Some(left) = open.last_mut() {
        if *left == 0 {
            open.pop();
            continue;
        }
        *left -= 1;
        let Some(&marker) = bytes.get(at) else {
            return malformed("truncated");
        };
        at += 1;
        // (bytes to skip, values the item contains)
        let (skip, contains): (u64, u64) = match marker {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => (0, 0),
            0x80..=0x8f => (0, 2 * u64::from(marker & 0x0f)),
            0x90..=0x9f => (0, u64::from(marker & 0x0f)),
            0xa0..=0xbf => (u64::from(marker & 0x1f), 0),
            0xc1 => return malformed("reserved marker 0xc1"),
            0xc4 | 0xd9 => (length(bytes, &mut at, 1)?, 0),
            0xc5 | 0xda => (length(bytes, &mut at, 2)?, 0),
            0xc6 | 0xdb => (length(bytes, &mut at, 4)?, 0),
            0xc7 => (length(bytes, &mut at, 1)? + 1, 0),
            0xc8 => (length(bytes, &mut at, 2)? + 1, 0),
            0xc9 => (length(bytes, &mut at, 4)? + 1, 0),
            0xca => (4, 0),
            0xcb => (8, 0),
            0xcc | 0xd0 => (1, 0),
            0xcd | 0xd1 => (2, 0),
            0xce | 0xd2 => (4, 0),
            0xcf | 0xd3 => (8, 0),
            0xd4 => (2, 0),
            0xd5 => (3, 0),
            0xd6 => (5, 0),
            0xd7 => (9, 0),
            0xd8 => (17, 0),
            0xdc => (0, length(bytes, &mut at, 2)?),
            0xdd => (0, length(bytes, &mut at, 4)?),
            0xde => (0, 2 * length(bytes, &mut at, 2)?),
            0xdf => (0, 2 * length(bytes, &mut at, 4)?),
        };
        let remaining = (bytes.len() - at) as u64;
        if skip > remaining {
            return malformed("a length longer than the value");
        }
        at += skip as usize;
        if contains > 0 {
            // Every contained value takes at least one byte.
            if contains > remaining {
                return malformed("a container longer than the value");
            }
            if open.len() > MAX_MESSAGE_PACK_DEPTH {
                return malformed("nested too deeply");
            }
            open.push(contains);
        }
    }
    if at == bytes.len() {
        Ok(())
    } else {
        malformed("trailing bytes")
    }
}

/// Reads a big-endian length of `width` bytes at `at`.
fn length(bytes: &[u8], at: &mut usize, width: usize) -> Result<u64, String> {
    let Some(raw) = bytes.get(*at..*at + width) else {
        return Err("malformed MessagePack: truncated length".to_owned());
    };
    *at += width;
    Ok(raw.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)))
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

    const CODECS: [Codec; 2] = [Codec::Bincode, Codec::MessagePack];

    fn encoded(codec: Codec) -> Vec<u8> {
        encode_with(codec, "Row", 1, &sample()).unwrap()
    }

    fn payload_of(value: &[u8]) -> &[u8] {
        match Envelope::parse(value) {
            Ok(Envelope::Row { payload, .. }) => payload,
            other => panic!("not a row: {other:?}"),
        }
    }

    #[test]
    fn an_encoded_row_decodes_to_itself_in_each_codec() {
        for codec in CODECS {
            let value = encoded(codec);
            assert_eq!(
                decode_payload::<Row>(codec, payload_of(&value)),
                Some(sample()),
                "{codec:?}"
            );
        }
    }

    #[test]
    fn the_envelope_carries_the_codec_and_the_fingerprint() {
        for codec in CODECS {
            let value = encode_with(codec, "Row", 0xABCD, &sample()).unwrap();
            assert!(matches!(
                Envelope::parse(&value),
                Ok(Envelope::Row { codec: c, fingerprint: 0xABCD, .. }) if c == codec
            ));
        }
    }

    #[test]
    fn a_truncated_payload_is_refused() {
        for codec in CODECS {
            let value = encoded(codec);
            let payload = payload_of(&value);
            for cut in 0..payload.len() {
                assert_eq!(
                    decode_payload::<Row>(codec, &payload[..cut]),
                    None,
                    "{codec:?} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn trailing_bytes_are_refused() {
        for codec in CODECS {
            let mut value = encoded(codec);
            value.push(0);
            assert_eq!(
                decode_payload::<Row>(codec, payload_of(&value)),
                None,
                "{codec:?}"
            );
        }
    }

    #[test]
    fn a_huge_bincode_length_prefix_is_refused_without_allocating_it() {
        // id = 7, then a string length of u64::MAX - 1 (varint tag 0xFD + 8 bytes).
        let mut payload = vec![7u8, 0xFD];
        payload.extend_from_slice(&(u64::MAX - 1).to_le_bytes());
        assert_eq!(decode_payload::<Row>(Codec::Bincode, &payload), None);
    }

    /// `[7, "ada", <hostile>]`: the row's array with a third element that claims 4 GiB.
    fn hostile_message_pack(claim: &[u8]) -> Vec<u8> {
        let mut payload = vec![0x93, 0x07, 0xa3, b'a', b'd', b'a'];
        payload.extend_from_slice(claim);
        payload
    }

    #[test]
    fn huge_message_pack_lengths_are_refused_before_decoding() {
        for claim in [
            &[0xdb, 0xff, 0xff, 0xff, 0xff][..], // str32
            &[0xc6, 0xff, 0xff, 0xff, 0xff],     // bin32
            &[0xdd, 0xff, 0xff, 0xff, 0xff],     // array32
            &[0xdf, 0xff, 0xff, 0xff, 0xff],     // map32
            &[0xc9, 0xff, 0xff, 0xff, 0xff],     // ext32
        ] {
            let payload = hostile_message_pack(claim);
            assert!(well_formed_message_pack(&payload).is_err(), "{claim:x?}");
            assert_eq!(decode_payload::<Row>(Codec::MessagePack, &payload), None);
        }
    }

    #[test]
    fn an_array_claiming_more_elements_than_bytes_is_refused() {
        // 16 elements claimed, 15 bytes follow.
        let mut payload = vec![0xdc, 0x00, 0x10];
        payload.extend_from_slice(&[0x01; 15]);
        assert!(well_formed_message_pack(&payload).is_err());
        payload.push(0x01);
        assert!(well_formed_message_pack(&payload).is_ok());
    }

    #[test]
    fn message_pack_nested_deeper_than_the_limit_is_refused() {
        let deep = |depth: usize| {
            let mut payload = vec![0x91; depth];
            payload.push(0xc0);
            payload
        };
        assert!(well_formed_message_pack(&deep(MAX_MESSAGE_PACK_DEPTH)).is_ok());
        assert!(well_formed_message_pack(&deep(MAX_MESSAGE_PACK_DEPTH + 1)).is_err());
        // Far deeper than any stack would survive if it were decoded recursively.
        let payload = deep(1_000_000);
        assert_eq!(decode_payload::<Row>(Codec::MessagePack, &payload), None);
    }

    #[test]
    fn the_reserved_message_pack_marker_is_refused() {
        assert!(well_formed_message_pack(&[0xc1]).is_err());
    }

    #[test]
    fn every_message_pack_marker_is_walked_without_panicking() {
        for marker in 0..=255u8 {
            for tail in [&[][..], &[0x00], &[0x01, 0x00], &[0xff; 20]] {
                let mut payload = vec![marker];
                payload.extend_from_slice(tail);
                let _ = well_formed_message_pack(&payload);
                let _ = decode_payload::<Row>(Codec::MessagePack, &payload);
            }
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Number(i64),
        Text(String),
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Untagged {
        id: i64,
        value: Loose,
    }

    #[test]
    fn bincode_cannot_decode_an_untagged_enum_and_message_pack_can() {
        let row = Untagged {
            id: 1,
            value: Loose::Text("x".into()),
        };
        let bincode = encode_with(Codec::Bincode, "Untagged", 1, &row).unwrap();
        assert_eq!(
            decode_payload::<Untagged>(Codec::Bincode, payload_of(&bincode)),
            None
        );
        let msgpack = encode_with(Codec::MessagePack, "Untagged", 1, &row).unwrap();
        assert_eq!(
            decode_payload::<Untagged>(Codec::MessagePack, payload_of(&msgpack)),
            Some(row)
        );
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "kind")]
    enum Tagged {
        Crate { name: String },
        User { id: i64 },
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Contact {
        email: String,
        phone: Option<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Awkward {
        id: i64,
        owner: Tagged,
        #[serde(flatten)]
        contact: Contact,
        extra: Option<Box<Awkward>>,
    }

    #[test]
    fn message_pack_round_trips_internally_tagged_enums_and_flatten() {
        let row = Awkward {
            id: 3,
            owner: Tagged::Crate {
                name: "serde".into(),
            },
            contact: Contact {
                email: "a@b.c".into(),
                phone: None,
            },
            extra: Some(Box::new(Awkward {
                id: 4,
                owner: Tagged::User { id: 9 },
                contact: Contact {
                    email: "d@e.f".into(),
                    phone: Some("+1".into()),
                },
                extra: None,
            })),
        };
        let value = encode_with(Codec::MessagePack, "Awkward", 1, &row).unwrap();
        assert_eq!(
            decode_payload::<Awkward>(Codec::MessagePack, payload_of(&value)),
            Some(row)
        );
    }

    /// The JSON idiom `default` + `skip_serializing_if` inside a field's type: encoded by
    /// position, `locale` would be read back into `theme`, and the check after encoding
    /// (which only asks whether it decodes) would not notice.
    #[test]
    fn message_pack_keeps_a_nested_field_that_skips_when_empty_in_its_place() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Prefs {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            theme: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            locale: Option<String>,
        }
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct User {
            id: i64,
            prefs: Prefs,
        }
        let row = User {
            id: 1,
            prefs: Prefs {
                theme: None,
                locale: Some("fr".into()),
            },
        };
        let value = encode_with(Codec::MessagePack, "User", 1, &row).unwrap();
        assert_eq!(
            decode_payload::<User>(Codec::MessagePack, payload_of(&value)),
            Some(row)
        );
    }

    #[test]
    fn message_pack_round_trips_json_values() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct WithJson {
            id: i64,
            meta: Vec<Loose>,
            map: std::collections::BTreeMap<String, Option<f64>>,
        }
        let row = WithJson {
            id: -1,
            meta: vec![Loose::Number(i64::MIN), Loose::Text(String::new())],
            map: [("a".to_owned(), Some(0.5)), ("b".to_owned(), None)].into(),
        };
        let value = encode_with(Codec::MessagePack, "WithJson", 1, &row).unwrap();
        assert_eq!(
            decode_payload::<WithJson>(Codec::MessagePack, payload_of(&value)),
            Some(row)
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_walked_and_decoded_without_panicking(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)
        ) {
            let _ = decode_payload::<Row>(Codec::MessagePack, &bytes);
            let _ = decode_payload::<Row>(Codec::Bincode, &bytes);
        }

        #[test]
        fn a_well_formed_value_is_one_the_walk_accepts(
            id in proptest::prelude::any::<i64>(),
            name in ".{0,40}",
            tags in proptest::collection::vec(".{0,8}", 0..20),
        ) {
            let row = Row { id, name, tags };
            let value = encode_with(Codec::MessagePack, "Row", 1, &row).unwrap();
            proptest::prop_assert!(well_formed_message_pack(payload_of(&value)).is_ok());
            proptest::prop_assert_eq!(decode_payload::<Row>(Codec::MessagePack, payload_of(&value)), Some(row));
        }
    }
}
