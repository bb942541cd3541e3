//! Breaking an emitted artifact on purpose makes the suite fail. Each test writes the
//! embedded default (every value open, VPC on) in every format, breaks one file, and runs
//! the suite's own check on it, which must reject it for the expected reason:
//!
//! | mutation | CloudFormation YAML | CDK TypeScript, synthesized | Terraform HCL | policy JSON |
//! | --- | --- | --- | --- | --- |
//! | drop a statement | policy comparison | policy comparison | policy comparison | policy comparison |
//! | widen a Resource to `"*"` | policy comparison | policy comparison | policy comparison | policy comparison |
//! | drop a trust condition | policy comparison | policy comparison | policy comparison | policy comparison |
//! | syntax error | cfn-lint | tsc | hcl2json | serde_json |
//!
//! A semantic mutation (the first three) is given to the evaluation and policy comparison
//! of `support::matrix` (for the CDK, after `support::checks::cdk` compiles and synthesizes
//! the app: the whole CDK check); a syntax error to the format's whole check
//! (`support::checks`, as `tests/toolchain.rs` runs it on the matrix), whose real validator
//! must be among what rejects it. A test prints everything that rejected the file. Run one
//! with, for example, `cargo test --test mutations broken_artifact::cdk::widen_a_resource --
//! --nocapture`.

mod support;

use std::ops::Range;
use std::path::Path;

use connector_roles::RoleSpec;
use serde_json::Value;
use support::checks::{self, Check};
use support::matrix::{Case, DEPLOYMENT};
use support::toolchain::{self, Log};

/// The statement dropped.
const DROPPED: &str = "AllowsAmazonQToGetSecret";
/// The statement whose Resource is widened to `"*"`.
const WIDENED: &str = "AllowsAmazonQToDecryptSecret";
/// The trust policy's statement, whose `ArnLike` (`aws:SourceArn`) condition is dropped.
const TRUST: &str = "AllowsAmazonQToAssumeRoleForServicePrincipal";

/// A check of a written case (its folder), with the commands it ran logged.
type CaseCheck = dyn Fn(&Case, &Path, &mut Log) -> Result<(), String>;

/// Writes the default case, applies `mutate` to its file at `path` (under the case's folder),
/// runs `check` on it and asserts that it fails with every one of `expected` in its errors;
/// prints what failed.
fn assert_rejected(
    mutation: &str,
    path: &str,
    mutate: impl Fn(&str) -> String,
    check: &CaseCheck,
    expected: &[&str],
) {
    let case = Case::alone("default", RoleSpec::default_spec(), DEPLOYMENT);
    let dir = tempfile::tempdir().unwrap();
    let root = case.write(dir.path());
    let file = root.join(path);
    let original = std::fs::read_to_string(&file).unwrap();
    let mutated = mutate(&original);
    assert_ne!(mutated, original, "{mutation} changes {path}");
    std::fs::write(&file, &mutated).unwrap();
    let mut log = Log::default();
    let Err(error) = check(&case, &root, &mut log) else {
        panic!("{mutation} in {path} passes:\n{}", log.0)
    };
    eprintln!(
        "==== mutation: {mutation} in {path}: rejected ====\n{}---- what failed:\n{error}\n",
        log.0
    );
    for part in expected {
        assert!(
            error.contains(part),
            "{mutation} in {path} is rejected, but not by {part:?}:\n{error}"
        );
    }
}

/// The whole `check` of a format (real validators included) on the one case.
fn whole(check: Check) -> impl Fn(&Case, &Path, &mut Log) -> Result<(), String> {
    move |case, root, log| check(&[(case, root.to_path_buf())], log).remove(0)
}

/// The file at `path` under a case's folder.
fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

