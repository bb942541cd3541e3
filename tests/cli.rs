//! The command-line tool as a user runs it: files on disk, exit codes, messages.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_connector-roles");
const ORDERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/specs/orders-mysql.json"
);

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the CLI runs")
}

fn files_under(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    files.sort();
    files
}

#[test]
fn generate_writes_the_four_folders() {
    let out = tempfile::tempdir().unwrap();
    let output = run(&["generate", ORDERS, "--out", out.path().to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        files_under(out.path()),
        [
            "orders-mysql/cdk/bin/app.ts",
            "orders-mysql/cdk/cdk.json",
            "orders-mysql/cdk/lib/orders-mysql.ts",
            "orders-mysql/cdk/package.json",
            "orders-mysql/cdk/tsconfig.json",
            "orders-mysql/cloudformation/template.yaml",
            "orders-mysql/policy/permission-policy.json",
            "orders-mysql/policy/trust-policy.json",
            "orders-mysql/terraform/README.md",
            "orders-mysql/terraform/main.tf",
            "orders-mysql/terraform/outputs.tf",
            "orders-mysql/terraform/variables.tf",
            "orders-mysql/terraform/versions.tf",
        ]
    );
}

#[test]
fn one_format_and_stdout() {
    let out = tempfile::tempdir().unwrap();
    let output = run(&[
        "generate",
        ORDERS,
        "--format",
        "json",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(output.status.success());
    assert_eq!(
        files_under(out.path()),
        [
            "orders-mysql/policy/permission-policy.json",
            "orders-mysql/policy/trust-policy.json"
        ]
    );
    let printed = run(&["generate", ORDERS, "--format", "cloudformation", "--stdout"]);
    let text = String::from_utf8(printed.stdout).unwrap();
    assert!(
        text.starts_with("==> orders-mysql/cloudformation/template.yaml <=="),
        "{text}"
    );
    assert!(text.contains("RoleName: \"QBusinessOrdersMySqlConnectorRole\""));
}

/// Writes `spec` with one change and runs generate on it.
fn generate_invalid(change: impl FnOnce(&mut serde_json::Value)) -> (Output, tempfile::TempDir) {
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ORDERS).unwrap()).unwrap();
    change(&mut spec);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("spec.json");
    std::fs::write(&path, spec.to_string()).unwrap();
    let out = folder.path().join("out");
    let output = run(&[
        "generate",
        path.to_str().unwrap(),
        ORDERS,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!out.exists(), "nothing may be written on invalid input");
    (output, folder)
}

fn assert_invalid(output: &Output, expected: &[&str]) {
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for part in expected {
        assert!(stderr.contains(part), "{part:?} not in:\n{stderr}");
    }
}

#[test]
fn invalid_account_exits_2_naming_field_and_rule() {
    let (output, _dir) = generate_invalid(|spec| spec["values"]["account_id"] = "12345".into());
    assert_invalid(
        &output,
        &[
            "spec.json:1:",
            "values.account_id: \"12345\" must be a 12-digit AWS account ID",
        ],
    );
}

#[test]
fn invalid_subnet_exits_2_naming_the_element() {
    let (output, _dir) =
        generate_invalid(|spec| spec["vpc"]["subnet_ids"][0] = "subnet-xyz".into());
    assert_invalid(
        &output,
        &["vpc.subnet_ids[0]: \"subnet-xyz\" must be subnet- followed by 8 or 17"],
    );
}

#[test]
fn unknown_keys_are_named() {
    let (output, _dir) = generate_invalid(|spec| spec["role_nmae"] = "x".into());
    assert_invalid(&output, &["unknown field `role_nmae`"]);
    let (output, _dir) =
        generate_invalid(|spec| spec["values"]["acount_id"] = "111122223333".into());
    assert_invalid(&output, &["values.acount_id: is not a known value"]);
    let (output, _dir) = generate_invalid(|spec| spec["vpc"]["subnets"] = serde_json::json!([]));
    assert_invalid(&output, &["unknown field `subnets`"]);
}

#[test]
fn every_error_is_reported_at_once() {
    let (output, _dir) = generate_invalid(|spec| {
        spec["values"]["account_id"] = "12345".into();
        spec["values"]["region"] = "Mars".into();
        spec["vpc"]["security_group_ids"] =
            serde_json::json!(["sg-0123456789abcdef0", "sg-0123456789abcdef0"]);
    });
    assert_invalid(
        &output,
        &[
            "values.account_id",
            "values.region: \"Mars\" must be an AWS Region name",
            "is listed twice",
        ],
    );
}

#[test]
fn check_reports_drift_by_file() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    assert!(run(&["generate", ORDERS, "--out", dir]).status.success());
    assert_eq!(run(&["check", ORDERS, "--out", dir]).status.code(), Some(0));

    let template = out.path().join("orders-mysql/cloudformation/template.yaml");
    std::fs::write(&template, "edited").unwrap();
    std::fs::remove_file(out.path().join("orders-mysql/terraform/main.tf")).unwrap();
    let output = run(&["check", ORDERS, "--out", dir]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("changed   {}", template.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains("missing   ") && stdout.contains("terraform/main.tf"),
        "{stdout}"
    );
}

#[test]
fn generate_is_deterministic() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for out in [&first, &second] {
        let output = run(&["generate", ORDERS, "--out", out.path().to_str().unwrap()]);
        assert!(output.status.success());
        let output = run(&["generate", "--out", out.path().to_str().unwrap()]);
        assert!(output.status.success());
    }
    let files = files_under(first.path());
    assert_eq!(files, files_under(second.path()));
    for file in files {
        let a = std::fs::read(first.path().join(&file)).unwrap();
        let b = std::fs::read(second.path().join(&file)).unwrap();
        assert!(a == b, "{file} differs between runs");
    }
}

#[test]
fn committed_output_is_up_to_date() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = format!("{root}/output");
    for args in [
        vec!["check", "--out", &out],
        vec!["check", ORDERS, "--out", &out],
    ] {
        let output = run(&args);
        assert!(
            output.status.success(),
            "output/ is stale: run `cargo run -- generate && cargo run -- generate examples/specs/*.json`\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn list_names_the_connector() {
    let output = run(&["list"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("rds-mysql"));
}
