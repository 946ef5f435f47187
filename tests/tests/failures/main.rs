//! What the library does when something fails: Redis down, hung, out of memory or restarted
//! empty; a database stopped mid-load or refusing a commit; futures dropped mid-flight; secrets
//! kept out of errors and logs; TLS. (Hostile bytes under a key have a binary of their own:
//! `hostile_values.rs` counts its allocations with a global allocator.)

mod cancellation;
mod commit_failures;
mod database_faults;
mod faults;
mod redis_outage;
mod security;
mod tls;
