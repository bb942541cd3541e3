//! The data source declared with a role: for every connector with a documented schema, a
//! valid configuration (`tests/reference/data-sources/configurations.json`: the page's example
//! where it holds, else the smallest the schema accepts) generated in every format, each
//! read back as its user's tool would read it; the configuration in each equals the JSON
//! artifact's, which is the user's with `type`, `dbType` and the role's secret filled in; the
//! role ARN, application, index and VPC are the role's. A configuration that breaks the
//! schema, or disagrees with the role, is refused at the value, naming the rule.

mod support;

use std::collections::BTreeMap;

use connector_roles::catalog::{self, Part};
use connector_roles::{Field, Format, RoleSpec};
use serde_json::{Map, Value, json};
use support::cloudformation::{Evaluated, parse};
use support::matrix::DEPLOYMENT;
use support::terraform::Module;
use support::{ACCOUNT, REGION, run};

/// The configuration each connector is tested with, and where it comes from.
fn configurations() -> BTreeMap<String, Value> {
    let text = include_str!("reference/data-sources/configurations.json");
    let all: BTreeMap<String, Value> = serde_json::from_str(text).unwrap();
    all.into_iter()
        .map(|(id, entry)| (id, entry["configuration"].clone()))
        .collect()
}

/// The connector of a configuration's key, and the variant it names: `gmail/new`.
fn connector_of(key: &str) -> (&str, Option<&str>) {
    match key.split_once('/') {
        Some((id, variant)) => (id, Some(variant)),
        None => (key, None),
    }
}

/// What the catalog's copy of the research documents for `key`'s connector (of its
/// variant): `generator/catalog/data-sources/ID.json`.
fn documented_entry(key: &str) -> Value {
    let (id, variant) = connector_of(key);
    let path = format!(
        "{}/generator/catalog/data-sources/{id}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    match variant {
        Some(name) => file["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["variant"] == name)
            .unwrap()
            .clone(),
        None => file,
    }
}

/// The documented `type`, `dbType` of a JDBC connector, and secret fields.
fn documented(key: &str) -> (String, Option<String>, Vec<String>) {
    let file = documented_entry(key);
    let secret_fields = file["secret_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    (
        file["type"].as_str().unwrap().to_owned(),
        file["db_type"].as_str().map(str::to_owned),
        secret_fields,
    )
}

/// A spec of `key`'s connector with every value its default revision uses bound, every
/// optional part on (subnets and security groups bound, but for a connector that takes
/// none), and a data source of `key`'s variant with `configuration`.
fn spec_json(key: &str, configuration: &Value) -> Value {
    let (id, variant) = connector_of(key);
    let connector = catalog::find(id).unwrap();
    let policies = connector.policies(None).unwrap();
    let parts = policies.parts();
    let mut values = Map::new();
    let mut vpc = Map::new();
    let test_values = support::values(ACCOUNT);
    for field in policies.fields(&parts) {
        if field == Field::Partition {
            continue;
        }
        let name = field.placeholder().trim_matches(['{', '}', '[', ']']);
        let (_, value) = test_values.iter().find(|(n, _)| *n == name).unwrap();
        if field.is_list() {
            vpc.insert(field.name().into(), json!(value));
        } else {
            values.insert(field.name().into(), json!(value[0]));
        }
    }
    let mut spec = json!({
        "connector": id,
        "name": "ds",
        "role_name": "QBusinessDataSourceRole",
        "values": values,
        "include": parts.iter().filter(|p| **p != Part::Vpc).map(|p| p.name()).collect::<Vec<_>>(),
        "data_source": {
            "description": "Tested with the documented configuration",
            "sync_schedule": "cron(0 3 * * ? *)",
            "configuration": configuration,
        },
    });
    if let Some(variant) = variant {
        spec["data_source"]["variant"] = json!(variant);
    }
    // The new Gmail connector handles its VPC itself.
    if parts.contains(&Part::Vpc) && key != "gmail/new" {
        spec["vpc"] = Value::Object(vpc);
    }
    spec
}

/// The configuration the data source must be created with: the user's, with the documented
/// `type`, `dbType` and the role's secret in each top-level secret field and in the new
/// connectors' `connectionConfiguration.secretArn`, which their schemas require.
fn expected_configuration(key: &str, configuration: &Value, reads_secret: bool) -> Value {
    let (type_value, db_type, secret_fields) = documented(key);
    let mut expected = configuration.clone();
    expected["type"] = json!(type_value);
    if let Some(db_type) = db_type {
        expected["connectionConfiguration"]["repositoryEndpointMetadata"]["dbType"] =
            json!(db_type);
    }
    if reads_secret {
        let arn = json!(format!(
            "arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:qbusiness-orders-mysql-AbCdEf"
        ));
        for field in &secret_fields {
            match field.split_once('.') {
                None => expected[field] = arn.clone(),
                Some(("connectionConfiguration", "secretArn")) => {
                    expected["connectionConfiguration"]["secretArn"] = arn.clone();
                }
                Some(_) => {}
            }
        }
    }
    expected
}

#[test]
fn every_connector_with_a_schema_creates_its_data_source_in_every_format() {
    let configurations = configurations();
    assert_eq!(configurations.len(), 37 + 3);
    for (id, configuration) in &configurations {
        println!("{id}");
        let json_spec = spec_json(id, configuration);
        let spec =
            RoleSpec::from_json(&json_spec.to_string()).unwrap_or_else(|e| panic!("{id}: {e}"));
        let reads_secret = spec
            .policies()
            .fields(&spec.parts)
            .contains(&Field::SecretId);
        let expected = expected_configuration(id, configuration, reads_secret);
        let vpc = spec.parts.contains(&Part::Vpc);
        let subnets = json!(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]);
        let groups = json!(["sg-0123456789abcdef0"]);

        // The CLI's input for `aws qbusiness create-data-source`.
        let input: Value = serde_json::from_str(&support::artifact(
            &spec,
            Format::Json,
            "create-data-source.json",
        ))
        .unwrap();
        assert_eq!(input["configuration"], expected, "{id}: JSON");
        assert_eq!(
            input["roleArn"],
            format!("arn:aws:iam::{ACCOUNT}:role/QBusinessDataSourceRole")
        );
        assert_eq!(
            input["applicationId"],
            "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
        );
        assert_eq!(input["indexId"], "b2c3d4e5-6789-01bc-def0-EXAMPLE22222");
        assert_eq!(input["displayName"], "ds");
        if vpc {
            assert_eq!(input["vpcConfiguration"]["subnetIds"], subnets);
            assert_eq!(input["vpcConfiguration"]["securityGroupIds"], groups);
        }

        // CloudFormation, evaluated as CloudFormation would.
        let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
        let raw = parse(&template);
        assert_eq!(
            raw["Resources"]["DataSource"]["Properties"]["RoleArn"],
            json!({ "Fn::GetAtt": ["Role", "Arn"] }),
            "{id}"
        );
        let evaluated = Evaluated::new(&template, &[], DEPLOYMENT);
        let properties = &evaluated.template["DataSource"]["Properties"];
        assert_eq!(
            properties["Configuration"], expected,
            "{id}: CloudFormation"
        );
        assert_eq!(properties["ApplicationId"], input["applicationId"]);
        assert_eq!(properties["IndexId"], input["indexId"]);
        assert_eq!(properties["DisplayName"], "ds");
        assert_eq!(properties["SyncSchedule"], "cron(0 3 * * ? *)");
        if vpc {
            assert_eq!(properties["VpcConfiguration"]["SubnetIds"], subnets);
            assert_eq!(properties["VpcConfiguration"]["SecurityGroupIds"], groups);
        }

        // Terraform, evaluated as Terraform would.
        let text =
            |name: &str| support::artifact(&spec, Format::Terraform, &format!("terraform/{name}"));
        let module = Module::new(text, &[], &DEPLOYMENT);
        let data_source = module.data_source("this");
        assert_eq!(data_source["configuration"], expected, "{id}: Terraform");
        assert_eq!(data_source["role_arn"], "this.arn");
        assert_eq!(data_source["application_id"], input["applicationId"]);
        assert_eq!(data_source["index_id"], input["indexId"]);
        if vpc {
            assert_eq!(data_source["vpc_configuration"]["subnet_ids"], subnets);
        }
        assert!(
            text("main.tf").contains("depends_on = [aws_iam_role_policy.this]"),
            "{id}"
        );
    }
}

