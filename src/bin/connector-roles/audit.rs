//! `connector-roles audit`: compares a role that exists with the documented one.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use connector_roles::RoleSpec;
use connector_roles::audit::{Source, audit};

/// Exit code for a role that differs from the documented one.
const DIFFERENT: u8 = 1;

#[derive(Args)]
pub struct AuditArgs {
    /// The role as it is: JSON policy documents (its permission policy, its trust policy, or
    /// both), a CloudFormation template (YAML or JSON), or `terraform show -json` output.
    #[arg(required = true, value_name = "POLICY")]
    inputs: Vec<PathBuf>,
    /// The spec the role should follow: a JSON spec, or a Rust file of `connector_role!`
    /// declarations.
    #[arg(long)]
    spec: PathBuf,
    /// The declaration to audit against, by its spec name, when the spec file has several.
    #[arg(long)]
    name: Option<String>,
    /// The role to audit when a template or state holds several: its logical ID, its
    /// Terraform address or its role name.
    #[arg(long)]
    role: Option<String>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Text,
    Json,
}

/// Prints the report; exits 0 when the role is the documented one, 1 when it differs.
pub fn run(args: &AuditArgs) -> Result<ExitCode, String> {
    let spec = spec(args)?;
    let texts = args
        .inputs
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .map(|text| (path.display().to_string(), text))
                .map_err(|e| format!("error: {}: {e}", path.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let report = audit(&spec, &sources, args.role.as_deref()).map_err(|e| format!("error: {e}"))?;
    match args.format {
        ReportFormat::Text => print!("{}", report.text()),
        ReportFormat::Json => println!("{}", report.json()),
    }
    Ok(if report.is_equal() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(DIFFERENT)
    })
}

/// The one declaration of the spec file to audit against.
fn spec(args: &AuditArgs) -> Result<RoleSpec, String> {
    let file = args.spec.display();
    let mut specs = super::read_spec(&args.spec)?;
    if let Some(name) = &args.name {
        specs.retain(|spec| &spec.name == name);
    }
    match specs.len() {
        1 => Ok(specs.remove(0)),
        0 => Err(format!(
            "error: {file} declares no role named {:?}",
            args.name.as_deref().unwrap_or_default()
        )),
        _ => {
            let names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
            Err(format!(
                "error: {file} declares {} roles ({}); name one with --name",
                names.len(),
                names.join(", ")
            ))
        }
    }
}
