//! What an audit reports: one [`Finding`] per difference between a role and its documented
//! policies, typed for machines and worded for reviewers.

use std::fmt;

use serde::Serialize;

/// Which of a role's two policies a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyKind {
    /// What the role may do.
    Permission,
    /// Who may assume the role.
    Trust,
    /// A data source of the template that uses (or should use) the role.
    DataSource,
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PolicyKind::Permission => "permission policy",
            PolicyKind::Trust => "trust policy",
            PolicyKind::DataSource => "data source",
        })
    }
}

/// The kind of a difference. Each is a permission the role lacks, one it has beyond the
/// documentation, or something the audit could not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A documented statement has no counterpart.
    MissingStatement,
    /// A statement the documentation does not have.
    ExtraStatement,
    /// The counterpart of a documented statement has another Sid.
    DifferentSid,
    /// Statements that grant exactly what documented ones do, grouped differently (merged
    /// or split).
    Regrouped,
    /// A documented principal is absent.
    MissingPrincipal,
    /// A principal the documentation does not name, or `NotPrincipal`.
    ExtraPrincipal,
    /// A documented action is absent.
    MissingAction,
    /// An action the documentation does not grant.
    ExtraAction,
    /// A wildcard action that covers documented ones and more, or `NotAction`.
    WiderAction,
    /// A documented resource is absent.
    MissingResource,
    /// A resource the documentation does not name.
    ExtraResource,
    /// A wildcard resource that covers documented ones and more, or `NotResource`.
    WiderResource,
    /// An ARN or condition value names another account than the documented one.
    WrongAccount,
    /// An ARN names another region than the documented one.
    WrongRegion,
    /// An ARN names another partition than the documented one.
    WrongPartition,
    /// A documented condition is absent: the statement applies without it.
    MissingCondition,
    /// A condition allows more than the documented one (another operator, more values).
    WeakerCondition,
    /// A condition differs from the documented one without allowing more.
    DifferentCondition,
    /// A condition the documentation does not have: narrower than documented.
    ExtraCondition,
    /// A condition value the documented pattern matches: narrower than documented.
    NarrowerCondition,
    /// Something the audit could not resolve or read, so could not compare.
    Unresolved,
    /// A data source of the connector uses another role.
    DataSourceRole,
    /// A data source names a secret the role may not read, or one encrypted with a KMS key
    /// the role may not decrypt with.
    DataSourceSecret,
    /// A data source runs in a subnet or security group the role may not use.
    DataSourceNetwork,
    /// A data source's configuration breaks the connector's documented schema.
    DataSourceConfiguration,
}

/// How much a finding matters, for a pipeline deciding whether to fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing, grants nothing more or less: another Sid, a narrower grant.
    Info,
    /// The role lacks a documented grant (the connector may fail), or the audit could not
    /// verify something.
    Medium,
    /// The role grants more than documented: wider access, a missing or looser condition
    /// (the confused-deputy conditions among them).
    High,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Medium => "medium",
            Severity::High => "high",
        })
    }
}

impl FindingKind {
    /// Every kind, in order.
    pub const ALL: [FindingKind; 25] = [
        FindingKind::MissingStatement,
        FindingKind::ExtraStatement,
        FindingKind::DifferentSid,
        FindingKind::Regrouped,
        FindingKind::MissingPrincipal,
        FindingKind::ExtraPrincipal,
        FindingKind::MissingAction,
        FindingKind::ExtraAction,
        FindingKind::WiderAction,
        FindingKind::MissingResource,
        FindingKind::ExtraResource,
        FindingKind::WiderResource,
        FindingKind::WrongAccount,
        FindingKind::WrongRegion,
        FindingKind::WrongPartition,
        FindingKind::MissingCondition,
        FindingKind::WeakerCondition,
        FindingKind::DifferentCondition,
        FindingKind::ExtraCondition,
        FindingKind::NarrowerCondition,
        FindingKind::Unresolved,
        FindingKind::DataSourceRole,
        FindingKind::DataSourceSecret,
        FindingKind::DataSourceNetwork,
        FindingKind::DataSourceConfiguration,
    ];

