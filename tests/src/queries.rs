//! Counting the queries a connection sends, with Diesel's own instrumentation.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::{Connection, Instrumentation, InstrumentationEvent};

/// The number of queries started on the connections it was installed on.
#[derive(Clone, Default)]
pub struct QueryCount(Arc<AtomicUsize>);

impl QueryCount {
    /// Starts counting the queries of `conn` (replacing its instrumentation).
    pub fn install<C: Connection>(&self, conn: &mut C) {
        conn.set_instrumentation(Counter(self.0.clone()));
    }

    /// Starts counting the queries of a diesel-async connection (replacing its
    /// instrumentation).
    pub fn install_async<C: diesel_async::AsyncConnection>(&self, conn: &mut C) {
        conn.set_instrumentation(Counter(self.0.clone()));
    }

    /// A fresh count installed on `conn`.
    pub fn on<C: Connection>(conn: &mut C) -> Self {
        let count = Self::default();
        count.install(conn);
        count
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

struct Counter(Arc<AtomicUsize>);

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}
