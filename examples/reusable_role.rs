//! One role left fully open, to deploy in many accounts: every value becomes a
//! CloudFormation parameter, a Terraform variable and a CDK prop; account, region and
//! partition are the deployment's.
//!
//! `cargo run --example reusable_role` writes the artifacts under
//! `output/examples/reusable_role/`.

use connector_roles::{ConnectorRole, connector_role};

connector_role! {
    /// Connector role for any Amazon RDS (MySQL) data source, in any account.
    pub ReusableMySql {
        connector: rds_mysql,
        name: "reusable-mysql",
        vpc: {},
    }
}

fn main() -> Result<(), connector_roles::WriteError> {
    ReusableMySql::write_to(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/output/examples/reusable_role"
    ))?;
    Ok(())
}
