//! Reads the values of a declaration's fields, each of the kind its field takes, and records
//! where each was written, so an error of the spec builder points at the token at fault.

use proc_macro2::Span;
use syn::{Ident, LitInt, LitStr};

use crate::error::SpecErrors;
use crate::front::rust::json::Json;
use crate::front::rust::parse::{Entry, Value};
use crate::model::field::Field;

/// The keys of a declaration.
pub(super) const CONNECTOR: &str = "connector";
pub(super) const NAME: &str = "name";
pub(super) const ROLE_NAME: &str = "role_name";
pub(super) const DESCRIPTION: &str = "description";
pub(super) const REVISION: &str = "revision";
pub(super) const PATH: &str = "path";
pub(super) const TAGS: &str = "tags";
pub(super) const PERMISSIONS_BOUNDARY: &str = "permissions_boundary";
pub(super) const MAX_SESSION_DURATION: &str = "max_session_duration";
pub(super) const POLICY: &str = "policy";
pub(super) const INCLUDE: &str = "include";
pub(super) const VPC: &str = "vpc";
pub(super) const DATA_SOURCE: &str = "data_source";

/// The fields of `data_source: { ... }`.
const DATA_SOURCE_FIELDS: [&str; 6] = [
    "display_name",
    "description",
    "sync_schedule",
    "variant",
    "tags",
    "configuration",
];

/// The fields of `vpc: { ... }`.
pub(super) const VPC_FIELDS: [Field; 2] = [Field::SubnetIds, Field::SecurityGroupIds];

/// A `data_source` block as written: its strings by field, and its configuration.
pub(super) struct DataSourceBlock {
    /// `display_name`, `description`, `sync_schedule`, each with its literal.
    pub(super) strings: Vec<(&'static str, LitStr)>,
    /// `variant: new` (or `"new"`), with its span.
    pub(super) variant: Option<(String, Span)>,
    /// `tags: { "Team": "search" }`, each key and value.
    pub(super) tags: Vec<(LitStr, LitStr)>,
    /// The configuration, `{}` when not written.
    pub(super) configuration: Option<Json>,
}

/// The lists of a `vpc` block: each list field with its literals and the brackets' span.
pub(super) type VpcLists = Vec<(Field, Vec<LitStr>, Span)>;

/// The errors found so far and where each value was written.
#[derive(Default)]
pub(super) struct Checker {
    /// The errors, in the order found.
    pub(super) errors: Vec<syn::Error>,
    /// The span of each value, by the path the builder names it with.
    pub(super) spans: Vec<(String, Span)>,
    /// The span of a literal under a path that names two (a tag's key and value), by the
    /// literal's value, looked up first.
    pub(super) literal_spans: Vec<(String, String, Span)>,
    /// The keys seen so far (with their block's prefix).
    pub(super) seen: Vec<String>,
}

impl Checker {
    /// Records an error at `span`.
    pub(super) fn error(&mut self, span: Span, message: String) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records `key` (under `prefix`); false, with an error, when it was seen before.
    pub(super) fn first(&mut self, key: &Ident, prefix: &str) -> bool {
        let path = format!("{prefix}{key}");
        if self.seen.contains(&path) {
            self.error(key.span(), format!("duplicate field `{key}`"));
            return false;
        }
        self.seen.push(path);
        true
    }

    /// `key: ["a", "b"]`: the literals of a list.
    pub(super) fn list(&mut self, entry: &Entry, example: &str) -> Option<Vec<LitStr>> {
        match &entry.value {
            Value::List(items, _) => Some(items.clone()),
            other => {
                self.error(
                    not_a_string(other),
                    format!("expected a list of strings, as in `{example}`"),
                );
                None
            }
        }
    }

    /// `key: "text"`: a string literal.
    pub(super) fn string(&mut self, entry: &Entry, example: &str) -> Option<LitStr> {
        match &entry.value {
            Value::Str(lit) => Some(lit.clone()),
            other => {
                self.error(
                    other.span(),
                    format!("expected a string literal, as in `{example}`"),
                );
                None
            }
        }
    }

    /// `key: 7200`: an integer literal without suffix.
    pub(super) fn integer(&mut self, entry: &Entry, example: &str) -> Option<LitInt> {
        match &entry.value {
            Value::Int(lit) if lit.suffix().is_empty() => Some(lit.clone()),
            other => {
                self.error(
                    other.span(),
                    format!("expected a number, as in `{example}`"),
                );
                None
            }
        }
    }

    /// `tags: { "Team": "data-platform" }`; `{}` holds no tags.
    /// `path` names them in the builder's errors.
    pub(super) fn tags(&mut self, entry: &Entry, path: &str) -> Option<Vec<(LitStr, LitStr)>> {
        match &entry.value {
            Value::Map(pairs, span) => {
                self.spans.push((path.into(), *span));
                Some(pairs.clone())
            }
            Value::Block(entries, _) if entries.is_empty() => Some(Vec::new()),
            other => {
                self.error(
                    other.span(),
                    "expected tags with string keys, as in `tags: { \"Team\": \"data-platform\" }`"
                        .into(),
                );
                None
            }
        }
    }

    /// `key: word` or `key: "word"`: the text and its span; an error saying `expected` for
    /// any other value.
    pub(super) fn word(&mut self, entry: &Entry, expected: &str) -> Option<(String, Span)> {
        match &entry.value {
            Value::Ident(ident) => Some((ident.to_string(), ident.span())),
            Value::Str(lit) => Some((lit.value(), lit.span())),
            other => {
                self.error(other.span(), format!("expected {expected}"));
                None
            }
        }
    }

