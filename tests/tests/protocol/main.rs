//! The protocol's guarantees on real servers, through both fronts and every backend: reads,
//! writes, transactions, batches, MySQL's semantics, unique indexes, and the
//! races the hand-written pattern loses. `scripts/test` runs this binary, and `stampede.rs`
//! (a binary of its own: it opens 64 PostgreSQL connections), a second time on a local Redis
//! Cluster.

mod both_fronts;
mod collection_races;
mod collections;
mod crud;
mod find_many;
mod index_races;
mod join_models;
mod mysql_semantics;
mod races;
mod reads_while_written;
mod transactions;
mod unique_index;
mod update_forms;