/// With the role's values open, the data source reaches them through the same parameters,
/// variables and props: evaluated for the test values, the same configuration.
#[test]
fn open_values_reach_the_data_source_through_the_roles_inputs() {
    let configuration = &configurations()["rds-mysql"];
    let mut json_spec = spec_json("rds-mysql", configuration);
    json_spec["values"] = json!({});
    json_spec["vpc"] = json!({});
    let spec = RoleSpec::from_json(&json_spec.to_string()).unwrap();
    let expected = expected_configuration("rds-mysql", configuration, true);
    let parameters = [
        (
            "ApplicationId",
            json!("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
        ),
        ("IndexId", json!("b2c3d4e5-6789-01bc-def0-EXAMPLE22222")),
        ("SecretId", json!("qbusiness-orders-mysql-AbCdEf")),
        ("KeyId", json!("1234abcd-12ab-34cd-56ef-1234567890ab")),
        ("InputBucketName", json!("amzn-s3-demo-bucket")),
        ("SubnetIds", json!(["subnet-0123456789abcdef0"])),
        ("SecurityGroupIds", json!(["sg-0123456789abcdef0"])),
    ];
    let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
    let evaluated = Evaluated::new(&template, &parameters, DEPLOYMENT);
    let properties = &evaluated.template["DataSource"]["Properties"];
    assert_eq!(properties["Configuration"], expected);
    assert_eq!(properties["ApplicationId"], parameters[0].1);
    assert_eq!(
        properties["VpcConfiguration"]["SubnetIds"],
        json!(["subnet-0123456789abcdef0"])
    );

    let inputs: Vec<(&str, Value)> = [
        "application_id",
        "index_id",
        "secret_id",
        "key_id",
        "input_bucket_name",
        "subnet_ids",
        "security_group_ids",
    ]
    .into_iter()
    .zip(parameters.iter().map(|(_, v)| v.clone()))
    .collect();
    let text =
        |name: &str| support::artifact(&spec, Format::Terraform, &format!("terraform/{name}"));
    let data_source = Module::new(text, &inputs, &DEPLOYMENT).data_source("this");
    assert_eq!(data_source["configuration"], expected);
    assert_eq!(
        data_source["vpc_configuration"]["security_group_ids"],
        json!(["sg-0123456789abcdef0"])
    );

    let input: Value = serde_json::from_str(&support::artifact(
        &spec,
        Format::Json,
        "create-data-source.json",
    ))
    .unwrap();
    assert_eq!(
        input["configuration"]["secretArn"],
        "arn:aws:secretsmanager:{{region}}:{{account_id}}:secret:[[secret_id]]"
    );
    assert_eq!(
        input["roleArn"],
        "arn:aws:iam::{{account_id}}:role/QBusinessDataSourceRole"
    );
}

/// Asserts that `generate` refuses `spec` (exit 2) with each of `expected` in its errors.
fn assert_refused(spec: &Value, expected: &[&str]) {
    let (code, stderr) = generate(spec);
    assert_eq!(code, Some(2), "{stderr}");
    for expected in expected {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
}

/// Runs `generate` on `spec` written to a file: its exit code and standard error.
fn generate(spec: &Value) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.json");
    std::fs::write(&path, serde_json::to_string_pretty(spec).unwrap()).unwrap();
    let output = run(&["generate", path.to_str().unwrap(), "--stdout"]);
    (output.status.code(), support::errors(&output))
}

#[test]
fn a_configuration_that_breaks_the_schema_is_refused_at_each_value() {
    let mut spec = spec_json("rds-mysql", &configurations()["rds-mysql"]);
    let configuration = &mut spec["data_source"]["configuration"];
    configuration["additionalProperties"]
        .as_object_mut()
        .unwrap()
        .remove("bodyColumn");
    configuration["syncMode"] = json!("SOMETIMES");
    let (code, stderr) = generate(&spec);
    assert_eq!(code, Some(2), "{stderr}");
    // Both at once, each at file:line:col, with the pointer, the rule and the allowed values.
    assert!(
        stderr.contains("data_source.configuration/additionalProperties: \"bodyColumn\" is a required property (the documented schema's /properties/additionalProperties/required)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("data_source.configuration/syncMode: \"SOMETIMES\" is not one of \"FORCED_FULL_CRAWL\", \"FULL_CRAWL\" or \"CHANGE_LOG\""),
        "{stderr}"
    );
    let locations: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(|l| l.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(locations.len(), 2, "{stderr}");
    assert!(
        locations.iter().all(|l| l.contains("spec.json:")),
        "{locations:?}"
    );
}

#[test]
fn filled_fields_given_otherwise_name_both_values() {
    let mut spec = spec_json("rds-mysql", &configurations()["rds-mysql"]);
    let configuration = &mut spec["data_source"]["configuration"];
    configuration["type"] = json!("BOX");
    configuration["secretArn"] =
        json!("arn:aws:secretsmanager:us-east-1:111122223333:secret:another-AbCdEf");
    configuration["connectionConfiguration"]["repositoryEndpointMetadata"]["dbType"] =
        json!("postgresql");
    assert_refused(
        &spec,
        &[
            "data_source.configuration/type: \"BOX\" is not rds-mysql's type: its data source is of type \"JDBC\"",
            "data_source.configuration/secretArn: \"arn:aws:secretsmanager:us-east-1:111122223333:secret:another-AbCdEf\" is not the secret the role may read (arn:aws:secretsmanager:us-east-1:111122223333:secret:qbusiness-orders-mysql-AbCdEf)",
            "data_source.configuration/connectionConfiguration/repositoryEndpointMetadata/dbType: \"postgresql\" is not rds-mysql's database type \"mysql\"",
        ],
    );
    // The same values, agreeing, are accepted.
    let configuration = &mut spec["data_source"]["configuration"];
    configuration["type"] = json!("JDBC");
    configuration["secretArn"] =
        json!("arn:aws:secretsmanager:us-east-1:111122223333:secret:qbusiness-orders-mysql-AbCdEf");
    configuration["connectionConfiguration"]["repositoryEndpointMetadata"]["dbType"] =
        json!("mysql");
    let (code, stderr) = generate(&spec);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn the_resource_rules_are_checked() {
    let mut spec = spec_json("box", &configurations()["box"]);
    spec["data_source"]["display_name"] = json!("box data");
    spec["data_source"]["sync_schedule"] = json!("every day");
    spec["data_source"]["description"] = json!("x".repeat(1001));
    assert_refused(
        &spec,
        &[
            "data_source.display_name: \"box data\" must be 1 to 1,000 letters, digits, `_` and `-`",
            "data_source.sync_schedule: \"every day\" must be AWS's cron(",
            "data_source.description: must be at most 1,000 characters",
        ],
    );
    for schedule in ["", "rate(1 day)", "rate(12 hours)", "cron(0/15 * * * ? *)"] {
        spec["data_source"] =
            json!({ "sync_schedule": schedule, "configuration": configurations()["box"] });
        let (code, stderr) = generate(&spec);
        assert_eq!(code, Some(0), "{schedule:?}: {stderr}");
    }
}

#[test]
fn a_connector_without_a_documented_schema_takes_no_data_source() {
    let spec = json!({
        "connector": "google-drive",
        "name": "drive",
        "data_source": { "configuration": {} },
    });
    assert_refused(
        &spec,
        &["data_source: google-drive has no documented configuration schema"],
    );
}

/// The documented examples that fail their own schema (`_index.md` lists them) are refused
/// as written, each at the pointer of the value that breaks it: the SharePoint Server pages'
/// `authType` "OAuth2", the new Exchange connector's `<placeholders>`.
#[test]
fn documented_examples_that_fail_their_schema_are_refused_at_the_pointer() {
    let cases = [
        (
            "sharepoint-server-2016",
            &[
                "/connectionConfiguration/repositoryEndpointMetadata/repositoryAdditionalProperties/authType",
            ][..],
        ),
        (
            "sharepoint-server-2019",
            &[
                "/connectionConfiguration/repositoryEndpointMetadata/repositoryAdditionalProperties/authType",
            ][..],
        ),
        (
            "sharepoint-server-subscription",
            &[
                "/connectionConfiguration/repositoryEndpointMetadata/repositoryAdditionalProperties/authType",
            ][..],
        ),
        (
            "microsoft-exchange/new",
            &[
                "/connectionConfiguration/secretArn",
                "/connectionConfiguration/tenantId",
            ][..],
        ),
    ];
    for (key, pointers) in cases {
        let example = documented_entry(key)["example"].clone();
        assert!(example.is_object(), "{key} documents an example");
        let (code, stderr) = generate(&spec_json(key, &example));
        assert_eq!(code, Some(2), "{key}: {stderr}");
        for pointer in pointers {
            assert!(
                stderr.contains(&format!("data_source.configuration{pointer}: ")),
                "{key}: {pointer}\n{stderr}"
            );
        }
    }
}

/// Gmail, Microsoft Exchange and Microsoft Teams each have two documented data source
/// connectors; `variant` chooses, and what does not fit the one chosen is refused naming it.
#[test]
fn the_new_generation_connectors_are_chosen_by_variant() {
    let key = "gmail/new";
    let mut spec = spec_json(key, &configurations()[key]);
    let (code, stderr) = generate(&spec);
    assert_eq!(code, Some(0), "{stderr}");

    spec["data_source"]["variant"] = json!("v3");
    assert_refused(
        &spec,
        &[
            "data_source.variant: \"v3\" must be one of gmail's data source connectors: original (type GMAIL), new (type GMAILV2)",
        ],
    );

    // The new connector's type in the original connector's data source.
    spec["data_source"]
        .as_object_mut()
        .unwrap()
        .remove("variant");
    spec["data_source"]["configuration"]["type"] = json!("GMAILV2");
    assert_refused(
        &spec,
        &[
            "data_source.configuration/type: \"GMAILV2\" is not gmail's type: its data source is of type \"GMAIL\" (leave `type` out: it is filled, or set `variant` to \"new\" for that connector)",
        ],
    );

    // AWS documents that the new Gmail connector handles its VPC itself.
    let mut spec = spec_json(key, &configurations()[key]);
    spec["vpc"] = json!({});
    assert_refused(
        &spec,
        &["data_source.variant: \"new\" takes no VPC configuration"],
    );

    let mut spec = spec_json("box", &configurations()["box"]);
    spec["data_source"]["variant"] = json!("new");
    assert_refused(
        &spec,
        &[
            "data_source.variant: \"new\" box has one documented data source connector: leave out `variant`",
        ],
    );
}

/// The data source's tags reach every format, in the order declared; each is held to
/// CloudFormation's tag rules at its key.
#[test]
fn data_source_tags_reach_every_format() {
    let mut json_spec = spec_json("box", &configurations()["box"]);
    json_spec["data_source"]["tags"] = json!({ "team": "search", "cost:center": "" });
    let spec = RoleSpec::from_json(&json_spec.to_string()).unwrap();
    let tags = json!([
        { "key": "team", "value": "search" },
        { "key": "cost:center", "value": "" },
    ]);
    let input: Value = serde_json::from_str(&support::artifact(
        &spec,
        Format::Json,
        "create-data-source.json",
    ))
    .unwrap();
    assert_eq!(input["tags"], tags);
    let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
    assert_eq!(
        parse(&template)["Resources"]["DataSource"]["Properties"]["Tags"],
        json!([
            { "Key": "team", "Value": "search" },
            { "Key": "cost:center", "Value": "" },
        ])
    );
    let text =
        |name: &str| support::artifact(&spec, Format::Terraform, &format!("terraform/{name}"));
    let data_source = Module::new(text, &[], &DEPLOYMENT).data_source("this");
    assert_eq!(data_source["tags"], tags);
    let construct = support::artifact(&spec, Format::Cdk, "cdk/lib/ds.ts");
    assert!(
        construct.contains("      tags: [\n        { key: 'team', value: 'search' },\n        { key: 'cost:center', value: '' },\n      ],"),
        "{construct}"
    );

    json_spec["data_source"]["tags"] = json!({ "n": 1 });
    assert_refused(
        &json_spec,
        &["data_source.tags.n: must be a string (a tag's value)"],
    );
    // Each broken rule at once, with the schema's.
    json_spec["data_source"]["tags"] = json!({ "aws:owner": "me", "team": "a\"b" });
    json_spec["data_source"]["configuration"]["syncMode"] = json!("SOMETIMES");
    assert_refused(
        &json_spec,
        &[
            "data_source.tags.aws:owner: \"aws:owner\" as a tag key must not begin with aws:",
            "data_source.tags.team: \"a\\\"b\" may hold only letters, digits, spaces",
            "data_source.configuration/syncMode: \"SOMETIMES\" is not one of",
        ],
    );
    let many: Map<String, Value> = (0..201).map(|i| (format!("k{i}"), json!("v"))).collect();
    json_spec["data_source"]["tags"] = Value::Object(many);
    assert_refused(
        &json_spec,
        &["data_source.tags: holds 201 tags; CloudFormation allows at most 200 on a data source"],
    );
}

/// A secret field the role cannot read is refused: the web crawler's secret is an optional
/// part, off here.
#[test]
fn a_secret_the_role_cannot_read_is_refused() {
    let spec = json!({
        "connector": "web-crawler",
        "name": "crawler",
        "data_source": { "configuration": {
            "secretArn": "arn:aws:secretsmanager:us-east-1:111122223333:secret:crawler-AbCdEf",
        } },
    });
    assert_refused(
        &spec,
        &[
            "data_source.configuration/secretArn: \"arn:aws:secretsmanager:us-east-1:111122223333:secret:crawler-AbCdEf\" names a secret the role may not read",
        ],
    );
}

/// A stack holds several roles, each with its data source: in CloudFormation and Terraform
/// each data source uses its own role and has its own configuration.
#[test]
fn a_stack_wires_each_data_source_to_its_own_role() {
    use connector_roles::Stack;
    use connector_roles_generator::render::names::Names;

    let keys = ["rds-mysql", "jira", "microsoft-teams/new"];
    let mut stack = Stack::new("connectors").unwrap();
    let mut expected = Vec::new();
    for key in keys {
        let mut json_spec = spec_json(key, &configurations()[key]);
        let name = format!("{}-ds", key.replace('/', "-"));
        json_spec["name"] = json!(name);
        json_spec["role_name"] = json!(format!("qbusiness-{}", key.replace('/', "-")));
        let spec = RoleSpec::from_json(&json_spec.to_string()).unwrap();
        let reads_secret = spec
            .policies()
            .fields(&spec.parts)
            .contains(&Field::SecretId);
        expected.push((
            Names::stacked(&name),
            expected_configuration(key, &configurations()[key], reads_secret),
        ));
        stack.add(spec).unwrap();
    }
    let artifacts = stack
        .render(&[Format::CloudFormation, Format::Terraform])
        .unwrap();
    let text = |suffix: &str| {
        artifacts
            .iter()
            .find(|a| a.path.ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix}"))
            .contents
            .clone()
    };
    let template = text("cloudformation/template.yaml");
    let raw = parse(&template);
    let evaluated = Evaluated::new(&template, &[], DEPLOYMENT);
    let module = Module::new(|name| text(&format!("terraform/{name}")), &[], &DEPLOYMENT);
    for (names, configuration) in &expected {
        let id = names.logical_id("DataSource");
        assert_eq!(
            raw["Resources"][&id]["Properties"]["RoleArn"],
            json!({ "Fn::GetAtt": [names.logical_id("Role"), "Arn"] }),
            "{id}"
        );
        assert_eq!(
            evaluated.template[&id]["Properties"]["Configuration"], *configuration,
            "{id}"
        );
        let resource = names.terraform_resource();
        let data_source = module.data_source(&resource);
        assert_eq!(data_source["role_arn"], format!("{resource}.arn"));
        assert_eq!(data_source["configuration"], *configuration, "{resource}");
    }
}

/// The real toolchains on every connector's data source; `tools/test` runs them in its
/// toolchain stage.
mod real_toolchains {
    use std::path::PathBuf;

    use connector_roles::{Stack, render, write_all};
    use connector_roles_generator::render::names::Names;
    use support::toolchain::{self, Log};

    use super::*;

    /// Every connector with a schema, bound, with its tested data source.
    fn specs() -> Vec<(String, RoleSpec, Value)> {
        configurations()
            .into_iter()
            .map(|(id, configuration)| {
                let mut json_spec = spec_json(&id, &configuration);
                let name = id.replace('/', "-");
                json_spec["name"] = json!(format!("{name}-ds"));
                // Role names are unique in an account, and so in a stack.
                json_spec["role_name"] = json!(format!("qbusiness-{name}"));
                let spec = RoleSpec::from_json(&json_spec.to_string()).unwrap();
                let reads_secret = spec
                    .policies()
                    .fields(&spec.parts)
                    .contains(&Field::SecretId);
                let expected = expected_configuration(&id, &configuration, reads_secret);
                (id, spec, expected)
            })
            .collect()
    }

    /// The documented schema of `key`, as the page prints it.
    fn page_schema(key: &str) -> Value {
        documented_entry(key)["schema"].clone()
    }

    /// Prints what the tools said, and fails naming every artifact they rejected.
    fn assert_accepted(log: &Log, results: Vec<Result<(), String>>) {
        println!("{}", log.0);
        let rejected: Vec<String> = results.into_iter().filter_map(Result::err).collect();
        assert!(rejected.is_empty(), "{}", rejected.join("\n"));
    }

    /// cfn-lint (which knows `AWS::QBusiness::DataSource`'s schema) accepts each template and
    /// HashiCorp's parser each module, alone and as one stack of every role with its data
    /// source. (checkov runs on the matrix's data sources, in
    /// `tests/toolchain.rs`: its checks do not look into a data source's configuration.)
    #[test]
    fn linters_accept_every_data_source() {
        let out = tempfile::tempdir().unwrap();
        let mut templates = Vec::new();
        let mut modules = Vec::new();
        let formats = [Format::CloudFormation, Format::Terraform];
        // Each alone, and all in one stack, each role with its data source.
        let mut stack = Stack::new("every-data-source").unwrap();
        for (_, spec, _) in specs() {
            write_all(out.path(), &render(&spec, &formats).unwrap()).unwrap();
            let root = out.path().join(&spec.name);
            templates.push(root.join("cloudformation/template.yaml"));
            modules.push(root.join("terraform"));
            stack.add(spec).unwrap();
        }
        write_all(out.path(), &stack.render(&formats).unwrap()).unwrap();
        templates.push(
            out.path()
                .join("every-data-source/cloudformation/template.yaml"),
        );
        modules.push(out.path().join("every-data-source/terraform"));
        let mut log = Log::default();
        let mut results = toolchain::cfn_lint(&mut log, &templates);
        if let Some(parsed) = toolchain::hcl2json(&mut log, &modules) {
            results.extend(parsed.into_iter().map(|r| r.map(drop)));
        }
        assert_accepted(&log, results);
    }

    /// One CDK app with every connector's role and data source type-checks and synthesizes;
    /// cfn-lint accepts the template; each data source in it has its role's ARN and the
    /// configuration of the JSON artifact, which Python's jsonschema (an independent
    /// validator) accepts against the page's schema.
    #[test]
    fn cdk_synth_and_an_independent_validator_accept_every_data_source() {
        let specs = specs();
        let mut stack = Stack::new("every-data-source").unwrap();
        for (_, spec, _) in &specs {
            stack.add(spec.clone()).unwrap();
        }
        let out = tempfile::tempdir().unwrap();
        write_all(out.path(), &stack.render(&[Format::Cdk]).unwrap()).unwrap();
        let cdk = out.path().join("every-data-source/cdk");
        let mut log = Log::default();
        match toolchain::tsc(&mut log, &cdk) {
            Ok(true) => {}
            Ok(false) => return assert_accepted(&log, Vec::new()),
            Err(error) => return assert_accepted(&log, vec![Err(error)]),
        }
        let template = match toolchain::cdk_synth(&mut log, &cdk, &json!({})) {
            Ok(Some(template)) => template,
            Ok(None) => return assert_accepted(&log, Vec::new()),
            Err(error) => return assert_accepted(&log, vec![Err(error)]),
        };
        let mut results = toolchain::cfn_lint(&mut log, std::slice::from_ref(&template));
        let text = std::fs::read_to_string(&template).unwrap();
        let evaluated = Evaluated::new(&text, &[], DEPLOYMENT);
        let outputs = parse(&text)["Outputs"].clone();
        let mut cases = Vec::new();
        for (id, spec, expected) in &specs {
            let names = Names::stacked(&spec.name);
            let id_output = names.logical_id("DataSourceId");
            let Some(source) = outputs[&id_output]["Value"]["Fn::GetAtt"][0].as_str() else {
                results.push(Err(format!(
                    "{id}: output {id_output} names no data source"
                )));
                continue;
            };
            let role = outputs[names.logical_id("RoleArn")]["Value"]["Fn::GetAtt"][0]
                .as_str()
                .unwrap();
            let properties = &evaluated.template[source]["Properties"];
            if properties["Configuration"] != *expected {
                results.push(Err(format!(
                    "{id}: the synthesized configuration {} is not {expected}",
                    properties["Configuration"]
                )));
            }
            // The evaluator writes `Fn::GetAtt` as `<[RESOURCE, ATTRIBUTE]>`.
            if properties["RoleArn"] != json!(format!("<{}>", json!([role, "Arn"]))) {
                results.push(Err(format!(
                    "{id}: the data source's RoleArn {} is not {role}'s",
                    properties["RoleArn"]
                )));
            }
            cases.push(json!({
                "name": id,
                "schema": page_schema(id),
                "configuration": properties["Configuration"],
            }));
        }
        if let Some(python) =
            toolchain::tool(".venv/bin/python", "jsonschema on every configuration")
        {
            let file = out.path().join("cases.json");
            std::fs::write(&file, serde_json::to_string(&cases).unwrap()).unwrap();
            let script: PathBuf = [
                env!("CARGO_MANIFEST_DIR"),
                "tests/support/validate_configurations.py",
            ]
            .iter()
            .collect();
            let validated = log.run(
                "jsonschema",
                std::process::Command::new(python).arg(script).arg(&file),
            );
            results.push(validated.and_then(|stdout| {
                let ok = stdout.lines().filter(|l| l.ends_with(": ok")).count();
                if ok == specs.len() {
                    Ok(())
                } else {
                    Err(format!(
                        "{ok} of {} configurations validated: {stdout}",
                        specs.len()
                    ))
                }
            }));
        }
        assert_accepted(&log, results);
    }
}

/// `audit` checks the pair: a template whose data source is the generated one is equal; one
/// whose data source names another secret, uses another role, runs in a subnet the role may
/// not use or breaks the schema exits 1 with that finding.
#[test]
fn audit_checks_the_data_source_against_the_role() {
    let mut json_spec = spec_json("rds-mysql", &configurations()["rds-mysql"]);
    json_spec["name"] = json!("orders");
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("orders.json");
    std::fs::write(&spec_path, json_spec.to_string()).unwrap();
    let spec = RoleSpec::from_json(&json_spec.to_string()).unwrap();
    let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
    let audit = |text: &str| audit_findings(dir.path(), &spec_path, "template.yaml", text);
    let (code, kinds) = audit(&template);
    assert_eq!((code, kinds.len()), (Some(0), 0), "{kinds:?}");

    let secret = "secret:qbusiness-orders-mysql-AbCdEf";
    assert!(template.contains(secret));
    // Only the data source's secret: the role still grants the documented one.
    let other_secret: String = template
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("\"secretArn\":") {
                line.replace(secret, "secret:another-secret-AbCdEf")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (code, kinds) = audit(&other_secret);
    assert_eq!(code, Some(1));
    assert_eq!(kinds.len(), 1, "{kinds:?}");
    assert_eq!(kinds[0].0, "data-source-secret");
    assert!(
        kinds[0]
            .1
            .contains("another-secret-AbCdEf`, which the role may not read"),
        "{kinds:?}"
    );

    let (code, kinds) = audit(&template.replace(
        "RoleArn: !GetAtt Role.Arn",
        "RoleArn: \"arn:aws:iam::111122223333:role/SomeOtherRole\"",
    ));
    assert_eq!(code, Some(1));
    assert_eq!(
        kinds.iter().map(|k| k.0.as_str()).collect::<Vec<_>>(),
        ["data-source-role"],
        "{kinds:?}"
    );

    // The data source's own list (the policy names the subnet inside an ARN).
    let (code, kinds) = audit(&template.replace(
        "\"subnet-0fedcba9876543210\"]",
        "\"subnet-0aaaaaaaaaaaaaaaa\"]",
    ));
    assert_eq!(code, Some(1));
    let network: Vec<_> = kinds
        .iter()
        .filter(|k| k.0 == "data-source-network")
        .collect();
    assert_eq!(network.len(), 1, "{kinds:?}");
    assert!(
        network[0].1.contains("subnet/subnet-0aaaaaaaaaaaaaaaa"),
        "{kinds:?}"
    );

    let mode = configurations()["rds-mysql"]["syncMode"].clone();
    let (code, kinds) = audit(&template.replace(
        &format!("\"syncMode\": {mode}"),
        "\"syncMode\": \"SOMETIMES\"",
    ));
    assert_eq!(code, Some(1));
    assert_eq!(
        kinds.iter().map(|k| k.0.as_str()).collect::<Vec<_>>(),
        ["data-source-configuration"],
        "{kinds:?}"
    );
    assert!(
        kinds[0]
            .1
            .contains("configuration /syncMode: \"SOMETIMES\" is not one of"),
        "{kinds:?}"
    );
}

/// Audits `input` (a file named `name`) against the spec at `spec_path`: the exit code and
/// each finding's kind and message.
fn audit_findings(
    dir: &std::path::Path,
    spec_path: &std::path::Path,
    name: &str,
    input: &str,
) -> (Option<i32>, Vec<(String, String)>) {
    let path = dir.join(name);
    std::fs::write(&path, input).unwrap();
    let output = run(&[
        "audit",
        path.to_str().unwrap(),
        "--spec",
        spec_path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&support::stdout(&output)).unwrap();
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (output.status.code(), findings)
}

/// The same checks on `terraform show -json` of a state: the role, its policy and the
/// `awscc_qbusiness_data_source` as the generated module creates them (evaluated with
/// hcl-rs), the data source's secret encrypted with a KMS key an `aws_secretsmanager_secret`
/// of the state names.
#[test]
fn audit_checks_a_terraform_states_data_source() {
    let json_spec = spec_json("rds-mysql", &configurations()["rds-mysql"]);
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("orders.json");
    std::fs::write(&spec_path, json_spec.to_string()).unwrap();
    let spec = RoleSpec::from_json(&json_spec.to_string()).unwrap();
    let text =
        |name: &str| support::artifact(&spec, Format::Terraform, &format!("terraform/{name}"));
    let module = Module::new(text, &[], &DEPLOYMENT);
    let role = module.role("this");
    let data_source = module.data_source("this");
    let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/QBusinessDataSourceRole");
    let secret = data_source["configuration"]["secretArn"].clone();
    let state = |configuration: &Value, key: &str| {
        json!({
            "format_version": "1.0",
            "values": { "root_module": { "resources": [
                { "address": "aws_iam_role.this", "mode": "managed", "type": "aws_iam_role",
                  "values": { "name": "QBusinessDataSourceRole", "id": "QBusinessDataSourceRole",
                              "arn": role_arn, "assume_role_policy": role.trust.to_string() } },
                { "address": "aws_iam_role_policy.this", "mode": "managed", "type": "aws_iam_role_policy",
                  "values": { "name": "permissions", "role": "QBusinessDataSourceRole",
                              "policy": role.permission.to_string() } },
                { "address": "aws_secretsmanager_secret.orders", "mode": "managed", "type": "aws_secretsmanager_secret",
                  "values": { "arn": secret, "kms_key_id": key } },
                { "address": "awscc_qbusiness_data_source.this", "mode": "managed", "type": "awscc_qbusiness_data_source",
                  "values": { "role_arn": role_arn, "configuration": configuration.to_string(),
                              "vpc_configuration": data_source["vpc_configuration"] } }
            ] } }
        })
        .to_string()
    };
    let configuration = &data_source["configuration"];
    let key = "1234abcd-12ab-34cd-56ef-1234567890ab";
    let audit = |input: String| audit_findings(dir.path(), &spec_path, "state.json", &input);
    let (code, findings) = audit(state(configuration, key));
    assert_eq!((code, findings.len()), (Some(0), 0), "{findings:?}");

    let mut other = configuration.clone();
    other["secretArn"] = json!(format!(
        "arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:another-AbCdEf"
    ));
    let (code, findings) = audit(state(&other, key));
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].0, "data-source-secret");
    assert!(
        findings[0]
            .1
            .contains("another-AbCdEf`, which the role may not read")
    );

    // The documented secret, encrypted with a key the role may not use.
    let (code, findings) = audit(state(configuration, "0000abcd-12ab-34cd-56ef-1234567890ab"));
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(
        findings[0].1.contains(&format!(
            "configuration /secretArn names a secret encrypted with the KMS key `arn:aws:kms:{REGION}:{ACCOUNT}:key/0000abcd-12ab-34cd-56ef-1234567890ab`, which the role may not decrypt with (kms:Decrypt)"
        )),
        "{findings:?}"
    );

    let mut broken = configuration.clone();
    broken["syncMode"] = json!("SOMETIMES");
    let (code, findings) = audit(
        state(&broken, key)
            .replace(&role_arn, "arn:aws:iam::111122223333:role/Other")
            .replacen("arn:aws:iam::111122223333:role/Other", &role_arn, 1),
    );
    assert_eq!(code, Some(1));
    let kinds: Vec<&str> = findings.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        kinds,
        ["data-source-role", "data-source-configuration"],
        "{findings:?}"
    );
}

/// In a template, a secret created beside the data source (`!Ref` of its one
/// `AWS::SecretsManager::Secret`) is the spec's secret, and its `KmsKeyId` is checked against
/// the role's `kms:Decrypt`; with two secrets, which one is the spec's is not said: reported
/// once as unresolved, not as a schema violation.
#[test]
fn audit_checks_the_kms_key_of_a_secret_in_the_template() {
    let json_spec = spec_json("rds-mysql", &configurations()["rds-mysql"]);
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("orders.json");
    std::fs::write(&spec_path, json_spec.to_string()).unwrap();
    let spec = RoleSpec::from_json(&json_spec.to_string()).unwrap();
    let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
    let with_secret = |key: &str| {
        let mut lines: Vec<String> = Vec::new();
        for line in template.lines() {
            if line.trim_start().starts_with("\"secretArn\":") {
                let indent = &line[..line.len() - line.trim_start().len()];
                lines.push(format!("{indent}\"secretArn\": !Ref OrdersSecret"));
            } else if line == "Resources:" {
                lines.push(line.to_owned());
                lines.push("  OrdersSecret:".into());
                lines.push("    Type: \"AWS::SecretsManager::Secret\"".into());
                lines.push("    Properties:".into());
                lines.push(format!("      KmsKeyId: \"{key}\""));
            } else {
                lines.push(line.to_owned());
            }
        }
        lines.join("\n")
    };
    let audit = |input: String| audit_findings(dir.path(), &spec_path, "template.yaml", &input);
    let (code, findings) = audit(with_secret("1234abcd-12ab-34cd-56ef-1234567890ab"));
    assert_eq!((code, findings.len()), (Some(0), 0), "{findings:?}");
    let (code, findings) = audit(with_secret("0000abcd-12ab-34cd-56ef-1234567890ab"));
    assert_eq!(code, Some(1));
    let kinds: Vec<&str> = findings.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(kinds, ["data-source-secret"], "{findings:?}");
    assert!(findings[0].1.contains(
        "key/0000abcd-12ab-34cd-56ef-1234567890ab`, which the role may not decrypt with"
    ));
    let two = with_secret("1234abcd-12ab-34cd-56ef-1234567890ab").replacen(
        "Resources:\n",
        "Resources:\n  OtherSecret:\n    Type: \"AWS::SecretsManager::Secret\"\n",
        1,
    );
    let (code, findings) = audit(two);
    assert_eq!(code, Some(1));
    assert_eq!(
        findings,
        [(
            "unresolved".to_owned(),
            "configuration /secretArn is !Ref OrdersSecret, a resource known only once deployed: not checked against the role or the schema"
                .to_owned()
        )],
    );
}
