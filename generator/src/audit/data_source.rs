//! The data sources a CloudFormation template creates for the audited role's connector,
//! checked against the role as found: each must use the role, name only a secret the role may
//! read, run only in subnets and security groups the role may create network interfaces in,
//! and follow the connector's documented configuration schema.
//!
//! A data source is the connector's when its configuration's `type` is the connector's
//! documented one; data sources of other connectors in the same template are left alone.

use serde_json::Value;

use super::finding::{Finding, FindingKind, PolicyKind};
use super::grant::{Grant, Text};
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
}

/// Every finding of the connector's data sources among `found`, against the role's
/// `permission` grants.
pub fn findings(spec: &RoleSpec, found: &[DataSourceFound], permission: &[Grant]) -> Vec<Finding> {
    let Some(schema) = data_source::find(&spec.connector.id) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for source in found
        .iter()
        .filter(|s| s.configuration.get("type").and_then(Value::as_str) == Some(&schema.type_value))
    {
        let mut finding = |kind: FindingKind, found: Vec<String>, message: String| {
            findings.push(Finding {
                policy: PolicyKind::DataSource,
                statement: source.id.clone(),
                kind,
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
        for violation in schema.violations(&source.configuration) {
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

/// The secret ARNs the configuration names, each with its JSON pointer.
fn secrets(schema: &DataSourceSchema, configuration: &Value) -> Vec<(String, String)> {
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
