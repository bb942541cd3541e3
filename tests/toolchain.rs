//! The real toolchains accept what we emit: cfn-lint, tsc against aws-cdk-lib v2, and
//! HashiCorp's HCL parser. `tools/install` (run by `tools/test`) installs them under
//! `tools/`; `CONNECTOR_ROLES_TOOLS` points there. Under `CI=true` a missing tool fails the
//! test; elsewhere the check is skipped with a message saying why.

use std::path::{Path, PathBuf};
use std::process::Command;

use connector_roles::{Format, RoleSpec, render, write_all};

/// The specs whose artifacts every toolchain must accept.
fn specs() -> Vec<RoleSpec> {
    let orders = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/specs/orders-mysql.json"
    ))
    .unwrap();
    let mut other_source: serde_json::Value = serde_json::from_str(&orders).unwrap();
    other_source["name"] = "other-source".into();
    other_source["values"]["source_account"] = "444455556666".into();
    other_source.as_object_mut().unwrap().remove("role_name");
    let mut no_vpc: serde_json::Value = serde_json::from_str(&orders).unwrap();
    no_vpc["name"] = "no-vpc".into();
    no_vpc.as_object_mut().unwrap().remove("vpc");
    [RoleSpec::default_spec()]
        .into_iter()
        .chain(
            [orders, other_source.to_string(), no_vpc.to_string()]
                .iter()
                .map(|json| RoleSpec::from_json(json).unwrap()),
        )
        .collect()
}

/// A tool under the tools folder, or `None` (after saying why) when it is absent outside CI.
fn tool(relative: &str) -> Option<PathBuf> {
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

fn generated(format: Format) -> (tempfile::TempDir, Vec<PathBuf>) {
    let out = tempfile::tempdir().unwrap();
    let mut roots = Vec::new();
    for spec in specs() {
        let artifacts = render(&spec, &[format]).unwrap();
        write_all(out.path(), &artifacts).unwrap();
        roots.push(out.path().join(&spec.name));
    }
    (out, roots)
}

fn assert_runs(command: &mut Command) -> String {
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

#[test]
fn cfn_lint_reports_nothing() {
    let Some(cfn_lint) = tool(".venv/bin/cfn-lint") else {
        return;
    };
    let (_out, roots) = generated(Format::CloudFormation);
    for root in roots {
        assert_runs(Command::new(&cfn_lint).arg(root.join("cloudformation/template.yaml")));
    }
}

#[test]
fn cdk_app_type_checks_strictly() {
    let Some(tsc) = tool("node_modules/.bin/tsc") else {
        return;
    };
    let node_modules = tsc.parent().unwrap().parent().unwrap().to_path_buf();
    let (_out, roots) = generated(Format::Cdk);
    for root in roots {
        let cdk = root.join("cdk");
        std::os::unix::fs::symlink(&node_modules, cdk.join("node_modules")).unwrap();
        assert_runs(
            Command::new(&tsc)
                .current_dir(&cdk)
                .args(["--noEmit", "--strict", "-p", "."]),
        );
    }
}

#[test]
fn hashicorp_parser_reads_every_tf_file() {
    let Some(script) = tool("hcl2json.mjs") else {
        return;
    };
    let (_out, roots) = generated(Format::Terraform);
    for root in roots {
        let files: Vec<PathBuf> = ["main.tf", "variables.tf", "outputs.tf", "versions.tf"]
            .iter()
            .map(|file| root.join("terraform").join(file))
            .collect();
        let json = assert_runs(Command::new("node").arg(&script).args(&files));
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("hcl2json prints JSON");
        assert!(
            parsed.to_string().contains("aws_iam_role"),
            "main.tf declares the role"
        );
    }
}
