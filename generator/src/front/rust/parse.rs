//! The syntax of `connector_role!`, parsed with syn and kept with its spans.
//!
//! The macro and the CLI (which reads `.rs` files without compiling them) share this
//! parser, so both accept exactly the same declarations:
//!
//! ```text
//! connector_role! {
//!     /// Role for the orders database.
//!     pub OrdersMySql {
//!         connector: rds_mysql,
//!         role_name: "QBusinessOrdersMySqlConnectorRole",
//!         account_id: "111122223333",
//!         vpc: { subnet_ids: ["subnet-0123456789abcdef0"], security_group_ids: ["sg-0123456789abcdef0"] },
//!     }
//!     // more roles...
//! }
//! ```
//!
//! The parser checks only the shape; [`declaration`](crate::front::rust::declaration) checks the fields.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitInt, LitStr, Token, Visibility, braced};

use crate::front::rust::json::Json;

/// Every role of one `connector_role!` invocation.
#[derive(Clone)]
pub struct Declarations {
    /// `crate = path;` before the roles: the path the expansion reaches the
    /// `connector-roles` crate by, for a dependency renamed in `Cargo.toml` (as serde's
    /// `#[serde(crate = "...")]`); `None` for `::connector_roles`.
    pub krate: Option<syn::Path>,
    /// The roles, in written order.
    pub roles: Vec<Declaration>,
}

/// One role: `/// docs` `pub Name { field: value, ... }`.
#[derive(Clone)]
pub struct Declaration {
    /// The attributes written before the role, doc comments included.
    pub attrs: Vec<Attribute>,
    /// The visibility of the generated type.
    pub vis: Visibility,
    /// The name of the generated type.
    pub ident: Ident,
    /// The fields, in written order.
    pub fields: Vec<Entry>,
}

/// `key: value`.
#[derive(Clone)]
pub struct Entry {
    /// The field's name.
    pub key: Ident,
    /// Its value.
    pub value: Value,
}

/// The value of a field.
#[derive(Clone)]
pub enum Value {
    /// `"text"`.
    Str(LitStr),
    /// `rds_mysql`.
    Ident(Ident),
    /// `["a", "b"]`, with the span of the brackets.
    List(Vec<LitStr>, Span),
    /// `{ key: value, ... }`, with the span of the braces.
    Block(Vec<Entry>, Span),
    /// `{ "key": "value", ... }`, string keys (tags), with the span of the braces.
    Map(Vec<(LitStr, LitStr)>, Span),
    /// `7200`.
    Int(LitInt),
    /// Any other JSON (`true`, `[1, 2]`, `{ "key": [] }`): a data source's configuration.
    Json(Json),
}

impl Value {
    /// The span of the whole value.
    pub fn span(&self) -> Span {
        match self {
            Value::Str(lit) => lit.span(),
            Value::Ident(ident) => ident.span(),
            Value::Int(lit) => lit.span(),
            Value::List(_, span) | Value::Block(_, span) | Value::Map(_, span) => *span,
            Value::Json(json) => json.span(),
        }
    }
}

impl Declaration {
    /// The text of the doc comments, one line per `///` line, the usual leading space
    /// removed; `None` without doc comments.
    pub fn doc(&self) -> Option<String> {
        let lines: Vec<String> = self
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("doc"))
            .filter_map(|attr| match &attr.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }) => Some(text.value()),
                    _ => None,
                },
                _ => None,
            })
            .map(|line| line.strip_prefix(' ').map(str::to_owned).unwrap_or(line))
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n").trim().to_owned())
    }
}

impl Parse for Declarations {
    fn parse(input: ParseStream<'_>) -> syn::Result<Declarations> {
        let krate = if input.peek(Token![crate]) && input.peek2(Token![=]) {
            input.parse::<Token![crate]>()?;
            input.parse::<Token![=]>()?;
            let path = input.call(syn::Path::parse_mod_style).map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected the path of the connector-roles crate, as in `crate = ::roles;`",
                )
            })?;
            input.parse::<Token![;]>()?;
            Some(path)
        } else {
            None
        };
        let mut roles = Vec::new();
        while !input.is_empty() {
            roles.push(input.parse()?);
        }
        if roles.is_empty() {
            return Err(
                input.error("expected a role, as in `pub OrdersMySql { connector: rds_mysql }`")
            );
        }
        Ok(Declarations { krate, roles })
    }
}

impl Parse for Declaration {
    fn parse(input: ParseStream<'_>) -> syn::Result<Declaration> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let ident: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the role's type name, as in `pub OrdersMySql { ... }`",
            )
        })?;
        let content;
        braced!(content in input);
        let fields = parse_entries(&content)?;
        Ok(Declaration {
            attrs,
            vis,
            ident,
            fields,
        })
    }
}

fn parse_entries(input: ParseStream<'_>) -> syn::Result<Vec<Entry>> {
    let entries = Punctuated::<Entry, Token![,]>::parse_terminated(input)?;
    Ok(entries.into_iter().collect())
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Entry> {
        let key: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected a field name, as in `account_id: \"111122223333\"`",
            )
        })?;
        input
            .parse::<Token![:]>()
            .map_err(|e| syn::Error::new(e.span(), format!("expected `:` after `{key}`")))?;
        let value = input.parse()?;
        Ok(Entry { key, value })
    }
}

impl Parse for Value {
    fn parse(input: ParseStream<'_>) -> syn::Result<Value> {
        let lookahead = input.lookahead1();
        if lookahead.peek(LitStr) {
            input.parse().map(Value::Str)
        } else if lookahead.peek(Ident) {
            input.parse().map(Value::Ident)
        } else if lookahead.peek(syn::token::Bracket) {
            // A list of strings (`include`, the VPC's IDs), or any JSON list.
            match input.parse::<Json>()? {
                Json::Array(items, span) if items.iter().all(|item| item.as_str().is_some()) => {
                    let strings = items.iter().filter_map(Json::as_str).cloned().collect();
                    Ok(Value::List(strings, span))
                }
                other => Ok(Value::Json(other)),
            }
        } else if lookahead.peek(LitInt) {
            input.parse().map(Value::Int)
        } else if lookahead.peek(syn::LitBool) || lookahead.peek(syn::LitFloat) {
            input.parse().map(Value::Json)
        } else if lookahead.peek(syn::token::Brace) {
            let starts_with_string = {
                let fork = input.fork();
                let content;
                braced!(content in fork);
                content.peek(LitStr)
            };
            if starts_with_string {
                // String keys: tags (string values), or a JSON object.
                return match input.parse::<Json>()? {
                    Json::Object(entries, span)
                        if entries.iter().all(|(_, value)| value.as_str().is_some()) =>
                    {
                        let pairs = entries
                            .into_iter()
                            .filter_map(|(key, value)| Some((key, value.as_str()?.clone())))
                            .collect();
                        Ok(Value::Map(pairs, span))
                    }
                    other => Ok(Value::Json(other)),
                };
            }
            let content;
            let braces = braced!(content in input);
            Ok(Value::Block(parse_entries(&content)?, braces.span.join()))
        } else {
            let found = input.cursor().token_tree().map(|(tree, _)| tree.span());
            Err(syn::Error::new(
                found.unwrap_or_else(|| input.span()),
                "expected a string literal, a number, an identifier, a list `[...]` or a block `{ ... }`",
            ))
        }
    }
}
