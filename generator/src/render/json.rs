//! The two policy documents as JSON, for the console and `aws iam create-role`, and the
//! role's own properties as `create-role`'s input.
//!
//! Bound values are substituted; open ones stay the documentation's placeholders.
//! `role.json` holds the `CreateRole` parameters the spec decides (`RoleName` when bound,
//! `Description`, `Path`, `PermissionsBoundary`, `MaxSessionDuration`, `Tags`), for
//! `aws iam create-role --cli-input-json file://role.json --assume-role-policy-document
//! file://trust-policy.json`; the permission policy then goes in with `put-role-policy`, or,
//! for a spec with `"policy": "managed"`, with `create-policy` and `attach-role-policy`.

use serde_json::{Map, Value, json};

use super::names::Unit;
use super::view::{self, ItemView};
use super::{Artifact, json_file};
use crate::field::Field;
use crate::interp::Idiom;
use crate::model::{OneOrMany, PolicyDocument};
use crate::role::RoleModel;

/// Renders `policy/permission-policy.json`, `policy/trust-policy.json` and
/// `policy/role.json` for a role alone, the same under `policy/NAME/` for each role of a
/// stack.
pub fn render(unit: &Unit<'_>) -> Vec<Artifact> {
    unit.members
        .iter()
        .flat_map(|member| {
            let folder = member.names.policy_folder();
            let role = &member.role;
            [
                ("permission-policy.json", document(&role.permission_policy)),
                ("trust-policy.json", document(&role.trust_policy)),
                ("role.json", create_role(role)),
            ]
            .map(|(file, json)| unit.artifact(&folder, file, json_file(&json)))
        })
        .collect()
}

/// The `CreateRole` parameters the spec decides, keys and shapes as the API takes them.
fn create_role(role: &RoleModel<'_>) -> Value {
    let properties = &role.spec.properties;
    let mut object = Map::new();
    if let Some(name) = &role.spec.role_name {
        object.insert("RoleName".into(), json!(name));
    }
    object.insert("Description".into(), json!(role.description()));
    if let Some(path) = &properties.path {
        object.insert("Path".into(), json!(path));
    }
    if let Some(arn) = &properties.permissions_boundary {
        object.insert("PermissionsBoundary".into(), json!(arn));
    }
    if let Some(seconds) = properties.max_session_duration {
        object.insert("MaxSessionDuration".into(), json!(seconds));
    }
    if !properties.tags.is_empty() {
        let tags = properties
            .tags
            .iter()
            .map(|tag| json!({ "Key": tag.key, "Value": tag.value }))
            .collect();
        object.insert("Tags".into(), Value::Array(tags));
    }
    Value::Object(object)
}

/// Prints open references as the documentation's placeholders.
struct Documented;

impl Idiom for Documented {
    fn text(&self, out: &mut String, text: &str) {
        out.push_str(text);
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.push_str(field.placeholder());
    }
}

/// A policy document as AWS writes it, keys in AWS's order, open values as placeholders.
pub fn document(policy: &PolicyDocument) -> Value {
    document_with(policy, &Documented, 1)
}

/// A policy document with strings printed by `idiom` and each one-per-element resource or
/// condition value of an open list written `elements` times.
pub(crate) fn document_with(policy: &PolicyDocument, idiom: &impl Idiom, elements: usize) -> Value {
    let statements = view::statements(policy, idiom)
        .into_iter()
        .map(|statement| {
            let mut object = Map::new();
            if let Some(sid) = &statement.sid {
                object.insert("Sid".into(), json!(sid));
            }
            object.insert("Effect".into(), json!(statement.effect));
            if let Some(service) = &statement.principal_service {
                object.insert("Principal".into(), json!({ "Service": service }));
            }
            object.insert(
                "Action".into(),
                one_or_many(statement.actions.map(|a| json!(a))),
            );
            if let Some(resources) = &statement.resources {
                object.insert("Resource".into(), items(resources, elements));
            }
            if !statement.conditions.is_empty() {
                let operators = statement.conditions.into_iter().map(|operator| {
                    let keys = operator
                        .keys
                        .into_iter()
                        .map(|(key, values)| (key, items(&values, elements)));
                    (operator.operator, Value::Object(keys.collect()))
                });
                object.insert("Condition".into(), Value::Object(operators.collect()));
            }
            Value::Object(object)
        })
        .collect::<Vec<_>>();
    json!({ "Version": policy.version, "Statement": statements })
}

/// A `Resource` or a condition's values, each item over an open list written `elements`
/// times.
fn items(items: &OneOrMany<ItemView>, elements: usize) -> Value {
    let times = |item: &ItemView| if item.is_each() { elements } else { 1 };
    match items {
        OneOrMany::Many(items) => Value::Array(
            items
                .iter()
                .flat_map(|item| std::iter::repeat_n(json!(item.code()), times(item)))
                .collect(),
        ),
        OneOrMany::One(item) => json!(item.code()),
    }
}

fn one_or_many(values: OneOrMany<Value>) -> Value {
    match values {
        OneOrMany::One(value) => value,
        OneOrMany::Many(values) => Value::Array(values),
    }
}
