//! Snapshots of what the derive generates, one per fixture in `tests/expand/`.
//!
//! Each fixture `<name>.rs` is the struct a user writes (its attributes, without the
//! `#[derive]`); `<name>.expanded.rs` is the derive's output for it, pretty-printed. A test fails
//! when the output changes; after checking the change is intended, accept it with
//! `WT_BLESS=1 cargo test -p write_through_derive expand_snapshots` and review the diff.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use syn::DeriveInput;

/// The environment variable that makes the tests write the snapshots instead of comparing.
const BLESS: &str = "WT_BLESS";

macro_rules! snapshots {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_snapshot(stringify!($name));
            }
        )*

        const FIXTURES: &[&str] = &[$(stringify!($name)),*];
    };
}

snapshots! {
    single_key,
    composite_key,
    string_key_with_negative_ttl,
    check_for_backend,
    inferred_table_name,
    literal_braces_in_key,
    failed_derive_emits_stand_ins,
    versioned,
    json_field_is_message_pack,
    unique_indexes,
    raw_identifier_index,
    newtype_key,
    join_model,
    collection,
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    let mut on_disk: Vec<String> = fs::read_dir(fixture_dir())
        .expect("tests/expand exists")
        .map(|entry| entry.expect("readable directory entry").file_name())
        .filter_map(|name| name.to_str().map(str::to_owned))
        .filter_map(|name| {
            let stem = name.strip_suffix(".rs")?;
            (!stem.ends_with(".expanded")).then(|| stem.to_owned())
        })
        .collect();
    on_disk.sort();
    let mut tested: Vec<&str> = FIXTURES.to_vec();
    tested.sort_unstable();
    assert_eq!(
        on_disk, tested,
        "tests/expand/*.rs and the snapshots! list in src/expand_snapshots.rs must name the same fixtures"
    );
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand")
}

fn check_snapshot(name: &str) {
    let dir = fixture_dir();
    let input_path = dir.join(format!("{name}.rs"));
    let snapshot_path = dir.join(format!("{name}.expanded.rs"));

    let source = fs::read_to_string(&input_path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", input_path.display()));
    let input: DeriveInput = syn::parse_str(&source)
        .unwrap_or_else(|error| panic!("{} is not a struct: {error}", input_path.display()));
    let expanded = pretty(crate::derive(&input));

    if std::env::var_os(BLESS).is_some_and(|value| value == "1") {
        if fs::read_to_string(&snapshot_path).ok().as_deref() != Some(expanded.as_str()) {
            fs::write(&snapshot_path, &expanded).unwrap_or_else(|error| {
                panic!("cannot write {}: {error}", snapshot_path.display())
            });
        }
        return;
    }

    let expected = match fs::read_to_string(&snapshot_path) {
        Ok(expected) => expected,
        Err(error) if error.kind() == ErrorKind::NotFound => panic!(
            "no snapshot {}: run `{BLESS}=1 cargo test -p write_through_derive expand_snapshots` to write it, then review it",
            snapshot_path.display()
        ),
        Err(error) => panic!("cannot read {}: {error}", snapshot_path.display()),
    };
    if let Some(difference) = first_difference(&expected, &expanded) {
        panic!(
            "the expansion of {} differs from {}\n{difference}\n\
             if the change is intended, run `{BLESS}=1 cargo test -p write_through_derive expand_snapshots` and review the diff",
            input_path.display(),
            snapshot_path.display(),
        );
    }
}

/// The derive's output as a file of Rust, as `cargo expand` would show it with every backend
/// enabled: the `__wt::if_<backend>! { ... }` gates are opened, so that their contents are
/// pretty-printed too.
fn pretty(tokens: proc_macro2::TokenStream) -> String {
    let tokens = open_backend_gates(tokens);
    let file: syn::File = syn::parse2(tokens.clone()).unwrap_or_else(|error| {
        panic!("the derive emitted tokens that are not items: {error}\n{tokens}")
    });
    prettyplease::unparse(&file)
}

/// Replaces `__wt::if_postgres! { items }` (and the MySQL and SQLite gates) by `items`.
fn open_backend_gates(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Group, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        let gate = match &trees[i..] {
            [
                TokenTree::Ident(wt),
                TokenTree::Punct(c1),
                TokenTree::Punct(c2),
                TokenTree::Ident(name),
                TokenTree::Punct(bang),
                TokenTree::Group(body),
                ..,
            ] if wt == "__wt"
                && c1.as_char() == ':'
                && c2.as_char() == ':'
                && name.to_string().starts_with("if_")
                && bang.as_char() == '!' =>
            {
                Some(body.stream())
            }
            _ => None,
        };
        match gate {
            Some(body) => {
                out.extend(open_backend_gates(body));
                i += 6;
            }
            None => {
                out.push(match &trees[i] {
                    TokenTree::Group(group) => {
                        let mut opened =
                            Group::new(group.delimiter(), open_backend_gates(group.stream()));
                        opened.set_span(group.span());
                        TokenTree::Group(opened)
                    }
                    other => other.clone(),
                });
                i += 1;
            }
        }
    }
    out.into_iter().collect()
}

/// The first line where `actual` departs from `expected`, with both versions of it.
fn first_difference(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let mut expected_lines = expected.lines();
    let mut actual_lines = actual.lines();
    let mut line = 1;
    loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => line += 1,
            (None, None) => {
                return Some(
                    "the lines are equal; only the line endings or the final newline differ"
                        .to_owned(),
                );
            }
            (e, a) => {
                let show = |text: Option<&str>| {
                    text.map_or("<end of file>".to_owned(), |t| format!("{t:?}"))
                };
                return Some(format!(
                    "first difference at line {line}:\n  snapshot: {}\n  now:      {}",
                    show(e),
                    show(a)
                ));
            }
        }
    }
}

#[test]
fn a_difference_is_reported_at_its_first_line() {
    assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
    let changed = first_difference("a\nb\nc\n", "a\nB\nc\n").unwrap();
    assert!(changed.contains("line 2"), "{changed}");
    assert!(
        changed.contains("\"b\"") && changed.contains("\"B\""),
        "{changed}"
    );
    let longer = first_difference("a\n", "a\nb\n").unwrap();
    assert!(
        longer.contains("line 2") && longer.contains("<end of file>"),
        "{longer}"
    );
}
