//! The generated constructs in an app of the user's own (`tests/cdk-host/`): its own stack
//! class, strict `NodeNext`, compiled by TypeScript 7, and by TypeScript 5.9 with `NodeNext`
//! and with `node16` (users drop the construct into apps of both generations), then
//! synthesized with `cdk init`'s feature flags; each stack's template passes cfn-lint and holds
//! exactly its role's documented policies.

use std::path::Path;

use serde_json::Value;

use super::checks::{self, Written};
use super::matrix::{Case, matrix};
use super::toolchain::{self, Log};

/// The host app's stacks and the matrix case whose construct each holds.
const STACKS: [(&str, &str); 3] = [
    ("Open", "default"),
    ("Bound", "examples/specs/orders-mysql.json"),
    (
        "Managed",
        "every role property, the permissions in a customer-managed policy",
    ),
];

/// Compiles and synthesizes the host app with the constructs of [`STACKS`]' cases.
pub fn check() {
    let mut all = matrix();
    let cases: Vec<Case> = STACKS
        .iter()
        .map(|(_, name)| {
            let index = all
                .iter()
                .position(|case| case.name == *name)
                .unwrap_or_else(|| panic!("no matrix case {name}"));
            all.swap_remove(index)
        })
        .collect();
    checks::run_on("CDK host app", cases, host);
}

/// The check: one host app for all the cases; one result per case, its stack's.
fn host(cases: &[Written<'_>], log: &mut Log) -> Vec<Result<(), String>> {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("host");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cdk-host");
    let prepared = (|| -> Result<Option<Vec<std::path::PathBuf>>, String> {
        copy(
            &fixture,
            &app,
            &["bin/host.ts", "tsconfig.json", "tsconfig.node16.json"],
        )?;
        for (case, root) in cases {
            for (_, spec) in &case.roles {
                let file = format!("lib/{}.ts", spec.name);
                copy(&root.join("cdk"), &app, &[file.as_str()])?;
            }
        }
        if !toolchain::tsc(log, &app)? {
            return Ok(None);
        }
        for config in ["tsconfig.json", "tsconfig.node16.json"] {
            if !toolchain::tsc_5_9(log, &app, config)? {
                return Ok(None);
            }
        }
        let Some(mut context) = toolchain::init_feature_flags() else {
            return Err("the CDK CLI's init feature flags are not installed".to_owned());
        };
        context["rdsMysql"] = cases[0].0.cdk_context();
        toolchain::cdk_run(log, &app, "bin/host.ts", &context)
    })();
    let templates = match prepared {
        Ok(Some(templates)) => templates,
        Ok(None) => return cases.iter().map(|_| Ok(())).collect(),
        Err(error) => return cases.iter().map(|_| Err(error.clone())).collect(),
    };
    let mut lint = toolchain::cfn_lint(log, &templates).into_iter();
    let results: Vec<Result<(), String>> = STACKS
        .iter()
        .zip(cases)
        .map(|((stack, _), (case, _))| {
            let template = app.join(format!("cdk.out/{stack}.template.json"));
            let lint = lint.next().unwrap_or(Ok(()));
            let text = std::fs::read_to_string(&template)
                .map_err(|e| format!("{}: {e}", template.display()))?;
            lint?;
            case.cdk_policies(&text)
                .map_err(|e| format!("stack {stack}: {e}"))
        })
        .collect();
    assert_eq!(
        templates.len(),
        STACKS.len(),
        "one template per stack: {templates:?}"
    );
    results
}

/// Copies each of `files` (relative paths) from `from` to `to`.
fn copy(from: &Path, to: &Path, files: &[&str]) -> Result<(), String> {
    for file in files {
        let target = to.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::copy(from.join(file), &target)
            .map_err(|e| format!("copying {file} from {}: {e}", from.display()))?;
    }
    Ok(())
}

/// The feature flags the host app runs with must be the ones the generated apps carry.
pub fn generated_flags_are_the_init_flags(cdk_json: &Value) -> Result<(), String> {
    match toolchain::init_feature_flags() {
        None => Ok(()),
        Some(flags) if cdk_json["context"] == flags => Ok(()),
        Some(_) => Err(
            "cdk.json's feature flags differ from those of the tools' CDK CLI: update \
             generator/src/render/cdk-feature-flags.json"
                .to_owned(),
        ),
    }
}
