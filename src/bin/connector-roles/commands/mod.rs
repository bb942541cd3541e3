//! One module per command, as cargo lays out its own; each returns how it went
//! ([`Done`](crate::failure::Done)) or why it failed, printed in one place (`main`).

pub mod audit;
pub mod check;
pub mod generate;
pub mod list;
#[cfg(feature = "aws")]
pub mod scan;

use std::io::Write as _;
use std::path::Path;

use connector_roles::{Access, OutputLock, Wait, WriteError};

use crate::failure::Failure;

/// Locks the output folder `out`, saying once on standard error when it waits for another
/// run.
pub fn lock(out: &Path, wait: Wait, access: Access) -> Result<OutputLock, Failure> {
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

/// A write that failed: files that are not ours and links where ours go are refused input;
/// a lock held by another run (with --no-wait) and anything else are I/O and environment
/// failures.
pub fn failed(error: WriteError) -> Failure {
    match error {
        WriteError::NotOurs(_) | WriteError::Links(_) => Failure::invalid(error),
        WriteError::Locked { .. } | WriteError::Io { .. } | WriteError::Read { .. } => {
            Failure::io(error)
        }
    }
}
