//! The npm project around the CDK constructs, laid out as `cdk init app --language
//! typescript` lays out a new app today (aws-cdk CLI 2.1148): `package.json` with its
//! scripts (`build`, `watch`, `test`, `cdk`), a `tsconfig.json` for TypeScript 7 (`NodeNext`,
//! type-check only), a `cdk.json` whose `app` type-checks and runs `bin/app.ts` with `tsx`
//! (so `npm install && npx cdk synth` works with nothing in between) and holds the feature
//! flags `cdk init` writes, a `.gitignore`, and a `README.md` on the app and its construct.
//!
//! The tests run with Node's own `node:test` through `tsx` (`npm test`), not jest as `cdk
//! init` sets up: the app already needs `tsx` to run, so the test adds no dependency, where
//! jest, `@swc/jest`, `@swc/core` and `@types/jest` add some 280 packages and native
//! binaries to every install.

use std::sync::LazyLock;

use askama::Template;
use serde_json::{Map, Value, json};

use super::cdk_test;
use super::names::Unit;
use super::{Artifact, json_file, run};
use crate::error::RenderError;
use crate::model::field::Field;

/// The `aws-cdk-lib` version the project pins (as `tools/package.json` does).
pub const AWS_CDK_LIB: &str = "2.276.0";
/// The `constructs` version the project pins (as `tools/package.json` does).
pub const CONSTRUCTS: &str = "10.8.1";
/// The `typescript` version: the one `cdk init` pins today (`~7.0.2`).
pub const TYPESCRIPT: &str = "7.0.2";
/// The CDK CLI (`aws-cdk`) version, whose `cdk init` template the project follows.
pub const AWS_CDK_CLI: &str = "2.1148.1";
/// The `tsx` version that runs the app and its tests (`cdk init` asks for `^4.23.0`).
pub const TSX: &str = "4.23.15";
/// The `@types/node` version (`cdk init` asks for `^24.10.1`).
pub const TYPES_NODE: &str = "24.19.4";

/// The feature flags `cdk init` writes into a new app's `cdk.json` for the pinned
/// `aws-cdk-lib` (its `recommended-feature-flags.json`), so that the app synthesizes as a
/// new app does and the CDK CLI does not warn of unconfigured flags.
const FEATURE_FLAGS: &str = include_str!("cdk-feature-flags.json");

/// What the README and the test file need of one construct of the app.
pub struct ConstructInfo {
    /// The class: `RdsMysqlConnectorRole`.
    pub class: String,
    /// The module the app imports it from: `../lib/rds-mysql`.
    pub module: String,
    /// The file: `lib/rds-mysql.ts`.
    pub file: String,
    /// The construct ID in the app: `ConnectorRole`, `OrdersMysqlConnectorRole`.
    pub id: String,
    /// The open fields, each a required prop, in the construct's order.
    pub open: Vec<Field>,
    /// Whether the construct takes the optional `roleName` prop.
    pub takes_role_name: bool,
}

/// The project's files: `package.json`, `tsconfig.json`, `cdk.json`, `.gitignore` and
/// `README.md`, for an app whose stack is `stack_id`, synthesized with the `-c KEY=EXAMPLE`
/// options `usage`, and whose test file is `test_file`.
pub fn files(
    unit: &Unit<'_>,
    constructs: &[ConstructInfo],
    stack_id: &str,
    usage: &[String],
    test_file: &str,
) -> Result<Vec<Artifact>, RenderError> {
    let readme = readme(unit, constructs, stack_id, usage)?;
    Ok(vec![
        unit.artifact("cdk", ".gitignore", GITIGNORE.to_owned()),
        unit.artifact("cdk", "README.md", readme),
        unit.artifact("cdk", "cdk.json", CDK_JSON.clone()),
        unit.artifact(
            "cdk",
            "package.json",
            json_file(&package_json(unit, test_file)),
        ),
        unit.artifact("cdk", "tsconfig.json", TSCONFIG_JSON.clone()),
    ])
}

