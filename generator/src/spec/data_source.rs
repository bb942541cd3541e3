//! The Amazon Q Business data source a spec declares beside its role, and its configuration
//! checked against the connector's documented schema.
//!
//! The user writes the connector's own fields under `configuration`, with AWS's keys; what
//! the role already determines is filled ([`filled`]): `type` (and `dbType` for the JDBC
//! family) from the catalog, and every secret ARN field from the role's secret (partition,
//! region, account and `secret_id`, open where the role leaves them open). A filled field the
//! user also gives must agree. The application, the index, the role ARN and the VPC are the
//! resource's own properties, taken from the role's values when rendered.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use crate::error::SpecError;
use crate::model::data_source::{self, DataSourceSchema};
use crate::model::field::Field;
use crate::model::interp::{Idiom, Interp, Piece};
use crate::model::policy::Item;
use crate::model::policy::Part;
use crate::model::tree::Documented;
use crate::model::tree::{Key, Node};
use crate::spec::RoleSpec;
use crate::spec::properties::{self, DATA_SOURCE_TAGS, Tag};
use crate::spec::rules::check_not_a_cdk_token;

/// The data source a spec declares.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSourceSpec {
    /// Its display name (CloudFormation's `DisplayName`); the spec's name when not given.
    pub display_name: String,
    /// Its description.
    pub description: Option<String>,
    /// AWS's `cron(...)` or `rate(...)` schedule; empty or absent: synchronized on demand.
    pub sync_schedule: Option<String>,
    /// Which of the connector's data source connectors, where AWS documents two (Gmail,
    /// Microsoft Exchange, Microsoft Teams): `original` (when absent) or `new`.
    pub variant: Option<String>,
    /// The data source's tags, in the order declared (CloudFormation's `Tags`).
    pub tags: Vec<Tag>,
    /// The connector's own fields, with AWS's keys, as the user wrote them.
    pub configuration: Map<String, Value>,
}

/// A configuration value, as the user wrote it or filled from the role.
#[derive(Debug, Clone, PartialEq)]
pub enum Config<'a> {
    /// A number, boolean or null the user wrote.
    Literal(&'a Value),
    /// A string the user wrote, or the catalog's `type` and `dbType`.
    Text(&'a str),
    /// A secret ARN from the role's values; open references stay open.
    Filled(Item),
    /// A list.
    List(Vec<Config<'a>>),
    /// An object, keys in the user's order, filled keys after them.
    Object(Vec<(&'a str, Config<'a>)>),
}

/// `^[a-zA-Z0-9][a-zA-Z0-9_-]*$`, 1 to 1,000 characters: CloudFormation's `DisplayName`.
static DISPLAY_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{0,999}$").expect("a valid regex"));

/// AWS's schedule expressions: `cron(` six fields `)` or `rate(` a number and a unit `)`.
static SCHEDULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(cron\(\S+( \S+){5}\)|rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\))$")
        .expect("a valid regex")
});

/// The secret's ARN as the role's policy names it, with the spec's values bound.
fn secret_arn(spec: &RoleSpec) -> Interp {
    Interp::parse("arn:{{partition}}:secretsmanager:{{region}}:{{account_id}}:secret:[[secret_id]]")
        .bind(|f| spec.scalar(f))
}

