//! `connector-roles audit`: compares a role that exists with the documented one.

use std::path::{Path, PathBuf};

use clap::Args;
use connector_roles::RoleSpec;
use connector_roles::audit::infer::infer;
use connector_roles::audit::{Options, Severity, Source, audit, hcl, sarif};

use crate::failure::{self, Done, Failure};
use crate::input;

#[derive(Args)]
pub struct AuditArgs {
    /// The role as it is: JSON policy documents (its permission policy, its trust policy, or
    /// both), a CloudFormation or SAM template (YAML or JSON), `terraform show -json` output,
    /// or a Terraform module as written (its folder, or `.tf` files) (`-`: standard input).
    #[arg(required = true, value_name = "POLICY")]
    inputs: Vec<PathBuf>,
    /// The spec the role should follow: a JSON spec, or a Rust file of `connector_role!`
    /// declarations. Without it, the inputs must be the role's JSON policy documents, and the
    /// documented connector, revision and values they are closest to are worked out from them.
    #[arg(long)]
    spec: Option<PathBuf>,
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
enum ReportFormat {
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
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let options = Options {
        role: args.role.clone(),
        parameters: args.parameters.clone(),
        variables,
    };
    let report = match &args.spec {
        Some(path) => audit(&spec(path, args)?, &sources, &options).map_err(Failure::invalid)?,
        None => infer(&sources)
            .map_err(Failure::invalid)?
            .ok_or_else(|| {
                Failure::invalid(
                    "the role matches no documented connector: none of its permissions is one a connector's page documents (give --spec to audit it against one)",
                )
            })?
            .into_report(),
    };
    match args.format {
        ReportFormat::Text => failure::print(&report.text())?,
        ReportFormat::Json => failure::print(&format!("{}\n", report.json()))?,
        ReportFormat::Sarif => failure::print(&format!("{}\n", sarif::log(&report, &sources)))?,
    }
    Ok(if report.fails(args.fail_on.into()) {
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
