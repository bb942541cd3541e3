//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod cdk_host;
pub mod checks;
pub mod cloudformation;
pub mod matrix;
pub mod policy;
pub mod terraform;
pub mod toolchain;

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
        (
            "kendra_index_id",
            vec!["c3d4e5f6-7890-12cd-ef01-EXAMPLE33333"],
        ),
        ("bucket_name", vec!["amzn-s3-demo-documents"]),
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

/// The example spec (`examples/specs/orders-mysql.json`) with two subnets and
/// `source_account` as given: every value bound to [`values`].
pub fn bound_spec(source_account: &str) -> connector_roles::RoleSpec {
    let mut json = example_spec();
    json["values"]["source_account"] = source_account.into();
    json["vpc"]["subnet_ids"] =
        serde_json::json!(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]);
    connector_roles::RoleSpec::from_json(&json.to_string()).unwrap()
}

/// The example spec as JSON, for tests to change.
pub fn example_spec() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/specs/orders-mysql.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
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
