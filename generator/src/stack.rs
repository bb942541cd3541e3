//! Several roles rendered as one deployment: one CloudFormation template, one CDK app with
//! one stack, one Terraform module, and the policy JSON of each role.
//!
//! ```
//! use connector_roles_generator::{Format, RoleSpec, stack::Stack};
//!
//! let orders = RoleSpec::from_json(r#"{ "connector": "rds-mysql", "name": "orders-mysql" }"#)?;
//! let billing = RoleSpec::from_json(r#"{ "connector": "rds-mysql", "name": "billing-mysql" }"#)?;
//! let mut stack = Stack::new("data-sources")?;
//! stack.add(orders)?.add(billing)?;
//! let files = stack.render(&[Format::CloudFormation]).unwrap();
//! assert_eq!(files[0].path, "data-sources/cloudformation/template.yaml");
//! assert!(files[0].contents.contains("  OrdersMysqlRole:\n"));
//! assert!(files[0].contents.contains("  BillingMysqlApplicationId:\n"));
//! # Ok::<(), connector_roles_generator::SpecErrors>(())
//! ```
//!
//! For a stack named `S`, the files are `S/cloudformation/template.yaml`, `S/cdk/...` (one
//! `lib/NAME.ts` per role and one `bin/app.ts`), `S/terraform/...` and
//! `S/policy/NAME/{permission,trust}-policy.json`.
//!
//! Every name a role takes in them is prefixed with the role's spec name
//! ([`names`](crate::render::names) says how, and why prefixed names cannot collide).
//! [`Stack::add`] is where the premises of that argument are enforced: each role's spec name,
//! and the Pascal, snake and camel prefixes built from it, differ from every other role's;
//! and no two roles bind the same IAM role name. Shared by every role are only what is the
//! deployment's: CloudFormation's pseudo parameters, Terraform's `data` sources, `locals` and
//! `tags`, the CDK stack's partition, account and region.

use crate::error::{RenderError, SpecError, SpecErrors};
use crate::render::names::{Names, Unit};
use crate::render::{Artifact, Format, render_unit};
use crate::spec::RoleSpec;
use crate::spec::rules::{self, SPEC_NAME};

/// Connector roles deployed together, rendered as one template, one app and one module.
#[derive(Debug, Clone)]
pub struct Stack {
    /// The stack's name: its output folder, and the base of the CDK stack's ID.
    name: String,
    /// The roles, in the order they were added.
    roles: Vec<RoleSpec>,
}

impl Stack {
    /// An empty stack named `name`, which follows the rule of spec names
    /// ([`SPEC_NAME`]: lowercase letters, digits and hyphens).
    pub fn new(name: &str) -> Result<Stack, SpecErrors> {
        rules::matches(&SPEC_NAME, name).map_err(|violation| {
            SpecErrors(vec![SpecError {
                path: "name".into(),
                value: Some(name.into()),
                rule: violation.0,
            }])
        })?;
        Ok(Stack {
            name: name.to_owned(),
            roles: Vec::new(),
        })
    }

    /// The stack's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds `role`, unless its names would clash with a role already in the stack: every
    /// clash is reported, at the path `name` or `role_name` of the role added.
    pub fn add(&mut self, role: RoleSpec) -> Result<&mut Stack, SpecErrors> {
        let errors: Vec<SpecError> = self
            .roles
            .iter()
            .flat_map(|other| {
                [
                    same_name(&self.name, other, &role),
                    same_prefix(other, &role),
                    same_role_name(other, &role),
                ]
            })
            .flatten()
            .collect();
        if errors.is_empty() {
            self.roles.push(role);
            Ok(self)
        } else {
            Err(SpecErrors(errors))
        }
    }

    /// The roles, in the order they were added.
    pub fn roles(&self) -> &[RoleSpec] {
        &self.roles
    }

