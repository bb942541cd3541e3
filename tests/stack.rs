//! A stack of three roles (every value open; the bound example; bound without a VPC) as one
//! CloudFormation template, one Terraform module and one CDK app: each format, read back and
//! evaluated, gives each role exactly its documented policies. The stack is a case of
//! `support::matrix`, so `tests/toolchain.rs` runs the real toolchains on it.

mod support;

use connector_roles::{Artifact, Format, RoleSpec, Stack};
use serde_json::{Value, json};
use support::cloudformation::{Evaluated, parse};
use support::matrix::{self, Case, DEPLOYMENT};
use support::policy::{assert_same_policy, documented};
use support::terraform::Module;

/// The stack of `support::matrix`: `open-mysql` (every value open), `orders-mysql` (the
/// example spec) and `billing-mysql` (bound, another application account, no VPC).
fn stack() -> Stack {
    matrix::data_sources()
}

/// The stack as a case of the matrix, which knows each role's documented policies.
fn case() -> Case {
    Case::stack("data-sources", stack(), DEPLOYMENT)
}

/// The two subnets the open role is given.
const SUBNETS: [&str; 2] = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];

fn rendered(format: Format) -> Vec<Artifact> {
    stack().render(&[format]).unwrap()
}

fn file(artifacts: &[Artifact], path: &str) -> String {
    support::contents(artifacts, &format!("data-sources/{path}")).to_owned()
}

/// Asserts that `trust` and `permission` are the documented policies of `role` with the
/// values it binds, or the test's values where it leaves them open.
fn assert_documented(role: &str, trust: &Value, permission: &Value) {
    let case = case();
    let (_, spec) = case
        .roles
        .iter()
        .find(|(_, spec)| spec.name == role)
        .unwrap_or_else(|| panic!("no role {role}"));
    if let Err(difference) = case.compare(spec, trust, permission) {
        panic!("{difference}");
    }
}

/// The roles, with their names in CloudFormation and Terraform.
const ROLES: [(&str, &str, &str); 3] = [
    ("open-mysql", "OpenMysql", "open_mysql"),
    ("orders-mysql", "OrdersMysql", "orders_mysql"),
    ("billing-mysql", "BillingMysql", "billing_mysql"),
];

#[test]
fn roles_with_clashing_names_are_rejected() {
    let mut stack = stack();
    // IAM ignores case in role names.
    let mut same_role_name = support::example_spec();
    same_role_name["name"] = "orders-mysql-2".into();
    same_role_name["role_name"] = "qbusinessordersmysqlconnectorrole".into();
    let errors = stack
        .add(RoleSpec::from_json(&same_role_name.to_string()).unwrap())
        .unwrap_err();
    let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["role_name"], "{errors}");
    let errors = stack
        .add(RoleSpec::from_json(&support::example_spec().to_string()).unwrap())
        .unwrap_err();
    let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["name", "role_name"], "{errors}");
    assert_eq!(stack.roles().len(), 3);
}

