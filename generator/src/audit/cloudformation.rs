//! A role read from a CloudFormation template (YAML or JSON): its `AssumeRolePolicyDocument`,
//! its inline `Policies`, and the `AWS::IAM::Policy`, `AWS::IAM::RolePolicy` and
//! `AWS::IAM::ManagedPolicy` resources of the template attached to it, every expression
//! evaluated with the spec's values ([`intrinsics`](super::intrinsics)); and the template's
//! data sources ([`data_source`](super::data_source)).
//!
//! A template parameter is known when it is named as connector-roles names it: the field's
//! PascalCase name (`ApplicationId`), after the role's prefix in a stack
//! (`OrdersMysqlApplicationId` for role `OrdersMysqlRole`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::data_source::{DataSourceFound, key_arn, secret_pointers};
use super::grant::{list, read_document, unresolved_what};
use super::intrinsics::{Evaluator, Identity};
use super::{AuditError, Candidate, Found, Wanted};
use crate::model::field::Field;
use crate::spec::{Bound, RoleSpec};

const ROLE: &str = "AWS::IAM::Role";
const DATA_SOURCE: &str = "AWS::QBusiness::DataSource";
/// The resource types that attach a policy to roles, with the property naming them.
const ATTACHING: [(&str, &str); 3] = [
    ("AWS::IAM::Policy", "Roles"),
    ("AWS::IAM::ManagedPolicy", "Roles"),
    ("AWS::IAM::RolePolicy", "RoleName"),
];

/// Reads the role of `template` that `wanted` chooses ([`super::choose`]), every expression
/// evaluated with the spec's values, the parameters' `Default`s and the `overrides`
/// (`--parameter`, which win).
pub fn read(
    template: &Value,
    file: &str,
    spec: &RoleSpec,
    wanted: Wanted<'_>,
    overrides: &[(String, String)],
) -> Result<Found, AuditError> {
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .ok_or_else(|| AuditError::unreadable(file, "a template needs Resources"))?;
    let roles: Vec<(&String, &Value)> = resources
        .iter()
        .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(ROLE))
        .collect();
    let known = identities(resources, spec);
    let evaluator = |id: Option<&str>| {
        Evaluator::new(
            template,
            pseudo(spec),
            parameters(template, spec, id, overrides),
        )
        .with_resources(known.clone())
    };
    // A role's name as the template gives it, without the spec's role name.
    let unbound = evaluator(None);
    let candidates: Vec<Candidate> = roles
        .iter()
        .map(|(id, resource)| {
            let name = resource
                .pointer("/Properties/RoleName")
                .and_then(|name| unbound.eval(name).as_str().map(str::to_owned));
            let trust = resource
                .pointer("/Properties/AssumeRolePolicyDocument")
                .map(|trust| unbound.eval(trust));
            Candidate {
                label: (*id).clone(),
                name,
                trusts: trust.is_some_and(|trust| {
                    read_document(&trust, "a trust policy")
                        .is_ok_and(|grants| super::trusts(&grants, wanted.services))
                }),
            }
        })
        .collect();
    let (chosen, how) = super::choose(file, &candidates, wanted)?;
    let (id, resource) = roles[chosen];
    let evaluator = evaluator(Some(id));
    let properties = evaluator.eval(resource.get("Properties").unwrap_or(&Value::Null));
    let mut found = Found::new(format!("{id} of {file} ({how})"));
    if let Some(trust) = properties.get("AssumeRolePolicyDocument") {
        found.trust = Some(
            read_document(trust, &format!("the trust policy of {id}"))
                .map_err(|e| AuditError::unreadable(file, e))?,
        );
    }
    let mut permission = Vec::new();
    for policy in list(&properties, "/Policies") {
        let name = policy
            .get("PolicyName")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)");
        let document = policy.get("PolicyDocument").unwrap_or(&Value::Null);
        permission.extend(
            read_document(document, &format!("policy {name} of {id}"))
                .map_err(|e| AuditError::unreadable(file, e))?,
        );
    }
    let mut attached = Vec::new();
    for (other, resource) in resources {
        let kind = resource
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some((_, property)) = ATTACHING.iter().find(|(t, _)| *t == kind) else {
            continue;
        };
        let names = resource
            .pointer(&format!("/Properties/{property}"))
            .cloned()
            .unwrap_or(Value::Null);
        if refers_to(&names, id) {
            attached.push(other.as_str());
            let document = evaluator.eval(
                resource
                    .pointer("/Properties/PolicyDocument")
                    .unwrap_or(&Value::Null),
            );
            permission.extend(
                read_document(&document, &format!("{kind} {other}"))
                    .map_err(|e| AuditError::unreadable(file, e))?,
            );
        }
    }
    for arn in list(resource, "/Properties/ManagedPolicyArns") {
        let in_template = arn
            .get("Ref")
            .and_then(Value::as_str)
            .filter(|r| resources.contains_key(*r));
        match in_template {
            Some(policy) if attached.contains(&policy) => {}
            Some(policy) => {
                let document = evaluator.eval(
                    resources[policy]
                        .pointer("/Properties/PolicyDocument")
                        .unwrap_or(&Value::Null),
                );
                permission.extend(
                    read_document(&document, &format!("managed policy {policy}"))
                        .map_err(|e| AuditError::unreadable(file, e))?,
                );
            }
            None => found.unverified.push(format!(
                "managed policy {} is attached; its statements are not in {file}",
                shown(&evaluator.eval(arn))
            )),
        }
    }
    found.permission = Some(permission);
    let role_name = properties
        .get("RoleName")
        .and_then(Value::as_str)
        .map(str::to_owned);
    found.data_sources = resources
        .iter()
        .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(DATA_SOURCE))
        .map(|(other, resource)| data_source(other, resource, id, role_name.as_deref(), &evaluator))
        .collect();
    for source in &mut found.data_sources {
        let raw = &resources[&source.id]["Properties"]["Configuration"];
        for pointer in secret_pointers(spec) {
            match secret_key(raw.pointer(&pointer), resources, spec, &evaluator) {
                Some(Ok(key)) => source.secret_keys.push((pointer, key)),
                Some(Err(what)) => found.unverified.push(format!(
                    "the KMS key of the secret {} names (configuration {pointer}) is {what}, which {file} does not resolve",
                    source.id
                )),
                None => {}
            }
        }
    }
    Ok(found)
}

