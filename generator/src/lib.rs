//! The engine behind `connector-roles`: everything but the macro. The folders are the
//! pipeline's stages (`ARCHITECTURE.md` walks one declaration through them):
//!
//! ```text
//! front (json | rust) ─> spec ─> model (catalog, policy, role, tree) ─> render ─> write
//!                                  └──────────────────────────────────> audit
//! ```
//!
//! A declaration (a JSON spec, `connector_role!`, a `.rs` file: [`front`]) becomes a
//! validated [`RoleSpec`] ([`spec`]); the [`model::catalog`] of documented connectors
//! resolves it into a [`RoleModel`]; its policies are laid out once as a
//! [`model::tree`]; one renderer per target under [`render`] prints them as CloudFormation
//! YAML, an AWS CDK app, a Terraform module and the raw policy JSON; [`write`](mod@write) puts the files
//! on disk. [`audit`] compares a deployed role with the model.

pub mod audit;
pub mod error;
pub mod front;
pub mod model;
pub mod render;
pub mod spec;
pub mod stack;
pub mod write;

pub use error::{Diagnostic, Location, RenderError, SpecError, SpecErrors};
pub use model::field::Field;
pub use render::{Artifact, Format};
pub use spec::RoleSpec;
pub use spec::role::RoleModel;
pub use stack::Stack;
