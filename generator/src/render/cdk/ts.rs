//! The policies as TypeScript: the policy [tree](crate::model::tree) printed as object
//! literals ([`Ts`], laid out within the line width), strings in the CDK's idiom ([`Cdk`]):
//! template literals whose open values are the stack's or the construct's props.

use std::borrow::Cow;

use super::WIDTH;
use crate::model::field::Field;
use crate::model::interp::{Idiom, Interp, Piece};
use crate::model::policy::{Item, PolicyDocument};
use crate::model::tree::{self, Node};
use crate::render::escape::{self, TypeScript, escape_into, quote_into, spaces};

/// Prints interpolated strings as the contents of TypeScript template literals in the
/// construct's constructor: text escaped, open partition, account and region as the
/// stack's (`${partition}`), an open source account as `${account}`, a parameter as
/// `${props.applicationId}`, and an element of a list field as the `map` callback's
/// variable (`${subnetId}`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cdk;

impl Idiom for Cdk {
    fn text(&self, out: &mut String, text: &str) {
        escape_into(out, TypeScript, text);
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.push_str("${");
        out.push_str(&reference(field));
        out.push('}');
    }

    /// The string as a TypeScript expression: a fully literal string is `'...'`, a lone
    /// reference is the bare expression, anything else a template literal `` `...` ``.
    fn write_expression(&self, out: &mut String, interp: &Interp) {
        match (interp.as_literal(), interp.pieces()) {
            (Some(text), _) => quote_into(out, TypeScript, text),
            (None, [Piece::Ref(field)]) => out.push_str(&reference(*field)),
            _ => {
                out.push('`');
                interp.render_into(out, self);
                out.push('`');
            }
        }
    }
}

/// Appends one ARN per element of the open list `field`, given the string of one ARN over
/// the element: `props.subnetIds.map((subnetId) => ...)`, or the list itself.
fn write_each(out: &mut String, field: Field, interp: &Interp) {
    out.push_str("props.");
    out.push_str(field.camel_name());
    if !matches!(interp.pieces(), [Piece::Ref(only)] if *only == field) {
        out.push_str(".map((");
        out.push_str(&element(field));
        out.push_str(") => ");
        Cdk.write_expression(out, interp);
        out.push(')');
    }
}

/// The TypeScript expression of an open field.
fn reference(field: Field) -> String {
    match field {
        Field::Partition => "partition".to_owned(),
        Field::AccountId | Field::SourceAccount => "account".to_owned(),
        Field::Region => "region".to_owned(),
        field if field.is_list() => element(field),
        field => format!("props.{}", field.camel_name()),
    }
}

/// The `map` callback's variable for one element of a list field: `subnetId`.
fn element(field: Field) -> String {
    let name = field.camel_name();
    name.strip_suffix('s')
        .map_or_else(|| format!("{name}Element"), str::to_owned)
}

/// `text` as a quoted string literal.
pub(super) fn quoted(text: &str) -> String {
    escape::quoted(TypeScript, text)
}

/// A TypeScript value laid out by the renderer: object literals for the policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ts<'a> {
    /// Literal text, written as a quoted string.
    Text(&'a str),
    /// A policy string, written as code of the CDK's idiom.
    Item(&'a Interp),
    /// One string per element of an open list: the list, or its `map`.
    Each(Field, &'a Interp),
    /// `...list`: [`Ts::Each`] spread into an array.
    Spread(Field, &'a Interp),
    /// A number, boolean or null, as JSON writes it.
    Literal(&'a serde_json::Value),
    /// `[a, b]`.
    Array(Vec<Ts<'a>>),
    /// `{ key: value }`, keys raw (printed bare when they are identifiers, else quoted).
    Object(Vec<(&'a str, Ts<'a>)>),
}

impl Ts<'_> {
    /// Appends the value on one line, stopping early (and returning false) once `out` is
    /// `end` bytes long: the line is then too long anyway.
    fn write_inline(&self, out: &mut String, end: usize) -> bool {
        match self {
            Ts::Text(text) => quote_into(out, TypeScript, text),
            Ts::Item(interp) => Cdk.write_expression(out, interp),
            Ts::Literal(value) => out.push_str(&value.to_string()),
            Ts::Each(field, interp) => write_each(out, *field, interp),
            Ts::Spread(field, interp) => {
                out.push_str("...");
                write_each(out, *field, interp);
            }
            Ts::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if !item.write_inline(out, end) {
                        return false;
                    }
                }
                out.push(']');
            }
            Ts::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Ts::Object(entries) => {
                out.push_str("{ ");
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&key(k));
                    out.push_str(": ");
                    if !v.write_inline(out, end) {
                        return false;
                    }
                }
                out.push_str(" }");
            }
        }
        out.len() < end
    }

    /// Objects of more than two keys (statements) always take one line per key.
    fn must_break(&self) -> bool {
        match self {
            Ts::Text(_) | Ts::Item(_) | Ts::Literal(_) | Ts::Each(..) | Ts::Spread(..) => false,
            Ts::Array(items) => items.iter().any(Ts::must_break),
            Ts::Object(entries) => entries.len() > 2 || entries.iter().any(|(_, v)| v.must_break()),
        }
    }

    /// The value as code, continuing lines at `indent`, when it starts at `column`.
    pub(super) fn layout(&self, indent: usize, column: usize) -> String {
        let mut out = String::new();
        self.write(&mut out, indent, column);
        out
    }

    /// Appends the value: on one line when it may and fits, else one item or key a line.
    /// Each value is tried inline at most once, and never when it must break.
    fn write(&self, out: &mut String, indent: usize, column: usize) {
        // Leave room for the `,` or `;` that follows: the line must end before `WIDTH`.
        if let Some(room) = WIDTH.checked_sub(column).filter(|_| !self.must_break()) {
            let start = out.len();
            if self.write_inline(out, start + room) {
                return;
            }
            out.truncate(start);
        }
        match self {
            Ts::Text(_) | Ts::Item(_) | Ts::Literal(_) | Ts::Each(..) | Ts::Spread(..) => {
                self.write_inline(out, usize::MAX);
            }
            Ts::Array(items) => {
                out.push_str("[\n");
                for item in items {
                    spaces(out, indent + 2);
                    item.write(out, indent + 2, indent + 2);
                    out.push_str(",\n");
                }
                spaces(out, indent);
                out.push(']');
            }
            Ts::Object(entries) => {
                out.push_str("{\n");
                for (k, v) in entries {
                    let k = key(k);
                    spaces(out, indent + 2);
                    out.push_str(&k);
                    out.push_str(": ");
                    v.write(out, indent + 2, indent + 2 + k.len() + 2);
                    out.push_str(",\n");
                }
                spaces(out, indent);
                out.push('}');
            }
        }
    }
}

