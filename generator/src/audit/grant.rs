//! Policy statements as the audit compares them, read from a JSON policy document or from
//! the catalog's model: every value a flat list of strings, each known or, where a
//! CloudFormation expression could not be resolved, said to be unknown.

use serde_json::Value;

/// The key under which the CloudFormation evaluator leaves what it could not resolve, in
/// place of the value: `{"connector-roles:unresolved": "!GetAtt Bucket.Arn"}`.
pub const UNRESOLVED: &str = "connector-roles:unresolved";

/// One string of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// A string the input gives, or that resolved to one.
    Known(String),
    /// An expression that could not be resolved, described.
    Unresolved(String),
}

impl Text {
    /// The known string.
    pub fn known(&self) -> Option<&str> {
        match self {
            Text::Known(text) => Some(text),
            Text::Unresolved(_) => None,
        }
    }

    /// The string, or the description of what could not be resolved.
    pub fn shown(&self) -> String {
        match self {
            Text::Known(text) => text.clone(),
            Text::Unresolved(what) => format!("<unresolved: {what}>"),
        }
    }
}

/// A list element of a statement that may be written as its negation (`NotAction`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// The values.
    pub values: Vec<Text>,
    /// Whether the statement writes `NotAction` (`NotResource`, `NotPrincipal`): every value
    /// but these.
    pub negated: bool,
}

/// One condition key of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// `StringEquals`, `ArnLike`, ...
    pub operator: String,
    /// `aws:SourceAccount`, ...
    pub key: String,
    /// The values compared.
    pub values: Vec<Text>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The Sid, when there is one.
    pub sid: Option<String>,
    /// `statement N of FILE` or `statement N of policy NAME`, for a statement without Sid.
    pub position: String,
    /// `Allow` or `Deny`.
    pub effect: Text,
    /// The principals, as `Service:qbusiness.amazonaws.com`, `AWS:arn:...` or `*`.
    pub principals: Element,
    /// The actions.
    pub actions: Element,
    /// The resources.
    pub resources: Element,
    /// The conditions.
    pub conditions: Vec<Condition>,
    /// Parts of the statement that could not be resolved (a whole `Condition` block, ...).
    pub unresolved: Vec<String>,
}

impl Grant {
    /// How the statement is named in findings: its Sid, or its position.
    pub fn label(&self) -> String {
        self.sid.clone().unwrap_or_else(|| self.position.clone())
    }
}

/// Reads the statements of a policy document; `origin` names where it comes from in
/// messages (`trust.json`, `policy orders-permissions of Role`).
pub fn read_document(document: &Value, origin: &str) -> Result<Vec<Grant>, String> {
    if let Some(what) = unresolved_what(document) {
        return Err(format!(
            "{origin}: the policy document could not be resolved: {what}"
        ));
    }
    let document = parse_if_string(document)?;
    let statements = match document.get("Statement") {
        Some(Value::Array(statements)) => statements.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => return Err(format!("{origin}: a policy document needs a Statement")),
    };
    statements
        .iter()
        .enumerate()
        .map(|(i, statement)| {
            read_statement(statement, &format!("statement {} of {origin}", i + 1))
        })
        .collect()
}

/// A policy given as a JSON string (Terraform's `policy`, CloudFormation's string form).
fn parse_if_string(document: &Value) -> Result<Value, String> {
    match document {
        Value::String(text) => {
            serde_json::from_str(text).map_err(|e| format!("the policy is not JSON: {e}"))
        }
        other => Ok(other.clone()),
    }
}

fn read_statement(statement: &Value, position: &str) -> Result<Grant, String> {
    let object = statement
        .as_object()
        .ok_or_else(|| format!("{position} is not an object"))?;
    let mut unresolved_parts = Vec::new();
    let mut element = |positive: &str, negative: &str| -> Element {
        let (value, negated) = match (object.get(positive), object.get(negative)) {
            (Some(value), _) => (value, false),
            (None, Some(value)) => (value, true),
            (None, None) => return Element::default(),
        };
        let values = if positive == "Principal" {
            principals(value, &mut unresolved_parts)
        } else {
            texts(value, positive, &mut unresolved_parts)
        };
        Element { values, negated }
    };
    let principals = element("Principal", "NotPrincipal");
    let actions = element("Action", "NotAction");
    let resources = element("Resource", "NotResource");
    let mut grant = Grant {
        // An empty Sid is no Sid: the statement is named by its position.
        sid: object
            .get("Sid")
            .and_then(Value::as_str)
            .filter(|sid| !sid.is_empty())
            .map(str::to_owned),
        position: position.to_owned(),
        effect: one_text(object.get("Effect")),
        principals,
        actions,
        resources,
        conditions: Vec::new(),
        unresolved: unresolved_parts,
    };
    match object.get("Condition") {
        None => {}
        Some(value) if unresolved_what(value).is_some() => grant.unresolved.push(format!(
            "Condition: {}",
            unresolved_what(value).unwrap_or_default()
        )),
        Some(Value::Object(operators)) => {
            for (operator, keys) in operators {
                let Some(keys) = keys.as_object() else {
                    grant.unresolved.push(format!("Condition {operator}"));
                    continue;
                };
                for (key, values) in keys {
                    let values = texts(values, key, &mut grant.unresolved);
                    grant.conditions.push(Condition {
                        operator: operator.clone(),
                        key: key.clone(),
                        values,
                    });
                }
            }
        }
        Some(_) => return Err(format!("{position}: Condition must be an object")),
    }
    Ok(grant)
}

