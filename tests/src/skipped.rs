//! Tests that found no server are skipped, and say so where a reader looks: at the end.
//!
//! libtest has no "skipped" outcome decided at run time: a test that returns early is counted
//! as `ok`. So each skip is recorded here, and when the test binary exits (after libtest's own
//! `test result:` line) the skipped tests are listed with their count on stderr, so that a
//! green run that tested nothing cannot pass for a real one. Under `WT_SKIPPED_LOG` (set by
//! `scripts/test`), each skip is also appended to that file, for the run's closing summary.
//! Under `CI=true` nothing is skipped: a missing server fails the test.

use std::io::Write;
use std::sync::{Mutex, Once};

static SKIPPED: Mutex<Vec<String>> = Mutex::new(Vec::new());
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
    // libtest names each test's thread after the test.
    let test = std::thread::current()
        .name()
        .unwrap_or("a test outside libtest")
        .to_owned();
    if let Ok(path) = std::env::var("WT_SKIPPED_LOG") {
        append_to_log(&path, &format!("{test}: {why}"));
    }
    SKIPPED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(format!("{test} ({why})"));
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
        text.push_str(&format!("  skipped {test}\n"));
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
