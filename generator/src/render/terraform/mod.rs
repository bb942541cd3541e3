//! A Terraform module, laid out as terraform-aws-modules lay theirs out.
//!
//! `versions.tf` pins Terraform and the AWS provider (v6, for `data.aws_region`'s `region`);
//! `variables.tf` has one `variable` per open parameter, each held by a `validation` block
//! to the same regular expression as the Rust rule; `main.tf` builds the role and its inline
//! policy with `jsonencode` over HCL object expressions that mirror the JSON renderer's
//! documents key for key; `outputs.tf` exposes the role; `README.md` lists inputs and
//! outputs.
//!
//! Open partition, account, region and source account are the deployment's: a `data` source
//! (only those referenced) read once into `locals` named after the fields, so ARNs read
//! `"arn:${local.partition}:kms:${local.region}:${local.account_id}:key/${var.key_id}"`.
//! A resource over an open list field becomes a `for` expression, and a resource list that
//! mixes them with single ARNs a `concat` of both.
//!
//! A [`Stack`](crate::stack::Stack) of roles is one module: each role's resources are named
//! after it (`aws_iam_role.orders_mysql`), as are its variables (`orders_mysql_key_id`,
//! `orders_mysql_role_name`) and outputs (`orders_mysql_role_arn`); the `data` sources, the
//! `locals` and the `tags` variable are shared, and a `role_arns` output maps each role's
//! name to its ARN. A role alone is the same module with unprefixed names and resources
//! named `this` ([`names`](super::names)).
//!
//! Code is built here from escaped pieces (`Expr` prints it as `terraform fmt` would) and
//! printed with `|safe`; user values the templates print themselves go through `{{ value }}`
//! inside double quotes, which the `.tf` extension escapes with [`Hcl`](crate::render::escape::Hcl). Templates
//! use `whitespace = "preserve"` so they read as the file they write.

mod data_source;
mod hcl;
mod variables;

use std::borrow::Cow;

use askama::Template;

use hcl::{Expr, Terraform, document, object_key, quoted, write_attributes};
use variables::{Variable, variables};

use super::names::{Member, Unit};
use super::{Artifact, run};
use crate::error::RenderError;
use crate::model::catalog::CheckovSkip;
use crate::model::field::Field;
use crate::spec::rules::{self, ROLE_NAME};

/// The output folder.
const FOLDER: &str = "terraform";

/// The `for` expression's variable standing for one element of a list field.
const ELEMENT: &str = "id";

/// Each role's outputs: the name's suffix, the description and the role's attribute.
const OUTPUTS: [(&str, &str, &str); 3] = [
    (
        "role_arn",
        "ARN of the IAM role, for the data source's role ARN",
        "arn",
    ),
    ("role_name", "Name of the IAM role", "name"),
    (
        "role_unique_id",
        "Stable unique ID of the IAM role",
        "unique_id",
    ),
];

/// Each data source's outputs: the name's suffix, the description and the attribute.
const DATA_SOURCE_OUTPUTS: [(&str, &str, &str); 2] = [
    ("data_source_id", "ID of the data source", "data_source_id"),
    (
        "data_source_arn",
        "ARN of the data source",
        "data_source_arn",
    ),
];