/// An object key: bare when it is an identifier (`Sid`), else quoted (`'aws:SourceArn'`).
fn key(name: &str) -> Cow<'_, str> {
    // `__proto__: x`, quoted or not, sets an object literal's prototype: computed, it is a key.
    if name == "__proto__" {
        return Cow::Borrowed("['__proto__']");
    }
    let mut chars = name.chars();
    let is_identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if is_identifier {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(quoted(name))
    }
}

/// A policy document as a TypeScript object literal: the policy tree, printed.
pub(super) fn policy(document: &PolicyDocument) -> Ts<'_> {
    ts(&tree::document(document))
}

impl<'a> Ts<'a> {
    /// Any tree (a data source's configuration) as a TypeScript value.
    pub(super) fn of(node: &Node<'a>) -> Ts<'a> {
        ts(node)
    }
}

/// A tree node as TypeScript: text as a quoted literal, items as [`Cdk`] code; an item over
/// an open list alone is the list itself, in a list it is spread into the array.
fn ts<'a>(node: &Node<'a>) -> Ts<'a> {
    match node {
        Node::Text(text) => Ts::Text(text),
        Node::Literal(value) => Ts::Literal(value),
        Node::Item(Item::One(interp)) => Ts::Item(interp),
        Node::Item(Item::Each(field, interp)) => Ts::Each(*field, interp),
        Node::List(items) => Ts::Array(
            items
                .iter()
                .map(|item| match item {
                    Node::Item(Item::Each(field, interp)) => Ts::Spread(*field, interp),
                    item => ts(item),
                })
                .collect(),
        ),
        Node::Object(entries) => Ts::Object(
            entries
                .iter()
                .map(|(key, value)| (key.as_str(), ts(value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_print_as_quoted_template_or_bare_code() {
        let literal = Interp::parse("arn:aws:s3:::bucket/*");
        assert_eq!(Cdk.expression(&literal), "'arn:aws:s3:::bucket/*'");
        let single = Interp::parse("{{source_account}}");
        assert_eq!(Cdk.expression(&single), "account");
        let mixed = Interp::parse("arn:{{partition}}:kms:{{region}}:{{account_id}}:key/[[key_id]]");
        assert_eq!(
            Cdk.expression(&mixed),
            "`arn:${partition}:kms:${region}:${account}:key/${props.keyId}`"
        );
        let subnet =
            Interp::parse("arn:{{partition}}:ec2:us-east-1:111122223333:subnet/[[subnet_ids]]");
        assert_eq!(
            Ts::Each(Field::SubnetIds, &subnet).layout(0, 0),
            "props.subnetIds.map((subnetId) => `arn:${partition}:ec2:us-east-1:111122223333:subnet/${subnetId}`)"
        );
        assert_eq!(
            Ts::Each(
                Field::SecurityGroupIds,
                &Interp::parse("[[security_group]]")
            )
            .layout(0, 0),
            "props.securityGroupIds"
        );
    }

    /// Role names are validated today, so the escaping is tested where it happens: the
    /// escaper the templates use for `{{ value }}`, and the idiom's text pieces.

    #[test]
    fn long_values_break_and_short_ones_stay_inline() {
        let short = Ts::Object(vec![("Service", Ts::Text("qbusiness.amazonaws.com"))]);
        assert_eq!(short.layout(0, 0), "{ Service: 'qbusiness.amazonaws.com' }");
        let statement = Ts::Object(vec![
            ("Sid", Ts::Text("S")),
            ("Effect", Ts::Text("Allow")),
            ("Action", Ts::Array(vec![Ts::Text("s3:GetObject")])),
        ]);
        assert_eq!(
            statement.layout(0, 0),
            "{\n  Sid: 'S',\n  Effect: 'Allow',\n  Action: ['s3:GetObject'],\n}"
        );
    }
}
