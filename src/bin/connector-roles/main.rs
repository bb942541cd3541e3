//! The `connector-roles` command-line tool.

mod audit;
mod failure;
mod input;
mod list;
mod locate;
mod select;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use connector_roles::{
    Access, Artifact, Drift, Format, OutputLock, Overwrite, RoleSpec, Wait, WriteError, listing,
    render, source,
};
use failure::Failure;

/// Writes the IAM role an Amazon Q Business data source connector needs, as CloudFormation,
/// AWS CDK TypeScript, Terraform and policy JSON.
#[derive(Parser)]
#[command(
    version,
    about,
    after_help = "Exit codes: 0 success; 1 drift (check) or a role that differs (audit); 2 invalid \
                  input, nothing written; 3 an I/O or environment failure (disk full, permission \
                  denied); 141 standard output closed by its reader."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the artifacts of each spec (the embedded default without SPEC or --connector).
    Generate {
        #[command(flatten)]
        specs: SpecArgs,
        /// Which format to write.
        #[arg(long, value_enum, default_value_t = FormatArg::All)]
        format: FormatArg,
        /// Print the files to standard output instead of writing them.
        #[arg(long)]
        stdout: bool,
        /// Overwrite files that connector-roles did not write or that were edited since, and
        /// replace symbolic links where its folders or files go (never writing through them).
        #[arg(long)]
        force: bool,
        /// Fail at once (exit 3) when another run is writing to the output folder, instead
        /// of waiting for it.
        #[arg(long)]
        no_wait: bool,
    },
    /// Exits 1, naming the files, when what is on disk differs from what generate writes.
    Check {
        #[command(flatten)]
        specs: SpecArgs,
    },
    /// Lists the documented connectors.
    List,
    /// Compares an existing role with the documented one: exits 0 when equal, 1 when not.
    Audit(audit::AuditArgs),
}

#[derive(Args)]
struct SpecArgs {
    /// JSON spec files, or Rust files whose `connector_role!` invocations are read (`-`:
    /// a JSON spec on standard input); without any (and without --connector), the embedded
    /// default (RDS (MySQL), every value open, VPC on).
    spec: Vec<PathBuf>,
    /// The output folder.
    #[arg(long, default_value = "output")]
    out: PathBuf,
    #[command(flatten)]
    select: select::Select,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            specs,
            format,
            stdout,
            force,
            no_wait,
        } => {
            let overwrite = if force {
                Overwrite::Force
            } else {
                Overwrite::OnlyOurs
            };
            let wait = if no_wait { Wait::NoWait } else { Wait::Block };
            generate(&specs, &format.formats(), stdout, overwrite, wait)
        }
        Command::Check { specs } => check(&specs),
        Command::List => failure::print(&list::table()).map(|()| ExitCode::SUCCESS),
        Command::Audit(args) => audit::run(&args),
    };
    result.unwrap_or_else(Failure::exit)
}

/// Reads and checks every spec, or fails before anything is rendered or written.
fn read_specs(specs: &SpecArgs) -> Result<Vec<RoleSpec>, Failure> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for path in &specs.spec {
        match read_spec(path) {
            Ok(specs) => parsed.extend(specs),
            Err(Failure::Invalid(message)) => errors.push(message),
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
            "error: two specs are named {name:?}; each needs its own output folder"
        ));
    }
    if !errors.is_empty() {
        return Err(Failure::Invalid(errors.join("\n")));
    }
    Ok(parsed)
}

/// The artifacts of one spec.
fn artifacts(spec: &RoleSpec, formats: &[Format]) -> Result<Vec<Artifact>, Failure> {
    render(spec, formats).map_err(Failure::invalid)
}

/// The roles of a spec file: a JSON spec, or every `connector_role!` of a `.rs` file (at
/// least one).
fn read_spec(path: &Path) -> Result<Vec<RoleSpec>, Failure> {
    let text = input::read(path, input::SPEC_CAP)?;
    let located = |line: usize, column: usize, message: &dyn std::fmt::Display| {
        let excerpt = locate::excerpt(&text, line, column);
        format!(
            "error: {}:{line}:{column}: {message}\n{excerpt}",
            path.display()
        )
    };
    let messages: Vec<String> = if path.extension().is_some_and(|e| e == "rs") {
        match source::roles(&text) {
            Ok(roles) if roles.is_empty() => {
                return Err(Failure::invalid(format!(
                    "{}: declares no role: no `connector_role!` invocation was found",
                    path.display()
                )));
            }
            Ok(roles) => return Ok(roles),
            Err(errors) => errors
                .iter()
                .map(|e| located(e.line, e.column, &e.message))
                .collect(),
        }
    } else {
        match RoleSpec::from_json(&text) {
            Ok(spec) => return Ok(vec![spec]),
            Err(errors) => {
                let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
                let places = locate::locate_all(&text, &paths);
                errors
                    .0
                    .iter()
                    .zip(places)
                    .map(
                        |(error, place)| match place.filter(|_| !error.path.is_empty()) {
                            Some((line, column)) => located(line, column, error),
                            None => format!("error: {}: {error}", path.display()),
                        },
                    )
                    .collect()
            }
        }
    };
    Err(Failure::Invalid(messages.join("\n")))
}

