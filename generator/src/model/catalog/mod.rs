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

mod load;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::model::field::Field;
pub use crate::model::policy::Part;
use crate::model::policy::{PolicyDocument, Statement};
use crate::model::status::Listed;
use load::CATALOG;

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
