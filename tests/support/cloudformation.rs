//! Reads a CloudFormation YAML template with a real YAML parser and evaluates it the way
//! CloudFormation would for given parameter values: short-form tags (`!Sub`, `!If`, ...),
//! conditions, pseudo parameters and `AWS::NoValue`. JSON is YAML, so a template the CDK
//! synthesizes (`Fn::Join` over `Ref`s to pseudo parameters, a `BootstrapVersion` parameter
//! read from SSM) is read the same way. Anything it does not know fails the test rather than
//! being guessed: an unknown function, a reference to a parameter whose value SSM supplies
//! at deploy time, a non-string in `Fn::Join`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use yaml_rust2::parser::{Event, EventReceiver, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// The deployment a template is evaluated in.
#[derive(Debug, Clone, Copy)]
pub struct Deployment {
    pub partition: &'static str,
    pub account: &'static str,
    pub region: &'static str,
}

/// Builds a JSON tree from parser events, turning each short-form tag into its long form.
#[derive(Default)]
struct Builder {
    stack: Vec<(Option<String>, Value, Option<String>)>,
    done: Option<Value>,
}

impl Builder {
    fn push(&mut self, value: Value) {
        let Some((tag, container, key)) = self.stack.last_mut() else {
            self.done = Some(value);
            return;
        };
        let _ = tag;
        match container {
            Value::Array(items) => items.push(value),
            Value::Object(map) => match key.take() {
                Some(k) => {
                    assert!(!map.contains_key(&k), "duplicate key {k}");
                    map.insert(k, value);
                }
                None => *key = Some(value.as_str().expect("mapping keys are strings").to_owned()),
            },
            _ => unreachable!(),
        }
    }
}

fn long_form(tag: Option<String>, value: Value) -> Value {
    match tag.as_deref() {
        None => value,
        Some("Ref") => json!({ "Ref": value }),
        Some("GetAtt") => {
            let text = value.as_str().expect("!GetAtt takes a string");
            let (resource, attribute) = text
                .split_once('.')
                .expect("!GetAtt names Resource.Attribute");
            json!({ "Fn::GetAtt": [resource, attribute] })
        }
        Some(name) => json!({ format!("Fn::{name}"): value }),
    }
}

impl EventReceiver for Builder {
    fn on_event(&mut self, event: Event) {
        let tag_name = |tag: Option<yaml_rust2::parser::Tag>| {
            tag.map(|t| {
                assert_eq!(
                    t.handle, "!",
                    "only CloudFormation's short-form tags are expected"
                );
                t.suffix
            })
        };
        match event {
            Event::Scalar(text, style, _, tag) => {
                assert!(
                    style != TScalarStyle::Plain || tag.is_some() || !text.is_empty(),
                    "empty plain scalar"
                );
                // As CloudFormation reads YAML: a plain scalar that is a boolean, a number or
                // null is one (a data source's configuration has them); anything else a string.
                let value = match (style, &tag) {
                    (TScalarStyle::Plain, None) => match text.as_str() {
                        "true" | "false" | "null" => serde_json::from_str(&text).unwrap(),
                        number if number.parse::<f64>().is_ok() => {
                            serde_json::from_str(number).unwrap_or(Value::String(text))
                        }
                        _ => Value::String(text),
                    },
                    _ => Value::String(text),
                };
                self.push(long_form(tag_name(tag), value));
            }
            Event::SequenceStart(_, tag) => self.stack.push((tag_name(tag), json!([]), None)),
            Event::MappingStart(_, tag) => self.stack.push((tag_name(tag), json!({}), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let (tag, value, _) = self.stack.pop().expect("balanced events");
                self.push(long_form(tag, value));
            }
            Event::Alias(_) => panic!("templates must not use aliases"),
            _ => {}
        }
    }
}

/// Parses a template.
pub fn parse(text: &str) -> Value {
    let mut builder = Builder::default();
    Parser::new_from_str(text)
        .load(&mut builder, false)
        .expect("the template is valid YAML");
    builder.done.expect("the template has a document")
}

/// A template evaluated for parameter values in a deployment.
pub struct Evaluated {
    pub template: Value,
    parameters: BTreeMap<String, Value>,
    /// Parameters whose value only the deployment knows (SSM parameter types).
    unresolved: Vec<String>,
    /// The logical IDs of the resources; `Ref` to one gives `"ID.Ref"`.
    resources: Vec<String>,
    conditions: BTreeMap<String, bool>,
    deployment: Deployment,
}

const NO_VALUE: &str = "\u{0}AWS::NoValue";

impl Evaluated {
    /// Evaluates `text` with `given` parameter values (defaults apply to the others); every
    /// value is checked against its parameter's `AllowedPattern`.
    pub fn new(text: &str, given: &[(&str, Value)], deployment: Deployment) -> Evaluated {
        let template = parse(text);
        let mut parameters = BTreeMap::new();
        let mut unresolved = Vec::new();
        let declared = template
            .get("Parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (name, _) in given {
            assert!(declared.contains_key(*name), "no parameter {name}");
        }
        for (name, declaration) in &declared {
            let kind = declaration["Type"]
                .as_str()
                .expect("a parameter has a Type");
            if kind.starts_with("AWS::SSM::Parameter::Value<") {
                assert!(given.iter().all(|(n, _)| n != name), "SSM supplies {name}");
                unresolved.push(name.clone());
                continue;
            }
            let value = given
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .or_else(|| declaration.get("Default").cloned())
                .unwrap_or_else(|| panic!("parameter {name} needs a value"));
            if let Some(pattern) = declaration.get("AllowedPattern").and_then(Value::as_str) {
                let regex = regex::Regex::new(pattern).unwrap();
                let text = value.as_str().expect("patterned parameters are strings");
                assert!(
                    regex.is_match(text),
                    "{name}={text} breaks its AllowedPattern {pattern}"
                );
            }
            let is_list = kind.starts_with("List<");
            assert_eq!(value.is_array(), is_list, "parameter {name} type");
            parameters.insert(name.clone(), value);
        }
        let resources = template["Resources"]
            .as_object()
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default();
        let mut evaluated = Evaluated {
            template: Value::Null,
            parameters,
            unresolved,
            resources,
            conditions: BTreeMap::new(),
            deployment,
        };
        if let Some(conditions) = template.get("Conditions").and_then(Value::as_object) {
            for (name, expression) in conditions {
                let value = evaluated.eval(expression);
                let value = value
                    .as_bool()
                    .unwrap_or_else(|| panic!("condition {name} is not boolean"));
                evaluated.conditions.insert(name.clone(), value);
            }
        }
        evaluated.template = evaluated.eval(&template["Resources"]);
        evaluated
    }

