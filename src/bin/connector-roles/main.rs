//! The `connector-roles` command-line tool: parses the command line, runs one command
//! (`commands/`), and prints a failure and picks the exit code in one place (`failure`).

mod commands;
mod failure;
mod input;
#[cfg(feature = "aws")]
mod live;
mod progress;
mod select;
mod specs;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use connector_roles::{Format, Overwrite, Wait};
use failure::Failure;
use specs::SpecArgs;

/// Writes the IAM role an Amazon Q Business data source connector needs, as CloudFormation,
/// AWS CDK TypeScript, Terraform and policy JSON.
#[derive(Parser)]
#[command(
    version,
    about,
    after_help = failure::EXIT_CODES_HELP
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
    /// Lists the documented connectors, with the status AWS gives each.
    List(commands::list::ListArgs),
    /// Compares an existing role with the documented one: exits 0 when equal, 1 when not.
    Audit(commands::audit::AuditArgs),
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
            commands::generate::run(&specs, &format.formats(), stdout, overwrite, wait)
        }
        Command::Check { specs } => commands::check::run(&specs),
        Command::List(args) => commands::list::run(&args),
        Command::Audit(args) => commands::audit::run(&args),
    };
    result.map_or_else(Failure::exit, ExitCode::from)
}
