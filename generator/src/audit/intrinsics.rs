//! CloudFormation's intrinsic functions, evaluated as far as the spec's values allow.
//!
//! A template's parameters are unknown until it is deployed; the audit knows only what the
//! spec binds. [`Evaluator::eval`] resolves pseudo parameters (`AWS::Partition`,
//! `AWS::AccountId`, `AWS::Region`) and the parameters the spec gives, and evaluates `Fn::Sub`,
//! `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::If` (with the template's conditions),
//! `Fn::FindInMap` and `AWS::NoValue`. Anything else (a resource's name or attribute, an
//! import, a parameter the spec does not give) becomes an unresolved marker that says what it
//! was, and the audit reports it instead of guessing.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::grant::{unresolved, unresolved_what};

/// Stands for `AWS::NoValue`: the evaluator drops it from lists and objects.
const NO_VALUE: &str = "connector-roles:no-value";

/// How deep conditions may refer to conditions before the template is taken as circular.
const MAX_DEPTH: usize = 32;

/// Evaluates expressions of one template.
pub struct Evaluator<'a> {
    template: &'a Value,
    /// The values of the pseudo parameters the spec gives.
    pseudo: BTreeMap<&'static str, String>,
    /// The values of the template's parameters the spec gives.
    parameters: BTreeMap<String, Value>,
    /// What `!Ref` and `!GetAtt` of the template's resources whose identity the spec gives
    /// evaluate to.
    resources: BTreeMap<String, Identity>,
}

/// What a resource of the template is known to be: its `!Ref` and its attributes.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// What `!Ref` gives.
    pub reference: Option<String>,
    /// What `!GetAtt` gives, by attribute.
    pub attributes: BTreeMap<&'static str, String>,
}

fn is_no_value(value: &Value) -> bool {
    value.get(NO_VALUE).is_some()
}

/// An intrinsic in its short form, for messages: `!GetAtt Bucket.Arn`, `!ImportValue x`.
fn short(name: &str, argument: &Value) -> String {
    let name = name.trim_start_matches("Fn::");
    match argument {
        Value::String(text) => format!("!{name} {text}"),
        Value::Array(items) if name == "GetAtt" => format!(
            "!GetAtt {}",
            items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(".")
        ),
        other => format!("!{name} {other}"),
    }
}

