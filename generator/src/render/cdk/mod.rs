//! The AWS CDK TypeScript app: the role as a construct, and an app that synthesizes it.
//!
//! `cdk/` holds a small npm project, laid out as `cdk init` lays out an app, that `npm install
//! && npx cdk synth` turns into a CloudFormation template:
//!
//! - `lib/NAME.ts`: `XxxConnectorRole extends Construct` with its `XxxConnectorRoleProps`,
//!   one documented `readonly` prop per open parameter, each checked at synth time against
//!   the same pattern as the Rust rule (tokens are left to AWS). Open partition, account,
//!   region and source account are the stack's (`Stack.of(this)`); bound values are literals.
//! - `bin/app.ts`: one stack with the construct, its open props read from CDK context.
//!   For a [`Stack`](crate::stack::Stack) of roles, one `lib/NAME.ts` per role (each as it is
//!   for the role alone) and one app whose one stack (`<Stack>Stack`) holds them all: each
//!   construct under its own ID (`OrdersMysqlConnectorRole`), reading its props from context
//!   keys prefixed with the role (`ordersMysql.applicationId`), with its outputs
//!   (`OrdersMysqlRoleArn`, `OrdersMysqlRoleName`) named as in the CloudFormation template.
//! - `test/FOLDER.test.ts`: `npm test` checks each role holds exactly its documented
//!   policies ([`cdk_test`]).
//! - `package.json`, `tsconfig.json`, `cdk.json` (`npx tsc && npx tsx bin/app.ts`),
//!   `.gitignore` and `README.md` ([`cdk_project`]).
//!
//! Both policies are TypeScript object literals printed from the policy
//! [`crate::model::tree`], as every format prints it: AWS's own keys (`Sid`, `Effect`,
//! ...), in the same order, a string or a list as documented. The permission policy's statements go through
//! `iam.PolicyStatement.fromJson` into a `PolicyDocument` that is never minimized (apps with
//! `cdk init`'s `minimizePolicies` flag would merge statements without Sids); the trust
//! policy replaces the one `assumedBy` builds on the `CfnRole`, so its documented Sid and
//! conditions survive. Every string is built in Rust
//! from escaped text (`Ts` and `Cdk`) and printed with the visible opt-out `|safe`; raw
//! values (names, descriptions) go through the TypeScript escaper inside quotes.

mod data_source;
mod ts;

use ts::policy;

use askama::Template;

use super::cdk_project::{self, ConstructInfo};
use super::cdk_test;
use super::names::{Member, Unit};
use super::{Artifact, run};
use crate::error::RenderError;
use crate::model::case;
use crate::model::field::Field;
use crate::spec::properties::RoleProperties;
use crate::spec::role::RoleModel;
use crate::spec::rules::{ROLE_NAME, Rule};

/// Past this column, the policy literals break arrays and objects over several lines.
const WIDTH: usize = 100;

/// The indentation of the policy literals in the constructor.
const BODY_INDENT: usize = 4;

#[derive(Template)]
#[template(path = "cdk/construct.ts", whitespace = "preserve")]
struct ConstructTs<'a> {
    header: &'a str,
    class: String,
    class_doc: String,
    props_doc: String,
    props: Vec<Prop>,
    props_optional: bool,
    core_imports: String,
    stack_locals: Option<String>,
    checks_values: bool,
    checks_lists: bool,
    role_name: Option<String>,
    description: String,
    /// Path, tags, boundary and session length, printed when set.
    properties: &'a RoleProperties,
    /// The description of the customer-managed policy, when the permissions are one.
    managed_policy_description: Option<String>,
    service: String,
    policy_name: String,
    trust_policy: String,
    permission_policy: String,
    /// The data source the construct creates, when the spec declares one.
    data_source: Option<data_source::DataSourceTs>,
}

