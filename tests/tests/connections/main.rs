//! The connections services use: the async front on tokio (spawned tasks, deadpool, bb8,
//! nothing blocking an executor) and Diesel's r2d2 pool.

mod async_front;
mod pool_reads;
mod pool_writes;
mod pooled;
mod shared_connection;