    /// The trust policy and the inline permission policy of the role alone (`Role`).
    pub fn role_policies(&self) -> (Value, Value) {
        self.role_policies_of("Role")
    }

    /// The trust policy and the permission policy of the role whose logical ID is
    /// `logical_id` (`OrdersMysqlRole` in a stack): its one inline policy, or else the one
    /// customer-managed policy attached to it.
    pub fn role_policies_of(&self, logical_id: &str) -> (Value, Value) {
        let role = &self.template[logical_id];
        assert_eq!(role["Type"], "AWS::IAM::Role", "{logical_id} is a role");
        let properties = &role["Properties"];
        let permission = match (
            properties.get("Policies"),
            self.managed_policy_of(logical_id),
        ) {
            (Some(policies), None) => {
                let policies = policies.as_array().expect("inline policies are a list");
                assert_eq!(policies.len(), 1, "one inline policy");
                policies[0]["PolicyDocument"].clone()
            }
            (None, Some(managed)) => {
                self.template[&managed]["Properties"]["PolicyDocument"].clone()
            }
            (inline, managed) => panic!(
                "{logical_id} needs one inline policy or one attached managed policy, not {inline:?} and {managed:?}"
            ),
        };
        (properties["AssumeRolePolicyDocument"].clone(), permission)
    }

    /// The logical ID of the one `AWS::IAM::ManagedPolicy` attached to the role
    /// `logical_id` by its `Roles`; panics when several are.
    pub fn managed_policy_of(&self, logical_id: &str) -> Option<String> {
        let attached: Vec<&String> = self
            .template
            .as_object()?
            .iter()
            .filter(|(_, resource)| {
                resource["Type"] == "AWS::IAM::ManagedPolicy"
                    && resource["Properties"]["Roles"] == json!([format!("{logical_id}.Ref")])
            })
            .map(|(id, _)| id)
            .collect();
        assert!(
            attached.len() <= 1,
            "several policies attached to {logical_id}"
        );
        attached.first().map(|id| (*id).clone())
    }

    /// The role properties of `logical_id` beside its policies, in the shape of
    /// [`super::matrix::expected_properties`]: tags as an object.
    pub fn role_properties_of(&self, logical_id: &str) -> Value {
        let properties = &self.template[logical_id]["Properties"];
        let mut found = Map::new();
        for key in ["Path", "PermissionsBoundary"] {
            if let Some(value) = properties.get(key) {
                found.insert(key.into(), value.clone());
            }
        }
        // YAML scalars are read as strings; the CDK's JSON has the number.
        if let Some(seconds) = properties.get("MaxSessionDuration") {
            let seconds = match seconds {
                Value::String(text) => json!(text.parse::<u64>().expect("a number of seconds")),
                number => number.clone(),
            };
            found.insert("MaxSessionDuration".into(), seconds);
        }
        if let Some(tags) = properties.get("Tags").and_then(Value::as_array) {
            let tags = tags
                .iter()
                .map(|tag| {
                    (
                        tag["Key"].as_str().unwrap().to_owned(),
                        tag["Value"].clone(),
                    )
                })
                .collect();
            found.insert("Tags".into(), Value::Object(tags));
        }
        Value::Object(found)
    }

