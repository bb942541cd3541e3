//! Every connector of the catalog against its page (`tests/reference/connectors/*.json`, copied
//! from the research notes): with concrete values bound, the emitted policies equal the page's
//! policies with the same values substituted, in the JSON files, in the CloudFormation
//! template evaluated as CloudFormation would and in the Terraform module evaluated as
//! Terraform would.
//!
//! Pages that print example values instead of placeholders are first read back into
//! placeholders with the catalog entry's `page_values`, the decision recorded next to the
//! entry; the optional blocks a page gives apart from its main policy are the catalog's
//! optional parts, as [`BLOCKS`] maps them.
//!
//! Every connector's artifacts, with every value open and with every value bound, also pass
//! the real toolchains (`support::toolchain`): cfn-lint on each template, `tsc --strict` on
//! one CDK app holding every role, HashiCorp's parser on each Terraform module.

mod support;

use std::path::PathBuf;

use connector_roles::catalog::{self, Connector, Part, Policies};
use connector_roles::{Field, Format, RoleSpec, Stack, render, write_all};
use connector_roles_generator::render::names::Names;
use serde_json::{Value, json};
use support::ACCOUNT;
use support::cloudformation::{Deployment, Evaluated};
use support::policy::{assert_same_policy, fill, same_policy};
use support::terraform::Module;
use support::toolchain::{self, Log};

use support::matrix::{DEPLOYMENT, OTHER_ACCOUNT};

/// The page blocks given apart from the main policy, each with the part it is: connector,
/// block under `additional_policy_blocks`, part.
const BLOCKS: [(&str, &str, Part); 9] = [
    (
        "sharepoint-online",
        "s3_for_entra_app_only_auth",
        Part::InputBucket,
    ),
    ("sharepoint-online", "vpc", Part::Vpc),
    ("s3", "kms_if_documents_encrypted", Part::EncryptedDocuments),
    ("s3", "with_vpc_full_policy", Part::Vpc),
    (
        "generic-data-source",
        "secret_if_authentication",
        Part::Secret,
    ),
    ("generic-data-source", "vpc", Part::Vpc),
    (
        "generic-data-source",
        "kms_if_secret_encrypted",
        Part::EncryptedSecret,
    ),
    (
        "generic-data-source",
        "s3_object_eg_ssl_certificate",
        Part::InputBucket,
    ),
    (
        "kendra-s3",
        "kms_if_documents_encrypted",
        Part::EncryptedDocuments,
    ),
];

/// The one block deliberately not offered: it repeats a statement of the main policy.
const REPEATED_BLOCK: (&str, &str) = ("kendra-database", "kms_if_ssl_bucket_encrypted");

/// The statements the pages introduce with "(Optional) If you're using Amazon VPC". The
/// references of the connectors added from AWS's lists (`connectors/added/` of the research)
/// do not list them apart as the others do; these are theirs.
const VPC_STATEMENTS: [&str; 5] = [
    "AllowsAmazonQToCreateAndDeleteNI",
    "AllowsAmazonQToCreateAndDeleteNIForSpecificTag",
    "AllowsAmazonQToCreateTags",
    "AllowsAmazonQToCreateNetworkInterfacePermission",
    "AllowsAmazonQToDescribeResourcesForVPC",
];

/// The Kendra VPC section's block, named with its section title.
const KENDRA_VPC: &str = "vpc (section 'Virtual private cloud (VPC) IAM role')";