/// Renders the module: `versions.tf`, `variables.tf`, `main.tf`, `outputs.tf` and
/// `README.md`.
pub fn render(unit: &Unit<'_>) -> Result<Vec<Artifact>, RenderError> {
    let header = unit.header();
    let variables = variables(unit);
    let outputs = outputs(unit);
    let main = Main {
        header: &header,
        data_sources: data_sources(unit),
        locals: aligned(locals(unit)),
        application_in_deploying_account: unit.references(Field::SourceAccount),
        roles: unit.members.iter().map(main_role).collect(),
    };
    let awscc = unit
        .members
        .iter()
        .any(|m| m.role.spec.data_source.is_some());
    let readme = Readme {
        header: &header,
        awscc,
        stacked: unit.stacked,
        heading: unit.folder,
        roles: unit
            .members
            .iter()
            .map(|member| ReadmeRole {
                name: member.names.role(),
                connector: &member.role.spec.connector.id,
                title: &member.role.spec.policies().title,
                page: &member.role.spec.policies().page,
                resource: member.names.terraform_resource(),
                arn_output: member.names.terraform(OUTPUTS[0].0),
                managed: member.role.managed_policy_description().is_some(),
                data_source: member.role.spec.data_source.is_some(),
            })
            .collect(),
        label: module_label(unit),
        usage: usage(unit),
        deployment: locals(unit),
        variables: &variables,
        outputs: &outputs,
    };
    let variables_tf = Variables {
        header: &header,
        variables: &variables,
    };
    let outputs_tf = Outputs {
        header: &header,
        outputs: &outputs,
    };
    let files = [
        (
            "versions.tf",
            run(
                &Versions {
                    header: &header,
                    awscc,
                },
                "versions.tf",
            )?,
        ),
        ("variables.tf", run(&variables_tf, "variables.tf")?),
        ("main.tf", run(&main, "main.tf")?),
        ("outputs.tf", run(&outputs_tf, "outputs.tf")?),
        ("README.md", run(&readme, "README.md")?),
    ];
    Ok(files
        .into_iter()
        .map(|(file, text)| unit.artifact(FOLDER, file, text))
        .collect())
}

#[derive(Template)]
#[template(path = "terraform/versions.tf", whitespace = "preserve")]
struct Versions<'a> {
    /// `the rds-mysql catalog entry`, for the header.
    header: &'a str,
    /// Whether a data source needs the Cloud Control provider.
    awscc: bool,
}

#[derive(Template)]
#[template(path = "terraform/variables.tf", whitespace = "preserve")]
struct Variables<'a> {
    header: &'a str,
    variables: &'a [Variable],
}

#[derive(Template)]
#[template(path = "terraform/main.tf", whitespace = "preserve")]
struct Main<'a> {
    header: &'a str,
    /// The `data` sources referenced, by type.
    data_sources: Vec<&'static str>,
    /// The deployment's values, names padded for alignment.
    locals: Vec<(String, String)>,
    /// Whether `source_account` is the deploying account, which deserves a word.
    application_in_deploying_account: bool,
    roles: Vec<MainRole>,
}

/// The two resources of one role.
struct MainRole {
    /// The resources' name: `this`, or the role's in a stack.
    resource: String,
    /// The role's one-line attributes (name, description, the properties the spec sets,
    /// tags), aligned, code.
    attributes: String,
    /// `jsonencode({...})`, code.
    trust_policy: String,
    /// The description of the customer-managed policy, when the permissions are one.
    managed_policy_description: Option<String>,
    /// The checkov checks skipped on the resource holding the permission policy.
    checkov_skips: Vec<&'static CheckovSkip>,
    policy_name: String,
    /// `jsonencode({...})`, code.
    permission_policy: String,
    /// The attributes of the data source that uses the role, when the spec declares one.
    data_source: Option<String>,
}

#[derive(Template)]
#[template(path = "terraform/outputs.tf", whitespace = "preserve")]
struct Outputs<'a> {
    header: &'a str,
    outputs: &'a [Output],
}

#[derive(Template)]
#[template(path = "terraform/README.md", whitespace = "preserve")]
struct Readme<'a> {
    header: &'a str,
    /// Whether the module needs the Cloud Control provider (for its data sources).
    awscc: bool,
    /// Whether the module holds a stack of roles.
    stacked: bool,
    /// The stack's name, for a stack's heading.
    heading: &'a str,
    roles: Vec<ReadmeRole<'a>>,
    /// The usage example's module label, code.
    label: String,
    /// A `module` block calling this module, code.
    usage: String,
    /// The open fields that are the deployment's, and the expression each is read from.
    deployment: Vec<(&'static str, &'static str)>,
    variables: &'a [Variable],
    outputs: &'a [Output],
}

