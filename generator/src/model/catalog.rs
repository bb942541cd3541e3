//! The documented connectors, as data.
//!
//! Five JSON files under `generator/catalog/`, embedded in the binary and read once:
//!
//! - `statements.json`: every documented statement, once, by name, as the AWS page writes it
//!   (placeholders included, `arn:aws:` written `arn:{{partition}}:` so ARNs follow the
//!   deployment's partition); and named blocks of statements (`vpc`).
//! - `shapes.json`: the policies a group of pages share, as lists of statement and block
//!   names; a reference may rename the statement's Sid (the S3 page's own Sids) or mark it as
//!   an optional [`Part`].
//! - `revisions.json`: the statements AWS has revised over time. A shape names the abstract
//!   `ingest-documents`; each revision says which documented statement stands for it.
//! - `listings.json`: the pages that say which connectors AWS supports, offers in preview or
//!   keeps as legacy ([`crate::model::status`]).
//! - `connectors.json`: one entry per documented connector: its page's title and address,
//!   its shape, its status, its revisions (the default first), how the page's example values
//!   are read as placeholders, and notes on every decision taken reading the page. A
//!   revision is the name of one in `revisions.json`, or a page of its own, for a connector
//!   AWS documents twice (the new and the original Google Drive connector): its name, and
//!   the title, address and shape where they differ from the entry's, with `statements`
//!   naming the `revisions.json` revision its policies are written at.
//!
//! Most pages document one of two policies statement for statement; they share one shape
//! each instead of a copy each.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;

use crate::model::field::Field;
pub use crate::model::policy::Part;
use crate::model::policy::{PolicyDocument, Statement};
use crate::model::status::{Listed, StatusEntry};

/// One documented connector.
#[derive(Debug)]
pub struct Connector {
    /// The connector's name in specs: `rds-mysql`.
    pub id: String,
    /// The title of its AWS documentation page.
    pub title: String,
    /// The address of that page.
    pub page: String,
    /// The shape its policies share with other pages.
    pub shape: String,
    /// What AWS says of it today, and where.
    pub listed: Listed,
    /// What was normalised, inferred or decided reading the page.
    pub notes: Option<String>,
    /// Example values the page prints instead of placeholders, each with the field it is
    /// read as (`111122223333` is `account_id`).
    pub page_values: BTreeMap<String, Field>,
    /// The policies of each documented revision, the default first.
    pub revisions: Vec<Policies>,
    /// The checkov checks the documented policy fails by design, each skipped in the
    /// artifacts with its reason.
    pub checkov_skips: Vec<CheckovSkip>,
}

/// A checkov check the documented policy fails by design.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckovSkip {
    /// The check: `CKV_AWS_111`.
    pub id: String,
    /// The optional part whose statements fail it; always, when `None`.
    #[serde(default)]
    pub part: Option<Part>,
    /// Why the documented policy fails it, one line.
    pub reason: String,
}

/// A connector's two policies at one revision, every optional part included.
#[derive(Debug)]
pub struct Policies {
    /// The revision's name; `None` for a connector whose page has never been revised.
    pub revision: Option<String>,
    /// The title of the page that documents them.
    pub title: String,
    /// The address of that page.
    pub page: String,
    /// The shape they are written in.
    pub shape: String,
    /// The permission policy, as documented.
    pub permission_policy: PolicyDocument,
    /// The trust policy, as documented.
    pub trust_policy: PolicyDocument,
}

/// A group of pages that document the same policies.
#[derive(Debug)]
pub struct Shape {
    /// The shape's name: `server`, `cloud`, ...
    pub name: String,
    /// What its policies hold, in a sentence.
    pub description: String,
}

/// A revision of the documented statements.
#[derive(Debug)]
pub struct Revision {
    /// The revision's name in specs: `index-only`.
    pub name: String,
    /// What it grants, and where it is documented.
    pub description: String,
}

/// A statement definition: one statement, or a block of references.
#[derive(Deserialize)]
#[serde(untagged)]
enum Definition {
    Block(Vec<Reference>),
    Statement(Value),
}