fn duplicate_name(specs: &[RoleSpec]) -> Option<&str> {
    specs
        .iter()
        .enumerate()
        .find(|(i, spec)| specs[..*i].iter().any(|other| other.name == spec.name))
        .map(|(_, spec)| spec.name.as_str())
}

/// Checks every spec, then renders and writes one spec at a time, so memory stays flat
/// however many roles there are. Nothing is written when a spec is invalid or, without
/// `--force`, when any target is not ours: existing output folders are checked first. The
/// output folder is locked from that check until the last manifest is written, so that two
/// runs never mix their files.
fn generate(
    specs: &SpecArgs,
    formats: &[Format],
    stdout: bool,
    overwrite: Overwrite,
    wait: Wait,
) -> Result<ExitCode, Failure> {
    let roles = read_specs(specs)?;
    if stdout {
        let mut all = Vec::new();
        for spec in &roles {
            all.extend(artifacts(spec, formats)?);
        }
        failure::print(&listing(&all))?;
        return Ok(ExitCode::SUCCESS);
    }
    let lock = lock(&specs.out, wait, Access::Write)?;
    if overwrite == Overwrite::OnlyOurs {
        let mut refused = Vec::new();
        for spec in &roles {
            refused.extend(lock.not_ours(&artifacts(spec, formats)?).map_err(failed)?);
        }
        if !refused.is_empty() {
            return Err(failed(WriteError::NotOurs(refused)));
        }
    }
    // Every target is ours or absent (checked above), so the writes need not check again.
    for spec in &roles {
        let written = lock
            .write(&artifacts(spec, formats)?, Overwrite::Force)
            .map_err(failed)?;
        let mut lines = String::new();
        for (path, outcome) in written {
            let outcome = format!("{outcome:?}").to_lowercase();
            lines.push_str(&format!("{outcome:<9} {}\n", path.display()));
        }
        failure::print(&lines)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Locks the output folder `out`, saying once on standard error when it waits for another
/// run.
fn lock(out: &Path, wait: Wait, access: Access) -> Result<OutputLock, Failure> {
    OutputLock::acquire_saying(out, wait, access, |out, holder| {
        let holder = holder.map(|h| format!(" ({h})")).unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "waiting for another connector-roles run{holder} writing to {} ...",
            out.display()
        );
    })
    .map_err(failed)
}

/// A write that failed: files that are not ours and links where ours go are refused input; a lock held by another
/// run (with --no-wait) and anything else are I/O and environment failures.
fn failed(error: WriteError) -> Failure {
    match error {
        WriteError::NotOurs(_) | WriteError::Links(_) => Failure::invalid(error),
        WriteError::Locked { .. } | WriteError::Io { .. } | WriteError::Read { .. } => {
            Failure::io(error)
        }
    }
}

fn check(specs: &SpecArgs) -> Result<ExitCode, Failure> {
    let (mut files, mut differ) = (0, 0);
    let roles = read_specs(specs)?;
    // Read while no run writes: a run half-way would look like drift.
    let lock = if specs.out.is_dir() {
        Some(lock(&specs.out, Wait::Block, Access::Read)?)
    } else {
        None
    };
    for spec in &roles {
        let artifacts = artifacts(spec, &Format::ALL)?;
        let drifted = match &lock {
            Some(lock) => lock.drift(&artifacts),
            None => connector_roles::drift(&specs.out, &artifacts),
        }
        .map_err(failed)?;
        let mut lines = String::new();
        for drift in &drifted {
            match drift {
                Drift::Missing(path) => lines.push_str(&format!("missing   {}\n", path.display())),
                Drift::Changed(path) => lines.push_str(&format!("changed   {}\n", path.display())),
            }
        }
        failure::print(&lines)?;
        files += artifacts.len();
        differ += drifted.len();
    }
    if differ == 0 {
        failure::print(&format!("{files} files up to date\n"))?;
        Ok(ExitCode::SUCCESS)
    } else {
        failure::print(&format!(
            "{differ} of {files} files differ: run `connector-roles generate` to update them\n"
        ))?;
        Ok(ExitCode::from(failure::DIFFERS))
    }
}
