//! Writing artifacts to disk, and comparing them with what is there.
//!
//! Every file is written atomically: to a temporary file in the same folder, then renamed
//! over the target, so a reader (or an interrupted run) sees the old file or the new one,
//! never half of one. Files whose contents are already right are left untouched.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::render::Artifact;

/// Writing an artifact failed.
#[derive(Debug, thiserror::Error)]
#[error("writing {path}: {source}")]
pub struct WriteError {
    /// The file being written.
    pub path: PathBuf,
    /// The I/O error.
    #[source]
    pub source: io::Error,
}

/// What a write did to each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The file did not exist.
    Created,
    /// The file existed with other contents.
    Updated,
    /// The file already held these contents.
    Unchanged,
}

/// Writes each artifact under `out`, atomically, and reports what happened to each.
pub fn write_all(
    out: &Path,
    artifacts: &[Artifact],
) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
    artifacts
        .iter()
        .map(|artifact| {
            let path = out.join(&artifact.path);
            let outcome =
                write_one(&path, artifact.contents.as_bytes()).map_err(|source| WriteError {
                    path: path.clone(),
                    source,
                })?;
            Ok((path, outcome))
        })
        .collect()
}

fn write_one(path: &Path, contents: &[u8]) -> io::Result<Outcome> {
    let outcome = match std::fs::read(path) {
        Ok(existing) if existing == contents => return Ok(Outcome::Unchanged),
        Ok(_) => Outcome::Updated,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Outcome::Created,
        Err(e) => return Err(e),
    };
    let folder = path.parent().expect("artifact paths have a folder");
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(outcome)
}

/// How a file on disk differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file is missing.
    Missing(PathBuf),
    /// The file's contents differ.
    Changed(PathBuf),
}

/// The artifacts under `out` that are missing or differ from `artifacts`.
pub fn drift(out: &Path, artifacts: &[Artifact]) -> Result<Vec<Drift>, WriteError> {
    let mut drifted = Vec::new();
    for artifact in artifacts {
        let path = out.join(&artifact.path);
        match std::fs::read(&path) {
            Ok(existing) if existing == artifact.contents.as_bytes() => {}
            Ok(_) => drifted.push(Drift::Changed(path)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => drifted.push(Drift::Missing(path)),
            Err(source) => return Err(WriteError { path, source }),
        }
    }
    Ok(drifted)
}
