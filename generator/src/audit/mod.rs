//! Audit of an existing role against its documented policies.
//!
//! The spec says which connector, revision, optional parts and values the role should have;
//! the inputs hold the role as it is: JSON policy documents (a trust policy is the one whose
//! statements name a `Principal`), a CloudFormation template in YAML or JSON, or the output of
//! `terraform show -json` for a state or a plan. [`audit`] reads them ([`cloudformation`],
//! [`terraform`], [`grant`]), builds the documented policies with the spec's values bound,
//! and compares them statement by statement ([`compare`]): every missing permission, every
//! extra or wider one, every missing or weaker condition is a [`Finding`].
//!
//! The documented policies must be concrete, so every value the policies use must be bound,
//! with two exceptions derived as `generate` derives them: the partition is the bound region's,
//! and an open `source_account` is the role's account (`account_id`, the account that owns the
//! role). What the audit cannot resolve in the inputs (a template parameter the spec does not
//! give, a managed policy that is not in the inputs) is reported, never guessed.

pub mod cloudformation;
pub mod compare;
pub mod coverage;
pub mod data_source;
pub mod describe;
pub mod finding;
pub mod grant;
pub mod hcl;
pub mod infer;
pub mod intrinsics;
pub mod pattern;
pub mod report;
pub mod sarif;
pub mod terraform;
pub mod values;
pub mod yaml;

use serde_json::Value;

pub use finding::{Finding, FindingKind, PolicyKind, Severity};
use grant::{Grant, read_document};
pub use report::Report;

use crate::model::field::Field;
use crate::model::policy::PolicyDocument;
use crate::model::status;
use crate::model::tree;
use crate::spec::role::RoleModel;
use crate::spec::rules::partition_of_region;
use crate::spec::{Bound, RoleSpec};

/// One input file: its name, for messages, and its text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file's name.
    pub name: &'a str,
    /// Its contents.
    pub text: &'a str,
}

/// Why an audit could not run.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// An input is not a policy, a template or `terraform show -json` output.
    #[error("{file}: {message}")]
    Unreadable {
        /// The input.
        file: String,
        /// What is wrong with it.
        message: String,
    },
    /// An input holds no role, or several and none was named.
    #[error("{file}: {message}")]
    Role {
        /// The input.
        file: String,
        /// What was found instead.
        message: String,
    },
    /// The spec leaves open values the documented policies use.
    #[error(
        "the spec leaves open values the policies use, so there is nothing concrete to compare with: {}",
        .0.join(", ")
    )]
    Open(Vec<String>),
    /// Two inputs each give a trust policy.
    #[error("two trust policies are given ({0} and {1}); a role has one")]
    TwoTrustPolicies(String, String),
}

impl AuditError {
    fn unreadable(file: &str, message: impl Into<String>) -> AuditError {
        AuditError::Unreadable {
            file: file.to_owned(),
            message: message.into(),
        }
    }
}

/// What the inputs say of the role.
#[derive(Debug, Default)]
pub struct Found {
    /// Where the role is: `Role of template.yaml`, or the files.
    pub role: String,
    /// Its trust policy, when given.
    pub trust: Option<Vec<Grant>>,
    /// Its permission policies, all statements together, when given.
    pub permission: Option<Vec<Grant>>,
    /// What the inputs attach to the role but do not hold, in words.
    pub unverified: Vec<String>,
    /// The data sources of a template, each with what it says of the role.
    pub data_sources: Vec<data_source::DataSourceFound>,
}

impl Found {
    fn new(role: String) -> Found {
        Found {
            role,
            ..Found::default()
        }
    }
}

/// How to read the inputs: which role, and the values of template parameters.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The role to audit when an input holds several: its logical ID, Terraform address or
    /// role name (`--role`).
    pub role: Option<String>,
    /// Template parameters' values, as `aws cloudformation deploy --parameter-overrides`
    /// takes them (`--parameter Name=Value`); a list parameter's value is comma-separated.
    pub parameters: Vec<(String, String)>,
    /// Terraform variables' values, as `-var` and `-var-file` give them.
    pub variables: Vec<(String, Value)>,
}

