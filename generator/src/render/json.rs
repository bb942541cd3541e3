//! The two policy documents as JSON, for the console and `aws iam create-role`, and the
//! role's own properties as `create-role`'s input.
//!
//! Bound values are substituted; open ones stay the documentation's placeholders.
//! `role.json` holds the `CreateRole` parameters the spec decides (`RoleName` when bound,
//! `Description`, `Path`, `PermissionsBoundary`, `MaxSessionDuration`, `Tags`), for
//! `aws iam create-role --cli-input-json file://role.json --assume-role-policy-document
//! file://trust-policy.json`; the permission policy then goes in with `put-role-policy`, or,
//! for a spec with `"policy": "managed"`, with `create-policy` and `attach-role-policy`.
//! A spec with a data source also gets `create-data-source.json`, the `CreateDataSource`
//! input for `aws qbusiness create-data-source --cli-input-json`, naming the role by its ARN.

use serde_json::{Map, Value, json};

use super::names::Unit;
use super::{Artifact, json_file};
use crate::model::field::Field;
use crate::model::interp::Interp;
use crate::model::policy::{Part, PolicyDocument};
use crate::model::tree::{self, Documented, Json, Key, Node};
use crate::spec::data_source::DataSourceSpec;
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
            let data_source = role.spec.data_source.as_ref().map(|data_source| {
                (
                    "create-data-source.json",
                    create_data_source(role, data_source),
                )
            });
            [
                (
                    "permission-policy.json",
                    document_file(&role.permission_policy),
                ),
                ("trust-policy.json", document_file(&role.trust_policy)),
                ("role.json", json_file(&create_role(role))),
            ]
            .into_iter()
            .chain(data_source)
            .map(|(file, text)| unit.artifact(&folder, file, text))
            .collect::<Vec<_>>()
        })
        .collect()
}

/// The `CreateDataSource` input: open values as the documentation's placeholders, the role
/// by the ARN IAM gives it (`{{role_name}}` where the deployment names the role). Printed
/// from the configuration's tree, as the policy documents are.
fn create_data_source(role: &RoleModel<'_>, data_source: &DataSourceSpec) -> String {
    let spec = role.spec;
    let resolved = role
        .data_source()
        .expect("a role model resolves its spec's data source");
    let path = spec.properties.path.as_deref().unwrap_or("/");
    let name = spec.role_name.as_deref().unwrap_or("{{role_name}}");
    let application = resolved.application_id.render(&Documented);
    let index = resolved.index_id.render(&Documented);
    let role_arn = format!(
        "{}{path}{name}",
        Interp::parse("arn:{{partition}}:iam::{{account_id}}:role")
            .bind(|f| spec.scalar(f))
            .render(&Documented)
    );
    let mut object = vec![
        (Key::Grammar("applicationId"), Node::Text(&application)),
        (Key::Grammar("indexId"), Node::Text(&index)),
        (
            Key::Grammar("displayName"),
            Node::Text(&data_source.display_name),
        ),
    ];
    if let Some(description) = &data_source.description {
        object.push((Key::Grammar("description"), Node::Text(description)));
    }
    object.push((Key::Grammar("roleArn"), Node::Text(&role_arn)));
    if let Some(schedule) = &data_source.sync_schedule {
        object.push((Key::Grammar("syncSchedule"), Node::Text(schedule)));
    }
    if spec.parts.contains(&Part::Vpc) {
        let list = |field: Field| {
            Node::List(match spec.list(field) {
                Some(values) => values.iter().map(|v| Node::Text(v)).collect(),
                None => vec![Node::Text(field.placeholder())],
            })
        };
        object.push((
            Key::Grammar("vpcConfiguration"),
            Node::Object(vec![
                (Key::Grammar("subnetIds"), list(Field::SubnetIds)),
                (
                    Key::Grammar("securityGroupIds"),
                    list(Field::SecurityGroupIds),
                ),
            ]),
        ));
    }
    if !data_source.tags.is_empty() {
        let tags = data_source
            .tags
            .iter()
            .map(|tag| {
                Node::Object(vec![
                    (Key::Grammar("key"), Node::Text(&tag.key)),
                    (Key::Grammar("value"), Node::Text(&tag.value)),
                ])
            })
            .collect();
        object.push((Key::Grammar("tags"), Node::List(tags)));
    }
    object.push((Key::Grammar("configuration"), resolved.configuration.node()));
    let mut text = Json::new(&Node::Object(object), &Documented, 1).pretty();
    text.push('\n');
    text
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