/// A reference to a definition from a shape or a block.
#[derive(Deserialize)]
#[serde(untagged)]
enum Reference {
    Name(String),
    Full {
        #[serde(rename = "use")]
        name: String,
        #[serde(default)]
        sid: Option<String>,
        #[serde(default)]
        part: Option<Part>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShapeEntry {
    description: String,
    permission: Vec<Reference>,
    trust: Vec<Reference>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevisionEntry {
    description: String,
    statements: BTreeMap<String, String>,
}

/// A revision a connector entry lists: one of `revisions.json` by name, or a page of its own.
#[derive(Deserialize)]
#[serde(untagged)]
enum PageRevision {
    Named(String),
    Own(OwnRevision),
}

/// A revision documented on a page of its own; what it leaves out is the entry's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnRevision {
    name: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    shape: Option<String>,
    #[serde(default)]
    statements: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectorEntry {
    id: String,
    title: String,
    page: String,
    shape: String,
    status: StatusEntry,
    #[serde(default)]
    revisions: Vec<PageRevision>,
    #[serde(default)]
    page_values: BTreeMap<String, String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    checkov_skips: Vec<CheckovSkip>,
}

/// The catalog, read from its four files.
struct Catalog {
    connectors: Vec<Connector>,
    shapes: Vec<Shape>,
    revisions: Vec<Revision>,
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("catalog/{file}: {e}"))
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let definitions: BTreeMap<String, Definition> = parse(
        "statements.json",
        include_str!("../../catalog/statements.json"),
    );
    let shapes: BTreeMap<String, ShapeEntry> =
        parse("shapes.json", include_str!("../../catalog/shapes.json"));
    let revisions: BTreeMap<String, RevisionEntry> = parse(
        "revisions.json",
        include_str!("../../catalog/revisions.json"),
    );
    let entries: Vec<ConnectorEntry> = parse(
        "connectors.json",
        include_str!("../../catalog/connectors.json"),
    );
    let connectors = entries
        .into_iter()
        .map(|entry| {
            let resolve = |revision: Option<OwnRevision>| {
                let own = revision.as_ref();
                let shape_name = own.and_then(|r| r.shape.as_ref()).unwrap_or(&entry.shape);
                let shape = shapes
                    .get(shape_name)
                    .unwrap_or_else(|| panic!("{}: unknown shape {shape_name}", entry.id));
                let replacements = own.and_then(|r| r.statements.as_ref()).map(|name| {
                    &revisions
                        .get(name)
                        .unwrap_or_else(|| panic!("{}: unknown revision {name}", entry.id))
                        .statements
                });
                let resolver = Resolver {
                    definitions: &definitions,
                    replacements,
                };
                Policies {
                    revision: own.map(|r| r.name.clone()),
                    title: own
                        .and_then(|r| r.title.clone())
                        .unwrap_or_else(|| entry.title.clone()),
                    page: own
                        .and_then(|r| r.page.clone())
                        .unwrap_or_else(|| entry.page.clone()),
                    shape: shape_name.clone(),
                    permission_policy: resolver.document(&shape.permission),
                    trust_policy: resolver.document(&shape.trust),
                }
            };
            let policies: Vec<Policies> = if entry.revisions.is_empty() {
                vec![resolve(None)]
            } else {
                entry
                    .revisions
                    .into_iter()
                    .map(|revision| {
                        resolve(Some(match revision {
                            PageRevision::Named(name) => OwnRevision {
                                statements: Some(name.clone()),
                                name,
                                title: None,
                                page: None,
                                shape: None,
                            },
                            PageRevision::Own(own) => own,
                        }))
                    })
                    .collect()
            };
            let page_values = entry
                .page_values
                .into_iter()
                .map(|(literal, name)| {
                    let field = Field::from_name(&name)
                        .unwrap_or_else(|| panic!("{}: unknown field {name}", entry.id));
                    (literal, field)
                })
                .collect();
            let listed = entry.status.resolve(&entry.id);
            Connector {
                listed,
                id: entry.id,
                title: entry.title,
                page: entry.page,
                shape: entry.shape,
                notes: entry.notes,
                checkov_skips: entry.checkov_skips,
                page_values,
                revisions: policies,
            }
        })
        .collect();
    Catalog {
        connectors,
        shapes: shapes
            .into_iter()
            .map(|(name, shape)| Shape {
                name,
                description: shape.description,
            })
            .collect(),
        revisions: revisions
            .into_iter()
            .map(|(name, revision)| Revision {
                name,
                description: revision.description,
            })
            .collect(),
    }
});

/// Turns references into statements at one revision.
struct Resolver<'a> {
    definitions: &'a BTreeMap<String, Definition>,
    replacements: Option<&'a BTreeMap<String, String>>,
}