/// `.gitignore` as `cdk init` writes it.
const GITIGNORE: &str =
    "*.js\n*.d.ts\nnode_modules\n\n# CDK asset staging directory\n.cdk.staging\ncdk.out\n";

/// `package.json`: `cdk init`'s scripts and dependencies, versions pinned exactly.
fn package_json(unit: &Unit<'_>, test_file: &str) -> Value {
    json!({
        "name": unit.package_name(),
        "version": "0.1.0",
        "private": true,
        "description": unit.description,
        "license": "UNLICENSED",
        "scripts": {
            "build": "tsc",
            "watch": "tsc -w",
            "test": format!("tsx --test {test_file}"),
            "cdk": "cdk"
        },
        "dependencies": {
            "aws-cdk-lib": AWS_CDK_LIB,
            "constructs": CONSTRUCTS
        },
        "devDependencies": {
            "@types/node": TYPES_NODE,
            "aws-cdk": AWS_CDK_CLI,
            "tsx": TSX,
            "typescript": TYPESCRIPT
        }
    })
}

/// `tsconfig.json`, the same for every app: built once.
static TSCONFIG_JSON: LazyLock<String> = LazyLock::new(|| json_file(&tsconfig_json()));

/// `cdk.json`, the same for every app: built once.
static CDK_JSON: LazyLock<String> = LazyLock::new(|| json_file(&cdk_json()));

/// `tsconfig.json`: `cdk init`'s, with Node's types only (no jest). `noEmit`: `tsc` only
/// type-checks, `tsx` runs the TypeScript.
fn tsconfig_json() -> Value {
    json!({
        "compilerOptions": {
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "lib": ["es2022"],
            "declaration": true,
            "strict": true,
            "noImplicitAny": true,
            "strictNullChecks": true,
            "noImplicitThis": true,
            "alwaysStrict": true,
            "noUnusedLocals": false,
            "noUnusedParameters": false,
            "noImplicitReturns": true,
            "noFallthroughCasesInSwitch": false,
            "inlineSourceMap": true,
            "inlineSources": true,
            "experimentalDecorators": true,
            "strictPropertyInitialization": false,
            "skipLibCheck": true,
            "typeRoots": ["./node_modules/@types"],
            "noEmit": true,
            "isolatedModules": true,
            "types": ["node"]
        },
        "exclude": ["node_modules", "cdk.out"]
    })
}

/// `cdk.json`: type-check, then run the entry with `tsx`; `cdk init`'s watch settings and
/// feature flags.
fn cdk_json() -> Value {
    let flags: Map<String, Value> =
        serde_json::from_str(FEATURE_FLAGS).expect("cdk-feature-flags.json is a JSON object");
    json!({
        "app": "npx tsc && npx tsx bin/app.ts",
        "watch": {
            "include": ["**"],
            "exclude": [
                "README.md",
                "cdk*.json",
                "**/*.d.ts",
                "**/*.js",
                "tsconfig.json",
                "package*.json",
                "yarn.lock",
                "node_modules",
                "test"
            ]
        },
        "context": flags
    })
}

#[derive(Template)]
#[template(path = "cdk/README.md", whitespace = "preserve")]
struct Readme<'a> {
    header: String,
    stacked: bool,
    heading: &'a str,
    stack_id: &'a str,
    roles: Vec<ReadmeRole<'a>>,
    /// Every context value the app reads, in order.
    context: Vec<ContextValue>,
    /// `-c key=EXAMPLE` for each required context value, code.
    usage: &'a [String],
    /// The construct a user copies into an existing app: the first one.
    example: ConstructExample,
    aws_cdk_lib: &'static str,
}

/// What the README says of one role.
struct ReadmeRole<'a> {
    name: &'a str,
    title: &'a str,
    page: &'a str,
    class: &'a str,
    file: &'a str,
    /// The permission policy's name, for an inline policy; `None` for a managed one.
    inline_policy: Option<String>,
    arn_output: String,
    name_output: String,
    /// The data source's outputs, when the construct creates one.
    data_source_outputs: Option<(String, String)>,
}

