//! The two policy documents as JSON, for the console and `aws iam create-role`.
//!
//! Bound values are substituted; open ones stay the documentation's placeholders.

use serde_json::{Map, Value, json};

use super::{Artifact, json_file};
use crate::interp::Interp;
use crate::model::{OneOrMany, PolicyDocument, Resource};
use crate::role::RoleModel;

/// Renders `policy/permission-policy.json` and `policy/trust-policy.json`.
pub fn render(role: &RoleModel<'_>) -> Vec<Artifact> {
    [
        ("permission-policy.json", &role.permission_policy),
        ("trust-policy.json", &role.trust_policy),
    ]
    .into_iter()
    .map(|(file, policy)| Artifact::new(role, "policy", file, json_file(&document(policy))))
    .collect()
}

/// A policy document as AWS writes it, keys in AWS's order, open values as placeholders.
pub fn document(policy: &PolicyDocument) -> Value {
    let statements = policy
        .statements
        .iter()
        .map(|statement| {
            let mut object = Map::new();
            object.insert("Sid".into(), json!(statement.sid));
            object.insert("Effect".into(), json!(statement.effect));
            if let Some(service) = &statement.principal_service {
                object.insert("Principal".into(), json!({ "Service": service }));
            }
            object.insert(
                "Action".into(),
                one_or_many(statement.actions.map(|a| Value::from(a.as_str()))),
            );
            if let Some(resources) = &statement.resources {
                let resources = resources.map(|resource| match resource {
                    Resource::One(interp) | Resource::Each(_, interp) => string(interp),
                });
                object.insert("Resource".into(), one_or_many(resources));
            }
            if !statement.conditions.is_empty() {
                let mut operators = Map::new();
                for condition in &statement.conditions {
                    let keys = operators
                        .entry(condition.operator.clone())
                        .or_insert_with(|| json!({}));
                    keys[&condition.key] = one_or_many(condition.values.map(string));
                }
                object.insert("Condition".into(), Value::Object(operators));
            }
            Value::Object(object)
        })
        .collect::<Vec<_>>();
    json!({ "Version": policy.version, "Statement": statements })
}

fn string(interp: &Interp) -> Value {
    Value::String(interp.documented())
}

fn one_or_many(values: OneOrMany<Value>) -> Value {
    match values {
        OneOrMany::One(value) => value,
        OneOrMany::Many(values) => Value::Array(values),
    }
}
