//! `connector-roles audit` as a user runs it: the role as JSON policies, as the CloudFormation
//! template (YAML and JSON), as `terraform show -json` output; exit 0 when equal, 1 when not,
//! 2 on invalid input; `--format json` for machines.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use connector_roles::{Format, RoleSpec};
use serde_json::{Value, json};
use support::terraform::Module;
use support::{BIN, ORDERS, stdout};

fn audit(args: &[&Path], extra: &[&str]) -> Output {
    Command::new(BIN)
        .arg("audit")
        .args(args)
        .args(["--spec", ORDERS])
        .args(extra)
        .output()
        .expect("the CLI runs")
}

/// Writes `text` to `name` under `dir`.
fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The example spec's own policies (one subnet), as `generate` writes them.
fn example_policies() -> (Value, Value) {
    let spec = RoleSpec::from_json(&support::example_spec().to_string()).unwrap();
    let read = |name| serde_json::from_str(&support::artifact(&spec, Format::Json, name)).unwrap();
    (read("permission-policy.json"), read("trust-policy.json"))
}

fn kinds(output: &Output) -> Vec<(String, String)> {
    let report: Value = serde_json::from_str(&stdout(output)).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["statement"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_generated_policies_are_equal() {
    let dir = tempfile::tempdir().unwrap();
    let (permission, trust) = example_policies();
    let p = file(dir.path(), "permission.json", &permission.to_string());
    let t = file(dir.path(), "trust.json", &trust.to_string());
    let output = audit(&[&p, &t], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("the role is exactly the documented rds-mysql"));
    // RDS (MySQL) is a legacy connector: the report says so in AWS's words, and it is no
    // difference.
    assert!(
        stdout(&output)
            .contains("note: rds-mysql is a legacy connector: AWS's \"Legacy connectors\" page"),
        "{}",
        stdout(&output)
    );
    let only_trust = audit(&[&t], &["--format", "json"]);
    assert_eq!(only_trust.status.code(), Some(0));
    let report: Value = serde_json::from_str(&stdout(&only_trust)).unwrap();
    assert_eq!(report["equal"], true);
    assert_eq!(report["status"], "legacy");
    assert!(
        report["notes"][0]
            .as_str()
            .unwrap()
            .contains("no permission policy")
    );
    assert!(
        report["notes"][1]
            .as_str()
            .unwrap()
            .contains("no longer available for new onboarding")
    );
}

/// A current connector's report has no status note.
#[test]
fn a_current_connector_is_audited_without_a_status_note() {
    let dir = tempfile::tempdir().unwrap();
    let spec = file(
        dir.path(),
        "drive.json",
        r#"{"connector": "google-drive", "name": "drive", "values": {
            "account_id": "111122223333", "source_account": "111122223333", "region": "us-east-1",
            "application_id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
            "index_id": "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
            "secret_id": "qbusiness-drive-AbCdEf", "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"
        }}"#,
    );
    let written = Command::new(BIN)
        .args([
            "generate",
            spec.to_str().unwrap(),
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(written.status.success());
    let policies = dir.path().join("drive/policy");
    let output = Command::new(BIN)
        .arg("audit")
        .arg(policies.join("permission-policy.json"))
        .arg(policies.join("trust-policy.json"))
        .args(["--spec", spec.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["equal"], true, "{report}");
    assert_eq!(report["status"], "current");
    assert_eq!(report["revision"], "new-connector");
    assert!(report.get("notes").is_none(), "{report}");
}

#[test]
fn mutated_policies_report_each_difference() {
    let dir = tempfile::tempdir().unwrap();
    let (mut permission, mut trust) = example_policies();
    let statements = permission["Statement"].as_array_mut().unwrap();
    statements.retain(|s| s["Sid"] != "AllowsAmazonQToGetSecret");
    for statement in statements.iter_mut() {
        match statement["Sid"].as_str().unwrap() {
            "AllowsAmazonQToGetS3Objects" => statement["Resource"] = json!("arn:aws:s3:::*"),
            "AllowsAmazonQToDecryptSecret" => {
                statement.as_object_mut().unwrap().remove("Condition");
            }
            "AllowsAmazonQToIngestPrincipalMapping" => statement["Action"]
                .as_array_mut()
                .unwrap()
                .push(json!("qbusiness:DeleteIndex")),
            _ => {}
        }
    }
    trust["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"] = json!("999988887777");
    let p = file(dir.path(), "permission.json", &permission.to_string());
    let t = file(dir.path(), "trust.json", &trust.to_string());
    let output = audit(&[&p, &t], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let found = kinds(&output);
    for expected in [
        ("AllowsAmazonQToGetSecret", "missing-statement"),
        ("AllowsAmazonQToGetS3Objects", "wider-resource"),
        ("AllowsAmazonQToDecryptSecret", "missing-condition"),
        ("AllowsAmazonQToIngestPrincipalMapping", "extra-action"),
        (
            "AllowsAmazonQToAssumeRoleForServicePrincipal",
            "wrong-account",
        ),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} not in {found:?}"
        );
    }
    assert_eq!(found.len(), 5, "{found:?}");
    let text = audit(&[&p, &t], &[]);
    assert!(
        stdout(&text).contains("AllowsAmazonQToGetS3Objects [wider-resource]: Resource `arn:aws:s3:::*` covers the documented"),
        "{}",
        stdout(&text)
    );
}

/// The open default template, its parameters resolved with the spec's values, is the role.
#[test]
fn a_template_resolves_with_the_spec_values() {
    let dir = tempfile::tempdir().unwrap();
    let open = support::artifact(
        &RoleSpec::default_spec(),
        Format::CloudFormation,
        "template.yaml",
    );
    let yaml = file(dir.path(), "template.yaml", &open);
    let output = audit(&[&yaml], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).starts_with("Role of "),
        "{}",
        stdout(&output)
    );

    let as_json = connector_roles::audit::yaml::parse(&open).unwrap();
    let json = file(dir.path(), "template.json", &as_json.to_string());
    assert_eq!(audit(&[&json], &[]).status.code(), Some(0));
}

#[test]
fn what_cannot_be_resolved_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let template = r#"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !ImportValue shared-bucket-objects
"#;
    let path = file(dir.path(), "template.yaml", template);
    let output = audit(&[&path], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let unresolved: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unresolved")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        unresolved
            .iter()
            .any(|m| m.contains("!ImportValue shared-bucket-objects")),
        "{unresolved:?}"
    );
    assert!(
        unresolved
            .iter()
            .any(|m| m.contains("arn:aws:iam::aws:policy/ReadOnlyAccess")),
        "{unresolved:?}"
    );
}

