//! Every matrix case, byte for byte: the cases whose output is committed under `output/`
//! (the default and the examples) are checked there by `tests/cli.rs`; the others are kept
//! here, under `tests/golden/`, in the same layout (`CASE/cloudformation/template.yaml`, ...).
//! A change to what the generator writes shows up as a diff of these files.
//!
//! Regenerate them on purpose with `UPDATE_GOLDEN=1 cargo test --test golden`, and read the
//! diff before committing it.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use support::matrix::matrix;

/// The cases committed under `output/` instead.
const IN_OUTPUT: [&str; 7] = [
    "default",
    "examples/specs/orders-mysql.json",
    "examples/specs/tickets-jira.json",
    "examples/orders_mysql.rs",
    "examples/reusable_role.rs",
    "examples/team_slack.rs",
    "examples/analytics_stack.rs",
];

#[test]
fn every_matrix_case_matches_its_golden_files() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut differ = Vec::new();
    let mut folders = BTreeSet::new();
    for case in matrix()
        .into_iter()
        .filter(|case| !IN_OUTPUT.contains(&case.name.as_str()))
    {
        let root = golden.join(&case.folder);
        if update && root.exists() {
            std::fs::remove_dir_all(&root).unwrap();
        }
        for artifact in &case.artifacts {
            let path = golden.join(&artifact.path);
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &artifact.contents).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(&artifact.contents) {
                differ.push(format!("{}: {}", case.name, artifact.path));
            }
        }
        let expected: BTreeSet<PathBuf> = case
            .artifacts
            .iter()
            .map(|a| golden.join(&a.path))
            .collect();
        for stray in files_under(&root).difference(&expected) {
            differ.push(format!(
                "{}: {} is not generated",
                case.name,
                stray.display()
            ));
        }
        folders.insert(case.folder.clone());
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let unused: Vec<&String> = on_disk.difference(&folders).collect();
    assert!(unused.is_empty(), "golden folders of no case: {unused:?}");
    assert!(
        differ.is_empty(),
        "{} files differ from tests/golden (UPDATE_GOLDEN=1 cargo test --test golden rewrites them):\n{}",
        differ.len(),
        differ.join("\n")
    );
}

/// Every file under `root`, if it exists.
fn files_under(root: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect()
}
