//! [`Builder`]: a spec built field by field by any front end, every field checked by its
//! rule and every problem collected with its path.

use super::properties::{self, PolicyKind, ROLE_TAGS, RoleProperties, Tag};
use super::rules::{self, ROLE_NAME, SPEC_NAME};
use crate::error::{SpecError, SpecErrors};
use crate::model::catalog::{self, Connector, Part, Policies};
use crate::model::field::Field;
use std::collections::BTreeMap;

use super::data_source::DataSourceSpec;
use super::{Bound, RoleSpec, limits};

/// A data source as a front end read it, before it is checked.
#[derive(Debug, Default)]
pub struct DataSourceInput<'a> {
    /// `display_name`, when given.
    pub display_name: Option<&'a str>,
    /// `description`, when given.
    pub description: Option<&'a str>,
    /// `sync_schedule`, when given.
    pub sync_schedule: Option<&'a str>,
    /// `variant`, when given.
    pub variant: Option<&'a str>,
    /// `tags`, each key with its value, in the order written.
    pub tags: Vec<(&'a str, &'a str)>,
    /// `configuration`, `{}` when not given.
    pub configuration: serde_json::Map<String, serde_json::Value>,
}

/// Builds a [`RoleSpec`] field by field, collecting every error instead of stopping at the
/// first. Front ends name each field by its path in their own syntax.
#[derive(Debug)]
pub struct Builder {
    connector: Option<&'static Connector>,
    name: String,
    role_name: Option<String>,
    description: Option<String>,
    revision: Option<(String, String)>,
    properties: RoleProperties,
    /// Where the permissions boundary was given, and its partition, for the partition check.
    boundary: Option<(String, String)>,
    values: BTreeMap<Field, Bound>,
    /// Where each bound field was given, for cross-field errors.
    paths: BTreeMap<Field, String>,
    parts: Vec<Part>,
    /// Where each part was turned on, for errors.
    part_paths: BTreeMap<Part, String>,
    data_source: Option<DataSourceSpec>,
    errors: Vec<SpecError>,
}

impl Builder {
    /// Starts a spec for `connector`, named `name`, with an optional IAM role name.
    pub fn new(connector: &str, name: &str, role_name: Option<&str>) -> Builder {
        let mut errors = Vec::new();
        let found = catalog::find(connector);
        if found.is_none() {
            errors.push(SpecError {
                path: "connector".into(),
                value: Some(connector.into()),
                rule: unknown_connector(connector),
            });
        }
        for (path, rule, value) in [
            ("name", &SPEC_NAME, Some(name)),
            ("role_name", &ROLE_NAME, role_name),
        ] {
            if let Some(Err(violation)) = value.map(|v| rules::matches(rule, v)) {
                errors.push(SpecError {
                    path: path.into(),
                    value: value.map(Into::into),
                    rule: violation.0,
                });
            }
        }
        Builder {
            connector: found,
            name: name.to_owned(),
            role_name: role_name.map(str::to_owned),
            description: None,
            revision: None,
            properties: RoleProperties::default(),
            boundary: None,
            values: BTreeMap::new(),
            paths: BTreeMap::new(),
            parts: Vec::new(),
            part_paths: BTreeMap::new(),
            data_source: None,
            errors,
        }
    }

    /// Chooses the documented revision named `name` (at `path`); checked against the
    /// connector's revisions when the spec is finished.
    pub fn revision(&mut self, path: &str, name: &str) {
        self.revision = Some((path.to_owned(), name.to_owned()));
    }

    /// Turns on the optional part named `name` (at `path`), an element of `include`.
    pub fn include(&mut self, path: &str, name: &str) {
        match Part::from_name(name).filter(|part| *part != Part::Vpc) {
            Some(part) => {
                self.part(part);
                self.part_paths.insert(part, path.to_owned());
            }
            None if name == Part::Vpc.name() => self.error(
                path,
                Some(name),
                "is turned on by the `vpc` key, which also takes the subnet and security group IDs"
                    .into(),
            ),
            None => {
                let known: Vec<_> = Part::ALL[1..].iter().map(|p| p.name()).collect();
                self.error(
                    path,
                    Some(name),
                    format!(
                        "is not an optional part (expected one of {})",
                        known.join(", ")
                    ),
                )
            }
        }
    }