    fn reference(&self, name: &str) -> Value {
        match name {
            "AWS::Partition" => json!(self.deployment.partition),
            "AWS::AccountId" => json!(self.deployment.account),
            "AWS::Region" => json!(self.deployment.region),
            "AWS::NoValue" => json!(NO_VALUE),
            _ if self.resources.iter().any(|r| r == name) => json!(format!("{name}.Ref")),
            _ if self.unresolved.iter().any(|n| n == name) => {
                panic!("{name} is read from SSM at deploy time: its value is unknown")
            }
            _ => self
                .parameters
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("unknown reference {name}")),
        }
    }

    fn eval(&self, value: &Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.eval(i))
                    .filter(|v| v != NO_VALUE)
                    .collect(),
            ),
            Value::Object(map) if map.len() == 1 => {
                let (key, argument) = map.iter().next().unwrap();
                if key == "Ref" || key.starts_with("Fn::") || key == "Condition" {
                    self.function(key, argument)
                } else {
                    self.object(map)
                }
            }
            Value::Object(map) => self.object(map),
            other => other.clone(),
        }
    }

    fn object(&self, map: &Map<String, Value>) -> Value {
        Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), self.eval(v)))
                .filter(|(_, v)| v != NO_VALUE)
                .collect(),
        )
    }

    fn function(&self, name: &str, argument: &Value) -> Value {
        let args = || {
            argument
                .as_array()
                .unwrap_or_else(|| panic!("{name} takes a list"))
                .clone()
        };
        match name {
            "Ref" => self.reference(argument.as_str().expect("Ref takes a name")),
            "Condition" => json!(self.conditions[argument.as_str().unwrap()]),
            "Fn::Sub" => {
                let (text, variables) = match argument {
                    Value::String(text) => (text.clone(), Map::new()),
                    Value::Array(pair) => {
                        let variables = self
                            .eval(&pair[1])
                            .as_object()
                            .expect("Sub variables")
                            .clone();
                        (pair[0].as_str().expect("Sub text").to_owned(), variables)
                    }
                    _ => panic!("malformed Fn::Sub"),
                };
                json!(self.substitute(&text, &variables))
            }
            "Fn::Join" => {
                let args = args();
                let items = self.eval(&args[1]);
                let items: Vec<&str> = items
                    .as_array()
                    .expect("Join takes a list")
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .unwrap_or_else(|| panic!("Fn::Join of a non-string {v}"))
                    })
                    .collect();
                json!(items.join(args[0].as_str().expect("Join's delimiter is literal")))
            }
            "Fn::Split" => {
                let args = args();
                let text = self.eval(&args[1]);
                let delimiter = args[0].as_str().expect("Split's delimiter is literal");
                json!(
                    text.as_str()
                        .expect("Split takes a string")
                        .split(delimiter)
                        .collect::<Vec<_>>()
                )
            }
            "Fn::Select" => {
                let args = args();
                // A plain scalar index is read as a number, a quoted one as a string.
                let index: usize = match self.eval(&args[0]) {
                    Value::Number(number) => number.as_u64().expect("Select index") as usize,
                    other => other.as_str().unwrap().parse().expect("Select index"),
                };
                let list = self.eval(&args[1]);
                list.as_array()
                    .expect("Select takes a list")
                    .get(index)
                    .cloned()
                    .expect("Select index in range")
            }
            "Fn::If" => {
                let args = args();
                let condition = self.conditions[args[0].as_str().expect("If names a condition")];
                self.eval(&args[if condition { 1 } else { 2 }])
            }
            "Fn::Not" => json!(
                !self
                    .eval(&args()[0])
                    .as_bool()
                    .expect("Not takes a condition")
            ),
            "Fn::Or" | "Fn::And" => {
                let values: Vec<bool> = args()
                    .iter()
                    .map(|c| self.eval(c).as_bool().expect("Or and And take conditions"))
                    .collect();
                json!(if name == "Fn::Or" {
                    values.contains(&true)
                } else {
                    values.iter().all(|&v| v)
                })
            }
            "Fn::Equals" => {
                let args = args();
                json!(self.eval(&args[0]) == self.eval(&args[1]))
            }
            "Fn::GetAtt" => json!(format!("<{}>", argument)),
            other => panic!("the evaluator does not know {other}"),
        }
    }

    fn substitute(&self, text: &str, variables: &Map<String, Value>) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').expect("closed ${") + start;
            let name = &rest[start + 2..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else {
                let value = variables
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| self.reference(name));
                out.push_str(
                    value
                        .as_str()
                        .unwrap_or_else(|| panic!("${{{name}}} is not a string")),
                );
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }
}
