//! `connector-roles audit` as a user runs it: the role as JSON policies, as the CloudFormation
//! template (YAML and JSON), as `terraform show -json` output; exit 0 when equal, 1 when not,
//! 2 on invalid input; `--format json` for machines.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use connector_roles::{Format, RoleSpec};
use serde_json::{Value, json};
use support::policy::statement_mut as statement;
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

/// The findings of a JSON report: statement and kind.
fn kinds(output: &Output) -> Vec<(String, String)> {
    findings_of(output)
        .into_iter()
        .map(|(statement, kind, _)| (statement, kind))
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
        stdout(&text).contains("AllowsAmazonQToGetS3Objects [high wider-resource]: Resource `arn:aws:s3:::*` covers the documented"),
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
    // Its one role has no trust policy and another name: it is audited when named.
    let output = audit(&[&path], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let output = audit(&[&path], &["--format", "json", "--role", "Role"]);
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

/// The generated template of the example spec with `extra` resources (YAML under
/// `Resources:`) and `parameters` (YAML under `Parameters:`), its role's `RoleName` replaced
/// by `role_name` (YAML).
fn template_with(extra: &str, parameters: &str, role_name: &str) -> String {
    let spec = RoleSpec::from_json(&support::example_spec().to_string()).unwrap();
    let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
    let template = template.replace(
        "      RoleName: \"QBusinessOrdersMySqlConnectorRole\"",
        &format!("      RoleName: {role_name}"),
    );
    let template = template.replacen("Resources:\n", &format!("Resources:\n{extra}"), 1);
    if parameters.is_empty() {
        template
    } else if template.contains("\nParameters:\n") {
        template.replacen(
            "\nParameters:\n",
            &format!("\nParameters:\n{parameters}"),
            1,
        )
    } else {
        template.replacen(
            "\nResources:\n",
            &format!("\nParameters:\n{parameters}Resources:\n"),
            1,
        )
    }
}

/// A role of another service, named by a parameter whose name ends in `RoleName`.
const BLUEPRINT: &str = "  BlueprintRole:
    Type: \"AWS::IAM::Role\"
    Properties:
      RoleName: !Ref BlueprintRoleName
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
";

/// The report's first line and the exit code.
fn headline(output: &Output) -> (Option<i32>, String) {
    (
        output.status.code(),
        stdout(output).lines().next().unwrap_or_default().to_owned(),
    )
}

#[test]
fn the_role_is_chosen_by_name_or_trust_and_the_report_says_how() {
    let dir = tempfile::tempdir().unwrap();
    let blueprint_parameter =
        "  BlueprintRoleName:\n    Type: String\n    Default: blueprint-lambda\n";

    // Named by the spec's role_name, through a parameter's Default, beside a role whose
    // parameter ends in RoleName (once read as the connector role's name parameter).
    let text = template_with(
        BLUEPRINT,
        &format!(
            "{blueprint_parameter}  ConnectorRoleName:\n    Type: String\n    Default: QBusinessOrdersMySqlConnectorRole\n"
        ),
        "!Ref ConnectorRoleName",
    );
    let path = file(dir.path(), "named.yaml", &text);
    let (code, first) = headline(&audit(&[&path], &[]));
    assert_eq!(code, Some(0), "{first}");
    assert!(
        first.starts_with("Role of ") && first.contains("(its role name is QBusinessOrdersMySqlConnectorRole, the spec's role_name): the role is exactly the documented"),
        "{first}"
    );

    // No role has the spec's name: the only one Amazon Q Business may assume, said so.
    let text = template_with(
        BLUEPRINT,
        blueprint_parameter,
        "!Sub \"${AWS::StackName}-connector\"",
    );
    let path = file(dir.path(), "trusted.yaml", &text);
    let (code, first) = headline(&audit(&[&path], &[]));
    assert_eq!(code, Some(0), "{first}");
    assert!(
        first.contains("(the only role that qbusiness.amazonaws.com may assume; no role is named QBusinessOrdersMySqlConnectorRole, the spec's role_name)"),
        "{first}"
    );

    // --parameter gives the name a parameter has no Default for, and wins over a Default.
    let text = template_with(BLUEPRINT, blueprint_parameter, "!Ref ConnectorRoleName");
    let text = text.replacen(
        "\nParameters:\n",
        "\nParameters:\n  ConnectorRoleName:\n    Type: String\n",
        1,
    );
    let path = file(dir.path(), "override.yaml", &text);
    let output = audit(
        &[&path],
        &[
            "--parameter",
            "ConnectorRoleName=QBusinessOrdersMySqlConnectorRole",
        ],
    );
    let (code, first) = headline(&output);
    assert_eq!(code, Some(0), "{first}");
    assert!(
        first.contains("its role name is QBusinessOrdersMySqlConnectorRole"),
        "{first}"
    );
    let output = audit(
        &[&path],
        &["--role", "blueprint-lambda", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        report["role"],
        format!(
            "BlueprintRole of {} (chosen by --role blueprint-lambda)",
            path.display()
        )
    );

    // Two roles Amazon Q Business may assume, neither named as the spec says: refused, each
    // listed with why.
    let second = support::artifact(
        &RoleSpec::from_json(&support::example_spec().to_string()).unwrap(),
        Format::CloudFormation,
        "template.yaml",
    );
    let role_block: String = second
        .lines()
        .skip_while(|l| *l != "  Role:")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| format!("{l}\n"))
        .collect();
    let other = format!(
        "  OtherConnectorRole:\n{}",
        role_block.replace("QBusinessOrdersMySqlConnectorRole", "QBusinessOtherRole")
    );
    let text = template_with(&other, "", "\"QBusinessBillingRole\"");
    let path = file(dir.path(), "ambiguous.yaml", &text);
    let output = audit(&[&path], &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "cannot tell which role to audit: no role is named QBusinessOrdersMySqlConnectorRole (the spec's role_name), and several trust qbusiness.amazonaws.com; name it with --role. It holds:",
        "  OtherConnectorRole (role name QBusinessOtherRole): not named QBusinessOrdersMySqlConnectorRole; trusts qbusiness.amazonaws.com",
        "  Role (role name QBusinessBillingRole): not named QBusinessOrdersMySqlConnectorRole; trusts qbusiness.amazonaws.com",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
}

/// The example's generated policies with `mutate` applied to the permission policy, written
/// to `dir`: the two paths.
fn mutated(dir: &Path, mutate: impl Fn(&mut Value)) -> (PathBuf, PathBuf) {
    let (mut permission, trust) = example_policies();
    mutate(&mut permission);
    (
        file(dir, "permission.json", &permission.to_string()),
        file(dir, "trust.json", &trust.to_string()),
    )
}

#[test]
fn the_severity_of_each_finding_decides_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let code = |(p, t): &(PathBuf, PathBuf), extra: &[&str]| audit(&[p, t], extra).status.code();

    // Another Sid, the same grant: information only.
    let renamed = mutated(dir.path(), |p| {
        statement(p, "AllowsAmazonQToGetSecret")["Sid"] = json!("ReadTheSecret");
    });
    let output = audit(&[&renamed.0, &renamed.1], &["--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let severities: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(severities, [("different-sid", "info")]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(code(&renamed, &["--fail-on", "info"]), Some(1));

    // A documented grant missing: medium.
    let missing = mutated(dir.path(), |p| {
        p["Statement"]
            .as_array_mut()
            .unwrap()
            .retain(|s| s["Sid"] != "AllowsAmazonQToGetSecret");
    });
    assert_eq!(code(&missing, &[]), Some(1));
    assert_eq!(code(&missing, &["--fail-on", "high"]), Some(0));

    // Any resource: high, whatever the threshold.
    let wider = mutated(dir.path(), |p| {
        statement(p, "AllowsAmazonQToGetSecret")["Resource"] = json!("*");
    });
    for threshold in ["high", "medium", "info"] {
        assert_eq!(
            code(&wider, &["--fail-on", threshold]),
            Some(1),
            "{threshold}"
        );
    }
}

#[test]
fn an_error_is_printed_in_the_reports_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "list.yaml", "- just\n- a list\n");
    let output = audit(&[&path], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let error: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(error["error"]["exit_code"], 2);
    assert!(
        error["error"]["messages"][0]
            .as_str()
            .unwrap()
            .contains("not a policy document"),
        "{error}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("error: "));

    let output = audit(&[&path], &["--format", "sarif"]);
    assert_eq!(output.status.code(), Some(2));
    let log: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
}

/// A SARIF log's results: rule, level and where.
fn sarif_results(log: &Value) -> Vec<(String, String, String, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                r["level"].as_str().unwrap().to_owned(),
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                location["region"]["startLine"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn sarif_locates_each_finding_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let spec = RoleSpec::from_json(&support::example_spec().to_string()).unwrap();
    let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
    let widened = template.replacen(
        "!Sub \"arn:${AWS::Partition}:s3:::amzn-s3-demo-bucket/*\"",
        "!Sub \"arn:${AWS::Partition}:s3:::*\"",
        1,
    );
    assert_ne!(widened, template);
    let path = file(dir.path(), "template.yaml", &widened);
    let output = audit(&[&path], &["--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let sid_line = widened
        .lines()
        .position(|l| l.contains("AllowsAmazonQToGetS3Objects"))
        .unwrap() as u64
        + 1;
    assert_eq!(
        sarif_results(&log),
        [(
            "wider-resource".to_owned(),
            "error".to_owned(),
            "template.yaml".to_owned(),
            sid_line
        )]
    );
}

/// The real SARIF schema; `tools/test` runs it in its toolchain stage.
mod real_toolchains {
    use super::*;
    use support::toolchain;

    /// Every SARIF log `audit` writes (findings of each severity, none, an error) validates
    /// against the SARIF 2.1.0 schema with Python's jsonschema.
    #[test]
    fn sarif_logs_validate_against_the_sarif_schema() {
        let dir = tempfile::tempdir().unwrap();
        let mut logs = Vec::new();
        let mut save = |name: &str, output: Output| {
            let path = dir.path().join(name);
            std::fs::write(&path, &output.stdout).unwrap();
            logs.push(path);
        };
        let (p, t) = mutated(dir.path(), |p| {
            statement(p, "AllowsAmazonQToGetSecret")["Resource"] = json!("*");
            statement(p, "AllowsAmazonQToGetS3Objects")["Sid"] = json!("ReadObjects");
            p["Statement"]
                .as_array_mut()
                .unwrap()
                .retain(|s| s["Sid"] != "AllowsAmazonQToIngestDocuments");
        });
        save("findings.sarif", audit(&[&p, &t], &["--format", "sarif"]));
        let (p, t) = mutated(dir.path(), |_| {});
        save("equal.sarif", audit(&[&p, &t], &["--format", "sarif"]));
        let list = file(dir.path(), "list.yaml", "- a list\n");
        save("error.sarif", audit(&[&list], &["--format", "sarif"]));
        toolchain::assert_valid_sarif(&logs);
    }
}

/// The common real shape: the application and index created in the same stack and named by
/// `!GetAtt`, a bucket parameter named its own way with a `Default`; the role is exactly the
/// documented one, with nothing left unresolved.
#[test]
fn application_and_index_of_the_same_stack_and_parameter_defaults_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let application = "  QBusinessApp:
    Type: \"AWS::QBusiness::Application\"
    Properties:
      DisplayName: orders
  QBusinessIndex:
    Type: \"AWS::QBusiness::Index\"
    Properties:
      ApplicationId: !GetAtt QBusinessApp.ApplicationId
      DisplayName: orders
";
    let text = template_with(
        application,
        "  S3DataSourceBucket:\n    Type: String\n    Default: amzn-s3-demo-bucket\n",
        "\"QBusinessOrdersMySqlConnectorRole\"",
    )
    .replace(
        "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111/index/b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
        "${QBusinessApp.ApplicationId}/index/${QBusinessIndex.IndexId}",
    )
    .replace(
        "application/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\"",
        "application/${QBusinessApp.ApplicationId}\"",
    )
    .replace("s3:::amzn-s3-demo-bucket/*", "s3:::${S3DataSourceBucket}/*")
    .replace(
        "\"qbusiness_111122223333_a1b2c3d4-5678-90ab-cdef-EXAMPLE11111_*\"",
        "!Sub \"qbusiness_${AWS::AccountId}_${QBusinessApp.ApplicationId}_*\"",
    );
    assert!(
        !text.contains("EXAMPLE11111") && !text.contains("amzn-s3-demo-bucket/"),
        "{text}"
    );
    let path = file(dir.path(), "stack.yaml", &text);
    let output = audit(&[&path], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["findings"], json!([]));

    // Two applications: which is the spec's is not said, so what names one is unresolved.
    let two = text.replacen(
        "Resources:\n",
        "Resources:\n  OtherApp:\n    Type: \"AWS::QBusiness::Application\"\n",
        1,
    );
    let path = file(dir.path(), "two.yaml", &two);
    let kinds = kinds(&audit(&[&path], &["--format", "json"]));
    // One finding for each grant an unresolved value blocks, and none besides.
    assert_eq!(
        kinds,
        [
            "AllowsAmazonQToIngestDocuments",
            "AllowsAmazonQToIngestPrincipalMapping",
            "AllowsAmazonQToCreateAndDeleteNIForSpecificTag",
            "AllowsAmazonQToCreateNetworkInterfacePermission",
            "AllowsAmazonQToAssumeRoleForServicePrincipal",
        ]
        .map(|sid| (sid.to_owned(), "unresolved".to_owned()))
    );
}

/// A condition narrowed inside the documented pattern is narrower, information only: not also
/// a weaker one, nor a documented value no longer accepted.
#[test]
fn a_narrowed_condition_is_narrower_not_weaker() {
    let dir = tempfile::tempdir().unwrap();
    let (p, t) = mutated(dir.path(), |p| {
        statement(p, "AllowsAmazonQToDecryptSecret")["Condition"]["StringLike"]["kms:ViaService"] =
            json!("secretsmanager.us-east-1.amazonaws.com");
    });
    let output = audit(&[&p, &t], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let findings: Vec<(&str, &str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [(
            "narrower-condition",
            "info",
            "condition `kms:ViaService` accepts `secretsmanager.us-east-1.amazonaws.com` where the documentation accepts `secretsmanager.*.amazonaws.com`, which matches it and more (narrower)"
        )]
    );
}

/// The findings of a JSON report: statement, kind and severity.
fn findings_of(output: &Output) -> Vec<(String, String, String)> {
    let report: Value = serde_json::from_str(&stdout(output)).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["statement"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Statements split differently grant the same: information only. Split so that a part
/// loses its condition, the widening is reported, high.
#[test]
fn statements_are_compared_by_what_they_grant() {
    let dir = tempfile::tempdir().unwrap();
    let split = |p: &mut Value, keep_condition: bool| {
        let statements = p["Statement"].as_array_mut().unwrap();
        let at = statements
            .iter()
            .position(|s| s["Sid"] == "AllowsAmazonQToIngestPrincipalMapping")
            .unwrap();
        let mut groups = statements[at].clone();
        groups["Sid"] = json!("Groups");
        groups["Action"] = json!([
            "qbusiness:PutGroup",
            "qbusiness:DeleteGroup",
            "qbusiness:ListGroups"
        ]);
        let mut users = statements[at].clone();
        users["Sid"] = json!("Users");
        users["Action"] = json!(["qbusiness:UpdateUser", "qbusiness:CreateUser"]);
        statements.splice(at..=at, [groups, users]);
        let at = statements
            .iter()
            .position(|s| s["Sid"] == "AllowsAmazonQToCreateAndDeleteNIForSpecificTag")
            .unwrap();
        let mut delete = statements[at].clone();
        delete["Sid"] = json!("DeleteInterfaces");
        delete["Action"] = json!("ec2:DeleteNetworkInterface");
        if !keep_condition {
            delete.as_object_mut().unwrap().remove("Condition");
        }
        statements[at]["Action"] = json!("ec2:CreateNetworkInterface");
        statements.push(delete);
    };
    let (p, t) = mutated(dir.path(), |p| split(p, true));
    let output = audit(&[&p, &t], &["--format", "json"]);
    assert_eq!(
        findings_of(&output),
        [
            (
                "AllowsAmazonQToIngestPrincipalMapping",
                "different-sid",
                "info"
            ),
            ("Users", "regrouped", "info"),
            ("DeleteInterfaces", "regrouped", "info"),
        ]
        .map(|(s, k, v)| (s.to_owned(), k.to_owned(), v.to_owned()))
    );
    assert_eq!(output.status.code(), Some(0));

    let (p, t) = mutated(dir.path(), |p| split(p, false));
    let output = audit(&[&p, &t], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    // The documented statement lacks DeleteNetworkInterface under its conditions, and the
    // statement that has it, without them, is wider than anything documented.
    assert_eq!(
        findings_of(&output),
        [
            (
                "AllowsAmazonQToIngestPrincipalMapping",
                "different-sid",
                "info"
            ),
            (
                "AllowsAmazonQToCreateAndDeleteNIForSpecificTag",
                "missing-action",
                "medium"
            ),
            ("Users", "regrouped", "info"),
            ("DeleteInterfaces", "extra-statement", "high"),
        ]
        .map(|(s, k, v)| (s.to_owned(), k.to_owned(), v.to_owned()))
    );
}

/// `terraform show -json` as the Cloud Control provider's `awscc_iam_role` writes it, with the
/// example's generated policies; and a first plan, whose permission policy is known only
/// after apply: one unresolved finding, no documented grant called missing.
#[test]
fn awscc_roles_and_first_plans_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let (permission, trust) = example_policies();
    let state = json!({
        "format_version": "1.0",
        "values": { "root_module": { "resources": [
            { "address": "awscc_iam_role.connector", "mode": "managed", "type": "awscc_iam_role",
              "values": {
                  "role_name": "QBusinessOrdersMySqlConnectorRole",
                  "assume_role_policy_document": trust.to_string(),
                  "policies": [{ "policy_name": "permissions", "policy_document": permission.to_string() }]
              } }
        ] } }
    });
    let path = file(dir.path(), "state.json", &state.to_string());
    let output = audit(&[&path], &[]);
    let (code, first) = headline(&output);
    assert_eq!(code, Some(0), "{}", stdout(&output));
    assert!(
        first.starts_with("awscc_iam_role.connector of ")
            && first.contains("(its role name is QBusinessOrdersMySqlConnectorRole, the spec's role_name): the role is exactly"),
        "{first}"
    );

    let plan = json!({
        "format_version": "1.2",
        "planned_values": { "root_module": { "resources": [
            { "address": "aws_iam_role.this", "mode": "managed", "type": "aws_iam_role",
              "values": { "name": "QBusinessOrdersMySqlConnectorRole", "assume_role_policy": trust.to_string() } },
            { "address": "aws_iam_role_policy.this", "mode": "managed", "type": "aws_iam_role_policy",
              "values": { "name": "permissions" } }
        ] } },
        "configuration": { "root_module": { "resources": [
            { "address": "aws_iam_role_policy.this", "expressions": { "role": { "references": ["aws_iam_role.this.id", "aws_iam_role.this"] } } }
        ] } }
    });
    let path = file(dir.path(), "plan.json", &plan.to_string());
    let output = audit(&[&path], &["--format", "json"]);
    assert_eq!(
        findings_of(&output),
        [(
            "(role)".to_owned(),
            "unresolved".to_owned(),
            "medium".to_owned()
        )]
    );
}

/// A SAM template: the transform, and a function whose `Policies` make a role for Lambda
/// (not a connector role): the connector role is the one audited.
#[test]
fn sam_templates_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let function = "  Sync:
    Type: \"AWS::Serverless::Function\"
    Properties:
      Runtime: python3.12
      Handler: sync.handler
      CodeUri: src/
      Policies:
        - AWSLambdaBasicExecutionRole
        - Statement:
            - Effect: Allow
              Action: qbusiness:StartDataSourceSyncJob
              Resource: \"*\"
";
    let text = template_with(function, "", "\"QBusinessOrdersMySqlConnectorRole\"");
    let text = format!("Transform: AWS::Serverless-2016-10-31\n{text}");
    let path = file(dir.path(), "sam.yaml", &text);
    let output = audit(&[&path], &[]);
    let (code, first) = headline(&output);
    assert_eq!(code, Some(0), "{}", stdout(&output));
    assert!(first.starts_with("Role of "), "{first}");
}

/// What `generate --format json` writes for a spec that leaves `source_account` open is the
/// documented role for that spec: its placeholder is the role's account.
#[test]
fn the_generated_json_of_an_open_source_account_is_the_documented_role() {
    let dir = tempfile::tempdir().unwrap();
    let mut json_spec = support::example_spec();
    json_spec["values"]
        .as_object_mut()
        .unwrap()
        .remove("source_account");
    let spec_path = file(dir.path(), "spec.json", &json_spec.to_string());
    let spec = RoleSpec::from_json(&json_spec.to_string()).unwrap();
    let text = |name| support::artifact(&spec, Format::Json, name);
    assert!(text("trust-policy.json").contains("{{source_account}}"));
    let p = file(
        dir.path(),
        "permission.json",
        &text("permission-policy.json"),
    );
    let t = file(dir.path(), "trust.json", &text("trust-policy.json"));
    let output = Command::new(BIN)
        .arg("audit")
        .args([&p, &t])
        .arg("--spec")
        .arg(&spec_path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["findings"], json!([]));
    assert!(
        report["notes"]
            .to_string()
            .contains("{{source_account}} in the input is read as 111122223333"),
        "{report}"
    );
}

/// A Terraform module as teams write it: the Cloud Control provider's `awscc_iam_role`, its
/// trust policy from an `aws_iam_policy_document` data source, its permission policy a
/// `jsonencode` naming a local and the application created beside it, its name a variable's
/// default. Audited as written (the folder), exactly the documented role; with `--var`
/// naming another role, refused; with the application's ID in a plan known only after apply,
/// the same role is audited as written.
#[test]
fn terraform_modules_are_audited_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let (permission, _) = example_policies();
    let expression = hcl::to_expression(&permission).unwrap();
    let permission_hcl = hcl::format::to_string(&expression)
        .unwrap()
        .replace("111122223333", "${local.account}")
        .replace(
            "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
            "${awscc_qbusiness_application.app.application_id}",
        );
    let main = format!(
        r#"data "aws_caller_identity" "current" {{}}

locals {{
  account = data.aws_caller_identity.current.account_id
}}

resource "awscc_qbusiness_application" "app" {{
  display_name = "orders"
}}

data "aws_iam_policy_document" "trust" {{
  statement {{
    sid     = "AllowsAmazonQToAssumeRoleForServicePrincipal"
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["qbusiness.amazonaws.com"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }}
    condition {{
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:qbusiness:us-east-1:${{local.account}}:application/${{awscc_qbusiness_application.app.application_id}}"]
    }}
  }}
}}

resource "awscc_iam_role" "connector" {{
  role_name                   = var.role_name
  assume_role_policy_document = data.aws_iam_policy_document.trust.json
  policies = [{{
    policy_name     = "permissions"
    policy_document = jsonencode({permission_hcl})
  }}]
}}
"#
    );
    let module = dir.path().join("module");
    std::fs::create_dir(&module).unwrap();
    file(&module, "main.tf", &main);
    file(
        &module,
        "variables.tf",
        "variable \"role_name\" {\n  type    = string\n  default = \"QBusinessOrdersMySqlConnectorRole\"\n}\n",
    );
    let output = audit(&[&module], &[]);
    let (code, first) = headline(&output);
    assert_eq!(
        code,
        Some(0),
        "{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        first.starts_with(&format!(
            "awscc_iam_role.connector of {}/ (its role name is QBusinessOrdersMySqlConnectorRole",
            module.display()
        )),
        "{first}"
    );
    // Named otherwise by -var: no role has the spec's name; it is still the only one Amazon
    // Q Business may assume.
    let output = audit(&[&module], &["--var", "role_name=renamed"]);
    let (code, first) = headline(&output);
    assert_eq!(code, Some(0), "{first}");
    assert!(first.contains("the only role that qbusiness.amazonaws.com may assume; no role is named QBusinessOrdersMySqlConnectorRole"), "{first}");

    // A widening written in HCL is found: a statement with any resource.
    let widened = main.replacen(
        "\"Resource\" = ",
        "\"Resource\" = \"*\"\n      \"Unused\" = ",
        1,
    );
    assert_ne!(widened, main);
    file(&module, "main.tf", &widened);
    let output = audit(&[&module], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        findings_of(&output),
        [(
            "AllowsAmazonQToGetS3Objects".to_owned(),
            "wider-resource".to_owned(),
            "high".to_owned()
        )]
    );

    // The same findings as for its plan, as `terraform show -json` writes an awscc role.
    let (mut permission, trust) = example_policies();
    statement(&mut permission, "AllowsAmazonQToGetS3Objects")["Resource"] = json!("*");
    let plan = json!({
        "format_version": "1.2",
        "planned_values": { "root_module": { "resources": [
            { "address": "awscc_iam_role.connector", "mode": "managed", "type": "awscc_iam_role",
              "values": {
                  "role_name": "QBusinessOrdersMySqlConnectorRole",
                  "assume_role_policy_document": trust.to_string(),
                  "policies": [{ "policy_name": "permissions", "policy_document": permission.to_string() }]
              } }
        ] } }
    });
    let path = file(dir.path(), "plan.json", &plan.to_string());
    assert_eq!(
        findings_of(&audit(&[&path], &["--format", "json"])),
        findings_of(&output)
    );
}

/// Without `--spec`, the role's JSON policy documents are matched with the catalog: the
/// example's role is its connector with its values, a widened one is found so with the
/// difference, and a role of another service matches no connector.
#[test]
fn without_a_spec_the_connector_and_values_are_worked_out_from_the_role() {
    let run = |paths: &[&Path], extra: &[&str]| {
        Command::new(BIN)
            .arg("audit")
            .args(paths)
            .args(extra)
            .output()
            .expect("the CLI runs")
    };
    let dir = tempfile::tempdir().unwrap();
    let (permission, trust) = mutated(dir.path(), |_| {});
    let output = run(&[&trust, &permission], &[]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("exactly the documented rds-mysql"), "{text}");
    assert!(
        text.contains("secret_id=qbusiness-orders-mysql-AbCdEf")
            && text.contains("subnet_ids=subnet-0123456789abcdef0"),
        "the values read are named: {text}"
    );

    let (permission, trust) = mutated(dir.path(), |policy| {
        statement(policy, "AllowsAmazonQToIngestDocuments")["Resource"] = json!("*");
    });
    let output = run(&[&trust, &permission], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    // Widened, the role is as close to many connectors' roles: rds-mysql is one of them.
    let named = report["connector"] == "rds-mysql"
        || report["notes"].as_array().unwrap().iter().any(|note| {
            note.as_str().unwrap().contains("as close to")
                && note.as_str().unwrap().contains("rds-mysql")
        });
    assert!(named, "{report}");
    assert!(
        kinds(&output).contains(&(
            "AllowsAmazonQToIngestDocuments".to_owned(),
            "wider-resource".to_owned()
        )),
        "{:?}",
        kinds(&output)
    );

    let other = file(
        dir.path(),
        "other.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}"#,
    );
    let output = run(&[&other], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("matches no documented connector"));
}
