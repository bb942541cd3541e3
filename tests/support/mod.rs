//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod cloudformation;
pub mod policy;

/// The concrete values every evaluation test binds, by placeholder name.
pub fn values(source_account: &'static str) -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("account_id", vec!["111122223333"]),
        ("region", vec!["us-east-1"]),
        ("source_account", vec![source_account]),
        (
            "application_id",
            vec!["a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"],
        ),
        ("index_id", vec!["b2c3d4e5-6789-01bc-def0-EXAMPLE22222"]),
        ("input_bucket_name", vec!["amzn-s3-demo-bucket"]),
        ("secret_id", vec!["qbusiness-orders-mysql-AbCdEf"]),
        ("key_id", vec!["1234abcd-12ab-34cd-56ef-1234567890ab"]),
        (
            "subnet_ids",
            vec!["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
        ),
        ("security_group", vec!["sg-0123456789abcdef0"]),
    ]
}

/// The fully bound spec of the values above.
pub fn bound_spec(source_account: &str) -> connector_roles::RoleSpec {
    let json = serde_json::json!({
        "connector": "rds-mysql",
        "name": "orders-mysql",
        "role_name": "QBusinessOrdersMySqlConnectorRole",
        "values": {
            "account_id": "111122223333",
            "region": "us-east-1",
            "source_account": source_account,
            "application_id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
            "index_id": "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
            "input_bucket_name": "amzn-s3-demo-bucket",
            "secret_id": "qbusiness-orders-mysql-AbCdEf",
            "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"
        },
        "vpc": {
            "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
            "security_group_ids": ["sg-0123456789abcdef0"]
        }
    });
    connector_roles::RoleSpec::from_json(&json.to_string()).unwrap()
}

/// The one artifact of `format` whose path ends with `file`.
pub fn artifact(
    spec: &connector_roles::RoleSpec,
    format: connector_roles::Format,
    file: &str,
) -> String {
    connector_roles::render(spec, &[format])
        .unwrap()
        .into_iter()
        .find(|a| a.path.ends_with(file))
        .unwrap_or_else(|| panic!("no {file}"))
        .contents
}
