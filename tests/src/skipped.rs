//! Tests that found no server are skipped, and say so where a reader looks: at the end.
//!
//! libtest has no "skipped" outcome decided at run time: a test that returns early is counted
//! as `ok`. So each skip is recorded here, and when the test binary exits (after libtest's own
//! `test result:` line) the skipped tests are listed with their count on stderr, so that a
//! green run that tested nothing cannot pass for a real one. Under `WT_SKIPPED_LOG` (set by
//! `scripts/test`), each skipped test is also appended to that file as one line (a reason
//! spanning lines is joined), for the run's closing summary. Under `CI=true` nothing is skipped: a missing server fails the test.
//!
//! A test is counted once however many of its servers are missing (`(postgres(),
//! TestCache::new())` reports both when both are down): skips are deduplicated by the test's
//! name, which libtest gives the thread it runs the test on, and a second reason is added to the
//! test's line rather than counted again. So the per-binary count and `scripts/test`'s
//! `passed - skipped` count tests, as libtest does. A skip from a thread with no name (one a test
//! spawned) cannot be matched to its test and counts on its own.

use std::io::Write;
use std::sync::{Mutex, Once};

/// The skipped tests of this binary, each once, with every reason it gave.
static SKIPPED: Mutex<Vec<Skipped>> = Mutex::new(Vec::new());

/// One skipped test: its name (`None` when the skip came from an unnamed thread) and its reasons.
struct Skipped {
    test: Option<String>,
    reasons: Vec<String>,
}

impl Skipped {
    fn line(&self) -> String {
        format!(
            "{} ({})",
            self.test.as_deref().unwrap_or(OUTSIDE_LIBTEST),
            self.reasons.join("; ")
        )
    }
}

const OUTSIDE_LIBTEST: &str = "a test outside libtest";

/// `text` with each run of whitespace, line breaks included, made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Records `why` for `test`; true when this is the test's first skip (the one to count).
fn record(skipped: &mut Vec<Skipped>, test: Option<&str>, why: &str) -> bool {
    if let Some(name) = test
        && let Some(seen) = skipped
            .iter_mut()
            .find(|entry| entry.test.as_deref() == Some(name))
    {
        if !seen.reasons.iter().any(|reason| reason == why) {
            seen.reasons.push(why.to_owned());
        }
        return false;
    }
    skipped.push(Skipped {
        test: test.map(str::to_owned),
        reasons: vec![why.to_owned()],
    });
    true
}
static REPORT_AT_EXIT: Once = Once::new();

/// Whether a missing server must fail the test rather than skip it.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Whether `program` is on `PATH`; when it is not, the running test is skipped (or fails under
/// CI) for that reason. For the tests that start servers of their own.
pub fn program_on_path(program: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()));
    if !found {
        skip(&format!(
            "`{program}` is not on PATH; this test starts a server of its own"
        ));
    }
    found
}

/// Fails the running test under CI; otherwise records it as skipped for `why`, loudly.
pub fn skip(why: &str) {
    let message = format!("\n!!!!! {why} !!!!!\n");
    if under_ci() {
        panic!("{message}under CI every service must be up");
    }
    eprintln!("{message}skipping this test");
    // A driver's message can span lines (libpq's does); the log keeps one line per test.
    let why = &one_line(why);
    // libtest names each test's thread after the test.
    let thread = std::thread::current();
    let test = thread.name();
    let first = record(
        &mut SKIPPED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
        test,
        why,
    );
    // One line per skipped test: `scripts/test` counts the lines.
    if first && let Ok(path) = std::env::var("WT_SKIPPED_LOG") {
        append_to_log(
            &path,
            &format!("{}: {why}", test.unwrap_or(OUTSIDE_LIBTEST)),
        );
    }
    REPORT_AT_EXIT.call_once(|| {
        // SAFETY: `report` is an `extern "C" fn()` that does not unwind; registering it has
        // no other precondition.
        unsafe { libc::atexit(report) };
    });
}

extern "C" fn report() {
    let skipped = SKIPPED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut text = format!(
        "\nSKIPPED, NOT PASSED: {} test(s) of this binary found no server and returned early; \
         libtest counted them as `ok` above:\n",
        skipped.len()
    );
    for test in skipped.iter() {
        text.push_str(&format!("  skipped {}\n", test.line()));
    }
    text.push_str(
        "Start the services (`scripts/test` installs and starts them) to run these tests.\n",
    );
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// One line per skip, prefixed with the test binary's name; `write_all` of one buffer to a
/// file opened for appending keeps lines from concurrent tests whole.
fn append_to_log(path: &str, line: &str) {
    let binary = std::env::args().next().unwrap_or_default();
    let binary = binary.rsplit('/').next().unwrap_or_default().to_owned();
    if let Ok(mut log) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = log.write_all(format!("{binary} {line}\n").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::{Skipped, one_line, record};

    #[test]
    fn a_reason_spanning_lines_is_logged_on_one() {
        assert_eq!(
            one_line(
                "PostgreSQL is not reachable (port 1 failed: refused\n\tIs the server running?\n); set the URL"
            ),
            "PostgreSQL is not reachable (port 1 failed: refused Is the server running? ); set the URL"
        );
    }

    #[test]
    fn a_test_missing_two_servers_is_counted_once_with_both_reasons() {
        let mut skipped = Vec::new();
        assert!(record(
            &mut skipped,
            Some("pg::a"),
            "PostgreSQL is not reachable"
        ));
        assert!(!record(
            &mut skipped,
            Some("pg::a"),
            "Redis is not reachable"
        ));
        assert!(record(
            &mut skipped,
            Some("pg::b"),
            "Redis is not reachable"
        ));
        assert!(!record(
            &mut skipped,
            Some("pg::b"),
            "Redis is not reachable"
        ));
        assert_eq!(skipped.len(), 2);
        assert_eq!(
            skipped[0].line(),
            "pg::a (PostgreSQL is not reachable; Redis is not reachable)"
        );
        assert_eq!(skipped[1].line(), "pg::b (Redis is not reachable)");
    }

    #[test]
    fn skips_from_unnamed_threads_cannot_be_matched_and_count_each() {
        let mut skipped: Vec<Skipped> = Vec::new();
        assert!(record(&mut skipped, None, "Redis is not reachable"));
        assert!(record(&mut skipped, None, "Redis is not reachable"));
        assert_eq!(skipped.len(), 2);
        assert_eq!(
            skipped[0].line(),
            "a test outside libtest (Redis is not reachable)"
        );
    }
}
