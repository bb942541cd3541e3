//! Reading input files: bounded in size, regular files or standard input (`-`) only, UTF-8
//! with an optional byte-order mark.

use std::io::Read;
use std::path::Path;

use crate::failure::Failure;

/// The largest spec or Rust file read: 16 MiB.
pub const SPEC_CAP: u64 = 16 << 20;
/// The largest template, policy or Terraform state `audit` reads: 256 MiB.
pub const AUDIT_CAP: u64 = 256 << 20;

/// The text of `path`, or of standard input when it is `-`, at most `cap` bytes. A missing
/// file, a FIFO, device or folder, a file over the cap and text that is not UTF-8 are invalid
/// input; a file that exists but cannot be read is an I/O failure.
pub fn read(path: &Path, cap: u64) -> Result<String, Failure> {
    let shown = path.display();
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::io(format!("reading standard input: {e}")))?;
    } else {
        let failed = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => Failure::invalid(format!("{shown}: no such file")),
            _ => Failure::io(format!("reading {shown}: {e}")),
        };
        // Looked at before it is opened: opening a FIFO would wait for a writer.
        let metadata = std::fs::metadata(path).map_err(failed)?;
        if !metadata.is_file() {
            return Err(Failure::invalid(format!(
                "{shown} is not a regular file (a folder, FIFO or device); to read standard \
                 input, give -"
            )));
        }
        if metadata.len() > cap {
            return Err(too_large(&shown.to_string(), metadata.len(), cap));
        }
        let file = std::fs::File::open(path).map_err(failed)?;
        file.take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::io(format!("reading {shown}: {e}")))?;
    }
    if bytes.len() as u64 > cap {
        return Err(too_large(&shown.to_string(), bytes.len() as u64, cap));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| Failure::invalid(format!("{shown} is not UTF-8 text: {e}")))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

fn too_large(shown: &str, size: u64, cap: u64) -> Failure {
    Failure::invalid(format!(
        "{shown} is {size} bytes or more, over the {} MiB this input may be",
        cap >> 20
    ))
}
