//! A PostgreSQL server of a test's own (initdb in a temporary directory, a free port), to stop
//! in the middle of a load without touching the shared one. Stopped and removed when dropped.
//!
//! PostgreSQL refuses to run as root, so the server runs as the `postgres` user (`runuser`).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub struct PrivatePostgres {
    dir: tempfile::TempDir,
    port: u16,
    /// `-c name=value` settings given at start, kept for a restart.
    settings: Vec<String>,
}

impl PrivatePostgres {
    /// `None` (after a loud message) when no server can be made here; a failure under CI.
    pub fn start() -> Option<Self> {
        Self::start_with(&[])
    }

    /// A server started with extra settings (`"wal_level=logical"`).
    pub fn start_with(settings: &[&str]) -> Option<Self> {
        match Self::try_start(settings) {
            Ok(server) => Some(server),
            Err(why) => {
                crate::skipped::skip(&format!("cannot start a private PostgreSQL: {why}"));
                None
            }
        }
    }

    fn try_start(settings: &[&str]) -> Result<Self, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        run("chown", &["postgres", &dir.path().to_string_lossy()])?;
        let server = Self {
            dir,
            port,
            settings: settings.iter().map(|s| (*s).to_owned()).collect(),
        };
        as_postgres(&[
            "initdb",
            "-D",
            &server.data(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ])?;
        server.pg_ctl_start()?;
        Ok(server)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let mut options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off",
            self.port,
            self.dir.path().to_string_lossy()
        );
        for setting in &self.settings {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        let log = self.dir.path().join("log").to_string_lossy().into_owned();
        as_postgres(&[
            "pg_ctl",
            "-D",
            &self.data(),
            "-o",
            &options,
            "-l",
            &log,
            "-w",
            "start",
        ])
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl stop -m immediate`: the server dies, open connections break.
    pub fn stop_now(&self) {
        let _ = as_postgres(&[
            "pg_ctl",
            "-D",
            &self.data(),
            "-m",
            "immediate",
            "-w",
            "stop",
        ]);
    }

    /// Starts it again after [`PrivatePostgres::stop_now`].
    pub fn restart(&self) {
        self.pg_ctl_start().expect("restart the private PostgreSQL");
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_owned()
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn as_postgres(args: &[&str]) -> Result<(), String> {
    let mut full = vec!["-u", "postgres", "--"];
    full.extend_from_slice(args);
    run("runuser", &full)
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
