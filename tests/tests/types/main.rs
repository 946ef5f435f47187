//! Rows of real column types on each backend, and keys that stay injective whatever the values.

mod app_models;
mod columns;
mod join_and_partial_models;
mod key_injectivity;
mod newtype_keys;
