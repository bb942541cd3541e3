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

use super::escape::{self, Yaml, quote_into, spaces};
use super::names::{Member, Names, Unit};
use super::{Artifact, run};
use crate::error::RenderError;
use crate::model::catalog::CheckovSkip;
use crate::model::field::Field;
use crate::model::interp::{Idiom, Interp, Piece};
use crate::model::policy::{Item, Part};
use crate::model::tree::{self, Key, Node};
use crate::spec::properties::RoleProperties;
use crate::spec::rules::ROLE_NAME;

pub use crate::model::field::MAX_ELEMENTS;

/// The name of the `!Sub` variable that holds one list element.
const ELEMENT: &str = "Element";

#[derive(Template)]
#[template(path = "cloudformation/template.yaml", whitespace = "preserve")]
struct TemplateYaml<'a> {
    header: String,
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
    /// The data source that uses the role, when the spec declares one.
    data_source: Option<DataSourceYaml>,
}

/// One `AWS::QBusiness::DataSource` wired to its role: each value code of the template.
struct DataSourceYaml {
    logical_id: String,
    /// The managed policy it waits for; an inline policy is created with the role.
    depends_on: Option<String>,
    application_id: String,
    index_id: String,
    display_name: String,
    description: Option<String>,
    sync_schedule: Option<String>,
    /// `SubnetIds` and `SecurityGroupIds`, when the role runs in a VPC.
    vpc: Option<(String, String)>,
    /// Each tag's key and value, quoted.
    tags: Vec<(String, String)>,
    /// The configuration, as YAML lines under its key.
    configuration: String,
    id_output: String,
    arn_output: String,
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
#[derive(Clone, Copy)]
struct Cfn<'a>(&'a Names);

impl Idiom for Cfn<'_> {
    fn text(&self, out: &mut String, text: &str) {
        let mut pieces = text.split("${");
        out.push_str(pieces.next().unwrap_or_default());
        for piece in pieces {
            out.push_str("${!");
            out.push_str(piece);
        }
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.push_str("${");
        self.name(out, field);
        out.push('}');
    }

    /// A literal is a quoted string, anything else a `!Sub`. A string over one list element
    /// is only the quoted `!Sub` content: the renderer pairs it with the element's variable.
    fn write_expression(&self, out: &mut String, interp: &Interp) {
        match (interp.as_literal(), interp.pieces()) {
            (Some(text), _) => quote_into(out, Yaml, text),
            (None, [Piece::Ref(field)]) if !field.is_list() => {
                out.push_str("!Ref ");
                self.name(out, *field);
            }
            (None, _) => {
                if interp.list_field().is_none() {
                    out.push_str("!Sub ");
                }
                quote_into(out, Yaml, &interp.render(self));
            }
        }
    }
}

impl Cfn<'_> {
    /// `interp` as one value of the template: a quoted literal, a `!Ref` or a `!Sub`.
    fn expression_of(&self, interp: &Interp) -> String {
        let mut out = String::new();
        self.write_expression(&mut out, interp);
        out
    }

    /// The name `!Ref` and `${}` use for an open field: a pseudo parameter, the role's
    /// parameter, or the list element's variable.
    fn name(&self, out: &mut String, field: Field) {
        match field {
            Field::Partition => out.push_str("AWS::Partition"),
            Field::AccountId | Field::SourceAccount => out.push_str("AWS::AccountId"),
            Field::Region => out.push_str("AWS::Region"),
            field if field.is_list() => out.push_str(ELEMENT),
            field => out.push_str(&self.0.logical_id(field.pascal_name())),
        }
    }
}

