//! The result of an audit, as text for reviewers and as JSON for machines.

use std::fmt::Write;

use serde::Serialize;

use super::finding::{Finding, PolicyKind, Severity};
use crate::model::status::Status;

/// What an audit found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The connector the role was compared with.
    pub connector: String,
    /// The connector's status, as AWS states it (a note quotes AWS when it is not current).
    pub status: Status,
    /// The documented revision compared with, for a connector whose page was revised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Where the role audited was found.
    pub role: String,
    /// Every difference; none when the role is exactly the documented one.
    pub findings: Vec<Finding>,
    /// What was not audited, and hints.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Report {
    /// Whether the role is exactly the documented one (as far as the inputs show it).
    pub fn is_equal(&self) -> bool {
        self.findings.is_empty()
    }

    /// Whether a finding is at least as severe as `threshold`: what makes `audit` exit 1.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }

    /// The report as JSON, with `equal` first.
    pub fn json(&self) -> String {
        let mut value = serde_json::to_value(self).expect("reports serialize");
        let object = value.as_object_mut().expect("a report is an object");
        let mut ordered = serde_json::Map::new();
        ordered.insert("equal".to_owned(), self.is_equal().into());
        ordered.append(object);
        serde_json::to_string_pretty(&ordered).expect("reports serialize")
    }

    /// The report in words: a headline, then each finding under its policy and statement.
    pub fn text(&self) -> String {
        let against = match &self.revision {
            Some(revision) => format!("{} (revision {revision})", self.connector),
            None => self.connector.clone(),
        };
        let mut out = if self.is_equal() {
            format!(
                "{}: the role is exactly the documented {against} role\n",
                self.role
            )
        } else {
            format!(
                "{}: {} difference{} from the documented {against} role\n",
                self.role,
                self.findings.len(),
                if self.findings.len() == 1 { "" } else { "s" }
            )
        };
        for policy in [
            PolicyKind::Permission,
            PolicyKind::Trust,
            PolicyKind::DataSource,
        ] {
            let findings: Vec<&Finding> = self
                .findings
                .iter()
                .filter(|f| f.policy == policy)
                .collect();
            if findings.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{policy}:");
            for finding in findings {
                let _ = writeln!(
                    out,
                    "  {} [{} {}]: {}",
                    finding.statement,
                    finding.severity,
                    kind_name(finding),
                    finding.message
                );
            }
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                let _ = writeln!(out, "note: {note}");
            }
        }
        out
    }
}

/// The finding's kind as in the JSON output: `missing-statement`.
fn kind_name(finding: &Finding) -> String {
    finding.kind.name()
}
