//! Folders and files reached from an open folder without ever following a symbolic link.
//!
//! Every step is an `openat` (or `mkdirat`, `renameat`, `unlinkat`) relative to the folder
//! above, with `O_NOFOLLOW`: a link found where a folder or file should be is reported as
//! [`Found::Link`], whether it was there before the run or put there during it, and nothing
//! is read or written through it. Checking a path first and then opening it by name would
//! leave a window in which a link could be swapped in; these calls have none.

use std::ffi::OsStr;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

/// What is at a name in a folder.
pub(crate) enum Found<T> {
    /// Nothing.
    Absent,
    /// A symbolic link, with where it points.
    Link(PathBuf),
    /// The folder or file asked for.
    Present(T),
}

impl<T> Found<T> {
    /// What is found, with `f` applied to what is present.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Found<U> {
        match self {
            Found::Present(present) => Found::Present(f(present)),
            Found::Absent => Found::Absent,
            Found::Link(target) => Found::Link(target),
        }
    }
}

/// An existing file's contents and permission bits.
pub(crate) struct Contents {
    pub bytes: Vec<u8>,
    mode: Mode,
}

/// An open folder, and the path it was reached by (for messages).
#[derive(Debug)]
pub(crate) struct Dir {
    file: std::fs::File,
    path: PathBuf,
    /// Whether this run made the folder: it holds only what this run put in it, so there is
    /// nothing to read back or clean up before writing.
    fresh: bool,
}

