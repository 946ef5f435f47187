//! A MariaDB server of a test's own with its binlog on (row-based, whole row images), on a free
//! port, for the binlog feed: the shared server keeps its binlog off, and is never reconfigured.
//! Each server starts from a copy of one data directory initialized once per test process, and
//! is killed and removed when dropped, even when the test panics.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct PrivateMariaDb {
    dir: tempfile::TempDir,
    port: u16,
    child: Child,
}

/// The data directory `mariadb-install-db` made, copied for each server.
static TEMPLATE: OnceLock<Result<tempfile::TempDir, String>> = OnceLock::new();

impl PrivateMariaDb {
    /// `None` (after a loud message) when no server can be made here; a failure under CI.
    pub fn start() -> Option<Self> {
        match Self::try_start() {
            Ok(server) => Some(server),
            Err(why) => {
                crate::skipped::skip(&format!("cannot start a private MariaDB: {why}"));
                None
            }
        }
    }

    fn try_start() -> Result<Self, String> {
        let template = TEMPLATE
            .get_or_init(initialize)
            .as_ref()
            .map_err(Clone::clone)?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let status = Command::new("cp")
            .arg("-a")
            .arg(template.path().join("data"))
            .arg(dir.path())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("copying the template data directory failed".to_owned());
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let child = spawn(dir.path(), port)?;
        let server = Self { dir, port, child };
        server.wait_until_ready()?;
        server.sql("CREATE DATABASE IF NOT EXISTS test")?;
        Ok(server)
    }

    /// `mysql://root@127.0.0.1:<port>/test`.
    pub fn url(&self) -> String {
        format!("mysql://root@127.0.0.1:{}/test", self.port)
    }

    /// Runs `sql` with the command-line client (in database `test` once it exists).
    pub fn sql(&self, sql: &str) -> Result<String, String> {
        let output = Command::new(client())
            .args([
                "-h",
                "127.0.0.1",
                "-P",
                &self.port.to_string(),
                "-u",
                "root",
            ])
            .args(["--protocol=tcp", "-N", "-B", "-e", sql])
            .output()
            .map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }

    fn wait_until_ready(&self) -> Result<(), String> {
        let start = Instant::now();
        loop {
            if self.sql("SELECT 1").is_ok() {
                return Ok(());
            }
            if start.elapsed() > Duration::from_secs(30) {
                let log = std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default();
                return Err(format!("the server did not answer within 30 s:\n{log}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PrivateMariaDb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> &'static str {
    if crate::skipped::program_on_path("mariadb") {
        "mariadb"
    } else {
        "mysql"
    }
}

fn mariadbd() -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("mariadbd"))
            .find(|candidate| candidate.is_file())
    });
    on_path.unwrap_or_else(|| PathBuf::from("/usr/sbin/mariadbd"))
}

/// Runs `mariadb-install-db` once, into a directory kept for the process's life.
fn initialize() -> Result<tempfile::TempDir, String> {
    if !mariadbd().is_file() {
        return Err("there is no mariadbd".to_owned());
    }
    let template = tempfile::tempdir().map_err(|e| e.to_string())?;
    let data = template.path().join("data");
    let output = Command::new("mariadb-install-db")
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--user={}", user()))
        .args(["--skip-test-db", "--auth-root-authentication-method=normal"])
        .env("PATH", path_with_sbin())
        .output()
        .map_err(|e| format!("mariadb-install-db: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "mariadb-install-db failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(template)
}

fn spawn(dir: &Path, port: u16) -> Result<Child, String> {
    let data = dir.join("data");
    let log = std::fs::File::create(dir.join("log")).map_err(|e| e.to_string())?;
    Command::new(mariadbd())
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--port={port}"))
        .arg(format!("--socket={}", dir.join("sock").display()))
        .arg(format!("--pid-file={}", dir.join("pid").display()))
        .arg(format!("--user={}", user()))
        .args([
            "--bind-address=127.0.0.1",
            "--skip-grant-tables",
            "--skip-name-resolve",
            "--log-bin=mariadb-bin",
            "--binlog-format=ROW",
            "--binlog-row-image=FULL",
            "--server-id=1",
            "--innodb-flush-log-at-trx-commit=0",
            "--sync-binlog=0",
            "--innodb-buffer-pool-size=32M",
            "--innodb-log-file-size=16M",
        ])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("mariadbd: {e}"))
}

/// The user the server runs as: this process's (`root` must be named to run it as root).
fn user() -> String {
    Command::new("id")
        .arg("-un")
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "root".to_owned())
}

fn path_with_sbin() -> String {
    let path = std::env::var("PATH").unwrap_or_default();
    format!("{path}:/usr/sbin:/usr/bin")
}
