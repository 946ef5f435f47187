//! Concurrent misses on one key in one process share one database load: the first reader
//! loads and fills, the others wait for it and then read the filled value from Redis.
//!
//! Followers get no value handed over (models need not be `Clone`): they read Redis again,
//! which the leader has just filled, and load the database themselves only when it did not.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Default)]
pub(crate) struct Flights {
    in_flight: Mutex<HashMap<Vec<u8>, Arc<Flight>>>,
}

#[derive(Default)]
struct Flight {
    landed: Mutex<bool>,
    /// Wakes blocking followers.
    changed: Condvar,
    /// Wakes async followers.
    #[cfg(feature = "async")]
    landed_async: tokio::sync::Notify,
}

/// A reader's part in a load.
pub(crate) enum Role<'a> {
    /// Load and fill; followers are woken when this is dropped.
    Leader(Leader<'a>),
    /// Someone else is loading this key.
    Follower(Follower),
}

pub(crate) struct Leader<'a> {
    flights: &'a Flights,
    key: Vec<u8>,
    flight: Arc<Flight>,
}

pub(crate) struct Follower {
    flight: Arc<Flight>,
}

impl Flights {
    pub(crate) fn join(&self, key: &[u8]) -> Role<'_> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(flight) = in_flight.get(key) {
            return Role::Follower(Follower {
                flight: flight.clone(),
            });
        }
        let flight = Arc::new(Flight::default());
        in_flight.insert(key.to_vec(), flight.clone());
        Role::Leader(Leader {
            flights: self,
            key: key.to_vec(),
            flight,
        })
    }
}

impl Drop for Leader<'_> {
    fn drop(&mut self) {
        self.flights
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
        *self.flight.landed.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.flight.changed.notify_all();
        #[cfg(feature = "async")]
        self.flight.landed_async.notify_waiters();
    }
}

impl Follower {
    /// Waits until the leader is done, or `patience` has passed.
    pub(crate) fn wait(self, patience: Duration) {
        let landed = self.flight.landed.lock().unwrap_or_else(|p| p.into_inner());
        let _ = self
            .flight
            .changed
            .wait_timeout_while(landed, patience, |landed| !*landed);
    }

    /// Waits, without blocking the thread, until the leader is done or `patience` has passed.
    #[cfg(feature = "async")]
    pub(crate) async fn wait_async(self, patience: Duration) {
        let notified = self.flight.landed_async.notified();
        let mut notified = std::pin::pin!(notified);
        // Registered before the check, so that a leader landing in between still wakes us.
        notified.as_mut().enable();
        if *self.flight.landed.lock().unwrap_or_else(|p| p.into_inner()) {
            return;
        }
        let _ = tokio::time::timeout(patience, notified).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reader_leads_and_the_others_follow() {
        let flights = Flights::default();
        let leader = flights.join(b"k");
        assert!(matches!(leader, Role::Leader(_)));
        assert!(matches!(flights.join(b"k"), Role::Follower(_)));
        assert!(matches!(flights.join(b"other"), Role::Leader(_)));
        drop(leader);
        assert!(
            matches!(flights.join(b"k"), Role::Leader(_)),
            "a landed flight is gone"
        );
    }

    #[test]
    fn followers_wake_when_the_leader_lands() {
        let flights = Arc::new(Flights::default());
        let leader = flights.join(b"k");
        let follower = match flights.join(b"k") {
            Role::Follower(f) => f,
            Role::Leader(_) => unreachable!(),
        };
        let waiter = std::thread::spawn(move || {
            let started = std::time::Instant::now();
            follower.wait(Duration::from_secs(30));
            started.elapsed()
        });
        std::thread::sleep(Duration::from_millis(20));
        drop(leader);
        assert!(waiter.join().unwrap() < Duration::from_secs(30));
    }
}
