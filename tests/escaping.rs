//! Escaping by construction, proven by each format's real parser: every free-text value a
//! user supplies is either rejected with an error naming the field and the rule, or read back
//! by the format's parser as exactly the same string. Property tests feed arbitrary Unicode
//! (10,000 cases per format); a corpus of hand-picked nasty strings runs as named cases.

mod support;

use connector_roles::{Artifact, Format, RoleSpec, render};
use hcl::eval::Evaluate;
use oxc_ast::ast::{Expression, ObjectProperty};
use oxc_ast_visit::Visit;
use proptest::prelude::*;

/// Hand-picked strings that break naive generators, by what they attack.
const CORPUS: &[(&str, &str)] = &[
    ("cloudformation_sub", "${AWS::AccountId} and ${!Literal}"),
    ("iam_policy_variable", "arn:aws:s3:::bucket/${aws:username}"),
    ("hcl_interpolation", "${var.secret} %{ if true }x%{ endif }"),
    ("hcl_escaped_already", "$${not} %%{this}"),
    ("typescript_template", "`${process.exit(1)}` ${'x'}"),
    ("typescript_quotes", "it's \"quoted\" \\ back\\slash"),
    ("comment_close", "*/ throw new Error('x'); /*"),
    ("yaml_new_key", "desc\nRoleName: evil"),
    (
        "yaml_indicators",
        "- item: &anchor *alias !Sub | > # comment",
    ),
    ("yaml_document", "---\n...\n%YAML 1.2"),
    ("carriage_return", "line\r\nnext\rlast\ttab"),
    ("leading_trailing_space", "  padded  "),
    ("latin1", "Größe ÿ ¡ñ ©®"),
    ("json_escapes", "\\u0000 \\n \" }"),
    ("markdown_table", "| a | b |\n[link](x) <b>"),
    ("empty", ""),
    ("longest", "x"),
    ("control_character", "bell\u{7}"),
    ("non_latin1", "rocket 🚀"),
    ("next_line", "next\u{85}line"),
    ("too_long", ""),
];

/// The corpus, with the two length cases filled in.
fn corpus() -> Vec<(&'static str, String)> {
    CORPUS
        .iter()
        .map(|(name, text)| match *name {
            "longest" => (*name, "x".repeat(1000)),
            "too_long" => (*name, "y".repeat(1001)),
            _ => (*name, (*text).to_owned()),
        })
        .collect()
}

/// The example spec with `description`, or the error naming the field and the rule.
fn spec_with(description: &str) -> Result<RoleSpec, String> {
    let mut json = support::example_spec();
    json["description"] = description.into();
    RoleSpec::from_json(&json.to_string()).map_err(|errors| {
        assert_eq!(errors.0.len(), 1, "{errors}");
        assert_eq!(errors.0[0].path, "description", "the error names the field");
        assert!(
            errors.0[0].rule.contains("IAM allows"),
            "the error states the rule: {errors}"
        );
        errors.to_string()
    })
}

/// IAM's rule, restated independently of the implementation.
fn iam_accepts(text: &str) -> bool {
    text.chars().count() <= 1000
        && text
            .chars()
            .all(|c| matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a1}'..='\u{ff}'))
}

fn file(spec: &RoleSpec, format: Format, name: &str) -> String {
    let artifacts: Vec<Artifact> = render(spec, &[format]).unwrap();
    artifacts
        .into_iter()
        .find(|a| a.path.ends_with(name))
        .unwrap()
        .contents
}

fn yaml_round_trip(spec: &RoleSpec, text: &str) {
    let template =
        support::cloudformation::parse(&file(spec, Format::CloudFormation, "template.yaml"));
    assert_eq!(template["Description"], text);
    assert_eq!(
        template["Resources"]["Role"]["Properties"]["Description"],
        text
    );
}

fn hcl_round_trip(spec: &RoleSpec, text: &str) {
    let body: hcl::Body =
        hcl::from_str(&file(spec, Format::Terraform, "main.tf")).expect("main.tf parses");
    let role = body
        .blocks()
        .find(|b| {
            b.identifier() == "resource"
                && b.labels().first().map(|l| l.as_str()) == Some("aws_iam_role")
        })
        .expect("the role resource");
    let expression = role
        .body()
        .attributes()
        .find(|a| a.key() == "description")
        .expect("a description")
        .expr();
    let value = expression
        .evaluate(&hcl::eval::Context::new())
        .expect("a literal string evaluates");
    assert_eq!(value, hcl::Value::String(text.to_owned()));
}

fn typescript_round_trip(spec: &RoleSpec, text: &str) {
    let source = file(spec, Format::Cdk, &format!("lib/{}.ts", spec.name));
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, &source, oxc_span::SourceType::ts()).parse();
    assert!(
        parsed.diagnostics.is_empty(),
        "the construct parses: {:?}",
        parsed.diagnostics
    );
    assert!(!parsed.panicked, "the parser gave up");
    let mut finder = Descriptions::default();
    finder.visit_program(&parsed.program);
    assert_eq!(
        finder.0,
        [text.to_owned()],
        "the role's description property"
    );
    let package: serde_json::Value =
        serde_json::from_str(&file(spec, Format::Cdk, "package.json")).unwrap();
    assert_eq!(package["description"], text);
}

/// The string values of `description:` properties.
#[derive(Default)]
struct Descriptions(Vec<String>);

impl<'a> Visit<'a> for Descriptions {
    fn visit_object_property(&mut self, property: &ObjectProperty<'a>) {
        if property.key.static_name().as_deref() == Some("description") {
            match &property.value {
                Expression::StringLiteral(literal) => {
                    self.0.push(literal.value.as_str().to_owned())
                }
                other => panic!("description is not a string literal: {other:?}"),
            }
        }
        oxc_ast_visit::walk::walk_object_property(self, property);
    }
}

/// Rejected exactly when IAM's rule says so; otherwise round-trips in `check`'s format.
fn accepted_or_rejected(text: &str, check: fn(&RoleSpec, &str)) {
    match spec_with(text) {
        Ok(spec) => {
            assert!(
                iam_accepts(text),
                "accepted a description IAM rejects: {text:?}"
            );
            check(&spec, text);
        }
        Err(error) => assert!(
            !iam_accepts(text),
            "rejected a valid description {text:?}: {error}"
        ),
    }
}

#[test]
fn corpus_of_nasty_strings() {
    for (name, text) in corpus() {
        for check in [yaml_round_trip, hcl_round_trip, typescript_round_trip] {
            let result = std::panic::catch_unwind(|| accepted_or_rejected(&text, check));
            assert!(result.is_ok(), "corpus case {name} failed");
        }
    }
}

/// Arbitrary Unicode, and strings drawn from the characters formats treat specially.
fn description() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~\t\n\r¡-ÿ]{0,60}",
        "([$%]\\{|[`'\"\\\\#&*!|>:\\-\n\r]|[a-z ]){0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn yaml_reads_back_every_accepted_description(text in description()) {
        accepted_or_rejected(&text, yaml_round_trip);
    }

    #[test]
    fn hcl_reads_back_every_accepted_description(text in description()) {
        accepted_or_rejected(&text, hcl_round_trip);
    }

    #[test]
    fn typescript_reads_back_every_accepted_description(text in description()) {
        accepted_or_rejected(&text, typescript_round_trip);
    }
}
