//! A role read from `terraform show -json`: of a state (`values`) or of a plan
//! (`planned_values`), in the root module and every child module.
//!
//! The role's trust policy is its `assume_role_policy`; its permission policies are its
//! `inline_policy` blocks, the `aws_iam_role_policy` resources naming it, and the
//! `aws_iam_policy` resources that an `aws_iam_role_policy_attachment` (or the role's
//! `managed_policy_arns`) attaches to it. A resource names the role by its name or, in a plan
//! where the name is known only after apply, by a reference in the plan's `configuration`.
//!
//! Its data sources are the `awscc_qbusiness_data_source` resources (the hashicorp/aws
//! provider has none), each with the KMS key of the secrets it names where an
//! `aws_secretsmanager_secret` of the same state gives it.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::data_source::{DataSourceFound, key_arn, place_of};
use super::grant::{Grant, list, read_document};
use super::{AuditError, Candidate, Found, Wanted};

/// The Cloud Control provider's data source resource.
const DATA_SOURCE: &str = "awscc_qbusiness_data_source";

/// A role resource type and the names of its attributes: hashicorp/aws's `aws_iam_role`, and
/// the Cloud Control provider's `awscc_iam_role` (what HashiCorp's own Amazon Q Business
/// examples use).
struct RoleType {
    kind: &'static str,
    name: &'static str,
    trust: &'static str,
    inline: &'static str,
    inline_name: &'static str,
    inline_policy: &'static str,
}

const ROLE_TYPES: [RoleType; 2] = [
    RoleType {
        kind: "aws_iam_role",
        name: "name",
        trust: "assume_role_policy",
        inline: "inline_policy",
        inline_name: "name",
        inline_policy: "policy",
    },
    RoleType {
        kind: "awscc_iam_role",
        name: "role_name",
        trust: "assume_role_policy_document",
        inline: "policies",
        inline_name: "policy_name",
        inline_policy: "policy_document",
    },
];

/// The attribute names of `resource`'s role type, if it is a role.
fn role_type(resource: &Resource<'_>) -> Option<&'static RoleType> {
    ROLE_TYPES.iter().find(|t| t.kind == resource.kind)
}

/// One resource of the state or plan.
struct Resource<'a> {
    /// `aws_iam_role.this`, `module.roles.aws_iam_role.this[0]`.
    address: String,
    kind: &'a str,
    values: &'a Value,
    /// The module address it is in: empty, or `module.roles.`.
    module: String,
}

impl Resource<'_> {
    fn value(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }
}

