//! JSON written as Rust tokens, for a data source's `configuration`:
//! `{ "syncMode": "FULL_CRAWL", "enableIdentityCrawler": true, "limit": 20, "ids": [] }`,
//! each value kept with its span so that a schema violation at a JSON pointer points at the
//! token.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Lit, LitStr, Token, braced, bracketed};

/// A JSON value written in a declaration.
#[derive(Clone)]
pub enum Json {
    /// `"text"`.
    Str(LitStr),
    /// `20`, `1.5`, `true`, `false`.
    Literal(Lit),
    /// `null`.
    Null(Ident),
    /// `[...]`, with the brackets' span.
    Array(Vec<Json>, Span),
    /// `{ "key": value, ... }`, with the braces' span.
    Object(Vec<(LitStr, Json)>, Span),
}

impl Json {
    /// The span of the whole value.
    pub fn span(&self) -> Span {
        match self {
            Json::Str(lit) => lit.span(),
            Json::Literal(lit) => lit.span(),
            Json::Null(ident) => ident.span(),
            Json::Array(_, span) | Json::Object(_, span) => *span,
        }
    }

    /// The value as JSON.
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Json::Str(lit) => lit.value().into(),
            Json::Literal(Lit::Bool(lit)) => lit.value.into(),
            Json::Literal(Lit::Int(lit)) => lit
                .base10_parse::<i64>()
                .map_or(serde_json::Value::Null, Into::into),
            Json::Literal(Lit::Float(lit)) => lit
                .base10_parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Json::Literal(_) | Json::Null(_) => serde_json::Value::Null,
            Json::Array(items, _) => items.iter().map(Json::to_value).collect(),
            Json::Object(entries, _) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.value(), value.to_value()))
                    .collect(),
            ),
        }
    }

    /// The span of every value, by its JSON pointer under `prefix`
    /// (`data_source.configuration/additionalProperties/sqlQuery`).
    pub fn spans(&self, prefix: &str, out: &mut Vec<(String, Span)>) {
        out.push((prefix.to_owned(), self.span()));
        match self {
            Json::Array(items, _) => {
                for (i, item) in items.iter().enumerate() {
                    item.spans(&format!("{prefix}/{i}"), out);
                }
            }
            Json::Object(entries, _) => {
                for (key, value) in entries {
                    let token = key.value().replace('~', "~0").replace('/', "~1");
                    value.spans(&format!("{prefix}/{token}"), out);
                }
            }
            _ => {}
        }
    }

    /// Whether this is a string, as a tag's value or a list's element must be.
    pub fn as_str(&self) -> Option<&LitStr> {
        match self {
            Json::Str(lit) => Some(lit),
            _ => None,
        }
    }
}

/// `"key": value`.
struct Member(LitStr, Json);

impl Parse for Member {
    fn parse(input: ParseStream<'_>) -> syn::Result<Member> {
        let key: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected a string key, as in `\"syncMode\": \"FULL_CRAWL\"`",
            )
        })?;
        input.parse::<Token![:]>().map_err(|e| {
            syn::Error::new(e.span(), format!("expected `:` after {:?}", key.value()))
        })?;
        Ok(Member(key, input.parse()?))
    }
}

impl Parse for Json {
    fn parse(input: ParseStream<'_>) -> syn::Result<Json> {
        if input.peek(syn::token::Brace) {
            let content;
            let braces = braced!(content in input);
            let members = Punctuated::<Member, Token![,]>::parse_terminated(&content)?;
            let entries = members.into_iter().map(|m| (m.0, m.1)).collect();
            return Ok(Json::Object(entries, braces.span.join()));
        }
        if input.peek(syn::token::Bracket) {
            let content;
            let brackets = bracketed!(content in input);
            let items = Punctuated::<Json, Token![,]>::parse_terminated(&content)?;
            return Ok(Json::Array(
                items.into_iter().collect(),
                brackets.span.join(),
            ));
        }
        if input.peek(Ident) {
            let ident: Ident = input.parse()?;
            if ident == "null" {
                return Ok(Json::Null(ident));
            }
            return Err(syn::Error::new(
                ident.span(),
                "expected a JSON value: a string, a number, true, false, null, `[...]` or `{ \"key\": value }`",
            ));
        }
        match input.parse::<Lit>() {
            Ok(Lit::Str(lit)) => Ok(Json::Str(lit)),
            Ok(lit @ (Lit::Int(_) | Lit::Float(_) | Lit::Bool(_))) => Ok(Json::Literal(lit)),
            Ok(other) => Err(syn::Error::new(
                other.span(),
                "expected a JSON value: a string, a number, true, false, null, `[...]` or `{ \"key\": value }`",
            )),
            Err(e) => Err(syn::Error::new(
                e.span(),
                "expected a JSON value: a string, a number, true, false, null, `[...]` or `{ \"key\": value }`",
            )),
        }
    }
}
