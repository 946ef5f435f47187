//! Size and encode/decode time of the row codecs on three typical rows, without any server:
//! bincode (what `write_through` uses when the derive proves it can decode the model),
//! MessagePack through rmp-serde (what it uses otherwise), and postcard and wincode for
//! comparison. Each codec is called as the library calls it (bincode `standard()` in serde mode,
//! rmp-serde with field names). wincode is not a serde format: it encodes types that implement
//! its own traits, so it runs on mirrors of the rows (below) whose timestamps are integers, and
//! it cannot carry the JSON value at all.
//!
//! `cargo bench -p write_through_benches --bench codecs` prints the sizes first.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde::Serialize;
use serde::de::DeserializeOwned;
use write_through::Cached;
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

/// A row as the cache encodes it since the derive writes the encoding (`Cached::serialize_row`).
struct ByTheDerive<'a, M>(&'a M);

impl<M: Cached> Serialize for ByTheDerive<'_, M> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_row(serializer)
    }
}

/// A row decoded as the cache decodes it (`Cached::deserialize_row`).
struct FromTheDerive<M>(M);

impl<'de, M: Cached> serde::Deserialize<'de> for FromTheDerive<M> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        M::deserialize_row(deserializer).map(FromTheDerive)
    }
}

/// The derive's own encoding of a row beside the model's serde derive, which the cache used
/// before (issue 21): the same bytes in both codecs (asserted), and their costs side by side.
fn the_derives_encoding(c: &mut Criterion) {
    let user = write_through_benches::User::sample(42);
    for (codec, encode, decode) in [
        (
            "bincode",
            bincode_encode as Encode<_>,
            bincode_decode as Decode<_>,
        ),
        ("msgpack", msgpack_encode, msgpack_decode),
    ] {
        let by_serde = encode(&user);
        let by_the_derive = match codec {
            "bincode" => bincode_encode(&ByTheDerive(&user)),
            _ => msgpack_encode(&ByTheDerive(&user)),
        };
        assert_eq!(by_serde, by_the_derive, "{codec}: the same bytes");
        assert_eq!(decode(&by_serde).as_ref(), Some(&user));
        c.bench_function(&format!("encode/user/{codec}/serde_derive"), |b| {
            b.iter(|| encode(black_box(&user)))
        });
        c.bench_function(&format!("encode/user/{codec}/write_through_derive"), |b| {
            b.iter(|| match codec {
                "bincode" => bincode_encode(&ByTheDerive(black_box(&user))),
                _ => msgpack_encode(&ByTheDerive(black_box(&user))),
            })
        });
        c.bench_function(&format!("decode/user/{codec}/serde_derive"), |b| {
            b.iter(|| decode(black_box(&by_serde)))
        });
        c.bench_function(&format!("decode/user/{codec}/write_through_derive"), |b| {
            b.iter(|| match codec {
                "bincode" => bincode_decode::<FromTheDerive<write_through_benches::User>>(
                    black_box(&by_serde),
                )
                .map(|row| row.0),
                _ => msgpack_decode::<FromTheDerive<write_through_benches::User>>(black_box(
                    &by_serde,
                ))
                .map(|row| row.0),
            })
        });
    }
}

fn rows(c: &mut Criterion) {
    the_derives_encoding(c);
    one_row(c, "small_user", small_user());
    one_row(c, "versions_row", versions_row());
    one_row(c, "versions_row_json_as_text", versions_row_text());
    one_row(c, "wide_row", wide_row());
    println!("size versions_row/wincode: none (a serde_json::Value has no wincode schema)");
    one_wincode_row(c, "small_user", mirror::small_user());
    one_wincode_row(c, "versions_row_json_as_text", mirror::versions_row_text());
    one_wincode_row(c, "wide_row", mirror::wide_row());
}

