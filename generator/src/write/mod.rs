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
//! - Nothing is read or written through a symbolic link below the output folder: every folder
//!   and file under it is opened relative to the folder above without following links
//!   (`nofollow.rs`). A link where a folder or file of ours goes is refused
//!   ([`WriteError::Links`]) unless forced, which replaces the link itself.
//!
//! The output folder itself may be a link, or be reached through one: the user named it.

mod lock;
mod manifest;
mod nofollow;

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

pub use lock::{Access, OutputLock, Wait};
pub use manifest::MANIFEST;
use manifest::{Known, sha256};
use nofollow::{Contents, Dir, Found};

use crate::render::Artifact;

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
    #[error("{} is being written by another connector-roles run{}; nothing was written (run again when it ends, or without --no-wait to wait for it)", .path.display(), .holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    Locked {
        /// The output folder.
        path: PathBuf,
        /// The process holding the lock, with its command line, where the system says.
        holder: Option<String>,
    },
    /// Files exist that the tool did not write or that were edited since; nothing was
    /// written.
    #[error("{} not written by connector-roles or edited since; nothing was written (use --force to overwrite): {}", if .0.len() == 1 { "a file was" } else { "files were" }, .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NotOurs(Vec<PathBuf>),
    /// Symbolic links are where the tool's folders or files go; nothing was read or
    /// written through them, nor anything else.
    #[error("{} where connector-roles writes, and it never reads or writes through one; nothing was written (use --force to replace {} with a real folder or file): {}", if .0.len() == 1 { "a symbolic link is" } else { "symbolic links are" }, if .0.len() == 1 { "the link itself" } else { "the links themselves" }, .0.iter().map(Link::to_string).collect::<Vec<_>>().join(", "))]
    Links(Vec<Link>),
}

/// A symbolic link found where a folder or file of ours goes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} -> {}", .path.display(), .target.display())]
pub struct Link {
    /// The link.
    pub path: PathBuf,
    /// Where it points, as the link says.
    pub target: PathBuf,
}

/// Whether files that are not ours may be overwritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse, writing nothing, when any target is not ours, was edited, or is a link.
    OnlyOurs,
    /// Overwrite whatever is there; a link is replaced, never followed.
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

impl OutputLock {
    /// [`write()`] under this lock.
    pub fn write(
        &self,
        artifacts: &[Artifact],
        overwrite: Overwrite,
    ) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
        let folders = Folder::group(artifacts);
        if overwrite == Overwrite::OnlyOurs {
            let refused = refusals(&self.out, &folders)?;
            if !refused.is_empty() {
                return Err(WriteError::NotOurs(refused));
            }
        }
        let mut outcomes = Vec::with_capacity(artifacts.len());
        for folder in &folders {
            outcomes.extend(folder.write(&self.out, overwrite)?);
        }
        Ok(outcomes)
    }

    /// [`not_ours`] under this lock.
    pub fn not_ours(&self, artifacts: &[Artifact]) -> Result<Vec<PathBuf>, WriteError> {
        refusals(&self.out, &Folder::group(artifacts))
    }

    /// [`drift`] under this lock.
    pub fn drift(&self, artifacts: &[Artifact]) -> Result<Vec<Drift>, WriteError> {
        drift_in(&self.out, artifacts)
    }
}

/// The targets of `artifacts` under `out` that [`write()`] refuses to overwrite without
/// [`Overwrite::Force`]: files that exist with other contents and that the manifest does not
/// know. Lets a caller that writes in several calls check them all before writing any.
/// Links where our folders or files go are [`WriteError::Links`].
pub fn not_ours(out: &Path, artifacts: &[Artifact]) -> Result<Vec<PathBuf>, WriteError> {
    match open_existing(out)? {
        Some(out) => refusals(&out, &Folder::group(artifacts)),
        None => Ok(Vec::new()),
    }
}

/// How a file on disk differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file is missing.
    Missing(PathBuf),
    /// The file's contents differ.
    Changed(PathBuf),
}

