//! Finds a Redis for the quickstart: the one at `REDIS_URL` (default the local one), or else a
//! private `redis-server` on a free port, started here and stopped when the guard is dropped.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use write_through::Cache;

/// The Redis the quickstart talks to. A private server lives as long as this value.
pub struct Redis {
    pub url: String,
    private: Option<Child>,
}

impl Redis {
    /// `REDIS_URL` if something answers there; else a private server if `redis-server` is on
    /// `PATH`; else a message that says what to install.
    pub fn find_or_start() -> Result<Self, String> {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
        if answers(&url) {
            return Ok(Self { url, private: None });
        }
        let shown = redact(&url);
        let redis = Self::start_private().map_err(|why| {
            format!(
                "nothing answers at {shown}, and no private Redis could be started ({why}).\n\
                 Install Redis (`apt-get install redis-server` on Debian and Ubuntu, \
                 `dnf install redis` on Fedora, `brew install redis` on macOS) so that \
                 `redis-server` is on PATH, or point REDIS_URL at a running Redis."
            )
        })?;
        println!(
            "redis:    nothing answers at {shown}; started a private redis-server at {} \
             (stopped when the quickstart exits)",
            redis.url
        );
        Ok(redis)
    }

    fn start_private() -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("`redis-server` did not start: {e}"))?;
        let redis = Self {
            url: format!("redis://127.0.0.1:{port}"),
            private: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !answers(&redis.url) {
            if Instant::now() > deadline {
                return Err("`redis-server` did not answer within 10 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(redis)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        if let Some(child) = &mut self.private {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn answers(url: &str) -> bool {
    Cache::builder(url)
        .build()
        .is_ok_and(|cache| cache.ping().is_ok())
}

/// The URL without any password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