    /// `connector: rds_mysql` (or `"rds-mysql"`), as the catalog names it.
    pub(super) fn connector(&mut self, entry: &Entry) -> Option<(String, Span)> {
        let identifier = matches!(entry.value, Value::Ident(_));
        let (name, span) = self.word(entry, "a connector name, as in `connector: rds_mysql`")?;
        Some((
            if identifier {
                name.replace('_', "-")
            } else {
                name
            },
            span,
        ))
    }

    /// `vpc: { subnet_ids: [...], security_group_ids: [...] }`: each list with its literals.
    pub(super) fn vpc(&mut self, entry: &Entry) -> Option<VpcLists> {
        let Value::Block(entries, _) = &entry.value else {
            let example = "vpc: { subnet_ids: [\"subnet-0123456789abcdef0\"], security_group_ids: [\"sg-0123456789abcdef0\"] }";
            self.error(
                entry.value.span(),
                format!("expected a block, as in `{example}`"),
            );
            return None;
        };
        let mut lists = Vec::new();
        for inner in entries {
            if !self.first(&inner.key, "vpc.") {
                continue;
            }
            let key = inner.key.to_string();
            let Some(field) = VPC_FIELDS.into_iter().find(|f| f.name() == key) else {
                let expected: Vec<&str> = VPC_FIELDS.iter().map(|f| f.name()).collect();
                self.error(inner.key.span(), unknown(&key, &expected));
                continue;
            };
            match &inner.value {
                Value::List(items, span) => lists.push((field, items.clone(), *span)),
                other => self.error(
                    not_a_string(other),
                    format!(
                        "expected a list of IDs, as in `{key}: [\"{}\"]`",
                        field.rule().example
                    ),
                ),
            }
        }
        Some(lists)
    }

    /// `data_source: { display_name: "...", configuration: { "syncMode": "FULL_CRAWL" } }`.
    pub(super) fn data_source(&mut self, entry: &Entry) -> Option<DataSourceBlock> {
        let Value::Block(entries, _) = &entry.value else {
            self.error(
                entry.value.span(),
                "expected a block, as in `data_source: { configuration: { \"syncMode\": \"FULL_CRAWL\" } }`".into(),
            );
            return None;
        };
        let mut block = DataSourceBlock {
            strings: Vec::new(),
            variant: None,
            tags: Vec::new(),
            configuration: None,
        };
        for inner in entries {
            if !self.first(&inner.key, "data_source.") {
                continue;
            }
            let key = inner.key.to_string();
            let Some(field) = DATA_SOURCE_FIELDS.into_iter().find(|f| *f == key) else {
                self.error(inner.key.span(), unknown(&key, &DATA_SOURCE_FIELDS));
                continue;
            };
            if field == "variant" {
                block.variant = self.word(inner, "a connector variant, as in `variant: new`");
            } else if field == "tags" {
                block.tags = self
                    .tags(inner, &format!("{DATA_SOURCE}.tags"))
                    .unwrap_or_default();
            } else if field == "configuration" {
                block.configuration = match &inner.value {
                    Value::Json(json @ Json::Object(..)) => Some(json.clone()),
                    Value::Map(pairs, span) => Some(Json::Object(
                        pairs
                            .iter()
                            .map(|(key, value)| (key.clone(), Json::Str(value.clone())))
                            .collect(),
                        *span,
                    )),
                    Value::Block(entries, span) if entries.is_empty() => {
                        Some(Json::Object(Vec::new(), *span))
                    }
                    other => {
                        self.error(
                            other.span(),
                            "expected the connector's configuration with AWS's keys as strings, as in `configuration: { \"syncMode\": \"FULL_CRAWL\" }`".into(),
                        );
                        None
                    }
                };
            } else if let Some(lit) = self.string(inner, &format!("{field}: \"...\"")) {
                block.strings.push((field, lit));
            }
        }
        Some(block)
    }

    /// Records each error of the spec builder at the span of the value it names (the
    /// literal it quotes, where a path names two), else at `fallback`.
    pub(super) fn spec_errors(&mut self, errors: SpecErrors, fallback: Span) {
        for error in errors.0 {
            let span = self
                .literal_spans
                .iter()
                .find(|(path, literal, _)| {
                    *path == error.path && Some(literal) == error.value.as_ref()
                })
                .map(|(_, _, span)| *span)
                .or_else(|| {
                    let mut spans = self.spans.iter();
                    spans
                        .find(|(path, _)| *path == error.path)
                        .map(|(_, span)| *span)
                })
                .unwrap_or(fallback);
            let message = match &error.value {
                Some(value) => format!("invalid `{}`: {value:?} {}", error.path, error.rule),
                None if error.path.is_empty() => error.rule,
                None => format!("invalid `{}`: {}", error.path, error.rule),
            };
            self.error(span, message);
        }
    }
}

/// Where a value that should be a list of strings goes wrong: its first element that is
/// not a string, or the value itself.
fn not_a_string(value: &Value) -> Span {
    match value {
        Value::Json(Json::Array(items, _)) => items
            .iter()
            .find(|item| item.as_str().is_none())
            .map_or_else(|| value.span(), Json::span),
        other => other.span(),
    }
}

/// The error for an unknown field, listing the `expected` ones.
pub(super) fn unknown(key: &str, expected: &[&str]) -> String {
    format!(
        "unknown field `{key}`, expected one of: {}",
        expected.join(", ")
    )
}