impl DataSourceSpec {
    /// Every problem of the data source of `spec`: its own rules, a filled field given
    /// otherwise, and every violation of the connector's documented schema, each at its
    /// path (`data_source.configuration/additionalProperties/sqlQuery`).
    pub fn check(&self, spec: &RoleSpec) -> Vec<SpecError> {
        let mut errors = Vec::new();
        let mut error = |path: &str, value: Option<&str>, rule: String| {
            errors.push(SpecError {
                path: format!("data_source{path}"),
                value: value.map(str::to_owned),
                rule,
            });
        };
        if !DISPLAY_NAME.is_match(&self.display_name) {
            error(
                ".display_name",
                Some(&self.display_name),
                "must be 1 to 1,000 letters, digits, `_` and `-`, starting with a letter or digit (CloudFormation's DisplayName: no spaces or dots), for example orders-mysql".into(),
            );
        }
        if let Some(description) = &self.description {
            if description.chars().count() > 1000 {
                error(
                    ".description",
                    None,
                    "must be at most 1,000 characters".into(),
                );
            } else if let Err(violation) = check_not_a_cdk_token(description) {
                error(".description", Some(description), violation.0);
            }
        }
        for (pointer, text) in object_texts(&self.configuration, "") {
            if let Err(violation) = check_not_a_cdk_token(&text) {
                error(
                    &format!(".configuration{pointer}"),
                    Some(&text),
                    violation.0,
                );
            }
        }
        if let Some(schedule) = &self.sync_schedule
            && !schedule.is_empty()
            && !SCHEDULE.is_match(schedule)
        {
            error(
                ".sync_schedule",
                Some(schedule),
                "must be AWS's cron(Minutes Hours Day-of-month Month Day-of-week Year) or rate(N minutes|hours|days), or empty to synchronize on demand; for example cron(0 3 * * ? *)".into(),
            );
        }
        match properties::check_tag_count(self.tags.len(), DATA_SOURCE_TAGS) {
            Ok(()) => {
                for (i, tag) in self.tags.iter().enumerate() {
                    if let Err((rule, shown)) = properties::check_tag(
                        &tag.key,
                        &tag.value,
                        &self.tags[..i],
                        DATA_SOURCE_TAGS,
                    ) {
                        error(&format!(".tags.{}", tag.key), Some(shown), rule);
                    }
                }
            }
            Err(violation) => error(".tags", None, violation.0),
        }
        let schema = match self.schema(spec) {
            Ok(schema) => schema,
            Err((path, rule)) => {
                error(path, self.variant.as_deref(), rule);
                return errors;
            }
        };
        if !schema.takes_vpc && spec.parts.contains(&Part::Vpc) {
            error(
                ".variant",
                self.variant.as_deref(),
                format!(
                    "takes no VPC configuration: AWS documents that the {} connector handles its VPC itself (\"{}\"); leave out `vpc`, or use the original connector",
                    schema.variant.as_deref().unwrap_or_default(),
                    schema.title
                ),
            );
        }
        for (path, given, rule) in disagreements(schema, spec, &self.configuration) {
            error(&format!(".configuration{path}"), Some(&given), rule);
        }
        let concrete = to_json(&filled(schema, spec, &self.configuration), &Examples);
        for violation in schema.violations(&concrete) {
            error(
                &format!(".configuration{}", violation.pointer),
                None,
                format!(
                    "{} (the documented schema's {})",
                    violation.message, violation.schema_pointer
                ),
            );
        }
        errors
    }
}

impl DataSourceSpec {
    /// What every format prints of the data source of `spec`: its application and index (the
    /// role's values, open where they are open) and its configuration, the user's with what the
    /// role determines filled in; `None` while the spec is being checked and the data source
    /// names no documented schema (a checked spec's always does).
    pub fn resolve<'a>(&'a self, spec: &RoleSpec) -> Option<Resolved<'a>> {
        let schema = self.schema(spec).ok()?;
        let bound = |documented: &str| Interp::parse(documented).bind(|f| spec.scalar(f));
        Some(Resolved {
            application_id: bound("{{application_id}}"),
            index_id: bound("{{index_id}}"),
            configuration: filled(schema, spec, &self.configuration),
        })
    }
}

impl DataSourceSpec {
    /// The documented schema of the data source's connector (of the variant it names), or
    /// the path and rule of why there is none.
    pub fn schema(&self, spec: &RoleSpec) -> Result<&'static DataSourceSchema, (&str, String)> {
        let id = &spec.connector.id;
        let schema = data_source::find(id).ok_or_else(|| {
            (
                "",
                format!(
                    "{id} has no documented configuration schema, so no data source can be checked for it"
                ),
            )
        })?;
        schema.variant(self.variant.as_deref()).map_err(|names| {
            let rule = if names.is_empty() {
                format!("{id} has one documented data source connector: leave out `variant`")
            } else {
                let each: Vec<String> = schema
                    .all()
                    .map(|s| {
                        format!(
                            "{} (type {})",
                            s.variant.as_deref().unwrap_or_default(),
                            s.type_value
                        )
                    })
                    .collect();
                format!(
                    "must be one of {id}'s data source connectors: {}",
                    each.join(", ")
                )
            };
            (".variant", rule)
        })
    }
}

/// A data source resolved against its role: what the renderers print.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// The application's ID.
    pub application_id: Interp,
    /// The index's ID.
    pub index_id: Interp,
    /// The configuration, filled.
    pub configuration: Config<'a>,
}

