//! The CloudFormation YAML template.
//!
//! Open values become `Parameters` with `AllowedPattern`; open account, region and
//! partition are the pseudo parameters. Strings with references are `!Sub` strings.
//!
//! CloudFormation cannot map over a list, and `Fn::Join` takes only a literal delimiter, so
//! an open list (subnets, security groups) becomes a fixed number of slots: slot `k` selects
//! element `k` of the list padded with empty elements, and is guarded by a condition that the
//! element is not empty. [`MAX_ELEMENTS`] is that number; the parameter's description says it.

use askama::Template;

use super::escape::{Yaml, escaped};
use super::view::{self, ResourceView, StatementView};
use super::{Artifact, run};
use crate::field::Field;
use crate::interp::{Idiom, Interp, Piece};
use crate::model::OneOrMany;
use crate::role::RoleModel;
use crate::rules::ROLE_NAME;

/// How many elements of an open list parameter the template turns into ARNs.
pub const MAX_ELEMENTS: usize = 8;

/// The name of the `!Sub` variable that holds one list element.
const ELEMENT: &str = "Element";

#[derive(Template)]
#[template(path = "cloudformation/template.yaml", whitespace = "preserve")]
struct TemplateYaml<'a> {
    connector: &'a str,
    description: String,
    parameters: Vec<Parameter>,
    groups: Vec<(&'static str, Vec<String>)>,
    conditions: Vec<(String, String)>,
    role_name: Option<String>,
    role_name_parameter: bool,
    policy_name: String,
    trust: Vec<StatementView>,
    permission: Vec<StatementView>,
}

struct Parameter {
    name: String,
    kind: &'static str,
    description: String,
    pattern: Option<String>,
    constraint: String,
    default: Option<&'static str>,
}

/// Prints strings as `!Sub` content: `${` in text is written `${!`, references are pseudo
/// parameters or parameter names, and one list element is the `${Element}` variable.
struct Cfn;

impl Idiom for Cfn {
    fn text(&self, out: &mut String, text: &str) {
        out.push_str(&text.replace("${", "${!"));
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.push_str("${");
        out.push_str(&match field {
            Field::Partition => "AWS::Partition".to_owned(),
            Field::AccountId | Field::SourceAccount => "AWS::AccountId".to_owned(),
            Field::Region => "AWS::Region".to_owned(),
            field if field.is_list() => ELEMENT.to_owned(),
            field => field.pascal_name(),
        });
        out.push('}');
    }