fn one_wincode_row<T>(c: &mut Criterion, name: &str, row: T)
where
    T: wincode::SchemaWrite<wincode::config::DefaultConfig, Src = T>
        + for<'de> wincode::SchemaRead<'de, wincode::config::DefaultConfig, Dst = T>
        + PartialEq
        + std::fmt::Debug,
{
    let bytes = wincode::serialize(&row).unwrap();
    assert_eq!(wincode::deserialize::<T>(&bytes).unwrap(), row);
    println!("size {name}/wincode: {} bytes", bytes.len());
    c.bench_function(&format!("encode/{name}/wincode"), |b| {
        b.iter(|| wincode::serialize(black_box(&row)).unwrap())
    });
    c.bench_function(&format!("decode/{name}/wincode"), |b| {
        b.iter(|| wincode::deserialize::<T>(black_box(&bytes)).unwrap())
    });
}

/// The rows for wincode: the same values, with chrono's timestamps as microseconds since the
/// epoch (wincode has no schema for chrono's types; a user would write one, or convert).
mod mirror {
    use wincode::{SchemaRead, SchemaWrite};
    use write_through_benches::rows;

    fn micros(at: chrono::NaiveDateTime) -> i64 {
        at.and_utc().timestamp_micros()
    }

    #[derive(SchemaWrite, SchemaRead, PartialEq, Debug)]
    pub struct SmallUser {
        id: i64,
        email: String,
        name: String,
    }

    pub fn small_user() -> SmallUser {
        let row = rows::small_user();
        SmallUser {
            id: row.id,
            email: row.email,
            name: row.name,
        }
    }

    #[derive(SchemaWrite, SchemaRead, PartialEq, Debug)]
    pub struct WideRow {
        id: i64,
        counters: [i64; 12],
        ratios: [f64; 8],
        flags: [bool; 8],
        labels: [String; 8],
        note: Option<String>,
        parent: Option<i64>,
        updated_at: i64,
    }

    pub fn wide_row() -> WideRow {
        let row = rows::wide_row();
        WideRow {
            id: row.id,
            counters: row.counters,
            ratios: row.ratios,
            flags: row.flags,
            labels: row.labels,
            note: row.note,
            parent: row.parent,
            updated_at: micros(row.updated_at),
        }
    }

    #[derive(SchemaWrite, SchemaRead, PartialEq, Debug)]
    pub struct VersionsRowText {
        id: i32,
        crate_id: i32,
        num: String,
        updated_at: i64,
        created_at: i64,
        downloads: i32,
        yanked: bool,
        license: Option<String>,
        crate_size: Option<i32>,
        published_by: Option<i32>,
        checksum: Vec<u8>,
        links: Option<String>,
        rust_version: Option<String>,
        has_lib: Option<bool>,
        bin_names: Option<Vec<Option<String>>>,
        yank_message: Option<String>,
        edition: Option<String>,
        description: Option<String>,
        homepage: Option<String>,
        documentation: Option<String>,
        repository: Option<String>,
        categories: Vec<String>,
        keywords: Vec<String>,
        features: String,
    }

    pub fn versions_row_text() -> VersionsRowText {
        let text = rows::versions_row_text();
        let row = text.row;
        VersionsRowText {
            id: row.id,
            crate_id: row.crate_id,
            num: row.num,
            updated_at: micros(row.updated_at),
            created_at: micros(row.created_at),
            downloads: row.downloads,
            yanked: row.yanked,
            license: row.license,
            crate_size: row.crate_size,
            published_by: row.published_by,
            checksum: row.checksum,
            links: row.links,
            rust_version: row.rust_version,
            has_lib: row.has_lib,
            bin_names: row.bin_names,
            yank_message: row.yank_message,
            edition: row.edition,
            description: row.description,
            homepage: row.homepage,
            documentation: row.documentation,
            repository: row.repository,
            categories: row.categories,
            keywords: row.keywords,
            features: text.features,
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = rows
}
criterion_main!(benches);
