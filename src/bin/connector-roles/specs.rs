//! The specs a command reads: JSON spec files, Rust files' `connector_role!` invocations,
//! `--connector` defaults and the embedded default, checked before anything is rendered.

use std::path::{Path, PathBuf};

use clap::Args;
use connector_roles::{Artifact, Format, RoleSpec, json, render, source};

use crate::failure::Failure;
use crate::{input, select};

/// The specs a command reads, and the output folder.
#[derive(Args)]
pub struct SpecArgs {
    /// JSON spec files, or Rust files whose `connector_role!` invocations are read (`-`:
    /// a JSON spec on standard input); without any (and without --connector), the embedded
    /// default (RDS (MySQL), every value open, VPC on).
    pub spec: Vec<PathBuf>,
    /// The output folder.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub select: select::Select,
}

/// Reads and checks every spec, or fails before anything is rendered or written.
pub fn read_specs(specs: &SpecArgs) -> Result<Vec<RoleSpec>, Failure> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for path in &specs.spec {
        match read_spec(path) {
            Ok(specs) => parsed.extend(specs),
            Err(Failure::Invalid(messages)) => errors.extend(messages),
            Err(other) => return Err(other),
        }
    }
    let parsed = match specs.select.roles(parsed, !specs.spec.is_empty()) {
        Ok(roles) => roles,
        Err(more) => {
            errors.extend(more);
            Vec::new()
        }
    };
    if let Some(name) = duplicate_name(&parsed) {
        errors.push(format!(
            "two specs are named {name:?}; each needs its own output folder"
        ));
    }
    if !errors.is_empty() {
        return Err(Failure::Invalid(errors));
    }
    Ok(parsed)
}

/// The artifacts of one spec.
pub fn artifacts(spec: &RoleSpec, formats: &[Format]) -> Result<Vec<Artifact>, Failure> {
    render(spec, formats).map_err(Failure::invalid)
}

/// The roles of a spec file: a JSON spec, or every `connector_role!` of a `.rs` file (at
/// least one).
pub fn read_spec(path: &Path) -> Result<Vec<RoleSpec>, Failure> {
    let text = input::read(path, input::SPEC_CAP)?;
    let file = path.display().to_string();
    let diagnostics = if path.extension().is_some_and(|e| e == "rs") {
        match source::roles(&text) {
            Ok(roles) if roles.is_empty() => {
                return Err(Failure::invalid(format!(
                    "{file}: declares no role: no `connector_role!` invocation was found"
                )));
            }
            Ok(roles) => return Ok(roles),
            Err(diagnostics) => diagnostics,
        }
    } else {
        match json::read(&text) {
            Ok(spec) => return Ok(vec![spec]),
            Err(diagnostics) => diagnostics,
        }
    };
    Err(Failure::Invalid(
        diagnostics.iter().map(|d| d.show(&file, &text)).collect(),
    ))
}

fn duplicate_name(specs: &[RoleSpec]) -> Option<&str> {
    specs
        .iter()
        .enumerate()
        .find(|(i, spec)| specs[..*i].iter().any(|other| other.name == spec.name))
        .map(|(_, spec)| spec.name.as_str())
}
