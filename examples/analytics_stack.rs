//! Several connectors of one Amazon Q Business application, all in one VPC, deployed
//! together: one CloudFormation template, one CDK stack and one Terraform module holding
//! every role, with names that cannot collide.
//!
//! `cargo run --example analytics_stack` writes them under `output/examples/analytics_stack/`.

use connector_roles::{ConnectorRole, Format, Stack, connector_role};

connector_role! {
    /// Orders database of the analytics assistant.
    pub Orders {
        connector: rds_mysql,
        name: "orders",
        role_name: "QBusinessAnalyticsOrdersRole",
        application_id: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        index_id: "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
        input_bucket_name: "amzn-s3-demo-bucket",
        secret_id: "qbusiness-analytics-orders-AbCdEf",
        key_id: "1234abcd-12ab-34cd-56ef-1234567890ab",
        vpc: {
            subnet_ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
            security_group_ids: ["sg-0123456789abcdef0"],
        },
    }

    /// Billing database of the analytics assistant.
    pub Billing {
        connector: rds_mysql,
        name: "billing",
        role_name: "QBusinessAnalyticsBillingRole",
        application_id: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        index_id: "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
        input_bucket_name: "amzn-s3-demo-bucket",
        secret_id: "qbusiness-analytics-billing-GhIjKl",
        key_id: "1234abcd-12ab-34cd-56ef-1234567890ab",
        vpc: {
            subnet_ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
            security_group_ids: ["sg-0fedcba9876543210"],
        },
    }

    /// Inventory database, its secret and key chosen at deploy time.
    pub Inventory {
        connector: rds_mysql,
        name: "inventory",
        role_name: "QBusinessAnalyticsInventoryRole",
        application_id: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        index_id: "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
        input_bucket_name: "amzn-s3-demo-bucket",
        vpc: {
            subnet_ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
            security_group_ids: ["sg-0123456789abcdef0"],
        },
    }
}

/// The stack of the three roles.
pub fn stack() -> Stack {
    let mut stack = Stack::new("analytics").expect("a valid stack name");
    for role in [Orders::spec(), Billing::spec(), Inventory::spec()] {
        stack.add(role).expect("the roles' names differ");
    }
    stack
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/output/examples/analytics_stack"
    );
    connector_roles::write_all(out.as_ref(), &stack().render(&Format::ALL)?)?;
    Ok(())
}