/// The ARN of the KMS key of the secret `value` names when it is a `Ref` to an
/// `AWS::SecretsManager::Secret` of the template with a `KmsKeyId`; what the key is, in
/// words, when it does not resolve to a key.
fn secret_key(
    value: Option<&Value>,
    resources: &serde_json::Map<String, Value>,
    spec: &RoleSpec,
    evaluator: &Evaluator<'_>,
) -> Option<Result<String, String>> {
    let secret = value?.get("Ref")?.as_str()?;
    let resource = resources.get(secret)?;
    if resource.get("Type").and_then(Value::as_str) != Some("AWS::SecretsManager::Secret") {
        return None;
    }
    let key = evaluator.eval(resource.pointer("/Properties/KmsKeyId")?);
    // The template's secret is in the stack's partition, Region and account: the spec's.
    let place = [Field::Partition, Field::Region, Field::AccountId]
        .map(|field| spec.scalar(field).unwrap_or_default());
    Some(
        key.as_str()
            .and_then(|key| key_arn(key, place))
            .ok_or_else(|| shown(&key)),
    )
}

/// A data source of the template, its properties evaluated, and whether its `RoleArn` is the
/// role `role` (named `role_name`, when the template names it).
fn data_source(
    id: &str,
    resource: &Value,
    role: &str,
    role_name: Option<&str>,
    evaluator: &Evaluator<'_>,
) -> DataSourceFound {
    let raw = resource
        .pointer("/Properties/RoleArn")
        .unwrap_or(&Value::Null);
    let properties = evaluator.eval(resource.get("Properties").unwrap_or(&Value::Null));
    let role_arn = properties.get("RoleArn").cloned().unwrap_or(Value::Null);
    let attribute = match raw.get("Fn::GetAtt") {
        Some(Value::Array(pair)) => pair
            .first()
            .and_then(Value::as_str)
            .zip(pair.get(1).and_then(Value::as_str)),
        _ => None,
    };
    let uses_role = match (attribute, role_arn.as_str(), role_name) {
        (Some((resource, "Arn")), _, _) => Some(resource == role),
        (_, Some(arn), Some(name)) => {
            Some(arn.contains(":role/") && arn.ends_with(&format!("/{name}")))
        }
        _ => None,
    };
    let ids = |key: &str| -> Vec<String> {
        list(&properties, &format!("/VpcConfiguration/{key}"))
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    DataSourceFound {
        id: id.to_owned(),
        uses_role,
        role_arn: match attribute {
            Some((resource, attribute)) => format!("!GetAtt {resource}.{attribute}"),
            None => shown(&role_arn),
        },
        configuration: properties
            .get("Configuration")
            .cloned()
            .unwrap_or(Value::Null),
        subnets: ids("SubnetIds"),
        security_groups: ids("SecurityGroupIds"),
        secret_keys: Vec::new(),
    }
}

/// An evaluated value in words: a string as it is, an unresolved one as what it stands for.
fn shown(value: &Value) -> String {
    value
        .as_str()
        .or_else(|| unresolved_what(value))
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// Whether `names` (a `Roles` list or a `RoleName`) refers to the role `id`.
fn refers_to(names: &Value, id: &str) -> bool {
    match names {
        Value::Array(items) => items.iter().any(|item| refers_to(item, id)),
        Value::Object(_) => names.get("Ref").and_then(Value::as_str) == Some(id),
        _ => false,
    }
}

/// The pseudo parameters the spec gives: the deployment's partition, account and region are
/// the role's.
fn pseudo(spec: &RoleSpec) -> BTreeMap<&'static str, String> {
    [
        ("AWS::Partition", Field::Partition),
        ("AWS::AccountId", Field::AccountId),
        ("AWS::Region", Field::Region),
    ]
    .into_iter()
    .filter_map(|(name, field)| spec.scalar(field).map(|value| (name, value.to_owned())))
    .chain(std::iter::once(("AWS::URLSuffix", url_suffix(spec))))
    .collect()
}

/// `amazonaws.com`, or `amazonaws.com.cn` in China.
fn url_suffix(spec: &RoleSpec) -> String {
    match spec.scalar(Field::Partition) {
        Some("aws-cn") => "amazonaws.com.cn".to_owned(),
        _ => "amazonaws.com".to_owned(),
    }
}

/// What the template's resources are whose identity the spec gives: the one
/// `AWS::QBusiness::Application` is the spec's application, the one `AWS::QBusiness::Index`
/// its index, the one `AWS::SecretsManager::Secret` its secret and the one `AWS::KMS::Key` its
/// key. A type the template holds several of is left unresolved: which one is the spec's is
/// not said.
fn identities(
    resources: &serde_json::Map<String, Value>,
    spec: &RoleSpec,
) -> BTreeMap<String, Identity> {
    let value = |field| spec.scalar(field).map(str::to_owned);
    let (Some(partition), Some(region), Some(account)) = (
        value(Field::Partition),
        value(Field::Region),
        value(Field::AccountId),
    ) else {
        return BTreeMap::new();
    };
    let arn =
        |service: &str, rest: &str| format!("arn:{partition}:{service}:{region}:{account}:{rest}");
    let application = value(Field::ApplicationId);
    let mut known = BTreeMap::new();
    let kinds: [(&str, Option<Identity>); 4] = [
        (
            "AWS::QBusiness::Application",
            application.clone().map(|app| Identity {
                reference: Some(app.clone()),
                attributes: BTreeMap::from([
                    (
                        "ApplicationArn",
                        arn("qbusiness", &format!("application/{app}")),
                    ),
                    ("ApplicationId", app),
                ]),
            }),
        ),
        (
            "AWS::QBusiness::Index",
            application
                .zip(value(Field::IndexId))
                .map(|(app, index)| Identity {
                    reference: Some(format!("{app}|{index}")),
                    attributes: BTreeMap::from([
                        (
                            "IndexArn",
                            arn("qbusiness", &format!("application/{app}/index/{index}")),
                        ),
                        ("IndexId", index),
                    ]),
                }),
        ),
        (
            "AWS::SecretsManager::Secret",
            value(Field::SecretId).map(|secret| {
                let secret_arn = arn("secretsmanager", &format!("secret:{secret}"));
                Identity {
                    reference: Some(secret_arn.clone()),
                    attributes: BTreeMap::from([("Id", secret_arn)]),
                }
            }),
        ),
        (
            "AWS::KMS::Key",
            value(Field::KeyId).map(|key| Identity {
                reference: Some(key.clone()),
                attributes: BTreeMap::from([
                    ("Arn", arn("kms", &format!("key/{key}"))),
                    ("KeyId", key),
                ]),
            }),
        ),
    ];
    for (kind, identity) in kinds {
        let Some(identity) = identity else { continue };
        let mut of_kind = resources
            .iter()
            .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(kind));
        if let (Some((id, resource)), None) = (of_kind.next(), of_kind.next())
            && names_the_spec_secret(kind, resource, spec)
        {
            known.insert(id.clone(), identity);
        }
    }
    known
}

