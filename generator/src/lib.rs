//! The engine behind `connector-roles`: everything but the macro.
//!
//! A declaration (JSON spec, and later the `connector_role!` macro and `.rs` files) becomes a
//! validated [`RoleSpec`]; the [`catalog`] of documented connectors resolves it into a
//! [`RoleModel`]; one renderer per target under [`render`] prints that model as
//! CloudFormation YAML, an AWS CDK construct, a Terraform module and the raw policy JSON.
//!
//! ```text
//! spec.json ─> RoleSpec ── catalog ──> RoleModel ──> cloudformation | cdk | terraform | json
//! ```

pub mod audit;
pub mod catalog;
pub mod declaration;
pub mod duplicate_keys;
pub mod error;
pub mod field;
pub mod interp;
pub mod limits;
pub mod model;
pub mod parse;
pub mod properties;
pub mod render;
pub mod role;
pub mod rules;
pub mod source;
pub mod spec;
pub mod stack;
pub mod write;

pub use error::{RenderError, SpecError, SpecErrors};
pub use field::Field;
pub use render::{Artifact, Format};
pub use role::RoleModel;
pub use spec::RoleSpec;
pub use stack::Stack;
