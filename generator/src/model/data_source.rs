//! The configuration AWS documents for each connector's data source: the JSON schema of
//! `CreateDataSource`'s `configuration` (CloudFormation's `AWS::QBusiness::DataSource`
//! `Configuration`), its `type` value, and the fields that hold a Secrets Manager ARN, from
//! `generator/catalog/data-sources/<id>.json` (copied from the research with each page's
//! source and notes).
//!
//! The pages' schemas are draft-04 JSON Schema, with three oddities, decided once and applied
//! to every schema alike ([`normalize`]):
//!
//! - a schema without `$schema` is read as draft-04, as every page that names one does (the
//!   new-generation connectors' pages name draft-07, and are read as draft-07);
//! - a property schema written beside `properties` instead of inside it (`version` on most
//!   pages) is moved inside: AWS documents it as a property, and a validator would otherwise
//!   ignore it;
//! - a `required` list written inside `properties` (Slack, ServiceNow, Microsoft Teams) is
//!   the object's `required` list: as written it would be a property named `required`;
//! - an empty `required` list (the JDBC pages' `repositoryConfigurations`), which draft-04
//!   forbids, is dropped: it requires nothing either way.
//!
//! Each schema is compiled once per process, the first time a spec asks for it.

use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

use serde::Deserialize;
use serde_json::{Map, Value};

/// The documented configuration of one connector's data source.
#[derive(Debug)]
pub struct DataSourceSchema {
    /// The connector's catalog id.
    pub connector: String,
    /// The title of the page that documents the schema.
    pub title: String,
    /// The address of that page.
    pub page: String,
    /// The `type` value the configuration must hold: `JDBC`, `BOX`.
    pub type_value: String,
    /// The database type of a JDBC connector (`dbType`): `mysql`.
    pub db_type: Option<String>,
    /// The fields that hold the secret's ARN, dotted from the configuration's root:
    /// `secretArn`, `additionalProperties.proxy.secretArn`.
    pub secret_fields: Vec<String>,
    /// The schema, normalized.
    pub schema: Value,
    /// The page's example configuration, where it gives one.
    pub example: Option<Value>,
    /// What the research noted reading the page.
    pub notes: Option<String>,
    /// Which of the connector's data source connectors this is, where AWS documents more
    /// than one (Gmail, Microsoft Exchange, Microsoft Teams): `original` or `new`.
    pub variant: Option<String>,
    /// Whether the data source takes a VPC configuration: not the new Gmail connector, which
    /// its IAM page says handles its VPC itself.
    pub takes_vpc: bool,
    /// The connector's other documented data source connectors (the new generation).
    pub variants: Vec<DataSourceSchema>,
    validator: OnceLock<jsonschema::Validator>,
}

#[derive(Deserialize)]
struct Entry {
    connector: String,
    #[serde(flatten)]
    documented: Documented,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    variants: Vec<Documented>,
}

/// What a page documents of one data source connector: the entry's own, or a variant's.
#[derive(Deserialize)]
struct Documented {
    title: String,
    source: Source,
    #[serde(rename = "type")]
    type_value: String,
    #[serde(default)]
    db_type: Option<String>,
    #[serde(default)]
    secret_fields: Vec<String>,
    schema: Value,
    #[serde(default)]
    example: Option<Value>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default = "yes")]
    takes_vpc: bool,
}

fn yes() -> bool {
    true
}

impl Documented {
    fn schema(
        self,
        connector: &str,
        notes: Option<String>,
        variants: Vec<DataSourceSchema>,
    ) -> DataSourceSchema {
        DataSourceSchema {
            connector: connector.to_owned(),
            title: self.title,
            page: self.source.url,
            type_value: self.type_value,
            db_type: self.db_type,
            secret_fields: self.secret_fields,
            schema: normalize(self.schema),
            example: self.example,
            notes,
            variant: self.variant,
            takes_vpc: self.takes_vpc,
            variants,
            validator: OnceLock::new(),
        }
    }
}

#[derive(Deserialize)]
struct Source {
    url: String,
}

/// Every connector with a documented configuration schema, and its file.
macro_rules! schema_files {
    ($($id:literal),* $(,)?) => {
        [$(($id, include_str!(concat!("../../catalog/data-sources/", $id, ".json")))),*]
    };
}

