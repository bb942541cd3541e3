//! A policy document laid out once for every format: AWS's keys (`Version`, `Statement`,
//! `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`) in AWS's order, a
//! string or a list as the documentation writes it. Each format's printer only prints the
//! tree: the JSON renderer serializes it, the CloudFormation renderer writes it as YAML, the
//! CDK and Terraform renderers turn it into their own expressions. Key order, the
//! one-or-many shape and which strings are code live here alone.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::model::field::Field;
use crate::model::interp::Idiom;
use crate::model::policy::{Item, OneOrMany, PolicyDocument, Statement};

/// One value of a policy document, borrowed from the [`PolicyDocument`] it lays out.
#[derive(Debug, Clone)]
pub enum Node<'a> {
    /// Literal text (a Sid, an action, the version): the printer quotes and escapes it.
    Text(&'a str),
    /// A resource or condition value: the printer writes it as code of its format, with its
    /// [`Idiom`].
    Item(&'a Item),
    /// A number, boolean or null (a data source's configuration has them): written as JSON
    /// writes it, which YAML, HCL and TypeScript read the same.
    Literal(&'a serde_json::Value),
    /// A list.
    List(Vec<Node<'a>>),
    /// An object, keys in order.
    Object(Vec<(Key<'a>, Node<'a>)>),
}

/// An object key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    /// A key of the policy language itself (`Sid`, `Service`, ...).
    Grammar(&'static str),
    /// A key the documentation chose: a condition operator or a condition key.
    Data(&'a str),
}

impl<'a> Key<'a> {
    /// The key's text.
    pub fn as_str(&self) -> &'a str {
        match *self {
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
    serde_json::to_value(Json::new(&document(policy), &Documented, 1))
        .expect("a policy tree serializes")
}

/// The document `policy` laid out as a tree.
pub fn document(policy: &PolicyDocument) -> Node<'_> {
    Node::Object(vec![
        (Key::Grammar("Version"), Node::Text(&policy.version)),
        (
            Key::Grammar("Statement"),
            Node::List(policy.statements.iter().map(statement).collect()),
        ),
    ])
}

fn statement(statement: &Statement) -> Node<'_> {
    let mut object = Vec::with_capacity(6);
    if let Some(sid) = &statement.sid {
        object.push((Key::Grammar("Sid"), Node::Text(sid)));
    }
    object.push((Key::Grammar("Effect"), Node::Text(&statement.effect)));
    if let Some(service) = &statement.principal_service {
        let principal = vec![(Key::Grammar("Service"), Node::Text(service))];
        object.push((Key::Grammar("Principal"), Node::Object(principal)));
    }
    object.push((
        Key::Grammar("Action"),
        one_or_many(&statement.actions, |action| Node::Text(action)),
    ));
    if let Some(resources) = &statement.resources {
        object.push((Key::Grammar("Resource"), one_or_many(resources, Node::Item)));
    }
    if !statement.conditions.is_empty() {
        // Grouped by operator, as IAM writes them, operators in documented order.
        let mut operators: Vec<(Key, Node)> = Vec::new();
        for condition in &statement.conditions {
            let key = (
                Key::Data(&condition.key),
                one_or_many(&condition.values, Node::Item),
            );
            let operator = Key::Data(&condition.operator);
            match operators.iter_mut().find(|(o, _)| *o == operator) {
                Some((_, Node::Object(keys))) => keys.push(key),
                _ => operators.push((operator, Node::Object(vec![key]))),
            }
        }
        object.push((Key::Grammar("Condition"), Node::Object(operators)));
    }
    Node::Object(object)
}

/// A string or a list, as the documentation writes the value.
fn one_or_many<'a, T>(values: &'a OneOrMany<T>, node: impl Fn(&'a T) -> Node<'a>) -> Node<'a> {
    match values {
        OneOrMany::One(value) => node(value),
        OneOrMany::Many(values) => Node::List(values.iter().map(node).collect()),
    }
}

impl<'a> Node<'a> {
    /// The items of a list, or the node itself.
    pub fn items(&self) -> &[Node<'a>] {
        match self {
            Node::List(items) => items,
            one => std::slice::from_ref(one),
        }
    }

    /// Whether this is an item standing for one string per element of an open list.
    pub fn is_each(&self) -> bool {
        matches!(self, Node::Item(Item::Each(..)))
    }
}

/// A tree as JSON, through serde, its items printed by an idiom: an item over an open list
/// written `elements` times in a list (alone, once). The idiom writes text as it is (serde
/// escapes it for JSON), so a literal string is written without the idiom.
pub struct Json<'a, I> {
    node: &'a Node<'a>,
    idiom: &'a I,
    elements: usize,
}

impl<'a, I: Idiom> Json<'a, I> {
    /// `node` as JSON, items printed by `idiom`, each item over an open list `elements`
    /// times in a list.
    pub fn new(node: &'a Node<'a>, idiom: &'a I, elements: usize) -> Self {
        Json {
            node,
            idiom,
            elements,
        }
    }
}

impl<I: Idiom> Json<'_, I> {
    /// The JSON text, indented by two spaces.
    pub fn pretty(&self) -> String {
        let mut bytes = Vec::with_capacity(8192);
        serde_json::to_writer_pretty(&mut bytes, self).expect("a policy tree serializes");
        String::from_utf8(bytes).expect("serde_json writes UTF-8")
    }
}

impl<I: Idiom> Serialize for Json<'_, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let nested = |node| Json { node, ..*self };
        match self.node {
            Node::Text(text) => serializer.serialize_str(text),
            Node::Literal(value) => value.serialize(serializer),
            Node::Item(item) => match item.interp().as_literal() {
                Some(text) => serializer.serialize_str(text),
                None => serializer.serialize_str(&item.interp().render(self.idiom)),
            },
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