/// What the README says of one role.
struct ReadmeRole<'a> {
    name: &'a str,
    connector: &'a str,
    title: &'a str,
    page: &'a str,
    /// The resources' name, code.
    resource: String,
    /// The output holding the role's ARN, code.
    arn_output: String,
    /// Whether the permission policy is a customer-managed policy (`aws_iam_policy`,
    /// attached), not an inline one (`aws_iam_role_policy`).
    managed: bool,
    /// Whether a data source uses the role.
    data_source: bool,
}

/// One `output` block.
struct Output {
    name: String,
    description: &'static str,
    /// The value, code.
    value: Expr<'static>,
}

impl Output {
    /// `value = ...`, aligned with `description` when it fits on one line, as
    /// `terraform fmt` aligns a run of one-line attributes.
    fn value_attribute(&self) -> String {
        let width = if self.value.is_one_line() {
            "description".len()
        } else {
            0
        };
        format!("{:width$} = {}", "value", self.value.code(1))
    }
}

/// The resources of one role.
fn main_role(member: &Member<'_>) -> MainRole {
    let (names, role) = (&member.names, &member.role);
    let idiom = Terraform(names);
    let properties = &role.spec.properties;
    let mut attributes: Vec<(Cow<str>, Expr)> = vec![
        (
            "name".into(),
            Expr::Code(match &role.spec.role_name {
                Some(name) => quoted(name),
                None => format!("var.{}", names.terraform("role_name")),
            }),
        ),
        (
            "description".into(),
            Expr::Code(quoted(&role.description())),
        ),
    ];
    let optional = [
        ("path", properties.path.as_deref().map(quoted)),
        (
            "permissions_boundary",
            properties.permissions_boundary.as_deref().map(quoted),
        ),
        (
            "max_session_duration",
            properties.max_session_duration.map(|s| s.to_string()),
        ),
    ];
    attributes.extend(
        optional
            .into_iter()
            .filter_map(|(key, code)| Some((key.into(), Expr::Code(code?)))),
    );
    let tags = Expr::Code("var.tags".to_owned());
    attributes.push((
        "tags".into(),
        if properties.tags.is_empty() {
            tags
        } else {
            let declared = properties
                .tags
                .iter()
                .map(|tag| (quoted(&tag.key).into(), Expr::Text(&tag.value)))
                .collect();
            Expr::Call("merge", vec![Expr::Object(declared), tags])
        },
    ));
    let mut attributes_code = String::new();
    write_attributes(&mut attributes_code, &attributes, 1);
    MainRole {
        resource: names.terraform_resource(),
        attributes: attributes_code,
        managed_policy_description: role.managed_policy_description(),
        checkov_skips: role.checkov_skips(),
        trust_policy: Expr::Call("jsonencode", vec![document(&role.trust_policy, idiom)]).code(1),
        policy_name: role.policy_name(),
        permission_policy: Expr::Call("jsonencode", vec![document(&role.permission_policy, idiom)])
            .code(1),
        data_source: data_source::attributes(member),
    }
}

/// Each role's outputs; in a stack, then the map of every role's ARN by its name.
fn outputs(unit: &Unit<'_>) -> Vec<Output> {
    let mut outputs: Vec<Output> = unit
        .members
        .iter()
        .flat_map(|member| {
            let resource = member.names.terraform_resource();
            let role = OUTPUTS.map(|(name, description, attribute)| Output {
                name: member.names.terraform(name),
                description,
                value: Expr::Code(format!("aws_iam_role.{resource}.{attribute}")),
            });
            let data_source = member
                .role
                .spec
                .data_source
                .as_ref()
                .map(|_| {
                    DATA_SOURCE_OUTPUTS.map(|(name, description, attribute)| Output {
                        name: member.names.terraform(name),
                        description,
                        value: Expr::Code(format!(
                            "{}.{resource}.{attribute}",
                            data_source::RESOURCE
                        )),
                    })
                })
                .into_iter()
                .flatten();
            role.into_iter().chain(data_source)
        })
        .collect();
    if unit.stacked {
        let arns = unit
            .members
            .iter()
            .map(|member| {
                let resource = member.names.terraform_resource();
                (
                    Cow::Owned(object_key(member.names.role()).into_owned()),
                    Expr::Code(format!("aws_iam_role.{resource}.arn")),
                )
            })
            .collect();
        outputs.push(Output {
            name: "role_arns".to_owned(),
            description: "ARN of each IAM role, by the role's name in the stack",
            value: Expr::Object(arns),
        });
    }
    outputs
}

