//! Writing artifacts to disk safely, and comparing them with what is there.
//!
//! - Every file is written atomically: to a temporary file in the same folder, then renamed
//!   over the target, so a reader (or an interrupted run) sees the old file or the new one,
//!   never half of one. Files that already hold the right contents are left untouched.
//! - A file the tool did not write, or that was edited since, is never overwritten
//!   silently. Each output folder (`NAME/`) holds a manifest, [`MANIFEST`], with the SHA-256
//!   of every file written there; a file on disk is ours when its hash is in the manifest.
//!   Generated files also carry a header saying so, for people; JSON cannot, so the
//!   manifest is what decides for every format.
//! - The manifest never lags the files: before the files change it lists both the old and
//!   the new hashes, and only the new ones after, so an interrupted run leaves every file
//!   old or new, and each is still recognised as ours.
//! - One writer at a time: a write holds an advisory lock ([`OutputLock`], `flock` on the
//!   output folder itself, so no lock file is left behind) from before it reads the manifests
//!   until it has written them; a second run waits for it, or fails at once when asked not to
//!   wait. Two runs on one folder leave exactly one run's files and the manifest that matches
//!   them.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::render::Artifact;

/// The manifest's file name in each output folder.
pub const MANIFEST: &str = ".connector-roles-manifest.json";

/// The prefix of temporary files; leftovers of a killed run are removed by the next one.
const TEMPORARY_PREFIX: &str = ".connector-roles-";

/// Writing artifacts failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Writing a file (or a folder) failed.
    #[error("writing {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// Reading a file that is there (a manifest, a file to compare) failed.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// Another run holds the output folder's lock and the caller asked not to wait.
    #[error("{} is being written by another connector-roles run; nothing was written (run again when it ends, or without --no-wait to wait for it)", .0.display())]
    Locked(PathBuf),
    /// Files exist that the tool did not write or that were edited since; nothing was
    /// written.
    #[error("{} not written by connector-roles or edited since; nothing was written (use --force to overwrite): {}", if .0.len() == 1 { "a file was" } else { "files were" }, .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NotOurs(Vec<PathBuf>),
}

/// Whether files that are not ours may be overwritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse, writing nothing, when any target is not ours or was edited.
    OnlyOurs,
    /// Overwrite whatever is there.
    Force,
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

/// Writes each artifact under `out`, refusing to overwrite files that are not ours.
pub fn write_all(
    out: &Path,
    artifacts: &[Artifact],
) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
    write(out, artifacts, Overwrite::OnlyOurs)
}

/// Writes each artifact under `out`, atomically, and reports what happened to each; waits
/// for any other run writing to `out` first.
pub fn write(
    out: &Path,
    artifacts: &[Artifact],
    overwrite: Overwrite,
) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
    OutputLock::acquire(out, Wait::Block, Access::Write)?.write(artifacts, overwrite)
}

/// Whether to wait for a lock another run holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Wait until the other run ends.
    Block,
    /// Fail at once with [`WriteError::Locked`].
    NoWait,
}

/// What the lock is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reading (`check`): runs that read may hold it together.
    Read,
    /// Writing: one run alone.
    Write,
}

/// An advisory lock on an output folder, held until dropped: `flock` on the folder itself
/// (a lock file elsewhere than Unix, where a folder cannot be opened).
#[derive(Debug)]
pub struct OutputLock {
    out: PathBuf,
    _file: std::fs::File,
}

impl OutputLock {
    /// Locks `out` (created if missing) for `access`; `wait` says what to do when another
    /// run holds it.
    pub fn acquire(out: &Path, wait: Wait, access: Access) -> Result<OutputLock, WriteError> {
        Self::acquire_saying(out, wait, access, |_| {})
    }

