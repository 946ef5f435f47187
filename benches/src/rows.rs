//! Three typical rows for the codec benchmark (`benches/codecs.rs`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// What a benchmarked row needs.
pub trait Row: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug {}
impl<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug> Row for T {}

/// A small user row: key, email, name.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct SmallUser {
    pub id: i64,
    pub email: String,
    pub name: String,
}

pub fn small_user() -> SmallUser {
    SmallUser {
        id: 4_812_337,
        email: "grace.hopper@example.com".into(),
        name: "Grace Hopper".into(),
    }
}

/// A crates.io `versions`-like row: JSON features, a checksum, authors, timestamps.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionsRow {
    pub id: i32,
    pub crate_id: i32,
    pub num: String,
    pub updated_at: chrono::NaiveDateTime,
    pub created_at: chrono::NaiveDateTime,
    pub downloads: i32,
    pub features: serde_json::Value,
    pub yanked: bool,
    pub license: Option<String>,
    pub crate_size: Option<i32>,
    pub published_by: Option<i32>,
    pub checksum: Vec<u8>,
    pub links: Option<String>,
    pub rust_version: Option<String>,
    pub has_lib: Option<bool>,
    pub bin_names: Option<Vec<Option<String>>>,
    pub yank_message: Option<String>,
    pub edition: Option<String>,
    pub description: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    pub repository: Option<String>,
    pub categories: Vec<String>,
    pub keywords: Vec<String>,
}

pub fn versions_row() -> VersionsRow {
    let at = chrono::DateTime::from_timestamp(1_732_000_000, 123_456_000)
        .unwrap()
        .naive_utc();
    VersionsRow {
        id: 1_402_311,
        crate_id: 48_112,
        num: "1.0.215".into(),
        updated_at: at,
        created_at: at,
        downloads: 23_118_934,
        features: serde_json::json!({
            "alloc": [],
            "default": ["std"],
            "derive": ["serde_derive"],
            "rc": [],
            "std": [],
            "unstable": []
        }),
        yanked: false,
        license: Some("MIT OR Apache-2.0".into()),
        crate_size: Some(78_983),
        published_by: Some(3618),
        checksum: (0u8..32).collect(),
        links: None,
        rust_version: Some("1.31".into()),
        has_lib: Some(true),
        bin_names: Some(vec![]),
        yank_message: None,
        edition: Some("2018".into()),
        description: Some("A generic serialization/deserialization framework".into()),
        homepage: Some("https://serde.rs".into()),
        documentation: Some("https://docs.rs/serde".into()),
        repository: Some("https://github.com/serde-rs/serde".into()),
        categories: vec![
            "encoding".into(),
            "no-std".into(),
            "no-std::no-alloc".into(),
        ],
        keywords: vec!["serde".into(), "serialization".into(), "no_std".into()],
    }
}

/// A wide row: forty columns of integers, floats, flags and short texts.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct WideRow {
    pub id: i64,
    pub counters: [i64; 12],
    pub ratios: [f64; 8],
    pub flags: [bool; 8],
    pub labels: [String; 8],
    pub note: Option<String>,
    pub parent: Option<i64>,
    pub updated_at: chrono::NaiveDateTime,
}

pub fn wide_row() -> WideRow {
    WideRow {
        id: 9_000_000_001,
        counters: std::array::from_fn(|i| (i as i64 + 1) * 1_000_003),
        ratios: std::array::from_fn(|i| i as f64 / 7.0),
        flags: std::array::from_fn(|i| i % 3 == 0),
        labels: std::array::from_fn(|i| format!("label-{i}")),
        note: Some("a short note on the row".into()),
        parent: None,
        updated_at: chrono::DateTime::from_timestamp(1_732_000_000, 0)
            .unwrap()
            .naive_utc(),
    }
}

/// The `versions`-like row with its features as JSON text rather than a JSON value, so that
/// every codec can decode it: the three codecs on the same shape.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionsRowText {
    pub row: VersionsRowWithout,
    pub features: String,
}

/// [`VersionsRow`] without its JSON column.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionsRowWithout {
    pub id: i32,
    pub crate_id: i32,
    pub num: String,
    pub updated_at: chrono::NaiveDateTime,
    pub created_at: chrono::NaiveDateTime,
    pub downloads: i32,
    pub yanked: bool,
    pub license: Option<String>,
    pub crate_size: Option<i32>,
    pub published_by: Option<i32>,
    pub checksum: Vec<u8>,
    pub links: Option<String>,
    pub rust_version: Option<String>,
    pub has_lib: Option<bool>,
    pub bin_names: Option<Vec<Option<String>>>,
    pub yank_message: Option<String>,
    pub edition: Option<String>,
    pub description: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    pub repository: Option<String>,
    pub categories: Vec<String>,
    pub keywords: Vec<String>,
}

pub fn versions_row_text() -> VersionsRowText {
    let v = versions_row();
    VersionsRowText {
        features: v.features.to_string(),
        row: VersionsRowWithout {
            id: v.id,
            crate_id: v.crate_id,
            num: v.num,
            updated_at: v.updated_at,
            created_at: v.created_at,
            downloads: v.downloads,
            yanked: v.yanked,
            license: v.license,
            crate_size: v.crate_size,
            published_by: v.published_by,
            checksum: v.checksum,
            links: v.links,
            rust_version: v.rust_version,
            has_lib: v.has_lib,
            bin_names: v.bin_names,
            yank_message: v.yank_message,
            edition: v.edition,
            description: v.description,
            homepage: v.homepage,
            documentation: v.documentation,
            repository: v.repository,
            categories: v.categories,
            keywords: v.keywords,
        },
    }
}
