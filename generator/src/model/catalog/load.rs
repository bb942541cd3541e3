//! Reading the catalog's files: their formats, and the resolution of shapes, blocks and
//! revisions into each connector's policies.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;

use super::{CheckovSkip, Connector, Policies, Revision, Shape};
use crate::model::field::Field;
use crate::model::policy::{Part, PolicyDocument, Statement};
use crate::model::status::StatusEntry;

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

/// The catalog, read from its files.
pub(super) struct Catalog {
    pub(super) connectors: Vec<Connector>,
    pub(super) shapes: Vec<Shape>,
    pub(super) revisions: Vec<Revision>,
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("catalog/{file}: {e}"))
}

pub(super) static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let definitions: BTreeMap<String, Definition> = parse(
        "statements.json",
        include_str!("../../../catalog/statements.json"),
    );
    let shapes: BTreeMap<String, ShapeEntry> =
        parse("shapes.json", include_str!("../../../catalog/shapes.json"));
    let revisions: BTreeMap<String, RevisionEntry> = parse(
        "revisions.json",
        include_str!("../../../catalog/revisions.json"),
    );
    let entries: Vec<ConnectorEntry> = parse(
        "connectors.json",
        include_str!("../../../catalog/connectors.json"),
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