    /// [`OutputLock::acquire`], calling `waiting` once with the folder before it waits for
    /// another run.
    pub fn acquire_saying(
        out: &Path,
        wait: Wait,
        access: Access,
        waiting: impl FnOnce(&Path),
    ) -> Result<OutputLock, WriteError> {
        let io = |source| WriteError::Io {
            path: out.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(out).map_err(io)?;
        #[cfg(unix)]
        let file = std::fs::File::open(out).map_err(io)?;
        #[cfg(not(unix))]
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(out.join(".connector-roles.lock"))
            .map_err(io)?;
        let tried = match access {
            Access::Read => file.try_lock_shared(),
            Access::Write => file.try_lock(),
        };
        match tried {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) if wait == Wait::NoWait => {
                return Err(WriteError::Locked(out.to_path_buf()));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting(out);
                match access {
                    Access::Read => file.lock_shared(),
                    Access::Write => file.lock(),
                }
                .map_err(io)?;
            }
            Err(std::fs::TryLockError::Error(source)) => return Err(io(source)),
        }
        Ok(OutputLock {
            out: out.to_path_buf(),
            _file: file,
        })
    }

    /// [`write`] under this lock.
    pub fn write(
        &self,
        artifacts: &[Artifact],
        overwrite: Overwrite,
    ) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
        write_unlocked(&self.out, artifacts, overwrite)
    }

    /// [`not_ours`] under this lock.
    pub fn not_ours(&self, artifacts: &[Artifact]) -> Result<Vec<PathBuf>, WriteError> {
        not_ours(&self.out, artifacts)
    }

    /// [`drift`] under this lock.
    pub fn drift(&self, artifacts: &[Artifact]) -> Result<Vec<Drift>, WriteError> {
        drift(&self.out, artifacts)
    }
}

/// [`write`], for a caller that holds the lock.
fn write_unlocked(
    out: &Path,
    artifacts: &[Artifact],
    overwrite: Overwrite,
) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
    let folders = Folder::group(out, artifacts)?;
    if overwrite == Overwrite::OnlyOurs {
        let refused: Vec<PathBuf> = folders.iter().flat_map(Folder::not_ours).collect();
        if !refused.is_empty() {
            return Err(WriteError::NotOurs(refused));
        }
    }
    let mut outcomes = Vec::with_capacity(artifacts.len());
    for folder in &folders {
        outcomes.extend(folder.write()?);
    }
    Ok(outcomes)
}

/// The targets of `artifacts` under `out` that [`write`] refuses to overwrite without
/// [`Overwrite::Force`]: files that exist with other contents and that the manifest does not
/// know. Lets a caller that writes in several calls check them all before writing any.
pub fn not_ours(out: &Path, artifacts: &[Artifact]) -> Result<Vec<PathBuf>, WriteError> {
    Ok(Folder::group(out, artifacts)?
        .iter()
        .flat_map(Folder::not_ours)
        .collect())
}