/// Whether `tools` (relative to the tools folder) and node are there to run a mutation's
/// check; says why not otherwise (and fails under `CI=true`).
fn tools_for(what: &str, tools: &[&str]) -> bool {
    tools
        .iter()
        .all(|relative| toolchain::tool(relative, what).is_some())
        && toolchain::node(what).is_some()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The lines of the block that starts at line `start`: it, the lines indented deeper after
/// it, and the line closing it (`}`, `]` or `)` at its indentation) if there is one.
fn block(lines: &[&str], start: usize) -> Range<usize> {
    let own = indent(lines[start]);
    let mut end = start + 1;
    while end < lines.len() && (lines[end].trim().is_empty() || indent(lines[end]) > own) {
        end += 1;
    }
    if end < lines.len()
        && indent(lines[end]) == own
        && lines[end].trim_start().starts_with(['}', ']', ')'])
    {
        end += 1;
    }
    start..end
}

/// The lines of the statement `sid`: the YAML list item `- Sid: "..."`, or the `{` ... `}`
/// that holds `Sid = "..."` (HCL) or `Sid: '...'` (TypeScript).
fn statement(lines: &[&str], sid: &str) -> Range<usize> {
    let at = lines
        .iter()
        .position(|line| {
            let key = line.trim_start().trim_start_matches("- ");
            key.starts_with("Sid")
                && (line.contains(&format!("\"{sid}\"")) || line.contains(&format!("'{sid}'")))
        })
        .unwrap_or_else(|| panic!("no statement {sid}"));
    if lines[at].trim_start().starts_with("- ") {
        return block(lines, at);
    }
    assert_eq!(
        lines[at - 1].trim(),
        "{",
        "statement {sid} opens with a brace"
    );
    block(lines, at - 1)
}

/// `lines` with `range` replaced by `with`, as text.
fn replaced(lines: &[&str], range: Range<usize>, with: Option<String>) -> String {
    let mut out: Vec<String> = lines[..range.start]
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    out.extend(with);
    out.extend(lines[range.end..].iter().map(|l| (*l).to_owned()));
    out.join("\n") + "\n"
}

/// `text` without the statement `sid`.
fn drop_statement(text: &str, sid: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let range = statement(&lines, sid);
    replaced(&lines, range, None)
}

/// `text` with the Resource of statement `sid` replaced by the line `star` (`Resource: "*"`
/// in the format's syntax).
fn widen_resource(text: &str, sid: &str, star: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let range = statement(&lines, sid);
    let at = range
        .clone()
        .find(|&i| {
            let key = lines[i].trim_start().trim_start_matches('"');
            key.starts_with("Resource") && key["Resource".len()..].starts_with([':', ' ', '=', '"'])
        })
        .unwrap_or_else(|| panic!("statement {sid} has no Resource"));
    let resource = block(&lines, at);
    let line = format!("{}{star}", " ".repeat(indent(lines[at])));
    replaced(&lines, resource, Some(line))
}

/// `text` without the first `ArnLike` condition block (the trust policy's `aws:SourceArn`).
fn drop_arn_condition(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|line| {
            line.trim_start()
                .trim_start_matches('"')
                .starts_with("ArnLike")
        })
        .expect("an ArnLike condition");
    replaced(&lines, block(&lines, at), None)
}

/// `text` with `from` replaced by `to` once; `from` must be there.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "no {from:?} to break");
    text.replacen(from, to, 1)
}

/// The statement `sid` of a JSON policy.
fn json_statement<'a>(policy: &'a mut Value, sid: &str) -> &'a mut Value {
    policy["Statement"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("no statement {sid}"))
}

/// A mutation that keeps the file well-formed but changes what the role may do.
#[derive(Debug, Clone, Copy)]
enum Semantic {
    /// Drop the statement [`DROPPED`].
    DropStatement,
    /// Widen the Resource of [`WIDENED`] to `"*"`.
    WidenResource,
    /// Drop the `ArnLike` (`aws:SourceArn`) condition of the trust policy.
    DropTrustCondition,
}

impl Semantic {
    fn name(self) -> &'static str {
        match self {
            Semantic::DropStatement => "drop a statement",
            Semantic::WidenResource => "widen a Resource to \"*\"",
            Semantic::DropTrustCondition => "drop the trust policy's ArnLike condition",
        }
    }

    /// What the policy comparison must say.
    fn expected(self) -> [&'static str; 3] {
        match self {
            Semantic::DropStatement => ["policy comparison:", "permission policy", DROPPED],
            Semantic::WidenResource => ["policy comparison:", "permission policy", WIDENED],
            Semantic::DropTrustCondition => ["policy comparison:", "trust policy", TRUST],
        }
    }

    /// The mutation of a YAML, HCL or TypeScript file, whose `Resource: "*"` is `star`.
    fn in_text(self, text: &str, star: &str) -> String {
        match self {
            Semantic::DropStatement => drop_statement(text, DROPPED),
            Semantic::WidenResource => widen_resource(text, WIDENED, star),
            Semantic::DropTrustCondition => drop_arn_condition(text),
        }
    }

    /// The policy JSON file the mutation changes.
    fn json_file(self) -> &'static str {
        match self {
            Semantic::DropTrustCondition => "policy/trust-policy.json",
            _ => "policy/permission-policy.json",
        }
    }

    /// The mutation of that policy JSON file.
    fn in_json(self, text: &str) -> String {
        let mut policy: Value = serde_json::from_str(text).unwrap();
        match self {
            Semantic::DropStatement => policy["Statement"]
                .as_array_mut()
                .unwrap()
                .retain(|s| s["Sid"] != DROPPED),
            Semantic::WidenResource => {
                json_statement(&mut policy, WIDENED)["Resource"] = "*".into()
            }
            Semantic::DropTrustCondition => {
                let condition = &mut json_statement(&mut policy, TRUST)["Condition"];
                condition.as_object_mut().unwrap().remove("ArnLike");
            }
        }
        serde_json::to_string_pretty(&policy).unwrap() + "\n"
    }
}