#[test]
fn cloudformation_template_holds_each_documented_role() {
    let text = file(
        &rendered(Format::CloudFormation),
        "cloudformation/template.yaml",
    );
    let evaluated = Evaluated::new(
        &text,
        &[
            (
                "OpenMysqlApplicationId",
                json!("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
            ),
            (
                "OpenMysqlIndexId",
                json!("b2c3d4e5-6789-01bc-def0-EXAMPLE22222"),
            ),
            ("OpenMysqlInputBucketName", json!("amzn-s3-demo-bucket")),
            ("OpenMysqlSecretId", json!("qbusiness-orders-mysql-AbCdEf")),
            (
                "OpenMysqlKeyId",
                json!("1234abcd-12ab-34cd-56ef-1234567890ab"),
            ),
            ("OpenMysqlSubnetIds", json!(SUBNETS)),
            ("OpenMysqlSecurityGroupIds", json!(["sg-0123456789abcdef0"])),
            (
                "OpenMysqlRoleName",
                json!("QBusinessOpenMySqlConnectorRole"),
            ),
        ],
        DEPLOYMENT,
    );
    let resources: Vec<&String> = evaluated.template.as_object().unwrap().keys().collect();
    assert_eq!(
        resources,
        [
            "OpenMysqlRole",
            "OrdersMysqlRole",
            "BillingMysqlRole",
            "BillingMysqlPermissionPolicy"
        ],
        "billing-mysql's permissions are a managed policy, named after the role"
    );
    for (role, pascal, _) in ROLES {
        let (trust, permission) = evaluated.role_policies_of(&format!("{pascal}Role"));
        assert_documented(role, &trust, &permission);
    }
    let role_name = |pascal: &str| {
        evaluated.template[format!("{pascal}Role")]["Properties"]["RoleName"].clone()
    };
    assert_eq!(role_name("OpenMysql"), "QBusinessOpenMySqlConnectorRole");
    assert_eq!(
        role_name("OrdersMysql"),
        "QBusinessOrdersMySqlConnectorRole"
    );
    assert_eq!(
        role_name("BillingMysql"),
        "QBusinessBillingMySqlConnectorRole"
    );

    let template = parse(&text);
    let groups = &template["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"];
    assert_eq!(
        groups.as_array().unwrap().len(),
        1,
        "only open-mysql has parameters"
    );
    assert_eq!(groups[0]["Label"]["default"], "open-mysql");
    assert_eq!(groups[0]["Parameters"].as_array().unwrap().len(), 8);
    for (_, pascal, _) in ROLES {
        let outputs = &template["Outputs"];
        let role = format!("{pascal}Role");
        assert_eq!(
            outputs[format!("{pascal}RoleArn")]["Value"],
            json!({ "Fn::GetAtt": [role, "Arn"] })
        );
        assert_eq!(
            outputs[format!("{pascal}RoleName")]["Value"],
            json!({ "Ref": role })
        );
    }
}

#[test]
fn terraform_module_holds_each_documented_role() {
    let artifacts = rendered(Format::Terraform);
    let text = |name: &str| file(&artifacts, &format!("terraform/{name}"));
    let inputs = [
        (
            "open_mysql_application_id",
            json!("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
        ),
        (
            "open_mysql_index_id",
            json!("b2c3d4e5-6789-01bc-def0-EXAMPLE22222"),
        ),
        ("open_mysql_input_bucket_name", json!("amzn-s3-demo-bucket")),
        (
            "open_mysql_secret_id",
            json!("qbusiness-orders-mysql-AbCdEf"),
        ),
        (
            "open_mysql_key_id",
            json!("1234abcd-12ab-34cd-56ef-1234567890ab"),
        ),
        ("open_mysql_subnet_ids", json!(SUBNETS)),
        (
            "open_mysql_security_group_ids",
            json!(["sg-0123456789abcdef0"]),
        ),
    ];
    let module = Module::new(text, &inputs, &DEPLOYMENT);
    let names: Vec<String> = ROLES
        .iter()
        .map(|(_, _, snake)| (*snake).to_owned())
        .collect();
    assert_eq!(module.resources("aws_iam_role"), names);
    assert_eq!(module.resources("aws_iam_role_policy"), names[..2]);
    assert_eq!(module.resources("aws_iam_policy"), ["billing_mysql"]);
    assert_eq!(
        module.resources("aws_iam_role_policy_attachment"),
        ["billing_mysql"]
    );
    for (role, _, snake) in ROLES {
        let evaluated = module.role(snake);
        assert_documented(role, &evaluated.trust, &evaluated.permission);
    }
    assert_eq!(module.role("open_mysql").role_name, hcl::Value::Null);
    assert_eq!(
        module.role("billing_mysql").role_name,
        hcl::Value::from("QBusinessBillingMySqlConnectorRole")
    );

    let outputs = module.outputs();
    for (role, _, snake) in ROLES {
        assert_eq!(
            outputs[&format!("{snake}_role_arn")],
            format!("{snake}.arn").into()
        );
        assert_eq!(
            outputs[&format!("{snake}_role_name")],
            format!("{snake}.name").into()
        );
        let arns = outputs["role_arns"]
            .as_object()
            .expect("role_arns is a map");
        assert_eq!(arns[role], format!("{snake}.arn").into());
    }
    assert_eq!(outputs.len(), 3 * 3 + 1);
}

#[test]
fn policy_json_of_each_role_is_documented() {
    let artifacts = rendered(Format::Json);
    assert_eq!(artifacts.len(), 9, "three files per role");
    let read = |role: &str, name: &str| -> Value {
        serde_json::from_str(&file(&artifacts, &format!("policy/{role}/{name}.json"))).unwrap()
    };
    // Open values stay the documentation's placeholders.
    assert_same_policy(
        &read("open-mysql", "permission-policy"),
        &documented("rds-mysql.permission-policy", &[]),
    );
    assert_same_policy(
        &read("open-mysql", "trust-policy"),
        &documented("rds-mysql.trust-policy", &[]),
    );
    for role in ["orders-mysql", "billing-mysql"] {
        assert_documented(
            role,
            &read(role, "trust-policy"),
            &read(role, "permission-policy"),
        );
    }
}

#[test]
fn cdk_app_instantiates_every_construct_in_one_stack() {
    let artifacts = rendered(Format::Cdk);
    let app = file(&artifacts, "cdk/bin/app.ts");
    assert_eq!(
        app.matches("new cdk.Stack(app, 'DataSourcesStack'").count(),
        1
    );
    for (role, pascal, _) in ROLES {
        let class = format!("{pascal}ConnectorRole");
        assert!(
            app.contains(&format!("import {{ {class} }} from '../lib/{role}';")),
            "{app}"
        );
        assert!(app.contains(&format!("(stack, '{class}'")), "{app}");
        assert!(app.contains(&format!("new cdk.CfnOutput(stack, '{pascal}RoleArn'")));
        // Each construct is exactly the one written for the role alone.
        let alone = stack()
            .roles()
            .iter()
            .find(|r| r.name == role)
            .unwrap()
            .clone();
        let lib = format!("{role}/cdk/lib/{role}.ts");
        let expected = support::artifact(&alone, Format::Cdk, &lib);
        assert_eq!(file(&artifacts, &format!("cdk/lib/{role}.ts")), expected);
    }
    assert!(app.contains("  applicationId: requiredString('openMysql.applicationId'),\n"));
    assert!(app.contains("  subnetIds: requiredList('openMysql.subnetIds'),\n"));
}
