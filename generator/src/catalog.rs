//! The documented connectors, as data.
//!
//! Each entry is a JSON file under `generator/catalog/`: the AWS page's title and address,
//! its two policies exactly as documented (placeholders included, with `arn:aws:` written
//! `arn:{{partition}}:` so ARNs follow the deployment's partition), and the Sids of the
//! statements that are optional parts (the VPC statements). The files are embedded in the
//! binary and read into the [`model`](crate::model) once.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::model::{PolicyDocument, Statement};

/// An optional group of statements a spec turns on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The EC2 statements a connector needs when it runs in a VPC.
    Vpc,
}

/// One documented connector.
#[derive(Debug)]
pub struct Connector {
    /// The connector's name in specs: `rds-mysql`.
    pub id: String,
    /// The title of its AWS documentation page.
    pub title: String,
    /// The address of that page.
    pub page: String,
    /// The Sids of each optional part's statements.
    pub optional: BTreeMap<Part, Vec<String>>,
    /// The permission policy, as documented.
    pub permission_policy: PolicyDocument,
    /// The trust policy, as documented.
    pub trust_policy: PolicyDocument,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    title: String,
    page: String,
    #[serde(default)]
    optional: BTreeMap<Part, Vec<String>>,
    permission_policy: serde_json::Value,
    trust_policy: serde_json::Value,
}

const ENTRIES: [&str; 1] = [include_str!("../catalog/rds-mysql.json")];

static CATALOG: LazyLock<Vec<Connector>> = LazyLock::new(|| {
    ENTRIES
        .iter()
        .map(|text| {
            let entry: Entry = serde_json::from_str(text).expect("catalog entries are valid JSON");
            let read = |json| {
                PolicyDocument::from_documented(json)
                    .unwrap_or_else(|e| panic!("catalog entry {}: {e}", entry.id))
            };
            Connector {
                permission_policy: read(&entry.permission_policy),
                trust_policy: read(&entry.trust_policy),
                id: entry.id,
                title: entry.title,
                page: entry.page,
                optional: entry.optional,
            }
        })
        .collect()
});

/// Every connector, in catalog order.
pub fn all() -> &'static [Connector] {
    &CATALOG
}

/// The connector named `id`.
pub fn find(id: &str) -> Option<&'static Connector> {
    all().iter().find(|connector| connector.id == id)
}

impl Connector {
    /// The optional part `statement` belongs to, if any.
    pub fn part_of(&self, statement: &Statement) -> Option<Part> {
        self.optional
            .iter()
            .find(|(_, sids)| sids.contains(&statement.sid))
            .map(|(part, _)| *part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_loads_and_names_real_statements() {
        assert!(!all().is_empty());
        for connector in all() {
            for sids in connector.optional.values() {
                for sid in sids {
                    assert!(
                        connector
                            .permission_policy
                            .statements
                            .iter()
                            .any(|s| &s.sid == sid),
                        "{}: optional Sid {sid} is not in the policy",
                        connector.id
                    );
                }
            }
        }
    }

    #[test]
    fn rds_mysql_has_the_documented_shape() {
        let connector = find("rds-mysql").unwrap();
        assert_eq!(connector.permission_policy.statements.len(), 10);
        assert_eq!(connector.optional[&Part::Vpc].len(), 5);
        assert_eq!(connector.trust_policy.statements.len(), 1);
    }
}