/// The artifacts of one output folder (`out/NAME`), with what is on disk there.
struct Folder<'a> {
    root: PathBuf,
    /// Each artifact's path relative to the folder, with the artifact.
    files: Vec<(String, &'a Artifact)>,
    /// The manifest on disk: each file's known hashes.
    known: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Folder<'a> {
    fn group(out: &Path, artifacts: &'a [Artifact]) -> Result<Vec<Folder<'a>>, WriteError> {
        let mut folders: Vec<Folder<'a>> = Vec::new();
        for artifact in artifacts {
            let (name, relative) = artifact
                .path
                .split_once('/')
                .expect("artifact paths are NAME/...");
            let root = out.join(name);
            let index = match folders.iter().position(|f| f.root == root) {
                Some(index) => index,
                None => {
                    let known = read_manifest(&root.join(MANIFEST))?;
                    folders.push(Folder {
                        root,
                        files: Vec::new(),
                        known,
                    });
                    folders.len() - 1
                }
            };
            folders[index].files.push((relative.to_owned(), artifact));
        }
        Ok(folders)
    }

    /// The targets that exist with other contents and whose hash the manifest does not know;
    /// a target that exists but cannot be read is not known to be ours either.
    fn not_ours(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter_map(|(relative, artifact)| {
                let path = self.root.join(relative);
                let existing = match std::fs::read(&path) {
                    Ok(existing) => existing,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
                    Err(_) => return Some(path),
                };
                let ours = existing == artifact.contents.as_bytes()
                    || self
                        .known
                        .get(relative)
                        .is_some_and(|hashes| hashes.contains(&sha256(&existing)));
                (!ours).then_some(path)
            })
            .collect()
    }

    fn write(&self) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError::Io { path, source }
        };
        std::fs::create_dir_all(&self.root).map_err(io(&self.root))?;
        // Only the folders the tool writes to: never `node_modules`, `cdk.out` or
        // `.terraform`, which users' tools create beside our files.
        let folders: BTreeSet<PathBuf> = self
            .files
            .iter()
            .filter_map(|(relative, _)| self.root.join(relative).parent().map(Path::to_path_buf))
            .collect();
        for folder in &folders {
            remove_leftovers(folder).map_err(io(folder))?;
        }
        let new: BTreeMap<String, BTreeSet<String>> = self
            .files
            .iter()
            .map(|(relative, artifact)| {
                (
                    relative.clone(),
                    BTreeSet::from([sha256(artifact.contents.as_bytes())]),
                )
            })
            .collect();
        let manifest = self.root.join(MANIFEST);
        // Old and new hashes while the files change, then only the new ones.
        let mut both = self.known.clone();
        for (relative, hashes) in &new {
            both.entry(relative.clone())
                .or_default()
                .extend(hashes.iter().cloned());
        }
        write_if_changed(&manifest, manifest_text(&both).as_bytes()).map_err(io(&manifest))?;
        let mut outcomes = Vec::with_capacity(self.files.len());
        for (relative, artifact) in &self.files {
            let path = self.root.join(relative);
            let outcome =
                write_if_changed(&path, artifact.contents.as_bytes()).map_err(io(&path))?;
            outcomes.push((path, outcome));
        }
        let mut kept = self.known.clone();
        kept.extend(new);
        write_if_changed(&manifest, manifest_text(&kept).as_bytes()).map_err(io(&manifest))?;
        Ok(outcomes)
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn read_manifest(path: &Path) -> Result<BTreeMap<String, BTreeSet<String>>, WriteError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let files = json.get("files").and_then(serde_json::Value::as_object);
            Ok(files
                .into_iter()
                .flatten()
                .map(|(file, hashes)| {
                    let hashes = match hashes {
                        serde_json::Value::String(one) => BTreeSet::from([one.clone()]),
                        many => many
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|h| h.as_str().map(str::to_owned))
                            .collect(),
                    };
                    (file.clone(), hashes)
                })
                .collect())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(source) => Err(WriteError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The manifest: one hash per file as a string, several (during a write) as a list.
fn manifest_text(files: &BTreeMap<String, BTreeSet<String>>) -> String {
    let files: serde_json::Map<String, serde_json::Value> = files
        .iter()
        .map(|(file, hashes)| {
            let value = match hashes.len() {
                1 => serde_json::json!(hashes.first()),
                _ => serde_json::json!(hashes),
            };
            (file.clone(), value)
        })
        .collect();
    let manifest = serde_json::json!({
        "generated_by": "connector-roles",
        "note": "SHA-256 of each file connector-roles wrote here; it overwrites only these.",
        "files": files,
    });
    serde_json::to_string_pretty(&manifest).expect("JSON serializes") + "\n"
}

/// Removes the temporary files a killed run left directly in `folder`, if it exists.
fn remove_leftovers(folder: &Path) -> io::Result<()> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMPORARY_PREFIX)
            && name.ends_with(".tmp")
            && entry.file_type()?.is_file()
        {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, contents: &[u8]) -> io::Result<Outcome> {
    let outcome = match std::fs::read(path) {
        Ok(existing) if existing == contents => return Ok(Outcome::Unchanged),
        Ok(_) => Outcome::Updated,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Outcome::Created,
        Err(e) => return Err(e),
    };
    let folder = path.parent().expect("artifact paths have a folder");
    std::fs::create_dir_all(folder)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(".tmp");
    // A new file gets read and write for all (0666) less what the umask removes (the kernel
    // applies it), as `touch` does: 0644 under the usual umask 022, not tempfile's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temporary = builder.tempfile_in(folder)?;
    // An update keeps the file's mode.
    if outcome == Outcome::Updated {
        temporary
            .as_file()
            .set_permissions(std::fs::metadata(path)?.permissions())?;
    }
    temporary.write_all(contents)?;
    // No fsync: the rename is atomic for every reader and against a killed process, which is
    // what a generator needs; durability across power loss is the file system's, as for
    // other build tools (an fsync per file made large runs 20 times slower).
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
            Err(source) => return Err(WriteError::Read { path, source }),
        }
    }
    Ok(drifted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact(path: &str, contents: &str) -> Artifact {
        Artifact {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn refuses_files_that_are_not_ours_or_edited() {
        let out = tempfile::tempdir().unwrap();
        let first = [
            artifact("role/a.yaml", "one"),
            artifact("role/b.json", "{}"),
        ];
        write_all(out.path(), &first).unwrap();
        // Regenerating our own files is fine.
        let second = [
            artifact("role/a.yaml", "two"),
            artifact("role/b.json", "[]"),
        ];
        let outcomes = write_all(out.path(), &second).unwrap();
        assert!(outcomes.iter().all(|(_, o)| *o == Outcome::Updated));
        // An edited file is refused, and nothing is written.
        std::fs::write(out.path().join("role/a.yaml"), "edited").unwrap();
        std::fs::write(out.path().join("role/c.tf"), "hand-written").unwrap();
        let third = [
            artifact("role/a.yaml", "three"),
            artifact("role/b.json", "{}"),
            artifact("role/c.tf", "x"),
        ];
        let refused = write_all(out.path(), &third).unwrap_err();
        let WriteError::NotOurs(paths) = &refused else {
            panic!("{refused}")
        };
        assert_eq!(
            paths,
            &[out.path().join("role/a.yaml"), out.path().join("role/c.tf")]
        );
        assert_eq!(
            std::fs::read_to_string(out.path().join("role/b.json")).unwrap(),
            "[]"
        );
        // Forced, everything is written and the files are ours again.
        write(out.path(), &third, Overwrite::Force).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.path().join("role/a.yaml")).unwrap(),
            "three"
        );
        write_all(out.path(), &first).unwrap();
    }

    #[test]
    fn a_target_that_cannot_be_read_is_not_taken_as_ours() {
        let out = tempfile::tempdir().unwrap();
        // A folder where a file goes cannot be read as one.
        std::fs::create_dir_all(out.path().join("role/a.yaml")).unwrap();
        let refused = write_all(out.path(), &[artifact("role/a.yaml", "one")]).unwrap_err();
        assert!(
            matches!(refused, WriteError::NotOurs(paths) if paths == [out.path().join("role/a.yaml")])
        );
    }

    #[test]
    fn the_manifest_lists_each_file_once_after_a_write() {
        let out = tempfile::tempdir().unwrap();
        write_all(out.path(), &[artifact("role/a.yaml", "one")]).unwrap();
        write_all(out.path(), &[artifact("role/a.yaml", "two")]).unwrap();
        let manifest = std::fs::read_to_string(out.path().join("role").join(MANIFEST)).unwrap();
        let json: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert_eq!(json["files"]["a.yaml"], sha256(b"two"));
    }

    #[cfg(unix)]
    #[test]
    fn new_files_follow_the_umask_and_updates_keep_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let out = tempfile::tempdir().unwrap();
        write_all(out.path(), &[artifact("role/a.yaml", "one")]).unwrap();
        let file = out.path().join("role/a.yaml");
        // The test process's umask, read back from a file the standard library creates.
        let probe = out.path().join("probe");
        std::fs::write(&probe, "").unwrap();
        assert_eq!(mode(&file), mode(&probe));
        assert_eq!(mode(&file) & 0o600, 0o600, "the owner reads and writes");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_all(out.path(), &[artifact("role/a.yaml", "two")]).unwrap();
        assert_eq!(mode(&file), 0o640);
        write(
            out.path(),
            &[artifact("role/a.yaml", "three")],
            Overwrite::Force,
        )
        .unwrap();
        assert_eq!(mode(&file), 0o640);
    }

    #[test]
    fn leftover_temporary_files_are_removed_from_our_folders_only() {
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(out.path().join("role/cdk/node_modules/x")).unwrap();
        let leftover = out.path().join("role/cdk/.connector-roles-abc.tmp");
        std::fs::write(&leftover, "half").unwrap();
        let theirs = out
            .path()
            .join("role/cdk/node_modules/x/.connector-roles-abc.tmp");
        std::fs::write(&theirs, "not ours to clean").unwrap();
        write_all(out.path(), &[artifact("role/cdk/a.ts", "one")]).unwrap();
        assert!(!leftover.exists());
        assert!(theirs.exists());
    }
}
