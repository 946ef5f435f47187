//! The streaming reader's socket on either front: a TCP or Unix-domain stream that reads with a
//! bound on the wait (zero: only what has arrived), so that the one loop (`stream.rs`) can end
//! a batch as soon as the server has nothing more to send, and look at its stop flag while
//! idle. Blocking sockets on the feed's thread; tokio's on its task.

use std::future::Future;
use std::io;
use std::time::Duration;

use bytes::BytesMut;

use super::conninfo::{Conninfo, Host};

/// How long connecting waits when the connection string sets no `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a write may block: a status update is a few bytes, so a server that takes longer
/// is gone.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// How much one read takes off the socket at most.
const READ_CHUNK: usize = 64 * 1024;

/// A connection to the walsender.
pub(crate) trait ReplicationSocket: Send {
    /// Appends what the server sent to `buffer`, waiting at most `wait` for it; `Ok(false)` when
    /// nothing came. The server closing the connection is an error.
    fn read(
        &mut self,
        buffer: &mut BytesMut,
        wait: Duration,
    ) -> impl Future<Output = io::Result<bool>> + Send;

    /// Sends `bytes`, all of them.
    fn write(&mut self, bytes: &[u8]) -> impl Future<Output = io::Result<()>> + Send;
}

fn closed() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the server closed the replication connection",
    )
}

pub(crate) mod blocking {
    use std::io::{self, Read, Write};
    use std::net::{TcpStream, ToSocketAddrs};
    #[cfg(unix)]
    use std::os::unix::net::UnixStream;
    use std::time::Duration;

    use bytes::BytesMut;

    use super::*;

    /// A blocking socket, owned by the feed's thread.
    pub(crate) enum BlockingSocket {
        Tcp(TcpStream),
        #[cfg(unix)]
        Unix(UnixStream),
    }

    impl BlockingSocket {
        /// Connects to `info`'s server.
        pub(crate) fn connect(info: &Conninfo) -> io::Result<Self> {
            let timeout = info.connect_timeout.unwrap_or(CONNECT_TIMEOUT);
            let socket = match &info.host {
                Host::Tcp(host, port) => {
                    let mut last = None;
                    let mut connected = None;
                    for address in (host.as_str(), *port).to_socket_addrs()? {
                        match TcpStream::connect_timeout(&address, timeout) {
                            Ok(stream) => {
                                connected = Some(stream);
                                break;
                            }
                            Err(error) => last = Some(error),
                        }
                    }
                    let stream = connected.ok_or_else(|| {
                        last.unwrap_or_else(|| {
                            io::Error::new(io::ErrorKind::NotFound, "the host has no address")
                        })
                    })?;
                    stream.set_nodelay(true)?;
                    BlockingSocket::Tcp(stream)
                }
                #[cfg(unix)]
                Host::Unix(path) => BlockingSocket::Unix(UnixStream::connect(path)?),
                #[cfg(not(unix))]
                Host::Unix(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::Unsupported,
                        "Unix-domain sockets need a Unix system",
                    ));
                }
            };
            socket.each(|s| s.set_write_timeout(Some(WRITE_TIMEOUT)))?;
            Ok(socket)
        }

        fn each(
            &self,
            tcp_or_unix: impl Fn(&dyn SocketOptions) -> io::Result<()>,
        ) -> io::Result<()> {
            match self {
                BlockingSocket::Tcp(stream) => tcp_or_unix(stream),
                #[cfg(unix)]
                BlockingSocket::Unix(stream) => tcp_or_unix(stream),
            }
        }

        fn stream(&mut self) -> &mut dyn ReadWrite {
            match self {
                BlockingSocket::Tcp(stream) => stream,
                #[cfg(unix)]
                BlockingSocket::Unix(stream) => stream,
            }
        }

        fn read_now(&mut self, buffer: &mut BytesMut, wait: Duration) -> io::Result<bool> {
            // A zero wait reads what has arrived: the socket is non-blocking for that read.
            if wait.is_zero() {
                self.each(|s| s.set_nonblocking(true))?;
            } else {
                self.each(|s| s.set_read_timeout(Some(wait)))?;
            }
            let mut chunk = [0u8; READ_CHUNK];
            let read = self.stream().read(&mut chunk);
            if wait.is_zero() {
                self.each(|s| s.set_nonblocking(false))?;
            }
            match read {
                Ok(0) => Err(closed()),
                Ok(n) => {
                    buffer.extend_from_slice(&chunk[..n]);
                    Ok(true)
                }
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) =>
                {
                    Ok(false)
                }
                Err(error) => Err(error),
            }
        }
    }

    /// What the loop needs of either kind of socket.
    trait ReadWrite: Read + Write {}
    impl<T: Read + Write> ReadWrite for T {}

    /// The options both kinds of socket have.
    trait SocketOptions {
        fn set_nonblocking(&self, on: bool) -> io::Result<()>;
        fn set_read_timeout(&self, wait: Option<Duration>) -> io::Result<()>;
        fn set_write_timeout(&self, wait: Option<Duration>) -> io::Result<()>;
    }

    macro_rules! socket_options {
        ($type:ty) => {
            impl SocketOptions for $type {
                fn set_nonblocking(&self, on: bool) -> io::Result<()> {
                    <$type>::set_nonblocking(self, on)
                }
                fn set_read_timeout(&self, wait: Option<Duration>) -> io::Result<()> {
                    <$type>::set_read_timeout(self, wait)
                }
                fn set_write_timeout(&self, wait: Option<Duration>) -> io::Result<()> {
                    <$type>::set_write_timeout(self, wait)
                }
            }
        };
    }
    socket_options!(TcpStream);
    #[cfg(unix)]
    socket_options!(UnixStream);

    impl ReplicationSocket for BlockingSocket {
        fn read(
            &mut self,
            buffer: &mut BytesMut,
            wait: Duration,
        ) -> impl Future<Output = io::Result<bool>> + Send {
            std::future::ready(self.read_now(buffer, wait))
        }

        fn write(&mut self, bytes: &[u8]) -> impl Future<Output = io::Result<()>> + Send {
            std::future::ready(self.stream().write_all(bytes))
        }
    }
}

