//! The policy as HCL: the policy [tree](crate::model::tree) printed as an object expression
//! for `jsonencode`, in Terraform's idiom ([`Terraform`]), laid out as `terraform fmt` would
//! ([`Expr`]).

use std::borrow::Cow;

use super::ELEMENT;
use crate::model::field::Field;
use crate::model::interp::{Idiom, Interp, Piece};
use crate::model::policy::{Item, PolicyDocument};
use crate::model::tree::{self, Node};
use crate::render::escape::{self, Hcl, escape_into, quote_into, spaces};
use crate::render::names::Names;

/// A policy document as an HCL object expression: the policy tree, printed.
pub(super) fn document<'a>(policy: &'a PolicyDocument, idiom: Terraform<'a>) -> Expr<'a> {
    expr(&tree::document(policy), idiom)
}

/// A tree node as HCL: text as a quoted string, items as code of Terraform's idiom, keys
/// bare when they may be.
pub(super) fn expr<'a>(node: &Node<'a>, idiom: Terraform<'a>) -> Expr<'a> {
    match node {
        Node::Text(text) => Expr::Text(text),
        Node::Literal(value) => Expr::Code(value.to_string()),
        Node::Item(Item::One(interp)) => Expr::Item(interp, idiom),
        each @ Node::Item(Item::Each(..)) => items_expr(std::slice::from_ref(each), idiom),
        Node::List(items) if items.iter().any(Node::is_each) => items_expr(items, idiom),
        Node::List(items) => Expr::List(items.iter().map(|item| expr(item, idiom)).collect()),
        Node::Object(entries) => Expr::Object(
            entries
                .iter()
                .map(|(key, value)| (object_key(key.as_str()), expr(value, idiom)))
                .collect(),
        ),
    }
}

/// Resource or condition values with items over open lists: a `for` expression each,
/// concatenated with lists of the single strings between them, in documented order.
fn items_expr<'a>(items: &[Node<'a>], idiom: Terraform<'a>) -> Expr<'a> {
    let mut parts: Vec<Expr> = Vec::new();
    for item in items {
        match item {
            Node::Item(Item::Each(field, interp)) => {
                let list = idiom.0.terraform(field.name());
                let code = idiom.expression(interp);
                parts.push(Expr::Code(format!(
                    "[for {ELEMENT} in var.{list} : {code}]"
                )));
            }
            other => match parts.last_mut() {
                Some(Expr::List(arns)) => arns.push(expr(other, idiom)),
                _ => parts.push(Expr::List(vec![expr(other, idiom)])),
            },
        }
    }
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        Expr::Call("concat", parts)
    }
}

/// An object key: bare when it is an HCL identifier, quoted otherwise (`"aws:SourceAccount"`),
/// and quoted when bare it would mean something else: a literal, or `for`, which opens a
/// `for` expression at the start of an object.
pub(super) fn object_key(key: &str) -> Cow<'_, str> {
    let mut chars = key.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(key, "null" | "true" | "false" | "for");
    if identifier {
        Cow::Borrowed(key)
    } else {
        Cow::Owned(quoted(key))
    }
}

/// `text` as a quoted string literal.
pub(super) fn quoted(text: &str) -> String {
    escape::quoted(Hcl, text)
}

/// Terraform's idiom: literal text escaped for a quoted template (`${` as `$${`), open
/// fields as `${var.application_id}` or `${local.partition}`, and the element of an open list
/// field as `${id}`, the variable of the `for` expression over the list. Variables are the
/// role's ([`Names::terraform`]: `var.orders_mysql_key_id` in a stack).
#[derive(Debug, Clone, Copy)]
pub struct Terraform<'a>(pub &'a Names);

impl Terraform<'_> {
    /// The expression a reference to the open `field` stands for.
    fn reference_expression(&self, field: Field) -> String {
        if field.is_list() {
            ELEMENT.to_owned()
        } else if field.defaults_to_deployment() {
            format!("local.{field}")
        } else {
            format!("var.{}", self.0.terraform(field.name()))
        }
    }
}