/// The reference file of connector `id`.
fn reference(id: &str) -> Value {
    let path = format!(
        "{}/tests/reference/connectors/{id}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// One documented page: a connector at the revision the page is a copy of.
struct Page {
    connector: &'static Connector,
    revision: Option<&'static str>,
    /// The page's policies (`permission_policy`, `trust_policy`) and blocks, as transcribed.
    page: Value,
}

impl Page {
    fn policies(&self) -> &'static Policies {
        self.connector.policies(self.revision).unwrap()
    }

    /// Every optional part the page documents.
    fn parts(&self) -> Vec<Part> {
        self.policies().parts()
    }
}

/// Every page of the catalog. A connector AWS documents twice (copied from the research's
/// `connectors/added/`) holds the page of its default revision under `iam_role` and the
/// original connector's under `iam_role_original_connector`; every other reference is the
/// page of the connector's current revision.
fn pages() -> Vec<Page> {
    let mut pages = Vec::new();
    for connector in catalog::all() {
        let reference = reference(&connector.id);
        if reference.get("iam_role").is_none() {
            pages.push(Page {
                connector,
                revision: page_revision(connector),
                page: reference,
            });
            continue;
        }
        for (i, policies) in connector.revisions.iter().enumerate() {
            let key = match i {
                0 => "iam_role",
                _ if policies.revision.as_deref() == Some("original-connector") => {
                    "iam_role_original_connector"
                }
                // A revision of a page that was not copied separately: compared as the
                // page the other connectors of its shape are.
                _ => continue,
            };
            let mut page = reference[key].clone();
            assert_eq!(
                page["source"]["url"],
                policies.page.as_str(),
                "{}",
                connector.id
            );
            page["optional_statements"] = json!(VPC_STATEMENTS);
            pages.push(Page {
                connector,
                revision: policies.revision.as_deref(),
                page,
            });
        }
    }
    pages
}

/// The statements of a page block: one statement, a policy, or either under `when`.
fn block_statements(block: &Value) -> Vec<Value> {
    if let Some(inner) = block.get("policy").or_else(|| block.get("statement")) {
        return block_statements(inner);
    }
    match block.get("Statement") {
        Some(Value::Array(statements)) => statements.clone(),
        _ => vec![block.clone()],
    }
}

/// The blocks of `id` with their parts (the Kendra VPC section is the vpc part).
fn blocks(id: &str, page: &Value) -> Vec<(Part, Vec<Value>)> {
    let blocks = &page["additional_policy_blocks"];
    let mut found: Vec<(Part, Vec<Value>)> = BLOCKS
        .iter()
        .filter(|(connector, _, _)| *connector == id)
        .map(|(_, name, part)| (*part, block_statements(&blocks[name])))
        .collect();
    if let Some(vpc) = blocks.get(KENDRA_VPC) {
        found.push((Part::Vpc, block_statements(vpc)));
    }
    found
}

/// The page's policies with `parts` on: the main permission policy without the statements
/// the page marks optional for a part left off, plus the blocks of the parts turned on (a
/// block that repeats the main policy adds only what is new).
fn page_policies(page: &Page, parts: &[Part]) -> (Value, Value) {
    let mut permission = page.page["permission_policy"].clone();
    let optional: Vec<&str> = page.page["optional_statements"]
        .as_array()
        .map(|sids| sids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let everything = parts.len() == page.parts().len();
    let statements = permission["Statement"].as_array_mut().unwrap();
    if !everything {
        assert!(parts.is_empty(), "only all parts or none are compared");
        statements.retain(|s| !optional.contains(&s["Sid"].as_str().unwrap_or_default()));
    }
    for (part, block) in blocks(&page.connector.id, &page.page) {
        if parts.contains(&part) {
            for statement in block {
                if !statements.contains(&statement) {
                    statements.push(statement);
                }
            }
        }
    }
    (permission, page.page["trust_policy"].clone())
}

/// `policy` with each example value the page prints read as its placeholder, longest first.
fn placeholders(connector: &Connector, policy: Value) -> Value {
    let mut literals: Vec<(&String, &Field)> = connector.page_values.iter().collect();
    literals.sort_by_key(|(literal, _)| std::cmp::Reverse(literal.len()));
    let mut text = policy.to_string();
    for (literal, field) in literals {
        text = text.replace(literal.as_str(), &format!("{{{{{}}}}}", field.name()));
    }
    serde_json::from_str(&text).unwrap()
}

/// The concrete values of `field`, looked up by the placeholder's name.
fn value_of(field: Field, source_account: &'static str) -> Vec<&'static str> {
    let name = field.placeholder().trim_matches(['{', '}', '[', ']']);
    support::values(source_account)
        .into_iter()
        .find(|(placeholder, _)| *placeholder == name)
        .unwrap_or_else(|| panic!("no test value for {field}"))
        .1
}

/// The revision the reference page of a connector documented once is a copy of: the current
/// one.
fn page_revision(connector: &Connector) -> Option<&str> {
    let names = connector.revision_names();
    names
        .iter()
        .find(|name| **name == "application-and-index")
        .or(names.first())
        .copied()
}

/// The spec of the page's connector at its revision with `parts` on and every value its
/// policies use bound.
fn bound_spec(page: &Page, parts: &[Part], source_account: &'static str) -> RoleSpec {
    named_bound_spec("bound", page, parts, source_account)
}

fn named_bound_spec(
    name: &str,
    page: &Page,
    parts: &[Part],
    source_account: &'static str,
) -> RoleSpec {
    let connector = page.connector;
    let mut values = serde_json::Map::new();
    let mut vpc = serde_json::Map::new();
    for field in page.policies().fields(parts) {
        if field == Field::Partition {
            continue;
        }
        let value = value_of(field, source_account);
        if field.is_list() {
            vpc.insert(field.name().into(), json!(value));
        } else {
            values.insert(field.name().into(), json!(value[0]));
        }
    }
    let mut spec = json!({
        "connector": connector.id,
        "name": name,
        "values": values,
        "include": parts.iter().filter(|p| **p != Part::Vpc).map(|p| p.name()).collect::<Vec<_>>(),
    });
    if let Some(revision) = page.revision {
        spec["revision"] = json!(revision);
    }
    if parts.contains(&Part::Vpc) {
        spec["vpc"] = Value::Object(vpc);
    }
    RoleSpec::from_json(&spec.to_string()).unwrap_or_else(|e| panic!("{}: {e}", connector.id))
}

/// The page's policies with `parts` on, the example values read as placeholders and the
/// placeholders substituted.
fn expected(page: &Page, parts: &[Part], source_account: &'static str) -> (Value, Value) {
    let (permission, trust) = page_policies(page, parts);
    let values = support::values(source_account);
    let substitute = |policy| fill(&placeholders(page.connector, policy), &values);
    (substitute(permission), substitute(trust))
}

/// Whether the page writes `{{source_account}}` apart from `{{account_id}}`; pages of example
/// values print one account for both.
fn separates_accounts(page: &Page) -> bool {
    !page
        .connector
        .page_values
        .values()
        .any(|f| *f == Field::AccountId)
        && page.page.to_string().contains("{{source_account}}")
}

fn for_each_case(check: impl Fn(&Page, &[Part], &'static str)) {
    for page in pages() {
        let all = page.parts();
        for parts in [all.as_slice(), &[]] {
            check(&page, parts, ACCOUNT);
            if separates_accounts(&page) {
                check(&page, parts, OTHER_ACCOUNT);
            }
        }
    }
}

/// The catalog's 38 pages and the 9 connectors added from AWS's lists, two of them (Google
/// Drive, Microsoft OneDrive) documented twice: a new and an original connector.
#[test]
fn every_added_connector_is_compared_with_each_of_its_pages() {
    let pages = pages();
    assert_eq!(catalog::all().len(), 47);
    assert_eq!(pages.len(), 49);
    for id in ["google-drive", "microsoft-onedrive"] {
        let revisions: Vec<Option<&str>> = pages
            .iter()
            .filter(|p| p.connector.id == id)
            .map(|p| p.revision)
            .collect();
        assert_eq!(
            revisions,
            [Some("new-connector"), Some("original-connector")]
        );
    }
}

#[test]
fn every_connector_emits_its_page_as_json() {
    for_each_case(|page, parts, source_account| {
        let spec = bound_spec(page, parts, source_account);
        let read = |file| -> Value {
            serde_json::from_str(&support::artifact(&spec, Format::Json, file)).unwrap()
        };
        let (permission, trust) = expected(page, parts, source_account);
        println!(
            "{} {:?} {parts:?} {source_account}",
            page.connector.id, page.revision
        );
        assert_same_policy(&read("permission-policy.json"), &permission);
        assert_same_policy(&read("trust-policy.json"), &trust);
    });
}

#[test]
fn every_connector_emits_its_page_as_cloudformation() {
    for_each_case(|page, parts, source_account| {
        let spec = bound_spec(page, parts, source_account);
        let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
        let (trust, permission) = Evaluated::new(&template, &[], DEPLOYMENT).role_policies();
        let (expected_permission, expected_trust) = expected(page, parts, source_account);
        println!(
            "{} {:?} {parts:?} {source_account}",
            page.connector.id, page.revision
        );
        assert_same_policy(&permission, &expected_permission);
        assert_same_policy(&trust, &expected_trust);
    });
}

#[test]
fn every_connector_emits_its_page_as_terraform() {
    for_each_case(|page, parts, source_account| {
        let spec = bound_spec(page, parts, source_account);
        let text =
            |name: &str| support::artifact(&spec, Format::Terraform, &format!("terraform/{name}"));
        let role = Module::new(text, &[], &DEPLOYMENT).role("this");
        let (permission, trust) = expected(page, parts, source_account);
        println!(
            "{} {:?} {parts:?} {source_account}",
            page.connector.id, page.revision
        );
        assert_same_policy(&role.permission, &permission);
        assert_same_policy(&role.trust, &trust);
    });
}

/// With every value open, the template's parameters and the module's variables given the
/// test values, and the deployment's account, region and partition, each format evaluates
/// to the page's policies.
#[test]
fn every_open_connector_evaluates_to_its_page() {
    for page in pages() {
        let connector = page.connector;
        let spec = RoleSpec::default_for(connector, page.revision).unwrap();
        let parts = page.parts();
        let open: Vec<Field> = spec
            .policies()
            .fields(&parts)
            .into_iter()
            .filter(|f| !f.defaults_to_deployment())
            .collect();
        let value = |field: Field| match value_of(field, ACCOUNT) {
            list if field.is_list() => json!(list),
            one => json!(one[0]),
        };
        let pascal: Vec<(String, Value)> = open
            .iter()
            .map(|f| (f.pascal_name().to_owned(), value(*f)))
            .collect();
        let parameters: Vec<(&str, Value)> = pascal
            .iter()
            .map(|(n, v)| (n.as_str(), v.clone()))
            .collect();
        let inputs: Vec<(&str, Value)> = open.iter().map(|f| (f.name(), value(*f))).collect();
        let (permission, trust) = expected(&page, &parts, ACCOUNT);
        println!("{} {:?}", connector.id, page.revision);

        let template = support::artifact(&spec, Format::CloudFormation, "template.yaml");
        let (cfn_trust, cfn_permission) =
            Evaluated::new(&template, &parameters, DEPLOYMENT).role_policies();
        assert_same_policy(&cfn_permission, &permission);
        assert_same_policy(&cfn_trust, &trust);

        let text =
            |name: &str| support::artifact(&spec, Format::Terraform, &format!("terraform/{name}"));
        let role = Module::new(text, &inputs, &DEPLOYMENT).role("this");
        assert_same_policy(&role.permission, &permission);
        assert_same_policy(&role.trust, &trust);
    }
}

#[test]
fn the_block_left_out_repeats_the_main_policy() {
    let (id, name) = REPEATED_BLOCK;
    let page = reference(id);
    let main = page["permission_policy"]["Statement"].as_array().unwrap();
    for statement in block_statements(&page["additional_policy_blocks"][name]) {
        assert!(main.contains(&statement), "{statement} is new");
    }
}

#[test]
fn every_block_of_every_page_is_mapped() {
    for page in pages() {
        let Some(blocks) = page.page["additional_policy_blocks"].as_object() else {
            continue;
        };
        for name in blocks.keys() {
            let id = page.connector.id.as_str();
            let mapped = BLOCKS
                .iter()
                .any(|(connector, block, _)| *connector == id && block == name)
                || (id, name.as_str()) == REPEATED_BLOCK
                || name == KENDRA_VPC;
            assert!(mapped, "{id}: block {name} is not mapped");
        }
    }
}

#[test]
fn every_reference_page_is_a_catalog_entry() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/connectors");
    let mut pages: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    pages.sort();
    let ids: Vec<&str> = catalog::all().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(pages, ids);
}

/// The later RDS (MySQL) page is the `application-and-index` revision; the page the project
/// started from stays the default.
#[test]
fn rds_mysql_revisions_are_both_pages() {
    let connector = catalog::find("rds-mysql").unwrap();
    assert_eq!(page_revision(connector), Some("application-and-index"));
    let spec =
        RoleSpec::from_json(r#"{"connector": "rds-mysql", "name": "x", "vpc": {}}"#).unwrap();
    let permission: Value = serde_json::from_str(&support::artifact(
        &spec,
        Format::Json,
        "permission-policy.json",
    ))
    .unwrap();
    assert_same_policy(
        &permission,
        &support::policy::documented("rds-mysql.permission-policy", &[]),
    );
}

/// Every ARN of every connector follows the partition: bound in the spec (JSON), or the
/// deployment's (the template and the module evaluated in China and in GovCloud); the
/// service principal stays `SERVICE.amazonaws.com`, as AWS now names it in every partition.
#[test]
fn every_arn_follows_the_partition() {
    let partitions = [
        ("aws-cn", "cn-north-1", ACCOUNT),
        ("aws-us-gov", "us-gov-west-1", ACCOUNT),
    ];
    for page in pages() {
        let connector = page.connector;
        for (partition, region, account) in partitions {
            let mut spec: Value =
                serde_json::from_str(&bound_spec(&page, &page.parts(), account).to_json()).unwrap();
            spec["values"]["partition"] = json!(partition);
            spec["values"]["region"] = json!(region);
            let spec = RoleSpec::from_json(&spec.to_string()).unwrap();
            let json = render(&spec, &[Format::Json]).unwrap();
            let deployment = Deployment {
                partition,
                account,
                region,
            };
            let open = RoleSpec::default_for(connector, page.revision).unwrap();
            let template = support::artifact(&open, Format::CloudFormation, "template.yaml");
            let parameters: Vec<(String, Value)> = open
                .policies()
                .fields(&page.parts())
                .into_iter()
                .filter(|f| !f.defaults_to_deployment())
                .map(|f| {
                    let value = value_of(f, account);
                    let value = if f.is_list() {
                        json!(value)
                    } else {
                        json!(value[0])
                    };
                    (f.pascal_name().to_owned(), value)
                })
                .collect();
            let parameters: Vec<(&str, Value)> = parameters
                .iter()
                .map(|(n, v)| (n.as_str(), v.clone()))
                .collect();
            let (trust, permission) =
                Evaluated::new(&template, &parameters, deployment).role_policies();
            // Each policy as JSON text with what it must hold in this partition: a permission
            // policy its ARNs, a trust policy its service principal.
            let (arns, principal) = (format!("arn:{partition}:"), ".amazonaws.com\"");
            let file = |name: &str| support::contents(&json, name).to_owned();
            let policies = [
                (file("/permission-policy.json"), arns.as_str()),
                (permission.to_string(), arns.as_str()),
                (file("/trust-policy.json"), principal),
                (trust.to_string(), principal),
            ];
            for (text, required) in policies {
                assert!(!text.contains("arn:aws:"), "{}: {text}", connector.id);
                assert!(
                    text.contains(required),
                    "{}: {required} missing from {text}",
                    connector.id
                );
                assert!(
                    !text.contains(".amazonaws.com.cn"),
                    "{}: {text}",
                    connector.id
                );
            }
        }
    }
}

/// The real toolchains on every connector's artifacts; `tools/test` runs them in its
/// toolchain stage, as it runs `tests/toolchain.rs`.
mod real_toolchains {
    use super::*;

    /// Every connector at every revision with every value open (named after the connector, and
    /// the revision when not the default), and at its page's revision with every value bound
    /// (`NAME-bound`); every optional part on.
    fn toolchain_specs() -> Vec<RoleSpec> {
        let mut specs = Vec::new();
        for connector in catalog::all() {
            for (i, revision) in connector.revisions.iter().enumerate() {
                let mut spec =
                    RoleSpec::default_for(connector, revision.revision.as_deref()).unwrap();
                if i > 0 {
                    spec.name = format!("{}-{}", connector.id, spec.revision.as_deref().unwrap());
                }
                specs.push(spec);
            }
        }
        for page in pages() {
            let default = page.connector.policies(None).unwrap().revision.as_deref();
            let name = match page.revision {
                Some(revision)
                    if page.connector.revisions.len() > 1 && page.revision != default =>
                {
                    format!("{}-{revision}-bound", page.connector.id)
                }
                _ => format!("{}-bound", page.connector.id),
            };
            specs.push(named_bound_spec(&name, &page, &page.parts(), OTHER_ACCOUNT));
        }
        specs
    }

    /// Writes each spec's artifacts of `format` alone; the folder and each role's root.
    fn written(format: Format) -> (tempfile::TempDir, Vec<PathBuf>) {
        let out = tempfile::tempdir().unwrap();
        let mut roots = Vec::new();
        for spec in toolchain_specs() {
            write_all(out.path(), &render(&spec, &[format]).unwrap()).unwrap();
            roots.push(out.path().join(&spec.name));
        }
        (out, roots)
    }

    /// Prints what the tools said, and fails naming every artifact they rejected.
    fn assert_accepted(log: &Log, results: Vec<Result<(), String>>) {
        println!("{}", log.0);
        let rejected: Vec<String> = results.into_iter().filter_map(Result::err).collect();
        assert!(rejected.is_empty(), "{}", rejected.join("\n"));
    }

    #[test]
    fn cfn_lint_accepts_every_connector() {
        let (_out, roots) = written(Format::CloudFormation);
        let templates: Vec<PathBuf> = roots
            .iter()
            .map(|root| root.join("cloudformation/template.yaml"))
            .collect();
        let mut log = Log::default();
        let results = toolchain::cfn_lint(&mut log, &templates);
        assert_accepted(&log, results);
    }

    #[test]
    fn hashicorp_parser_reads_every_connector() {
        let (_out, roots) = written(Format::Terraform);
        let modules: Vec<PathBuf> = roots.iter().map(|root| root.join("terraform")).collect();
        let mut log = Log::default();
        let Some(results) = toolchain::hcl2json(&mut log, &modules) else {
            return;
        };
        assert_eq!(results.len(), modules.len());
        assert_accepted(&log, results.into_iter().map(|r| r.map(drop)).collect());
    }

    /// checkov fails no check on any connector's template or module.
    #[test]
    fn checkov_accepts_every_connector() {
        let (_templates_folder, roots) = written(Format::CloudFormation);
        let templates: Vec<PathBuf> = roots
            .iter()
            .map(|root| root.join("cloudformation/template.yaml"))
            .collect();
        let (_modules_folder, roots) = written(Format::Terraform);
        let modules: Vec<PathBuf> = roots.iter().map(|root| root.join("terraform")).collect();
        let mut log = Log::default();
        let mut results = toolchain::checkov(&mut log, "cloudformation", &templates);
        results.extend(toolchain::checkov(&mut log, "terraform", &modules));
        assert_accepted(&log, results);
    }

    /// One CDK app holding every connector's role with every value bound type-checks with
    /// TypeScript 7 and synthesizes with tsx; cfn-lint accepts the synthesized template, and each role in it holds exactly the
    /// policies of its JSON files (which the tests above prove are the documented ones).
    #[test]
    fn cdk_synth_of_every_connector_holds_its_policies() {
        let specs: Vec<RoleSpec> = toolchain_specs()
            .into_iter()
            .filter(|spec| spec.name.ends_with("-bound"))
            .collect();
        let mut stack = Stack::new("every-bound-connector").unwrap();
        for spec in &specs {
            stack.add(spec.clone()).unwrap();
        }
        let out = tempfile::tempdir().unwrap();
        let formats = [Format::Cdk, Format::Json];
        write_all(out.path(), &stack.render(&formats).unwrap()).unwrap();
        let root = out.path().join("every-bound-connector");
        let cdk = root.join("cdk");
        let mut log = Log::default();
        match toolchain::tsc(&mut log, &cdk) {
            Ok(true) => {}
            Ok(false) => return assert_accepted(&log, Vec::new()),
            Err(error) => return assert_accepted(&log, vec![Err(error)]),
        }
        let template = match toolchain::cdk_synth(&mut log, &cdk, &json!({})) {
            Ok(Some(template)) => template,
            Ok(None) => return assert_accepted(&log, Vec::new()),
            Err(error) => return assert_accepted(&log, vec![Err(error)]),
        };
        let mut results = toolchain::cfn_lint(&mut log, std::slice::from_ref(&template));
        let text = std::fs::read_to_string(&template).unwrap();
        let evaluated = Evaluated::new(&text, &[], DEPLOYMENT);
        let outputs = support::cloudformation::parse(&text)["Outputs"].clone();
        for spec in &specs {
            let names = Names::stacked(&spec.name);
            let output = names.logical_id("RoleArn");
            let Some(id) = outputs[&output]["Value"]["Fn::GetAtt"][0].as_str() else {
                results.push(Err(format!("output {output} names no role")));
                continue;
            };
            let (trust, permission) = evaluated.role_policies_of(id);
            let json = |name: &str| -> Value {
                let path = root.join(format!("{}/{name}.json", names.policy_folder()));
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
            };
            for (policy, found) in [("trust", trust), ("permission", permission)] {
                let result = same_policy(&found, &json(&format!("{policy}-policy")));
                results.push(result.map_err(|e| format!("{}: {policy} policy: {e}", spec.name)));
            }
        }
        assert_accepted(&log, results);
    }

    /// One CDK app with every connector's construct, as a stack holds them, type-checked once.
    #[test]
    fn tsc_compiles_every_connector() {
        let mut stack = Stack::new("every-connector").unwrap();
        for spec in toolchain_specs() {
            stack.add(spec).unwrap();
        }
        let out = tempfile::tempdir().unwrap();
        write_all(out.path(), &stack.render(&[Format::Cdk]).unwrap()).unwrap();
        let mut log = Log::default();
        let result = toolchain::tsc(&mut log, &out.path().join("every-connector/cdk"));
        assert_accepted(&log, vec![result.map(drop)]);
    }
}