#[cfg(feature = "async")]
pub(crate) mod asynch {
    use std::io;
    use std::time::Duration;

    use bytes::BytesMut;
    use tokio::net::TcpStream;
    #[cfg(unix)]
    use tokio::net::UnixStream;

    use super::*;

    /// A tokio socket, owned by the feed's task, with the chunk it reads into.
    pub(crate) struct AsyncSocket {
        stream: Stream,
        chunk: Box<[u8]>,
    }

    enum Stream {
        Tcp(TcpStream),
        #[cfg(unix)]
        Unix(UnixStream),
    }

    impl AsyncSocket {
        /// Connects to `info`'s server.
        pub(crate) async fn connect(info: &Conninfo) -> io::Result<Self> {
            let timeout = info.connect_timeout.unwrap_or(CONNECT_TIMEOUT);
            let connecting = async {
                Ok::<_, io::Error>(match &info.host {
                    Host::Tcp(host, port) => {
                        let stream = TcpStream::connect((host.as_str(), *port)).await?;
                        stream.set_nodelay(true)?;
                        Stream::Tcp(stream)
                    }
                    #[cfg(unix)]
                    Host::Unix(path) => Stream::Unix(UnixStream::connect(path).await?),
                    #[cfg(not(unix))]
                    Host::Unix(_) => {
                        return Err(io::Error::new(
                            io::ErrorKind::Unsupported,
                            "Unix-domain sockets need a Unix system",
                        ));
                    }
                })
            };
            let stream = tokio::time::timeout(timeout, connecting)
                .await
                .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "connecting timed out"))??;
            Ok(AsyncSocket {
                stream,
                chunk: vec![0u8; READ_CHUNK].into_boxed_slice(),
            })
        }

        async fn readable(&self) -> io::Result<()> {
            match &self.stream {
                Stream::Tcp(stream) => stream.readable().await,
                #[cfg(unix)]
                Stream::Unix(stream) => stream.readable().await,
            }
        }

        async fn writable(&self) -> io::Result<()> {
            match &self.stream {
                Stream::Tcp(stream) => stream.writable().await,
                #[cfg(unix)]
                Stream::Unix(stream) => stream.writable().await,
            }
        }

        fn try_read(&mut self) -> io::Result<usize> {
            match &self.stream {
                Stream::Tcp(stream) => stream.try_read(&mut self.chunk),
                #[cfg(unix)]
                Stream::Unix(stream) => stream.try_read(&mut self.chunk),
            }
        }

        fn try_write(&self, bytes: &[u8]) -> io::Result<usize> {
            match &self.stream {
                Stream::Tcp(stream) => stream.try_write(bytes),
                #[cfg(unix)]
                Stream::Unix(stream) => stream.try_write(bytes),
            }
        }

        /// Reads what has arrived; `Ok(None)` when nothing has.
        fn read_arrived(&mut self, buffer: &mut BytesMut) -> io::Result<Option<()>> {
            match self.try_read() {
                Ok(0) => Err(closed()),
                Ok(n) => {
                    buffer.extend_from_slice(&self.chunk[..n]);
                    Ok(Some(()))
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => Ok(None),
                Err(error) => Err(error),
            }
        }
    }

    impl ReplicationSocket for AsyncSocket {
        async fn read(&mut self, buffer: &mut BytesMut, wait: Duration) -> io::Result<bool> {
            if let Some(()) = self.read_arrived(buffer)? {
                return Ok(true);
            }
            if wait.is_zero() {
                return Ok(false);
            }
            let waited = tokio::time::timeout(wait, async {
                loop {
                    self.readable().await?;
                    if let Some(()) = self.read_arrived(buffer)? {
                        return Ok::<_, io::Error>(());
                    }
                }
            })
            .await;
            match waited {
                Ok(read) => read.map(|()| true),
                Err(_elapsed) => Ok(false),
            }
        }

        async fn write(&mut self, mut bytes: &[u8]) -> io::Result<()> {
            let writing = async {
                while !bytes.is_empty() {
                    self.writable().await?;
                    match self.try_write(bytes) {
                        Ok(n) => bytes = &bytes[n..],
                        Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
                        Err(error) => return Err(error),
                    }
                }
                Ok(())
            };
            tokio::time::timeout(WRITE_TIMEOUT, writing)
                .await
                .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "writing timed out"))?
        }
    }
}
