//! One writer per output folder: an advisory lock on the folder itself, and who holds it.

use std::path::Path;

use super::WriteError;
use super::nofollow::Dir;

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

/// An advisory lock on an output folder, held until dropped: `flock` on the folder itself,
/// which every read and write under the lock starts from.
#[derive(Debug)]
pub struct OutputLock {
    pub(super) out: Dir,
}

impl OutputLock {
    /// Locks `out` (created if missing) for `access`; `wait` says what to do when another
    /// run holds it.
    pub fn acquire(out: &Path, wait: Wait, access: Access) -> Result<OutputLock, WriteError> {
        Self::acquire_saying(out, wait, access, |_, _| {})
    }

    /// [`OutputLock::acquire`], calling `waiting` once with the folder, and the run that
    /// holds it when known, before it waits for that run.
    pub fn acquire_saying(
        out: &Path,
        wait: Wait,
        access: Access,
        waiting: impl FnOnce(&Path, Option<&str>),
    ) -> Result<OutputLock, WriteError> {
        let io = |source| WriteError::Io {
            path: out.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(out).map_err(io)?;
        let dir = Dir::open(out).map_err(io)?;
        let file = dir.file();
        let tried = match access {
            Access::Read => file.try_lock_shared(),
            Access::Write => file.try_lock(),
        };
        match tried {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) if wait == Wait::NoWait => {
                return Err(WriteError::Locked {
                    path: out.to_path_buf(),
                    holder: holder(&dir),
                });
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                waiting(out, holder(&dir).as_deref());
                match access {
                    Access::Read => file.lock_shared(),
                    Access::Write => file.lock(),
                }
                .map_err(io)?;
            }
            Err(std::fs::TryLockError::Error(source)) => return Err(io(source)),
        }
        Ok(OutputLock { out: dir })
    }
}

/// The process that holds a lock on `dir`, as Linux lists it in `/proc/locks`, with its
/// command line: `process 4242 (connector-roles generate spec.json)`. `None` where that is
/// not known: on other systems, or when the holder has just let go.
fn holder(dir: &Dir) -> Option<String> {
    let stat = rustix::fs::fstat(dir.file()).ok()?;
    // `/proc/locks` names a file as MAJOR:MINOR:INODE, the device numbers in hexadecimal.
    let file = format!(
        "{:02x}:{:02x}:{}",
        rustix::fs::major(stat.st_dev),
        rustix::fs::minor(stat.st_dev),
        stat.st_ino
    );
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    // `1: FLOCK  ADVISORY  WRITE 4242 fe:00:10036082 0 EOF`; a waiter's line has `->`.
    let pid = locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields[..] {
            [_, "FLOCK", _, _, pid, at, ..] if at == file => Some(pid.to_owned()),
            _ => None,
        }
    })?;
    let command = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let command = String::from_utf8_lossy(&command)
        .split('\0')
        .filter(|arg| !arg.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Some(if command.is_empty() {
        format!("process {pid}")
    } else {
        format!("process {pid}: {}", crate::error::quoted(&command))
    })
}