/// One prop of the construct: an open parameter, or the optional role name.
struct Prop {
    /// The camelCase name, an identifier.
    name: &'static str,
    /// `string` or `string[]`.
    ts_type: &'static str,
    /// The TSDoc comment, indented, built by [`comment_block`].
    doc: String,
    optional: bool,
    list: bool,
    /// The rule's regular expression, raw (the template escapes it).
    pattern: &'static str,
    /// The rule in words with its example, raw.
    rule: String,
}

#[derive(Template)]
#[template(path = "cdk/app.ts", whitespace = "preserve")]
struct AppTs {
    header: String,
    /// `-c key=EXAMPLE` for each open parameter, for the comment on how to synthesize.
    usage: Vec<String>,
    /// In a stack, a context key of the first role with open values, for the comment that
    /// explains the prefixes.
    prefixed_key: Option<String>,
    stack_id: String,
    description: String,
    roles: Vec<AppRole>,
    needs_string: bool,
    needs_optional: bool,
    needs_list: bool,
}

/// One construct of the app: what it imports, the variable and construct ID it takes, the
/// context keys its props are read from, and its outputs.
struct AppRole {
    class: String,
    module: String,
    /// The variable, an identifier: `connectorRole` alone, `ordersMysqlConnectorRole` in a
    /// stack.
    variable: String,
    /// The construct ID: `ConnectorRole` alone, `OrdersMysqlConnectorRole` in a stack.
    id: String,
    /// Each prop's name (an identifier), the context helper that reads it (code), and its
    /// context key.
    props: Vec<(&'static str, &'static str, String)>,
    /// The outputs' IDs, which are also their logical IDs: `RoleArn`, `OrdersMysqlRoleArn`.
    arn_output: String,
    name_output: String,
    /// The data source's outputs, when the construct creates one: `DataSourceId`,
    /// `DataSourceArn`.
    data_source_outputs: Option<(String, String)>,
}

/// Renders the CDK app of the unit: `cdk/lib/NAME.ts` for each role, `cdk/bin/app.ts` with one
/// stack that holds every role of the unit (each construct exactly as it is written for the
/// role alone), its test `cdk/test/FOLDER.test.ts`, and the npm project around them
/// ([`cdk_project`]).
pub fn render(unit: &Unit<'_>) -> Result<Vec<Artifact>, RenderError> {
    let header = unit.header();
    let mut libs = Vec::new();
    let mut roles = Vec::new();
    let mut constructs = Vec::new();
    for member in &unit.members {
        let (lib_file, construct) = construct(&member.role, &header)?;
        libs.push(unit.artifact("cdk", &lib_file, run(&construct, &lib_file)?));
        let role = app_role(member, construct);
        constructs.push(ConstructInfo {
            class: role.class.clone(),
            module: role.module.clone(),
            file: lib_file,
            id: role.id.clone(),
            open: member.role.parameters.clone(),
            takes_role_name: member.role.spec.role_name.is_none(),
        });
        roles.push(role);
    }
    let usage: Vec<String> = unit
        .members
        .iter()
        .flat_map(|member| {
            member.role.parameters.iter().map(|field| {
                let key = member.names.context_key(field.camel_name());
                format!("-c {key}={}", comment(field.rule().example))
            })
        })
        .collect();
    let props = || roles.iter().flat_map(|role| &role.props);
    let stack_id = if unit.stacked {
        format!("{}Stack", identifier(&case::pascal(unit.folder)))
    } else {
        format!(
            "{}ConnectorRoleStack",
            identifier(&case::pascal(unit.folder))
        )
    };
    let (test, test_file) = cdk_test::render(unit, &constructs, &header)?;
    let project = cdk_project::files(unit, &constructs, &stack_id, &usage, &test_file)?;
    let app = AppTs {
        header: header.clone(),
        usage,
        prefixed_key: if unit.stacked {
            props().next().map(|(_, _, key)| key.clone())
        } else {
            None
        },
        stack_id: stack_id.clone(),
        description: unit.description.clone(),
        needs_string: props().any(|(_, getter, _)| *getter == "requiredString"),
        needs_optional: props().any(|(_, getter, _)| *getter == "optionalString"),
        needs_list: props().any(|(_, getter, _)| *getter == "requiredList"),
        roles,
    };
    let mut artifacts = vec![unit.artifact("cdk", "bin/app.ts", run(&app, "bin/app.ts")?)];
    artifacts.extend(libs);
    artifacts.push(unit.artifact("cdk", &test_file, test));
    artifacts.extend(project);
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(artifacts)
}

