//! Randomized histories checked for stale reads against real time: in one process, across
//! processes, and over a long soak.

mod collection_histories;
mod processes;
mod random_histories;
mod soak;