/// Reads the role of `show` output that `wanted` chooses ([`super::choose`]), and the data
/// sources, with the KMS key of the secret at each of `secret_pointers` where the state gives
/// it.
pub fn read(
    show: &Value,
    file: &str,
    wanted: Wanted<'_>,
    secret_pointers: &[String],
) -> Result<Found, AuditError> {
    let root = show
        .pointer("/values/root_module")
        .or_else(|| show.pointer("/planned_values/root_module"))
        .ok_or_else(|| AuditError::unreadable(file, "no values or planned_values in it"))?;
    let mut resources = Vec::new();
    collect(root, &mut resources);
    let roles: Vec<(&Resource, &RoleType)> = resources
        .iter()
        .filter_map(|r| Some((r, role_type(r)?)))
        .collect();
    let candidates: Vec<Candidate> = roles
        .iter()
        .map(|(role, attributes)| Candidate {
            label: role.address.clone(),
            name: role.value(attributes.name).map(str::to_owned),
            trusts: role.value(attributes.trust).is_some_and(|policy| {
                read_document(&Value::String(policy.to_owned()), "a trust policy")
                    .is_ok_and(|grants| super::trusts(&grants, wanted.services))
            }),
        })
        .collect();
    let (chosen, how) = super::choose(file, &candidates, wanted)?;
    let (role, attributes) = roles[chosen];
    let mut found = Found::new(format!("{} of {file} ({how})", role.address));
    let config = show.pointer("/configuration/root_module").map(index_config);
    let config = config.as_ref();
    let names_role = |resource: &Resource, key: &str| {
        let name = resource.value(key);
        name.is_some() && (name == role.value(attributes.name) || name == role.value("id"))
            || config.is_some_and(|config| {
                references(
                    config,
                    &resource.module,
                    &strip_index(&resource.address),
                    key,
                )
                .iter()
                .any(|r| strip_index(r) == strip_index(&role.address))
            })
    };
    match role.value(attributes.trust) {
        Some(policy) => {
            found.trust = Some(document(
                file,
                policy,
                &format!("the trust policy of {}", role.address),
            )?)
        }
        None => found.unverified.push(format!(
            "the trust policy of {} is known only after apply",
            role.address
        )),
    }
    let mut permission: Vec<Grant> = Vec::new();
    // Sets and indexes: a state with 20,000 attachments is read in linear time.
    let mut names: HashSet<String> = HashSet::new();
    for inline in list(role.values, &format!("/{}", attributes.inline)) {
        let name = inline
            .get(attributes.inline_name)
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Some(policy) = inline
            .get(attributes.inline_policy)
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
        {
            names.insert(name.to_owned());
            permission.extend(document(
                file,
                policy,
                &format!("inline policy {name} of {}", role.address),
            )?);
        }
    }
    for resource in resources.iter().filter(|r| r.kind == "aws_iam_role_policy") {
        if !names_role(resource, "role") {
            continue;
        }
        let name = resource.value("name").unwrap_or_default().to_owned();
        if names.contains(&name) {
            continue;
        }
        match resource.value("policy") {
            Some(policy) => permission.extend(document(file, policy, &resource.address)?),
            None => found
                .unverified
                .push(format!("{} is known only after apply", resource.address)),
        }
        names.insert(name);
    }
    // The first policy of each address and of each ARN, as a search in order would find it.
    let mut policies_by_address: HashMap<String, &Resource> = HashMap::new();
    let mut policies_by_arn: HashMap<&str, &Resource> = HashMap::new();
    for policy in resources.iter().filter(|p| p.kind == "aws_iam_policy") {
        policies_by_address
            .entry(strip_index(&policy.address))
            .or_insert(policy);
        if let Some(arn) = policy.value("arn").filter(|a| !a.is_empty()) {
            policies_by_arn.entry(arn).or_insert(policy);
        }
    }
    let mut arns: Vec<(String, Option<&Resource>)> = resources
        .iter()
        .filter(|r| r.kind == "aws_iam_role_policy_attachment" && names_role(r, "role"))
        .map(|r| {
            let referenced = config.and_then(|config| {
                let targets = references(config, &r.module, &strip_index(&r.address), "policy_arn");
                targets
                    .iter()
                    .find_map(|t| policies_by_address.get(&strip_index(t)).copied())
            });
            (
                r.value("policy_arn").unwrap_or_default().to_owned(),
                referenced,
            )
        })
        .collect();
    let mut known: HashSet<String> = arns.iter().map(|(arn, _)| arn.clone()).collect();
    for arn in list(role.values, "/managed_policy_arns") {
        if let Some(arn) = arn.as_str().filter(|a| known.insert((*a).to_owned())) {
            arns.push((arn.to_owned(), None));
        }
    }
    for (arn, referenced) in arns {
        let policy = referenced.or_else(|| policies_by_arn.get(arn.as_str()).copied());
        match policy.and_then(|p| p.value("policy").map(|text| (p, text))) {
            Some((p, text)) => permission.extend(document(file, text, &p.address)?),
            None => found.unverified.push(format!(
                "managed policy {} is attached; its statements are not in {file}",
                if arn.is_empty() {
                    "(known only after apply)"
                } else {
                    &arn
                }
            )),
        }
    }
    found.permission = Some(permission);
    let secrets: HashMap<&str, &str> = resources
        .iter()
        .filter(|r| r.kind == "aws_secretsmanager_secret")
        .filter_map(|r| Some((r.value("arn")?, r.value("kms_key_id")?)))
        .filter(|(_, key)| !key.is_empty())
        .collect();
    for resource in resources.iter().filter(|r| r.kind == DATA_SOURCE) {
        let Some(text) = resource.value("configuration") else {
            found.unverified.push(format!(
                "the configuration of {} is known only after apply",
                resource.address
            ));
            continue;
        };
        let configuration: Value = serde_json::from_str(text).map_err(|e| {
            AuditError::unreadable(file, format!("{}'s configuration: {e}", resource.address))
        })?;
        let role_arn = resource.value("role_arn");
        let uses_role = match (role_arn, role.value("arn")) {
            (Some(arn), Some(role_arn)) => Some(arn == role_arn),
            _ => config.and_then(|config| {
                let targets = references(
                    config,
                    &resource.module,
                    &strip_index(&resource.address),
                    "role_arn",
                );
                (!targets.is_empty()).then(|| {
                    targets
                        .iter()
                        .any(|t| strip_index(t) == strip_index(&role.address))
                })
            }),
        };
        let ids = |key: &str| -> Vec<String> {
            let vpc = resource.values.get("vpc_configuration");
            let vpc = vpc
                .and_then(|v| v.as_array().and_then(|a| a.first()))
                .or(vpc);
            vpc.map(|vpc| list(vpc, &format!("/{key}")))
                .into_iter()
                .flatten()
                .filter_map(|id| id.as_str().map(str::to_owned))
                .collect()
        };
        let mut secret_keys = Vec::new();
        for pointer in secret_pointers {
            let Some(arn) = configuration.pointer(pointer).and_then(Value::as_str) else {
                continue;
            };
            let Some(key) = secrets.get(arn) else {
                continue;
            };
            match place_of(arn).and_then(|place| key_arn(key, place)) {
                Some(key) => secret_keys.push((pointer.clone(), key)),
                None => found.unverified.push(format!(
                    "the secret {arn} is encrypted with the KMS key {key}, an alias whose key is not in {file}"
                )),
            }
        }
        found.data_sources.push(DataSourceFound {
            id: resource.address.clone(),
            uses_role,
            role_arn: role_arn.map_or_else(|| "(known only after apply)".to_owned(), str::to_owned),
            configuration,
            subnets: ids("subnet_ids"),
            security_groups: ids("security_group_ids"),
            secret_keys,
        });
    }
    Ok(found)
}