/// The connectors with a documented schema: every Amazon Q Business connector but
/// `generic-data-source`, Google Drive and Microsoft OneDrive (whose pages give none).
pub const FILES: [(&str, &str); 37] = schema_files![
    "aem-cloud",
    "alfresco-server",
    "asana",
    "aurora-mysql",
    "aurora-postgresql",
    "box",
    "confluence-cloud",
    "confluence-server",
    "dropbox",
    "fsx-windows",
    "github-cloud",
    "github-server",
    "gmail",
    "google-calendar",
    "ibm-db2",
    "jira",
    "microsoft-exchange",
    "microsoft-teams",
    "ms-sql-server",
    "mysql",
    "oracle-database",
    "postgresql",
    "rds-ms-sql-server",
    "rds-mysql",
    "rds-oracle",
    "rds-postgresql",
    "s3",
    "salesforce",
    "servicenow",
    "sharepoint-online",
    "sharepoint-server-2016",
    "sharepoint-server-2019",
    "sharepoint-server-subscription",
    "slack",
    "smartsheet",
    "web-crawler",
    "zendesk",
];

static SCHEMAS: LazyLock<BTreeMap<&'static str, DataSourceSchema>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(id, text)| {
            let entry: Entry = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("catalog/data-sources/{id}.json: {e}"));
            assert_eq!(entry.connector, *id, "catalog/data-sources/{id}.json");
            let variants = entry
                .variants
                .into_iter()
                .map(|variant| variant.schema(id, None, Vec::new()))
                .collect();
            (*id, entry.documented.schema(id, entry.notes, variants))
        })
        .collect()
});

/// The documented configuration schema of `connector`'s data source, if AWS gives one.
pub fn find(connector: &str) -> Option<&'static DataSourceSchema> {
    SCHEMAS.get(connector)
}

/// One way a configuration breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The JSON pointer of the offending value (of the object, for a missing key):
    /// `/additionalProperties/sqlQuery`.
    pub pointer: String,
    /// The rule broken, with the allowed values: `"x" is not one of "a" or "b"`.
    pub message: String,
    /// Where in the schema the rule is: `/properties/syncMode/enum`.
    pub schema_pointer: String,
}

impl DataSourceSchema {
    /// This connector's documented data source connectors: this one, then its variants.
    pub fn all(&self) -> impl Iterator<Item = &DataSourceSchema> {
        std::iter::once(self).chain(&self.variants)
    }

    /// The variant named `name` (`original`, `new`), or this one when `name` is `None`; the
    /// names there are when there is no such variant.
    pub fn variant(&self, name: Option<&str>) -> Result<&DataSourceSchema, Vec<&str>> {
        let Some(name) = name else {
            return Ok(self);
        };
        self.all()
            .find(|schema| schema.variant.as_deref() == Some(name))
            .ok_or_else(|| self.all().filter_map(|s| s.variant.as_deref()).collect())
    }

    /// Every way `configuration` breaks the schema, ordered by pointer; none when it holds.
    pub fn violations(&self, configuration: &Value) -> Vec<Violation> {
        let validator = self.validator.get_or_init(|| {
            let declared = self.schema.get("$schema").and_then(Value::as_str);
            let compiled = if declared.is_some_and(|uri| uri.contains("draft-07")) {
                jsonschema::draft7::new(&self.schema)
            } else {
                jsonschema::draft4::new(&self.schema)
            };
            compiled
                .unwrap_or_else(|e| panic!("{}: the schema does not compile: {e}", self.connector))
        });
        let mut violations: Vec<Violation> = validator
            .iter_errors(configuration)
            .map(|error| Violation {
                pointer: error.instance_path().to_string(),
                message: error.to_string(),
                schema_pointer: error.schema_path().to_string(),
            })
            .collect();
        violations.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        violations
    }
}

/// JSON Schema's own keywords: any other key beside `properties` is a misplaced property.
const KEYWORDS: [&str; 34] = [
    "$schema",
    "$ref",
    "id",
    "$id",
    "title",
    "description",
    "default",
    "type",
    "enum",
    "const",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "items",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "patternProperties",
    "additionalProperties",
    "required",
    "minProperties",
    "maxProperties",
    "dependencies",
    "definitions",
    "allOf",
    "anyOf",
];

/// The schema with the pages' oddities read as AWS means them (see the module's docs).
pub fn normalize(mut schema: Value) -> Value {
    normalize_in_place(&mut schema);
    schema
}