impl Dir {
    /// Opens `path`, following links in `path` itself: the user named it.
    pub fn open(path: &Path) -> io::Result<Dir> {
        let fd = rustix::fs::open(path, OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        Ok(Dir {
            file: fd.into(),
            path: path.to_path_buf(),
            fresh: false,
        })
    }

    /// Whether this run made the folder.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// The open folder, for `flock`.
    pub fn file(&self) -> &std::fs::File {
        &self.file
    }

    /// The path this folder was reached by.
    pub fn location(&self) -> &Path {
        &self.path
    }

    /// The path of `name` in this folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// The folder `name` in this one.
    pub fn folder(&self, name: &str) -> io::Result<Found<Dir>> {
        let flags = OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        self.found(
            name,
            rustix::fs::openat(&self.file, name, flags, Mode::empty()),
        )
        .map(|found| {
            found.map(|fd| Dir {
                file: fd.into(),
                path: self.path(name),
                fresh: false,
            })
        })
    }

    /// The folder `name` in this one, created when absent; a link there is removed first
    /// (the link itself, never what it points to) when `replace_link`, and reported
    /// otherwise.
    pub fn create_folder(&self, name: &str, replace_link: bool) -> io::Result<Found<Dir>> {
        // Made first: `mkdirat` never follows a link, and a new folder needs no look first.
        if self.make_folder(name)? {
            return self.fresh_folder(name);
        }
        match self.folder(name)? {
            Found::Link(_) if replace_link => {
                rustix::fs::unlinkat(&self.file, name, AtFlags::empty())?;
                if self.make_folder(name)? {
                    return self.fresh_folder(name);
                }
                self.folder(name)
            }
            found => Ok(found),
        }
    }

    /// Makes the folder `name`: true when this call made it, false when something is there.
    fn make_folder(&self, name: &str) -> io::Result<bool> {
        match rustix::fs::mkdirat(&self.file, name, Mode::from_raw_mode(0o777)) {
            Ok(()) => Ok(true),
            Err(rustix::io::Errno::EXIST) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The folder `name` that this run just made.
    fn fresh_folder(&self, name: &str) -> io::Result<Found<Dir>> {
        Ok(self.folder(name)?.map(|dir| Dir { fresh: true, ..dir }))
    }

    /// The regular file `name` in this folder. It is opened without blocking, so a FIFO put
    /// where a file should be is an error, not a wait.
    pub fn read(&self, name: &str) -> io::Result<Found<Contents>> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = match self.found(
            name,
            rustix::fs::openat(&self.file, name, flags, Mode::empty()),
        )? {
            Found::Present(fd) => fd,
            Found::Absent => return Ok(Found::Absent),
            Found::Link(target) => return Ok(Found::Link(target)),
        };
        let stat = rustix::fs::fstat(&fd)?;
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => {}
            FileType::Directory => return Err(rustix::io::Errno::ISDIR.into()),
            _ => return Err(io::Error::other("not a regular file")),
        }
        let mut bytes = Vec::new();
        std::fs::File::from(fd).read_to_end(&mut bytes)?;
        Ok(Found::Present(Contents {
            bytes,
            mode: Mode::from_raw_mode(stat.st_mode) & Mode::from_raw_mode(0o7777),
        }))
    }

    /// Replaces `name` in this folder with a file holding `contents`, atomically: a new
    /// temporary file, renamed over `name`. A link at `name` is replaced, never followed.
    /// The file keeps `existing`'s mode; a new one gets 0666 less the umask, as `touch` does.
    pub fn replace(
        &self,
        name: &str,
        contents: &[u8],
        existing: Option<&Contents>,
    ) -> io::Result<()> {
        let (temporary, fd) = self.create_temporary()?;
        let written = (|| {
            if let Some(existing) = existing {
                rustix::fs::fchmod(&fd, existing.mode)?;
            }
            std::fs::File::from(fd).write_all(contents)?;
            // No fsync: the rename is atomic for every reader and against a killed process,
            // which is what a generator needs; durability across power loss is the file
            // system's, as for other build tools (an fsync per file made large runs 20 times
            // slower).
            rustix::fs::renameat(&self.file, &temporary, &self.file, name).map_err(io::Error::from)
        })();
        if written.is_err() {
            let _ = rustix::fs::unlinkat(&self.file, &temporary, AtFlags::empty());
        }
        written
    }

    /// Removes the temporary files a killed run left directly in this folder.
    pub fn remove_leftovers(&self) -> io::Result<()> {
        if self.fresh {
            return Ok(());
        }
        for entry in rustix::fs::Dir::read_from(&self.file)? {
            let entry = entry?;
            let name = OsStr::from_bytes(entry.file_name().to_bytes());
            if !is_temporary(name) {
                continue;
            }
            let file_type = match entry.file_type() {
                FileType::Unknown => {
                    let stat = rustix::fs::statat(&self.file, name, AtFlags::SYMLINK_NOFOLLOW)?;
                    FileType::from_raw_mode(stat.st_mode)
                }
                known => known,
            };
            if file_type == FileType::RegularFile {
                rustix::fs::unlinkat(&self.file, name, AtFlags::empty())?;
            }
        }
        Ok(())
    }

    /// A new temporary file in this folder, never one that exists (`O_EXCL`).
    fn create_temporary(&self) -> io::Result<(String, rustix::fd::OwnedFd)> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        loop {
            let name = format!(
                "{TEMPORARY_PREFIX}{}-{}.tmp",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            match rustix::fs::openat(&self.file, &name, flags, Mode::from_raw_mode(0o666)) {
                Ok(fd) => return Ok((name, fd)),
                Err(rustix::io::Errno::EXIST) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// What an `openat` of `name` found: absent, a link (an open with `O_NOFOLLOW` fails on
    /// one, with an error that differs between systems, so the name is looked at again), or
    /// the open file.
    fn found<T>(&self, name: &str, opened: rustix::io::Result<T>) -> io::Result<Found<T>> {
        match opened {
            Ok(fd) => Ok(Found::Present(fd)),
            Err(rustix::io::Errno::NOENT) => Ok(Found::Absent),
            Err(error) => match rustix::fs::readlinkat(&self.file, name, Vec::new()) {
                Ok(target) => Ok(Found::Link(PathBuf::from(OsStr::from_bytes(
                    target.as_bytes(),
                )))),
                Err(_) => Err(error.into()),
            },
        }
    }
}

/// The prefix of temporary files; leftovers of a killed run are removed by the next one.
const TEMPORARY_PREFIX: &str = ".connector-roles-";

fn is_temporary(name: &OsStr) -> bool {
    let name = name.as_bytes();
    name.starts_with(TEMPORARY_PREFIX.as_bytes()) && name.ends_with(b".tmp")
}
