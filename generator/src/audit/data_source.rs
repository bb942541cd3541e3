//! The data sources a CloudFormation template or a Terraform state or plan creates for the
//! audited role's connector, checked against the role as found: each must use the role, name
//! only a secret the role may read (and, where the inputs say which KMS key encrypts it, a key
//! the role may decrypt with), run only in subnets and security groups the role may create
//! network interfaces in, and follow the connector's documented configuration schema.
//!
//! A data source is the connector's when its configuration's `type` is the type of one of the
//! connector's documented data source connectors (the original or the new generation); data
//! sources of other connectors in the same inputs are left alone.

use serde_json::Value;

use super::finding::{Finding, FindingKind, PolicyKind};
use super::grant::{Grant, Text, unresolved_what};
use super::pattern;
use crate::model::data_source::{self, DataSourceSchema};
use crate::model::field::Field;
use crate::spec::RoleSpec;

/// One `AWS::QBusiness::DataSource` of a template, its properties evaluated.
#[derive(Debug, Clone)]
pub struct DataSourceFound {
    /// Its logical ID.
    pub id: String,
    /// Whether its `RoleArn` is the audited role (`!GetAtt ROLE.Arn`, or the role's ARN);
    /// `None` when the template does not say.
    pub uses_role: Option<bool>,
    /// What its `RoleArn` is, in words.
    pub role_arn: String,
    /// Its `Configuration`, evaluated.
    pub configuration: Value,
    /// Its `VpcConfiguration`'s subnet IDs.
    pub subnets: Vec<String>,
    /// Its `VpcConfiguration`'s security group IDs.
    pub security_groups: Vec<String>,
    /// The KMS key of each secret field whose secret's key the inputs give: the field's
    /// JSON pointer (`/secretArn`) and the key's ARN.
    pub secret_keys: Vec<(String, String)>,
}

/// Every finding of the connector's data sources among `found`, against the role's
/// `permission` grants.
pub fn findings(spec: &RoleSpec, found: &[DataSourceFound], permission: &[Grant]) -> Vec<Finding> {
    let Some(documented) = data_source::find(&spec.connector.id) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for source in found {
        let type_value = source.configuration.get("type").and_then(Value::as_str);
        let Some(schema) = documented
            .all()
            .find(|schema| type_value == Some(&schema.type_value))
        else {
            continue;
        };
        let mut finding = |kind: FindingKind, found: Vec<String>, message: String| {
            findings.push(Finding {
                policy: PolicyKind::DataSource,
                statement: source.id.clone(),
                kind,
                severity: kind.severity(),
                documented: Vec::new(),
                found,
                message,
            });
        };
        match source.uses_role {
            Some(true) => {}
            Some(false) => finding(
                FindingKind::DataSourceRole,
                vec![source.role_arn.clone()],
                format!(
                    "uses the role {}, not the audited one: its connector's permissions are not the ones audited",
                    source.role_arn
                ),
            ),
            None => finding(
                FindingKind::Unresolved,
                vec![source.role_arn.clone()],
                format!(
                    "uses the role {}, which the template does not resolve",
                    source.role_arn
                ),
            ),
        }
        for (pointer, arn) in secrets(schema, &source.configuration) {
            if !allows(permission, "secretsmanager:GetSecretValue", &arn) {
                finding(
                    FindingKind::DataSourceSecret,
                    vec![arn.clone()],
                    format!(
                        "configuration {pointer} names the secret `{arn}`, which the role may not read (secretsmanager:GetSecretValue): the sync would end in AccessDenied"
                    ),
                );
            }
        }
        for (pointer, key) in &source.secret_keys {
            if !allows(permission, "kms:Decrypt", key) {
                finding(
                    FindingKind::DataSourceSecret,
                    vec![key.clone()],
                    format!(
                        "configuration {pointer} names a secret encrypted with the KMS key `{key}`, which the role may not decrypt with (kms:Decrypt): the sync would end in AccessDenied"
                    ),
                );
            }
        }
        let arn = |kind: &str, id: &str| {
            let value = |field| spec.scalar(field).unwrap_or_default();
            format!(
                "arn:{}:ec2:{}:{}:{kind}/{id}",
                value(Field::Partition),
                value(Field::Region),
                value(Field::AccountId)
            )
        };
        let network = source.subnets.iter().map(|id| arn("subnet", id)).chain(
            source
                .security_groups
                .iter()
                .map(|id| arn("security-group", id)),
        );
        for resource in network {
            if !allows(permission, "ec2:CreateNetworkInterface", &resource) {
                finding(
                    FindingKind::DataSourceNetwork,
                    vec![resource.clone()],
                    format!(
                        "runs in `{resource}`, where the role may not create network interfaces (ec2:CreateNetworkInterface)"
                    ),
                );
            }
        }
        let unresolved = unresolved_pointers(&source.configuration, "");
        for (pointer, what) in &unresolved {
            finding(
                FindingKind::Unresolved,
                vec![what.clone()],
                format!(
                    "configuration {pointer} is {what}: not checked against the role or the schema"
                ),
            );
        }
        let violations = schema.violations(&source.configuration);
        for violation in violations.iter().filter(|v| {
            !unresolved
                .iter()
                .any(|(p, _)| v.pointer == *p || v.pointer.starts_with(&format!("{p}/")))
        }) {
            finding(
                FindingKind::DataSourceConfiguration,
                vec![violation.pointer.clone()],
                format!(
                    "configuration {}: {} (the documented schema's {})",
                    if violation.pointer.is_empty() {
                        "/"
                    } else {
                        &violation.pointer
                    },
                    violation.message,
                    violation.schema_pointer
                ),
            );
        }
    }
    findings
}

