//! The generator's folders are the pipeline's stages, and each imports only the stages before
//! it: `front` (JSON, `connector_role!`) reads into `spec`, which checks against `model` (the
//! documentation's catalog, fields, policies and their tree); `render` prints specs resolved
//! against the model; `write` puts rendered files on disk; `audit` compares a role with the
//! spec and model. A `use crate::...` that goes the other way (a cycle) fails here.

use std::collections::BTreeMap;
use std::path::Path;

/// Each stage and the stages it may import (`error` is shared by all).
const ALLOWED: [(&str, &[&str]); 7] = [
    ("model", &["error"]),
    ("spec", &["model", "error"]),
    ("front", &["spec", "model", "error"]),
    ("render", &["spec", "model", "error"]),
    ("stack", &["spec", "render", "error"]),
    ("write", &["render", "error"]),
    ("audit", &["spec", "model", "error"]),
];

#[test]
fn stages_import_only_the_stages_before_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("generator/src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.into_iter().collect();
    let mut wrong = Vec::new();
    let mut files = 0;
    for (path, text) in rust_files(&src) {
        let relative = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let stage = relative.split(['/', '.']).next().unwrap().to_owned();
        if stage == "lib" || stage == "error" {
            continue;
        }
        let Some(may) = allowed.get(stage.as_str()) else {
            wrong.push(format!(
                "{relative}: {stage} is not a known stage; add it to ALLOWED"
            ));
            continue;
        };
        files += 1;
        for (number, line) in text.lines().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix("use crate::") else {
                continue;
            };
            let imported: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if imported != stage && !may.contains(&imported.as_str()) {
                wrong.push(format!(
                    "{relative}:{}: {stage} imports {imported}",
                    number + 1
                ));
            }
        }
    }
    assert!(files > 30, "only {files} files read");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every `.rs` file under `root`, with its text.
fn rust_files(root: &Path) -> Vec<(std::path::PathBuf, String)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect()
}
