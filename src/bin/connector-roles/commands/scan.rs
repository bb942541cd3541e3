//! `connector-roles audit --scan`: every role of an AWS account that Amazon Q Business or
//! Amazon Kendra may assume, each audited against the spec that names its role name, else
//! against the documented connector its policies are closest to; a table, then each report
//! that differs (or JSON, or one SARIF log with a run per role).

use connector_roles::RoleSpec;
use connector_roles::audit::{Options, Report, Source, audit, sarif};
use serde_json::{Value, json};

use super::audit::{AuditArgs, ReportFormat, inferred, sources};
use crate::failure::{self, Done, Failure};
use crate::live::{self, LiveRole};

/// One role of the account and what its audit says: a report, or why there is none (it
/// matches no documented connector, or its spec does not apply).
struct Row {
    role: LiveRole,
    outcome: Result<Report, String>,
}

/// Reads the account's connector roles, audits each, and prints them; exit 1 when a report
/// reaches `--fail-on` or a role matches no documented connector.
pub fn scan(args: &AuditArgs, specs: &[RoleSpec]) -> Result<Done, Failure> {
    let roles = live::with_client(async |client| {
        let mut roles = Vec::new();
        for name in live::connector_roles(client).await? {
            roles.push(live::role(client, &name).await?);
        }
        Ok(roles)
    })?;
    let rows: Vec<Row> = roles
        .into_iter()
        .map(|role| {
            let sources = sources(&role.documents);
            let named = specs
                .iter()
                .find(|spec| spec.role_name.as_deref() == Some(role.name.as_str()));
            let outcome = match named {
                Some(spec) => audit(spec, &sources, &Options::default()).map_err(|e| e.to_string()),
                None => inferred(&sources).map_err(|failure| failure.parts().1.join("; ")),
            };
            Row { role, outcome }
        })
        .collect();
    let text = match args.format() {
        ReportFormat::Text => table(&rows),
        ReportFormat::Json => json(&rows),
        ReportFormat::Sarif => {
            let inputs: Vec<(Vec<Source<'_>>, &Report)> = rows
                .iter()
                .filter_map(|row| Some((sources(&row.role.documents), row.outcome.as_ref().ok()?)))
                .collect();
            let audits: Vec<(&Report, &[Source<'_>])> = inputs
                .iter()
                .map(|(sources, report)| (*report, sources.as_slice()))
                .collect();
            sarif::logs(&audits) + "\n"
        }
    };
    failure::print(&text)?;
    let fails = rows.iter().any(|row| {
        row.outcome
            .as_ref()
            .map_or(true, |report| report.fails(args.fail_on()))
    });
    Ok(if fails { Done::Differs } else { Done::Success })
}

/// A line per role (its name, connector, revision and result), then the report of each role
/// that differs.
fn table(rows: &[Row]) -> String {
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|row| match &row.outcome {
            Ok(report) => [
                row.role.name.clone(),
                report.connector.clone(),
                report.revision.clone().unwrap_or_else(|| "-".to_owned()),
                result(report),
            ],
            Err(why) => [
                row.role.name.clone(),
                "-".to_owned(),
                "-".to_owned(),
                why.split(':').next().unwrap_or(why).to_owned(),
            ],
        })
        .collect();
    let header = ["ROLE", "CONNECTOR", "REVISION", "RESULT"].map(str::to_owned);
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            std::iter::once(&header)
                .chain(&cells)
                .map(|row| row[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&cells) {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        text.push_str(line.join("  ").trim_end());
        text.push('\n');
    }
    if rows.is_empty() {
        text.push_str("no role of the account trusts Amazon Q Business or Amazon Kendra\n");
    }
    for row in rows {
        match &row.outcome {
            Ok(report) if report.is_equal() => {}
            Ok(report) => text.push_str(&format!("\n== {} ==\n{}", row.role.name, report.text())),
            Err(why) => text.push_str(&format!("\n== {} ==\n{why}\n", row.role.name)),
        }
    }
    text
}

/// What a report says, in a few words.
fn result(report: &Report) -> String {
    if report.is_equal() {
        return "exactly documented".to_owned();
    }
    let count = report.findings.len();
    format!("{count} difference{}", if count == 1 { "" } else { "s" })
}

/// `{"roles": [{"role", "report"} or {"role", "error"}]}`.
fn json(rows: &[Row]) -> String {
    let roles: Vec<Value> = rows
        .iter()
        .map(|row| match &row.outcome {
            Ok(report) => json!({
                "role": row.role.name,
                "report": serde_json::from_str::<Value>(&report.json()).expect("reports are JSON"),
            }),
            Err(why) => json!({ "role": row.role.name, "error": why }),
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "roles": roles })).expect("JSON serializes") + "\n"
}
