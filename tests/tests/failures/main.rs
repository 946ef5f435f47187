//! What the library does when something fails: Redis down, hung, out of memory or restarted
//! empty; a database stopped mid-load or refusing a commit; futures dropped mid-flight;
//! hostile bytes under a key; secrets kept out of errors and logs; TLS.

mod cancellation;
mod commit_failures;
mod database_faults;
mod faults;
mod hostile_values;
mod redis_outage;
mod security;
mod tls;