impl Config<'_> {
    /// The configuration as a tree every format's printer prints: the user's strings and
    /// keys as text (escaped by the printer), filled values as code of the format.
    pub fn node(&self) -> Node<'_> {
        match self {
            Config::Literal(value) => Node::Literal(value),
            Config::Text(text) => Node::Text(text),
            Config::Filled(item) => Node::Item(item),
            Config::List(items) => Node::List(items.iter().map(Config::node).collect()),
            Config::Object(entries) => Node::Object(
                entries
                    .iter()
                    .map(|(key, value)| (Key::Data(key), value.node()))
                    .collect(),
            ),
        }
    }
}

/// The user's configuration with what the role determines filled in.
fn filled<'a>(
    schema: &'static DataSourceSchema,
    spec: &RoleSpec,
    given: &'a Map<String, Value>,
) -> Config<'a> {
    let mut root = object(given);
    set(&mut root, &["type"], Config::Text(&schema.type_value));
    if let Some(db_type) = &schema.db_type {
        set(
            &mut root,
            &[
                "connectionConfiguration",
                "repositoryEndpointMetadata",
                "dbType",
            ],
            Config::Text(db_type),
        );
    }
    for path in secret_fields(schema, spec, given) {
        set(
            &mut root,
            &path,
            Config::Filled(Item::One(secret_arn(spec))),
        );
    }
    Config::Object(root)
}

/// The secret fields the role fills: each the schema documents when the role may read a
/// secret, a nested one only where its parent object is written or required (the new
/// connectors' `connectionConfiguration.secretArn`, not an optional proxy's secret).
fn secret_fields<'s>(
    schema: &'s DataSourceSchema,
    spec: &RoleSpec,
    given: &Map<String, Value>,
) -> Vec<Vec<&'s str>> {
    let reads_secret = spec
        .policies()
        .fields(&spec.parts)
        .contains(&Field::SecretId);
    schema
        .secret_fields
        .iter()
        .map(|dotted| dotted.split('.').collect::<Vec<_>>())
        .filter(|path| {
            reads_secret
                && (path.len() == 1
                    || lookup(given, &path[..path.len() - 1]).is_some_and(Value::is_object)
                    || required(&schema.schema, path))
        })
        .collect()
}

/// Whether every object on `path` is required by its parent in `schema`.
fn required(schema: &Value, path: &[&str]) -> bool {
    let mut here = schema;
    for key in path {
        let listed = here["required"]
            .as_array()
            .is_some_and(|list| list.iter().any(|name| name == key));
        if !listed {
            return false;
        }
        here = &here["properties"][key];
    }
    true
}

/// Filled fields the user wrote otherwise: the pointer, the value given and the rule.
fn disagreements(
    schema: &DataSourceSchema,
    spec: &RoleSpec,
    given: &Map<String, Value>,
) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let text = |value: &Value| {
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned)
    };
    if let Some(value) = given.get("type")
        && value.as_str() != Some(&schema.type_value)
    {
        let other = data_source::find(&spec.connector.id)
            .into_iter()
            .flat_map(DataSourceSchema::all)
            .find(|s| value.as_str() == Some(&s.type_value));
        let hint = match other.and_then(|s| s.variant.as_deref()) {
            Some(variant) => format!(", or set `variant` to \"{variant}\" for that connector"),
            None => String::new(),
        };
        found.push((
            "/type".into(),
            text(value),
            format!(
                "is not {}'s type: its data source is of type {:?} (leave `type` out: it is filled{hint})",
                spec.connector.id, schema.type_value
            ),
        ));
    }
    if let Some(db_type) = &schema.db_type {
        let path = [
            "connectionConfiguration",
            "repositoryEndpointMetadata",
            "dbType",
        ];
        if let Some(value) = lookup(given, &path)
            && value.as_str() != Some(db_type)
        {
            found.push((
                format!("/{}", path.join("/")),
                text(value),
                format!(
                    "is not {}'s database type {db_type:?} (leave `dbType` out: it is filled)",
                    spec.connector.id
                ),
            ));
        }
    }
    let filled = secret_fields(schema, spec, given);
    for dotted in &schema.secret_fields {
        let path: Vec<&str> = dotted.split('.').collect();
        let Some(value) = lookup(given, &path) else {
            continue;
        };
        let pointer = format!("/{}", path.join("/"));
        let rule = if !filled.contains(&path) {
            "names a secret the role may not read: the role grants secretsmanager:GetSecretValue on none (for a connector whose secret is optional, add \"secret\" to `include`)".to_owned()
        } else {
            let arn = secret_arn(spec);
            if value
                .as_str()
                .is_some_and(|text| names_same_secret(&arn, text))
            {
                continue;
            }
            format!(
                "is not the secret the role may read ({}): leave it out, it is filled from values.secret_id",
                arn.render(&Documented)
            )
        };
        found.push((pointer, text(value), rule));
    }
    found
}

