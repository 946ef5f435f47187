//! The in-process tier: coherent within a process, bounded across processes.

mod local_tier;
mod local_tier_processes;