impl<'a> Evaluator<'a> {
    /// An evaluator of `template` knowing `pseudo` parameters and template `parameters`.
    pub fn new(
        template: &'a Value,
        pseudo: BTreeMap<&'static str, String>,
        parameters: BTreeMap<String, Value>,
    ) -> Evaluator<'a> {
        Evaluator {
            template,
            pseudo,
            parameters,
            resources: BTreeMap::new(),
        }
    }

    /// The evaluator with `resources` known: their `!Ref` and `!GetAtt` resolve.
    pub fn with_resources(mut self, resources: BTreeMap<String, Identity>) -> Evaluator<'a> {
        self.resources = resources;
        self
    }

    /// `!GetAtt resource.attribute`, as a string or an unresolved marker.
    fn attribute(&self, resource: &str, attribute: &str) -> Value {
        match self
            .resources
            .get(resource)
            .and_then(|identity| identity.attributes.get(attribute))
        {
            Some(value) => Value::String(value.clone()),
            None => unresolved(format!("!GetAtt {resource}.{attribute}")),
        }
    }

    /// `value` with every intrinsic evaluated or replaced by an unresolved marker.
    pub fn eval(&self, value: &Value) -> Value {
        self.eval_at(value, 0)
    }

    fn eval_at(&self, value: &Value, depth: usize) -> Value {
        match value {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.eval_at(item, depth))
                    .filter(|item| !is_no_value(item))
                    .collect(),
            ),
            Value::Object(map) => match intrinsic(map) {
                Some((name, argument)) => self.function(name, argument, depth),
                None => Value::Object(
                    map.iter()
                        .map(|(key, value)| (key.clone(), self.eval_at(value, depth)))
                        .filter(|(_, value)| !is_no_value(value))
                        .collect(),
                ),
            },
            other => other.clone(),
        }
    }

    fn function(&self, name: &str, argument: &Value, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return unresolved(format!("{} (nested too deep)", short(name, argument)));
        }
        let args = |count: usize| -> Option<Vec<Value>> {
            let items = argument.as_array()?;
            (items.len() == count).then(|| {
                items
                    .iter()
                    .map(|item| self.eval_at(item, depth + 1))
                    .collect()
            })
        };
        let malformed = || unresolved(format!("{} (malformed)", short(name, argument)));
        match name {
            "Ref" => match argument.as_str() {
                Some(reference) => self.reference(reference),
                None => malformed(),
            },
            "Fn::Sub" => self.sub(argument, depth),
            "Fn::GetAtt" => {
                let pair = match argument {
                    Value::String(dotted) => dotted.split_once('.'),
                    Value::Array(items) => items
                        .first()
                        .and_then(Value::as_str)
                        .zip(items.get(1).and_then(Value::as_str)),
                    _ => None,
                };
                match pair {
                    Some((resource, attribute)) => self.attribute(resource, attribute),
                    None => malformed(),
                }
            }
            "Fn::Join" => match args(2) {
                Some(args) => join(&args[0], &args[1]).unwrap_or_else(|| {
                    unresolved(first_unresolved(&args).unwrap_or_else(|| short(name, argument)))
                }),
                None => malformed(),
            },
            "Fn::Select" => match args(2) {
                Some(args) => select(&args[0], &args[1]).unwrap_or_else(|| {
                    unresolved(first_unresolved(&args).unwrap_or_else(|| short(name, argument)))
                }),
                None => malformed(),
            },
            "Fn::Split" => match args(2) {
                Some(args) => match (args[0].as_str(), args[1].as_str()) {
                    (Some(delimiter), Some(text)) => Value::Array(
                        text.split(delimiter)
                            .map(|part| Value::String(part.to_owned()))
                            .collect(),
                    ),
                    _ => {
                        unresolved(first_unresolved(&args).unwrap_or_else(|| short(name, argument)))
                    }
                },
                None => malformed(),
            },
            "Fn::If" => match argument.as_array().map(Vec::as_slice) {
                Some([condition, then, otherwise]) => {
                    match condition
                        .as_str()
                        .and_then(|c| self.condition(c, depth + 1))
                    {
                        Some(true) => self.eval_at(then, depth + 1),
                        Some(false) => self.eval_at(otherwise, depth + 1),
                        None => unresolved(format!(
                            "{} (its condition could not be resolved)",
                            short(name, argument)
                        )),
                    }
                }
                _ => malformed(),
            },
            "Fn::FindInMap" => match args(3) {
                Some(args) => {
                    let keys: Option<Vec<&str>> = args.iter().map(Value::as_str).collect();
                    keys.and_then(|keys| {
                        self.template
                            .get("Mappings")?
                            .get(keys[0])?
                            .get(keys[1])?
                            .get(keys[2])
                            .map(|value| self.eval_at(value, depth + 1))
                    })
                    .unwrap_or_else(|| unresolved(short(name, argument)))
                }
                None => malformed(),
            },
            _ => unresolved(short(name, argument)),
        }
    }

    /// `!Ref name`: a pseudo parameter, a parameter the spec gives, or unresolved.
    fn reference(&self, name: &str) -> Value {
        if name == "AWS::NoValue" {
            return json!({ NO_VALUE: true });
        }
        if let Some(value) = self.pseudo.get(name) {
            return Value::String(value.clone());
        }
        if let Some(value) = self.parameters.get(name) {
            return value.clone();
        }
        if let Some(reference) = self
            .resources
            .get(name)
            .and_then(|identity| identity.reference.as_ref())
        {
            return Value::String(reference.clone());
        }
        let declared = |section: &str| {
            self.template
                .get(section)
                .and_then(|s| s.get(name))
                .is_some()
        };
        if declared("Parameters") {
            unresolved(format!(
                "!Ref {name}, a parameter the spec gives no value for"
            ))
        } else if declared("Resources") {
            unresolved(format!("!Ref {name}, a resource known only once deployed"))
        } else {
            unresolved(format!("!Ref {name}"))
        }
    }

    /// `!Sub "text ${Var}"` or `!Sub ["text ${Var}", {Var: value}]`.
    fn sub(&self, argument: &Value, depth: usize) -> Value {
        let (text, variables) = match argument {
            Value::String(text) => (text.as_str(), Map::new()),
            Value::Array(items) => match items.as_slice() {
                [Value::String(text), Value::Object(variables)] => {
                    (text.as_str(), variables.clone())
                }
                _ => return unresolved(format!("{} (malformed)", short("Fn::Sub", argument))),
            },
            _ => return unresolved(format!("{} (malformed)", short("Fn::Sub", argument))),
        };
        let mut out = String::new();
        let mut complete = true;
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = match variables.get(name) {
                Some(value) => self.eval_at(value, depth + 1),
                None => match name.split_once('.') {
                    Some((resource, attribute)) => self.attribute(resource, attribute),
                    None => self.reference(name),
                },
            };
            match value.as_str() {
                Some(text) => out.push_str(text),
                None => {
                    complete = false;
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        out.push_str(rest);
        if complete {
            Value::String(out)
        } else {
            unresolved(format!("!Sub {out}"))
        }
    }

    /// The value of the template's condition `name`, if it can be resolved.
    fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        let definition = self.template.get("Conditions")?.get(name)?;
        self.truth(definition, depth + 1)
    }

    fn truth(&self, value: &Value, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (name, argument) = intrinsic(value.as_object()?)?;
        let operands = || argument.as_array().map(Vec::as_slice).unwrap_or_default();
        match name {
            "Condition" => self.condition(argument.as_str()?, depth),
            "Fn::Not" => match operands() {
                [inner] => self.truth(inner, depth + 1).map(|b| !b),
                _ => None,
            },
            "Fn::And" => operands()
                .iter()
                .map(|c| self.truth(c, depth + 1))
                .try_fold(true, |all, b| b.map(|b| all && b)),
            "Fn::Or" => operands()
                .iter()
                .map(|c| self.truth(c, depth + 1))
                .try_fold(false, |any, b| b.map(|b| any || b)),
            "Fn::Equals" => match operands() {
                [a, b] => {
                    let (a, b) = (self.eval_at(a, depth + 1), self.eval_at(b, depth + 1));
                    (first_unresolved(&[a.clone(), b.clone()]).is_none()).then_some(a == b)
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// The intrinsic a one-key object calls, if it is one.
fn intrinsic(map: &Map<String, Value>) -> Option<(&str, &Value)> {
    let (name, argument) = map.iter().next().filter(|_| map.len() == 1)?;
    (name == "Ref" || name == "Condition" || name.starts_with("Fn::"))
        .then_some((name.as_str(), argument))
}

/// What the first unresolved value among `values` (or inside one of them) stands for.
fn first_unresolved(values: &[Value]) -> Option<String> {
    values.iter().find_map(|value| match value {
        Value::Array(items) => first_unresolved(items),
        other => unresolved_what(other).map(str::to_owned),
    })
}

fn join(delimiter: &Value, list: &Value) -> Option<Value> {
    let delimiter = delimiter.as_str()?;
    let parts: Option<Vec<&str>> = list.as_array()?.iter().map(Value::as_str).collect();
    Some(Value::String(parts?.join(delimiter)))
}

fn select(index: &Value, list: &Value) -> Option<Value> {
    let index = match index {
        Value::String(text) => text.parse::<usize>().ok()?,
        Value::Number(number) => usize::try_from(number.as_u64()?).ok()?,
        _ => return None,
    };
    list.as_array()?.get(index).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluator(template: &Value) -> Evaluator<'_> {
        let pseudo = BTreeMap::from([("AWS::Partition", "aws".to_owned())]);
        let parameters = BTreeMap::from([
            ("Bucket".to_owned(), json!("b")),
            ("Subnets".to_owned(), json!(["subnet-1", "subnet-2"])),
        ]);
        Evaluator::new(template, pseudo, parameters)
    }

    #[test]
    fn resolves_what_the_spec_gives() {
        let template = json!({
            "Parameters": { "Bucket": {}, "Other": {} },
            "Conditions": {
                "HasTwo": { "Fn::Not": [{ "Fn::Equals": [
                    { "Fn::Select": [1, { "Fn::Split": [",", { "Fn::Sub": ["${L},,", { "L": { "Fn::Join": [",", { "Ref": "Subnets" }] } }] }] }] }, ""
                ] }] }
            }
        });
        let e = evaluator(&template);
        assert_eq!(
            e.eval(&json!({ "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}" })),
            json!("arn:aws:s3:::b/${Literal}")
        );
        assert_eq!(
            e.eval(&json!([
                "a",
                { "Fn::If": ["HasTwo", "two", "one"] },
                { "Ref": "AWS::NoValue" }
            ])),
            json!(["a", "two"])
        );
    }

    #[test]
    fn reports_what_it_cannot_resolve() {
        let template = json!({ "Parameters": { "Other": {} }, "Resources": { "Key": {} } });
        let e = evaluator(&template);
        let what = |value: Value| unresolved_what(&e.eval(&value)).map(str::to_owned);
        assert_eq!(
            what(json!({ "Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:x" })).as_deref(),
            Some("!Sub arn:aws:kms:${AWS::Region}:x")
        );
        assert_eq!(
            what(json!({ "Ref": "Other" })).as_deref(),
            Some("!Ref Other, a parameter the spec gives no value for")
        );
        assert_eq!(
            what(json!({ "Fn::GetAtt": ["Key", "Arn"] })).as_deref(),
            Some("!GetAtt Key.Arn")
        );
        assert_eq!(
            what(json!({ "Fn::If": ["Missing", "a", "b"] })).as_deref(),
            Some("!If [\"Missing\",\"a\",\"b\"] (its condition could not be resolved)")
        );
    }
}
