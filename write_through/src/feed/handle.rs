//! A running feed's handle, whichever database it reads: whether it is the active consumer, and
//! stopping it.

use std::sync::Arc;
use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::thread::JoinHandle;

use super::Shared;

/// A running feed. Dropping it (or [`stop`](FeedHandle::stop)) stops the feed at its next
/// batch: nothing is lost, the slot keeps what was not applied.
#[derive(Debug)]
pub struct FeedHandle {
    shared: Arc<Shared>,
    runner: Runner,
}

/// What runs the feed's loop.
#[derive(Debug)]
pub(crate) enum Runner {
    Thread(Option<JoinHandle<()>>),
    #[cfg(feature = "async")]
    Task(tokio::task::JoinHandle<()>),
}

impl FeedHandle {
    pub(crate) fn new(shared: Arc<Shared>, runner: Runner) -> Self {
        FeedHandle { shared, runner }
    }

    /// Whether this feed is the slot's active consumer (else it stands by, or is reconnecting).
    pub fn is_active(&self) -> bool {
        self.shared.active.load(Relaxed)
    }

    /// Stops the feed and waits for its thread (a task is aborted: a batch cut short is read
    /// again by the next consumer).
    pub fn stop(mut self) {
        self.halt(true);
    }

    fn halt(&mut self, wait: bool) {
        self.shared.stop.store(true, SeqCst);
        match &mut self.runner {
            Runner::Thread(thread) => {
                if let Some(thread) = thread.take().filter(|_| wait) {
                    let _ = thread.join();
                }
            }
            #[cfg(feature = "async")]
            Runner::Task(task) => task.abort(),
        }
    }
}

impl Drop for FeedHandle {
    fn drop(&mut self) {
        self.halt(false);
    }
}
