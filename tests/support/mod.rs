//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod cdk_host;
pub mod checks;
pub mod cloudformation;
pub mod matrix;
pub mod policy;
pub mod terraform;
pub mod toolchain;

use std::process::{Command, Output};

use connector_roles::Artifact;

/// The account every test deploys to and binds, unless it tests another.
pub const ACCOUNT: &str = "111122223333";

/// The region every test deploys to and binds.
pub const REGION: &str = "us-east-1";

/// The command-line tool built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_connector-roles");

/// The bound example spec: the RDS (MySQL) connector in a VPC, every value given.
pub const ORDERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/specs/orders-mysql.json"
);

/// Runs the command-line tool with `args`.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the CLI runs")
}

/// A command's standard output, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A command's standard error without its `warning:` lines (the status of a legacy or
/// preview connector, which `generate` states before anything else).
pub fn errors(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| !line.starts_with("warning: "))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// The contents of the one artifact whose path ends with `suffix`.
pub fn contents<'a>(artifacts: &'a [Artifact], suffix: &str) -> &'a str {
    &artifacts
        .iter()
        .find(|a| a.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no artifact ends with {suffix}"))
        .contents
}

/// The concrete values every evaluation test binds, by placeholder name.
pub fn values(source_account: &'static str) -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("account_id", vec![ACCOUNT]),
        ("region", vec![REGION]),
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
    serde_json::from_str(&std::fs::read_to_string(ORDERS).unwrap()).unwrap()
}

/// The one artifact of `format` whose path ends with `file`.
pub fn artifact(
    spec: &connector_roles::RoleSpec,
    format: connector_roles::Format,
    file: &str,
) -> String {
    contents(&connector_roles::render(spec, &[format]).unwrap(), file).to_owned()
}
