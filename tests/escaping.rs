//! Escaping by construction, proven by each format's real parser: every free-text value a
//! user supplies (the description, the path, a tag's key and value) is either rejected with
//! an error naming the field and the rule, or read back by the format's parser as exactly the
//! same string. Property tests feed arbitrary Unicode to every field at once
//! (`PROPTEST_CASES` per format: `tools/test` sets 10,000, a plain `cargo test` runs
//! proptest's 256); a corpus of hand-picked nasty strings runs as named cases in each field.

mod support;

use connector_roles::{Format, RoleSpec};
use hcl::eval::Evaluate;
use oxc_ast::ast::{CallExpression, Expression, ObjectProperty};
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
    ("path_sub", "/${AWS::AccountId}/%{if}/"),
    ("path_quotes", "/it's/\"quoted\"/back\\slash/`x`/"),
    ("line_separator", "line\u{2028}paragraph\u{2029}"),
    ("unicode_spaces", "no-break\u{a0}ideographic\u{3000}"),
    ("aws_prefix", "AWS:owner"),
    ("hcl_for_expression", "for"),
    ("hcl_literal", "null"),
    ("cdk_string_token", "/${Token[AWS.AccountId.7]}/"),
    ("cdk_number_token", "-1.8881784197001e+289"),
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

/// The role's free-text values: each is the user's own text, printed in every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Free {
    Description,
    Path,
    TagKey,
    TagValue,
}

impl Free {
    const ALL: [Free; 4] = [Free::Description, Free::Path, Free::TagKey, Free::TagValue];

    /// A value every rule accepts, for the fields a case leaves alone.
    fn plain(self) -> &'static str {
        match self {
            Free::Description => "Role for the orders database",
            Free::Path => "/connectors/",
            Free::TagKey => "Team",
            Free::TagValue => "data platform",
        }
    }

    /// Whether IAM accepts `text` here, and the AWS CDK would not read a token in it,
    /// restated independently of the implementation; `None` where the rule needs Unicode's
    /// categories (non-ASCII tag text), which only the round trip then judges.
    fn accepts(self, text: &str) -> Option<bool> {
        self.iam_accepts(text)
            .map(|accepted| accepted && !holds_cdk_token(text))
    }

    fn iam_accepts(self, text: &str) -> Option<bool> {
        let tag_characters = |t: &str| {
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || " _.:/=+-@".contains(c))
        };
        match self {
            Free::Description => Some(
                text.chars().count() <= 1000
                    && text
                        .chars()
                        .all(|c| matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a1}'..='\u{ff}')),
            ),
            Free::Path => Some(
                text.len() <= 512
                    && (text == "/"
                        || (text.len() >= 3
                            && text.starts_with('/')
                            && text.ends_with('/')
                            && text.chars().all(|c| matches!(c, '!'..='~')))),
            ),
            Free::TagKey if !text.is_ascii() => None,
            Free::TagKey => Some(
                (1..=128).contains(&text.len())
                    && tag_characters(text)
                    && !text.to_ascii_lowercase().starts_with("aws:"),
            ),
            Free::TagValue if !text.is_ascii() => None,
            Free::TagValue => Some(text.len() <= 256 && tag_characters(text)),
        }
    }
}

/// Whether `text` holds `${Token[KEY]}` (KEY of `a-zA-Z0-9:._-`) or `-1.` and 10 to 16
/// digits and `e+289`, which the AWS CDK reads as tokens.
fn holds_cdk_token(text: &str) -> bool {
    let string_token = text.match_indices("${Token[").any(|(at, marker)| {
        let rest = &text[at + marker.len()..];
        let key = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || ":._-".contains(c)))
            .unwrap_or(rest.len());
        key > 0 && rest[key..].starts_with("]}")
    });
    let number_token = text.match_indices("-1.").any(|(at, marker)| {
        let rest = &text[at + marker.len()..];
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        (10..=16).contains(&digits) && rest[digits..].starts_with("e+289")
    });
    string_token || number_token
}

/// One value of each free-text field.
#[derive(Debug, Clone)]
struct Texts([String; 4]);