/// Audits the role the `sources` hold (the one `options` or the spec chooses when they hold
/// several) against the documented policies of `spec`.
pub fn audit(
    spec: &RoleSpec,
    sources: &[Source<'_>],
    options: &Options,
) -> Result<Report, AuditError> {
    let open_source_account = !spec.values.contains_key(&Field::SourceAccount);
    let spec = concrete(spec)?;
    // `generate` writes an open source account as the documentation's placeholder: read in
    // the inputs as the account the audit derives for it, the role's.
    let filled: Vec<String>;
    let mut sources = sources.to_vec();
    let placeholder = Field::SourceAccount.placeholder();
    let mut notes = Vec::new();
    if open_source_account
        && let Some(account) = spec.scalar(Field::SourceAccount)
        && sources.iter().any(|s| s.text.contains(placeholder))
    {
        filled = sources
            .iter()
            .map(|s| s.text.replace(placeholder, account))
            .collect();
        for (source, text) in sources.iter_mut().zip(&filled) {
            source.text = text;
        }
        notes.push(format!(
            "{placeholder} in the input is read as {account}, the role's account: the spec leaves source_account open"
        ));
    }
    let found = read(&spec, &sources, options)?;
    let mut findings = compare_with(&spec, &found);
    findings.extend(data_source::findings(
        &spec,
        &found.data_sources,
        found.permission.as_deref().unwrap_or_default(),
    ));
    if found.trust.is_none() {
        notes.push("no trust policy was given, so it was not audited".to_owned());
    }
    if found.permission.is_none() {
        notes.push("no permission policy was given, so it was not audited".to_owned());
    }
    if !findings.is_empty() {
        for revision in spec.connector.revision_names() {
            let other = RoleSpec {
                revision: Some(revision.to_owned()),
                ..spec.clone()
            };
            if other.policies().revision != spec.policies().revision
                && compare_with(&other, &found).is_empty()
            {
                notes.push(format!(
                    "the role is exactly revision {revision} of {}: set \"revision\": \"{revision}\" in the spec if that is the one you mean",
                    spec.connector.id
                ));
            }
        }
    }
    let listed = &spec.connector.listed;
    notes.extend(listed.warning(&spec.connector.id, &status::today()));
    Ok(Report {
        connector: spec.connector.id.clone(),
        status: listed.status,
        revision: spec.policies().revision.clone(),
        role: found.role,
        findings,
        notes,
    })
}

/// Every finding of `found` against the documented policies of `spec`.
fn compare_with(spec: &RoleSpec, found: &Found) -> Vec<Finding> {
    let model = RoleModel::new(spec);
    // The documented policies go through the same reader as the role's, as JSON.
    let grants = |policy: &PolicyDocument| -> Vec<Grant> {
        read_document(&tree::documented(policy), "the documented policy")
            .expect("the JSON renderer writes policy documents the reader reads")
    };
    let mut findings = Vec::new();
    if let Some(permission) = &found.permission {
        let compared = compare::compare(
            PolicyKind::Permission,
            &grants(&model.permission_policy),
            permission,
        );
        // A documented grant may be in what the inputs do not hold (a policy known only
        // after apply, a managed policy not given): not called missing.
        let partial = !found.unverified.is_empty();
        findings.extend(compared.into_iter().filter(|finding| {
            !(partial
                && matches!(
                    finding.kind,
                    FindingKind::MissingStatement
                        | FindingKind::MissingAction
                        | FindingKind::MissingResource
                ))
        }));
    }
    if let Some(trust) = &found.trust {
        findings.extend(compare::compare(
            PolicyKind::Trust,
            &grants(&model.trust_policy),
            trust,
        ));
    }
    for what in &found.unverified {
        findings.push(Finding {
            policy: PolicyKind::Permission,
            statement: "(role)".to_owned(),
            kind: FindingKind::Unresolved,
            severity: FindingKind::Unresolved.severity(),
            documented: Vec::new(),
            found: vec![what.clone()],
            message: format!(
                "{what}, so the role may grant more than audited, and a documented grant it may hold is not reported missing"
            ),
        });
    }
    findings
}

/// `spec` with the values `generate` derives (partition from region, an open source account
/// from the role's account), checked to leave nothing the policies use open.
fn concrete(spec: &RoleSpec) -> Result<RoleSpec, AuditError> {
    let mut spec = spec.clone();
    let derived = [
        (
            Field::Partition,
            spec.scalar(Field::Region)
                .map(|r| partition_of_region(r).to_owned()),
        ),
        (
            Field::SourceAccount,
            spec.scalar(Field::AccountId).map(str::to_owned),
        ),
    ];
    for (field, value) in derived {
        if let Some(value) = value {
            spec.values.entry(field).or_insert(Bound::One(value));
        }
    }
    let used = spec.policies().fields(&spec.parts);
    let open: Vec<String> = used
        .into_iter()
        .filter(|field| !spec.values.contains_key(field))
        .map(|field| match field {
            Field::SubnetIds | Field::SecurityGroupIds => format!("vpc.{field}"),
            field => format!("values.{field}"),
        })
        .collect();
    if open.is_empty() {
        Ok(spec)
    } else {
        Err(AuditError::Open(open))
    }
}

/// How a module's files are named in messages: their folder when they share one
/// (`modules/connector/`), else each.
fn module_label(files: &[(&str, &str)]) -> String {
    let folder = |name: &str| name.rsplit_once('/').map(|(folder, _)| folder.to_owned());
    let first = files.first().and_then(|(name, _)| folder(name));
    match first {
        Some(shared)
            if files.len() > 1
                && files
                    .iter()
                    .all(|(n, _)| folder(n).as_ref() == Some(&shared)) =>
        {
            format!("{shared}/")
        }
        _ => files
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Reads every input, each as what it is.
fn read(spec: &RoleSpec, sources: &[Source<'_>], options: &Options) -> Result<Found, AuditError> {
    let mut all = Found::new(String::new());
    let mut places = Vec::new();
    let mut trust_from: Option<String> = None;
    let services = services(spec);
    let wanted = Wanted {
        role: options.role.as_deref(),
        role_name: spec.role_name.as_deref(),
        services: &services,
    };
    // The `.tf` files are one module, read together.
    let (modules, others): (Vec<&Source<'_>>, Vec<&Source<'_>>) =
        sources.iter().partition(|s| s.name.ends_with(".tf"));
    let mut founds = Vec::new();
    if !modules.is_empty() {
        let files: Vec<(&str, &str)> = modules.iter().map(|s| (s.name, s.text)).collect();
        let label = module_label(&files);
        let plan = hcl::plan(&files, spec, &options.variables)
            .map_err(|e| AuditError::unreadable(&label, e))?;
        founds.push(terraform::read(
            &plan,
            &label,
            wanted,
            &data_source::secret_pointers(spec),
        )?);
    }
    for source in others {
        founds.push(read_one(spec, source, wanted, &options.parameters)?);
    }
    for found in founds {
        places.push(found.role.clone());
        if let Some(trust) = found.trust {
            if let Some(first) = &trust_from {
                return Err(AuditError::TwoTrustPolicies(first.clone(), found.role));
            }
            trust_from = Some(found.role.clone());
            all.trust = Some(trust);
        }
        if let Some(permission) = found.permission {
            all.permission
                .get_or_insert_with(Vec::new)
                .extend(permission);
        }
        all.unverified.extend(found.unverified);
        all.data_sources.extend(found.data_sources);
    }
    all.role = places.join(", ");
    Ok(all)
}

fn read_one(
    spec: &RoleSpec,
    source: &Source<'_>,
    wanted: Wanted<'_>,
    parameters: &[(String, String)],
) -> Result<Found, AuditError> {
    let file = source.name;
    let value: Value = match serde_json::from_str(source.text) {
        Ok(value) => value,
        Err(json) => yaml::parse(source.text).map_err(|yaml| {
            AuditError::unreadable(
                file,
                format!("neither JSON ({json}) nor a YAML template ({yaml})"),
            )
        })?,
    };
    if value.get("Statement").is_some() {
        let grants = read_document(&value, file).map_err(|e| AuditError::unreadable(file, e))?;
        let is_trust = grants.iter().any(|g| !g.principals.values.is_empty());
        let mut found = Found::new(file.to_owned());
        if is_trust {
            found.trust = Some(grants);
        } else {
            found.permission = Some(grants);
        }
        Ok(found)
    } else if value.get("format_version").is_some() {
        terraform::read(&value, file, wanted, &data_source::secret_pointers(spec))
    } else if value.get("Resources").is_some() {
        cloudformation::read(&value, file, spec, wanted, parameters)
    } else {
        Err(AuditError::unreadable(
            file,
            "not a policy document, a CloudFormation template or `terraform show -json` output",
        ))
    }
}

/// A role an input holds, as the choice of the role to audit sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its logical ID, or its Terraform address.
    pub label: String,
    /// Its role name where the input resolves it without the spec's values (a template's
    /// literal, a parameter's `Default` or `--parameter`; a state's `name`).
    pub name: Option<String>,
    /// Whether its trust policy lets the connector's service principal assume it.
    pub trusts: bool,
}

/// What says which role to audit: `--role`, the spec's `role_name`, and the connector's
/// service principals (`qbusiness.amazonaws.com`).
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    /// `--role`: a logical ID, Terraform address or role name.
    pub role: Option<&'a str>,
    /// The spec's `role_name`.
    pub role_name: Option<&'a str>,
    /// The service principals the documented trust policy names.
    pub services: &'a [String],
}

/// The index of the role to audit among `candidates`, and how it was chosen, in words: the
/// one `--role` names (by label or name), else the one whose name is the spec's `role_name`,
/// else the only one whose trust policy names the connector's service principal. Otherwise
/// an error that lists every candidate with why it was not chosen.
pub fn choose(
    file: &str,
    candidates: &[Candidate],
    wanted: Wanted<'_>,
) -> Result<(usize, String), AuditError> {
    let error = |message: String| AuditError::Role {
        file: file.to_owned(),
        message,
    };
    if candidates.is_empty() {
        return Err(error("holds no IAM role".to_owned()));
    }
    let services = wanted.services.join(" or ");
    let named = |c: &Candidate, name: &str| c.label == name || c.name.as_deref() == Some(name);
    if let Some(role) = wanted.role {
        return match candidates.iter().position(|c| named(c, role)) {
            Some(index) => Ok((index, format!("chosen by --role {role}"))),
            None => Err(error(format!(
                "holds no role {role} (by logical ID, address or role name); it holds:{}",
                listing(candidates, |c| why_not(c, None, &services))
            ))),
        };
    }
    if let Some(name) = wanted.role_name
        && let Some(index) = candidates
            .iter()
            .position(|c| c.name.as_deref() == Some(name))
    {
        return Ok((
            index,
            format!("its role name is {name}, the spec's role_name"),
        ));
    }
    let trusting: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].trusts)
        .collect();
    if let [index] = trusting[..] {
        let unnamed = match wanted.role_name {
            Some(name) => format!("; no role is named {name}, the spec's role_name"),
            None => String::new(),
        };
        return Ok((
            index,
            format!("the only role that {services} may assume{unnamed}"),
        ));
    }
    let why = match (wanted.role_name, trusting.len()) {
        (Some(name), 0) => {
            format!("no role is named {name} (the spec's role_name), and none trusts {services}")
        }
        (Some(name), _) => {
            format!("no role is named {name} (the spec's role_name), and several trust {services}")
        }
        (None, 0) => format!("the spec names no role_name, and no role trusts {services}"),
        (None, _) => format!("the spec names no role_name, and several roles trust {services}"),
    };
    Err(error(format!(
        "cannot tell which role to audit: {why}; name it with --role. It holds:{}",
        listing(candidates, |c| why_not(c, wanted.role_name, &services))
    )))
}