    /// Renders the stack in each of `formats`; a stack without roles has nothing to render.
    pub fn render(&self, formats: &[Format]) -> Result<Vec<Artifact>, RenderError> {
        if self.roles.is_empty() {
            return Err(RenderError::EmptyStack(self.name.clone()));
        }
        render_unit(&Unit::stack(&self.name, &self.roles), formats)
    }
}

/// Two roles of one name would write the same files (`lib/NAME.ts`, `policy/NAME/`) and take
/// the same prefixed names everywhere.
fn same_name(stack: &str, other: &RoleSpec, role: &RoleSpec) -> Option<SpecError> {
    (other.name == role.name).then(|| SpecError {
        path: "name".into(),
        value: Some(role.name.clone()),
        rule: format!("is already the name of a role of stack {stack:?}"),
    })
}

/// Distinct spec names can still give one identifier (`a-1b` and `a1b` are both `A1b`, `a-b`
/// and `a--b` both `AB`), and every name of a role in a stack starts with it.
fn same_prefix(other: &RoleSpec, role: &RoleSpec) -> Option<SpecError> {
    if other.name == role.name {
        return None;
    }
    let (a, b) = (Names::stacked(&other.name), Names::stacked(&role.name));
    let clash = [
        (a.pascal(), b.pascal(), "CloudFormation and CDK"),
        (a.snake(), b.snake(), "Terraform"),
        (a.camel(), b.camel(), "CDK context"),
    ]
    .into_iter()
    .find(|(a, b, _)| a == b)?;
    let (identifier, _, formats) = clash;
    Some(SpecError {
        path: "name".into(),
        value: Some(role.name.clone()),
        rule: format!(
            "gives the {formats} names the prefix {identifier}, as role {:?} does: rename one of them",
            other.name
        ),
    })
}

