//! # connector-roles
//!
//! Least-privilege IAM roles for Amazon Q Business data source connectors, written as
//! CloudFormation, AWS CDK TypeScript, Terraform and policy JSON from one validated
//! declaration.
//!
//! ```
//! use connector_roles::{Format, RoleSpec, render};
//!
//! let spec = RoleSpec::from_json(r#"{
//!     "connector": "rds-mysql",
//!     "name": "orders-mysql",
//!     "values": { "account_id": "111122223333", "region": "us-east-1" }
//! }"#).unwrap();
//! let files = render(&spec, &[Format::Json]).unwrap();
//! assert_eq!(files[0].path, "orders-mysql/policy/permission-policy.json");
//! assert!(files[0].contents.contains("arn:aws:secretsmanager:us-east-1:111122223333:secret:[[secret_id]]"));
//! ```

mod declared;

pub use connector_roles_generator::front::json;
pub use connector_roles_generator::front::rust::source;
pub use connector_roles_generator::model::catalog;
pub use connector_roles_generator::model::status;
pub use connector_roles_generator::render::{listing, render};
pub use connector_roles_generator::spec::properties;
pub use connector_roles_generator::stack::Stack;
pub use connector_roles_generator::write::{
    Access, Drift, Link, Outcome, OutputLock, Overwrite, Wait, WriteError, drift, not_ours, write,
    write_all,
};
pub use connector_roles_generator::{
    Artifact, Diagnostic, Field, Format, Location, RenderError, RoleModel, RoleSpec, SpecError,
    SpecErrors, audit,
};
pub use connector_roles_macros::connector_role;
pub use declared::ConnectorRole;

/// What `connector_role!`'s expansion names, reached through the path given by
/// `crate = path;` (`::connector_roles` by default). Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::declared::ConnectorRole;
}
