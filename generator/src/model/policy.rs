//! The format-neutral policy model every renderer prints.
//!
//! A [`PolicyDocument`] keeps the documentation's shape: a key written as one string stays
//! [`OneOrMany::One`], a list stays [`OneOrMany::Many`], so the JSON output reads like the
//! AWS page. Strings are [`Interp`]s; a resource or condition value that takes one element
//! of a list field is an [`Item::Each`], emitted once per element in every format. Each
//! statement remembers the optional [`Part`] it belongs to, if any.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::model::field::Field;
use crate::model::interp::Interp;

/// A value the documentation writes either as one item or as a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OneOrMany<T> {
    /// Written as a single item.
    One(T),
    /// Written as a list.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The items, whichever way they are written.
    pub fn items(&self) -> &[T] {
        match self {
            OneOrMany::One(item) => std::slice::from_ref(item),
            OneOrMany::Many(items) => items,
        }
    }

    /// Whether the documentation writes a list.
    pub fn is_list(&self) -> bool {
        matches!(self, OneOrMany::Many(_))
    }

    /// The same shape with each item mapped.
    pub fn map<U>(&self, f: impl FnMut(&T) -> U) -> OneOrMany<U> {
        match self {
            OneOrMany::One(item) => {
                OneOrMany::One(std::iter::once(item).map(f).next().expect("one"))
            }
            OneOrMany::Many(items) => OneOrMany::Many(items.iter().map(f).collect()),
        }
    }
}

/// One entry of a statement's `Resource`, or one value of a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// One string: an ARN, `*`, or a condition value.
    One(Interp),
    /// One string per element of the open list field; the string references that field.
    Each(Field, Interp),
}

impl Item {
    /// The item of a documented string: [`Item::Each`] when it takes one element of a list.
    fn of(interp: Interp) -> Item {
        match interp.list_field() {
            Some(field) => Item::Each(field, interp),
            None => Item::One(interp),
        }
    }

    /// The string, whichever kind of item it is.
    pub fn interp(&self) -> &Interp {
        match self {
            Item::One(interp) | Item::Each(_, interp) => interp,
        }
    }
}

/// An optional group of statements that a spec turns on: a page documents it "if you use"
/// something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The EC2 statements a connector needs when it runs in a VPC (the spec's `vpc` key).
    Vpc,
    /// The secret, for a data source that needs authentication.
    Secret,
    /// The KMS key of a secret encrypted with a customer managed key.
    EncryptedSecret,
    /// Objects in the input bucket: an SSL or app-only certificate, seed URLs, sitemaps.
    InputBucket,
    /// The KMS key of encrypted documents in the data source bucket.
    EncryptedDocuments,
}

impl Part {
    /// Every part, in the order users see them.
    pub const ALL: [Part; 5] = [
        Part::Vpc,
        Part::Secret,
        Part::EncryptedSecret,
        Part::InputBucket,
        Part::EncryptedDocuments,
    ];

    /// The part's name in a spec's `include` list: `encrypted_secret`.
    pub fn name(self) -> &'static str {
        match self {
            Part::Vpc => "vpc",
            Part::Secret => "secret",
            Part::EncryptedSecret => "encrypted_secret",
            Part::InputBucket => "input_bucket",
            Part::EncryptedDocuments => "encrypted_documents",
        }
    }

    /// The part named `name`.
    pub fn from_name(name: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|part| part.name() == name)
    }

    /// When the documentation asks for the part.
    pub fn description(self) -> &'static str {
        match self {
            Part::Vpc => "the connector runs in an Amazon VPC",
            Part::Secret => "the data source needs authentication with a Secrets Manager secret",
            Part::EncryptedSecret => "the secret is encrypted with a customer managed KMS key",
            Part::InputBucket => {
                "the connector reads objects from S3 (a certificate, seed URLs, sitemaps)"
            }
            Part::EncryptedDocuments => "the documents in the bucket are encrypted with KMS",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One key of a statement's `Condition`: `"StringEquals": {"aws:SourceAccount": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The condition operator, such as `StringEquals` or `ForAllValues:StringEquals`.
    pub operator: String,
    /// The condition key, such as `aws:SourceAccount`.
    pub key: String,
    /// The value or values compared.
    pub values: OneOrMany<Item>,
}

/// One policy statement with its documented Sid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The documented statement ID (Amazon Kendra's pages document none).
    pub sid: Option<String>,
    /// The optional part the statement belongs to; `None` when it is always granted.
    pub part: Option<Part>,
    /// `Allow` (the documentation has no `Deny`, but the model keeps what it reads).
    pub effect: String,
    /// The service principal of a trust policy statement.
    pub principal_service: Option<String>,
    /// The actions.
    pub actions: OneOrMany<String>,
    /// The resources (absent in a trust policy).
    pub resources: Option<OneOrMany<Item>>,
    /// The conditions, in documented order.
    pub conditions: Vec<Condition>,
}

/// A policy document: the permission policy or the trust policy of a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    /// The policy language version, `2012-10-17`.
    pub version: String,
    /// The statements, in documented order.
    pub statements: Vec<Statement>,
}

/// A policy document in the catalog could not be read into the model.
#[derive(Debug, thiserror::Error)]
#[error("catalog policy: {0}")]
pub struct ModelError(String);