/// Whether the trust policy `trust` lets one of `services` (`qbusiness.amazonaws.com`)
/// assume the role.
pub fn trusts(trust: &[Grant], services: &[String]) -> bool {
    trust.iter().any(|grant| {
        grant
            .principals
            .values
            .iter()
            .filter_map(|value| value.known()?.strip_prefix("Service:"))
            .any(|value| services.iter().any(|s| s == value))
    })
}

/// The service principals the documented trust policy of `spec` names.
fn services(spec: &RoleSpec) -> Vec<String> {
    let model = RoleModel::new(spec);
    let grants = read_document(
        &tree::documented(&model.trust_policy),
        "the documented policy",
    )
    .expect("the JSON renderer writes policy documents the reader reads");
    let mut services: Vec<String> = grants
        .iter()
        .flat_map(|grant| &grant.principals.values)
        .filter_map(|value| value.known()?.strip_prefix("Service:").map(str::to_owned))
        .collect();
    services.dedup();
    services
}

/// Each candidate on its own line: label, name, and `reason`.
fn listing(candidates: &[Candidate], reason: impl Fn(&Candidate) -> String) -> String {
    candidates
        .iter()
        .map(|c| {
            format!(
                "\n  {} (role name {}): {}",
                c.label,
                c.name.as_deref().unwrap_or("not resolved"),
                reason(c)
            )
        })
        .collect()
}

