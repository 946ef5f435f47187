//! The reference, one page per topic: what each operation costs, what the library guarantees
//! and where that stops, what it does when Redis or the database fails, and the parts a model
//! opts into. These modules hold documentation only.
//!
//! The derive's attributes, with an example of each and what it refuses, are on
//! [`WriteThrough`](crate::WriteThrough); every setting and its default on
//! [`CacheBuilder`](crate::CacheBuilder); the error variants on [`Error`](crate::Error).
//!
//! In reading order:
//! - using it: [`operations`], [`configuration`], [`transactions`], [`async_front`],
//!   [`axum_example`];
//! - what it promises: [`guarantees`], [`protocol`], [`limits`], [`failures`];
//! - what a model can add, and what is stored: [`unique_indexes`], [`collections`],
//!   [`local_tier`], [`cluster`],
//!   [`keys_and_values`], [`column_types`];
//! - writes that bypass the library: the change feed, [`crate::feed`].

#[doc = include_str!("operations.md")]
pub mod operations {}

#[doc = include_str!("configuration.md")]
pub mod configuration {}

#[doc = include_str!("transactions.md")]
pub mod transactions {}

#[doc = include_str!("async_front.md")]
pub mod async_front {}

#[doc = include_str!("axum_example.md")]
pub mod axum_example {}

#[doc = include_str!("guarantees.md")]
pub mod guarantees {}

#[doc = include_str!("protocol.md")]
pub mod protocol {}

#[doc = include_str!("limits.md")]
pub mod limits {}

#[doc = include_str!("failures.md")]
pub mod failures {}

#[doc = include_str!("unique_indexes.md")]
pub mod unique_indexes {}

#[doc = include_str!("collections.md")]
pub mod collections {}

#[doc = include_str!("local_tier.md")]
pub mod local_tier {}

#[doc = include_str!("cluster.md")]
pub mod cluster {}

#[doc = include_str!("keys_and_values.md")]
pub mod keys_and_values {}

#[doc = include_str!("column_types.md")]
pub mod column_types {}