/// `terraform show -json` of the applied module: the role, its inline policy, and the
/// `aws_iam_role_policy` resource that the provider also lists as inline.
#[test]
fn terraform_show_output_is_read() {
    let spec = RoleSpec::from_json(&support::example_spec().to_string()).unwrap();
    let text =
        |name: &str| support::artifact(&spec, Format::Terraform, &format!("terraform/{name}"));
    let role = Module::new(text, &[], &support::matrix::DEPLOYMENT).role("this");
    let name = "QBusinessOrdersMySqlConnectorRole";
    let policy = role.permission.to_string();
    let show = json!({
        "format_version": "1.0",
        "terraform_version": "1.9.0",
        "values": { "root_module": { "resources": [
            { "address": "aws_iam_role.this", "mode": "managed", "type": "aws_iam_role", "name": "this",
              "values": { "name": name, "id": name, "assume_role_policy": role.trust.to_string(),
                          "inline_policy": [{ "name": "orders-mysql-permissions", "policy": policy }] } },
            { "address": "aws_iam_role_policy.this", "mode": "managed", "type": "aws_iam_role_policy", "name": "this",
              "values": { "name": "orders-mysql-permissions", "role": name, "policy": policy } }
        ] } }
    });
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "show.json", &show.to_string());
    let output = audit(&[&path], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).starts_with("aws_iam_role.this of "));
}

#[test]
fn invalid_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = file(dir.path(), "notes.txt", "- not\n- a policy\n");
    let output = audit(&[&text], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("notes.txt"));

    let stack = support::artifact(
        &RoleSpec::default_spec(),
        Format::CloudFormation,
        "template.yaml",
    );
    let two_roles = stack.replace(
        "Resources:\n",
        "Resources:\n  Other:\n    Type: \"AWS::IAM::Role\"\n    Properties: {}\n",
    );
    let path = file(dir.path(), "two.yaml", &two_roles);
    let output = Command::new(BIN)
        .args(["audit", path.to_str().unwrap(), "--spec"])
        .arg(dir.path().join("missing.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));

    let open = file(
        dir.path(),
        "open.json",
        r#"{"connector": "rds-mysql", "name": "open"}"#,
    );
    let output = Command::new(BIN)
        .args([
            "audit",
            path.to_str().unwrap(),
            "--spec",
            open.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("leaves open values"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The spec's role name picks the role whose RoleName resolves to it.
    let output = audit(&[&path], &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = audit(&[&path], &["--role", "Other"]);
    assert_eq!(output.status.code(), Some(1));
    let output = audit(&[&path], &["--role", "Nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("holds no role Nope"));
}