    /// Sets the role's description (at `path`), as IAM limits it.
    pub fn description(&mut self, path: &str, text: &str) {
        match rules::check_description(text) {
            Ok(()) => self.description = Some(text.to_owned()),
            Err(violation) => self.error(path, Some(text), violation.0),
        }
    }

    /// Sets the role's IAM path (at `path`).
    pub fn path(&mut self, path: &str, role_path: &str) {
        match properties::check_path(role_path) {
            Ok(()) => self.properties.path = Some(role_path.to_owned()),
            Err(violation) => self.error(path, Some(role_path), violation.0),
        }
    }

    /// Whether `count` tags (at `path`) fit on a role; an error when not, so that the tags'
    /// own rules are not checked one by one for a map IAM refuses whole.
    pub fn tags_fit(&mut self, path: &str, count: usize) -> bool {
        match properties::check_tag_count(count, ROLE_TAGS) {
            Ok(()) => true,
            Err(violation) => {
                self.error(path, None, violation.0);
                false
            }
        }
    }

    /// Adds the tag `key` (its value at `path`), after the tags added before it.
    pub fn tag(&mut self, path: &str, key: &str, value: &str) {
        match properties::check_tag(key, value, &self.properties.tags, ROLE_TAGS) {
            Ok(()) => self.properties.tags.push(Tag {
                key: key.to_owned(),
                value: value.to_owned(),
            }),
            Err((rule, shown)) => self.error(path, Some(shown), rule),
        }
    }

    /// Sets the ARN of the role's permissions boundary (at `path`).
    pub fn permissions_boundary(&mut self, path: &str, arn: &str) {
        match properties::check_permissions_boundary(arn) {
            Ok(partition) => {
                self.properties.permissions_boundary = Some(arn.to_owned());
                self.boundary = Some((path.to_owned(), partition.to_owned()));
            }
            Err(violation) => self.error(path, Some(arn), violation.0),
        }
    }

    /// Sets the role's longest session, in seconds (at `path`).
    pub fn max_session_duration(&mut self, path: &str, seconds: u64) {
        match properties::check_max_session_duration(seconds) {
            Ok(seconds) => self.properties.max_session_duration = Some(seconds),
            Err(violation) => self.error(path, Some(&seconds.to_string()), violation.0),
        }
    }

    /// Chooses where the permission policy lives, by the kind's name (at `path`).
    pub fn policy(&mut self, path: &str, kind: &str) {
        match PolicyKind::from_name(kind) {
            Ok(kind) => self.properties.policy = kind,
            Err(violation) => self.error(path, Some(kind), violation.0),
        }
    }

    /// Turns on an optional part.
    pub fn part(&mut self, part: Part) {
        if !self.parts.contains(&part) {
            self.parts.push(part);
        }
    }

    /// Binds the scalar field named `key` (at `path`) to `value`.
    pub fn scalar(&mut self, path: &str, key: &str, value: &str) {
        let Some(field) = Field::from_name(key).filter(|f| !f.is_list()) else {
            let scalars: Vec<_> = Field::ALL
                .iter()
                .filter(|f| !f.is_list())
                .map(|f| f.name())
                .collect();
            self.error(
                path,
                None,
                format!(
                    "is not a known value (expected one of {})",
                    scalars.join(", ")
                ),
            );
            return;
        };
        match rules::check(field, value) {
            Ok(value) => {
                self.values.insert(field, Bound::One(value));
                self.paths.insert(field, path.to_owned());
            }
            Err(violation) => self.error(path, Some(value), violation.0),
        }
    }