/// The `data` sources the open deployment fields of any role need.
fn data_sources(unit: &Unit<'_>) -> Vec<&'static str> {
    let mut sources = Vec::new();
    if unit.references(Field::Partition) {
        sources.push("aws_partition");
    }
    if unit.references(Field::AccountId) || unit.references(Field::SourceAccount) {
        sources.push("aws_caller_identity");
    }
    if unit.references(Field::Region) {
        sources.push("aws_region");
    }
    sources
}

/// A local per open deployment field of any role: the deployment's partition, account and
/// region; the application's account defaults to the deploying account.
fn locals(unit: &Unit<'_>) -> Vec<(&'static str, &'static str)> {
    Field::ALL
        .into_iter()
        .filter(|field| unit.references(*field))
        .filter_map(|field| {
            let value = match field {
                Field::Partition => "data.aws_partition.current.partition",
                Field::AccountId | Field::SourceAccount => {
                    "data.aws_caller_identity.current.account_id"
                }
                // `id`, the Region's name in provider 5 and 6 alike (6 adds `region` and
                // deprecates `name`; 5 has no `region`).
                Field::Region => "data.aws_region.current.id",
                _ => return None,
            };
            Some((field.name(), value))
        })
        .collect()
}

/// Names padded so that `=` lines up, as `terraform fmt` aligns a run of attributes.
fn aligned(attributes: Vec<(&str, &str)>) -> Vec<(String, String)> {
    let width = attributes
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0);
    attributes
        .into_iter()
        .map(|(name, value)| (format!("{name:width$}"), value.to_owned()))
        .collect()
}

/// The usage example's module label: `orders_mysql_connector_role`, or
/// `data_sources_connector_roles` for a stack.
fn module_label(unit: &Unit<'_>) -> String {
    unit.package_name().replace('-', "_")
}