/// The elements of the list at `pointer` (a JSON pointer) in `value`; none when it is absent
/// or not a list.
pub fn list<'a>(value: &'a Value, pointer: &str) -> std::slice::Iter<'a, Value> {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or_else(Default::default, |items| items.iter())
}

/// An unresolved marker describing `what`.
pub fn unresolved(what: impl Into<String>) -> Value {
    Value::Object(serde_json::Map::from_iter([(
        UNRESOLVED.to_owned(),
        Value::String(what.into()),
    )]))
}

/// What `value` stands for, if it is an unresolved marker.
pub fn unresolved_what(value: &Value) -> Option<&str> {
    value.get(UNRESOLVED).and_then(Value::as_str)
}

fn one_text(value: Option<&Value>) -> Text {
    match value {
        Some(Value::String(text)) => Text::Known(text.clone()),
        // IAM reads a policy's numbers and booleans as text.
        Some(value @ (Value::Number(_) | Value::Bool(_))) => Text::Known(value.to_string()),
        Some(other) => Text::Unresolved(
            unresolved_what(other).map_or_else(|| other.to_string(), str::to_owned),
        ),
        None => Text::Unresolved("absent".to_owned()),
    }
}

/// A string or a list of strings, each known or unresolved.
fn texts(value: &Value, element: &str, unresolved_parts: &mut Vec<String>) -> Vec<Text> {
    match value {
        Value::Array(items) => items.iter().map(|item| one_text(Some(item))).collect(),
        // A whole list that is unresolved (a list parameter): its elements are not known.
        Value::Object(_) if unresolved_what(value).is_some() && element_is_list(value) => {
            let what = unresolved_what(value).unwrap_or_default();
            unresolved_parts.push(format!("{element}: {what}"));
            Vec::new()
        }
        other => vec![one_text(Some(other))],
    }
}

/// Whether the unresolved `value` stands for a list (a list parameter, `!Split`), not one
/// value.
fn element_is_list(value: &Value) -> bool {
    unresolved_what(value).is_some_and(|what| what.contains("List") || what.starts_with("!Split"))
}

/// `"*"`, or `{"Service": ..., "AWS": ...}` as `KIND:value` strings.
fn principals(value: &Value, unresolved_parts: &mut Vec<String>) -> Vec<Text> {
    match value {
        Value::String(star) => vec![Text::Known(star.clone())],
        Value::Object(kinds) if unresolved_what(value).is_none() => kinds
            .iter()
            .flat_map(|(kind, values)| {
                texts(values, "Principal", unresolved_parts)
                    .into_iter()
                    .map(move |text| match text {
                        Text::Known(value) => Text::Known(format!("{kind}:{value}")),
                        unknown => unknown,
                    })
                    .collect::<Vec<_>>()
            })
            .collect(),
        other => texts(other, "Principal", unresolved_parts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_form_of_a_statement() {
        let document = json!({
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Principal": { "Service": ["qbusiness.amazonaws.com"], "AWS": "*" },
                "NotAction": "iam:*",
                "Resource": [{ UNRESOLVED: "!GetAtt Bucket.Arn" }, "arn:aws:s3:::b"],
                "Condition": { "StringEquals": { "aws:SourceAccount": "111122223333" } }
            }
        });
        let grants = read_document(&document, "p.json").unwrap();
        let grant = &grants[0];
        assert_eq!(grant.label(), "statement 1 of p.json");
        assert_eq!(
            grant.principals.values,
            [
                Text::Known("Service:qbusiness.amazonaws.com".into()),
                Text::Known("AWS:*".into())
            ]
        );
        assert!(grant.actions.negated);
        assert_eq!(
            grant.resources.values[0],
            Text::Unresolved("!GetAtt Bucket.Arn".into())
        );
        assert_eq!(
            grant.conditions[0].values,
            [Text::Known("111122223333".into())]
        );
    }

    #[test]
    fn a_policy_may_be_a_json_string() {
        let text =
            json!("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\"}]}");
        assert_eq!(read_document(&text, "t").unwrap().len(), 1);
        assert!(read_document(&json!({}), "t").is_err());
    }
}
