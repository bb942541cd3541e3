//! `connector-roles audit`: compares a role that exists with the documented one.

use std::path::{Path, PathBuf};

use clap::Args;
use connector_roles::RoleSpec;
use connector_roles::audit::infer::{Inferred, infer};
use connector_roles::audit::{Options, Report, Severity, Source, audit, hcl, sarif};

use crate::failure::{self, Done, Failure};
use crate::input;
#[cfg(feature = "aws")]
use crate::live;

#[derive(Args)]
pub struct AuditArgs {
    /// The role as it is: JSON policy documents (its permission policy, its trust policy, or
    /// both), a CloudFormation or SAM template (YAML or JSON), `terraform show -json` output,
    /// or a Terraform module as written (its folder, or `.tf` files) (`-`: standard input).
    #[arg(value_name = "POLICY", required_unless_present_any = LIVE)]
    inputs: Vec<PathBuf>,
    /// Audits the role of this name in the AWS account the default credentials, profile and
    /// Region reach (`AWS_PROFILE`, `AWS_ENDPOINT_URL`, ... as every AWS SDK reads them),
    /// read with read-only IAM calls.
    #[cfg(feature = "aws")]
    #[arg(long, value_name = "NAME", conflicts_with_all = ["inputs", "scan"])]
    role_name: Option<String>,
    /// Audits every role of the account whose trust policy names Amazon Q Business or Amazon
    /// Kendra: each against the spec that names its role name (`--spec`, repeatable here),
    /// else against the documented connector its policies are closest to.
    #[cfg(feature = "aws")]
    #[arg(long, conflicts_with = "inputs")]
    scan: bool,
    /// The spec the role should follow: a JSON spec, or a Rust file of `connector_role!`
    /// declarations. Without it, the inputs must be the role's JSON policy documents, and the
    /// documented connector, revision and values they are closest to are worked out from them.
    #[arg(long)]
    spec: Vec<PathBuf>,
    /// The declaration to audit against, by its spec name, when the spec file has several.
    #[arg(long)]
    name: Option<String>,
    /// The role to audit when a template or state holds several: its logical ID, its
    /// Terraform address or its role name. Without it, the role whose name is the spec's
    /// role_name, else the only role the connector's service principal may assume.
    #[arg(long)]
    role: Option<String>,
    /// A template parameter's value, as `aws cloudformation deploy --parameter-overrides`
    /// takes it (a list's elements comma-separated); repeatable. It wins over the spec's
    /// values and the parameter's Default.
    #[arg(long = "parameter", value_name = "NAME=VALUE", value_parser = parameter)]
    parameters: Vec<(String, String)>,
    /// How to print the report: text for reviewers, JSON for scripts, SARIF 2.1.0 for code
    /// scanning. With json and sarif an error is printed in that format too (and on standard
    /// error).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// The least severity that makes the audit exit 1: high (wider access, a missing or
    /// looser condition), medium (also a missing documented grant, a data source that would
    /// fail, what could not be resolved) or info (any difference, a Sid or a narrower grant
    /// too).
    #[arg(long, value_enum, default_value_t = FailOn::Medium)]
    fail_on: FailOn,
    /// A Terraform variable's value for a module given as written, as `terraform plan -var`
    /// takes it; repeatable, and it wins over `--var-file` and the variable's default.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = variable)]
    vars: Vec<(String, String)>,
    /// A `.tfvars` file of Terraform variables' values, as `terraform plan -var-file` takes it;
    /// repeatable.
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
}

/// The flags that read the role from an AWS account instead of files.
#[cfg(feature = "aws")]
const LIVE: [&str; 2] = ["role_name", "scan"];
#[cfg(not(feature = "aws"))]
const LIVE: [&str; 0] = [];

impl AuditArgs {
    /// How to print the report.
    #[cfg(feature = "aws")]
    pub fn format(&self) -> ReportFormat {
        self.format
    }

    /// The least severity that makes the audit exit 1.
    pub fn fail_on(&self) -> Severity {
        self.fail_on.into()
    }
}

/// `--scan`: the specs given (those named `--name`, with it) bind roles by role name.
#[cfg(feature = "aws")]
fn scan(args: &AuditArgs) -> Result<Done, Failure> {
    let mut specs = Vec::new();
    for path in &args.spec {
        specs.extend(crate::specs::read_spec(path)?);
    }
    if let Some(name) = &args.name {
        specs.retain(|spec| &spec.name == name);
    }
    super::scan::scan(args, &specs)
}

/// `NAME=VALUE`, a Terraform variable and its value (text).
fn variable(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!(
            "{text:?} is not NAME=VALUE, as in -var 'application_id=a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'"
        )),
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    High,
    Medium,
    Info,
}

impl From<FailOn> for Severity {
    fn from(fail_on: FailOn) -> Severity {
        match fail_on {
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Info => Severity::Info,
        }
    }
}