fn document(file: &str, policy: &str, origin: &str) -> Result<Vec<Grant>, AuditError> {
    read_document(&Value::String(policy.to_owned()), origin)
        .map_err(|e| AuditError::unreadable(file, e))
}

/// Every managed resource of `module` and its child modules.
fn collect<'a>(module: &'a Value, out: &mut Vec<Resource<'a>>) {
    let prefix = module
        .get("address")
        .and_then(Value::as_str)
        .map(|address| format!("{address}."))
        .unwrap_or_default();
    for resource in list(module, "/resources") {
        if resource.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        let (Some(address), Some(kind), Some(values)) = (
            resource.get("address").and_then(Value::as_str),
            resource.get("type").and_then(Value::as_str),
            resource.get("values"),
        ) else {
            continue;
        };
        out.push(Resource {
            address: address.to_owned(),
            kind,
            values,
            module: prefix.clone(),
        });
    }
    for child in list(module, "/child_modules") {
        collect(child, out);
    }
}

/// `aws_iam_role.this[0]` without its index: `aws_iam_role.this`; also for module instances.
fn strip_index(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Each resource of a plan's configuration by its absolute address without indexes
/// (`module.roles.aws_iam_role.this`), built once so that looking one up is not a search.
fn index_config(config: &Value) -> HashMap<String, &Value> {
    let mut index = HashMap::new();
    let mut modules = vec![(String::new(), config)];
    while let Some((prefix, module)) = modules.pop() {
        for resource in list(module, "/resources") {
            if let Some(address) = resource.get("address").and_then(Value::as_str) {
                index
                    .entry(format!("{prefix}{address}"))
                    .or_insert(resource);
            }
        }
        if let Some(calls) = module.get("module_calls").and_then(Value::as_object) {
            for (name, call) in calls {
                if let Some(inner) = call.get("module") {
                    modules.push((format!("{prefix}module.{name}."), inner));
                }
            }
        }
    }
    index
}

/// The resources the expression `key` of the resource at `address` (absolute, without
/// indexes, in the module at `module`) refers to, as absolute addresses, from a plan's
/// configuration (indexed by [`index_config`]).
fn references(
    config: &HashMap<String, &Value>,
    module: &str,
    address: &str,
    key: &str,
) -> Vec<String> {
    let module = strip_index(module);
    config
        .get(address)
        .into_iter()
        .flat_map(|r| list(r, &format!("/expressions/{key}/references")).cloned())
        .filter_map(|reference| reference.as_str().map(|r| format!("{module}{r}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The role named `role` by --role.
    fn named(role: &str) -> Wanted<'_> {
        Wanted {
            role: Some(role),
            role_name: None,
            services: &[],
        }
    }

    fn policy(action: &str) -> String {
        json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": action, "Resource": "*" }] })
            .to_string()
    }

    #[test]
    fn reads_a_state_with_inline_attached_and_module_policies() {
        let show = json!({
            "format_version": "1.0",
            "values": { "root_module": {
                "resources": [
                    { "address": "aws_iam_policy.extra", "mode": "managed", "type": "aws_iam_policy",
                      "values": { "arn": "arn:aws:iam::111122223333:policy/extra", "policy": policy("s3:ListBucket") } },
                    { "address": "aws_iam_role_policy_attachment.extra", "mode": "managed", "type": "aws_iam_role_policy_attachment",
                      "values": { "role": "r", "policy_arn": "arn:aws:iam::111122223333:policy/extra" } },
                    { "address": "aws_iam_role_policy_attachment.aws", "mode": "managed", "type": "aws_iam_role_policy_attachment",
                      "values": { "role": "r", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess" } }
                ],
                "child_modules": [{ "address": "module.roles", "resources": [
                    { "address": "module.roles.aws_iam_role.this", "mode": "managed", "type": "aws_iam_role",
                      "values": { "name": "r", "id": "r", "assume_role_policy": policy("sts:AssumeRole"),
                                  "inline_policy": [{ "name": "p", "policy": policy("s3:GetObject") }] } },
                    { "address": "module.roles.aws_iam_role_policy.this", "mode": "managed", "type": "aws_iam_role_policy",
                      "values": { "name": "p", "role": "r", "policy": policy("s3:GetObject") } }
                ] }]
            } }
        });
        let found = read(&show, "show.json", named("r"), &[]).unwrap();
        assert_eq!(
            found.role,
            "module.roles.aws_iam_role.this of show.json (chosen by --role r)"
        );
        assert_eq!(found.trust.unwrap().len(), 1);
        let actions: Vec<_> = found
            .permission
            .unwrap()
            .iter()
            .map(|g| g.actions.values[0].shown())
            .collect();
        assert_eq!(actions, ["s3:GetObject", "s3:ListBucket"]);
        assert_eq!(found.unverified.len(), 1, "{:?}", found.unverified);
    }

    #[test]
    fn a_plan_links_policies_to_a_role_named_after_apply() {
        let show = json!({
            "format_version": "1.2",
            "planned_values": { "root_module": { "resources": [
                { "address": "aws_iam_role.this", "mode": "managed", "type": "aws_iam_role",
                  "values": { "assume_role_policy": policy("sts:AssumeRole") } },
                { "address": "aws_iam_role_policy.this", "mode": "managed", "type": "aws_iam_role_policy",
                  "values": { "policy": policy("s3:GetObject") } }
            ] } },
            "configuration": { "root_module": { "resources": [
                { "address": "aws_iam_role_policy.this", "expressions": { "role": { "references": ["aws_iam_role.this.id", "aws_iam_role.this"] } } }
            ] } }
        });
        let found = read(&show, "plan.json", named("aws_iam_role.this"), &[]).unwrap();
        assert_eq!(found.permission.unwrap().len(), 1);
        assert_eq!(
            strip_index("module.a[0].aws_iam_role.this[\"x\"]"),
            "module.a.aws_iam_role.this"
        );
    }

    #[test]
    fn a_plans_data_source_uses_the_role_it_refers_to() {
        let show = json!({
            "format_version": "1.2",
            "planned_values": { "root_module": { "resources": [
                { "address": "aws_iam_role.this", "mode": "managed", "type": "aws_iam_role",
                  "values": { "assume_role_policy": policy("sts:AssumeRole") } },
                { "address": "awscc_qbusiness_data_source.this", "mode": "managed", "type": DATA_SOURCE,
                  "values": { "configuration": "{\"type\":\"JDBC\"}",
                              "vpc_configuration": { "subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"] } } },
                { "address": "awscc_qbusiness_data_source.later", "mode": "managed", "type": DATA_SOURCE,
                  "values": {} }
            ] } },
            "configuration": { "root_module": { "resources": [
                { "address": "awscc_qbusiness_data_source.this", "expressions": { "role_arn": { "references": ["aws_iam_role.this.arn", "aws_iam_role.this"] } } }
            ] } }
        });
        let found = read(&show, "plan.json", named("aws_iam_role.this"), &[]).unwrap();
        let [source] = found.data_sources.as_slice() else {
            panic!("{:?}", found.data_sources);
        };
        assert_eq!(source.uses_role, Some(true));
        assert_eq!(source.role_arn, "(known only after apply)");
        assert_eq!(
            (source.subnets.as_slice(), source.security_groups.as_slice()),
            (&["subnet-1".to_owned()][..], &["sg-1".to_owned()][..])
        );
        assert_eq!(
            found.unverified,
            ["the configuration of awscc_qbusiness_data_source.later is known only after apply"]
        );
    }

    #[test]
    fn the_role_the_service_may_assume_is_chosen_among_several() {
        let trust = |service: &str| {
            json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
                "Principal": { "Service": service }, "Action": "sts:AssumeRole" }] })
            .to_string()
        };
        let show = json!({
            "format_version": "1.0",
            "values": { "root_module": { "resources": [
                { "address": "aws_iam_role.lambda", "mode": "managed", "type": "aws_iam_role",
                  "values": { "name": "fn", "assume_role_policy": trust("lambda.amazonaws.com") } },
                { "address": "aws_iam_role.connector", "mode": "managed", "type": "aws_iam_role",
                  "values": { "name": "c", "assume_role_policy": trust("qbusiness.amazonaws.com") } }
            ] } }
        });
        let services = ["qbusiness.amazonaws.com".to_owned()];
        let wanted = Wanted {
            role: None,
            role_name: Some("QBusinessConnector"),
            services: &services,
        };
        let found = read(&show, "show.json", wanted, &[]).unwrap();
        assert_eq!(
            found.role,
            "aws_iam_role.connector of show.json (the only role that qbusiness.amazonaws.com may assume; no role is named QBusinessConnector, the spec's role_name)"
        );
    }
}
