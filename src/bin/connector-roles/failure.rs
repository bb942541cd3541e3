//! Why a command failed, the exit code that says so, and writing to the standard streams
//! without ever panicking.
//!
//! Exit codes mean one thing each: 0 success; 1 drift (`check`) or a role that differs
//! (`audit`); 2 invalid input, nothing written; 3 an I/O or environment failure (disk full,
//! permission denied, a file that cannot be read or written); 4 to 7 a failure to read an AWS
//! account (`audit --role-name`, `--scan`): no credentials, access denied, throttled after
//! the SDK's retries, any other; 141 (128 + SIGPIPE, as a shell
//! reports a command killed by a closed pipe) when standard output's reader went away, which
//! ends the command quietly.

use std::io::{self, Write};
use std::process::ExitCode;

/// Exit code for `check` drift and for an audited role that differs.
const DIFFERS: u8 = 1;
/// Exit code for invalid input; nothing is written.
const INVALID: u8 = 2;
/// Exit code for an I/O or environment failure.
const IO: u8 = 3;
/// Why reading an AWS account failed: each kind its exit code.
#[cfg(feature = "aws")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsFailure {
    /// Exit 4: no credentials, or ones AWS does not accept.
    NoCredentials,
    /// Exit 5: the credentials may not make a read-only IAM call.
    AccessDenied,
    /// Exit 6: AWS throttled the calls, after the SDK's retries.
    Throttled,
    /// Exit 7: any other failure to talk to AWS (network, endpoint, service error).
    Other,
}

#[cfg(feature = "aws")]
impl AwsFailure {
    fn code(self) -> u8 {
        match self {
            AwsFailure::NoCredentials => 4,
            AwsFailure::AccessDenied => 5,
            AwsFailure::Throttled => 6,
            AwsFailure::Other => 7,
        }
    }
}

/// Exit code when standard output was closed by its reader (128 + SIGPIPE).
const CLOSED_PIPE: u8 = 141;

/// How a command that ran to its end went: each is an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// Exit 0.
    Success,
    /// Exit 1: `check` found drift, or `audit` a role that differs.
    Differs,
}

impl From<Done> for ExitCode {
    fn from(done: Done) -> ExitCode {
        match done {
            Done::Success => ExitCode::SUCCESS,
            Done::Differs => ExitCode::from(DIFFERS),
        }
    }
}

/// The exit codes, for `--help`.
pub const EXIT_CODES_HELP: &str = "Exit codes: 0 success; 1 drift (check) or a role that differs \
    (audit); 2 invalid input, nothing written; 3 an I/O or environment failure (disk full, \
    permission denied, an output folder locked with --no-wait); reading an AWS account (audit \
    --role-name, --scan): 4 no credentials, 5 access denied, 6 throttled, 7 any other AWS \
    failure; 141 standard output closed by its reader.";

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// The input is invalid: each problem names the file, the field and the rule (and may
    /// carry an excerpt on the lines after its first).
    Invalid(Vec<String>),
    /// Reading or writing failed for a reason outside the input (disk full, permissions).
    Io(String),
    /// Reading an AWS account failed: the kind, and the call and AWS's message on one line.
    #[cfg(feature = "aws")]
    Aws(AwsFailure, String),
    /// Standard output's reader went away: end quietly.
    ClosedPipe,
}

impl Failure {
    /// An invalid-input failure with one problem.
    pub fn invalid(message: impl std::fmt::Display) -> Failure {
        Failure::Invalid(vec![message.to_string()])
    }

    /// An I/O failure.
    pub fn io(message: impl std::fmt::Display) -> Failure {
        Failure::Io(message.to_string())
    }

    /// A failure to read an AWS account.
    #[cfg(feature = "aws")]
    pub fn aws(kind: AwsFailure, message: impl std::fmt::Display) -> Failure {
        Failure::Aws(kind, message.to_string())
    }

    /// The exit code and the problems, each a message.
    pub fn parts(&self) -> (u8, Vec<String>) {
        match self {
            Failure::Invalid(messages) => (INVALID, messages.clone()),
            Failure::Io(message) => (IO, vec![message.clone()]),
            #[cfg(feature = "aws")]
            Failure::Aws(kind, message) => (kind.code(), vec![message.clone()]),
            Failure::ClosedPipe => (CLOSED_PIPE, Vec::new()),
        }
    }

    /// Reports the failure on standard error, each problem on a line starting `error: `,
    /// and returns its exit code. The one place that prints errors.
    pub fn exit(self) -> ExitCode {
        let (code, messages) = self.parts();
        if matches!(self, Failure::ClosedPipe) {
            return ExitCode::from(code);
        }
        let mut stderr = io::stderr().lock();
        for message in messages {
            // Nothing more can be said when standard error fails too.
            let _ = writeln!(stderr, "error: {message}");
        }
        ExitCode::from(code)
    }
}

/// Writes `text` to standard output and flushes it: a closed pipe is [`Failure::ClosedPipe`],
/// any other error a one-line I/O failure.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|error| match error.kind() {
            io::ErrorKind::BrokenPipe => Failure::ClosedPipe,
            _ => Failure::io(format!("writing to standard output: {error}")),
        })
}
