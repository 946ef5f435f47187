//! Talking to Redis: the compare-and-set scripts (`scripts.rs`), the commands that carry the
//! core's steps and the decoding of their replies, written once for both fronts
//! (`commands.rs`), how a request travels (`request.rs`), the two executors over the state
//! both fronts share (`store.rs`), connections (`connection.rs`), cluster slots (`slot.rs`),
//! batches on a cluster (`cluster_batch.rs`), the cluster's map of masters (`node_map.rs`), and the
//! async front's batches, one pipeline per node (`node_pipelines.rs`).

#[cfg(feature = "cluster")]
pub(crate) mod cluster_batch;
pub(crate) mod commands;
pub(crate) mod connection;
#[cfg(all(
    feature = "cluster",
    any(feature = "async", feature = "postgres", feature = "binlog")
))]
pub(crate) mod node_map;
#[cfg(all(feature = "cluster", feature = "async"))]
pub(crate) mod node_pipelines;
pub(crate) mod request;
pub(crate) mod scripts;
pub(crate) mod slot;
pub(crate) mod store;