/// Whether `text` is the secret ARN `arn` with each open value written as some value (no
/// colon): the role's secret wherever the open values are the ones written. The filled
/// value is the role's either way.
fn names_same_secret(arn: &Interp, text: &str) -> bool {
    let mut pattern = String::from("^");
    for piece in arn.pieces() {
        match piece {
            Piece::Text(literal) => pattern.push_str(&regex::escape(literal)),
            Piece::Ref(_) => pattern.push_str("[^:]+"),
        }
    }
    pattern.push('$');
    Regex::new(&pattern).is_ok_and(|regex| regex.is_match(text))
}

/// Every key and string of `value` (under the JSON pointer `at`), each with the pointer of
/// the value it is or names.
fn texts(value: &Value, at: &str) -> Vec<(String, String)> {
    match value {
        Value::String(text) => vec![(at.to_owned(), text.clone())],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| texts(item, &format!("{at}/{i}")))
            .collect(),
        Value::Object(map) => object_texts(map, at),
        _ => Vec::new(),
    }
}

/// [`texts`] of an object: each key, then the texts of its value.
fn object_texts(map: &Map<String, Value>, at: &str) -> Vec<(String, String)> {
    map.iter()
        .flat_map(|(key, item)| {
            let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
            let mut found = vec![(pointer.clone(), key.clone())];
            found.extend(texts(item, &pointer));
            found
        })
        .collect()
}

/// The value at `path` of `given`.
fn lookup<'v>(given: &'v Map<String, Value>, path: &[&str]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let mut value = given.get(*first)?;
    for key in rest {
        value = value.as_object()?.get(*key)?;
    }
    Some(value)
}

/// `value` as a configuration value the user wrote.
fn config(value: &Value) -> Config<'_> {
    match value {
        Value::String(text) => Config::Text(text),
        Value::Array(items) => Config::List(items.iter().map(config).collect()),
        Value::Object(map) => Config::Object(object(map)),
        literal => Config::Literal(literal),
    }
}

/// The user's object, keys in order.
fn object(map: &Map<String, Value>) -> Vec<(&str, Config<'_>)> {
    map.iter().map(|(k, v)| (k.as_str(), config(v))).collect()
}

/// Sets `path` under `entries` to `value`, creating the objects on the way.
fn set<'a>(entries: &mut Vec<(&'a str, Config<'a>)>, path: &[&'a str], value: Config<'a>) {
    let Some((key, rest)) = path.split_first() else {
        return;
    };
    let index = match entries.iter().position(|(k, _)| k == key) {
        Some(index) => index,
        None => {
            let empty = if rest.is_empty() {
                Config::Literal(&Value::Null)
            } else {
                Config::Object(Vec::new())
            };
            entries.push((key, empty));
            entries.len() - 1
        }
    };
    if rest.is_empty() {
        entries[index].1 = value;
    } else if let Config::Object(inner) = &mut entries[index].1 {
        set(inner, rest, value);
    }
}

/// The configuration as JSON, each filled value printed with `idiom`: [`Examples`] for the
/// schema check (an open value is checked by its own rule when bound), the documentation's
/// placeholders for the JSON artifact.
pub fn to_json(config: &Config, idiom: &impl Idiom) -> Value {
    match config {
        Config::Literal(value) => (*value).clone(),
        Config::Text(text) => Value::String((*text).to_owned()),
        Config::Filled(item) => Value::String(item.interp().render(idiom)),
        Config::List(items) => {
            Value::Array(items.iter().map(|item| to_json(item, idiom)).collect())
        }
        Config::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), to_json(v, idiom)))
                .collect(),
        ),
    }
}

/// Prints every open reference as its rule's example.
pub struct Examples;

impl Idiom for Examples {
    fn text(&self, out: &mut String, text: &str) {
        out.push_str(text);
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.push_str(field.rule().example);
    }
}
