//! A report as SARIF 2.1.0, the format cfn-lint, checkov and GitHub code scanning read: one
//! rule per finding kind, one result per finding, each located in the input file whose text
//! names its statement (the line of its Sid, its logical ID or its address), with the
//! finding's severity as SARIF's level (high: error, medium: warning, info: note).

use serde_json::{Value, json};

use super::Source;
use super::finding::{Finding, FindingKind, Severity};
use super::report::Report;

/// The SARIF schema the log declares.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The tool, as SARIF's `driver` names it.
fn driver() -> Value {
    let rules: Vec<Value> = FindingKind::ALL
        .iter()
        .map(|kind| {
            json!({
                "id": kind.name(),
                "shortDescription": { "text": kind.description() },
                "defaultConfiguration": { "level": level(kind.severity()) },
                "properties": { "severity": kind.severity().to_string() },
            })
        })
        .collect();
    json!({
        "name": "connector-roles",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": env!("CARGO_PKG_REPOSITORY"),
        "rules": rules,
    })
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Info => "note",
    }
}

/// `report` as a SARIF log, its findings located in `inputs`.
pub fn log(report: &Report, inputs: &[Source<'_>]) -> String {
    written(vec![report_run(report, inputs)])
}

/// Several audits (an account scan) as one SARIF log, a run each: each report with the inputs
/// its findings are located in.
pub fn logs(audits: &[(&Report, &[Source<'_>])]) -> String {
    written(
        audits
            .iter()
            .map(|(report, inputs)| report_run(report, inputs))
            .collect(),
    )
}

/// The run of one audit.
fn report_run(report: &Report, inputs: &[Source<'_>]) -> Value {
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| result(finding, inputs))
        .collect();
    let mut run = run(true, "note", &report.notes, results);
    run["properties"] = json!({
        "connector": report.connector,
        "role": report.role,
        "equal": report.is_equal(),
    });
    run
}

/// A SARIF log of a run that could not audit: the errors as notifications.
pub fn failed(messages: &[String]) -> String {
    written(vec![run(false, "error", messages, Vec::new())])
}

/// One run of the tool: whether it could audit, what it says beside its results (each
/// message at `level`), and the results.
fn run(successful: bool, level: &str, messages: &[String], results: Vec<Value>) -> Value {
    let notifications: Vec<Value> = messages
        .iter()
        .map(|message| json!({ "level": level, "message": { "text": message } }))
        .collect();
    json!({
        "tool": { "driver": driver() },
        "invocations": [{
            "executionSuccessful": successful,
            "toolExecutionNotifications": notifications,
        }],
        "results": results,
    })
}

/// The log of `runs`, as text.
fn written(runs: Vec<Value>) -> String {
    let log = json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": runs });
    serde_json::to_string_pretty(&log).expect("SARIF logs serialize")
}

fn result(finding: &Finding, inputs: &[Source<'_>]) -> Value {
    let mut result = json!({
        "ruleId": finding.kind.name(),
        "level": level(finding.severity),
        "message": { "text": format!("{}: {}", finding.statement, finding.message) },
        "properties": {
            "severity": finding.severity.to_string(),
            "policy": finding.policy.to_string(),
            "statement": finding.statement,
        },
    });
    if let Some((uri, line)) = locate(&finding.statement, inputs) {
        let mut physical = json!({ "artifactLocation": { "uri": uri } });
        if let Some(line) = line {
            physical["region"] = json!({ "startLine": line });
        }
        result["locations"] = json!([{ "physicalLocation": physical }]);
    }
    result
}

/// The input that names `statement`, and the line (from 1) where it does: a line with
/// `Sid` and the statement's name, else the first line holding the name as a key or a
/// quoted string. An input that is a file but does not name it is located without a line.
fn locate(statement: &str, inputs: &[Source<'_>]) -> Option<(String, Option<usize>)> {
    let names = |line: &str| {
        line.contains(&format!("\"{statement}\""))
            || line.trim_start().starts_with(&format!("{statement}:"))
            || line.trim_end().ends_with(&format!(" {statement}"))
    };
    let mut files = inputs.iter().filter(|input| input.name != "-");
    for input in files.clone() {
        let lines: Vec<&str> = input.text.lines().collect();
        let line = lines
            .iter()
            .position(|line| line.contains("Sid") && names(line))
            .or_else(|| lines.iter().position(|line| names(line)));
        if let Some(line) = line {
            return Some((uri(input.name), Some(line + 1)));
        }
    }
    files.next_back().map(|input| (uri(input.name), None))
}

/// A file name as a SARIF artifact URI: relative paths as they are, `/` separated.
fn uri(name: &str) -> String {
    name.replace('\\', "/")
}