/// An account holds one role of a name, and IAM ignores case in role names: two roles bound
/// to one name could never both be created.
fn same_role_name(other: &RoleSpec, role: &RoleSpec) -> Option<SpecError> {
    let (Some(theirs), Some(ours)) = (&other.role_name, &role.role_name) else {
        return None;
    };
    theirs.eq_ignore_ascii_case(ours).then(|| SpecError {
        path: "role_name".into(),
        value: Some(ours.clone()),
        rule: format!(
            "is already the role name of role {:?} (IAM role names are unique in an account, ignoring case)",
            other.name
        ),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The default spec (every value open, VPC on) named `name`.
    fn open(name: &str) -> RoleSpec {
        RoleSpec::from_json(&format!(
            r#"{{ "connector": "rds-mysql", "name": "{name}", "vpc": {{}} }}"#
        ))
        .unwrap()
    }

    /// `open(name)` with the IAM role name bound.
    fn named(name: &str, role_name: &str) -> RoleSpec {
        RoleSpec {
            role_name: Some(role_name.to_owned()),
            ..open(name)
        }
    }

    fn paths(errors: &SpecErrors) -> Vec<&str> {
        errors.0.iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn names_follow_the_spec_name_rule() {
        assert!(Stack::new("data-sources").is_ok());
        for bad in ["", "Data", "data_sources", "-data", "data-"] {
            let errors = Stack::new(bad).unwrap_err();
            assert_eq!(paths(&errors), ["name"], "{bad:?}");
        }
    }

    #[test]
    fn a_second_role_of_one_name_is_rejected() {
        let mut stack = Stack::new("s").unwrap();
        stack.add(open("orders")).unwrap();
        let errors = stack.add(open("orders")).unwrap_err();
        assert_eq!(paths(&errors), ["name"]);
        assert!(errors.to_string().contains("already the name of a role"));
        assert_eq!(stack.roles().len(), 1, "nothing is added on error");
    }

    #[test]
    fn equal_role_names_are_rejected_ignoring_case() {
        let mut stack = Stack::new("s").unwrap();
        stack.add(named("orders", "OrdersRole")).unwrap();
        // Open role names are parameters: nothing to compare.
        stack.add(open("billing")).unwrap();
        stack.add(open("audit")).unwrap();
        let errors = stack.add(named("invoices", "ordersrole")).unwrap_err();
        assert_eq!(paths(&errors), ["role_name"]);
        assert!(errors.to_string().contains("role \"orders\""), "{errors}");
        stack.add(named("invoices", "InvoicesRole")).unwrap();
        assert_eq!(stack.roles().len(), 4);
    }

    #[test]
    fn every_clash_is_reported_at_once() {
        let mut stack = Stack::new("s").unwrap();
        stack.add(named("orders", "OrdersRole")).unwrap();
        let errors = stack.add(named("orders", "OrdersRole")).unwrap_err();
        assert_eq!(paths(&errors), ["name", "role_name"]);
    }

    #[test]
    fn names_that_give_one_identifier_are_rejected() {
        for (first, second) in [("a1b", "a-1b"), ("a-b", "a--b"), ("x-2", "x2")] {
            let mut stack = Stack::new("s").unwrap();
            stack.add(open(first)).unwrap();
            let errors = stack.add(open(second)).unwrap_err();
            assert_eq!(paths(&errors), ["name"], "{first} {second}");
            assert!(errors.to_string().contains(&format!("role \"{first}\"")));
        }
        // Case alone keeps these apart: `AB` and `Ab`.
        let mut stack = Stack::new("s").unwrap();
        stack.add(open("a-b")).unwrap().add(open("ab")).unwrap();
    }

    /// Every valid spec name over `a`, `b`, `1` and `-` of up to five characters.
    fn small_names() -> Vec<String> {
        let mut names = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..5 {
            names = names
                .iter()
                .flat_map(|name| ["a", "b", "1", "-"].map(|c| format!("{name}{c}")))
                .collect();
            all.extend(
                names
                    .iter()
                    .filter(|name| rules::matches(&SPEC_NAME, name).is_ok())
                    .cloned(),
            );
        }
        all
    }

    #[test]
    fn distinct_names_give_distinct_prefixes_or_are_rejected() {
        let names = small_names();
        assert!(names.len() > 300, "{}", names.len());
        let specs: Vec<RoleSpec> = names.iter().map(|name| open(name)).collect();
        let mut rejected = 0;
        for (i, first) in specs.iter().enumerate() {
            for second in &specs[i + 1..] {
                let mut stack = Stack::new("s").unwrap();
                stack.add(first.clone()).unwrap();
                let (a, b) = (Names::stacked(&first.name), Names::stacked(&second.name));
                let distinct =
                    a.pascal() != b.pascal() && a.snake() != b.snake() && a.camel() != b.camel();
                match stack.add(second.clone()) {
                    Ok(_) => assert!(distinct, "{} and {} clash", first.name, second.name),
                    Err(errors) => {
                        assert!(!distinct, "{} and {} rejected", first.name, second.name);
                        assert_eq!(paths(&errors), ["name"]);
                        rejected += 1;
                    }
                }
            }
        }
        assert!(rejected > 0, "the alphabet holds clashing pairs");
    }

    /// The names each namespace of each format holds, read from the rendered text.
    fn namespaces(artifacts: &[Artifact]) -> Vec<(&'static str, Vec<String>)> {
        let mut spaces: Vec<(&'static str, Vec<String>)> = Vec::new();
        let mut add =
            |space: &'static str, name: &str| match spaces.iter_mut().find(|(s, _)| *s == space) {
                Some((_, names)) => names.push(name.to_owned()),
                None => spaces.push((space, vec![name.to_owned()])),
            };
        // The text after `start` up to `end`, on a line that begins with `start`.
        let between = |line: &str, start: &str, end: char| -> Option<String> {
            let rest = line.strip_prefix(start)?;
            Some(rest.split(end).next()?.to_owned())
        };
        for artifact in artifacts {
            let lines = artifact.contents.lines();
            if artifact.path.ends_with("template.yaml") {
                let mut section = "";
                for line in lines {
                    if !line.starts_with(' ') {
                        section = line.trim_end_matches(':');
                        continue;
                    }
                    let Some(key) = between(line, "  ", ':').filter(|k| !k.starts_with(' ')) else {
                        continue;
                    };
                    // Parameters and resources share one namespace: `Ref` names either.
                    let space = match section {
                        "Parameters" | "Resources" => "cloudformation logical IDs",
                        "Conditions" => "cloudformation conditions",
                        "Outputs" => "cloudformation outputs",
                        _ => continue,
                    };
                    add(space, &key);
                }
            } else if artifact.path.ends_with(".tf") {
                for line in lines {
                    if let Some(name) = between(line, "variable \"", '"') {
                        add("terraform variables", &name);
                    } else if let Some(name) = between(line, "output \"", '"') {
                        add("terraform outputs", &name);
                    } else if let Some(labels) = between(line, "resource ", '{') {
                        add("terraform resources", labels.trim());
                    }
                }
            } else if artifact.path.ends_with("bin/app.ts") {
                for line in lines {
                    if let Some(variable) = between(line, "const ", ' ') {
                        add("typescript variables", &variable);
                    }
                    if let Some((_, rest)) = line.split_once("(stack, '") {
                        add("cdk stack children", rest.split('\'').next().unwrap());
                    }
                    for getter in ["requiredString('", "optionalString('", "requiredList('"] {
                        if let Some((_, rest)) = line.split_once(getter) {
                            add("cdk context keys", rest.split('\'').next().unwrap());
                        }
                    }
                }
            }
        }
        spaces
    }

    #[test]
    fn adversarial_names_never_collide_in_any_format() {
        // Each name is another's prefix followed by a suffix some renderer appends.
        let names = [
            "x",
            "x-role",
            "x-role-arn",
            "x-role-name",
            "x-connector-role",
            "x-has",
            "x-has-role-name",
            "x-application",
            "x-key",
            "x-secret",
            "x-subnet",
            "role",
            "tags",
            "role-arns",
            "app",
            "stack",
        ];
        let mut stack = Stack::new("adversarial").unwrap();
        for (i, name) in names.iter().enumerate() {
            // Bind some role names, leave the others open.
            let spec = if i % 3 == 0 {
                named(name, &format!("Role{i}"))
            } else {
                open(name)
            };
            stack.add(spec).unwrap();
        }
        let artifacts = stack.render(&Format::ALL).unwrap();
        let spaces = namespaces(&artifacts);
        let found: BTreeSet<&str> = spaces.iter().map(|(space, _)| *space).collect();
        assert_eq!(found.len(), 9, "every namespace is read: {found:?}");
        for (space, names) in spaces {
            let mut seen = BTreeSet::new();
            for name in &names {
                assert!(seen.insert(name), "{space}: {name} twice");
            }
        }
    }

    /// A stack of an open role and a bound one, in every format.
    fn two_roles() -> Vec<Artifact> {
        let mut stack = Stack::new("data-sources").unwrap();
        stack
            .add(open("open-mysql"))
            .unwrap()
            .add(named("orders-mysql", "OrdersRole"))
            .unwrap();
        stack.render(&Format::ALL).unwrap()
    }

    /// The file at `path` in the stack's folder.
    fn file<'a>(artifacts: &'a [Artifact], path: &str) -> &'a str {
        &artifacts
            .iter()
            .find(|a| a.path == format!("data-sources/{path}"))
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
    }

    #[test]
    fn a_stack_writes_one_template_app_and_module() {
        let artifacts = two_roles();
        let paths: Vec<&str> = artifacts.iter().map(|a| a.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "data-sources/cloudformation/template.yaml",
                "data-sources/cdk/.gitignore",
                "data-sources/cdk/README.md",
                "data-sources/cdk/bin/app.ts",
                "data-sources/cdk/cdk.json",
                "data-sources/cdk/lib/open-mysql.ts",
                "data-sources/cdk/lib/orders-mysql.ts",
                "data-sources/cdk/package.json",
                "data-sources/cdk/test/data-sources.test.ts",
                "data-sources/cdk/tsconfig.json",
                "data-sources/terraform/versions.tf",
                "data-sources/terraform/variables.tf",
                "data-sources/terraform/main.tf",
                "data-sources/terraform/outputs.tf",
                "data-sources/terraform/README.md",
                "data-sources/policy/open-mysql/permission-policy.json",
                "data-sources/policy/open-mysql/trust-policy.json",
                "data-sources/policy/open-mysql/role.json",
                "data-sources/policy/orders-mysql/permission-policy.json",
                "data-sources/policy/orders-mysql/trust-policy.json",
                "data-sources/policy/orders-mysql/role.json",
            ]
        );
    }

    /// What each file of [`two_roles`] holds: every name after its role.
    const HOLDS: [(&str, &[&str]); 7] = [
        (
            "cloudformation/template.yaml",
            &[
                "  OpenMysqlRole:\n    Type: \"AWS::IAM::Role\"\n",
                "  OrdersMysqlRole:\n    Type: \"AWS::IAM::Role\"\n",
                "  OpenMysqlApplicationId:\n",
                "  OrdersMysqlApplicationId:\n",
                "  OpenMysqlRoleName:\n",
                "      RoleName: !If [OpenMysqlHasRoleName, !Ref OpenMysqlRoleName, !Ref AWS::NoValue]\n",
                "      RoleName: \"OrdersRole\"\n",
                "  OpenMysqlHasSubnetIds2: !Not [!Equals [!Select [1, !Split [\",\", !Sub [\"${List},,,,,,,\", {List: !Join [\",\", !Ref OpenMysqlSubnetIds]}]]], \"\"]]\n",
                "!Sub \"arn:${AWS::Partition}:qbusiness:${AWS::Region}:${AWS::AccountId}:application/${OrdersMysqlApplicationId}\"",
                "      - Label:\n          default: \"open-mysql\"\n        Parameters:\n          - \"OpenMysqlApplicationId\"\n",
                "  OrdersMysqlRoleArn:\n    Description: \"ARN of the connector role, for the data source's RoleArn\"\n    Value: !GetAtt OrdersMysqlRole.Arn\n",
                "  OrdersMysqlRoleName:\n    Description: \"Name of the connector role\"\n    Value: !Ref OrdersMysqlRole\n",
            ],
        ),
        (
            "cdk/bin/app.ts",
            &[
                "import { OpenMysqlConnectorRole } from '../lib/open-mysql';\n",
                "import { OrdersMysqlConnectorRole } from '../lib/orders-mysql';\n",
                "const stack = new cdk.Stack(app, 'DataSourcesStack', {\n",
                "const openMysqlConnectorRole = new OpenMysqlConnectorRole(stack, 'OpenMysqlConnectorRole', {\n",
                "  applicationId: requiredString('openMysql.applicationId'),\n",
                "  subnetIds: requiredList('openMysql.subnetIds'),\n",
                "  roleName: optionalString('openMysql.roleName'),\n",
                "new cdk.CfnOutput(stack, 'OrdersMysqlRoleArn', {\n  value: ordersMysqlConnectorRole.roleArn,\n",
                "//     -c openMysql.applicationId=a1b2c3d4-5678-90ab-cdef-EXAMPLE11111 \\\n",
                "// (openMysql.applicationId), so that the values of the stack's roles stay apart.\n",
            ],
        ),
        (
            "cdk/package.json",
            &["\"name\": \"data-sources-connector-roles\","],
        ),
        (
            "terraform/main.tf",
            &[
                "resource \"aws_iam_role\" \"open_mysql\" {\n  name        = var.open_mysql_role_name\n",
                "resource \"aws_iam_role\" \"orders_mysql\" {\n  name        = \"OrdersRole\"\n",
                "resource \"aws_iam_role_policy\" \"orders_mysql\" {\n",
                "  role = aws_iam_role.orders_mysql.id\n",
                "${var.open_mysql_application_id}",
                "[for id in var.open_mysql_subnet_ids : ",
            ],
        ),
        (
            "terraform/variables.tf",
            &[
                "variable \"open_mysql_application_id\" {\n",
                "condition     = var.open_mysql_role_name == null || ",
            ],
        ),
        (
            "terraform/outputs.tf",
            &[
                "output \"open_mysql_role_arn\" {\n",
                "  value       = aws_iam_role.orders_mysql.unique_id\n",
                "output \"role_arns\" {\n  description = \"ARN of each IAM role, by the role's name in the stack\"\n  value = {\n    open-mysql   = aws_iam_role.open_mysql.arn\n    orders-mysql = aws_iam_role.orders_mysql.arn\n  }\n}\n",
            ],
        ),
        (
            "terraform/README.md",
            &[
                "# data-sources: Terraform module\n",
                "| open-mysql | [IAM role for Amazon RDS (MySQL) connector](",
                "`aws_iam_role.orders_mysql`, `aws_iam_role_policy.orders_mysql`",
                "module \"data_sources_connector_roles\" {\n",
                "  open_mysql_application_id ",
                "- orders-mysql: `module.data_sources_connector_roles.orders_mysql_role_arn`\n",
                "| open\\_mysql\\_role\\_name |",
                "| role\\_arns |",
            ],
        ),
    ];

    /// How often each file of [`two_roles`] holds what is shared or absent.
    const COUNTS: [(&str, &str, usize); 8] = [
        (
            "cloudformation/template.yaml",
            "AWSTemplateFormatVersion",
            1,
        ),
        ("cloudformation/template.yaml", "  Role:\n", 0),
        ("cdk/bin/app.ts", "new cdk.Stack(", 1),
        ("cdk/bin/app.ts", "const app = new cdk.App();", 1),
        ("terraform/main.tf", "data \"aws_partition\"", 1),
        ("terraform/main.tf", "locals {", 1),
        ("terraform/variables.tf", "variable \"tags\"", 1),
        (
            "terraform/variables.tf",
            "variable \"orders_mysql_role_name\"",
            0,
        ),
    ];

    #[test]
    fn each_file_names_each_role_s_things_after_the_role() {
        let artifacts = two_roles();
        for (path, expected) in HOLDS {
            let text = file(&artifacts, path);
            for expected in expected {
                assert!(
                    text.contains(expected),
                    "{path} lacks {expected:?}:\n{text}"
                );
            }
        }
        for (path, needle, count) in COUNTS {
            let text = file(&artifacts, path);
            assert_eq!(text.matches(needle).count(), count, "{path}: {needle:?}");
        }
    }

    #[test]
    fn constructs_are_written_as_for_the_role_alone() {
        let mut stack = Stack::new("s").unwrap();
        stack.add(open("open-mysql")).unwrap();
        let spec = open("open-mysql");
        let alone = crate::render::render(&spec, &[Format::Cdk]).unwrap();
        let stacked = stack.render(&[Format::Cdk]).unwrap();
        let lib = |artifacts: &[Artifact], folder: &str| {
            artifacts
                .iter()
                .find(|a| a.path == format!("{folder}/cdk/lib/open-mysql.ts"))
                .unwrap()
                .contents
                .clone()
        };
        assert_eq!(lib(&stacked, "s"), lib(&alone, "open-mysql"));
    }

    #[test]
    fn an_empty_stack_does_not_render() {
        let error = Stack::new("s").unwrap().render(&Format::ALL).unwrap_err();
        assert!(error.to_string().contains("holds no roles"), "{error}");
    }
}
