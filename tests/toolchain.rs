//! The real toolchains accept what we emit: cfn-lint, tsc against aws-cdk-lib v2, and
//! HashiCorp's HCL parser (`support::toolchain` runs them, or says why it skips them).

mod support;

use std::path::PathBuf;

use connector_roles::{Format, RoleSpec, render, write_all};
use support::toolchain;

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

#[test]
fn cfn_lint_reports_nothing() {
    let (_out, roots) = generated(Format::CloudFormation);
    for root in roots {
        toolchain::cfn_lint(&root.join("cloudformation/template.yaml"));
    }
}

#[test]
fn cdk_app_type_checks_strictly() {
    let (_out, roots) = generated(Format::Cdk);
    for root in roots {
        toolchain::tsc(&root.join("cdk"));
    }
}

#[test]
fn hashicorp_parser_reads_every_tf_file() {
    let (_out, roots) = generated(Format::Terraform);
    for root in roots {
        let Some(parsed) = toolchain::hcl2json(&root.join("terraform")) else {
            return;
        };
        assert!(
            parsed.to_string().contains("aws_iam_role"),
            "main.tf declares the role"
        );
    }
}
