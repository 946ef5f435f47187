//! A `redis-server` of a test's own on a free port, to kill, pause, restart and starve without
//! touching the shared one. It is killed when dropped, even when the test panics.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct PrivateRedis {
    child: Child,
    port: u16,
    extra: Vec<String>,
}

impl PrivateRedis {
    /// Starts a server without persistence and waits until it answers; `None` (the test is
    /// skipped, or fails under CI) when `redis-server` is not on `PATH`.
    pub fn start() -> Option<Self> {
        Self::start_with(&[])
    }

    /// Starts a server with extra `redis-server` arguments (e.g. `--requirepass`).
    pub fn start_with(extra: &[&str]) -> Option<Self> {
        if !crate::skipped::program_on_path("redis-server") {
            return None;
        }
        let port = free_port();
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let server = Self {
            child: spawn(port, &extra),
            port,
            extra,
        };
        server.wait_until_ready();
        Some(server)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// SIGSTOP: the server keeps its sockets but answers nothing, like a hung Redis.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// SIGCONT after [`PrivateRedis::pause`].
    pub fn resume(&self) {
        self.signal("-CONT");
    }

    /// SIGKILL, as a crash or an out-of-memory killer would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A fresh, empty server on the same port (after [`PrivateRedis::kill`], or instead of it).
    pub fn restart(&mut self) {
        self.kill();
        self.child = spawn(self.port, &self.extra);
        self.wait_until_ready();
    }

    /// `CONFIG SET name value`.
    pub fn config_set(&self, name: &str, value: &str) {
        redis::cmd("CONFIG")
            .arg("SET")
            .arg(name)
            .arg(value)
            .query::<()>(&mut self.connection())
            .expect("CONFIG SET");
    }

    /// A plain connection for looking behind the cache's back.
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .and_then(|c| c.get_connection())
            .expect("connect")
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill {signal} failed");
    }

    fn wait_until_ready(&self) {
        let what = format!("private redis-server on port {}", self.port);
        crate::services::wait_until(&what, Duration::from_secs(10), || {
            let ping = redis::Client::open(self.url())
                .and_then(|c| c.get_connection_with_timeout(Duration::from_millis(200)))
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
            // With a password, an answer that asks for it also proves the server is up.
            match &ping {
                Ok(_) => true,
                Err(error) => error.code() == Some("NOAUTH"),
            }
        });
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        // SIGKILL works on a stopped process too.
        self.kill();
    }
}

fn spawn(port: u16, extra: &[String]) -> Child {
    Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server on PATH")
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a free port")
        .port()
}

/// A Redis URL where nothing listens: a Redis that is down.
pub fn dead_redis_url() -> String {
    format!("redis://127.0.0.1:{}", free_port())
}