    /// A literal is a quoted string, anything else a `!Sub`. A string over one list element
    /// is only the quoted `!Sub` content: the renderer pairs it with the element's variable.
    fn expression(&self, interp: &Interp) -> String {
        match (interp.as_literal(), interp.pieces()) {
            (Some(text), _) => quoted(text),
            (None, [Piece::Ref(field)]) if !field.is_list() => {
                let mut reference = String::new();
                self.reference(&mut reference, *field);
                format!("!Ref {}", &reference[2..reference.len() - 1])
            }
            (None, _) if interp.list_field().is_some() => quoted(&interp.render(self)),
            (None, _) => format!("!Sub {}", quoted(&interp.render(self))),
        }
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", escaped(Yaml, text))
}

/// Renders `cloudformation/template.yaml`.
pub fn render(role: &RoleModel<'_>) -> Result<Vec<Artifact>, RenderError> {
    let mut conditions = Vec::new();
    let mut permission = view::statements(&role.permission_policy, &Cfn);
    for statement in &mut permission {
        expand_lists(statement, &mut conditions);
    }
    let role_name_parameter = role.spec.role_name.is_none();
    if role_name_parameter {
        conditions.insert(
            0,
            (
                "HasRoleName".to_owned(),
                "!Not [!Equals [!Ref RoleName, \"\"]]".to_owned(),
            ),
        );
    }
    let mut parameters: Vec<Parameter> = role
        .parameters
        .iter()
        .map(|field| parameter(*field))
        .collect();
    if role_name_parameter {
        parameters.push(Parameter {
            name: "RoleName".into(),
            kind: "String",
            description: "Name of the IAM role; leave empty to let CloudFormation name it".into(),
            pattern: Some(format!("^$|{}", ROLE_NAME.pattern)),
            constraint: format!("{} (or empty)", ROLE_NAME.description),
            default: Some(""),
        });
    }
    let groups = groups(&parameters);
    let template = TemplateYaml {
        connector: &role.spec.connector.id,
        description: role.description(),
        parameters,
        groups,
        conditions,
        role_name: role.spec.role_name.clone(),
        role_name_parameter,
        policy_name: role.policy_name(),
        trust: view::statements(&role.trust_policy, &Cfn),
        permission,
    };
    let file = "template.yaml";
    Ok(vec![Artifact::new(
        role,
        "cloudformation",
        file,
        run(&template, file)?,
    )])
}

fn parameter(field: Field) -> Parameter {
    let rule = field.rule();
    let (kind, pattern, description) = match field {
        Field::SubnetIds => (
            "List<AWS::EC2::Subnet::Id>",
            None,
            format!("{} (1 to {MAX_ELEMENTS})", field.description()),
        ),
        Field::SecurityGroupIds => (
            "List<AWS::EC2::SecurityGroup::Id>",
            None,
            format!("{} (1 to {MAX_ELEMENTS})", field.description()),
        ),
        _ => (
            "String",
            Some(rule.pattern.to_owned()),
            field.description().to_owned(),
        ),
    };
    Parameter {
        name: field.pascal_name(),
        kind,
        description,
        pattern,
        constraint: format!("{} (for example {})", rule.description, rule.example),
        default: None,
    }
}

/// The console's parameter groups, each listing the parameters present.
fn groups(parameters: &[Parameter]) -> Vec<(&'static str, Vec<String>)> {
    const GROUPS: [(&str, &[&str]); 4] = [
        ("Amazon Q Business", &["ApplicationId", "IndexId"]),
        (
            "Data source credentials",
            &["InputBucketName", "SecretId", "KeyId"],
        ),
        ("Amazon VPC", &["SubnetIds", "SecurityGroupIds"]),
        ("IAM role", &["RoleName"]),
    ];
    GROUPS
        .into_iter()
        .map(|(label, names)| {
            let present = names
                .iter()
                .filter(|name| parameters.iter().any(|p| p.name == **name))
                .map(|name| (*name).to_owned())
                .collect();
            (label, present)
        })
        .filter(|(_, names): &(_, Vec<String>)| !names.is_empty())
        .collect()
}

/// Replaces each one-per-element resource by [`MAX_ELEMENTS`] slots, adding the conditions
/// that guard slots after the first.
fn expand_lists(statement: &mut StatementView, conditions: &mut Vec<(String, String)>) {
    let Some(OneOrMany::Many(resources)) = &mut statement.resources else {
        return;
    };
    let mut expanded = Vec::with_capacity(resources.len());
    for resource in resources.drain(..) {
        let ResourceView::Each(field, content) = resource else {
            expanded.push(resource);
            continue;
        };
        let list = field.pascal_name();
        for slot in 0..MAX_ELEMENTS {
            let element = if slot == 0 {
                format!("!Select [0, !Ref {list}]")
            } else {
                format!(
                    "!Select [{slot}, !Split [\",\", !Sub [\"${{List}}{}\", {{List: !Join [\",\", !Ref {list}]}}]]]",
                    ",".repeat(MAX_ELEMENTS - 1)
                )
            };
            let arn = format!("!Sub [{content}, {{{ELEMENT}: {element}}}]");
            if slot == 0 {
                expanded.push(ResourceView::One(arn));
            } else {
                let condition = format!("Has{list}{}", slot + 1);
                if !conditions.iter().any(|(name, _)| *name == condition) {
                    conditions.push((
                        condition.clone(),
                        format!("!Not [!Equals [{element}, \"\"]]"),
                    ));
                }
                expanded.push(ResourceView::One(format!(
                    "!If [{condition}, {arn}, !Ref AWS::NoValue]"
                )));
            }
        }
    }
    *resources = expanded;
}

use crate::error::RenderError;