/// The policy language version of every documented policy.
pub const VERSION: &str = "2012-10-17";

impl PolicyDocument {
    /// A document of `statements` in the current policy language.
    pub fn new(statements: Vec<Statement>) -> PolicyDocument {
        PolicyDocument {
            version: VERSION.to_owned(),
            statements,
        }
    }

    /// The document with `keep` deciding which statements stay and `bind` applied to every
    /// string.
    pub fn select_and_bind(
        &self,
        keep: impl Fn(&Statement) -> bool,
        bind: &impl Fn(&Interp) -> Vec<Interp>,
    ) -> PolicyDocument {
        let statements = self
            .statements
            .iter()
            .filter(|statement| keep(statement))
            .map(|statement| statement.bind(bind))
            .collect();
        PolicyDocument {
            version: self.version.clone(),
            statements,
        }
    }

    /// Every string of the document (resources and condition values).
    pub fn strings(&self) -> impl Iterator<Item = &Interp> {
        self.statements.iter().flat_map(Statement::strings)
    }
}

impl Statement {
    /// Reads one documented statement, placeholders and all, as part of `part`.
    pub fn from_documented(json: &Value, part: Option<Part>) -> Result<Statement, ModelError> {
        let sid = json
            .get("Sid")
            .map(|_| string(json, "Sid").map(str::to_owned))
            .transpose()?;
        let effect = string(json, "Effect")?.to_owned();
        let principal_service = json
            .get("Principal")
            .map(|p| string(p, "Service").map(str::to_owned))
            .transpose()?;
        let actions = one_or_many(json, "Action")?
            .ok_or_else(|| ModelError(format!("{sid:?}: Action is missing")))?
            .map(|action| (*action).to_owned());
        let resources = one_or_many(json, "Resource")?
            .map(|resources| resources.map(|documented| Item::of(Interp::parse(documented))));
        let mut conditions = Vec::new();
        if let Some(operators) = json.get("Condition").and_then(Value::as_object) {
            for (operator, keys) in operators {
                let keys = keys
                    .as_object()
                    .ok_or_else(|| ModelError(format!("{sid:?}: {operator} must be an object")))?;
                for (key, values) in keys {
                    let values = one_or_many_value(values)
                        .ok_or_else(|| ModelError(format!("{sid:?}: {key} must hold strings")))?
                        .map(|value| Item::of(Interp::parse(value)));
                    conditions.push(Condition {
                        operator: operator.clone(),
                        key: key.clone(),
                        values,
                    });
                }
            }
        }
        Ok(Statement {
            sid,
            part,
            effect,
            principal_service,
            actions,
            resources,
            conditions,
        })
    }

    /// Every string of the statement (resources and condition values).
    pub fn strings(&self) -> impl Iterator<Item = &Interp> {
        let resources = self.resources.iter().flat_map(OneOrMany::items);
        let conditions = self.conditions.iter().flat_map(|c| c.values.items());
        resources.chain(conditions).map(Item::interp)
    }

    /// The statement's name in messages: its Sid, or `statement N` (counted from 1) without.
    pub fn label(&self, index: usize) -> String {
        self.sid
            .clone()
            .unwrap_or_else(|| format!("statement {}", index + 1))
    }

    /// `bind` maps each string to its bound form; a string over a bound list field maps to
    /// one string per element.
    fn bind(&self, bind: &impl Fn(&Interp) -> Vec<Interp>) -> Statement {
        let conditions = self
            .conditions
            .iter()
            .map(|condition| Condition {
                operator: condition.operator.clone(),
                key: condition.key.clone(),
                values: bind_items(&condition.values, bind),
            })
            .collect();
        Statement {
            sid: self.sid.clone(),
            part: self.part,
            effect: self.effect.clone(),
            principal_service: self.principal_service.clone(),
            actions: self.actions.clone(),
            resources: self.resources.as_ref().map(|r| bind_items(r, bind)),
            conditions,
        }
    }
}

/// The items bound; a single item that binds to several strings becomes a list.
fn bind_items(items: &OneOrMany<Item>, bind: &impl Fn(&Interp) -> Vec<Interp>) -> OneOrMany<Item> {
    let mut bound: Vec<Item> = items
        .items()
        .iter()
        .flat_map(|item| bind(item.interp()).into_iter().map(Item::of))
        .collect();
    match items {
        OneOrMany::One(_) if bound.len() == 1 => OneOrMany::One(bound.remove(0)),
        _ => OneOrMany::Many(bound),
    }
}

fn string<'a>(json: &'a Value, key: &str) -> Result<&'a str, ModelError> {
    json.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| ModelError(format!("{key} must be a string")))
}

fn one_or_many<'a>(json: &'a Value, key: &str) -> Result<Option<OneOrMany<&'a str>>, ModelError> {
    json.get(key)
        .map(|value| {
            one_or_many_value(value).ok_or_else(|| ModelError(format!("{key} must hold strings")))
        })
        .transpose()
}

fn one_or_many_value(value: &Value) -> Option<OneOrMany<&str>> {
    match value {
        Value::String(one) => Some(OneOrMany::One(one.as_str())),
        Value::Array(many) => many
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()
            .map(OneOrMany::Many),
        _ => None,
    }
}
