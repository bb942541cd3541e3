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
use super::names::{Member, Names, Unit};
use super::{Artifact, run};
use crate::error::RenderError;
use crate::model::catalog::CheckovSkip;
use crate::model::field::Field;
use crate::model::interp::{Idiom, Interp, Piece};
use crate::model::tree::{self, Key, Node};
use crate::model::view::ItemView;
use crate::spec::properties::RoleProperties;
use crate::spec::rules::ROLE_NAME;

pub use crate::model::field::MAX_ELEMENTS;

/// The name of the `!Sub` variable that holds one list element.
const ELEMENT: &str = "Element";

#[derive(Template)]
#[template(path = "cloudformation/template.yaml", whitespace = "preserve")]
struct TemplateYaml<'a> {
    source: String,
    description: String,
    parameters: Vec<Parameter>,
    groups: Vec<(String, Vec<String>)>,
    conditions: Vec<(String, String)>,
    roles: Vec<RoleYaml<'a>>,
}

/// An `AWS::IAM::ManagedPolicy` attached to one role.
struct ManagedPolicyYaml {
    logical_id: String,
    description: String,
}

/// One `AWS::IAM::Role` resource and its outputs.
struct RoleYaml<'a> {
    /// The logical ID: `Role` alone, `OrdersMysqlRole` in a stack.
    logical_id: String,
    /// The `RoleName` value, code: the bound name quoted, or `!If` over the parameter.
    role_name: String,
    description: String,
    /// Path, tags, boundary and session length, printed when set.
    properties: &'a RoleProperties,
    /// The customer-managed policy holding the permissions, when the spec asks for one;
    /// otherwise they are the role's inline policy.
    managed_policy: Option<ManagedPolicyYaml>,
    /// The checkov checks skipped on the resource holding the permission policy.
    checkov_skips: Vec<&'static CheckovSkip>,
    policy_name: String,
    /// The trust policy document, as YAML lines (each after a newline) under its key.
    trust: String,
    /// The permission policy document, the same, indented for where it goes.
    permission: String,
    /// The outputs' logical IDs.
    arn_output: String,
    name_output: String,
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
/// parameters or the role's parameter names, and one list element is the `${Element}`
/// variable.
struct Cfn<'a>(&'a Names);

impl Idiom for Cfn<'_> {
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
            field => self.0.logical_id(&field.pascal_name()),
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

/// Renders `cloudformation/template.yaml`: one template holding every role of the unit.
/// Parameters, conditions and outputs follow the order of the roles; the console's
/// parameter groups are by topic for a role alone and one per role in a stack.
pub fn render(unit: &Unit<'_>) -> Result<Vec<Artifact>, RenderError> {
    let mut parameters = Vec::new();
    let mut conditions = Vec::new();
    let mut groups = Vec::new();
    let mut roles = Vec::new();
    for member in &unit.members {
        let first = parameters.len();
        roles.push(role(member, &mut parameters, &mut conditions));
        let names: Vec<String> = parameters[first..].iter().map(|p| p.name.clone()).collect();
        if !names.is_empty() {
            groups.push((member.names.role().to_owned(), names));
        }
    }
    if !unit.stacked {
        groups = topic_groups(&parameters);
    }
    let template = TemplateYaml {
        source: unit.source(),
        description: unit.description.clone(),
        parameters,
        groups,
        conditions,
        roles,
    };
    let file = "template.yaml";
    Ok(vec![unit.artifact(
        "cloudformation",
        file,
        run(&template, file)?,
    )])
}

/// The role's resource; its parameters and conditions are appended to the template's.
fn role<'a>(
    member: &'a Member<'_>,
    parameters: &mut Vec<Parameter>,
    conditions: &mut Vec<(String, String)>,
) -> RoleYaml<'a> {
    let (names, role) = (&member.names, &member.role);
    let idiom = Cfn(names);
    let mut permission = tree::document(&role.permission_policy, &idiom);
    let mut list_conditions = Vec::new();
    expand_lists(&mut permission, names, &mut list_conditions);
    parameters.extend(role.parameters.iter().map(|field| parameter(*field, names)));
    let role_name = match &role.spec.role_name {
        Some(name) => quoted(name),
        None => {
            let parameter = names.logical_id("RoleName");
            let condition = names.logical_id("HasRoleName");
            conditions.push((
                condition.clone(),
                format!("!Not [!Equals [!Ref {parameter}, \"\"]]"),
            ));
            parameters.push(Parameter {
                name: parameter.clone(),
                kind: "String",
                description: "Name of the IAM role; leave empty to let CloudFormation name it"
                    .into(),
                pattern: Some(format!("^$|{}", ROLE_NAME.pattern)),
                constraint: format!("{} (or empty)", ROLE_NAME.description),
                default: Some(""),
            });
            format!("!If [{condition}, !Ref {parameter}, !Ref AWS::NoValue]")
        }
    };
    conditions.extend(list_conditions);
    RoleYaml {
        logical_id: names.logical_id("Role"),
        role_name,
        description: role.description(),
        properties: &role.spec.properties,
        managed_policy: role
            .managed_policy_description()
            .map(|description| ManagedPolicyYaml {
                logical_id: names.logical_id("PermissionPolicy"),
                description,
            }),
        checkov_skips: role.checkov_skips(),
        policy_name: role.policy_name(),
        trust: yaml(&tree::document(&role.trust_policy, &idiom), 8),
        // Under the managed policy's `PolicyDocument`, or the inline policy's, two levels
        // deeper.
        permission: yaml(
            &permission,
            if role.managed_policy_description().is_some() {
                8
            } else {
                12
            },
        ),
        arn_output: names.logical_id("RoleArn"),
        name_output: names.logical_id("RoleName"),
    }
}