impl Texts {
    /// Every field plain but `free`, which holds `text`.
    fn one(free: Free, text: &str) -> Texts {
        Texts(Free::ALL.map(|f| {
            if f == free {
                text.to_owned()
            } else {
                f.plain().to_owned()
            }
        }))
    }

    fn get(&self, free: Free) -> &str {
        &self.0[free as usize]
    }
}

/// The example spec with the texts, or the errors, each checked to name its field and rule
/// and to agree with IAM's rule where [`Free::accepts`] knows it.
fn spec_with(texts: &Texts) -> Option<RoleSpec> {
    let mut json = support::example_spec();
    json["description"] = texts.get(Free::Description).into();
    json["path"] = texts.get(Free::Path).into();
    let (key, value) = (texts.get(Free::TagKey), texts.get(Free::TagValue));
    json["tags"] = serde_json::json!({ key: value });
    let tag_path = format!("tags.{key}");
    let result = RoleSpec::from_json(&json.to_string());
    let errors = result.as_ref().err().map_or(&[][..], |e| &e.0[..]);
    for error in errors {
        assert!(
            ["description", "path", tag_path.as_str()].contains(&error.path.as_str()),
            "the error names a field: {error}"
        );
        assert!(error.rule.len() > 10, "the error states the rule: {error}");
    }
    let rejected = |free: Free| {
        let path = match free {
            Free::Description => "description",
            Free::Path => "path",
            Free::TagKey | Free::TagValue => &tag_path,
        };
        let text = texts.get(free);
        errors
            .iter()
            .any(|e| e.path == path && e.value.as_deref() == Some(text))
    };
    for free in Free::ALL {
        let text = texts.get(free);
        let key_rejected = free == Free::TagValue && rejected(Free::TagKey);
        match free.accepts(text) {
            Some(true) if key != value || free == Free::TagKey => assert!(
                !rejected(free),
                "rejected a valid {free:?} {text:?}: {errors:?}"
            ),
            Some(false) if !key_rejected => assert!(
                rejected(free),
                "accepted an invalid {free:?} {text:?}: {errors:?}"
            ),
            _ => {}
        }
    }
    result.ok()
}

fn yaml_round_trip(spec: &RoleSpec, texts: &Texts) {
    let template = support::cloudformation::parse(&support::artifact(
        spec,
        Format::CloudFormation,
        "template.yaml",
    ));
    let role = &template["Resources"]["Role"]["Properties"];
    assert_eq!(template["Description"], texts.get(Free::Description));
    assert_eq!(role["Description"], texts.get(Free::Description));
    assert_eq!(role["Path"], texts.get(Free::Path));
    assert_eq!(
        role["Tags"],
        serde_json::json!([{ "Key": texts.get(Free::TagKey), "Value": texts.get(Free::TagValue) }])
    );
}

fn hcl_round_trip(spec: &RoleSpec, texts: &Texts) {
    let body: hcl::Body = hcl::from_str(&support::artifact(spec, Format::Terraform, "main.tf"))
        .expect("main.tf parses");
    let role = body
        .blocks()
        .find(|b| {
            b.identifier() == "resource"
                && b.labels().first().map(|l| l.as_str()) == Some("aws_iam_role")
        })
        .expect("the role resource");
    let attribute = |key: &str| {
        role.body()
            .attributes()
            .find(|a| a.key() == key)
            .unwrap_or_else(|| panic!("no {key}"))
            .expr()
            .clone()
    };
    let literal = |expression: &hcl::Expression| {
        expression
            .evaluate(&hcl::eval::Context::new())
            .expect("a literal evaluates")
    };
    assert_eq!(
        literal(&attribute("description")),
        hcl::Value::from(texts.get(Free::Description))
    );
    assert_eq!(
        literal(&attribute("path")),
        hcl::Value::from(texts.get(Free::Path))
    );
    let hcl::Expression::FuncCall(merge) = attribute("tags") else {
        panic!("tags are not merge(declared, var.tags)")
    };
    let declared = hcl::Value::Object(hcl::Map::from_iter([(
        texts.get(Free::TagKey).to_owned(),
        hcl::Value::from(texts.get(Free::TagValue)),
    )]));
    assert_eq!(literal(&merge.args[0]), declared);
}

