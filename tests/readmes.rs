//! The READMEs written beside each Terraform module and CDK app say what the module and app
//! really hold, on every case of the matrix: inline and managed policies, with and without VPC,
//! values bound and open, a role alone and a stack.

mod support;

use std::collections::BTreeSet;

use connector_roles::properties::PolicyKind;
use regex::Regex;
use support::matrix::matrix;

/// Every resource address `main.tf` declares (`aws_iam_role.this`), read with hcl-rs.
fn declared_resources(main_tf: &str) -> BTreeSet<String> {
    let body: hcl::Body = hcl::from_str(main_tf).expect("main.tf is HCL");
    body.blocks()
        .filter(|block| block.identifier() == "resource")
        .map(|block| {
            let labels: Vec<&str> = block.labels().iter().map(|l| l.as_str()).collect();
            labels.join(".")
        })
        .collect()
}

/// Every resource address the README names in code spans (`aws_iam_role.this`).
fn named_resources(readme: &str) -> BTreeSet<String> {
    Regex::new(r"`(awscc_[a-z_]+\.[a-z0-9_]+|aws_[a-z_]+\.[a-z0-9_]+)`")
        .unwrap()
        .captures_iter(readme)
        .map(|c| c[1].to_owned())
        .collect()
}

#[test]
fn terraform_readme_names_the_resources_main_tf_declares() {
    for case in matrix() {
        let declared = declared_resources(case.file("terraform/main.tf"));
        let named = named_resources(case.file("terraform/README.md"));
        assert_eq!(named, declared, "{}: terraform/README.md", case.name);
        let kinds: Vec<PolicyKind> = case
            .roles
            .iter()
            .map(|(_, s)| s.properties.policy)
            .collect();
        let has = |prefix: &str| declared.iter().any(|r| r.starts_with(prefix));
        assert_eq!(
            has("aws_iam_policy.") && has("aws_iam_role_policy_attachment."),
            kinds.contains(&PolicyKind::Managed),
            "{}: managed policies",
            case.name
        );
        assert_eq!(
            has("aws_iam_role_policy."),
            kinds.contains(&PolicyKind::Inline),
            "{}: inline policies",
            case.name
        );
    }
}

#[test]
fn cdk_readme_says_what_each_role_creates_and_reads() {
    let key = Regex::new(r"^\| `([A-Za-z0-9.]+)` \|").unwrap();
    let option = Regex::new(r"(?m)^ +-c ([A-Za-z0-9.]+)=").unwrap();
    for case in matrix() {
        let readme = case.file("cdk/README.md");
        // Each role's row names its construct and the resources its policy kind creates.
        for (names, spec) in &case.roles {
            let row = readme
                .lines()
                .find(|line| line.starts_with(&format!("| {} |", spec.name)))
                .unwrap_or_else(|| panic!("{}: no row for {}", case.name, spec.name));
            let inline = format!("with the inline policy `{}-permissions`", spec.name);
            match spec.properties.policy {
                PolicyKind::Managed => {
                    assert!(
                        row.contains("`AWS::IAM::ManagedPolicy`"),
                        "{}: {row}",
                        case.name
                    );
                    assert!(!row.contains("inline"), "{}: {row}", case.name);
                }
                PolicyKind::Inline => {
                    assert!(row.contains(&inline), "{}: {row}", case.name);
                    assert!(!row.contains("ManagedPolicy"), "{}: {row}", case.name);
                }
            }
            assert!(
                row.contains(&format!("`{}`", names.logical_id("RoleArn"))),
                "{}: {row}",
                case.name
            );
        }
        // The context table lists exactly the keys the app reads: every open value, and the
        // optional role name of each role the spec does not name.
        let listed: BTreeSet<String> = readme
            .lines()
            .filter_map(|line| key.captures(line).map(|c| c[1].to_owned()))
            .collect();
        // The open values, each required.
        let required: BTreeSet<String> = case
            .cdk_context()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut read = required.clone();
        for (names, spec) in &case.roles {
            if spec.role_name.is_none() {
                read.insert(names.context_key("roleName"));
            }
        }
        assert_eq!(
            listed, read,
            "{}: the context table of cdk/README.md",
            case.name
        );
        // The synth command passes every required value, and only those.
        let options: BTreeSet<String> = option
            .captures_iter(readme)
            .map(|c| c[1].to_owned())
            .collect();
        assert_eq!(
            options, required,
            "{}: npx cdk synth in cdk/README.md",
            case.name
        );
        assert_eq!(
            readme.contains("the app reads no context"),
            listed.is_empty(),
            "{}",
            case.name
        );
    }
}
