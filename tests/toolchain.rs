//! The real toolchains accept every case of the matrix (`support::matrix`), and what each
//! format holds, read back and evaluated, is exactly the documented roles
//! (`support::checks`):
//!
//! - CloudFormation: cfn-lint (no error, warning or informational message) and checkov (no
//!   failed check, no parsing error, some resources); the template evaluated.
//! - CDK: TypeScript 7's `tsc -p` against aws-cdk-lib v2; the app synthesized as cdk.json
//!   runs it (tsx), without AWS credentials; cfn-lint on the synthesized template, evaluated.
//!   On the cases users meet first (the default, the examples, a cross-account role, a
//!   managed policy, a stack), the users' own commands in a scratch copy: `npm install`,
//!   `npx cdk synth -c ...`, `npm test`. A host app of its own, with its own stacks, imports
//!   constructs and is compiled by TypeScript 7 and 5.9 (`NodeNext` and `node16`) and
//!   synthesized with `cdk init`'s feature flags.
//! - Terraform: HashiCorp's HCL parser (hcl2json) reads every `.tf` file; checkov; the module
//!   evaluated with hcl-rs; Terraform itself (`fmt -check`, `init` from the machine's provider
//!   mirror, `validate`) where the machine has them.
//! - Policy JSON: read with serde_json, placeholders filled.
//! - Cargo: a crate depending on connector-roles under another name and without its CLI
//!   (`tests/renamed/`) compiles `connector_role!` with `crate = ::roles;` and runs.
//!
//! `support::toolchain` runs the tools, or says why it skips one (under `CI=true` a missing
//! tool fails). Every command and its output are printed: `tools/test` runs these tests in a
//! stage of their own with `--nocapture`.

mod support;

mod real_toolchains {
    use super::support::matrix::matrix;
    use super::support::{cdk_host, checks};

    #[test]
    fn cloudformation() {
        checks::run("CloudFormation", checks::cloudformation);
    }

    #[test]
    fn cdk() {
        checks::run("CDK", checks::cdk);
    }

    /// Terraform itself on every matrix module, with the provider its users may run (the
    /// machine's mirror holds hashicorp/aws 5.100.0; the modules admit 5 and 6): each is
    /// formatted as `terraform fmt` writes it, and `init` (the mirror only) and `validate`
    /// accept it. A module with a data source also needs hashicorp/awscc, which no mirror
    /// here holds: it is checked by `fmt` and named as not validated.
    #[test]
    fn terraform_validates_every_module_with_the_mirrors_provider() {
        use super::support::toolchain::{Log, terraform_and_mirror, terraform_cli_config};
        use std::process::Command;

        let Some((terraform, mirror)) = terraform_and_mirror("terraform init and validate") else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let config = terraform_cli_config(dir.path(), &mirror);
        let mut log = Log::default();
        let mut failures = Vec::new();
        let mut skipped = Vec::new();
        for (i, case) in matrix().into_iter().enumerate() {
            let root = dir.path().join(i.to_string());
            connector_roles::write_all(&root, &case.artifacts).unwrap();
            let module = root.join(&case.folder).join("terraform");
            let run = |log: &mut Log, args: &[&str]| {
                log.run(
                    "terraform",
                    Command::new(&terraform)
                        .args(args)
                        .current_dir(&module)
                        .env("TF_CLI_CONFIG_FILE", &config)
                        .env("TF_IN_AUTOMATION", "1")
                        .env("CHECKPOINT_DISABLE", "1"),
                )
            };
            let mut checks = vec![run(&mut log, &["fmt", "-check", "-diff", "-no-color"])];
            let versions = std::fs::read_to_string(module.join("versions.tf")).unwrap();
            if versions.contains("hashicorp/awscc") {
                skipped.push(case.name.clone());
            } else {
                checks.push(run(&mut log, &["init", "-input=false", "-no-color"]));
                checks.push(run(&mut log, &["validate", "-no-color"]));
            }
            failures.extend(
                checks
                    .into_iter()
                    .filter_map(Result::err)
                    .map(|e| format!("{}: {e}", case.name)),
            );
        }
        println!("{}", log.0);
        if !skipped.is_empty() {
            super::support::toolchain::say(&format!(
                "NOT VALIDATED (hashicorp/awscc is in no mirror here; fmt checked): {}",
                skipped.join("; ")
            ));
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// The matrix cases whose CDK apps are installed and run as their users run them: one of
    /// each kind of app (open values, bound values and role properties, a data source with
    /// open values, a stack, a cross-account role, a managed policy). The other cases' apps
    /// are the same constructs with other values: the `cdk` test type-checks and synthesizes
    /// every one with the pinned toolchain.
    const AS_USERS: [&str; 6] = [
        "default",
        "examples/orders_mysql.rs",
        "examples/team_slack.rs",
        "examples/analytics_stack.rs",
        "account open, source_account bound to another account, subnets bound, security groups open",
        "every role property, the permissions in a customer-managed policy",
    ];

    #[test]
    fn cdk_as_users_run_it() {
        let cases: Vec<_> = matrix()
            .into_iter()
            .filter(|case| AS_USERS.contains(&case.name.as_str()))
            .collect();
        assert_eq!(
            cases.len(),
            AS_USERS.len(),
            "every case named is in the matrix"
        );
        checks::run_on("CDK as users run it", cases, checks::cdk_as_users);
    }

    /// The generated cdk.json carries the feature flags today's `cdk init` writes.
    #[test]
    fn cdk_json_has_the_init_feature_flags() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/output/rds-mysql/cdk/cdk.json");
        let cdk_json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        cdk_host::generated_flags_are_the_init_flags(&cdk_json).unwrap();
    }

    #[test]
    fn cdk_construct_in_a_host_app() {
        cdk_host::check();
    }

    /// A crate that renames its dependency on connector-roles (`roles = { package =
    /// "connector-roles", default-features = false }`) builds and runs `connector_role!`:
    /// the expansion goes through `crate = ::roles;`, not a hard-coded `::connector_roles`.
    #[test]
    fn macro_through_a_renamed_dependency() {
        let root = env!("CARGO_MANIFEST_DIR");
        let output = std::process::Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--locked", "--manifest-path"])
            .arg(format!("{root}/tests/renamed/Cargo.toml"))
            .env("CARGO_TARGET_DIR", format!("{root}/target/renamed"))
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        let trust: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            trust["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"],
            "arn:aws:qbusiness:us-east-1:{{source_account}}:application/{{application_id}}"
        );
    }

    #[test]
    fn terraform() {
        checks::run("Terraform", checks::terraform);
    }

    #[test]
    fn policy_json() {
        checks::run("policy JSON", checks::json);
    }
}