/// The construct of `role`, and its file `lib/NAME.ts`.
fn construct<'a, 's: 'a>(
    role: &RoleModel<'s>,
    header: &'a str,
) -> Result<(String, ConstructTs<'a>), RenderError> {
    let class = format!("{}ConnectorRole", identifier(&role.pascal_name()));
    let lib_file = format!("lib/{}.ts", role.spec.name);

    let mut props: Vec<Prop> = role
        .parameters
        .iter()
        .map(|&field| Prop::open(field))
        .collect();
    if role.spec.role_name.is_none() {
        props.push(Prop::role_name());
    }

    let construct = ConstructTs {
        header,
        class_doc: comment_block(
            0,
            &[
                &format!("{}.", role.description()),
                "",
                "Grants exactly the trust and permission policies the connector's AWS page documents,",
                "with their Sids; open values are props or the stack's partition, account and region.",
                "",
                &format!("@see {}", role.spec.policies().page),
            ],
        ),
        props_doc: comment_block(
            0,
            &[&if props.is_empty() {
                format!("Properties of {{@link {class}}}: none, the spec binds every value.")
            } else {
                format!("Properties of {{@link {class}}}: the values the spec leaves open.")
            }],
        ),
        props_optional: props.iter().all(|p| p.optional),
        core_imports: core_imports(role, &props),
        stack_locals: stack_locals(role),
        checks_values: !props.is_empty(),
        checks_lists: props.iter().any(|p| p.list),
        role_name: role.spec.role_name.clone(),
        description: role.description(),
        properties: &role.spec.properties,
        managed_policy_description: role.managed_policy_description(),
        service: trust_service(role)?,
        policy_name: role.policy_name(),
        trust_policy: policy(&role.trust_policy)
            .layout(BODY_INDENT, BODY_INDENT + "const trustPolicy = ".len()),
        permission_policy: policy(&role.permission_policy)
            .layout(BODY_INDENT, BODY_INDENT + "const permissionPolicy = ".len()),
        data_source: data_source::data_source(role, BODY_INDENT),
        class,
        props,
    };
    Ok((lib_file, construct))
}

/// How the app instantiates the construct of `member`.
fn app_role(member: &Member<'_>, construct: ConstructTs<'_>) -> AppRole {
    let names = &member.names;
    AppRole {
        module: format!("../lib/{}", member.role.spec.name),
        variable: names.variable("ConnectorRole"),
        id: names.logical_id("ConnectorRole"),
        props: construct
            .props
            .into_iter()
            .map(|p| {
                let getter = match (p.optional, p.list) {
                    (true, _) => "optionalString",
                    (false, true) => "requiredList",
                    (false, false) => "requiredString",
                };
                let key = names.context_key(p.name);
                (p.name, getter, key)
            })
            .collect(),
        arn_output: names.logical_id("RoleArn"),
        name_output: names.logical_id("RoleName"),
        data_source_outputs: construct.data_source.as_ref().map(|_| {
            (
                names.logical_id("DataSourceId"),
                names.logical_id("DataSourceArn"),
            )
        }),
        class: construct.class,
    }
}