/// The artifacts under `out` that are missing or differ from `artifacts`. Links where our
/// folders or files go are [`WriteError::Links`]: what they point to is not read.
pub fn drift(out: &Path, artifacts: &[Artifact]) -> Result<Vec<Drift>, WriteError> {
    match open_existing(out)? {
        Some(out) => drift_in(&out, artifacts),
        None => Ok(artifacts
            .iter()
            .map(|artifact| Drift::Missing(out.join(&artifact.path)))
            .collect()),
    }
}

/// The output folder, if it exists.
fn open_existing(out: &Path) -> Result<Option<Dir>, WriteError> {
    match Dir::open(out) {
        Ok(dir) => Ok(Some(dir)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(WriteError::Read {
            path: out.to_path_buf(),
            source,
        }),
    }
}

fn drift_in(out: &Dir, artifacts: &[Artifact]) -> Result<Vec<Drift>, WriteError> {
    let mut drifted = Vec::new();
    for (folder, on_disk) in look_all(out, &Folder::group(artifacts))? {
        for ((relative, artifact), existing) in folder.files.iter().zip(on_disk.files) {
            let path = out.path(folder.name).join(relative);
            match existing {
                None => drifted.push(Drift::Missing(path)),
                Some(Ok(existing)) if existing.bytes == artifact.contents.as_bytes() => {}
                Some(Ok(_)) => drifted.push(Drift::Changed(path)),
                Some(Err(source)) => return Err(WriteError::Read { path, source }),
            }
        }
    }
    Ok(drifted)
}

/// The targets of `folders` that exist with other contents and whose hash the manifest does
/// not know (a target that exists but cannot be read is not known to be ours either), or
/// every link where our folders or files go.
fn refusals(out: &Dir, folders: &[Folder]) -> Result<Vec<PathBuf>, WriteError> {
    let mut refused = Vec::new();
    for (folder, on_disk) in look_all(out, folders)? {
        for ((relative, artifact), existing) in folder.files.iter().zip(on_disk.files) {
            let ours = match existing {
                None => true,
                Some(Ok(existing)) => {
                    existing.bytes == artifact.contents.as_bytes()
                        || on_disk
                            .known
                            .get(*relative)
                            .is_some_and(|hashes| hashes.contains(&sha256(&existing.bytes)))
                }
                Some(Err(_)) => false,
            };
            if !ours {
                refused.push(out.path(folder.name).join(relative));
            }
        }
    }
    Ok(refused)
}

/// What is on disk for each of `folders`, or [`WriteError::Links`] with every link found
/// where our folders or files go.
fn look_all<'f, 'a>(
    out: &Dir,
    folders: &'f [Folder<'a>],
) -> Result<Vec<(&'f Folder<'a>, OnDisk)>, WriteError> {
    let mut links = Vec::new();
    let mut looked = Vec::with_capacity(folders.len());
    for folder in folders {
        let mut on_disk = folder.look(out)?;
        links.append(&mut on_disk.links);
        looked.push((folder, on_disk));
    }
    if links.is_empty() {
        Ok(looked)
    } else {
        Err(WriteError::Links(links))
    }
}

/// The artifacts of one output folder (`out/NAME`).
struct Folder<'a> {
    /// `NAME`.
    name: &'a str,
    /// Each artifact's path relative to the folder, with the artifact.
    files: Vec<(&'a str, &'a Artifact)>,
}

/// What is on disk for a [`Folder`], read without following links.
struct OnDisk {
    /// Each file's contents, in the folder's order: `None` when absent (or its folder is),
    /// an error when it cannot be read.
    files: Vec<Option<io::Result<Contents>>>,
    /// The manifest's hashes.
    known: Known,
    /// Links where the folder, a folder in it, a file or the manifest goes.
    links: Vec<Link>,
}

