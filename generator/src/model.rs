//! The format-neutral policy model every renderer prints.
//!
//! A [`PolicyDocument`] keeps the documentation's shape: a key written as one string stays
//! [`OneOrMany::One`], a list stays [`OneOrMany::Many`], so the JSON output reads like the
//! AWS page. Strings are [`Interp`]s; a resource that takes one element of a list field is a
//! [`Resource::Each`], emitted once per element in every format.

use serde_json::Value;

use crate::field::Field;
use crate::interp::Interp;

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

/// One entry of a statement's `Resource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// One ARN (or `*`).
    One(Interp),
    /// One ARN per element of the open list field; the string references that field.
    Each(Field, Interp),
}

/// One key of a statement's `Condition`: `"StringEquals": {"aws:SourceAccount": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The condition operator, such as `StringEquals` or `ForAllValues:StringEquals`.
    pub operator: String,
    /// The condition key, such as `aws:SourceAccount`.
    pub key: String,
    /// The value or values compared.
    pub values: OneOrMany<Interp>,
}

/// One policy statement with its documented Sid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The documented statement ID.
    pub sid: String,
    /// `Allow` (the documentation has no `Deny`, but the model keeps what it reads).
    pub effect: String,
    /// The service principal of a trust policy statement.
    pub principal_service: Option<String>,
    /// The actions.
    pub actions: OneOrMany<String>,
    /// The resources (absent in a trust policy).
    pub resources: Option<OneOrMany<Resource>>,
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

impl PolicyDocument {
    /// Reads a documented policy, placeholders and all, into the model.
    pub fn from_documented(json: &Value) -> Result<PolicyDocument, ModelError> {
        let version = string(json, "Version")?.to_owned();
        let statements = json
            .get("Statement")
            .and_then(Value::as_array)
            .ok_or_else(|| ModelError("Statement must be a list".into()))?
            .iter()
            .map(Statement::from_documented)
            .collect::<Result<_, _>>()?;
        Ok(PolicyDocument {
            version,
            statements,
        })
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
        self.statements.iter().flat_map(|statement| {
            let resources = statement
                .resources
                .iter()
                .flat_map(|r| r.items())
                .map(|r| match r {
                    Resource::One(interp) | Resource::Each(_, interp) => interp,
                });
            let conditions = statement.conditions.iter().flat_map(|c| c.values.items());
            resources.chain(conditions)
        })
    }
}

impl Statement {
    fn from_documented(json: &Value) -> Result<Statement, ModelError> {
        let sid = string(json, "Sid")?.to_owned();
        let effect = string(json, "Effect")?.to_owned();
        let principal_service = json
            .get("Principal")
            .map(|p| string(p, "Service").map(str::to_owned))
            .transpose()?;
        let actions = one_or_many(json, "Action")?
            .ok_or_else(|| ModelError(format!("{sid}: Action is missing")))?
            .map(|action| (*action).to_owned());
        let resources = one_or_many(json, "Resource")?.map(|resources| {
            resources.map(|documented| {
                let interp = Interp::parse(documented);
                match interp.list_field() {
                    Some(field) => Resource::Each(field, interp),
                    None => Resource::One(interp),
                }
            })
        });
        let mut conditions = Vec::new();
        if let Some(operators) = json.get("Condition").and_then(Value::as_object) {
            for (operator, keys) in operators {
                let keys = keys
                    .as_object()
                    .ok_or_else(|| ModelError(format!("{sid}: {operator} must be an object")))?;
                for (key, values) in keys {
                    let values = one_or_many_value(values)
                        .ok_or_else(|| ModelError(format!("{sid}: {key} must hold strings")))?
                        .map(|value| Interp::parse(value));
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
            effect,
            principal_service,
            actions,
            resources,
            conditions,
        })
    }

    /// `bind` maps each string to its bound form; a string over a bound list field maps to
    /// one string per element.
    fn bind(&self, bind: &impl Fn(&Interp) -> Vec<Interp>) -> Statement {
        let resources = self.resources.as_ref().map(|resources| {
            let items = resources
                .items()
                .iter()
                .flat_map(|resource| match resource {
                    Resource::One(interp) => bind(interp).into_iter().map(Resource::One).collect(),
                    Resource::Each(_, interp) => bind(interp)
                        .into_iter()
                        .map(|bound| match bound.list_field() {
                            Some(field) => Resource::Each(field, bound),
                            None => Resource::One(bound),
                        })
                        .collect::<Vec<_>>(),
                });
            match resources {
                OneOrMany::One(_) => {
                    let mut items: Vec<Resource> = items.collect();
                    if items.len() == 1 {
                        OneOrMany::One(items.remove(0))
                    } else {
                        OneOrMany::Many(items)
                    }
                }
                OneOrMany::Many(_) => OneOrMany::Many(items.collect()),
            }
        });
        let conditions = self
            .conditions
            .iter()
            .map(|condition| Condition {
                values: condition.values.map(|value| bind(value).remove(0)),
                ..condition.clone()
            })
            .collect();
        Statement {
            resources,
            conditions,
            ..self.clone()
        }
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