    /// The kind's name, as the JSON and SARIF outputs write it: `missing-statement`.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The kind in a sentence, for SARIF's rule descriptions.
    pub fn description(self) -> &'static str {
        match self {
            FindingKind::MissingStatement => {
                "A documented statement has no counterpart in the role."
            }
            FindingKind::ExtraStatement => "The role has a statement the documentation does not.",
            FindingKind::DifferentSid => {
                "A statement grants what the documented one does under another Sid."
            }
            FindingKind::Regrouped => {
                "Statements grant what documented ones do, merged or split differently."
            }
            FindingKind::MissingPrincipal => {
                "A documented principal is absent from the trust policy."
            }
            FindingKind::ExtraPrincipal => {
                "The trust policy names a principal the documentation does not."
            }
            FindingKind::MissingAction => "A documented action is absent.",
            FindingKind::ExtraAction => {
                "The role allows an action the documentation does not grant."
            }
            FindingKind::WiderAction => {
                "A wildcard action or NotAction covers documented actions and more."
            }
            FindingKind::MissingResource => "A documented resource is absent.",
            FindingKind::ExtraResource => "The role names a resource the documentation does not.",
            FindingKind::WiderResource => {
                "A wildcard resource or NotResource covers documented resources and more."
            }
            FindingKind::WrongAccount => {
                "An ARN or condition value names another account than the documented one."
            }
            FindingKind::WrongRegion => "An ARN names another Region than the documented one.",
            FindingKind::WrongPartition => {
                "An ARN names another partition than the documented one."
            }
            FindingKind::MissingCondition => {
                "A documented condition is absent: the statement applies without it."
            }
            FindingKind::WeakerCondition => "A condition allows more than the documented one.",
            FindingKind::DifferentCondition => {
                "A condition differs from the documented one without allowing more."
            }
            FindingKind::ExtraCondition => {
                "A condition the documentation does not have narrows the statement."
            }
            FindingKind::NarrowerCondition => {
                "A condition accepts a value the documented pattern matches: narrower."
            }
            FindingKind::Unresolved => {
                "The audit could not resolve a value, so could not compare it."
            }
            FindingKind::DataSourceRole => "A data source of the connector uses another role.",
            FindingKind::DataSourceSecret => {
                "A data source names a secret the role may not read or decrypt."
            }
            FindingKind::DataSourceNetwork => {
                "A data source runs in a subnet or security group the role may not use."
            }
            FindingKind::DataSourceConfiguration => {
                "A data source's configuration breaks the connector's documented schema."
            }
        }
    }

    /// The severity of a finding of this kind (an extra `Deny` statement, which narrows the
    /// role, is the one exception, made where it is found).
    pub fn severity(self) -> Severity {
        match self {
            FindingKind::ExtraStatement
            | FindingKind::ExtraPrincipal
            | FindingKind::ExtraAction
            | FindingKind::WiderAction
            | FindingKind::ExtraResource
            | FindingKind::WiderResource
            | FindingKind::WrongAccount
            | FindingKind::WrongRegion
            | FindingKind::WrongPartition
            | FindingKind::MissingCondition
            | FindingKind::WeakerCondition => Severity::High,
            FindingKind::MissingStatement
            | FindingKind::MissingPrincipal
            | FindingKind::MissingAction
            | FindingKind::MissingResource
            | FindingKind::DifferentCondition
            | FindingKind::Unresolved
            | FindingKind::DataSourceRole
            | FindingKind::DataSourceSecret
            | FindingKind::DataSourceNetwork
            | FindingKind::DataSourceConfiguration => Severity::Medium,
            FindingKind::DifferentSid
            | FindingKind::Regrouped
            | FindingKind::ExtraCondition
            | FindingKind::NarrowerCondition => Severity::Info,
        }
    }
}

/// One difference between a role and its documented policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The policy it is in.
    pub policy: PolicyKind,
    /// The statement: the documented Sid, or the role's statement for an extra one.
    pub statement: String,
    /// What kind of difference.
    pub kind: FindingKind,
    /// How much it matters.
    pub severity: Severity,
    /// The documented values concerned.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documented: Vec<String>,
    /// The role's values concerned.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub found: Vec<String>,
    /// The difference in words.
    pub message: String,
}

/// `a`, `a and b`, `a, b and c`, each in backquotes.
pub fn listed(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