impl Idiom for Terraform<'_> {
    fn text(&self, out: &mut String, text: &str) {
        escape_into(out, Hcl, text);
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.push_str("${");
        out.push_str(&self.reference_expression(field));
        out.push('}');
    }

    /// A lone reference bare (`var.index_id`: `terraform fmt` unwraps `"${var.index_id}"`),
    /// anything else a quoted template.
    fn write_expression(&self, out: &mut String, interp: &Interp) {
        match interp.pieces() {
            [Piece::Ref(field)] => out.push_str(&self.reference_expression(*field)),
            _ => {
                out.push('"');
                interp.render_into(out, self);
                out.push('"');
            }
        }
    }
}

/// An HCL expression, printed as `terraform fmt` lays it out.
#[derive(Debug, Clone)]
pub(super) enum Expr<'a> {
    /// One line of code, already escaped.
    Code(String),
    /// Literal text, written as a quoted string.
    Text(&'a str),
    /// A policy string, written as code of Terraform's idiom.
    Item(&'a Interp, Terraform<'a>),
    /// A tuple: on one line when it holds at most one one-line item, otherwise one item a line,
    /// each followed by a comma.
    List(Vec<Expr<'a>>),
    /// An object: one attribute a line (empty: `{}`), `=` aligned within each run of one-line
    /// values, as `terraform fmt` aligns them.
    Object(Vec<(Cow<'a, str>, Expr<'a>)>),
    /// A function call: the only argument inline (`jsonencode({`), several one a line.
    Call(&'static str, Vec<Expr<'a>>),
}

impl Expr<'_> {
    pub(super) fn is_one_line(&self) -> bool {
        match self {
            Expr::Code(_) | Expr::Text(_) | Expr::Item(..) => true,
            Expr::List(items) => items.len() <= 1 && items.iter().all(Expr::is_one_line),
            Expr::Object(entries) => entries.is_empty(),
            Expr::Call(_, args) => args.len() <= 1 && args.iter().all(Expr::is_one_line),
        }
    }

    /// The code, its first line unindented (it follows `key = `), the others indented for
    /// nesting level `level`.
    pub(super) fn code(&self, level: usize) -> String {
        let mut out = String::new();
        self.write(&mut out, level);
        out
    }

    fn write(&self, out: &mut String, level: usize) {
        match self {
            Expr::Code(code) => out.push_str(code),
            Expr::Text(text) => quote_into(out, Hcl, text),
            Expr::Item(interp, idiom) => idiom.write_expression(out, interp),
            Expr::List(items) if self.is_one_line() => {
                out.push('[');
                items.iter().for_each(|item| item.write(out, level));
                out.push(']');
            }
            Expr::List(items) => write_lines(out, "[", items, level, ']'),
            Expr::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Expr::Object(entries) => {
                out.push_str("{\n");
                write_attributes(out, entries, level + 1);
                indent(out, level);
                out.push('}');
            }
            Expr::Call(name, args) if args.len() <= 1 => {
                out.push_str(name);
                out.push('(');
                args.iter().for_each(|arg| arg.write(out, level));
                out.push(')');
            }
            Expr::Call(name, args) => {
                out.push_str(name);
                write_lines(out, "(", args, level, ')');
            }
        }
    }
}