impl Resolver<'_> {
    fn document(&self, references: &[Reference]) -> PolicyDocument {
        let mut statements = Vec::new();
        for reference in references {
            self.expand(reference, None, &mut statements);
        }
        PolicyDocument::new(statements)
    }

    fn expand(&self, reference: &Reference, inherited: Option<Part>, out: &mut Vec<Statement>) {
        let (name, sid, part) = match reference {
            Reference::Name(name) => (name, None, None),
            Reference::Full { name, sid, part } => (name, sid.as_ref(), *part),
        };
        let part = part.or(inherited);
        let name = self
            .replacements
            .and_then(|replacements| replacements.get(name))
            .unwrap_or(name);
        match self.definitions.get(name) {
            Some(Definition::Block(references)) => {
                assert!(sid.is_none(), "block {name} cannot take a Sid");
                for reference in references {
                    self.expand(reference, part, out);
                }
            }
            Some(Definition::Statement(json)) => {
                let mut json = json.clone();
                if let Some(sid) = sid {
                    json["Sid"] = Value::String(sid.clone());
                }
                let statement = Statement::from_documented(&json, part)
                    .unwrap_or_else(|e| panic!("statement {name}: {e}"));
                out.push(statement);
            }
            None => panic!("no statement or block named {name}"),
        }
    }
}

/// Every connector, in catalog order.
pub fn all() -> &'static [Connector] {
    &CATALOG.connectors
}

/// The connector named `id`.
pub fn find(id: &str) -> Option<&'static Connector> {
    all().iter().find(|connector| connector.id == id)
}

/// Every shape, by name.
pub fn shapes() -> &'static [Shape] {
    &CATALOG.shapes
}

/// Every revision, by name.
pub fn revisions() -> &'static [Revision] {
    &CATALOG.revisions
}

impl Connector {
    /// The policies at `revision`, or at the default revision for `None`; `None` when the
    /// connector has no such revision.
    pub fn policies(&self, revision: Option<&str>) -> Option<&Policies> {
        match revision {
            None => self.revisions.first(),
            Some(name) => self
                .revisions
                .iter()
                .find(|p| p.revision.as_deref() == Some(name)),
        }
    }

    /// The names of the documented revisions, the default first.
    pub fn revision_names(&self) -> Vec<&str> {
        self.revisions
            .iter()
            .filter_map(|p| p.revision.as_deref())
            .collect()
    }

    /// The optional parts the connector documents at any revision, in [`Part::ALL`] order.
    pub fn parts(&self) -> Vec<Part> {
        parts_of(self.revisions.iter())
    }

    /// The service that assumes the role, from the trust policy's principal:
    /// `Amazon Q Business` or `Amazon Kendra`.
    pub fn service(&self) -> &'static str {
        let principal = self.revisions[0]
            .trust_policy
            .statements
            .iter()
            .find_map(|s| s.principal_service.as_deref());
        match principal {
            Some("kendra.amazonaws.com") => "Amazon Kendra",
            _ => "Amazon Q Business",
        }
    }
}

/// The optional parts the policies document, in [`Part::ALL`] order.
fn parts_of<'a>(policies: impl Iterator<Item = &'a Policies>) -> Vec<Part> {
    let present: BTreeSet<Part> = policies
        .flat_map(|p| &p.permission_policy.statements)
        .filter_map(|s| s.part)
        .collect();
    Part::ALL
        .into_iter()
        .filter(|part| present.contains(part))
        .collect()
}

impl Policies {
    /// The optional parts documented at this revision, in [`Part::ALL`] order.
    pub fn parts(&self) -> Vec<Part> {
        parts_of(std::iter::once(self))
    }

