//! `connector-roles check`: which files on disk differ from what `generate` writes.

use connector_roles::{Access, Drift, Format, Wait};

use super::{failed, lock};
use crate::failure::{self, Done, Failure};
use crate::progress::Progress;
use crate::specs::{SpecArgs, artifacts, read_specs};

/// Prints each file that is missing or differs; [`Done::Differs`] when any does.
pub fn run(specs: &SpecArgs) -> Result<Done, Failure> {
    let (mut files, mut differ) = (0, 0);
    let roles = read_specs(specs)?;
    // Read while no run writes: a run half-way would look like drift.
    let lock = if specs.out.is_dir() {
        Some(lock(&specs.out, Wait::Block, Access::Read)?)
    } else {
        None
    };
    let progress = Progress::new("checking", roles.len());
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
        progress.suspend(|| failure::print(&lines))?;
        progress.advance();
        files += artifacts.len();
        differ += drifted.len();
    }
    drop(progress);
    if differ == 0 {
        failure::print(&format!("{files} files up to date\n"))?;
        Ok(Done::Success)
    } else {
        failure::print(&format!(
            "{differ} of {files} files differ: run `connector-roles generate` to update them\n"
        ))?;
        Ok(Done::Differs)
    }
}