/// A `module` block calling this module with an example value for every input: `source`
/// alone, then the required inputs, then the optional ones, as terraform-aws-modules write
/// their examples.
fn usage(unit: &Unit<'_>) -> String {
    let mut required: Vec<(Cow<str>, Expr)> = Vec::new();
    let mut optional: Vec<(Cow<str>, Expr)> = Vec::new();
    for member in &unit.members {
        let (names, role) = (&member.names, &member.role);
        required.extend(role.parameters.iter().map(|field| {
            let example = Expr::Code(quoted(field.rule().example));
            let value = if field.is_list() {
                Expr::List(vec![example])
            } else {
                example
            };
            (names.terraform(field.name()).into(), value)
        }));
        if role.spec.role_name.is_none() {
            let derived = format!("QBusiness{}ConnectorRole", role.pascal_name());
            let name = if rules::matches(&ROLE_NAME, &derived).is_ok() {
                &derived
            } else {
                ROLE_NAME.example
            };
            optional.push((
                names.terraform("role_name").into(),
                Expr::Code(quoted(name)),
            ));
        }
    }
    let tags = vec![("Environment".into(), Expr::Code(quoted("production")))];
    optional.push(("tags".into(), Expr::Object(tags)));
    let mut out = format!(
        "module \"{}\" {{\n  source = \"./{FOLDER}\"\n",
        module_label(unit)
    );
    for group in [required, optional] {
        if !group.is_empty() {
            out.push('\n');
            write_attributes(&mut out, &group, 1);
        }
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{RoleSpec, fixtures};

    const FILES: [&str; 5] = [
        "versions.tf",
        "variables.tf",
        "main.tf",
        "outputs.tf",
        "README.md",
    ];

    fn files(spec: &RoleSpec) -> Vec<(String, String)> {
        let artifacts = render(&Unit::alone(spec)).unwrap();
        let paths: Vec<_> = artifacts.iter().map(|a| a.path.clone()).collect();
        let expected: Vec<_> = FILES
            .iter()
            .map(|file| format!("{}/terraform/{file}", spec.name))
            .collect();
        assert_eq!(paths, expected);
        artifacts
            .into_iter()
            .map(|a| (a.path.rsplit('/').next().unwrap().to_owned(), a.contents))
            .collect()
    }

    fn file<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
        &files.iter().find(|(file, _)| file == name).unwrap().1
    }

    #[test]
    fn default_spec_renders_the_module_with_everything_open() {
        let files = files(&RoleSpec::default_spec());
        let header = "# Generated by connector-roles from the rds-mysql catalog entry. \
                      Do not edit by hand; regenerate instead.\n";
        for (name, text) in &files {
            if name.ends_with(".tf") {
                assert!(text.starts_with(header), "{name} lacks the header:\n{text}");
            }
            assert!(
                text.ends_with("}\n") || name == "README.md",
                "{name} ends badly"
            );
            assert!(
                !text.contains(" \n") && !text.contains("\n\n\n"),
                "{name} has stray whitespace:\n{text}"
            );
        }
        let main = file(&files, "main.tf");
        assert!(
            !main.contains(".name\n"),
            "deprecated aws_region name:\n{main}"
        );
        let variables = file(&files, "variables.tf");
        for field in ["partition", "account_id", "region", "source_account"] {
            assert!(
                !variables.contains(&format!("variable \"{field}\"")),
                "{field} is the deployment's"
            );
        }
        let versions = file(&files, "versions.tf");
        assert!(versions.contains("  required_version = \">= 1.5\"\n"));
        assert!(
            versions
                .contains("      source  = \"hashicorp/aws\"\n      version = \">= 5.0, < 7.0\"\n")
        );
    }

    #[test]
    fn bound_spec_writes_values_and_keeps_only_what_is_open() {
        let spec = fixtures::bound(|_| {});
        let files = files(&spec);
        let main = file(&files, "main.tf");
        for unexpected in [
            "data \"aws_region\"",
            "local.region",
            "local.account_id",
            "${var.",
            "[for",
            "concat(",
        ] {
            assert!(
                !main.contains(unexpected),
                "main.tf has {unexpected:?}:\n{main}"
            );
        }
        let variables = file(&files, "variables.tf");
        let names: Vec<_> = variables
            .lines()
            .filter_map(|line| line.strip_prefix("variable \"")?.split('"').next())
            .collect();
        assert_eq!(names, ["role_name", "tags"]);
    }

    #[test]
    fn all_bound_needs_no_data_sources_locals_or_role_name_variable() {
        let spec = fixtures::bound(|spec| {
            spec["role_name"] = "OrdersRole".into();
            spec["values"]["partition"] = "aws".into();
            spec["values"]["source_account"] = "444455556666".into();
        });
        let files = files(&spec);
        let main = file(&files, "main.tf");
        for unexpected in ["data \"", "locals {", "local.", "var.role_name"] {
            assert!(
                !main.contains(unexpected),
                "main.tf has {unexpected:?}:\n{main}"
            );
        }
        assert!(main.contains("  name        = \"OrdersRole\"\n"), "{main}");
        assert!(
            main.contains("\"aws:SourceAccount\" = \"444455556666\"\n"),
            "{main}"
        );
        assert!(!file(&files, "variables.tf").contains("variable \"role_name\""));
    }

    #[test]
    fn output_is_deterministic() {
        let spec = RoleSpec::default_spec();
        assert_eq!(files(&spec), files(&spec));
    }
}
