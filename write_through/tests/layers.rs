//! `src/` reads bottom up: its top-level modules (a file, or a folder with its files) import
//! each other without a circle, so that each can be read knowing only the ones below it. Inside
//! a folder files may refer to each other; across folders and files the imports run one way.
//! The core, which decides, imports only the data it decides about, never the layers that carry
//! its decisions out.
//!
//! The order this gives today, bottom up (each may use those before it):
//!
//! ```text
//! error, envelope, stats, token, redacted, jitter, pause    leaves
//! key, model, codec                                        rows, keys and their encoding
//! mysql, statements                                        the model's statements, both fronts
//! core                                                     the decisions
//! shared, redis, local                                     state and I/O the drivers share
//! cache                                                    the handle's state
//! drive                                                    the one sequence of steps
//! index, blocking, asynch                                 the fronts and the derive's helpers
//! ```
//!
//! `checker/` (test-only) and `lib.rs` (the root re-exports) may use anything. Code here names
//! modules by their path (`crate::model::Cached`), never by a root re-export
//! (`crate::Cached`), which would hide where an import goes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the core may import: the data its decisions are about.
const CORE_MAY_USE: &[&str] = &[
    "codec",
    "envelope",
    "error",
    "key",
    "model",
    "model_collection",
    "stats",
    "token",
];

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The code of a file: without its tests (which may use anything) and without comments (whose
/// links are not imports).
fn code(source: &str) -> String {
    let source = source.split("#[cfg(test)]").next().unwrap_or(source);
    source
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names following `crate::` in `code`.
fn crate_paths(code: &str) -> Vec<&str> {
    code.match_indices("crate::")
        .filter(|(at, _)| {
            // Not `$crate::` (a macro's) nor part of a longer name.
            let before = code[..*at].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
        .map(|(at, _)| {
            let rest = &code[at + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// The top-level module of each file, and the modules each one's code names.
struct Graph {
    uses: BTreeMap<String, BTreeSet<String>>,
    /// For messages: the files behind each edge.
    files: BTreeMap<(String, String), BTreeSet<String>>,
}

fn graph() -> Graph {
    graph_of("src")
}

/// The graph of the crate whose sources are `src` (relative to this crate's folder).
fn graph_of(src: &str) -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(src);
    let mut graph = Graph {
        uses: BTreeMap::new(),
        files: BTreeMap::new(),
    };
    let mut by_reexport = Vec::new();
    for path in sources(&src) {
        let relative = path.strip_prefix(&src).expect("under src/");
        let file = relative.to_string_lossy().into_owned();
        let unit = relative
            .components()
            .next()
            .expect("a file")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if unit == "lib" || unit == "checker" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        let code = code(&text);
        let names = graph.uses.entry(unit.clone()).or_default();
        for name in crate_paths(&code) {
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                by_reexport.push(format!("{file}: crate::{name}"));
            } else if name != unit {
                names.insert(name.to_owned());
                graph
                    .files
                    .entry((unit.clone(), name.to_owned()))
                    .or_default()
                    .insert(file.clone());
            }
        }
    }
    assert!(
        by_reexport.is_empty(),
        "name modules by their path, not by a root re-export: {by_reexport:#?}"
    );
    graph
}

/// A circle through `from`, if there is one: the modules along it.
fn circle_through(graph: &Graph, from: &str) -> Option<Vec<String>> {
    fn walk(
        graph: &Graph,
        at: &str,
        goal: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in graph.uses.get(at).into_iter().flatten() {
            if next == goal {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, next, goal, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![from.to_owned()];
    walk(graph, from, from, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn the_modules_import_each_other_without_a_circle() {
    let graph = graph();
    assert!(
        graph.uses.contains_key("core") && graph.uses.contains_key("drive"),
        "read src/"
    );
    assert_no_circle(&graph);
}

/// The derive reads the same way: `internals` (attributes) and `ast` (the checked model) at the
/// bottom, `check` (the rules) above them, `model` and `unique` folding attributes into the
/// model, `expand` generating from it.
#[test]
fn the_derive_modules_import_each_other_without_a_circle() {
    let graph = graph_of("../write_through_derive/src");
    assert!(
        graph.uses.contains_key("expand") && graph.uses.contains_key("ast"),
        "read the derive"
    );
    assert_no_circle(&graph);
    assert!(
        !graph.uses["expand"].contains("model") && !graph.uses["expand"].contains("unique"),
        "code generation reads the checked model only: {:?}",
        graph.uses["expand"]
    );
}

fn assert_no_circle(graph: &Graph) {
    for module in graph.uses.keys() {
        if let Some(circle) = circle_through(graph, module) {
            let edges: Vec<String> = circle
                .iter()
                .zip(circle.iter().skip(1).chain([&circle[0]]))
                .map(|(a, b)| format!("{a} -> {b} in {:?}", graph.files[&(a.clone(), b.clone())]))
                .collect();
            panic!("an import circle: {edges:#?}");
        }
    }
}

#[test]
fn the_core_imports_only_what_it_decides_about() {
    let graph = graph();
    let outside: Vec<String> = graph.uses["core"]
        .iter()
        .filter(|name| !CORE_MAY_USE.contains(&name.as_str()))
        .map(|name| {
            format!(
                "core -> {name} in {:?}",
                graph.files[&("core".into(), name.clone())]
            )
        })
        .collect();
    assert!(
        outside.is_empty(),
        "the core reaches above itself: {outside:#?}"
    );
}

#[test]
fn the_handle_state_uses_no_driver_or_front() {
    let graph = graph();
    for above in ["drive", "blocking", "asynch", "index"] {
        assert!(
            !graph.uses["cache"].contains(above),
            "cache.rs uses {above} in {:?}",
            graph.files[&("cache".into(), above.into())]
        );
    }
}
