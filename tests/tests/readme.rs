//! The README's feature table names every public cargo feature of `write_through`. (Its
//! examples need no test here: `cargo test --doc -p write_through` compiles them, through
//! `ReadmeDoctests` in `write_through/src/lib.rs`.)

use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_public_cargo_feature_is_in_the_readme_feature_table() {
    let manifest = read("write_through/Cargo.toml");
    let features: Vec<&str> = manifest
        .lines()
        .skip_while(|line| *line != "[features]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim()))
        .filter(|name| !["default", "pause-points", "fuzzing"].contains(name))
        .collect();
    assert!(
        features.contains(&"postgres"),
        "features read: {features:?}"
    );
    let readme = read("README.md");
    // The rows of the table whose header names the features of `write_through`.
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|line| !line.starts_with("| feature of `write_through`"))
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert!(!table.is_empty(), "README.md has no feature table");
    for feature in features {
        let named = format!("`{feature}`");
        assert!(
            table.iter().any(|row| {
                row.split('|')
                    .nth(1)
                    .is_some_and(|first| first.contains(&named))
            }),
            "README.md's feature table has no row for {named}"
        );
    }
}
