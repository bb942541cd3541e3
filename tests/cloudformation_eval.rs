//! The CloudFormation template, read back with a YAML parser and evaluated as CloudFormation
//! would, holds exactly the documented policies.

mod support;

use connector_roles::{Format, RoleSpec};
use serde_json::{Value, json};
use support::cloudformation::{Deployment, Evaluated};
use support::policy::{assert_same_policy, documented};
use support::{ACCOUNT, REGION};

use support::matrix::DEPLOYMENT;

/// Values for the open template's parameters, with these subnets and security groups.
fn open_parameters(subnets: Value, security_groups: Value) -> Vec<(&'static str, Value)> {
    vec![
        (
            "ApplicationId",
            json!("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
        ),
        ("IndexId", json!("b2c3d4e5-6789-01bc-def0-EXAMPLE22222")),
        ("InputBucketName", json!("amzn-s3-demo-bucket")),
        ("SecretId", json!("qbusiness-orders-mysql-AbCdEf")),
        ("KeyId", json!("1234abcd-12ab-34cd-56ef-1234567890ab")),
        ("SubnetIds", subnets),
        ("SecurityGroupIds", security_groups),
    ]
}

fn assert_documented(evaluated: &Evaluated, source_account: &'static str) {
    let (trust, permission) = evaluated.role_policies();
    let values = support::values(source_account);
    assert_same_policy(
        &permission,
        &documented("rds-mysql.permission-policy", &values),
    );
    assert_same_policy(&trust, &documented("rds-mysql.trust-policy", &values));
}

#[test]
fn open_template_with_parameters_is_the_documented_role() {
    let template = support::artifact(
        &RoleSpec::default_spec(),
        Format::CloudFormation,
        "template.yaml",
    );
    let evaluated = Evaluated::new(
        &template,
        &open_parameters(
            json!(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]),
            json!(["sg-0123456789abcdef0"]),
        ),
        DEPLOYMENT,
    );
    assert_documented(&evaluated, ACCOUNT);
    assert!(
        evaluated.template["Role"]["Properties"]
            .get("RoleName")
            .is_none(),
        "an empty RoleName is left out"
    );
}

#[test]
fn open_lists_give_one_arn_per_element_up_to_the_maximum() {
    let template = support::artifact(
        &RoleSpec::default_spec(),
        Format::CloudFormation,
        "template.yaml",
    );
    let subnets: Vec<String> = (0..8).map(|i| format!("subnet-{i:017x}")).collect();
    let evaluated = Evaluated::new(
        &template,
        &open_parameters(
            json!(subnets),
            json!(["sg-0123456789abcdef0", "sg-00000001"]),
        ),
        DEPLOYMENT,
    );
    let (_, permission) = evaluated.role_policies();
    let statement = permission["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "AllowsAmazonQToCreateAndDeleteNI")
        .unwrap();
    let resources: Vec<&str> = statement["Resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let mut expected: Vec<String> = subnets
        .iter()
        .map(|s| format!("arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{s}"))
        .collect();
    expected.push(format!(
        "arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-0123456789abcdef0"
    ));
    expected.push(format!(
        "arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-00000001"
    ));
    assert_eq!(resources, expected);
}

#[test]
fn bound_template_is_the_documented_role() {
    let template = support::artifact(
        &support::bound_spec(ACCOUNT),
        Format::CloudFormation,
        "template.yaml",
    );
    assert_documented(&Evaluated::new(&template, &[], DEPLOYMENT), ACCOUNT);
}

#[test]
fn bound_template_with_another_source_account_is_the_documented_role() {
    let template = support::artifact(
        &support::bound_spec("444455556666"),
        Format::CloudFormation,
        "template.yaml",
    );
    let evaluated = Evaluated::new(&template, &[], DEPLOYMENT);
    assert_documented(&evaluated, "444455556666");
    assert_eq!(
        evaluated.template["Role"]["Properties"]["RoleName"],
        "QBusinessOrdersMySqlConnectorRole"
    );
}

#[test]
fn partition_follows_the_deployment() {
    let template = support::artifact(
        &support::bound_spec(ACCOUNT),
        Format::CloudFormation,
        "template.yaml",
    );
    let china = Deployment {
        partition: "aws-cn",
        account: ACCOUNT,
        region: REGION,
    };
    let (_, permission) = Evaluated::new(&template, &[], china).role_policies();
    let text = permission.to_string();
    assert!(
        text.contains("arn:aws-cn:s3:::amzn-s3-demo-bucket/*") && !text.contains("arn:aws:"),
        "{text}"
    );
}
