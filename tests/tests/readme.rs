//! The README and the crate's API documentation say the same things: the README's first example
//! is the guide's compiled example (its visible lines), and every public cargo feature is
//! described in both.

use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of the first fenced block whose info string starts with `rust`.
fn first_rust_block(markdown: &str) -> Vec<&str> {
    let mut lines = markdown.lines();
    lines
        .by_ref()
        .find(|line| line.starts_with("```rust"))
        .expect("a rust code block");
    lines.take_while(|line| !line.starts_with("```")).collect()
}

/// What rustdoc shows of an example: lines starting with `# ` (or a lone `#`) are hidden.
fn visible(lines: Vec<&str>) -> Vec<&str> {
    lines
        .into_iter()
        .filter(|line| !(line.starts_with("# ") || *line == "#"))
        .collect()
}

#[test]
fn the_readme_example_is_the_compiled_example_of_the_api_docs() {
    let readme = read("README.md");
    let guide = read("write_through/src/guide.md");
    assert_eq!(
        first_rust_block(&readme),
        visible(first_rust_block(&guide)),
        "README.md's first example must be the visible lines of write_through/src/guide.md's \
         (which `cargo test --doc` compiles)"
    );
}

/// The lines of the first `rust` block after the line `heading`.
fn rust_block_after<'a>(markdown: &'a str, heading: &str) -> Vec<&'a str> {
    let (_, after) = markdown
        .split_once(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no heading {heading:?}"));
    first_rust_block(after)
}

#[test]
fn the_readme_async_example_is_the_compiled_example_of_the_async_front() {
    let readme = read("README.md");
    let guide = read("write_through/src/asynch/guide.md");
    assert_eq!(
        rust_block_after(&readme, "### The async front"),
        visible(first_rust_block(&guide)),
        "README.md's async example must be the visible lines of write_through/src/asynch/guide.md's \
         (which `cargo test --doc` compiles)"
    );
}

#[test]
fn every_public_cargo_feature_is_described_in_the_readme_and_the_api_docs() {
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
    let (readme, guide) = (read("README.md"), read("write_through/src/guide.md"));
    for feature in features {
        let named = format!("`{feature}`");
        assert!(
            readme.contains(&named),
            "README.md does not describe {named}"
        );
        assert!(guide.contains(&named), "guide.md does not describe {named}");
    }
}

#[test]
fn the_readme_unique_index_example_is_the_compiled_example_of_the_index_module() {
    let readme = read("README.md");
    let module = read("write_through/src/index.rs");
    // The module's documentation, without its `//! ` prefixes.
    let docs: String = module
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let example: Vec<&str> = {
        let mut lines = docs.lines();
        lines
            .by_ref()
            .find(|line| line.starts_with("```"))
            .expect("an example in write_through/src/index.rs");
        lines.take_while(|line| !line.starts_with("```")).collect()
    };
    assert_eq!(
        rust_block_after(&readme, "### Unique indexes"),
        visible(example),
        "README.md's unique-index example must be the visible lines of write_through/src/index.rs's \
         (which `cargo test --doc` compiles)"
    );
}