fn typescript_round_trip(spec: &RoleSpec, texts: &Texts) {
    let source = support::artifact(spec, Format::Cdk, &format!("lib/{}.ts", spec.name));
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, &source, oxc_span::SourceType::ts()).parse();
    assert!(
        parsed.diagnostics.is_empty(),
        "the construct parses: {:?}",
        parsed.diagnostics
    );
    assert!(!parsed.panicked, "the parser gave up");
    let mut found = Strings::default();
    found.visit_program(&parsed.program);
    assert_eq!(
        found.properties,
        [
            (
                "description".to_owned(),
                texts.get(Free::Description).to_owned()
            ),
            ("path".to_owned(), texts.get(Free::Path).to_owned()),
        ],
        "the role's description and path properties"
    );
    assert_eq!(
        found.tags,
        [(
            texts.get(Free::TagKey).to_owned(),
            texts.get(Free::TagValue).to_owned()
        )],
        "the one `Tags.of(...).add(key, value)`"
    );
    let package: serde_json::Value =
        serde_json::from_str(&support::artifact(spec, Format::Cdk, "package.json")).unwrap();
    assert_eq!(package["description"], texts.get(Free::Description));
}

fn json_round_trip(spec: &RoleSpec, texts: &Texts) {
    let role: serde_json::Value =
        serde_json::from_str(&support::artifact(spec, Format::Json, "role.json"))
            .expect("role.json parses");
    assert_eq!(role["Description"], texts.get(Free::Description));
    assert_eq!(role["Path"], texts.get(Free::Path));
    assert_eq!(
        role["Tags"],
        serde_json::json!([{ "Key": texts.get(Free::TagKey), "Value": texts.get(Free::TagValue) }])
    );
}

/// The string values of the `description:` and `path:` properties, and the arguments of
/// `.add(key, value)` calls, in source order.
#[derive(Default)]
struct Strings {
    properties: Vec<(String, String)>,
    tags: Vec<(String, String)>,
}

/// The value of a string literal, or a panic naming what `what` is instead.
fn string_literal(expression: &Expression<'_>, what: &str) -> String {
    match expression {
        Expression::StringLiteral(literal) => literal.value.as_str().to_owned(),
        other => panic!("{what} is not a string literal: {other:?}"),
    }
}

impl<'a> Visit<'a> for Strings {
    fn visit_object_property(&mut self, property: &ObjectProperty<'a>) {
        if let Some(name @ ("description" | "path")) = property.key.static_name().as_deref() {
            let value = string_literal(&property.value, name);
            self.properties.push((name.to_owned(), value));
        }
        oxc_ast_visit::walk::walk_object_property(self, property);
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        let is_add = matches!(&call.callee, Expression::StaticMemberExpression(member) if member.property.name == "add");
        if is_add {
            let argument = |i: usize| {
                string_literal(
                    call.arguments[i].as_expression().expect("an expression"),
                    "a tag",
                )
            };
            self.tags.push((argument(0), argument(1)));
        }
        oxc_ast_visit::walk::walk_call_expression(self, call);
    }
}

/// Each accepted set of texts round-trips in `check`'s format.
fn accepted_or_rejected(texts: &Texts, check: RoundTrip) {
    if let Some(spec) = spec_with(texts) {
        check(&spec, texts);
    }
}

/// Reads the texts back from one format's artifacts, panicking on any difference.
type RoundTrip = fn(&RoleSpec, &Texts);

const ROUND_TRIPS: [(&str, RoundTrip); 4] = [
    ("YAML", yaml_round_trip),
    ("HCL", hcl_round_trip),
    ("TypeScript", typescript_round_trip),
    ("JSON", json_round_trip),
];

#[test]
fn corpus_of_nasty_strings() {
    for (name, text) in corpus() {
        for free in Free::ALL {
            let texts = Texts::one(free, &text);
            for (format, check) in ROUND_TRIPS {
                let result = std::panic::catch_unwind(|| accepted_or_rejected(&texts, check));
                assert!(
                    result.is_ok(),
                    "corpus case {name} as the {free:?} failed in {format}"
                );
            }
        }
    }
}

/// Arbitrary Unicode, and strings drawn from the characters formats treat specially.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~\t\n\r¡-ÿ]{0,60}",
        "([$%]\\{|[`'\"\\\\#&*!|>:\\-\n\r]|[a-z ]){0,40}",
    ]
}