/// Why `candidate` was not chosen by its name or its trust policy.
fn why_not(candidate: &Candidate, role_name: Option<&str>, services: &str) -> String {
    let name = match role_name {
        Some(wanted) => format!("not named {wanted}"),
        None => "no role_name to match".to_owned(),
    };
    let trust = if candidate.trusts {
        format!("trusts {services}")
    } else {
        format!("its trust policy does not name {services}")
    };
    format!("{name}; {trust}")
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::model::tree::documented as document;
    use crate::spec::fixtures;

    /// The orders spec (its source account left open: the role's), and its two documented
    /// policies as JSON.
    fn documented() -> (RoleSpec, Value, Value) {
        let spec = fixtures::bound(|_| {});
        let concrete = concrete(&spec).unwrap();
        let model = RoleModel::new(&concrete);
        let (permission, trust) = (
            document(&model.permission_policy),
            document(&model.trust_policy),
        );
        (spec, permission, trust)
    }

    fn run(spec: &RoleSpec, permission: &Value, trust: &Value) -> Report {
        let (permission, trust) = (permission.to_string(), trust.to_string());
        let sources = [
            Source {
                name: "permission.json",
                text: &permission,
            },
            Source {
                name: "trust.json",
                text: &trust,
            },
        ];
        audit(spec, &sources, &Options::default()).unwrap()
    }

    fn statement<'a>(policy: &'a mut Value, sid: &str) -> &'a mut Value {
        policy["Statement"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|s| s["Sid"] == sid)
            .unwrap()
    }

    fn kinds(report: &Report) -> Vec<(String, FindingKind)> {
        report
            .findings
            .iter()
            .map(|f| (f.statement.clone(), f.kind))
            .collect()
    }

    #[test]
    fn the_documented_role_is_equal() {
        let (spec, permission, trust) = documented();
        let report = run(&spec, &permission, &trust);
        assert!(report.is_equal(), "{}", report.text());
        // The only note: RDS (MySQL) is a legacy connector, in AWS's words.
        assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
        assert!(report.notes[0].starts_with("rds-mysql is a legacy connector: "));
    }

    #[test]
    fn every_mutation_is_reported_and_nothing_else() {
        let (spec, permission, trust) = documented();
        type Mutation = fn(&mut Value, &mut Value);
        let mutations: [(Mutation, &str, FindingKind); 5] = [
            (
                |p, _| {
                    p["Statement"]
                        .as_array_mut()
                        .unwrap()
                        .retain(|s| s["Sid"] != "AllowsAmazonQToGetSecret")
                },
                "AllowsAmazonQToGetSecret",
                FindingKind::MissingStatement,
            ),
            (
                |p, _| {
                    statement(p, "AllowsAmazonQToGetS3Objects")["Resource"] =
                        json!(["arn:aws:s3:::*"])
                },
                "AllowsAmazonQToGetS3Objects",
                FindingKind::WiderResource,
            ),
            (
                |p, _| {
                    statement(p, "AllowsAmazonQToDecryptSecret")
                        .as_object_mut()
                        .unwrap()
                        .remove("Condition");
                },
                "AllowsAmazonQToDecryptSecret",
                FindingKind::MissingCondition,
            ),
            (
                |p, _| {
                    statement(p, "AllowsAmazonQToIngestPrincipalMapping")["Action"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!("qbusiness:DeleteIndex"))
                },
                "AllowsAmazonQToIngestPrincipalMapping",
                FindingKind::ExtraAction,
            ),
            (
                |_, t| {
                    statement(t, "AllowsAmazonQToAssumeRoleForServicePrincipal")["Condition"]["StringEquals"]
                        ["aws:SourceAccount"] = json!("999988887777")
                },
                "AllowsAmazonQToAssumeRoleForServicePrincipal",
                FindingKind::WrongAccount,
            ),
        ];
        for (mutate, sid, kind) in mutations {
            let (mut p, mut t) = (permission.clone(), trust.clone());
            mutate(&mut p, &mut t);
            let report = run(&spec, &p, &t);
            assert_eq!(
                kinds(&report),
                [(sid.to_owned(), kind)],
                "{}",
                report.text()
            );
            assert!(!report.findings[0].message.is_empty());
        }
    }

    #[test]
    fn a_wrong_account_in_an_arn_is_one_finding() {
        let (spec, mut permission, trust) = documented();
        let secret = statement(&mut permission, "AllowsAmazonQToGetSecret");
        let arn = secret["Resource"][0]
            .as_str()
            .unwrap()
            .replace("111122223333", "999988887777");
        secret["Resource"] = json!([arn]);
        let report = run(&spec, &permission, &trust);
        assert_eq!(
            kinds(&report),
            [(
                "AllowsAmazonQToGetSecret".to_owned(),
                FindingKind::WrongAccount
            )]
        );
        assert!(
            report.findings[0].message.contains("999988887777"),
            "{}",
            report.text()
        );
    }

    #[test]
    fn another_revision_is_named_when_it_matches() {
        let (spec, _, trust) = documented();
        let later = RoleSpec {
            revision: Some("application-and-index".to_owned()),
            ..concrete(&spec).unwrap()
        };
        let permission = document(&RoleModel::new(&later).permission_policy);
        let report = run(&spec, &permission, &trust);
        assert_eq!(
            kinds(&report),
            [(
                "AllowsAmazonQToIngestDocuments".to_owned(),
                FindingKind::ExtraResource
            )]
        );
        assert!(
            report.notes[0].contains("revision application-and-index"),
            "{:?}",
            report.notes
        );
    }

    #[test]
    fn open_values_and_unreadable_inputs_are_errors() {
        let open = RoleSpec::default_spec();
        let error = audit(&open, &[], &Options::default()).unwrap_err();
        assert!(
            error.to_string().contains("values.application_id"),
            "{error}"
        );
        let (spec, ..) = documented();
        let error = audit(
            &spec,
            &[Source {
                name: "x.txt",
                text: "- just\n- a list\n",
            }],
            &Options::default(),
        )
        .unwrap_err();
        assert!(matches!(error, AuditError::Unreadable { .. }), "{error}");
    }
}
