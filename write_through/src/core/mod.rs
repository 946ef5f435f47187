//! The protocol's decisions, apart from the I/O that carries them (in the manner of
//! quinn-proto): each part is a value that is fed what Redis and the database answered and
//! returns what to send next. The fronts perform the steps; they decide nothing.
//!
//! - [`batch`]: the `find_many` plan: grouping, what each reply means, what a load sends.
//! - [`key`]: the Redis key of a row.
//! - [`read`]: a `GET` reply -> hit / lease and load / await a fill / read around; the fill.
//! - [`write`]: a write over a set of keys: lock -> database outcome -> publish / delete /
//!   put back / owe; and the one mapping of errors to a database outcome.
//! - [`txn`]: a transaction frame (locked keys, changes, taint, depth) and what its end sends.
//!
//! Nothing here does I/O, reads a clock, waits, spawns threads or keeps thread-local state:
//! no Redis or Diesel connection types, no clock, no waiting. Time, when a decision needs it,
//! is passed in. This is enforced by the unit test below
//! (`the_core_names_no_io_clock_sleep_or_thread`): it reads every file of this directory with
//! `include_str!` (and fails on a file it does not list), and fails on any name of its
//! `FORBIDDEN` list outside of test code. `cargo test -p write_through --lib` runs it; clippy's
//! `disallowed_methods` cannot be scoped to one module, so a test it is.

pub(crate) mod batch;
pub(crate) mod key;
pub(crate) mod read;
pub(crate) mod txn;
pub(crate) mod write;

#[cfg(test)]
mod tests {
    /// Every file of `core/`, as compiled into this test.
    const SOURCES: &[(&str, &str)] = &[
        ("batch.rs", include_str!("batch.rs")),
        ("key.rs", include_str!("key.rs")),
        ("mod.rs", include_str!("mod.rs")),
        ("read.rs", include_str!("read.rs")),
        ("txn.rs", include_str!("txn.rs")),
        ("write.rs", include_str!("write.rs")),
    ];

    /// Names that mean I/O, a clock, sleeping, threads or thread-local state.
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
    ];

    /// The code of a file, without its tests (which may name anything).
    fn code(source: &str) -> &str {
        source.split("#[cfg(test)]").next().unwrap_or(source)
    }

    /// Occurrences of `name` that start a path or an identifier (so `ClosedConnection`, a
    /// Diesel error kind, is not a connection type).
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
        let mut found = Vec::new();
        for (file, source) in SOURCES {
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
    fn every_file_of_the_core_is_checked() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/core");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("src/core")
            .map(|entry| {
                entry
                    .expect("a directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        on_disk.sort();
        let checked: Vec<&str> = SOURCES.iter().map(|(file, _)| *file).collect();
        assert_eq!(on_disk, checked, "add the new file to SOURCES");
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
}