/// Paths: arbitrary text, and printable ASCII between slashes (`${`, quotes, backslashes).
fn path() -> impl Strategy<Value = String> {
    prop_oneof![text(), "/([$%]\\{|[!-~])*/"]
}

/// Tag text: arbitrary text, and IAM's tag characters in any script (line and paragraph
/// separators, no-break and ideographic spaces included).
fn tag() -> impl Strategy<Value = String> {
    prop_oneof![text(), "[\\p{L}\\p{Z}\\p{N}_.:/=+@-]{1,24}"]
}

/// Every free-text field at once, each drawn from its strategy.
fn texts() -> impl Strategy<Value = Texts> {
    (text(), path(), tag(), tag()).prop_map(|(d, p, k, v)| Texts([d, p, k, v]))
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn yaml_reads_back_every_accepted_text(texts in texts()) {
        accepted_or_rejected(&texts, yaml_round_trip);
    }

    #[test]
    fn hcl_reads_back_every_accepted_text(texts in texts()) {
        accepted_or_rejected(&texts, hcl_round_trip);
    }

    #[test]
    fn typescript_reads_back_every_accepted_text(texts in texts()) {
        accepted_or_rejected(&texts, typescript_round_trip);
    }

    #[test]
    fn json_reads_back_every_accepted_text(texts in texts()) {
        accepted_or_rejected(&texts, json_round_trip);
    }
}

/// The data source's free text: its description, and a key and a string of its
/// configuration (beside the Box connector's documented ones, which its schema allows). Each
/// is rejected naming its field, or read back exactly in every format.
mod data_source {
    use super::*;
    use oxc_ast::ast::PropertyKey;
    use serde_json::{Value, json};
    use support::cloudformation::{Evaluated, parse};
    use support::matrix::DEPLOYMENT;
    use support::terraform::Module;

    /// A description, a configuration key and its value.
    #[derive(Debug, Clone)]
    pub(super) struct DataSourceTexts {
        description: String,
        key: String,
        value: String,
    }