/// `text` as a quoted string literal.
fn quoted(text: &str) -> String {
    escape::quoted(Yaml, text)
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
        header: unit.header(),
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
    let (permission, trust) = (
        tree::document(&role.permission_policy),
        tree::document(&role.trust_policy),
    );
    let mut list_conditions = Vec::new();
    slot_conditions(&permission, names, &mut list_conditions);
    slot_conditions(&trust, names, &mut list_conditions);
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
        trust: yaml(&trust, idiom, 8),
        // Under the managed policy's `PolicyDocument`, or the inline policy's, two levels
        // deeper.
        permission: yaml(
            &permission,
            idiom,
            if role.managed_policy_description().is_some() {
                8
            } else {
                12
            },
        ),
        arn_output: names.logical_id("RoleArn"),
        name_output: names.logical_id("RoleName"),
        data_source: data_source(member, idiom),
    }
}

/// The data source of the member's spec, if it declares one.
fn data_source(member: &Member<'_>, idiom: Cfn<'_>) -> Option<DataSourceYaml> {
    let (names, spec) = (&member.names, member.role.spec);
    let declared = spec.data_source.as_ref()?;
    let resolved = member.role.data_source()?;
    let list = |field: Field| match spec.list(field) {
        Some(values) => format!(
            "[{}]",
            values
                .iter()
                .map(|v| quoted(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("!Ref {}", names.logical_id(field.pascal_name())),
    };
    Some(DataSourceYaml {
        logical_id: names.logical_id("DataSource"),
        depends_on: member
            .role
            .managed_policy_description()
            .map(|_| names.logical_id("PermissionPolicy")),
        application_id: idiom.expression_of(&resolved.application_id),
        index_id: idiom.expression_of(&resolved.index_id),
        display_name: quoted(&declared.display_name),
        description: declared.description.as_deref().map(quoted),
        sync_schedule: declared.sync_schedule.as_deref().map(quoted),
        vpc: spec
            .parts
            .contains(&Part::Vpc)
            .then(|| (list(Field::SubnetIds), list(Field::SecurityGroupIds))),
        tags: declared
            .tags
            .iter()
            .map(|tag| (quoted(&tag.key), quoted(&tag.value)))
            .collect(),
        configuration: yaml(&resolved.configuration.node(), idiom, 8),
        id_output: names.logical_id("DataSourceId"),
        arn_output: names.logical_id("DataSourceArn"),
    })
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
        name: names.logical_id(field.pascal_name()),
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

/// Adds the conditions that guard the slots after the first of each resource or condition
/// value over an open list in `node`, once each, in the order the template uses them.
fn slot_conditions(node: &Node, names: &Names, conditions: &mut Vec<(String, String)>) {
    match node {
        Node::Item(Item::Each(field, _)) => {
            let list = names.logical_id(field.pascal_name());
            for slot in 1..MAX_ELEMENTS {
                let condition = slot_condition(names, *field, slot);
                if !conditions.iter().any(|(name, _)| *name == condition) {
                    let element = slot_element(&list, slot);
                    conditions.push((condition, format!("!Not [!Equals [{element}, \"\"]]")));
                }
            }
        }
        Node::List(items) => items
            .iter()
            .for_each(|item| slot_conditions(item, names, conditions)),
        Node::Object(entries) => entries
            .iter()
            .for_each(|(_, value)| slot_conditions(value, names, conditions)),
        Node::Text(_) | Node::Item(_) | Node::Literal(_) => {}
    }
}

/// The condition that is true when the list parameter of `field` has an element at `slot`.
fn slot_condition(names: &Names, field: Field, slot: usize) -> String {
    names.logical_id(&format!("Has{}{}", field.pascal_name(), slot + 1))
}

/// The element at `slot` of the list parameter `list`: `!Select` of the list, or for later
/// slots of the list padded with empty elements (a missing element is empty, not an error).
fn slot_element(list: &str, slot: usize) -> String {
    if slot == 0 {
        format!("!Select [0, !Ref {list}]")
    } else {
        format!(
            "!Select [{slot}, !Split [\",\", !Sub [\"${{List}}{}\", {{List: !Join [\",\", !Ref {list}]}}]]]",
            ",".repeat(MAX_ELEMENTS - 1)
        )
    }
}

/// Prints a policy tree as YAML block lines, each after a newline (the template joins its
/// lines so). Text is quoted and escaped; items are code of [`Cfn`]'s idiom, an item over
/// an open list one slot a line ([`MAX_ELEMENTS`] of them, the later ones guarded by
/// [`slot_conditions`]); the policy language's keys are bare, the documentation's (condition
/// operators and keys) quoted.
struct YamlPrinter<'a> {
    out: String,
    idiom: Cfn<'a>,
}

/// `node`, an object or a list, as YAML block lines at `indent`.
fn yaml(node: &Node, idiom: Cfn<'_>, indent: usize) -> String {
    let mut printer = YamlPrinter {
        out: String::with_capacity(4096),
        idiom,
    };
    printer.block(node, indent);
    printer.out
}

impl YamlPrinter<'_> {
    fn block(&mut self, node: &Node, indent: usize) {
        match node {
            Node::Object(entries) => self.entries(entries, indent, true),
            Node::List(items) => self.list(items, indent),
            scalar => self.value(scalar, indent),
        }
    }

    /// A list's items at `indent`, one a line after a dash; an item over an open list is its
    /// slots.
    fn list(&mut self, items: &[Node], indent: usize) {
        for item in items {
            if let Node::Item(Item::Each(field, interp)) = item {
                self.slots(*field, interp, indent);
                continue;
            }
            self.line(indent);
            self.out.push_str("- ");
            match item {
                // The first key follows the dash; the others line up under it.
                Node::Object(entries) => self.entries(entries, indent + 2, false),
                other => self.value(other, indent + 2),
            }
        }
    }

    /// One list item per slot of the open list `field`, each the `!Sub` of `interp` with the
    /// slot's element.
    fn slots(&mut self, field: Field, interp: &Interp, indent: usize) {
        let names = self.idiom.0;
        let content = self.idiom.expression(interp);
        let list = names.logical_id(field.pascal_name());
        for slot in 0..MAX_ELEMENTS {
            self.line(indent);
            let arn = format!(
                "!Sub [{content}, {{{ELEMENT}: {}}}]",
                slot_element(&list, slot)
            );
            if slot == 0 {
                self.out.push_str("- ");
                self.out.push_str(&arn);
            } else {
                let condition = slot_condition(names, field, slot);
                self.out
                    .push_str(&format!("- !If [{condition}, {arn}, !Ref AWS::NoValue]"));
            }
        }
    }

    /// An object's entries at `indent`, each on a line of its own but the first when it
    /// follows a list's dash.
    fn entries(&mut self, entries: &[(Key, Node)], indent: usize, first_on_new_line: bool) {
        for (i, (key, value)) in entries.iter().enumerate() {
            if i > 0 || first_on_new_line {
                self.line(indent);
            }
            self.entry(*key, value, indent);
        }
    }

    /// `key:` and its value: a scalar after it, a block on the lines below.
    fn entry(&mut self, key: Key, value: &Node, indent: usize) {
        match key {
            Key::Grammar(key) => self.out.push_str(key),
            Key::Data(key) => quote_into(&mut self.out, Yaml, key),
        }
        self.out.push(':');
        match value {
            Node::List(items) if items.is_empty() => self.out.push_str(" []"),
            Node::Object(entries) if entries.is_empty() => self.out.push_str(" {}"),
            Node::List(items) => self.list(items, indent + 2),
            Node::Object(_) => self.block(value, indent + 2),
            each if each.is_each() => self.list(each.items(), indent + 2),
            scalar => {
                self.out.push(' ');
                self.value(scalar, indent);
            }
        }
    }

    /// A value where it stands: text quoted, an item as code, a block on the lines below.
    fn value(&mut self, node: &Node, indent: usize) {
        match node {
            Node::Text(text) => quote_into(&mut self.out, Yaml, text),
            Node::Item(item) => self.idiom.write_expression(&mut self.out, item.interp()),
            Node::Literal(value) => self.out.push_str(&value.to_string()),
            block => self.block(block, indent),
        }
    }

    /// A new line at `indent`.
    fn line(&mut self, indent: usize) {
        self.out.push('\n');
        spaces(&mut self.out, indent);
    }
}