    /// Binds the list `field` (at `path`) to `values`.
    pub fn list(&mut self, path: &str, field: Field, values: &[String]) {
        if values.is_empty() {
            let rule = format!(
                "must list at least one ID (for example [\"{}\"])",
                field.rule().example
            );
            self.error(path, None, rule);
            return;
        }
        let most = field.most_elements();
        if values.len() > most {
            let rule = format!(
                "lists {} IDs; a data source takes at most {most}",
                values.len()
            );
            self.error(path, None, rule);
            return;
        }
        let mut checked = Vec::with_capacity(values.len());
        let mut seen = std::collections::HashSet::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            let path = format!("{path}[{i}]");
            match rules::check(field, value) {
                Ok(_) if !seen.insert(value.as_str()) => {
                    self.error(&path, Some(value), "is listed twice".into())
                }
                Ok(value) => checked.push(value),
                Err(violation) => self.error(&path, Some(value), violation.0),
            }
        }
        self.values.insert(field, Bound::List(checked));
        self.paths.insert(field, path.to_owned());
    }

    /// Declares the data source that uses the role; checked when the spec is finished
    /// (against the connector's documented schema), its display name defaulting to the spec's
    /// name.
    pub fn data_source(&mut self, input: DataSourceInput<'_>) {
        let tags = input
            .tags
            .into_iter()
            .map(|(key, value)| Tag {
                key: key.to_owned(),
                value: value.to_owned(),
            })
            .collect();
        self.data_source = Some(DataSourceSpec {
            display_name: input.display_name.unwrap_or(&self.name).to_owned(),
            description: input.description.map(str::to_owned),
            sync_schedule: input.sync_schedule.map(str::to_owned),
            variant: input.variant.map(str::to_owned),
            tags,
            configuration: input.configuration,
        });
    }

    /// Records a problem at `path`: the value given, if any, and the rule it breaks.
    pub fn error(&mut self, path: &str, value: Option<&str>, rule: String) {
        self.errors.push(SpecError {
            path: path.into(),
            value: value.map(Into::into),
            rule,
        });
    }

    /// The spec, or every error found, with the cross-field rules checked.
    pub fn finish(mut self) -> Result<RoleSpec, SpecErrors> {
        self.check_partition_matches_region();
        self.check_boundary_partition();
        let policies = self.connector.and_then(|c| self.check_revision(c));
        if let (Some(connector), Some(policies)) = (self.connector, policies) {
            self.check_parts_are_documented(connector, policies);
            self.check_values_are_used(connector, policies);
        }
        match self.connector {
            Some(connector) if self.errors.is_empty() => {
                let spec = RoleSpec {
                    connector,
                    name: self.name,
                    role_name: self.role_name,
                    description: self.description,
                    revision: self.revision.map(|(_, name)| name),
                    properties: self.properties,
                    values: self.values,
                    parts: self.parts,
                    data_source: self.data_source,
                };
                limits::check(&spec).map_err(|error| SpecErrors(vec![error]))?;
                let data_source_errors = spec
                    .data_source
                    .as_ref()
                    .map_or_else(Vec::new, |data_source| data_source.check(&spec));
                if data_source_errors.is_empty() {
                    Ok(spec)
                } else {
                    Err(SpecErrors(data_source_errors))
                }
            }
            _ => Err(SpecErrors(self.errors)),
        }
    }

    /// A revision must be one the connector's page went through, or there is no policy to
    /// emit.
    fn check_revision(&mut self, connector: &'static Connector) -> Option<&'static Policies> {
        let name = self.revision.as_ref().map(|(_, name)| name.as_str());
        let policies = connector.policies(name);
        if let (None, Some((path, name))) = (policies, self.revision.clone()) {
            let known = connector.revision_names();
            let rule = if known.is_empty() {
                format!(
                    "is not a revision of {}: its page was never revised",
                    connector.id
                )
            } else {
                format!(
                    "is not a revision of {} (expected one of {})",
                    connector.id,
                    known.join(", ")
                )
            };
            self.error(&path, Some(&name), rule);
        }
        policies
    }

    /// A part the connector's page does not document would emit nothing: say so.
    fn check_parts_are_documented(&mut self, connector: &Connector, policies: &Policies) {
        let documented = policies.parts();
        for part in self.parts.clone() {
            if documented.contains(&part) {
                continue;
            }
            let path = self
                .part_paths
                .get(&part)
                .cloned()
                .unwrap_or_else(|| part.name().to_owned());
            let known: Vec<_> = documented.iter().map(|p| p.name()).collect();
            let elsewhere: Vec<&str> = connector
                .revisions
                .iter()
                .filter(|other| other.parts().contains(&part))
                .filter_map(|other| other.revision.as_deref())
                .collect();
            let (revision, hint) = match (&policies.revision, elsewhere.is_empty()) {
                (Some(revision), false) => (
                    format!(" at revision {revision}"),
                    format!("; revision {} documents it", elsewhere.join(", ")),
                ),
                _ => (String::new(), String::new()),
            };
            let rule = format!(
                "is not an optional part of {}{revision} (it documents: {}){hint}",
                connector.id,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            );
            self.error(&path, Some(part.name()), rule);
        }
    }

    /// A bound value the role's policies never use is a mistake: a value meant for another
    /// connector, or for a part left off.
    fn check_values_are_used(&mut self, connector: &Connector, policies: &Policies) {
        let used = policies.fields(&self.parts);
        let everywhere = policies.fields(&policies.parts());
        let unused: Vec<Field> = self
            .values
            .keys()
            .copied()
            .filter(|field| !used.contains(field))
            .collect();
        for field in unused {
            let rule = match policies
                .parts()
                .into_iter()
                .find(|part| policies.fields(&[*part]).contains(&field))
            {
                Some(Part::Vpc) => {
                    "is used only when the role runs in a VPC: add the `vpc` key".to_owned()
                }
                Some(part) => {
                    format!("is used only by the optional part {part}: add \"{part}\" to `include`")
                }
                None => {
                    let names: Vec<_> = everywhere.iter().map(|f| f.name()).collect();
                    format!(
                        "is not used by {}'s policies (they use {})",
                        connector.id,
                        names.join(", ")
                    )
                }
            };
            let path = self.paths[&field].clone();
            self.error(&path, None, rule);
        }
    }

    /// A bound region must lie in the bound partition, or its ARNs name nothing.
    fn check_partition_matches_region(&mut self) {
        if let (Some(Bound::One(partition)), Some(Bound::One(region))) = (
            self.values.get(&Field::Partition),
            self.values.get(&Field::Region),
        ) {
            let expected = rules::partition_of_region(region);
            if partition != expected {
                let rule = format!("is not the partition of region {region} (expected {expected})");
                let partition = partition.clone();
                let path = self.paths[&Field::Partition].clone();
                self.error(&path, Some(&partition), rule);
            }
        }
    }

    /// A bound partition, or a bound region's, must be the permissions boundary's: IAM
    /// rejects a boundary from another partition.
    fn check_boundary_partition(&mut self) {
        let Some((path, boundary)) = self.boundary.clone() else {
            return;
        };
        let deployment = match (
            self.values.get(&Field::Partition),
            self.values.get(&Field::Region),
        ) {
            (Some(Bound::One(partition)), _) => partition.clone(),
            (_, Some(Bound::One(region))) => rules::partition_of_region(region).to_owned(),
            _ => return,
        };
        if boundary != deployment {
            let rule = format!("is in partition {boundary}, but the role is in {deployment}");
            let arn = self.properties.permissions_boundary.clone();
            self.error(&path, arn.as_deref(), rule);
        }
    }
}

/// The rule for an unknown connector: the closest documented names, and where to find all.
fn unknown_connector(name: &str) -> String {
    // No documented name is near one this long: skip the quadratic distance.
    if name.chars().count() > 64 {
        return "is not a documented connector (see `connector-roles list`)".to_owned();
    }
    let mut ranked: Vec<(usize, &str)> = catalog::all()
        .iter()
        .map(|c| (strsim::levenshtein(name, &c.id), c.id.as_str()))
        .collect();
    ranked.sort();
    let close: Vec<&str> = ranked
        .iter()
        .take_while(|(distance, _)| *distance <= 3)
        .take(3)
        .map(|(_, id)| *id)
        .collect();
    let count = catalog::all().len();
    if close.is_empty() {
        format!("is not a documented connector (`connector-roles list` names all {count})")
    } else {
        format!(
            "is not a documented connector (did you mean {}? `connector-roles list` names all {count})",
            close.join(", ")
        )
    }
}
