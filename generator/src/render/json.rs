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
use super::{Artifact, json_file};
use crate::model::policy::PolicyDocument;
use crate::model::tree::{self, Json};
use crate::spec::role::RoleModel;

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
                (
                    "permission-policy.json",
                    document_file(&role.permission_policy),
                ),
                ("trust-policy.json", document_file(&role.trust_policy)),
                ("role.json", json_file(&create_role(role))),
            ]
            .map(|(file, text)| unit.artifact(&folder, file, text))
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

/// A policy document's file: pretty-printed JSON ending with a newline, serialized from the
/// tree without building a JSON value first.
fn document_file(policy: &PolicyDocument) -> String {
    let node = tree::document(policy);
    let mut text = Json::new(&node, &tree::Documented, 1).pretty();
    text.push('\n');
    text
}
