//! The matrix of artifacts every real toolchain must accept, built once for every test that
//! iterates it: the embedded default, every example (the two `.rs` examples read as the CLI
//! reads them, the stack example included as `tests/cli.rs` includes it, the JSON spec), a
//! stack mixing open and bound roles, and the spec varied along each axis: VPC on and off,
//! values bound and open, `source_account` equal to and different from `account_id`.
//!
//! A [`Case`] also knows, for each of its roles, the documented policies it must hold once
//! evaluated ([`Case::compare`]), and the value every open parameter is given (a
//! CloudFormation parameter, a Terraform variable, a CDK context key). The checks of each
//! format ([`Case::cloudformation_policies`], ...) return `Err` naming what rejected the
//! artifact, so that the mutation tests can show the same checks reject broken files;
//! `super::checks` runs them, with the real toolchains, on every case.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;

use connector_roles::catalog::Part;
use connector_roles::properties::PolicyKind;
use connector_roles::{Artifact, Field, Format, RoleModel, RoleSpec, Stack, write_all};
use connector_roles_generator::render::names::Names;
use serde_json::{Value, json};

use super::cloudformation::{Deployment, Evaluated, parse};
use super::policy::{documented, fill, same_policy};
use super::terraform::Module;

/// The stack example, as its own `cargo run --example analytics_stack` builds it.
#[path = "../../examples/analytics_stack.rs"]
pub mod analytics_stack;

/// Where every case is deployed unless it says otherwise.
pub const DEPLOYMENT: Deployment = Deployment {
    partition: "aws",
    account: super::ACCOUNT,
    region: super::REGION,
};

/// An account other than [`DEPLOYMENT`]'s: the application's, or the deploying one.
pub const OTHER_ACCOUNT: &str = "444455556666";

/// One unit of output (a role alone or a stack) in every format, with what it must hold.
pub struct Case {
    /// What the case is, for messages: `default`, `examples/orders_mysql.rs`, ...
    pub name: String,
    /// The artifacts' top folder: the spec's name, or the stack's.
    pub folder: String,
    /// Each role with the names it takes in the artifacts.
    pub roles: Vec<(Names, RoleSpec)>,
    /// Where the artifacts are evaluated.
    pub deployment: Deployment,
    /// Every file, in every format.
    pub artifacts: Vec<Artifact>,
}

