//! Says which system package to install when a backend asked for by feature has no client
//! library to link, instead of leaving the user with a linker error hundreds of lines long.
//!
//! The check only looks where the linker would (the `*-sys` crates' own variables, `pg_config`,
//! `mysql_config`, `pkg-config`, the usual library folders); `WT_SKIP_LIBRARY_CHECK=1` turns it
//! off for a setup it does not know.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Library {
    feature: &'static str,
    backend: &'static str,
    /// File names the linker accepts (the unversioned names that the `-dev` packages install).
    files: &'static [&'static str],
    /// Variables that point the `*-sys` crate at a library: if set, the user knows best.
    overrides: &'static [&'static str],
    config_tools: &'static [(&'static str, &'static [&'static str])],
    pkg_config_names: &'static [&'static str],
    install: &'static str,
}

const LIBRARIES: &[Library] = &[
    Library {
        feature: "CARGO_FEATURE_POSTGRES",
        backend: "PostgreSQL",
        files: &["libpq.so", "libpq.a", "libpq.dylib", "pq.lib"],
        overrides: &["PQ_LIB_DIR", "PQ_LIB_STATIC"],
        config_tools: &[("pg_config", &["--libdir"])],
        pkg_config_names: &["libpq"],
        install: "libpq-dev (Debian, Ubuntu), libpq-devel (Fedora), or `brew install libpq` (macOS)",
    },
    Library {
        feature: "CARGO_FEATURE_MYSQL",
        backend: "MySQL/MariaDB",
        files: &[
            "libmysqlclient.so",
            "libmysqlclient.a",
            "libmysqlclient.dylib",
            "libmariadb.so",
            "libmariadb.a",
            "libmariadb.dylib",
            "mysqlclient.lib",
        ],
        overrides: &["MYSQLCLIENT_LIB_DIR", "MYSQLCLIENT_LIB"],
        config_tools: &[
            ("mysql_config", &["--variable=pkglibdir"]),
            ("mariadb_config", &["--variable=pkglibdir"]),
        ],
        pkg_config_names: &["mysqlclient", "libmariadb"],
        install: "libmariadb-dev and libmariadb-dev-compat (Debian, Ubuntu), mariadb-connector-c-devel (Fedora), or `brew install mysql-client` (macOS)",
    },
];

fn main() {
    println!("cargo::rerun-if-env-changed=WT_SKIP_LIBRARY_CHECK");
    if std::env::var_os("WT_SKIP_LIBRARY_CHECK").is_some() {
        return;
    }
    for library in LIBRARIES {
        for variable in library.overrides {
            println!("cargo::rerun-if-env-changed={variable}");
        }
        if std::env::var_os(library.feature).is_none()
            || library
                .overrides
                .iter()
                .any(|v| std::env::var_os(v).is_some())
        {
            continue;
        }
        if !candidate_dirs(library)
            .iter()
            .any(|dir| library.files.iter().any(|file| dir.join(file).exists()))
        {
            panic!(
                "\n\nThe {} backend needs its C client library, and none was found.\n\
                 Install {}, then build again.\n\
                 (Without a backend feature the examples run on SQLite, compiled in.)\n\
                 If the library is installed somewhere unusual, set WT_SKIP_LIBRARY_CHECK=1.\n\n",
                library.backend, library.install
            );
        }
    }
}

/// Where the linker would look: what the library's own tools say, then the usual folders.
fn candidate_dirs(library: &Library) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for (tool, args) in library.config_tools {
        dirs.extend(output_of(tool, args).map(PathBuf::from));
    }
    for name in library.pkg_config_names {
        dirs.extend(output_of("pkg-config", &["--variable=libdir", name]).map(PathBuf::from));
    }
    for dir in [
        "/usr/lib",
        "/usr/lib64",
        "/usr/local/lib",
        "/usr/lib/mysql",
        "/usr/lib64/mysql",
        "/opt/homebrew/lib",
        "/opt/homebrew/opt/libpq/lib",
        "/opt/homebrew/opt/mysql-client/lib",
        "/usr/local/opt/libpq/lib",
        "/usr/local/opt/mysql-client/lib",
    ] {
        dirs.push(PathBuf::from(dir));
    }
    // Debian's multiarch folders: /usr/lib/x86_64-linux-gnu and the like.
    if let Ok(entries) = std::fs::read_dir("/usr/lib") {
        dirs.extend(
            entries
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| is_multiarch(path)),
        );
    }
    dirs
}

fn is_multiarch(path: &Path) -> bool {
    path.is_dir()
        && path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.contains("-linux-"))
}

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_owned())
}
