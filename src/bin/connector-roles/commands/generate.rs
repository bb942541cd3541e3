//! `connector-roles generate`: writes each spec's artifacts, or prints them.

use connector_roles::{Access, Format, Overwrite, RoleSpec, Wait, WriteError, listing, status};

use super::{failed, lock};
use crate::failure::{self, Done, Failure};
use crate::progress::Progress;
use crate::specs::{SpecArgs, artifacts, read_specs};

/// Checks every spec, then renders and writes one spec at a time, so memory stays flat
/// however many roles there are. Nothing is written when a spec is invalid or, without
/// `--force`, when any target is not ours: existing output folders are checked first. The
/// output folder is locked from that check until the last manifest is written, so that two
/// runs never mix their files.
pub fn run(
    specs: &SpecArgs,
    formats: &[Format],
    stdout: bool,
    overwrite: Overwrite,
    wait: Wait,
) -> Result<Done, Failure> {
    let roles = read_specs(specs)?;
    warn_of_status(&roles);
    if stdout {
        let mut all = Vec::new();
        for spec in &roles {
            all.extend(artifacts(spec, formats)?);
        }
        failure::print(&listing(&all))?;
        return Ok(Done::Success);
    }
    let lock = lock(&specs.out, wait, Access::Write)?;
    if overwrite == Overwrite::OnlyOurs {
        let progress = Progress::new("checking", roles.len());
        let mut refused = Vec::new();
        for spec in &roles {
            refused.extend(lock.not_ours(&artifacts(spec, formats)?).map_err(failed)?);
            progress.advance();
        }
        if !refused.is_empty() {
            return Err(failed(WriteError::NotOurs(refused)));
        }
    }
    // Every target is ours or absent (checked above), so the writes need not check again.
    let progress = Progress::new("writing", roles.len());
    for spec in &roles {
        let written = lock
            .write(&artifacts(spec, formats)?, Overwrite::Force)
            .map_err(failed)?;
        let mut lines = String::new();
        for (path, outcome) in written {
            let outcome = format!("{outcome:?}").to_lowercase();
            lines.push_str(&format!("{outcome:<9} {}\n", path.display()));
        }
        progress.suspend(|| failure::print(&lines))?;
        progress.advance();
    }
    Ok(Done::Success)
}

/// One warning on standard error for each connector AWS no longer onboards or offers only in
/// preview, in AWS's words: the role is still written (accounts that onboarded before use it).
fn warn_of_status(roles: &[RoleSpec]) {
    let today = status::today();
    let mut warned: Vec<&str> = Vec::new();
    for spec in roles {
        let id = spec.connector.id.as_str();
        if warned.contains(&id) {
            continue;
        }
        warned.push(id);
        if let Some(warning) = spec.connector.listed.warning(id, &today) {
            eprintln!("warning: {warning}");
        }
    }
}