/// Every case.
pub fn matrix() -> Vec<Case> {
    let example = |file: &str| {
        let path = format!("{}/examples/{file}", env!("CARGO_MANIFEST_DIR"));
        let source = std::fs::read_to_string(&path).unwrap();
        let mut roles = connector_roles::source::roles(&source)
            .unwrap_or_else(|errors| panic!("{path}: {errors:?}"));
        assert_eq!(roles.len(), 1, "{path} declares one role");
        roles.remove(0)
    };
    let varied = |change: &dyn Fn(&mut Value)| {
        let mut json = super::example_spec();
        change(&mut json);
        RoleSpec::from_json(&json.to_string()).unwrap()
    };
    let from_json = |json: Value| RoleSpec::from_json(&json.to_string()).unwrap();
    let example_json = |file: &str| -> Value {
        let path = format!("{}/examples/specs/{file}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    vec![
        Case::alone("default", RoleSpec::default_spec(), DEPLOYMENT),
        Case::alone(
            "examples/specs/orders-mysql.json",
            varied(&|_| {}),
            DEPLOYMENT,
        ),
        Case::alone(
            "examples/orders_mysql.rs",
            example("orders_mysql.rs"),
            DEPLOYMENT,
        ),
        Case::alone(
            "examples/reusable_role.rs",
            example("reusable_role.rs"),
            DEPLOYMENT,
        ),
        Case::alone(
            "examples/specs/tickets-jira.json",
            from_json(example_json("tickets-jira.json")),
            DEPLOYMENT,
        ),
        Case::alone(
            "examples/team_slack.rs",
            example("team_slack.rs"),
            DEPLOYMENT,
        ),
        Case::alone(
            "a data source created after the customer-managed policy of its role",
            from_json({
                let mut json = example_json("tickets-jira.json");
                json["name"] = "managed-jira".into();
                json["role_name"] = "QBusinessManagedJiraConnectorRole".into();
                json["policy"] = "managed".into();
                json["data_source"]["display_name"] = "managed-jira".into();
                json
            }),
            DEPLOYMENT,
        ),
        Case::stack(
            "examples/analytics_stack.rs",
            analytics_stack::stack(),
            DEPLOYMENT,
        ),
        Case::stack(
            "stack of an open role, a bound one and one without VPC",
            data_sources(),
            DEPLOYMENT,
        ),
        Case::alone(
            "bound, source_account differs from account_id",
            varied(&|spec| {
                spec["name"] = "other-source".into();
                spec["values"]["source_account"] = OTHER_ACCOUNT.into();
                spec.as_object_mut().unwrap().remove("role_name");
            }),
            DEPLOYMENT,
        ),
        Case::alone(
            "bound, without VPC",
            varied(&|spec| {
                spec["name"] = "no-vpc".into();
                spec.as_object_mut().unwrap().remove("vpc");
            }),
            DEPLOYMENT,
        ),
        Case::alone(
            "open, without VPC",
            from_json(json!({ "connector": "rds-mysql", "name": "open-no-vpc" })),
            DEPLOYMENT,
        ),
        Case::alone(
            "account open, source_account bound to another account, subnets bound, security groups open",
            from_json(json!({
                "connector": "rds-mysql",
                "name": "cross-account",
                "values": {
                    "source_account": OTHER_ACCOUNT,
                    "application_id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
                },
                "vpc": { "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"] },
            })),
            DEPLOYMENT,
        ),
        Case::alone(
            "every role property, the permissions in a customer-managed policy",
            varied(&|spec| {
                spec["name"] = "managed-policy".into();
                spec["path"] = "/connectors/qbusiness/".into();
                spec["tags"] =
                    json!({ "Team": "data platform", "cost-center": "1234", "Note": "" });
                spec["permissions_boundary"] =
                    "arn:aws:iam::111122223333:policy/QBusinessConnectorBoundary".into();
                spec["max_session_duration"] = 7200.into();
                spec["policy"] = "managed".into();
            }),
            DEPLOYMENT,
        ),
        Case::alone(
            "account bound, source_account open and deployed from another account",
            varied(&|spec| {
                spec["name"] = "deployed-elsewhere".into();
                let values = spec["values"].as_object_mut().unwrap();
                values.remove("source_account");
                values.remove("region");
            }),
            Deployment {
                account: OTHER_ACCOUNT,
                ..DEPLOYMENT
            },
        ),
    ]
}