/// Prints the report; exits 0 when no finding reaches `--fail-on`, 1 when one does. An error
/// is also printed as JSON or SARIF on standard output when the report would be.
pub fn run(args: &AuditArgs) -> Result<Done, Failure> {
    let result = report(args);
    if let Err(failure) = &result {
        let (code, messages) = failure.parts();
        let printed = match args.format {
            ReportFormat::Text => None,
            ReportFormat::Json => Some(
                serde_json::to_string_pretty(&serde_json::json!({
                    "error": { "exit_code": code, "messages": messages }
                }))
                .expect("errors serialize"),
            ),
            ReportFormat::Sarif => Some(sarif::failed(&messages)),
        };
        if let Some(text) = printed.filter(|_| !messages.is_empty()) {
            failure::print(&format!("{text}\n"))?;
        }
    }
    result
}

fn report(args: &AuditArgs) -> Result<Done, Failure> {
    #[cfg(feature = "aws")]
    if args.scan {
        return scan(args);
    }
    #[cfg(feature = "aws")]
    if let Some(name) = &args.role_name {
        let role = live::with_client(async |client| live::role(client, name).await)?;
        let sources = sources(&role.documents);
        let report = judge(args, &sources, &Options::default())?;
        return printed(args, &report, &sources);
    }
    let texts = files(&args.inputs)?
        .iter()
        .map(|path| {
            input::read(path, input::AUDIT_CAP).map(|text| (path.display().to_string(), text))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut variables = Vec::new();
    for path in &args.var_files {
        let text = input::read(path, input::AUDIT_CAP)?;
        let read =
            hcl::tfvars(&text).map_err(|e| Failure::invalid(format!("{}: {e}", path.display())))?;
        variables.extend(read);
    }
    variables.extend(
        args.vars
            .iter()
            .map(|(name, value)| (name.clone(), serde_json::Value::String(value.clone()))),
    );
    let sources = sources(&texts);
    let options = Options {
        role: args.role.clone(),
        parameters: args.parameters.clone(),
        variables,
    };
    let report = judge(args, &sources, &options)?;
    printed(args, &report, &sources)
}

/// Each `(name, text)` as an input.
pub fn sources(texts: &[(String, String)]) -> Vec<Source<'_>> {
    texts
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect()
}

/// The role of `sources` audited against the one spec given, or without one against the
/// documented connector it is closest to.
fn judge(args: &AuditArgs, sources: &[Source<'_>], options: &Options) -> Result<Report, Failure> {
    match args.spec.as_slice() {
        [] => inferred(sources),
        [path] => audit(&spec(path, args)?, sources, options).map_err(Failure::invalid),
        _ => Err(Failure::invalid(format!(
            "--spec is given {} times: one role is audited against one spec (only --scan takes several)",
            args.spec.len()
        ))),
    }
}

/// The role of the JSON policy documents `sources`, audited against the documented connector
/// it is closest to.
pub fn inferred(sources: &[Source<'_>]) -> Result<Report, Failure> {
    infer(sources)
        .map_err(Failure::invalid)?
        .map(Inferred::into_report)
        .ok_or_else(|| Failure::invalid(NO_CONNECTOR))
}

/// Why a role has no report without a spec.
const NO_CONNECTOR: &str = "the role matches no documented connector: none of its permissions is one a connector's page documents (give --spec to audit it against one)";

/// Prints `report` in the format asked; exit 1 when a finding reaches `--fail-on`.
fn printed(args: &AuditArgs, report: &Report, sources: &[Source<'_>]) -> Result<Done, Failure> {
    match args.format {
        ReportFormat::Text => failure::print(&report.text())?,
        ReportFormat::Json => failure::print(&format!("{}\n", report.json()))?,
        ReportFormat::Sarif => failure::print(&format!("{}\n", sarif::log(report, sources)))?,
    }
    Ok(if report.fails(args.fail_on()) {
        Done::Differs
    } else {
        Done::Success
    })
}

/// The inputs, each folder as the `.tf` files of the module it holds, in name order.
fn files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            files.push(input.clone());
            continue;
        }
        let entries = std::fs::read_dir(input)
            .map_err(|e| Failure::io(format!("reading {}: {e}", input.display())))?;
        let mut module: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "tf") && path.is_file())
            .collect();
        if module.is_empty() {
            return Err(Failure::invalid(format!(
                "{} is a folder without .tf files: give a Terraform module's folder or the files",
                input.display()
            )));
        }
        module.sort();
        files.extend(module);
    }
    Ok(files)
}

/// `Name=Value`: a parameter's name (letters and digits, as CloudFormation names them) and
/// its value.
fn parameter(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value))
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            Ok((name.to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "{text:?} is not NAME=VALUE with a parameter's name (letters and digits), as in ApplicationId=a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
        )),
    }
}

/// The one declaration of the spec file `path` to audit against.
fn spec(path: &Path, args: &AuditArgs) -> Result<RoleSpec, Failure> {
    let file = path.display();
    let mut specs = crate::specs::read_spec(path)?;
    if let Some(name) = &args.name {
        specs.retain(|spec| &spec.name == name);
    }
    match specs.len() {
        1 => Ok(specs.remove(0)),
        0 => Err(Failure::invalid(format!(
            "{file} declares no role named {:?}",
            args.name.as_deref().unwrap_or_default()
        ))),
        _ => {
            let names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
            Err(Failure::invalid(format!(
                "{file} declares {} roles ({}); name one with --name",
                names.len(),
                names.join(", ")
            )))
        }
    }
}