impl<'a> Folder<'a> {
    /// The artifacts grouped by output folder, in the order of their first artifact.
    fn group(artifacts: &'a [Artifact]) -> Vec<Folder<'a>> {
        let mut folders: Vec<Folder<'a>> = Vec::new();
        for artifact in artifacts {
            let (name, relative) = artifact
                .path
                .split_once('/')
                .expect("artifact paths are NAME/...");
            match folders.iter_mut().find(|f| f.name == name) {
                Some(folder) => folder.files.push((relative, artifact)),
                None => folders.push(Folder {
                    name,
                    files: vec![(relative, artifact)],
                }),
            }
        }
        folders
    }

    /// The folders the files are in, relative to this one (`""` for itself), parents first.
    fn subfolders(&self) -> BTreeSet<&'a str> {
        self.files
            .iter()
            .map(|(relative, _)| split(relative).0)
            .flat_map(|folder| {
                let mut ancestors = vec![""];
                ancestors.extend(folder.match_indices('/').map(|(i, _)| &folder[..i]));
                ancestors.push(folder);
                ancestors
            })
            .collect()
    }

    /// Opens this folder and each folder its files are in, parents first, taking each step
    /// with `step` from the folder above; stops below a link or an absent folder.
    fn open(
        &self,
        out: &Dir,
        step: impl Fn(&Dir, &str) -> io::Result<Found<Dir>>,
        links: &mut Vec<Link>,
    ) -> Result<BTreeMap<&'a str, Dir>, WriteError> {
        let mut open: BTreeMap<&'a str, Dir> = BTreeMap::new();
        for folder in self.subfolders() {
            let (parent, name) = if folder.is_empty() {
                (out, self.name)
            } else {
                let (parent, name) = split(folder);
                match open.get(parent) {
                    Some(parent) => (parent, name),
                    None => continue,
                }
            };
            let io = |source| WriteError::Io {
                path: parent.path(name),
                source,
            };
            match step(parent, name).map_err(io)? {
                Found::Present(dir) => {
                    open.insert(folder, dir);
                }
                Found::Absent => {}
                Found::Link(target) => links.push(Link {
                    path: parent.path(name),
                    target,
                }),
            }
        }
        Ok(open)
    }

    /// What is on disk for this folder, changing nothing.
    fn look(&self, out: &Dir) -> Result<OnDisk, WriteError> {
        let mut links = Vec::new();
        let open = self.open(out, Dir::folder, &mut links)?;
        let mut read = |folder: &Dir, name: &str| match folder.read(name) {
            Ok(Found::Present(contents)) => Some(Ok(contents)),
            Ok(Found::Absent) => None,
            Ok(Found::Link(target)) => {
                links.push(Link {
                    path: folder.path(name),
                    target,
                });
                None
            }
            Err(e) => Some(Err(e)),
        };
        let files = self
            .files
            .iter()
            .map(|(relative, _)| {
                let (folder, name) = split(relative);
                open.get(folder).and_then(|folder| read(folder, name))
            })
            .collect();
        let known = match open.get("") {
            Some(root) => match read_manifest(root)? {
                Found::Link(target) => {
                    links.push(Link {
                        path: root.path(MANIFEST),
                        target,
                    });
                    Known::new()
                }
                found => found.known(),
            },
            None => Known::new(),
        };
        Ok(OnDisk {
            files,
            known,
            links,
        })
    }

    /// Writes the folder's files, creating its folders; a link where one goes is replaced
    /// when `overwrite` is [`Overwrite::Force`] and refused otherwise.
    fn write(
        &self,
        out: &Dir,
        overwrite: Overwrite,
    ) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
        let replace_links = overwrite == Overwrite::Force;
        let mut links = Vec::new();
        let open = self.open(
            out,
            |parent, name| parent.create_folder(name, replace_links),
            &mut links,
        )?;
        if !links.is_empty() {
            return Err(WriteError::Links(links));
        }
        let root = &open[""];
        let write_error = |folder: &Dir, name: &str| {
            let path = folder.path(name);
            move |source| WriteError::Io { path, source }
        };
        // Only the folders the tool writes to: never `node_modules`, `cdk.out` or
        // `.terraform`, which users' tools create beside our files.
        for dir in open.values() {
            dir.remove_leftovers().map_err(|source| WriteError::Io {
                path: dir.location().to_path_buf(),
                source,
            })?;
        }
        // A link where the manifest goes is replaced with the manifest, like any file.
        let known = read_manifest(root)?.known();
        let new: Known = self
            .files
            .iter()
            .map(|(relative, artifact)| {
                (
                    relative.to_string(),
                    BTreeSet::from([sha256(artifact.contents.as_bytes())]),
                )
            })
            .collect();
        // Old and new hashes while the files change, then only the new ones.
        let mut both = known.clone();
        for (relative, hashes) in &new {
            both.entry(relative.clone())
                .or_default()
                .extend(hashes.iter().cloned());
        }
        write_if_changed(root, MANIFEST, manifest::text(&both).as_bytes())
            .map_err(write_error(root, MANIFEST))?;
        let mut outcomes = Vec::with_capacity(self.files.len());
        for (relative, artifact) in &self.files {
            let (folder, name) = split(relative);
            let folder = &open[folder];
            let outcome = write_if_changed(folder, name, artifact.contents.as_bytes())
                .map_err(write_error(folder, name))?;
            outcomes.push((folder.path(name), outcome));
        }
        let mut kept = known;
        kept.extend(new);
        write_if_changed(root, MANIFEST, manifest::text(&kept).as_bytes())
            .map_err(write_error(root, MANIFEST))?;
        Ok(outcomes)
    }
}