/// One row of the context table.
struct ContextValue {
    key: String,
    description: String,
    /// The example, code (the rule's, static).
    example: &'static str,
    /// Whether the value is a list.
    list: bool,
    required: bool,
}

/// How to instantiate a construct in an existing app.
struct ConstructExample {
    class: String,
    file: String,
    module: String,
    /// `    applicationId: '...',` lines, code.
    props: Vec<String>,
}

fn readme(
    unit: &Unit<'_>,
    constructs: &[ConstructInfo],
    stack_id: &str,
    usage: &[String],
) -> Result<String, RenderError> {
    let mut roles = Vec::new();
    let mut context = Vec::new();
    for (member, construct) in unit.members.iter().zip(constructs) {
        let (names, spec) = (&member.names, member.role.spec);
        roles.push(ReadmeRole {
            name: &spec.name,
            title: &spec.policies().title,
            page: &spec.policies().page,
            class: &construct.class,
            file: &construct.file,
            inline_policy: member
                .role
                .managed_policy_description()
                .is_none()
                .then(|| member.role.policy_name()),
            arn_output: names.logical_id("RoleArn"),
            name_output: names.logical_id("RoleName"),
            data_source_outputs: spec.data_source.as_ref().map(|_| {
                (
                    names.logical_id("DataSourceId"),
                    names.logical_id("DataSourceArn"),
                )
            }),
        });
        for &field in &construct.open {
            context.push(ContextValue {
                key: names.context_key(field.camel_name()),
                description: field.description().to_owned(),
                example: field.rule().example,
                list: field.is_list(),
                required: true,
            });
        }
        if construct.takes_role_name {
            context.push(ContextValue {
                key: names.context_key("roleName"),
                description: "The IAM role's name; CloudFormation generates one when unset"
                    .to_owned(),
                example: crate::spec::rules::ROLE_NAME.example,
                list: false,
                required: false,
            });
        }
    }
    let first = &constructs[0];
    let example = ConstructExample {
        class: first.class.clone(),
        file: first.file.clone(),
        module: first.module.replacen("../lib/", "./", 1),
        props: cdk_test::example_props(&first.open, 2),
    };
    let readme = Readme {
        header: unit.header(),
        stacked: unit.stacked,
        heading: if unit.stacked {
            unit.folder
        } else {
            &unit.members[0].role.spec.policies().title
        },
        stack_id,
        roles,
        context,
        usage,
        example,
        aws_cdk_lib: AWS_CDK_LIB,
    };
    run(&readme, "README.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tools folder installs what the generated apps pin, so the tests run the versions
    /// users get.
    #[test]
    fn pinned_versions_match_the_tools_folder() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/package.json");
        let text = std::fs::read_to_string(&path).expect("tools/package.json");
        let tools: Value = serde_json::from_str(&text).expect("tools/package.json is JSON");
        for (name, version) in [
            ("aws-cdk-lib", AWS_CDK_LIB),
            ("constructs", CONSTRUCTS),
            ("typescript", TYPESCRIPT),
            ("aws-cdk", AWS_CDK_CLI),
            ("tsx", TSX),
            ("@types/node", TYPES_NODE),
        ] {
            assert_eq!(
                tools["dependencies"][name].as_str(),
                Some(version),
                "{name} differs from tools/package.json"
            );
        }
    }

    #[test]
    fn cdk_json_runs_the_typescript_entry_with_the_init_flags() {
        let cdk = cdk_json();
        assert_eq!(cdk["app"], "npx tsc && npx tsx bin/app.ts");
        let flags = cdk["context"].as_object().unwrap();
        assert!(flags.len() > 50, "{} flags", flags.len());
        assert_eq!(flags["@aws-cdk/aws-iam:minimizePolicies"], true);
    }
}
