//! The front ends: how a declaration is read. [`json`] checks what serde does not in a JSON
//! spec (which [`RoleSpec::from_json`](crate::spec::RoleSpec::from_json) reads); [`rust`]
//! parses `connector_role!` with syn, for the macro and for `.rs` files read by the CLI.

pub mod json;
pub mod rust;