/// Asserts that `check` rejects the semantic `mutation` of the file at `path`, applied by
/// `mutate`, in the policy comparison.
fn assert_semantic(
    mutation: Semantic,
    path: &str,
    mutate: impl Fn(&str) -> String,
    check: &CaseCheck,
) {
    assert_rejected(mutation.name(), path, mutate, check, &mutation.expected());
}

/// One test per [`Semantic`] mutation, each calling `rejected` with it.
macro_rules! semantic_tests {
    ($rejected:ident) => {
        #[test]
        fn drop_a_statement() {
            $rejected(Semantic::DropStatement);
        }

        #[test]
        fn widen_a_resource() {
            $rejected(Semantic::WidenResource);
        }

        #[test]
        fn drop_a_trust_condition() {
            $rejected(Semantic::DropTrustCondition);
        }
    };
}

mod broken_artifact {
    use super::*;

    mod cloudformation {
        use super::*;

        const TEMPLATE: &str = "cloudformation/template.yaml";

        /// The template evaluated and its policies compared.
        fn policies(case: &Case, root: &Path, _: &mut Log) -> Result<(), String> {
            case.cloudformation_policies(&read(root, TEMPLATE))
        }

        fn rejected(mutation: Semantic) {
            let mutate = |text: &str| mutation.in_text(text, "Resource: \"*\"");
            assert_semantic(mutation, TEMPLATE, mutate, &policies);
        }

        semantic_tests!(rejected);

        #[test]
        fn syntax_error() {
            if !tools_for("the YAML syntax mutation", &[".venv/bin/cfn-lint"]) {
                return;
            }
            assert_rejected(
                "YAML syntax error (unclosed flow sequence)",
                TEMPLATE,
                |text| replace_once(text, "\nResources:\n", "\nResources: [\n"),
                &whole(checks::cloudformation),
                &["cfn-lint:", "template.yaml:"],
            );
        }
    }

    mod cdk {
        use super::*;

        const CONSTRUCT: &str = "cdk/lib/rds-mysql.ts";

        /// The CDK checks need tsc, aws-cdk-lib and node.
        fn tools() -> bool {
            tools_for("a CDK mutation", &["node_modules/.bin/tsc"])
        }

        fn rejected(mutation: Semantic) {
            if tools() {
                let mutate = |text: &str| mutation.in_text(text, "Resource: '*',");
                assert_semantic(mutation, CONSTRUCT, mutate, &whole(checks::cdk));
            }
        }

        semantic_tests!(rejected);

        #[test]
        fn syntax_error() {
            if tools() {
                assert_rejected(
                    "TypeScript syntax error (unclosed call)",
                    CONSTRUCT,
                    |text| replace_once(text, "super(scope, id);", "super(scope, id;"),
                    &whole(checks::cdk),
                    &["tsc -p (TypeScript 7):", "rds-mysql.ts"],
                );
            }
        }
    }

    mod terraform {
        use super::*;

        const MAIN: &str = "terraform/main.tf";

        /// The module evaluated and its policies compared.
        fn policies(case: &Case, root: &Path, _: &mut Log) -> Result<(), String> {
            case.terraform_policies(|name| read(root, &format!("terraform/{name}")))
        }

        fn rejected(mutation: Semantic) {
            let mutate = |text: &str| mutation.in_text(text, "Resource = \"*\"");
            assert_semantic(mutation, MAIN, mutate, &policies);
        }

        semantic_tests!(rejected);

        #[test]
        fn syntax_error() {
            if !tools_for("the HCL syntax mutation", &["hcl2json.mjs"]) {
                return;
            }
            assert_rejected(
                "HCL syntax error (unclosed block)",
                MAIN,
                |text| {
                    let closed = text.trim_end();
                    assert!(closed.ends_with('}'), "main.tf ends with a closing brace");
                    format!("{}\n", &closed[..closed.len() - 1])
                },
                &whole(checks::terraform),
                &["hcl2json:", "main.tf", "Unclosed configuration block"],
            );
        }
    }

    mod json {
        use super::*;

        fn rejected(mutation: Semantic) {
            let mutate = |text: &str| mutation.in_json(text);
            assert_semantic(mutation, mutation.json_file(), mutate, &whole(checks::json));
        }

        semantic_tests!(rejected);

        #[test]
        fn syntax_error() {
            assert_rejected(
                "JSON syntax error (a comma dropped)",
                "policy/permission-policy.json",
                |text| replace_once(text, "\"2012-10-17\",", "\"2012-10-17\""),
                &whole(checks::json),
                &["JSON parse:", "permission-policy.json"],
            );
        }
    }
}
