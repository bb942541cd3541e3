//! The `connector-roles` command-line tool.

mod locate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use connector_roles::{
    Artifact, Drift, Format, Overwrite, RoleSpec, catalog, drift, listing, render, source, write,
};

/// Writes the IAM role an Amazon Q Business data source connector needs, as CloudFormation,
/// AWS CDK TypeScript, Terraform and policy JSON.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the artifacts of each spec (the embedded default without SPEC).
    Generate {
        #[command(flatten)]
        specs: SpecArgs,
        /// Which format to write.
        #[arg(long, value_enum, default_value_t = FormatArg::All)]
        format: FormatArg,
        /// Print the files to standard output instead of writing them.
        #[arg(long)]
        stdout: bool,
        /// Overwrite files that connector-roles did not write or that were edited since.
        #[arg(long)]
        force: bool,
    },
    /// Exits 1, naming the files, when what is on disk differs from what generate writes.
    Check {
        #[command(flatten)]
        specs: SpecArgs,
    },
    /// Lists the documented connectors.
    List,
}

#[derive(Args)]
struct SpecArgs {
    /// JSON spec files, or Rust files whose `connector_role!` invocations are read; without
    /// any, the embedded default (RDS (MySQL), every value open, VPC on).
    spec: Vec<PathBuf>,
    /// The output folder.
    #[arg(long, default_value = "output")]
    out: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Cloudformation,
    Cdk,
    Terraform,
    Json,
    All,
}

impl FormatArg {
    fn formats(self) -> Vec<Format> {
        match self {
            FormatArg::Cloudformation => vec![Format::CloudFormation],
            FormatArg::Cdk => vec![Format::Cdk],
            FormatArg::Terraform => vec![Format::Terraform],
            FormatArg::Json => vec![Format::Json],
            FormatArg::All => Format::ALL.to_vec(),
        }
    }
}

/// Exit code for a run whose output differs from what is on disk.
const DRIFT: u8 = 1;
/// Exit code for invalid input; nothing is written.
const INVALID: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            specs,
            format,
            stdout,
            force,
        } => {
            let overwrite = if force {
                Overwrite::Force
            } else {
                Overwrite::OnlyOurs
            };
            generate(&specs, &format.formats(), stdout, overwrite)
        }
        Command::Check { specs } => check(&specs),
        Command::List => {
            for connector in catalog::all() {
                println!("{:<16} {}", connector.id, connector.title);
            }
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|message| {
        eprintln!("{message}");
        ExitCode::from(INVALID)
    })
}

/// Reads every spec and renders it, or fails before anything is written.
fn artifacts(specs: &SpecArgs, formats: &[Format]) -> Result<Vec<Artifact>, String> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    if specs.spec.is_empty() {
        parsed.push(RoleSpec::default_spec());
    }
    for path in &specs.spec {
        match read_spec(path) {
            Ok(specs) => parsed.extend(specs),
            Err(message) => errors.push(message),
        }
    }
    if let Some(name) = duplicate_name(&parsed) {
        errors.push(format!(
            "error: two specs are named {name:?}; each needs its own output folder"
        ));
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let mut artifacts = Vec::new();
    for spec in &parsed {
        artifacts.extend(render(spec, formats).map_err(|e| format!("error: {e}"))?);
    }
    Ok(artifacts)
}

/// The roles of a spec file: a JSON spec, or every `connector_role!` of a `.rs` file.
fn read_spec(path: &Path) -> Result<Vec<RoleSpec>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("error: {}: {e}", path.display()))?;
    let located = |line: usize, column: usize, message: &dyn std::fmt::Display| {
        let excerpt = locate::excerpt(&text, line, column);
        format!(
            "error: {}:{line}:{column}: {message}\n{excerpt}",
            path.display()
        )
    };
    let messages: Vec<String> = if path.extension().is_some_and(|e| e == "rs") {
        match source::roles(&text) {
            Ok(roles) => return Ok(roles),
            Err(errors) => errors
                .iter()
                .map(|e| located(e.line, e.column, &e.message))
                .collect(),
        }
    } else {
        match RoleSpec::from_json(&text) {
            Ok(spec) => return Ok(vec![spec]),
            Err(errors) => errors
                .0
                .iter()
                .map(|error| {
                    match locate::locate(&text, &error.path).filter(|_| !error.path.is_empty()) {
                        Some((line, column)) => located(line, column, error),
                        None => format!("error: {}: {error}", path.display()),
                    }
                })
                .collect(),
        }
    };
    Err(messages.join("\n"))
}

fn duplicate_name(specs: &[RoleSpec]) -> Option<&str> {
    specs
        .iter()
        .enumerate()
        .find(|(i, spec)| specs[..*i].iter().any(|other| other.name == spec.name))
        .map(|(_, spec)| spec.name.as_str())
}

fn generate(
    specs: &SpecArgs,
    formats: &[Format],
    stdout: bool,
    overwrite: Overwrite,
) -> Result<ExitCode, String> {
    let artifacts = artifacts(specs, formats)?;
    if stdout {
        print!("{}", listing(&artifacts));
        return Ok(ExitCode::SUCCESS);
    }
    let written = write(&specs.out, &artifacts, overwrite).map_err(|e| format!("error: {e}"))?;
    for (path, outcome) in written {
        println!(
            "{:<9} {}",
            format!("{outcome:?}").to_lowercase(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn check(specs: &SpecArgs) -> Result<ExitCode, String> {
    let artifacts = artifacts(specs, &Format::ALL)?;
    let drifted = drift(&specs.out, &artifacts).map_err(|e| format!("error: {e}"))?;
    for drift in &drifted {
        match drift {
            Drift::Missing(path) => println!("missing   {}", path.display()),
            Drift::Changed(path) => println!("changed   {}", path.display()),
        }
    }
    if drifted.is_empty() {
        println!("{} files up to date", artifacts.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{} of {} files differ: run `connector-roles generate` to update them",
            drifted.len(),
            artifacts.len()
        );
        Ok(ExitCode::from(DRIFT))
    }
}