/// Whether `resource` of type `kind` can be the spec's: a secret whose literal `Name` is
/// not the name of the spec's `secret_id` (its name before Secrets Manager's `-` and six
/// characters) is another secret; every other resource can be.
fn names_the_spec_secret(kind: &str, resource: &Value, spec: &RoleSpec) -> bool {
    let name = resource.pointer("/Properties/Name").and_then(Value::as_str);
    match (kind, name, spec.scalar(Field::SecretId)) {
        ("AWS::SecretsManager::Secret", Some(name), Some(secret)) => secret
            .strip_prefix(name)
            .is_some_and(|suffix| suffix.len() == 7 && suffix.starts_with('-')),
        _ => true,
    }
}

/// The template's parameters with a value: its `Default`, the spec's value for a parameter
/// named after a field (and, for the role `role`, its `RoleName` parameter), and the
/// `overrides`, which win. A list parameter's value is a list.
fn parameters(
    template: &Value,
    spec: &RoleSpec,
    role: Option<&str>,
    overrides: &[(String, String)],
) -> BTreeMap<String, Value> {
    let prefix = role
        .and_then(|role| role.strip_suffix("Role"))
        .unwrap_or_default();
    let Some(declared) = template.get("Parameters").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    declared
        .iter()
        .filter_map(|(name, parameter)| {
            let is_list = parameter
                .get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
            let text = |text: &str| {
                if is_list {
                    Value::from(text.split(',').map(str::trim).collect::<Vec<_>>())
                } else {
                    Value::String(text.to_owned())
                }
            };
            if let Some((_, value)) = overrides.iter().rev().find(|(n, _)| n == name) {
                return Some((name.clone(), text(value)));
            }
            let bare = name.strip_prefix(prefix).unwrap_or(name);
            let from_spec = match Field::ALL.into_iter().find(|f| f.pascal_name() == bare) {
                Some(field) => spec.values.get(&field).map(|bound| match bound {
                    Bound::One(value) => Value::String(value.clone()),
                    Bound::List(values) => Value::from(values.clone()),
                }),
                None if bare == "RoleName" && role.is_some() => {
                    spec.role_name.clone().map(Value::String)
                }
                None => None,
            };
            let default = || match parameter.get("Default")? {
                Value::String(value) => Some(text(value)),
                Value::Number(number) => Some(Value::String(number.to_string())),
                _ => None,
            };
            from_spec
                .or_else(default)
                .map(|value| (name.clone(), value))
        })
        .collect()
}
