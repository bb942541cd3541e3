//! The real toolchains, run on emitted files: cfn-lint, tsc against aws-cdk-lib v2, and
//! HashiCorp's HCL parser. `tools/install` (run by `tools/test`) installs them under
//! `tools/`; `CONNECTOR_ROLES_TOOLS` points there. Under `CI=true` a missing tool fails the
//! test; elsewhere the check is skipped with a message saying why.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A tool under the tools folder, or `None` (after saying why) when it is absent outside CI.
pub fn tool(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("CONNECTOR_ROLES_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tools"));
    let path = root.join(relative);
    if path.exists() {
        return Some(path);
    }
    let message = format!("{} is not installed: run tools/install", path.display());
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
    eprintln!("SKIPPED: {message}");
    None
}

/// Runs `command`, failing the test with its output unless it succeeds; its standard output.
pub fn assert_runs(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("$ {command:?}\n{stdout}{stderr}");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{stdout}{stderr}"
    );
    stdout
}

/// cfn-lint reports nothing on `template`.
pub fn cfn_lint(template: &Path) {
    if let Some(cfn_lint) = tool(".venv/bin/cfn-lint") {
        assert_runs(Command::new(&cfn_lint).arg(template));
    }
}

/// `tsc --noEmit --strict` compiles the CDK app in `cdk` against the tools' aws-cdk-lib
/// (linked in as its `node_modules`).
pub fn tsc(cdk: &Path) {
    let Some(tsc) = tool("node_modules/.bin/tsc") else {
        return;
    };
    let node_modules = tsc.parent().unwrap().parent().unwrap();
    std::os::unix::fs::symlink(node_modules, cdk.join("node_modules")).unwrap();
    assert_runs(
        Command::new(&tsc)
            .current_dir(cdk)
            .args(["--noEmit", "--strict", "-p", "."]),
    );
}

/// HashiCorp's HCL parser reads every `.tf` file of the module in `terraform`; what it read,
/// as JSON.
pub fn hcl2json(terraform: &Path) -> Option<serde_json::Value> {
    let script = tool("hcl2json.mjs")?;
    let files: Vec<PathBuf> = ["main.tf", "variables.tf", "outputs.tf", "versions.tf"]
        .iter()
        .map(|file| terraform.join(file))
        .collect();
    let json = assert_runs(Command::new("node").arg(&script).args(&files));
    Some(serde_json::from_str(&json).expect("hcl2json prints JSON"))
}