    /// The keys of Box's documented configuration, which this test's key must not be.
    fn documented_keys() -> Vec<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/generator/catalog/data-sources/box.json"
        );
        let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut keys: Vec<String> = file["schema"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        keys.extend(["version".to_owned(), "required".to_owned()]);
        keys
    }

    /// The Box example spec with the texts, or `None` after checking that each error names
    /// a data source field with its rule, and that texts every rule accepts are accepted.
    fn spec_with(texts: &DataSourceTexts) -> Option<RoleSpec> {
        let configurations: Value =
            serde_json::from_str(include_str!("reference/data-sources/configurations.json"))
                .unwrap();
        let mut configuration = configurations["box"]["configuration"].clone();
        configuration[&texts.key] = json!(texts.value);
        let spec = json!({
            "connector": "box",
            "name": "files",
            "values": {
                "account_id": "111122223333", "region": "us-east-1",
                "application_id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
                "index_id": "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
                "secret_id": "qbusiness-box-AbCdEf",
                "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab",
            },
            "data_source": { "description": texts.description, "configuration": configuration },
        });
        let result = RoleSpec::from_json(&spec.to_string());
        let errors = result.as_ref().err().map_or(&[][..], |e| &e.0[..]);
        for error in errors {
            assert!(
                error.path.starts_with("data_source.description")
                    || error.path.starts_with("data_source.configuration/"),
                "the error names a data source field: {error}"
            );
            assert!(error.rule.len() > 10, "the error states the rule: {error}");
        }
        let acceptable = texts.description.chars().count() <= 1000
            && [&texts.description, &texts.key, &texts.value]
                .iter()
                .all(|t| !holds_cdk_token(t))
            && !documented_keys().contains(&texts.key);
        if acceptable {
            assert!(
                errors.is_empty(),
                "rejected valid texts {texts:?}: {errors:?}"
            );
        }
        result.ok()
    }

    fn yaml(spec: &RoleSpec, texts: &DataSourceTexts) {
        let template = support::artifact(spec, Format::CloudFormation, "template.yaml");
        let raw = parse(&template);
        let properties = &raw["Resources"]["DataSource"]["Properties"];
        assert_eq!(properties["Description"], texts.description);
        assert_eq!(properties["Configuration"][&texts.key], texts.value);
        let evaluated = Evaluated::new(&template, &[], DEPLOYMENT);
        assert_eq!(
            evaluated.template["DataSource"]["Properties"]["Configuration"][&texts.key],
            texts.value
        );
    }

    fn hcl(spec: &RoleSpec, texts: &DataSourceTexts) {
        let text = |name: &str| support::artifact(spec, Format::Terraform, name);
        let data_source = Module::new(text, &[], &DEPLOYMENT).data_source("this");
        assert_eq!(data_source["description"], texts.description);
        assert_eq!(data_source["configuration"][&texts.key], texts.value);
    }

    fn typescript(spec: &RoleSpec, texts: &DataSourceTexts) {
        let source = support::artifact(spec, Format::Cdk, &format!("lib/{}.ts", spec.name));
        let allocator = oxc_allocator::Allocator::default();
        let parsed =
            oxc_parser::Parser::new(&allocator, &source, oxc_span::SourceType::ts()).parse();
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert!(!parsed.panicked, "the parser gave up");
        let mut found = Properties::default();
        found.visit_program(&parsed.program);
        let description = ("description".to_owned(), texts.description.clone());
        assert_eq!(
            found.0.iter().filter(|p| **p == description).count(),
            1,
            "the data source's description: {:?}",
            found.0
        );
        assert!(
            found.0.contains(&(texts.key.clone(), texts.value.clone())),
            "the configuration's {:?}: {:?}",
            texts.key,
            found.0
        );
    }

    fn json(spec: &RoleSpec, texts: &DataSourceTexts) {
        let input: Value = serde_json::from_str(&support::artifact(
            spec,
            Format::Json,
            "create-data-source.json",
        ))
        .unwrap();
        assert_eq!(input["description"], texts.description);
        assert_eq!(input["configuration"][&texts.key], texts.value);
    }

    /// Every object property whose value is a string literal: its key's value (a computed
    /// string key included) and its text.
    #[derive(Default)]
    struct Properties(Vec<(String, String)>);

    impl<'a> Visit<'a> for Properties {
        fn visit_object_property(&mut self, property: &ObjectProperty<'a>) {
            let key = match &property.key {
                PropertyKey::StringLiteral(literal) => Some(literal.value.to_string()),
                PropertyKey::StaticIdentifier(identifier) if !property.computed => {
                    Some(identifier.name.to_string())
                }
                _ => None,
            };
            if let (Some(key), Expression::StringLiteral(value)) = (key, &property.value) {
                self.0.push((key, value.value.to_string()));
            }
            oxc_ast_visit::walk::walk_object_property(self, property);
        }
    }

    type Check = fn(&RoleSpec, &DataSourceTexts);

    const CHECKS: [(&str, Check); 4] = [
        ("YAML", yaml),
        ("HCL", hcl),
        ("TypeScript", typescript),
        ("JSON", json),
    ];

    fn each_format(texts: &DataSourceTexts) {
        if let Some(spec) = spec_with(texts) {
            for (_, check) in CHECKS {
                check(&spec, texts);
            }
        }
    }

    #[test]
    fn corpus_of_nasty_data_source_strings() {
        for (name, text) in corpus() {
            let plain = || DataSourceTexts {
                description: "Files".into(),
                key: "teamNote".into(),
                value: "plain".into(),
            };
            let cases = [
                DataSourceTexts {
                    description: text.clone(),
                    ..plain()
                },
                DataSourceTexts {
                    key: text.clone(),
                    ..plain()
                },
                DataSourceTexts {
                    value: text.clone(),
                    ..plain()
                },
                DataSourceTexts {
                    key: "__proto__".into(),
                    ..plain()
                },
            ];
            for texts in cases {
                let result = std::panic::catch_unwind(|| each_format(&texts));
                assert!(result.is_ok(), "corpus case {name}: {texts:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        /// At proptest's default 256 cases, in the test stage.
        #[test]
        fn every_format_reads_back_every_data_source_text(
            description in text(), key in text(), value in text()
        ) {
            each_format(&DataSourceTexts { description, key, value });
        }
    }
}