impl Prop {
    fn open(field: Field) -> Prop {
        let rule = field.rule();
        let rule_sentence = if field.is_list() {
            format!(
                "Each ID {} (for example `{}`); the role names one ARN per ID.",
                rule.description, rule.example
            )
        } else {
            format!(
                "{} (for example `{}`).",
                case::upper_first(rule.description),
                rule.example
            )
        };
        Prop {
            name: field.camel_name(),
            ts_type: if field.is_list() {
                "string[]"
            } else {
                "string"
            },
            doc: comment_block(
                2,
                &[
                    &format!("{}.", field.description()),
                    "",
                    &rule_sentence,
                    "Checked at synth time unless the value is a token.",
                ],
            ),
            optional: false,
            list: field.is_list(),
            pattern: rule.pattern,
            rule: rule_words(rule),
        }
    }

    fn role_name() -> Prop {
        Prop {
            name: "roleName",
            ts_type: "string",
            doc: comment_block(
                2,
                &[
                    "The IAM role's name.",
                    "",
                    &format!(
                        "{} (for example `{}`).",
                        case::upper_first(ROLE_NAME.description),
                        ROLE_NAME.example
                    ),
                    "",
                    "@default - a name generated by CloudFormation",
                ],
            ),
            optional: true,
            list: false,
            pattern: ROLE_NAME.pattern,
            rule: rule_words(&ROLE_NAME),
        }
    }
}

/// The service principal of the trust policy, for `assumedBy`.
fn trust_service(role: &RoleModel<'_>) -> Result<String, RenderError> {
    role.trust_policy
        .statements
        .iter()
        .find_map(|s| s.principal_service.clone())
        .ok_or_else(|| RenderError::NoServicePrincipal(role.spec.connector.id.clone()))
}

/// The `Stack.of(this)` values the policies use: `partition, account, region`, or none.
fn stack_locals(role: &RoleModel<'_>) -> Option<String> {
    let uses = |fields: &[Field]| fields.iter().any(|&field| role.references(field));
    let locals: Vec<&str> = [
        ("partition", uses(&[Field::Partition])),
        ("account", uses(&[Field::AccountId, Field::SourceAccount])),
        ("region", uses(&[Field::Region])),
    ]
    .into_iter()
    .filter_map(|(name, used)| used.then_some(name))
    .collect();
    (!locals.is_empty()).then(|| locals.join(", "))
}

/// What the construct imports from `aws-cdk-lib`'s root: only what it uses.
fn core_imports(role: &RoleModel<'_>, props: &[Prop]) -> String {
    let mut imports = Vec::new();
    if stack_locals(role).is_some() {
        imports.push("Stack");
    }
    if !props.is_empty() {
        imports.push("Token");
    }
    let properties = &role.spec.properties;
    if properties.max_session_duration.is_some() {
        imports.push("Duration");
    }
    if !properties.tags.is_empty() {
        imports.push("Tags");
    }
    imports.sort_unstable();
    imports.join(", ")
}

/// The rule in words with its example, for the construct's error messages.
fn rule_words(rule: &Rule) -> String {
    format!("{} (for example {})", rule.description, rule.example)
}

/// `text` made safe for a comment: on one line, and unable to close a block comment.
fn comment(text: &str) -> String {
    text.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ")
        .replace("*/", "*\\/")
}

/// A TSDoc block comment of `lines` (an empty line is a paragraph break), indented.
fn comment_block(indent: usize, lines: &[&str]) -> String {
    let pad = " ".repeat(indent);
    let mut out = format!("{pad}/**\n");
    for line in lines {
        let line = comment(line);
        if line.is_empty() {
            out.push_str(&format!("{pad} *\n"));
        } else {
            out.push_str(&format!("{pad} * {line}\n"));
        }
    }
    out.push_str(&format!("{pad} */"));
    out
}

