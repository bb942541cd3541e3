//! A policy document laid out once for every format: AWS's keys (`Version`, `Statement`,
//! `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`) in AWS's order, a
//! string or a list as the documentation writes it. Each format's printer only prints the
//! tree: the JSON renderer serializes it, the CloudFormation renderer writes it as YAML, the
//! CDK and Terraform renderers turn it into their own expressions. Key order, the
//! one-or-many shape and which strings are code live here alone.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::view::{self, ItemView, StatementView};
use crate::model::field::Field;
use crate::model::interp::Idiom;
use crate::model::policy::{OneOrMany, PolicyDocument};

/// One value of a policy document.
#[derive(Debug, Clone)]
pub enum Node {
    /// Literal text (a Sid, an action, the version): the printer quotes and escapes it.
    Text(String),
    /// A resource or condition value, already printed as code by the format's idiom.
    Item(ItemView),
    /// A list.
    List(Vec<Node>),
    /// An object, keys in order.
    Object(Vec<(Key, Node)>),
}

/// An object key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// A key of the policy language itself (`Sid`, `Service`, ...).
    Grammar(&'static str),
    /// A key the documentation chose: a condition operator or a condition key.
    Data(String),
}

impl Key {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Grammar(key) => key,
            Key::Data(key) => key,
        }
    }
}

/// Prints open references as the documentation's placeholders (`{{account_id}}`).
pub struct Documented;

impl Idiom for Documented {
    fn text(&self, out: &mut String, text: &str) {
        out.push_str(text);
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.push_str(field.placeholder());
    }
}

/// A policy document as AWS's page writes it, as a JSON value: keys in AWS's order, open
/// values as placeholders.
pub fn documented(policy: &PolicyDocument) -> serde_json::Value {
    let node = document(policy, &Documented);
    serde_json::to_value(Json {
        node: &node,
        elements: 1,
    })
    .expect("a policy tree serializes")
}

/// The document `policy`, its resource and condition values printed by `idiom`.
pub fn document(policy: &PolicyDocument, idiom: &impl Idiom) -> Node {
    let statements = view::statements(policy, idiom)
        .into_iter()
        .map(statement)
        .collect();
    Node::Object(vec![
        (Key::Grammar("Version"), Node::Text(policy.version.clone())),
        (Key::Grammar("Statement"), Node::List(statements)),
    ])
}

fn statement(statement: StatementView) -> Node {
    let mut object = Vec::with_capacity(6);
    if let Some(sid) = statement.sid {
        object.push((Key::Grammar("Sid"), Node::Text(sid)));
    }
    object.push((Key::Grammar("Effect"), Node::Text(statement.effect)));
    if let Some(service) = statement.principal_service {
        let principal = vec![(Key::Grammar("Service"), Node::Text(service))];
        object.push((Key::Grammar("Principal"), Node::Object(principal)));
    }
    let actions = statement.actions.map(|action| Node::Text(action.clone()));
    object.push((Key::Grammar("Action"), one_or_many(actions)));
    if let Some(resources) = statement.resources {
        object.push((Key::Grammar("Resource"), items(resources)));
    }
    if !statement.conditions.is_empty() {
        let operators = statement
            .conditions
            .into_iter()
            .map(|operator| {
                let keys = operator
                    .keys
                    .into_iter()
                    .map(|(key, values)| (Key::Data(key), items(values)))
                    .collect();
                (Key::Data(operator.operator), Node::Object(keys))
            })
            .collect();
        object.push((Key::Grammar("Condition"), Node::Object(operators)));
    }
    Node::Object(object)
}

/// A `Resource` or a condition's values.
fn items(items: OneOrMany<ItemView>) -> Node {
    one_or_many(items.map(|item| Node::Item(item.clone())))
}

fn one_or_many(values: OneOrMany<Node>) -> Node {
    match values {
        OneOrMany::One(value) => value,
        OneOrMany::Many(values) => Node::List(values),
    }
}

impl Node {
    /// The items of a list, or the node itself.
    pub fn items(&self) -> &[Node] {
        match self {
            Node::List(items) => items,
            one => std::slice::from_ref(one),
        }
    }

    /// Whether this is an item standing for one string per element of an open list.
    pub fn is_each(&self) -> bool {
        matches!(self, Node::Item(item) if item.is_each())
    }
}

/// A tree as JSON, through serde: an item over an open list written `elements` times in a
/// list (alone, once).
pub struct Json<'a> {
    /// The tree.
    pub node: &'a Node,
    /// How many times a list writes an item over an open list.
    pub elements: usize,
}

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let nested = |node| Json {
            node,
            elements: self.elements,
        };
        match self.node {
            Node::Text(text) => serializer.serialize_str(text),
            Node::Item(item) => serializer.serialize_str(item.code()),
            Node::List(items) => {
                let times = |node: &Node| if node.is_each() { self.elements } else { 1 };
                let mut list = serializer.serialize_seq(None)?;
                for item in items {
                    for _ in 0..times(item) {
                        list.serialize_element(&nested(item))?;
                    }
                }
                list.end()
            }
            Node::Object(entries) => {
                let mut object = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    object.serialize_entry(key.as_str(), &nested(value))?;
                }
                object.end()
            }
        }
    }
}
