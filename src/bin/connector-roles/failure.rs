//! Why a command failed, the exit code that says so, and writing to the standard streams
//! without ever panicking.
//!
//! Exit codes mean one thing each: 0 success; 1 drift (`check`) or a role that differs
//! (`audit`); 2 invalid input, nothing written; 3 an I/O or environment failure (disk full,
//! permission denied, a file that cannot be read or written); 141 (128 + SIGPIPE, as a shell
//! reports a command killed by a closed pipe) when standard output's reader went away, which
//! ends the command quietly.

use std::io::{self, Write};
use std::process::ExitCode;

/// Exit code for `check` drift and for an audited role that differs.
pub const DIFFERS: u8 = 1;
/// Exit code for invalid input; nothing is written.
pub const INVALID: u8 = 2;
/// Exit code for an I/O or environment failure.
pub const IO: u8 = 3;
/// Exit code when standard output was closed by its reader (128 + SIGPIPE).
pub const CLOSED_PIPE: u8 = 141;

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// The input is invalid: each line of the message names the file, the field and the rule.
    Invalid(String),
    /// Reading or writing failed for a reason outside the input (disk full, permissions).
    Io(String),
    /// Standard output's reader went away: end quietly.
    ClosedPipe,
}

impl Failure {
    /// An invalid-input failure, its message starting `error: `.
    pub fn invalid(message: impl std::fmt::Display) -> Failure {
        Failure::Invalid(format!("error: {message}"))
    }

    /// An I/O failure, its message starting `error: `.
    pub fn io(message: impl std::fmt::Display) -> Failure {
        Failure::Io(format!("error: {message}"))
    }

    /// Reports the failure on standard error and returns its exit code.
    pub fn exit(self) -> ExitCode {
        let (code, message) = match self {
            Failure::Invalid(message) => (INVALID, message),
            Failure::Io(message) => (IO, message),
            Failure::ClosedPipe => return ExitCode::from(CLOSED_PIPE),
        };
        // Nothing more can be said when standard error fails too.
        let _ = writeln!(io::stderr().lock(), "{message}");
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