/// The pointer (under `at`) of each value of `value` its reader could not resolve, with what
/// it stands for.
fn unresolved_pointers(value: &Value, at: &str) -> Vec<(String, String)> {
    if let Some(what) = unresolved_what(value) {
        return vec![(at.to_owned(), what.to_owned())];
    }
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, v)| unresolved_pointers(v, &format!("{at}/{}", escape(key))))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| unresolved_pointers(v, &format!("{at}/{i}")))
            .collect(),
        _ => Vec::new(),
    }
}

/// The JSON pointer of every secret field of the connector's data sources (of each of its
/// documented data source connectors).
pub fn secret_pointers(spec: &RoleSpec) -> Vec<String> {
    let mut pointers: Vec<String> = data_source::find(&spec.connector.id)
        .into_iter()
        .flat_map(DataSourceSchema::all)
        .flat_map(|schema| &schema.secret_fields)
        .map(|dotted| format!("/{}", dotted.replace('.', "/")))
        .collect();
    pointers.sort();
    pointers.dedup();
    pointers
}

/// Where a resource is: its partition, Region and account.
pub type Place<'a> = [&'a str; 3];

/// The partition, Region and account of `arn`.
pub fn place_of(arn: &str) -> Option<Place<'_>> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, _, region, account, _] => Some([partition, region, account]),
        _ => None,
    }
}

/// The ARN of the KMS key `key` (a key ARN, or a key ID at `place`, the secret's); `None`
/// for an alias, whose key the inputs do not say.
pub fn key_arn(key: &str, [partition, region, account]: Place<'_>) -> Option<String> {
    if key.starts_with("arn:") {
        return (!key.contains(":alias/")).then(|| key.to_owned());
    }
    if key.starts_with("alias/") {
        return None;
    }
    Some(format!("arn:{partition}:kms:{region}:{account}:key/{key}"))
}

/// The secret ARNs the configuration names, each with its JSON pointer.
pub fn secrets(schema: &DataSourceSchema, configuration: &Value) -> Vec<(String, String)> {
    schema
        .secret_fields
        .iter()
        .filter_map(|dotted| {
            let pointer = format!("/{}", dotted.replace('.', "/"));
            let arn = configuration.pointer(&pointer)?.as_str()?.to_owned();
            Some((pointer, arn))
        })
        .collect()
}

/// Whether an `Allow` grant without conditions on the resource allows `action` on
/// `resource` (a grant's conditions do not narrow which resources it names).
fn allows(grants: &[Grant], action: &str, resource: &str) -> bool {
    let any = |values: &[Text], text: &str, ignore_case: bool| {
        values
            .iter()
            .filter_map(Text::known)
            .any(|pattern| pattern::matches(pattern, text, ignore_case))
    };
    grants.iter().any(|grant| {
        grant.effect.known() == Some("Allow")
            && !grant.actions.negated
            && !grant.resources.negated
            && any(&grant.actions.values, action, true)
            && any(&grant.resources.values, resource, false)
    })
}