    /// The fields the policies reference when `parts` are turned on.
    pub fn fields(&self, parts: &[Part]) -> BTreeSet<Field> {
        self.permission_policy
            .statements
            .iter()
            .filter(|s| s.part.is_none_or(|part| parts.contains(&part)))
            .chain(&self.trust_policy.statements)
            .flat_map(Statement::strings)
            .flat_map(|interp| interp.fields())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_loads_with_a_known_shape_and_revisions() {
        assert_eq!(all().len(), 47);
        for connector in all() {
            assert!(!connector.revisions.is_empty(), "{}", connector.id);
            assert!(
                shapes().iter().any(|s| s.name == connector.shape),
                "{}",
                connector.id
            );
            for policies in &connector.revisions {
                assert!(!policies.trust_policy.statements.is_empty());
                let sids: Vec<_> = policies
                    .permission_policy
                    .statements
                    .iter()
                    .filter_map(|s| s.sid.as_deref())
                    .collect();
                let unique: BTreeSet<_> = sids.iter().collect();
                assert_eq!(unique.len(), sids.len(), "{}: Sids repeat", connector.id);
            }
        }
    }

    #[test]
    fn rds_mysql_has_the_documented_shape_and_two_revisions() {
        let connector = find("rds-mysql").unwrap();
        assert_eq!(
            connector.revision_names(),
            ["index-only", "application-and-index"]
        );
        let default = connector.policies(None).unwrap();
        assert_eq!(default.permission_policy.statements.len(), 10);
        let vpc = default
            .permission_policy
            .statements
            .iter()
            .filter(|s| s.part == Some(Part::Vpc))
            .count();
        assert_eq!(vpc, 5);
        assert_eq!(default.trust_policy.statements.len(), 1);
        assert_eq!(connector.parts(), [Part::Vpc]);
        assert!(connector.policies(Some("latest")).is_none());
    }

    #[test]
    fn revisions_differ_only_in_the_ingest_statement() {
        let connector = find("rds-mysql").unwrap();
        let [old, new] = [Some("index-only"), Some("application-and-index")]
            .map(|r| &connector.policies(r).unwrap().permission_policy.statements);
        let differing: Vec<_> = old
            .iter()
            .zip(new)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.sid.as_deref())
            .collect();
        assert_eq!(differing, [Some("AllowsAmazonQToIngestDocuments")]);
    }

    #[test]
    fn shared_shapes_give_identical_policies() {
        let policy = |id| &find(id).unwrap().policies(None).unwrap().permission_policy;
        assert_eq!(policy("rds-postgresql"), policy("sharepoint-server-2019"));
        assert_eq!(policy("salesforce"), policy("zendesk"));
        assert_ne!(policy("salesforce"), policy("rds-postgresql"));
    }

    #[test]
    fn a_connector_documented_twice_has_a_revision_per_page() {
        let drive = find("google-drive").unwrap();
        assert_eq!(
            drive.revision_names(),
            ["new-connector", "original-connector"]
        );
        let [new, original] =
            [None, Some("original-connector")].map(|r| drive.policies(r).unwrap());
        assert_eq!(new.shape, "new-connector");
        assert!(new.page.ends_with("/googledrive-v2-iam-role.html"));
        assert_eq!(new.parts(), []);
        assert_eq!(original.shape, "cloud");
        assert!(original.page.ends_with("/googledrive-v1-iam-role.html"));
        assert_eq!(original.parts(), [Part::Vpc]);
        assert_eq!(drive.parts(), [Part::Vpc]);
        let box_policy = &find("box")
            .unwrap()
            .policies(None)
            .unwrap()
            .permission_policy;
        assert_eq!(&original.permission_policy, box_policy);
        assert_eq!(
            new.permission_policy,
            find("microsoft-onedrive")
                .unwrap()
                .policies(None)
                .unwrap()
                .permission_policy
        );
    }

    #[test]
    fn every_status_comes_from_its_listing() {
        use crate::model::status::Status;
        let count = |status| all().iter().filter(|c| c.listed.status == status).count();
        assert_eq!(count(Status::Preview), 2);
        assert_eq!(count(Status::Legacy), 13 + 5 + 1);
        assert_eq!(count(Status::Current), 47 - 2 - 19);
        assert_eq!(
            find("rds-mysql").unwrap().listed.entry,
            "Amazon RDS (MySQL)"
        );
    }

    #[test]
    fn sid_overrides_and_parts_apply() {
        let s3 = find("s3").unwrap();
        let statements = &s3.policies(None).unwrap().permission_policy.statements;
        let sid = |i: usize| statements[i].sid.as_deref();
        assert_eq!(sid(3), Some("AllowsAmazonQToCallPrincipalMappingAPIs"));
        assert_eq!(statements[4].part, Some(Part::EncryptedDocuments));
        assert_eq!(s3.parts(), [Part::Vpc, Part::EncryptedDocuments]);
        let kendra = find("kendra-s3").unwrap();
        assert_eq!(kendra.revision_names(), Vec::<&str>::new());
        assert_eq!(kendra.service(), "Amazon Kendra");
        assert!(
            kendra.policies(None).unwrap().permission_policy.statements[0]
                .sid
                .is_none()
        );
    }
}
