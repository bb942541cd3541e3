//! The Terraform module, parsed with hcl-rs and its `jsonencode` expressions evaluated with
//! hcl-rs's evaluator (`support::terraform`), holds exactly the documented policies.

mod support;

use connector_roles::{Format, RoleSpec};
use hcl::Value;
use serde_json::json;
use support::ACCOUNT;
use support::policy::{assert_same_policy, documented};
use support::terraform::{Deployment, Module, Role};

use support::matrix::DEPLOYMENT;

/// Evaluates the Terraform module of `spec` with `inputs` as its variables: its one role,
/// whose resources are named `this`.
fn evaluate(
    spec: &RoleSpec,
    inputs: &[(&str, serde_json::Value)],
    deployment: &Deployment,
) -> Role {
    let text =
        |name: &str| support::artifact(spec, Format::Terraform, &format!("terraform/{name}"));
    let module = Module::new(text, inputs, deployment);
    for kind in ["aws_iam_role", "aws_iam_role_policy"] {
        assert_eq!(module.resources(kind), ["this"], "resources are named this");
    }
    let outputs = module.outputs();
    assert_eq!(outputs["role_arn"], Value::from("this.arn"));
    assert_eq!(outputs["role_name"], Value::from("this.name"));
    module.role("this")
}

fn assert_documented(evaluated: &Role, source_account: &'static str) {
    let values = support::values(source_account);
    assert_same_policy(
        &evaluated.permission,
        &documented("rds-mysql.permission-policy", &values),
    );
    assert_same_policy(
        &evaluated.trust,
        &documented("rds-mysql.trust-policy", &values),
    );
}

/// The inputs of the default spec, every value open.
fn open_inputs(
    subnets: serde_json::Value,
    security_groups: serde_json::Value,
) -> Vec<(&'static str, serde_json::Value)> {
    vec![
        (
            "application_id",
            json!("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
        ),
        ("index_id", json!("b2c3d4e5-6789-01bc-def0-EXAMPLE22222")),
        ("input_bucket_name", json!("amzn-s3-demo-bucket")),
        ("secret_id", json!("qbusiness-orders-mysql-AbCdEf")),
        ("key_id", json!("1234abcd-12ab-34cd-56ef-1234567890ab")),
        ("subnet_ids", subnets),
        ("security_group_ids", security_groups),
    ]
}

#[test]
fn open_module_with_inputs_is_the_documented_role() {
    let inputs = open_inputs(
        json!(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]),
        json!(["sg-0123456789abcdef0"]),
    );
    let evaluated = evaluate(&RoleSpec::default_spec(), &inputs, &DEPLOYMENT);
    assert_documented(&evaluated, ACCOUNT);
    assert_eq!(
        evaluated.role_name,
        Value::Null,
        "Terraform names the role when role_name is null"
    );
}

#[test]
fn open_lists_give_one_arn_per_element_in_order() {
    let subnets: Vec<String> = (0..3).map(|i| format!("subnet-{i:017x}")).collect();
    let mut inputs = open_inputs(
        json!(subnets),
        json!(["sg-0123456789abcdef0", "sg-00000001"]),
    );
    inputs.push(("role_name", json!("QBusinessOrdersMySqlConnectorRole")));
    let deployment = Deployment {
        partition: "aws-cn",
        account: "444455556666",
        region: "cn-north-1",
    };
    let evaluated = evaluate(&RoleSpec::default_spec(), &inputs, &deployment);
    let statement = evaluated.permission["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "AllowsAmazonQToCreateAndDeleteNI")
        .unwrap();
    let mut expected: Vec<String> = subnets
        .iter()
        .map(|s| format!("arn:aws-cn:ec2:cn-north-1:444455556666:subnet/{s}"))
        .collect();
    for group in ["sg-0123456789abcdef0", "sg-00000001"] {
        expected.push(format!(
            "arn:aws-cn:ec2:cn-north-1:444455556666:security-group/{group}"
        ));
    }
    assert_eq!(statement["Resource"], json!(expected));
    assert_eq!(
        evaluated.role_name,
        Value::from("QBusinessOrdersMySqlConnectorRole")
    );
}

#[test]
fn bound_module_is_the_documented_role() {
    let evaluated = evaluate(&support::bound_spec(ACCOUNT), &[], &DEPLOYMENT);
    assert_documented(&evaluated, ACCOUNT);
    assert_eq!(
        evaluated.role_name,
        Value::from("QBusinessOrdersMySqlConnectorRole")
    );
}

#[test]
fn bound_module_with_another_source_account_is_the_documented_role() {
    // The caller identity is not declared when both accounts are bound, so an account read
    // from the deployment would fail to evaluate.
    let evaluated = evaluate(&support::bound_spec("444455556666"), &[], &DEPLOYMENT);
    assert_documented(&evaluated, "444455556666");
}

#[test]
fn open_source_account_is_the_deploying_account() {
    let mut spec = support::example_spec();
    spec.as_object_mut().unwrap().remove("role_name");
    spec["values"]
        .as_object_mut()
        .unwrap()
        .remove("source_account");
    spec["vpc"]["subnet_ids"] = json!(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]);
    let spec = RoleSpec::from_json(&spec.to_string()).unwrap();
    // The deploying account differs from the bound account_id: only source_account follows it.
    let deployment = Deployment {
        account: "444455556666",
        ..DEPLOYMENT
    };
    let evaluated = evaluate(&spec, &[], &deployment);
    assert_documented(&evaluated, "444455556666");
    assert_eq!(evaluated.role_name, Value::Null);
}
