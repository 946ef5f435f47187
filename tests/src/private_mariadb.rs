//! A MariaDB server of a test's own with its binlog on (row-based, whole row images), on a free
//! port, for the binlog feed: the shared server keeps its binlog off, and is never reconfigured.
//! Each server starts from a copy of one data directory, initialized once per build tree (kept
//! under `target/tmp`, shared by the test processes and removed by `cargo clean`), and is killed
//! and removed when dropped, even when the test panics.

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

/// The directory holding the data directory `mariadb-install-db` made, copied for each server.
static TEMPLATE: OnceLock<Result<PathBuf, String>> = OnceLock::new();

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

    /// A free port can be taken by another test's server between the look and the bind: then
    /// this server exits, and another port is tried.
    fn try_start() -> Result<Self, String> {
        let mut last = String::new();
        for _ in 0..5 {
            match Self::try_start_once() {
                Ok(server) => return Ok(server),
                Err(why) => last = why,
            }
        }
        Err(last)
    }

    fn try_start_once() -> Result<Self, String> {
        let template = TEMPLATE
            .get_or_init(initialize)
            .as_ref()
            .map_err(Clone::clone)?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let status = Command::new("cp")
            .arg("-a")
            .arg(template.join("data"))
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
        let mut server = Self { dir, port, child };
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

    /// The end of the server's error log, for a failure's message.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(150)..].join("\n")
    }

    fn wait_until_ready(&mut self) -> Result<(), String> {
        let start = Instant::now();
        let pid_file = self.dir.path().join("pid").display().to_string();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("mariadbd exited ({status}); its port was taken?"));
            }
            // The server that answers must be this one, not another test's on the same port.
            if let Ok(answered) = self.sql("SELECT @@pid_file") {
                if answered == pid_file {
                    return Ok(());
                }
                return Err(format!("port {} is another server's", self.port));
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
        if let Ok(Some(status)) = self.child.try_wait() {
            eprintln!(
                "the private MariaDB on port {} had exited ({status}):\n{}",
                self.port,
                self.log_tail()
            );
        }
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

/// The template, made by `mariadb-install-db` the first time on this machine: into a
/// directory of its own, then renamed into place (another test process may be making it too).
fn initialize() -> Result<PathBuf, String> {
    if !mariadbd().is_file() {
        return Err("there is no mariadbd".to_owned());
    }
    // Named after the user and the server's settings below (v2): a template made for other
    // settings is not used.
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    // target/<profile>/deps/<test binary> -> target/tmp.
    let target_tmp = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("tmp")))
        .filter(|dir| std::fs::create_dir_all(dir).is_ok())
        .unwrap_or_else(std::env::temp_dir);
    let template = target_tmp.join(format!("write_through-mariadb-template-{uid}-v2"));
    if template.join("data").join("mysql").is_dir() {
        return Ok(template);
    }
    let making = tempfile::Builder::new()
        .prefix("write_through-mariadb-template-")
        .tempdir_in(&target_tmp)
        .map_err(|e| e.to_string())?;
    let data = making.path().join("data");
    let output = Command::new("mariadb-install-db")
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--user={}", user()))
        .args([
            "--skip-test-db",
            "--auth-root-authentication-method=normal",
            "--innodb-log-file-size=16M",
        ])
        .env("PATH", path_with_sbin())
        .output()
        .map_err(|e| format!("mariadb-install-db: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "mariadb-install-db failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let made = making.keep();
    if std::fs::rename(&made, &template).is_err() {
        // Another process put its template there first.
        let _ = std::fs::remove_dir_all(&made);
    }
    if template.join("data").join("mysql").is_dir() {
        Ok(template)
    } else {
        Err(format!("no template at {}", template.display()))
    }
}

fn spawn(dir: &Path, port: u16) -> Result<Child, String> {
    let data = dir.join("data");
    // Its internal temporary tables in a directory of its own, not the machine's /tmp.
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let log = std::fs::File::create(dir.join("log")).map_err(|e| e.to_string())?;
    Command::new(mariadbd())
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--port={port}"))
        .arg(format!("--socket={}", dir.join("sock").display()))
        .arg(format!("--pid-file={}", dir.join("pid").display()))
        .arg(format!("--tmpdir={}", tmp.display()))
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
