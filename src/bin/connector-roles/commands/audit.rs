//! `connector-roles audit`: compares a role that exists with the documented one.

use std::path::PathBuf;

use clap::Args;
use connector_roles::RoleSpec;
use connector_roles::audit::{Source, audit};

use crate::failure::{self, Done, Failure};
use crate::input;

#[derive(Args)]
pub struct AuditArgs {
    /// The role as it is: JSON policy documents (its permission policy, its trust policy, or
    /// both), a CloudFormation template (YAML or JSON), or `terraform show -json` output
    /// (`-`: standard input).
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
pub fn run(args: &AuditArgs) -> Result<Done, Failure> {
    let spec = spec(args)?;
    let texts = args
        .inputs
        .iter()
        .map(|path| {
            input::read(path, input::AUDIT_CAP).map(|text| (path.display().to_string(), text))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let report = audit(&spec, &sources, args.role.as_deref()).map_err(Failure::invalid)?;
    match args.format {
        ReportFormat::Text => failure::print(&report.text())?,
        ReportFormat::Json => failure::print(&format!("{}\n", report.json()))?,
    }
    Ok(if report.is_equal() {
        Done::Success
    } else {
        Done::Differs
    })
}

/// The one declaration of the spec file to audit against.
fn spec(args: &AuditArgs) -> Result<RoleSpec, Failure> {
    let file = args.spec.display();
    let mut specs = crate::specs::read_spec(&args.spec)?;
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
