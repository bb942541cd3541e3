//! What the documentation says and what a role becomes: the [`catalog`] of documented
//! connectors (their policies as data), the [`field`]s a spec binds or leaves open, the
//! [`interp`]olated strings policies are written in, the [`policy`] model, the [`role`] a
//! spec resolves to, and the format-neutral [`tree`] of a policy document (laid out from
//! [`view`]) that every renderer prints.

pub mod catalog;
pub mod field;
pub mod interp;
pub mod policy;
pub mod role;
pub mod tree;
pub mod view;
