//! `connector-roles audit --role-name` and `--scan` against an account, as a platform team
//! runs them: roles planted in moto (a local AWS emulator, `tests/support/live_moto.py`) as
//! documented, widened, with a trust condition dropped, with two statements merged, with the
//! permissions in a customer-managed policy, with permissions no connector documents, and a
//! role of another service; the CLI reads them through the AWS SDK for Rust, its endpoint
//! given as every SDK takes it (`AWS_ENDPOINT_URL`), and must report exactly the planted
//! differences. `tools/test` runs these tests in its toolchain stage.

mod support;

mod real_toolchains {
    use std::io::{BufRead, BufReader};
    use std::path::Path;
    use std::process::{Child, Command, Output, Stdio};

    use serde_json::{Value, json};

    use super::support::policy::statement_mut as statement;
    use super::support::toolchain::{assert_valid_sarif, tool};
    use super::support::{ACCOUNT, BIN, ORDERS, stdout};

    /// The example's documented policies, as `generate --format json` writes them.
    fn documented() -> (Value, Value) {
        let dir = tempfile::tempdir().unwrap();
        let output = Command::new(BIN)
            .args(["generate", ORDERS, "--format", "json", "--out"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let read = |name: &str| -> Value {
            let path = dir.path().join("orders-mysql/policy").join(name);
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        (read("trust-policy.json"), read("permission-policy.json"))
    }

    /// The roles planted, each with the differences the audit must find: `(Sid, kind)`.
    fn planted() -> Vec<(Value, Vec<(&'static str, &'static str)>)> {
        let (trust, permission) = documented();
        let role = |name: &str, trust: &Value, inline: Option<&Value>, managed: Option<&Value>| {
            json!({
                "name": name,
                "trust": trust,
                "inline": inline.map(|p| json!({ "permissions": p })).unwrap_or(json!({})),
                "managed": managed.map(|p| json!({ format!("{name}-permissions"): p })).unwrap_or(json!({})),
            })
        };
        let mut widened = permission.clone();
        statement(&mut widened, "AllowsAmazonQToGetSecret")["Resource"] = json!("*");
        let mut loose = trust.clone();
        loose["Statement"][0]["Condition"]
            .as_object_mut()
            .unwrap()
            .remove("StringEquals");
        let mut merged = permission.clone();
        let tags = statement(&mut merged, "AllowsAmazonQToCreateTags").clone();
        let interface = statement(
            &mut merged,
            "AllowsAmazonQToCreateNetworkInterfacePermission",
        );
        interface["Action"] = json!(["ec2:CreateNetworkInterfacePermission", "ec2:CreateTags"]);
        interface["Condition"]["StringEquals"] = tags["Condition"]["StringEquals"].clone();
        merged["Statement"]
            .as_array_mut()
            .unwrap()
            .retain(|s| s["Sid"] != "AllowsAmazonQToCreateTags");
        let other = json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}],
        });
        let lambda = json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
        });
        vec![
            (
                role(
                    "QBusinessOrdersMySqlConnectorRole",
                    &trust,
                    Some(&permission),
                    None,
                ),
                vec![],
            ),
            (
                role("Widened", &trust, None, Some(&widened)),
                vec![("AllowsAmazonQToGetSecret", "wider-resource")],
            ),
            (
                role("DroppedCondition", &loose, Some(&permission), None),
                vec![(
                    "AllowsAmazonQToAssumeRoleForServicePrincipal",
                    "missing-condition",
                )],
            ),
            (
                // Merged, each statement's condition now holds for the other's action too:
                // `ec2:CreateTags` is no longer granted as documented (the tag condition
                // also applies), and the permission statement grants an action more.
                role("Merged", &trust, Some(&merged), None),
                vec![
                    ("AllowsAmazonQToCreateTags", "missing-statement"),
                    (
                        "AllowsAmazonQToCreateNetworkInterfacePermission",
                        "extra-action",
                    ),
                    (
                        "AllowsAmazonQToCreateNetworkInterfacePermission",
                        "extra-condition",
                    ),
                ],
            ),
            (
                role("ManagedPolicy", &trust, None, Some(&permission)),
                vec![],
            ),
            (role("Unrelated", &trust, Some(&other), None), vec![]),
            (role("LambdaRole", &lambda, Some(&other), None), vec![]),
        ]
    }

    /// moto with `roles` planted, serving until dropped.
    struct Emulator {
        child: Child,
        endpoint: String,
        _dir: tempfile::TempDir,
    }

    impl Emulator {
        /// moto with `roles` planted.
        fn start(python: &Path, roles: &[Value]) -> Emulator {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("roles.json");
            std::fs::write(&file, Value::from(roles.to_vec()).to_string()).unwrap();
            Emulator::serving(python, file.as_os_str(), dir)
        }

        /// moto checking permissions, with the access key of a user that has none: the
        /// emulator, and the key's ID and secret.
        fn denied(python: &Path) -> (Emulator, String, String) {
            let dir = tempfile::tempdir().unwrap();
            let mut emulator = Emulator::serving(python, "--denied".as_ref(), dir);
            let line = emulator.endpoint.clone();
            let mut words = line.split(' ').map(str::to_owned);
            let (endpoint, id, secret) = (
                words.next().unwrap(),
                words.next().expect("a key ID"),
                words.next().expect("a secret"),
            );
            emulator.endpoint = endpoint;
            (emulator, id, secret)
        }

        /// `live_moto.py` with `argument`, once it has printed its first line (kept as
        /// `endpoint`).
        fn serving(python: &Path, argument: &std::ffi::OsStr, dir: tempfile::TempDir) -> Emulator {
            let mut child = Command::new(python)
                .arg(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/support/live_moto.py"
                ))
                .arg(argument)
                .env("MOTO_ACCOUNT_ID", ACCOUNT)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            assert!(line.starts_with("http://"), "moto did not start: {line:?}");
            Emulator {
                child,
                endpoint: line.trim().to_owned(),
                _dir: dir,
            }
        }

        /// The CLI's `audit` with `args`, its AWS settings the emulator's alone.
        fn audit(&self, args: &[&str]) -> Output {
            audit_with(args, &[("AWS_ENDPOINT_URL", &self.endpoint)])
        }
    }

    impl Drop for Emulator {
        fn drop(&mut self) {
            // Closing its standard input stops the server.
            drop(self.child.stdin.take());
            let _ = self.child.wait();
        }
    }

    /// The CLI's `audit` with `args`, in an environment whose only AWS settings are test
    /// credentials and `settings` (no profile, no instance metadata).
    fn audit_with(args: &[&str], settings: &[(&str, &str)]) -> Output {
        let home = tempfile::tempdir().unwrap();
        let mut command = Command::new(BIN);
        command.arg("audit").args(args);
        for (key, _) in std::env::vars() {
            if key.starts_with("AWS_") {
                command.env_remove(key);
            }
        }
        command
            .env("HOME", home.path())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1");
        for (key, value) in settings {
            command.env(key, value);
        }
        command.output().expect("the CLI runs")
    }

    /// The `(statement, kind)` of each finding of a JSON report.
    fn kinds(report: &Value) -> Vec<(String, String)> {
        report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["statement"].as_str().unwrap().to_owned(),
                    f["kind"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    fn planted_kinds(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(s, k)| ((*s).to_owned(), (*k).to_owned()))
            .collect()
    }

    #[test]
    fn role_name_and_scan_report_exactly_the_planted_differences() {
        let Some(python) = tool(".venv/bin/python", "the live audit against moto") else {
            return;
        };
        let planted = planted();
        let roles: Vec<Value> = planted.iter().map(|(role, _)| role.clone()).collect();
        let emulator = Emulator::start(&python, &roles);

        // One role, against the spec, and without one.
        let output = emulator.audit(&[
            "--role-name",
            "QBusinessOrdersMySqlConnectorRole",
            "--spec",
            ORDERS,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
        assert!(stdout(&output).contains("exactly the documented rds-mysql"));
        let output = emulator.audit(&["--role-name", "Widened", "--format", "json"]);
        assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
        let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(
            kinds(&report),
            planted_kinds(&[("AllowsAmazonQToGetSecret", "wider-resource")])
        );

        // The scan: every role trusting Amazon Q Business, none other.
        let output = emulator.audit(&["--scan", "--format", "json"]);
        assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
        let scan: Value = serde_json::from_str(&stdout(&output)).unwrap();
        let found: Vec<&Value> = scan["roles"].as_array().unwrap().iter().collect();
        let names: Vec<&str> = found.iter().map(|r| r["role"].as_str().unwrap()).collect();
        assert!(!names.contains(&"LambdaRole"), "{names:?}");
        for (role, expected) in planted.iter().filter(|(r, _)| r["name"] != "LambdaRole") {
            let name = role["name"].as_str().unwrap();
            let entry = found
                .iter()
                .find(|r| r["role"] == name)
                .unwrap_or_else(|| panic!("{name} is not in the scan: {names:?}"));
            if name == "Unrelated" {
                let error = entry["error"].as_str().unwrap_or_default();
                assert!(error.contains("matches no documented connector"), "{entry}");
                continue;
            }
            let report = &entry["report"];
            assert_eq!(report["connector"], "rds-mysql", "{name}: {report}");
            assert_eq!(kinds(report), planted_kinds(expected), "{name}: {report}");
        }

        // SARIF: a run per role audited (all but the one matching no connector), valid
        // against the SARIF schema as the file audits' logs are.
        let output = emulator.audit(&["--scan", "--format", "sarif"]);
        let sarif: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(
            sarif["runs"].as_array().unwrap().len(),
            names.len() - 1,
            "{sarif}"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scan.sarif");
        std::fs::write(&path, &output.stdout).unwrap();
        assert_valid_sarif(&[path]);

        // A spec binds its role by name, and the table lists every role.
        let output = emulator.audit(&["--scan", "--spec", ORDERS]);
        let table = stdout(&output);
        let line = |role: &str| {
            table
                .lines()
                .find(|line| line.starts_with(&format!("{role} ")))
                .unwrap_or_else(|| panic!("no line for {role}:\n{table}"))
                .to_owned()
        };
        assert!(
            line("QBusinessOrdersMySqlConnectorRole").ends_with("exactly documented"),
            "{table}"
        );
        assert!(line("Widened").ends_with("1 difference"), "{table}");
        assert!(
            line("Unrelated").contains("matches no documented connector"),
            "{table}"
        );

        // A role that does not exist is invalid input.
        let output = emulator.audit(&["--role-name", "Nobody"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("iam:GetRole Nobody"));
    }

    #[test]
    fn aws_failures_are_one_line_each_with_their_exit_code() {
        // No credentials anywhere: exit 4, without calling AWS.
        let output = audit_with(
            &["--scan"],
            &[("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", "")],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(4), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: no AWS credentials"), "{stderr}");
        // Credentials of a user with no policy: exit 5.
        if let Some(python) = tool(".venv/bin/python", "the access-denied audit against moto") {
            let (emulator, id, secret) = Emulator::denied(&python);
            let output = audit_with(
                &["--scan"],
                &[
                    ("AWS_ENDPOINT_URL", &emulator.endpoint),
                    ("AWS_ACCESS_KEY_ID", &id),
                    ("AWS_SECRET_ACCESS_KEY", &secret),
                ],
            );
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(5), "{stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(
                stderr.starts_with("error: iam:ListRoles: AccessDenied"),
                "{stderr}"
            );
        }
        // Nothing listens at the endpoint: exit 7, after the SDK's retries.
        let output = audit_with(&["--scan"], &[("AWS_ENDPOINT_URL", "http://127.0.0.1:9")]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(7), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: iam:ListRoles: "), "{stderr}");
    }
}
