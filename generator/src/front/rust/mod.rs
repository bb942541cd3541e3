//! `connector_role!`: its syntax ([`parse`], with [`json`] for a data source's
//! configuration), its checks ([`declaration`], shared by the
//! macro and the CLI), and finding its invocations in a `.rs` file ([`source`]).

mod checker;
pub mod declaration;
pub mod json;
pub mod parse;
pub mod source;
