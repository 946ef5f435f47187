//! Running the one sequence of steps (`drive/`) on the blocking front: its futures do their
//! I/O as they are made, so each is ready at its first poll.

use std::future::Future;
use std::task::{Context, Poll, Waker};

/// The output of a future whose I/O is all blocking, so that it is ready at its first poll.
pub(crate) fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        // Every future the blocking front makes is `std::future::Ready` or an `async fn`
        // awaiting only those.
        Poll::Pending => unreachable!("a blocking step returned a pending future"),
    }
}
