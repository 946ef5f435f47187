//! `src/core/` decides and does no I/O: no Redis or Diesel connection, no clock, no sleeping,
//! no threads, no thread-local state; it counts and logs nothing either (it returns what
//! happened, and the drivers count and log it). This test reads every file of that directory and fails on
//! any such name outside test code. It lives out here, not in `core/`, so that the list of
//! forbidden names is not itself a file of the core.
//!
//! clippy's `disallowed_methods` cannot be scoped to one module, so a test it is.

use std::path::Path;

/// Names that mean I/O, a clock, sleeping, threads, process or thread state, counting or logging.
const FORBIDDEN: &[&str] = &[
    "std::thread",
    "Instant::now",
    "SystemTime",
    "thread_local!",
    "redis::",
    "Connection",
    "sleep",
    "std::net",
    "std::fs",
    "std::io",
    "tokio",
    "tracing",
    "Counters",
    "LazyLock",
    "static ",
];

/// Every `.rs` file of `src/core/`, with its text.
fn core_sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut sources: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                text,
            )
        })
        .collect();
    sources.sort();
    sources
}

/// The code of a file, without its tests (which may name anything).
fn code(source: &str) -> &str {
    source.split("#[cfg(test)]").next().unwrap_or(source)
}

/// Occurrences of `name` that start a path or an identifier (so `ClosedConnection`, a Diesel
/// error kind, is not a connection type).
fn names(code: &str, name: &str) -> usize {
    code.match_indices(name)
        .filter(|(at, _)| {
            let before = code[..*at].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .count()
}

#[test]
fn the_core_names_no_io_clock_sleep_or_thread() {
    let sources = core_sources();
    assert!(
        sources.iter().any(|(file, _)| file == "write.rs"),
        "read the core: {sources:?}"
    );
    let mut found = Vec::new();
    for (file, source) in &sources {
        for name in FORBIDDEN {
            if names(code(source), name) > 0 {
                found.push(format!("core/{file} names `{name}`"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the core must stay free of I/O: {found:#?}"
    );
}

#[test]
fn the_check_sees_a_forbidden_name_and_not_a_longer_identifier() {
    assert_eq!(
        names("let t = std::time::Instant::now();", "Instant::now"),
        1
    );
    assert_eq!(names("fn f(c: &mut impl Connection) {}", "Connection"), 1);
    assert_eq!(
        names("DatabaseErrorKind::ClosedConnection", "Connection"),
        0
    );
    assert_eq!(
        code("fn a() {}\n#[cfg(test)]\nmod tests { std::thread::sleep(); }"),
        "fn a() {}\n"
    );
}
