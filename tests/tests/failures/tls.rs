//! `rediss://`: a TLS connection to a local `redis-server` whose certificate is signed by a CA
//! made in the test, trusted with `CacheBuilder::tls_root_certificate`; and a refusal when the
//! CA is not trusted.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use write_through::{Cache, CacheError};
use write_through_tests::fronts::{Blocking, Front};
use write_through_tests::models::Tag;
use write_through_tests::{skipped, sqlite, unique};

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl on PATH");
    assert!(status.success(), "openssl {args:?}");
}

/// A CA and a server certificate for 127.0.0.1 signed by it.
fn certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "1",
            "-subj",
            "/CN=write_through test CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "1",
            "-extfile",
            "server.ext",
        ],
    );
}

struct TlsRedis {
    child: Child,
    port: u16,
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tls_redis(dir: &Path) -> TlsRedis {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let file = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let child = Command::new("redis-server")
        .args([
            "--port",
            "0",
            "--tls-port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .args([
            "--tls-cert-file",
            &file("server.pem"),
            "--tls-key-file",
            &file("server.key"),
        ])
        .args([
            "--tls-ca-cert-file",
            &file("ca.pem"),
            "--tls-auth-clients",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server on PATH");
    write_through_tests::services::wait_until(
        "redis-server with TLS",
        Duration::from_secs(10),
        || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(),
    );
    TlsRedis { child, port }
}

/// These tests make their certificates with `openssl` and run a `redis-server` of their own.
fn servers_can_be_made() -> bool {
    skipped::program_on_path("openssl") && skipped::program_on_path("redis-server")
}

/// One front's way of sending `PING`.
type Ping = fn(&Cache) -> Result<(), CacheError>;

/// Both fronts' ways of sending `PING`.
fn pings() -> [(&'static str, Ping); 2] {
    [
        ("blocking", |cache: &Cache| cache.ping()),
        ("async", |cache: &Cache| {
            write_through_tests::fronts::runtime().block_on(write_through::asynch::ping(cache))
        }),
    ]
}

#[test]
fn rediss_with_a_trusted_ca_caches_rows() {
    if !servers_can_be_made() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    let redis = tls_redis(dir.path());
    let ca = std::fs::read(dir.path().join("ca.pem")).unwrap();
    let (blocking, _db) = sqlite();
    let (nonblocking, _async_db) = write_through_tests::fronts::async_sqlite();
    let fronts: [Box<dyn Front>; 2] = [Box::new(Blocking(blocking)), Box::new(nonblocking)];
    for (mut front, (name, ping)) in fronts.into_iter().zip(pings()) {
        let cache = Cache::builder(&format!("rediss://127.0.0.1:{}", redis.port))
            .tls_root_certificate(&ca)
            .build()
            .unwrap();
        ping(&cache).unwrap_or_else(|e| {
            panic!("{name}: a TLS connection verified against the test CA: {e}")
        });
        let row = Tag {
            name: format!("tls-{}", unique()),
            uses: 1,
        };
        front.save_tag(&cache, &row).unwrap();
        assert_eq!(
            front.find_tag(&cache, &row.name).unwrap(),
            Some(row),
            "{name}"
        );
        assert_eq!(cache.stats().hits, 1, "{name}");
    }
}

#[test]
fn rediss_refuses_a_server_whose_certificate_is_not_trusted() {
    if !servers_can_be_made() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    let redis = tls_redis(dir.path());
    for (name, ping) in pings() {
        // The system's roots do not include the test CA.
        let cache = Cache::open(&format!("rediss://127.0.0.1:{}", redis.port)).unwrap();
        let error = ping(&cache).unwrap_err();
        assert_eq!(error.operation(), "connect", "{name}: {error}");
    }
}
