//! What the documentation says: the [`catalog`] of documented connectors (their policies as
//! data) and the [`status`] AWS gives each, the [`field`]s a spec binds or leaves open, the [`interp`]olated strings policies
//! are written in, the [`policy`] model, and the format-neutral [`tree`] of a policy
//! document that every renderer prints, each with its own [`interp::Idiom`]. It imports nothing from the
//! other stages; a spec resolves to a role with it ([`crate::spec::role`]).

pub mod case;
pub mod catalog;
pub mod data_source;
pub mod field;
pub mod interp;
pub mod policy;
pub mod status;
pub mod tree;
