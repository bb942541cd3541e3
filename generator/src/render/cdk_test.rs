//! The CDK app's own test, `test/NAME.test.ts`, as `cdk init` ships one: `npm test`
//! synthesizes each construct with `aws-cdk-lib/assertions` (`Template.fromStack`) and fails
//! unless its role carries exactly the documented trust policy and one permission policy, the
//! documented one: a user who widens, adds or drops a permission in `lib/` sees it fail.
//!
//! The expected policies are the JSON renderer's documents with every open value given the
//! example the test passes for it (`Example`), and the stack's partition, account and
//! region those of [`DEPLOYMENT`], which the test resolves the template's pseudo parameters
//! to. It compares as IAM reads policies: `"a"` is `["a"]`, and order does not matter (with
//! `cdk init`'s feature flags the CDK sorts actions).

use askama::Template;

use super::cdk_project::ConstructInfo;
use super::escape::{TypeScript, escaped};
use super::names::Unit;
use super::run;
use crate::error::RenderError;
use crate::model::field::Field;
use crate::model::interp::Idiom;
use crate::model::policy::PolicyDocument;
use crate::model::tree::{self, Json, Key, Node};
use crate::spec::data_source::Resolved;

/// The deployment the test resolves the stack's pseudo parameters for: partition, account,
/// region, as the documentation's examples write them.
pub const DEPLOYMENT: (&str, &str, &str) = ("aws", "111122223333", "us-east-1");

#[derive(Template)]
#[template(path = "cdk/test.ts", whitespace = "preserve")]
struct TestTs<'a> {
    header: &'a str,
    partition: &'static str,
    account: &'static str,
    region: &'static str,
    roles: Vec<TestRole>,
}

/// One test: a construct instantiated with example props, and what its role must hold.
struct TestRole {
    class: String,
    module: String,
    id: String,
    /// `{ applicationId: '...', ... }` or `{}`, code.
    props: String,
    /// The documented policies with the examples, as JSON (a TypeScript expression), code.
    trust: String,
    permission: String,
    /// What its data source must hold, when the spec declares one: `{ ApplicationId, IndexId,
    /// Configuration }` with the examples, as JSON, code.
    data_source: Option<String>,
}

/// `test/FOLDER.test.ts` for the constructs of `unit`, and its path in the app.
pub fn render(
    unit: &Unit<'_>,
    constructs: &[ConstructInfo],
    header: &str,
) -> Result<(String, String), RenderError> {
    let file = format!("test/{}.test.ts", unit.folder);
    let roles = unit
        .members
        .iter()
        .zip(constructs)
        .map(|(member, construct)| TestRole {
            class: construct.class.clone(),
            module: construct.module.clone(),
            id: construct.id.clone(),
            props: props(&construct.open),
            trust: expected(&member.role.trust_policy),
            permission: expected(&member.role.permission_policy),
            data_source: member.role.data_source().map(expected_data_source),
        })
        .collect();
    let (partition, account, region) = DEPLOYMENT;
    let test = TestTs {
        header,
        partition,
        account,
        region,
        roles,
    };
    Ok((run(&test, &file)?, file))
}

/// The props object literal giving each open field its example.
fn props(open: &[Field]) -> String {
    if open.is_empty() {
        return "{}".to_owned();
    }
    let lines: String = example_props(open, 4)
        .into_iter()
        .map(|line| line + "\n")
        .collect();
    format!("{{\n{lines}  }}")
}

/// One `name: 'example',` line per open field, indented `indent` spaces, code: the props a
/// construct is given in the app's test and in the README's example.
pub fn example_props(open: &[Field], indent: usize) -> Vec<String> {
    open.iter()
        .map(|&field| {
            let value = format!("'{}'", escaped(TypeScript, Example::value(field)));
            let value = if field.is_list() {
                format!("[{value}]")
            } else {
                value
            };
            format!("{:indent$}{}: {value},", "", field.camel_name())
        })
        .collect()
}

/// `document` with the examples, as indented JSON: a TypeScript object literal.
fn expected(document: &PolicyDocument) -> String {
    let node = tree::document(document);
    Json::new(&node, &Example, 1)
        .pretty()
        .replace('\n', "\n    ")
}

/// The data source's application, index and configuration with the examples, as indented
/// JSON keyed as CloudFormation keys them.
fn expected_data_source(resolved: &Resolved) -> String {
    let (application, index) = (
        resolved.application_id.render(&Example),
        resolved.index_id.render(&Example),
    );
    let node = Node::Object(vec![
        (Key::Grammar("ApplicationId"), Node::Text(&application)),
        (Key::Grammar("IndexId"), Node::Text(&index)),
        (Key::Grammar("Configuration"), resolved.configuration.node()),
    ]);
    Json::new(&node, &Example, 1)
        .pretty()
        .replace('\n', "\n    ")
}

/// Prints every open reference as the value the test gives it.
struct Example;

impl Example {
    /// The deployment's value for the stack's partition, account and region (an open source
    /// account is the deploying account), the rule's example for every prop.
    fn value(field: Field) -> &'static str {
        let (partition, account, region) = DEPLOYMENT;
        match field {
            Field::Partition => partition,
            Field::AccountId | Field::SourceAccount => account,
            Field::Region => region,
            field => field.rule().example,
        }
    }
}

impl Idiom for Example {
    fn text(&self, out: &mut String, text: &str) {
        out.push_str(text);
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.push_str(Example::value(field));
    }
}