fn normalize_in_place(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if matches!(object.get("required"), Some(Value::Array(list)) if list.is_empty()) {
                object.remove("required");
            }
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                if let Some(Value::Array(required)) = properties.remove("required") {
                    let list = object
                        .entry("required")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(list) = list {
                        for name in required {
                            if !list.contains(&name) {
                                list.push(name);
                            }
                        }
                    }
                }
                let misplaced: Vec<String> = object
                    .iter()
                    .filter(|(key, value)| {
                        !KEYWORDS.contains(&key.as_str())
                            && !matches!(key.as_str(), "oneOf" | "not")
                            && value.is_object()
                    })
                    .map(|(key, _)| key.clone())
                    .collect();
                let mut moved = Map::new();
                for key in misplaced {
                    if let Some(value) = object.remove(&key) {
                        moved.insert(key, value);
                    }
                }
                if let Some(Value::Object(properties)) = object.get_mut("properties") {
                    for (key, value) in moved {
                        properties.entry(key).or_insert(value);
                    }
                }
            }
            object.values_mut().for_each(normalize_in_place);
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_in_place),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_schema_loads_and_compiles() {
        let mut variants = Vec::new();
        for (id, _) in FILES {
            for schema in find(id).unwrap().all() {
                assert!(!schema.type_value.is_empty(), "{id}");
                let violations = schema.violations(&json!({}));
                assert!(
                    !violations.is_empty(),
                    "{id}: an empty configuration passes"
                );
                if let Some(name) = &schema.variant {
                    variants.push(format!("{id} {name} {}", schema.type_value));
                }
            }
        }
        assert_eq!(
            variants,
            [
                "gmail original GMAIL",
                "gmail new GMAILV2",
                "microsoft-exchange original MSEXCHANGE",
                "microsoft-exchange new MSEXCHANGEV2",
                "microsoft-teams original MSTEAMS",
                "microsoft-teams new MSTEAMSV2",
            ]
        );
        assert!(find("google-drive").is_none());
    }

    /// The pages' examples hold against their schemas, but the three SharePoint Server ones,
    /// whose `authType` "OAuth2" the server schema does not allow (`OAuth2App`, `NTLM`,
    /// `Kerberos`), and the new Exchange connector's, whose `<placeholders>` are no ARN and
    /// no tenant ID.
    #[test]
    fn the_documented_examples_hold_but_sharepoint_servers_and_new_exchange() {
        let mut checked = 0;
        for (id, _) in FILES {
            for schema in find(id).unwrap().all() {
                let Some(example) = &schema.example else {
                    continue;
                };
                checked += 1;
                let pointers: Vec<String> = schema
                    .violations(example)
                    .into_iter()
                    .map(|v| v.pointer)
                    .collect();
                let expected: &[&str] = match (id, schema.variant.as_deref()) {
                    (server, _) if server.starts_with("sharepoint-server-") => &[
                        "/connectionConfiguration/repositoryEndpointMetadata/repositoryAdditionalProperties/authType",
                    ],
                    ("microsoft-exchange", Some("new")) => &[
                        "/connectionConfiguration/secretArn",
                        "/connectionConfiguration/tenantId",
                        "/connectionConfiguration/tenantId",
                    ],
                    _ => &[],
                };
                assert_eq!(pointers, expected, "{id} {:?}", schema.variant);
            }
        }
        assert_eq!(checked, 16);
    }

    #[test]
    fn variants_are_found_by_name() {
        let gmail = find("gmail").unwrap();
        assert_eq!(gmail.variant(None).unwrap().type_value, "GMAIL");
        assert_eq!(gmail.variant(Some("new")).unwrap().type_value, "GMAILV2");
        assert!(!gmail.variant(Some("new")).unwrap().takes_vpc);
        assert_eq!(gmail.variant(Some("v3")).unwrap_err(), ["original", "new"]);
        assert!(
            find("box")
                .unwrap()
                .variant(Some("new"))
                .unwrap_err()
                .is_empty()
        );
    }

    #[test]
    fn misplaced_keys_are_read_as_aws_means_them() {
        let schema = normalize(json!({
            "type": "object",
            "properties": { "a": { "type": "string" }, "required": ["a"] },
            "version": { "type": "string", "pattern": "1.0.0" },
            "required": ["b"]
        }));
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {
                    "a": { "type": "string" },
                    "version": { "type": "string", "pattern": "1.0.0" }
                },
                "required": ["b", "a"]
            })
        );
    }

    #[test]
    fn violations_name_the_pointer_and_the_rule() {
        let schema = find("rds-mysql").unwrap();
        let violations = schema.violations(&json!({
            "type": "JDBC",
            "syncMode": "SOMETIMES",
            "secretArn": "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf",
            "connectionConfiguration": { "repositoryEndpointMetadata": {
                "dbType": "mysql", "dbHost": "h", "dbPort": "3306", "dbInstance": "i" } },
            "repositoryConfigurations": {},
            "additionalProperties": { "primaryKey": "id", "titleColumn": "t", "bodyColumn": "b",
                "sqlQuery": "SELECT 1;" },
            "version": "2.0.0"
        }));
        let pointers: Vec<&str> = violations.iter().map(|v| v.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/additionalProperties/sqlQuery", "/syncMode", "/version"],
            "{violations:?}"
        );
        assert!(
            violations[1].message.contains("\"FORCED_FULL_CRAWL\""),
            "{violations:?}"
        );
    }
}
