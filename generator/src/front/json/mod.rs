//! The JSON spec's own checks, beyond what serde reads.

pub mod duplicate_keys;
