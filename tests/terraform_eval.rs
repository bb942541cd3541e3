//! The Terraform module, parsed with hcl-rs and its `jsonencode` expressions evaluated with
//! hcl-rs's evaluator, holds exactly the documented policies.
//!
//! `var` holds the inputs given (or each variable's evaluated default), `data` the values of
//! the data sources `main.tf` declares (and only those), `local` the evaluated `locals`;
//! `jsonencode` and `concat` are the only functions. Any expression that does not evaluate
//! in that context fails the test.

mod support;

use connector_roles::{Format, RoleSpec};
use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::{Body, Map, Value};
use serde_json::json;
use support::policy::{assert_same_policy, documented};

/// The deploying partition, account and region the data sources report.
struct Deployment {
    partition: &'static str,
    account: &'static str,
    region: &'static str,
}

const DEPLOYMENT: Deployment = Deployment {
    partition: "aws",
    account: "111122223333",
    region: "us-east-1",
};

/// The module's role, evaluated.
struct Evaluated {
    /// `aws_iam_role.this.assume_role_policy`, decoded.
    trust: serde_json::Value,
    /// `aws_iam_role_policy.this.policy`, decoded.
    permission: serde_json::Value,
    /// `aws_iam_role.this.name`.
    role_name: Value,
}

/// Evaluates the Terraform module of `spec` with `inputs` as its variables.
fn evaluate(
    spec: &RoleSpec,
    inputs: &[(&str, serde_json::Value)],
    deployment: &Deployment,
) -> Evaluated {
    let file = |name: &str| {
        let text = support::artifact(spec, Format::Terraform, &format!("terraform/{name}"));
        hcl::parse(&text).unwrap_or_else(|e| panic!("hcl-rs cannot parse {name}: {e}\n{text}"))
    };
    for name in ["versions.tf", "outputs.tf"] {
        file(name);
    }
    let (main, variables) = (file("main.tf"), file("variables.tf"));
    let mut ctx = Context::new();
    ctx.declare_func(
        "jsonencode",
        FuncDef::builder().param(ParamType::Any).build(jsonencode),
    );
    let list = ParamType::array_of(ParamType::Any);
    ctx.declare_func(
        "concat",
        FuncDef::builder().variadic_param(list).build(concat),
    );
    let var = var(&variables, inputs, &ctx);
    ctx.declare_var("var", var);
    ctx.declare_var("data", data(&main, deployment));
    let local = locals(&main, &ctx);
    ctx.declare_var("local", local);

    let role = resource(&main, "aws_iam_role");
    let policy = resource(&main, "aws_iam_role_policy");
    let mut with_role = ctx.clone();
    with_role.declare_var("aws_iam_role", hcl::value!({ this = { id = "the-role" } }));
    assert_eq!(
        attribute(policy, "role", &with_role),
        Value::from("the-role"),
        "the policy is attached to the role"
    );
    Evaluated {
        trust: json_text(attribute(role, "assume_role_policy", &ctx)),
        permission: json_text(attribute(policy, "policy", &ctx)),
        role_name: attribute(role, "name", &ctx),
    }
}

/// `var`: each declared variable's input, or its default; an input for no variable and a
/// required variable without input both fail.
fn var(variables: &Body, inputs: &[(&str, serde_json::Value)], ctx: &Context) -> Value {
    let mut values = Map::new();
    for block in variables.blocks().filter(|b| b.identifier() == "variable") {
        let name = block.labels()[0].as_str();
        let value = match inputs.iter().find(|(input, _)| *input == name) {
            Some((_, value)) => hcl::to_value(value).unwrap(),
            None => match block.body().attributes().find(|a| a.key() == "default") {
                Some(default) => default
                    .expr()
                    .evaluate(ctx)
                    .unwrap_or_else(|e| panic!("default of {name}: {e}")),
                None => panic!("required variable {name} has no input"),
            },
        };
        values.insert(name.to_owned(), value);
    }
    for (input, _) in inputs {
        assert!(
            values.contains_key(*input),
            "input {input} is not a variable of the module"
        );
    }
    Value::Object(values)
}

/// `data`: the deployment's values, for the data sources declared (an unknown one fails).
fn data(main: &Body, deployment: &Deployment) -> Value {
    let mut types = Map::new();
    for block in main.blocks().filter(|b| b.identifier() == "data") {
        let [kind, name] = block.labels() else {
            panic!("data block with labels {:?}", block.labels())
        };
        let value = match kind.as_str() {
            "aws_partition" => hcl::value!({ partition = (deployment.partition) }),
            "aws_caller_identity" => hcl::value!({ account_id = (deployment.account) }),
            "aws_region" => hcl::value!({ region = (deployment.region) }),
            other => panic!("unexpected data source {other}"),
        };
        let mut names = Map::new();
        names.insert(name.as_str().to_owned(), value);
        assert!(
            types
                .insert(kind.as_str().to_owned(), Value::Object(names))
                .is_none(),
            "{kind:?} twice"
        );
    }
    Value::Object(types)
}

/// `local`: every `locals` attribute, evaluated.
fn locals(main: &Body, ctx: &Context) -> Value {
    let mut values = Map::new();
    for block in main.blocks().filter(|b| b.identifier() == "locals") {
        for attribute in block.body().attributes() {
            let value = attribute
                .expr()
                .evaluate(ctx)
                .unwrap_or_else(|e| panic!("local.{}: {e}", attribute.key()));
            values.insert(attribute.key().to_owned(), value);
        }
    }
    Value::Object(values)
}

/// The body of `resource "KIND" "this"`, the only resource of its kind.
fn resource<'a>(main: &'a Body, kind: &str) -> &'a Body {
    let mut found = main.blocks().filter(|b| {
        b.identifier() == "resource" && b.labels().first().map(|l| l.as_str()) == Some(kind)
    });
    let block = found.next().unwrap_or_else(|| panic!("no resource {kind}"));
    assert!(found.next().is_none(), "several {kind} resources");
    assert_eq!(
        block.labels()[1].as_str(),
        "this",
        "resources are named this"
    );
    block.body()
}

fn attribute(body: &Body, key: &str, ctx: &Context) -> Value {
    let attribute = body
        .attributes()
        .find(|a| a.key() == key)
        .unwrap_or_else(|| panic!("no attribute {key}"));
    attribute
        .expr()
        .evaluate(ctx)
        .unwrap_or_else(|e| panic!("{key} does not evaluate: {e}"))
}

/// A `jsonencode` result, decoded.
fn json_text(value: Value) -> serde_json::Value {
    let Value::String(text) = value else {
        panic!("jsonencode gave {value:?}")
    };
    serde_json::from_str(&text).unwrap()
}

fn jsonencode(args: FuncArgs) -> Result<Value, String> {
    serde_json::to_string(&args[0])
        .map(Value::from)
        .map_err(|e| e.to_string())
}

fn concat(args: FuncArgs) -> Result<Value, String> {
    let mut items = Vec::new();
    for arg in args.iter() {
        items.extend(
            arg.as_array()
                .ok_or_else(|| format!("concat of {arg:?}"))?
                .iter()
                .cloned(),
        );
    }
    Ok(Value::Array(items))
}

fn assert_documented(evaluated: &Evaluated, source_account: &'static str) {
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
    assert_documented(&evaluated, "111122223333");
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
    let evaluated = evaluate(&support::bound_spec("111122223333"), &[], &DEPLOYMENT);
    assert_documented(&evaluated, "111122223333");
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