/// The manifest in the output folder `root`, read without following a link.
fn read_manifest(root: &Dir) -> Result<Found<Known>, WriteError> {
    root.read(MANIFEST)
        .map(|found| found.map(|manifest| manifest::parse(&manifest.bytes)))
        .map_err(|source| WriteError::Read {
            path: root.path(MANIFEST),
            source,
        })
}

impl Found<Known> {
    /// The hashes the manifest lists; none when there is no manifest, or a link in its place.
    fn known(self) -> Known {
        match self {
            Found::Present(known) => known,
            Found::Absent | Found::Link(_) => Known::new(),
        }
    }
}

/// A path relative to an output folder as its folder (`""` for the output folder itself)
/// and file name.
fn split(relative: &str) -> (&str, &str) {
    relative.rsplit_once('/').unwrap_or(("", relative))
}

/// Writes `contents` to `name` in `folder` unless it already holds them; an update keeps the
/// file's mode, and a link there is replaced, never followed.
fn write_if_changed(folder: &Dir, name: &str, contents: &[u8]) -> io::Result<Outcome> {
    if folder.is_fresh() {
        // This run made the folder: nothing of anyone else's is in it to read back first.
        folder.replace(name, contents, None)?;
        return Ok(Outcome::Created);
    }
    match folder.read(name)? {
        Found::Present(existing) if existing.bytes == contents => Ok(Outcome::Unchanged),
        Found::Present(existing) => {
            folder.replace(name, contents, Some(&existing))?;
            Ok(Outcome::Updated)
        }
        // A link is replaced by the file, not followed.
        found => {
            folder.replace(name, contents, None)?;
            Ok(match found {
                Found::Absent => Outcome::Created,
                _ => Outcome::Updated,
            })
        }
    }
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

    #[test]
    fn a_link_where_a_folder_goes_is_refused_or_replaced_never_followed() {
        let out = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let link = out.path().join("role");
        std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
        let refused = write_all(out.path(), &[artifact("role/a.yaml", "one")]).unwrap_err();
        let WriteError::Links(links) = &refused else {
            panic!("{refused}")
        };
        assert_eq!(
            links,
            &[Link {
                path: link.clone(),
                target: elsewhere.path().to_path_buf()
            }]
        );
        assert!(matches!(
            drift(out.path(), &[artifact("role/a.yaml", "one")]),
            Err(WriteError::Links(_))
        ));
        write(
            out.path(),
            &[artifact("role/a.yaml", "one")],
            Overwrite::Force,
        )
        .unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_dir());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}