fn parameter(field: Field, names: &Names) -> Parameter {
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
        name: names.logical_id(&field.pascal_name()),
        kind,
        description,
        pattern,
        constraint: format!("{} (for example {})", rule.description, rule.example),
        default: None,
    }
}

/// The console's parameter groups for a role alone, by topic, each listing the parameters
/// present.
fn topic_groups(parameters: &[Parameter]) -> Vec<(String, Vec<String>)> {
    const GROUPS: [(&str, &[&str]); 6] = [
        ("Amazon Q Business", &["ApplicationId", "IndexId"]),
        ("Amazon Kendra", &["KendraIndexId"]),
        ("Data source", &["BucketName"]),
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
            (label.to_owned(), present)
        })
        .filter(|(_, names): &(_, Vec<String>)| !names.is_empty())
        .collect()
}

/// Replaces each one-per-element resource or condition value by [`MAX_ELEMENTS`] slots,
/// adding the conditions that guard slots after the first.
fn expand_lists(node: &mut Node, names: &Names, conditions: &mut Vec<(String, String)>) {
    if node.items().iter().any(Node::is_each) {
        let items = std::mem::replace(node, Node::List(Vec::new()));
        *node = Node::List(expand_items(items.items(), names, conditions));
        return;
    }
    match node {
        Node::List(items) => items
            .iter_mut()
            .for_each(|item| expand_lists(item, names, conditions)),
        Node::Object(entries) => entries
            .iter_mut()
            .for_each(|(_, value)| expand_lists(value, names, conditions)),
        Node::Text(_) | Node::Item(_) => {}
    }
}

/// `items` with each item over an open list replaced by its slots.
fn expand_items(
    items: &[Node],
    names: &Names,
    conditions: &mut Vec<(String, String)>,
) -> Vec<Node> {
    let mut expanded = Vec::with_capacity(items.len() * MAX_ELEMENTS);
    for item in items {
        let Node::Item(ItemView::Each(field, content)) = item else {
            expanded.push(item.clone());
            continue;
        };
        let list = names.logical_id(&field.pascal_name());
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
                expanded.push(Node::Item(ItemView::One(arn)));
            } else {
                let condition =
                    names.logical_id(&format!("Has{}{}", field.pascal_name(), slot + 1));
                if !conditions.iter().any(|(name, _)| *name == condition) {
                    conditions.push((
                        condition.clone(),
                        format!("!Not [!Equals [{element}, \"\"]]"),
                    ));
                }
                expanded.push(Node::Item(ItemView::One(format!(
                    "!If [{condition}, {arn}, !Ref AWS::NoValue]"
                ))));
            }
        }
    }
    expanded
}

/// `node`, an object or a list, as YAML block lines at `indent`, each after a newline (the
/// template joins its lines so). Text is quoted and escaped; code is written as it is; the
/// policy language's keys are bare, the documentation's (condition operators and keys)
/// quoted.
fn yaml(node: &Node, indent: usize) -> String {
    let mut out = String::new();
    yaml_block(&mut out, node, indent);
    out
}

fn yaml_block(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Object(entries) => yaml_entries(out, entries, indent, true),
        Node::List(items) => {
            for item in items {
                yaml_line(out, indent);
                out.push_str("- ");
                match item {
                    // The first key follows the dash; the others line up under it.
                    Node::Object(entries) => yaml_entries(out, entries, indent + 2, false),
                    other => yaml_value(out, other, indent + 2),
                }
            }
        }
        scalar => yaml_value(out, scalar, indent),
    }
}

/// An object's entries at `indent`, each on a line of its own but the first when it follows
/// a list's dash.
fn yaml_entries(out: &mut String, entries: &[(Key, Node)], indent: usize, first_on_new_line: bool) {
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 || first_on_new_line {
            yaml_line(out, indent);
        }
        yaml_entry(out, key, value, indent);
    }
}

/// `key:` and its value: a scalar after it, a block on the lines below.
fn yaml_entry(out: &mut String, key: &Key, value: &Node, indent: usize) {
    match key {
        Key::Grammar(key) => out.push_str(key),
        Key::Data(key) => out.push_str(&quoted(key)),
    }
    out.push(':');
    match value {
        Node::List(items) if items.is_empty() => out.push_str(" []"),
        Node::Object(entries) if entries.is_empty() => out.push_str(" {}"),
        Node::List(_) | Node::Object(_) => yaml_block(out, value, indent + 2),
        scalar => {
            out.push(' ');
            yaml_value(out, scalar, indent);
        }
    }
}

/// A value where it stands: text quoted, code as it is, a block on the lines below.
fn yaml_value(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Text(text) => out.push_str(&quoted(text)),
        Node::Item(item) => out.push_str(item.code()),
        block => yaml_block(out, block, indent),
    }
}

/// A new line at `indent`.
fn yaml_line(out: &mut String, indent: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', indent));
}
