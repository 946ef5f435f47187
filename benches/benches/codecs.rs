//! Size and encode/decode time of the row codecs on three typical rows, without any server:
//! bincode (what `write_through` uses when the derive proves it can decode the model),
//! MessagePack through rmp-serde (what it uses otherwise), and postcard for comparison.
//! Each codec is called as the library calls it (bincode `standard()` in serde mode, rmp-serde's
//! default struct-as-array layout).
//!
//! `cargo bench -p write_through_benches --bench codecs` prints the sizes first.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde::Serialize;
use serde::de::DeserializeOwned;
use write_through_benches::rows::{Row, small_user, versions_row, versions_row_text, wide_row};

fn bincode_encode<T: Serialize>(row: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(row, bincode::config::standard()).unwrap()
}

fn bincode_decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    bincode::serde::decode_from_slice(bytes, bincode::config::standard())
        .ok()
        .map(|(row, _)| row)
}

fn msgpack_encode<T: Serialize>(row: &T) -> Vec<u8> {
    rmp_serde::to_vec_named(row).unwrap()
}

fn msgpack_decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    rmp_serde::from_slice(bytes).ok()
}

fn postcard_encode<T: Serialize>(row: &T) -> Vec<u8> {
    postcard::to_allocvec(row).unwrap()
}

fn postcard_decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}

type Encode<T> = fn(&T) -> Vec<u8>;
type Decode<T> = fn(&[u8]) -> Option<T>;

fn codecs<T: Serialize + DeserializeOwned>() -> [(&'static str, Encode<T>, Decode<T>); 3] {
    [
        ("bincode", bincode_encode::<T>, bincode_decode::<T>),
        ("msgpack", msgpack_encode::<T>, msgpack_decode::<T>),
        ("postcard", postcard_encode::<T>, postcard_decode::<T>),
    ]
}

fn one_row<T: Row>(c: &mut Criterion, name: &str, row: T) {
    for (codec, encode, decode) in codecs::<T>() {
        let bytes = encode(&row);
        let decodes = decode(&bytes).as_ref() == Some(&row);
        println!(
            "size {name}/{codec}: {} bytes{}",
            bytes.len(),
            if decodes { "" } else { " (cannot decode it)" }
        );
        c.bench_function(&format!("encode/{name}/{codec}"), |b| {
            b.iter(|| encode(black_box(&row)))
        });
        if decodes {
            c.bench_function(&format!("decode/{name}/{codec}"), |b| {
                b.iter(|| decode(black_box(&bytes)))
            });
        }
    }
}

fn rows(c: &mut Criterion) {
    one_row(c, "small_user", small_user());
    one_row(c, "versions_row", versions_row());
    one_row(c, "versions_row_json_as_text", versions_row_text());
    one_row(c, "wide_row", wide_row());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = rows
}
criterion_main!(benches);
