//! The JSON spec: [`RoleSpec::from_json`] reads one (serde, then every field through the
//! spec's [`Builder`], every problem reported at once with its path), and
//! [`RoleSpec::to_json`] writes one back; [`duplicate_keys`] finds the keys serde keeps only
//! the last of; [`read`] locates each problem in the text.

pub mod duplicate_keys;
mod locate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Location, SpecError, SpecErrors};
use crate::model::catalog::Part;
use crate::model::field::Field;
use crate::spec::properties::PolicyKind;
use crate::spec::{Bound, Builder, DataSourceInput, RoleSpec};

/// The JSON spec, as written.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct JsonSpec {
    connector: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    tags: serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions_boundary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_session_duration: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    values: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    include: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vpc: Option<JsonVpc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_source: Option<JsonDataSource>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct JsonDataSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_schedule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<String>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    tags: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    configuration: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct JsonVpc {
    #[serde(skip_serializing_if = "Option::is_none")]
    subnet_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    security_group_ids: Option<Vec<String>>,
}

/// Reads and validates the JSON spec `text`, each problem located at the value it names
/// (or at the deepest part of its path the text has); a problem with the whole text, such as
/// a syntax error (whose message says where), has no location.
pub fn read(text: &str) -> Result<RoleSpec, Vec<Diagnostic>> {
    let errors = match RoleSpec::from_json(text) {
        Ok(spec) => return Ok(spec),
        Err(errors) => errors.0,
    };
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    let places = locate::locate_all(text, &paths);
    Err(errors
        .into_iter()
        .zip(places)
        .map(|(error, place)| Diagnostic {
            location: place
                .filter(|_| !error.path.is_empty())
                .map(|(line, column)| Location { line, column }),
            message: error.to_string(),
        })
        .collect())
}

impl RoleSpec {
    /// Reads and validates a JSON spec, reporting every problem found.
    pub fn from_json(text: &str) -> Result<RoleSpec, SpecErrors> {
        let json: JsonSpec = serde_json::from_str(text).map_err(|e| {
            SpecErrors(vec![SpecError {
                path: String::new(),
                value: None,
                rule: e.to_string(),
            }])
        })?;
        let mut builder = Builder::new(&json.connector, &json.name, json.role_name.as_deref());
        if let Some(description) = &json.description {
            builder.description("description", description);
        }
        if let Some(revision) = &json.revision {
            builder.revision("revision", revision);
        }
        properties(&mut builder, &json);
        for path in duplicate_keys::find(text) {
            builder.error(
                &path,
                None,
                "is given twice; each key of a JSON object is given once".into(),
            );
        }
        for (key, value) in &json.values {
            builder.scalar(&format!("values.{key}"), key, value);
        }
        for (i, part) in json.include.iter().enumerate() {
            builder.include(&format!("include[{i}]"), part);
        }
        if let Some(vpc) = &json.vpc {
            builder.part(Part::Vpc);
            for (field, list) in [
                (Field::SubnetIds, &vpc.subnet_ids),
                (Field::SecurityGroupIds, &vpc.security_group_ids),
            ] {
                if let Some(list) = list {
                    builder.list(&format!("vpc.{field}"), field, list);
                }
            }
        }
        if let Some(data_source) = json.data_source {
            let mut tags = Vec::new();
            for (key, value) in &data_source.tags {
                match value.as_str() {
                    Some(value) => tags.push((key.as_str(), value)),
                    None => builder.error(
                        &format!("data_source.tags.{key}"),
                        None,
                        "must be a string (a tag's value)".into(),
                    ),
                }
            }
            builder.data_source(DataSourceInput {
                display_name: data_source.display_name.as_deref(),
                description: data_source.description.as_deref(),
                sync_schedule: data_source.sync_schedule.as_deref(),
                variant: data_source.variant.as_deref(),
                tags,
                configuration: data_source.configuration,
            });
        }
        builder.finish()
    }