/// `open`, then each item on a line of its own at nesting level `level + 1` followed by a
/// comma, then `close` on a line at `level`.
fn write_lines(out: &mut String, open: &str, items: &[Expr<'_>], level: usize, close: char) {
    out.push_str(open);
    out.push('\n');
    for item in items {
        indent(out, level + 1);
        item.write(out, level + 1);
        out.push_str(",\n");
    }
    indent(out, level);
    out.push(close);
}

/// `key = value` lines at nesting level `level`, `=` aligned within each run of one-line
/// values: `terraform fmt` aligns consecutive single-line attributes, and a line that opens
/// a multi-line value ends the run.
pub(super) fn write_attributes(
    out: &mut String,
    entries: &[(Cow<'_, str>, Expr<'_>)],
    level: usize,
) {
    for run in entries.chunk_by(|a, b| a.1.is_one_line() && b.1.is_one_line()) {
        let width = run
            .iter()
            .map(|(key, _)| key.chars().count())
            .max()
            .unwrap_or(0);
        for (key, value) in run {
            indent(out, level);
            let width = if value.is_one_line() { width } else { 0 };
            out.push_str(key);
            let padding = width.saturating_sub(key.chars().count());
            spaces(out, padding);
            out.push_str(" = ");
            value.write(out, level);
            out.push('\n');
        }
    }
}

fn indent(out: &mut String, level: usize) {
    spaces(out, 2 * level);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_escapes_template_sequences() {
        let names = Names::alone("orders-mysql");
        let idiom = Terraform(&names);
        let interp = Interp::parse("arn:{{partition}}:s3:::home/${aws:username}/%{x}");
        let rendered = interp.render(&idiom);
        assert_eq!(
            rendered,
            "arn:${local.partition}:s3:::home/$${aws:username}/%%{x}"
        );
        let quotes = Interp::parse("\"${aws:username}\"");
        assert_eq!(idiom.expression(&quotes), r#""\"$${aws:username}\"""#);
        assert_eq!(
            idiom.expression(&Interp::parse("{{index_id}}")),
            "var.index_id"
        );
        assert_eq!(
            idiom.expression(&Interp::parse("{{source_account}}")),
            "local.source_account"
        );
    }

    #[test]
    fn resources_mixing_arns_and_lists_concatenate() {
        let one = |text: &str| Item::One(Interp::parse(text));
        let subnets = Item::Each(Field::SubnetIds, Interp::parse("x/[[subnet_ids]]"));
        let items = [one("arn:a"), one("arn:b"), subnets, one("arn:c")];
        let resources = Node::List(items.iter().map(Node::Item).collect());
        let names = Names::alone("x");
        assert_eq!(
            expr(&resources, Terraform(&names)).code(0),
            "concat(\n  [\n    \"arn:a\",\n    \"arn:b\",\n  ],\n  \
             [for id in var.subnet_ids : \"x/${id}\"],\n  [\"arn:c\"],\n)"
        );
        let groups = Item::Each(
            Field::SecurityGroupIds,
            Interp::parse("x/[[security_group_ids]]"),
        );
        let names = Names::stacked("orders-mysql");
        assert_eq!(
            expr(&Node::Item(&groups), Terraform(&names)).code(0),
            "[for id in var.orders_mysql_security_group_ids : \"x/${id}\"]"
        );
    }

    #[test]
    fn objects_align_runs_of_one_line_attributes() {
        let code = |text: &str| Expr::Code(text.into());
        let object = Expr::Object(vec![
            ("Sid".into(), code("\"S\"")),
            ("Effect".into(), code("\"Allow\"")),
            (
                "Action".into(),
                Expr::List(vec![code("\"a\""), code("\"b\"")]),
            ),
            ("Resource".into(), code("\"*\"")),
            (
                "Condition".into(),
                Expr::Object(vec![("\"aws:SourceAccount\"".into(), code("\"1\""))]),
            ),
        ]);
        assert_eq!(
            object.code(1),
            "{\n    Sid    = \"S\"\n    Effect = \"Allow\"\n    Action = [\n      \"a\",\n      \"b\",\n    ]\n    \
             Resource = \"*\"\n    Condition = {\n      \"aws:SourceAccount\" = \"1\"\n    }\n  }"
        );
        assert_eq!(
            object_key("ForAllValues:StringEquals"),
            "\"ForAllValues:StringEquals\""
        );
        assert_eq!(object_key("StringLike"), "StringLike");
    }
}