/// `open-mysql` (the default spec renamed: every value open, VPC on), `orders-mysql`
/// (`examples/specs/orders-mysql.json` as it is) and `billing-mysql` (that example renamed,
/// with its own role name, application account and tag, without the VPC statements, its
/// permissions in a customer-managed policy).
pub fn data_sources() -> Stack {
    let open =
        RoleSpec::from_json(r#"{ "connector": "rds-mysql", "name": "open-mysql", "vpc": {} }"#)
            .unwrap();
    let orders = RoleSpec::from_json(&super::example_spec().to_string()).unwrap();
    let mut billing = super::example_spec();
    billing["name"] = "billing-mysql".into();
    billing["role_name"] = "QBusinessBillingMySqlConnectorRole".into();
    billing["values"]["source_account"] = OTHER_ACCOUNT.into();
    billing["tags"] = json!({ "Team": "billing" });
    billing["policy"] = "managed".into();
    billing.as_object_mut().unwrap().remove("vpc");
    let billing = RoleSpec::from_json(&billing.to_string()).unwrap();
    let mut stack = Stack::new("data-sources").unwrap();
    stack
        .add(open)
        .unwrap()
        .add(orders)
        .unwrap()
        .add(billing)
        .unwrap();
    stack
}

impl Case {
    /// One role alone.
    pub fn alone(name: &str, spec: RoleSpec, deployment: Deployment) -> Case {
        Case {
            name: name.to_owned(),
            folder: spec.name.clone(),
            artifacts: connector_roles::render(&spec, &Format::ALL).unwrap(),
            roles: vec![(Names::alone(&spec.name), spec)],
            deployment,
        }
    }

    /// The roles of a stack.
    pub fn stack(name: &str, stack: Stack, deployment: Deployment) -> Case {
        Case {
            name: name.to_owned(),
            folder: stack.name().to_owned(),
            artifacts: stack.render(&Format::ALL).unwrap(),
            roles: stack
                .roles()
                .iter()
                .map(|spec| (Names::stacked(&spec.name), spec.clone()))
                .collect(),
            deployment,
        }
    }

    /// The contents of the artifact at `path` under the case's folder (`cdk/bin/app.ts`).
    pub fn file(&self, path: &str) -> &str {
        let full = format!("{}/{path}", self.folder);
        &self
            .artifacts
            .iter()
            .find(|a| a.path == full)
            .unwrap_or_else(|| panic!("{}: no {full}", self.name))
            .contents
    }

    /// Writes every artifact under `dir`; the case's folder there.
    pub fn write(&self, dir: &Path) -> PathBuf {
        write_all(dir, &self.artifacts).unwrap();
        dir.join(&self.folder)
    }

    /// The concrete values of the placeholders of `spec`'s documented policies: a bound
    /// value as bound; an open account, source account or region the deployment's; any other
    /// open value the one [`Case`]'s inputs give it.
    pub fn values(&self, spec: &RoleSpec) -> Vec<(&'static str, Vec<String>)> {
        Field::ALL
            .into_iter()
            .filter_map(|field| {
                let placeholder = placeholder(field)?;
                let values = if let Some(value) = spec.scalar(field) {
                    vec![value.to_owned()]
                } else if let Some(list) = spec.list(field) {
                    list.to_vec()
                } else {
                    match field {
                        Field::AccountId | Field::SourceAccount => {
                            vec![self.deployment.account.to_owned()]
                        }
                        Field::Region => vec![self.deployment.region.to_owned()],
                        _ => strings(&input(field)),
                    }
                };
                Some((placeholder, values))
            })
            .collect()
    }

    /// The trust and permission policies documented for `spec`'s connector with
    /// [`Case::values`]; without a VPC, without the statements granting EC2 actions.
    pub fn expected(&self, spec: &RoleSpec) -> (Value, Value) {
        let values = self.values(spec);
        let values = borrowed(&values);
        assert_eq!(
            self.deployment.partition, "aws",
            "the documented policies write the partition aws"
        );
        if let Some(partition) = spec.scalar(Field::Partition) {
            assert_eq!(
                partition, "aws",
                "the documented policies write the partition aws"
            );
        }
        let id = &spec.connector.id;
        // RDS (MySQL)'s page as the project started from it; any other connector's page as
        // `tests/reference/connectors/` holds it (its current revision).
        let (trust, mut permission) = if id == "rds-mysql" {
            (
                documented(&format!("{id}.trust-policy"), &values),
                documented(&format!("{id}.permission-policy"), &values),
            )
        } else {
            let page = documented(&format!("connectors/{id}"), &[]);
            (
                fill(&page["trust_policy"], &values),
                fill(&page["permission_policy"], &values),
            )
        };
        if !spec.parts.contains(&Part::Vpc) {
            let statements = permission["Statement"].as_array_mut().unwrap();
            let before = statements.len();
            statements.retain(|statement| !statement["Action"].to_string().contains("\"ec2:"));
            assert!(statements.len() < before, "{id} documents VPC statements");
        }
        (trust, permission)
    }

    /// Whether `trust` and `permission` are exactly the documented policies of `spec`.
    pub fn compare(
        &self,
        spec: &RoleSpec,
        trust: &Value,
        permission: &Value,
    ) -> Result<(), String> {
        let (expected_trust, expected_permission) = self.expected(spec);
        let differences: Vec<String> = [
            ("trust", same_policy(trust, &expected_trust)),
            ("permission", same_policy(permission, &expected_permission)),
        ]
        .into_iter()
        .filter_map(|(policy, result)| {
            result
                .err()
                .map(|e| format!("policy comparison: {}: {policy} policy: {e}", spec.name))
        })
        .collect();
        if differences.is_empty() {
            Ok(())
        } else {
            Err(differences.join("\n"))
        }
    }

    /// The value each open parameter of each role is given, named by `name` (the role's
    /// names and the field).
    fn inputs(&self, name: impl Fn(&Names, Field) -> String) -> Vec<(String, Value)> {
        self.roles
            .iter()
            .flat_map(|(names, spec)| {
                RoleModel::new(spec)
                    .parameters
                    .into_iter()
                    .map(|field| (name(names, field), input(field)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The CloudFormation parameters: `ApplicationId`, `OrdersMysqlApplicationId` in a stack.
    pub fn cloudformation_parameters(&self) -> Vec<(String, Value)> {
        self.inputs(|names, field| names.logical_id(field.pascal_name()))
    }

    /// The Terraform variables: `application_id`, `orders_mysql_application_id` in a stack.
    pub fn terraform_inputs(&self) -> Vec<(String, Value)> {
        self.inputs(|names, field| names.terraform(field.name()))
    }

    /// The CDK context (`CDK_CONTEXT_JSON`): `applicationId`, `ordersMysql.applicationId`
    /// in a stack.
    pub fn cdk_context(&self) -> Value {
        Value::Object(
            self.inputs(|names, field| names.context_key(field.camel_name()))
                .into_iter()
                .collect(),
        )
    }

    /// The CloudFormation template `text`, evaluated for [`Case::cloudformation_parameters`],
    /// holds nothing but the roles, each with exactly its documented policies.
    pub fn cloudformation_policies(&self, text: &str) -> Result<(), String> {
        let parameters = self.cloudformation_parameters();
        let evaluated = caught("CloudFormation evaluation", || {
            Evaluated::new(text, &named(&parameters), self.deployment)
        })?;
        self.template_roles(&evaluated, |names| Ok(names.logical_id("Role")))
    }

    /// The template the CDK synthesized, `text`, holds nothing but the roles, each with
    /// exactly its documented policies; each role is found by the `Fn::GetAtt` of its
    /// `RoleArn` output (CDK logical IDs end with a hash).
    pub fn cdk_policies(&self, text: &str) -> Result<(), String> {
        let evaluated = caught("CDK template evaluation", || {
            Evaluated::new(text, &[], self.deployment)
        })?;
        let outputs = parse(text)["Outputs"].clone();
        self.template_roles(&evaluated, |names| {
            let output = names.logical_id("RoleArn");
            match &outputs[&output]["Value"]["Fn::GetAtt"] {
                Value::Array(pair) if pair.len() == 2 && pair[1] == "Arn" => pair[0]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("output {output} names no resource")),
                other => Err(format!("output {output} is not a role's Arn: {other}")),
            }
        })
    }

    /// Every resource of `evaluated` is one of the case's roles (found by `logical_id`),
    /// with one inline policy and exactly its documented policies.
    fn template_roles(
        &self,
        evaluated: &Evaluated,
        logical_id: impl Fn(&Names) -> Result<String, String>,
    ) -> Result<(), String> {
        let resources = evaluated
            .template
            .as_object()
            .ok_or("the template has no Resources")?;
        let mut ids = Vec::new();
        for (names, spec) in &self.roles {
            let id = logical_id(names)?;
            let properties = &resources
                .get(&id)
                .ok_or_else(|| format!("no resource {id} for role {}", spec.name))?["Properties"];
            if let Some(managed) = properties.get("ManagedPolicyArns") {
                return Err(format!("role {id} has managed policies {managed}"));
            }
            let (trust, permission) = caught("CloudFormation evaluation", || {
                evaluated.role_policies_of(&id)
            })?;
            self.compare(spec, &trust, &permission)?;
            compare_properties(spec, &evaluated.role_properties_of(&id))?;
            let managed = caught("CloudFormation evaluation", || {
                evaluated.managed_policy_of(&id)
            })?;
            if managed.is_some() != (spec.properties.policy == PolicyKind::Managed) {
                return Err(format!("role {id} has the managed policy {managed:?}"));
            }
            ids.extend(self.template_data_source(
                evaluated,
                names,
                spec,
                &id,
                managed.as_deref(),
            )?);
            ids.extend(managed);
            ids.push(id);
        }
        // The CDK CLI adds its version reporting (`CDKMetadata`) to what it synthesizes.
        let extra: Vec<&String> = resources
            .iter()
            .filter(|(id, resource)| !ids.contains(id) && resource["Type"] != "AWS::CDK::Metadata")
            .map(|(id, _)| id)
            .collect();
        if extra.is_empty() {
            Ok(())
        } else {
            Err(format!("resources other than the roles: {extra:?}"))
        }
    }

    /// The configuration of the data source `spec` declares, as its JSON artifact gives it,
    /// the placeholders filled with [`Case::values`]; `None` without one.
    fn expected_configuration(&self, names: &Names, spec: &RoleSpec) -> Option<Value> {
        spec.data_source.as_ref()?;
        let path = format!("{}/create-data-source.json", names.policy_folder());
        let input: Value = serde_json::from_str(self.file(&path)).unwrap();
        let values = self.values(spec);
        Some(fill(&input["configuration"], &borrowed(&values)))
    }

    /// The one `AWS::QBusiness::DataSource` of `evaluated` whose `RoleArn` is the role
    /// `role`'s, when `spec` declares a data source: its configuration the expected one,
    /// created after the role's managed policy. Its logical ID.
    fn template_data_source(
        &self,
        evaluated: &Evaluated,
        names: &Names,
        spec: &RoleSpec,
        role: &str,
        managed: Option<&str>,
    ) -> Result<Option<String>, String> {
        let Some(expected) = self.expected_configuration(names, spec) else {
            return Ok(None);
        };
        let arn = json!(format!("<{}>", json!([role, "Arn"])));
        let found: Vec<(&String, &Value)> = evaluated
            .template
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, resource)| {
                resource["Type"] == "AWS::QBusiness::DataSource"
                    && resource["Properties"]["RoleArn"] == arn
            })
            .collect();
        let [(id, resource)] = found.as_slice() else {
            return Err(format!(
                "{} data sources use role {role}, not one",
                found.len()
            ));
        };
        if resource["Properties"]["Configuration"] != expected {
            return Err(format!(
                "data source {id}: configuration {} is not {expected}",
                resource["Properties"]["Configuration"]
            ));
        }
        if let Some(policy) = managed {
            let after = &resource["DependsOn"];
            if *after != json!(policy)
                && !after.as_array().is_some_and(|l| l.contains(&json!(policy)))
            {
                return Err(format!(
                    "data source {id} is not created after {policy}: {after}"
                ));
            }
        }
        Ok(Some((*id).clone()))
    }

    /// The Terraform module, its files read by `file` (`main.tf`) and evaluated for
    /// [`Case::terraform_inputs`], declares nothing but each role and its inline policy,
    /// with exactly the documented policies.
    pub fn terraform_policies(&self, file: impl Fn(&str) -> String) -> Result<(), String> {
        let inputs = self.terraform_inputs();
        let module = caught("Terraform evaluation", || {
            Module::new(&file, &named(&inputs), &self.deployment)
        })?;
        let names: Vec<String> = self
            .roles
            .iter()
            .map(|(names, _)| names.terraform_resource())
            .collect();
        let mut expected: Vec<(&str, &String)> = Vec::new();
        for ((_, spec), name) in self.roles.iter().zip(&names) {
            let kinds: &[&str] = match spec.properties.policy {
                PolicyKind::Inline => &["aws_iam_role", "aws_iam_role_policy"],
                PolicyKind::Managed => &[
                    "aws_iam_role",
                    "aws_iam_policy",
                    "aws_iam_role_policy_attachment",
                ],
            };
            expected.extend(kinds.iter().map(|kind| (*kind, name)));
            if spec.data_source.is_some() {
                expected.push(("awscc_qbusiness_data_source", name));
            }
        }
        let mut declared: Vec<(String, String)> = module
            .resource_kinds()
            .into_iter()
            .flat_map(|kind| {
                module
                    .resources(&kind)
                    .into_iter()
                    .map(move |n| (kind.clone(), n))
            })
            .collect();
        declared.sort();
        declared.dedup();
        let mut expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(kind, name)| (kind.to_owned(), name.clone()))
            .collect();
        expected.sort();
        if declared != expected {
            return Err(format!(
                "the module declares the resources {declared:?}, not {expected:?}"
            ));
        }
        for ((_, spec), name) in self.roles.iter().zip(&names) {
            let role = caught("Terraform evaluation", || module.role(name))?;
            self.compare(spec, &role.trust, &role.permission)?;
            compare_properties(spec, &role.properties)?;
        }
        for (names, spec) in &self.roles {
            let Some(expected) = self.expected_configuration(names, spec) else {
                continue;
            };
            let name = names.terraform_resource();
            let data_source = caught("Terraform evaluation", || module.data_source(&name))?;
            if data_source["role_arn"] != json!(format!("{name}.arn"))
                || data_source["configuration"] != expected
            {
                return Err(format!(
                    "data source {name}: role {} and configuration {} are not the role's and {expected}",
                    data_source["role_arn"], data_source["configuration"]
                ));
            }
        }
        Ok(())
    }

    /// Each role's policy JSON, read by `file` (`policy/trust-policy.json`), is the documented
    /// policy: its placeholders filled with [`Case::values`], it equals [`Case::expected`].
    pub fn json_policies(&self, file: impl Fn(&str) -> String) -> Result<(), String> {
        for (names, spec) in &self.roles {
            let values = self.values(spec);
            let values = borrowed(&values);
            let read = |name: &str| -> Result<Value, String> {
                let path = format!("{}/{name}.json", names.policy_folder());
                let policy: Value = serde_json::from_str(&file(&path))
                    .map_err(|e| format!("JSON parse: {path}: {e}"))?;
                caught("placeholders", || fill(&policy, &values))
            };
            self.compare(spec, &read("trust-policy")?, &read("permission-policy")?)?;
            let path = format!("{}/role.json", names.policy_folder());
            let mut role: Value = serde_json::from_str(&file(&path))
                .map_err(|e| format!("JSON parse: {path}: {e}"))?;
            let role = role
                .as_object_mut()
                .ok_or(format!("{path} is not an object"))?;
            for key in ["RoleName", "Description"] {
                role.remove(key);
            }
            if let Some(tags) = role.get_mut("Tags") {
                let pairs = tags
                    .as_array()
                    .ok_or(format!("{path}: Tags is not a list"))?;
                *tags = pairs
                    .iter()
                    .map(|tag| {
                        (
                            tag["Key"].as_str().unwrap_or_default().to_owned(),
                            tag["Value"].clone(),
                        )
                    })
                    .collect::<serde_json::Map<_, _>>()
                    .into();
            }
            compare_properties(spec, &Value::Object(role.clone()))?;
        }
        Ok(())
    }
}

/// The role properties `spec` declares, keyed as `CreateRole` keys them, the tags as an
/// object; built from the spec, not from any renderer.
pub fn expected_properties(spec: &RoleSpec) -> Value {
    let properties = &spec.properties;
    let mut expected = serde_json::Map::new();
    if let Some(path) = &properties.path {
        expected.insert("Path".into(), json!(path));
    }
    if let Some(arn) = &properties.permissions_boundary {
        expected.insert("PermissionsBoundary".into(), json!(arn));
    }
    if let Some(seconds) = properties.max_session_duration {
        expected.insert("MaxSessionDuration".into(), json!(seconds));
    }
    if !properties.tags.is_empty() {
        let tags = properties
            .tags
            .iter()
            .map(|t| (t.key.clone(), json!(t.value)));
        expected.insert("Tags".into(), Value::Object(tags.collect()));
    }
    Value::Object(expected)
}

/// The role properties `found` in an artifact are the ones `spec` declares.
pub fn compare_properties(spec: &RoleSpec, found: &Value) -> Result<(), String> {
    let expected = expected_properties(spec);
    if *found == expected {
        Ok(())
    } else {
        Err(format!(
            "role properties of {}: found {found}, expected {expected}",
            spec.name
        ))
    }
}

/// The name of `field`'s placeholder in the documented policies (`account_id`,
/// `security_group`); `None` for the partition, which they write `aws`.
fn placeholder(field: Field) -> Option<&'static str> {
    let written = field.placeholder();
    written
        .strip_prefix("{{")
        .and_then(|p| p.strip_suffix("}}"))
        .or_else(|| {
            written
                .strip_prefix("[[")
                .and_then(|p| p.strip_suffix("]]"))
        })
}

/// The value an open `field` is given: [`super::values`] for its placeholder (a list for a
/// list field).
fn input(field: Field) -> Value {
    let name = placeholder(field).unwrap_or_else(|| panic!("{field} has no placeholder"));
    let (_, values) = super::values(DEPLOYMENT.account)
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no test value for {name}"));
    if field.is_list() {
        json!(values)
    } else {
        assert_eq!(values.len(), 1, "{name} has one value");
        json!(values[0])
    }
}

/// [`Case::values`] as [`documented`] and [`fill`] take them.
fn borrowed<'a>(values: &'a [(&'static str, Vec<String>)]) -> Vec<(&'a str, Vec<&'a str>)> {
    values
        .iter()
        .map(|(name, values)| (*name, values.iter().map(String::as_str).collect()))
        .collect()
}

/// Values by name, as the evaluators take them.
fn named(values: &[(String, Value)]) -> Vec<(&str, Value)> {
    values
        .iter()
        .map(|(name, value)| (name.as_str(), value.clone()))
        .collect()
}

/// A string or a list of strings, as strings.
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        other => panic!("not a string: {other}"),
    }
}

thread_local! {
    /// Whether a panic of this thread is being caught by [`caught`] (and so not printed),
    /// and where the last one happened.
    static CATCHING: Cell<(bool, Option<String>)> = const { Cell::new((false, None)) };
}

/// `f()`, or `Err` with `what`, the panic's message and where it happened when it panics
/// (the evaluators fail by panicking on what they do not know). The caught panic is not
/// printed by the panic hook: its message is in the error.
pub fn caught<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let print = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let (catching, _) = CATCHING.take();
            CATCHING.set((catching, info.location().map(|l| l.to_string())));
            if !catching {
                print(info);
            }
        }));
    });
    let (outer, _) = CATCHING.replace((true, None));
    let result = catch_unwind(AssertUnwindSafe(f));
    let (_, location) = CATCHING.replace((outer, None));
    result.map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic".to_owned());
        let at = location.map(|l| format!(" (at {l})")).unwrap_or_default();
        format!("{what}: {message}{at}")
    })
}