    /// The spec as a JSON spec that [`RoleSpec::from_json`] reads back as the same spec.
    pub fn to_json(&self) -> String {
        let values = self
            .values
            .iter()
            .filter_map(|(field, bound)| match bound {
                Bound::One(value) => Some((field.name().to_owned(), value.clone())),
                Bound::List(_) => None,
            })
            .collect();
        let vpc = self.parts.contains(&Part::Vpc).then(|| JsonVpc {
            subnet_ids: self.list(Field::SubnetIds).map(<[String]>::to_vec),
            security_group_ids: self.list(Field::SecurityGroupIds).map(<[String]>::to_vec),
        });
        let json = JsonSpec {
            connector: self.connector.id.clone(),
            name: self.name.clone(),
            role_name: self.role_name.clone(),
            description: self.description.clone(),
            path: self.properties.path.clone(),
            tags: self
                .properties
                .tags
                .iter()
                .map(|tag| (tag.key.clone(), tag.value.clone().into()))
                .collect(),
            permissions_boundary: self.properties.permissions_boundary.clone(),
            max_session_duration: self.properties.max_session_duration.map(Into::into),
            policy: (self.properties.policy != PolicyKind::default())
                .then(|| self.properties.policy.name().to_owned()),
            revision: self.revision.clone(),
            values,
            include: self
                .parts
                .iter()
                .filter(|part| **part != Part::Vpc)
                .map(|part| part.name().to_owned())
                .collect(),
            vpc,
            data_source: self.data_source.as_ref().map(|data_source| JsonDataSource {
                display_name: Some(data_source.display_name.clone()),
                description: data_source.description.clone(),
                sync_schedule: data_source.sync_schedule.clone(),
                variant: data_source.variant.clone(),
                tags: data_source
                    .tags
                    .iter()
                    .map(|tag| (tag.key.clone(), tag.value.clone().into()))
                    .collect(),
                configuration: data_source.configuration.clone(),
            }),
        };
        serde_json::to_string_pretty(&json).expect("specs serialize")
    }
}

/// The role properties of a JSON spec, whose JSON types are checked here.
fn properties(builder: &mut Builder, json: &JsonSpec) {
    if let Some(role_path) = &json.path {
        builder.path("path", role_path);
    }
    let fit = builder.tags_fit("tags", json.tags.len());
    for (key, value) in json.tags.iter().filter(|_| fit) {
        let path = format!("tags.{key}");
        match value.as_str() {
            Some(value) => builder.tag(&path, key, value),
            None => builder.error(&path, None, "must be a string (a tag's value)".into()),
        }
    }
    if let Some(arn) = &json.permissions_boundary {
        builder.permissions_boundary("permissions_boundary", arn);
    }
    match json.max_session_duration.as_ref().map(|v| (v, v.as_u64())) {
        Some((_, Some(seconds))) => builder.max_session_duration("max_session_duration", seconds),
        Some((value, None)) => builder.error(
            "max_session_duration",
            Some(&value.to_string()),
            "must be a whole number of seconds, for example 7200".into(),
        ),
        None => {}
    }
    if let Some(kind) = &json.policy {
        builder.policy("policy", kind);
    }
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::error::Location;

    #[test]
    fn each_problem_is_located_at_its_value() {
        let text = "{\n  \"connector\": \"rds-mysql\",\n  \"name\": \"orders\",\n  \"values\": { \"account_id\": \"12345\" }\n}";
        let diagnostics = read(text).unwrap_err();
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let diagnostic = &diagnostics[0];
        assert_eq!(
            diagnostic.location,
            Some(Location {
                line: 4,
                column: 29
            })
        );
        assert!(
            diagnostic
                .message
                .starts_with("values.account_id: \"12345\"")
        );
        let shown = diagnostic.show("spec.json", text);
        assert!(
            shown.starts_with("spec.json:4:29: values.account_id"),
            "{shown}"
        );
        let caret = format!("| {}^", " ".repeat(28));
        assert!(shown.ends_with(&caret), "{shown}");
        // Not JSON at all: the message says where, the diagnostic has no location.
        let broken = read("{").unwrap_err();
        assert_eq!(broken[0].location, None);
        assert!(broken[0].show("spec.json", "{").starts_with("spec.json: "));
    }
}
