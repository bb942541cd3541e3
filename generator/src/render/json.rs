//! The two policy documents as JSON, for the console and `aws iam create-role`.
//!
//! Bound values are substituted; open ones stay the documentation's placeholders.

use serde_json::{Map, Value, json};

use super::names::Unit;
use super::view::{self, ItemView};
use super::{Artifact, json_file};
use crate::field::Field;
use crate::interp::Idiom;
use crate::model::{OneOrMany, PolicyDocument};

/// Renders `policy/permission-policy.json` and `policy/trust-policy.json` for a role alone,
/// `policy/NAME/permission-policy.json` and `policy/NAME/trust-policy.json` for each role of
/// a stack.
pub fn render(unit: &Unit<'_>) -> Vec<Artifact> {
    unit.members
        .iter()
        .flat_map(|member| {
            let folder = member.names.policy_folder();
            [
                ("permission-policy.json", &member.role.permission_policy),
                ("trust-policy.json", &member.role.trust_policy),
            ]
            .map(|(file, policy)| unit.artifact(&folder, file, json_file(&document(policy))))
        })
        .collect()
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
