//! One role with every value bound: the orders database of one application, in a VPC,
//! under its team's IAM path, tagged, with two-hour sessions.
//!
//! `cargo run --example orders_mysql` writes its CloudFormation template, CDK app,
//! Terraform module and policy JSON under `output/examples/orders_mysql/`.

use connector_roles::{ConnectorRole, connector_role};

connector_role! {
    /// Role for the orders database.
    pub OrdersMySql {
        connector: rds_mysql,
        name: "orders-mysql",
        role_name: "QBusinessOrdersMySqlConnectorRole",
        path: "/connectors/qbusiness/",
        tags: { "Team": "orders", "cost-center": "1234" },
        max_session_duration: 7200,
        account_id: "111122223333",
        region: "us-east-1",
        source_account: "111122223333",
        application_id: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        index_id: "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
        input_bucket_name: "amzn-s3-demo-bucket",
        secret_id: "qbusiness-orders-mysql-AbCdEf",
        key_id: "1234abcd-12ab-34cd-56ef-1234567890ab",
        vpc: {
            subnet_ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
            security_group_ids: ["sg-0123456789abcdef0"],
        },
    }
}

fn main() -> Result<(), connector_roles::WriteError> {
    OrdersMySql::write_to(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/output/examples/orders_mysql"
    ))?;
    Ok(())
}