/// `name` reduced to identifier characters, so it can only ever print as one identifier
/// (spec names are kebab-case already, so this changes nothing for a valid spec).
fn identifier(name: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match name.chars().next() {
        Some(first) if first.is_ascii_alphabetic() || first == '_' => name,
        _ => format!("_{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::ts::{Cdk, quoted};
    use super::*;
    use crate::model::interp::{Idiom, Interp};
    use crate::render::cdk_project::{AWS_CDK_LIB, CONSTRUCTS, TYPESCRIPT};
    use crate::render::escape::{TypeScript, escaped};
    use crate::render::{Format, render as render_spec};
    use crate::spec::{RoleSpec, fixtures};

    fn bound_spec() -> RoleSpec {
        fixtures::bound(|spec| spec["role_name"] = "QBusinessOrdersMySqlConnectorRole".into())
    }

    fn rendered(spec: &RoleSpec) -> Vec<Artifact> {
        render_spec(spec, &[Format::Cdk]).expect("renders")
    }

    fn file<'a>(artifacts: &'a [Artifact], path: &str) -> &'a str {
        &artifacts
            .iter()
            .find(|a| a.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
    }

    fn paths(artifacts: &[Artifact]) -> Vec<&str> {
        artifacts.iter().map(|a| a.path.as_str()).collect()
    }

    #[test]
    fn default_spec_renders_an_open_construct() {
        let artifacts = rendered(&RoleSpec::default_spec());
        assert_eq!(
            paths(&artifacts),
            [
                "rds-mysql/cdk/.gitignore",
                "rds-mysql/cdk/README.md",
                "rds-mysql/cdk/bin/app.ts",
                "rds-mysql/cdk/cdk.json",
                "rds-mysql/cdk/lib/rds-mysql.ts",
                "rds-mysql/cdk/package.json",
                "rds-mysql/cdk/test/rds-mysql.test.ts",
                "rds-mysql/cdk/tsconfig.json",
            ]
        );
        let lib = file(&artifacts, "rds-mysql/cdk/lib/rds-mysql.ts");
        assert!(
            lib.starts_with(
                "// Generated by connector-roles from the rds-mysql catalog entry. Do not edit by hand; regenerate instead.\n"
            ),
            "{lib}"
        );
        // Every documented Sid, in documented order.
        let sids: Vec<&str> = role_sids(&RoleSpec::default_spec());
        let mut at = 0;
        for sid in sids {
            let found = lib[at..]
                .find(&format!("Sid: '{sid}',"))
                .unwrap_or_else(|| panic!("{sid} out of order"));
            at += found;
        }

        let package: serde_json::Value =
            serde_json::from_str(file(&artifacts, "rds-mysql/cdk/package.json")).unwrap();
        assert_eq!(package["name"], "rds-mysql-connector-role");
        assert_eq!(package["private"], true);
        assert_eq!(package["dependencies"]["aws-cdk-lib"], AWS_CDK_LIB);
        assert_eq!(package["dependencies"]["constructs"], CONSTRUCTS);
        assert_eq!(package["devDependencies"]["typescript"], TYPESCRIPT);
        assert_eq!(
            package["scripts"]["test"],
            "tsx --test test/rds-mysql.test.ts"
        );
        let cdk_json: serde_json::Value =
            serde_json::from_str(file(&artifacts, "rds-mysql/cdk/cdk.json")).unwrap();
        assert_eq!(cdk_json["app"], "npx tsc && npx tsx bin/app.ts");
    }

    fn role_sids(spec: &RoleSpec) -> Vec<&'static str> {
        let policies = spec.policies();
        policies
            .trust_policy
            .statements
            .iter()
            .chain(&policies.permission_policy.statements)
            .filter_map(|s| s.sid.as_deref())
            .collect()
    }

    #[test]
    fn bound_spec_bakes_in_every_value() {
        let spec = bound_spec();
        let artifacts = rendered(&spec);
        assert_eq!(
            paths(&artifacts),
            [
                "orders-mysql/cdk/.gitignore",
                "orders-mysql/cdk/README.md",
                "orders-mysql/cdk/bin/app.ts",
                "orders-mysql/cdk/cdk.json",
                "orders-mysql/cdk/lib/orders-mysql.ts",
                "orders-mysql/cdk/package.json",
                "orders-mysql/cdk/test/orders-mysql.test.ts",
                "orders-mysql/cdk/tsconfig.json",
            ]
        );
        let lib = file(&artifacts, "orders-mysql/cdk/lib/orders-mysql.ts");
        for absent in [
            "props.",
            "Token",
            "checkValue",
            "checkList",
            "${region}",
            "region }",
        ] {
            assert!(!lib.contains(absent), "unexpected {absent:?} in\n{lib}");
        }
        let app = file(&artifacts, "orders-mysql/cdk/bin/app.ts");
        assert!(
            app.contains(
                "const connectorRole = new OrdersMysqlConnectorRole(stack, 'ConnectorRole');"
            ),
            "{app}"
        );
        assert!(!app.contains("tryGetContext"), "{app}");
    }

    #[test]
    fn everything_bound_needs_no_stack_values() {
        let spec = fixtures::bound(|spec| {
            spec["role_name"] = "QBusinessOrdersMySqlConnectorRole".into();
            spec["values"]["partition"] = "aws".into();
            spec["values"]["source_account"] = "444455556666".into();
        });
        let artifacts = rendered(&spec);
        let lib = file(&artifacts, "orders-mysql/cdk/lib/orders-mysql.ts");
        assert!(!lib.contains("Stack"), "{lib}");
        assert!(!lib.contains("from 'aws-cdk-lib/core';"), "{lib}");
        assert!(
            lib.contains("StringEquals: { 'aws:SourceAccount': '444455556666' },"),
            "{lib}"
        );
        assert!(!lib.contains("${"), "{lib}");
    }

    #[test]
    fn hostile_text_stays_inside_its_literal() {
        let hostile = r#"Role'"\`${x}"#;
        let escaped_value = escaped(TypeScript, hostile);
        assert_eq!(escaped_value, r#"Role\'\"\\\`\${x}"#);
        assert_eq!(quoted(hostile), format!("'{escaped_value}'"));

        // Text around a reference goes into a template literal: `${x}` must stay text.
        let mixed = Interp::parse(&format!("{hostile}{{{{account_id}}}}")).bind(|_| None);
        assert_eq!(
            Cdk.expression(&mixed),
            format!("`{escaped_value}${{account}}`")
        );

        // And the askama template runs the same escaper on raw values.
        let construct_role_name = ConstructTs {
            header: "Generated by connector-roles.",
            class: "X".into(),
            class_doc: String::new(),
            props_doc: String::new(),
            props: Vec::new(),
            props_optional: true,
            core_imports: String::new(),
            stack_locals: None,
            checks_values: false,
            checks_lists: false,
            role_name: Some(hostile.into()),
            description: hostile.into(),
            properties: &RoleProperties::default(),
            managed_policy_description: None,
            service: "qbusiness.amazonaws.com".into(),
            policy_name: hostile.into(),
            trust_policy: "{}".into(),
            permission_policy: "{}".into(),
            data_source: None,
        };
        let text = construct_role_name.render().unwrap();
        assert!(
            text.contains(&format!("roleName: '{escaped_value}',")),
            "{text}"
        );
        assert!(
            text.contains(&format!("description: '{escaped_value}',")),
            "{text}"
        );
        assert!(
            text.contains(&format!("'{escaped_value}': permissions,")),
            "{text}"
        );
        assert!(!text.contains(hostile), "{text}");
    }

    #[test]
    fn comments_cannot_be_closed_early() {
        assert_eq!(comment("a */ b\nc"), "a *\\/ b c");
        assert_eq!(
            comment_block(2, &["x", "", "y"]),
            "  /**\n   * x\n   *\n   * y\n   */"
        );
    }
}
