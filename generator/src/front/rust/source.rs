//! Finds the `connector_role!` invocations of a Rust source file without compiling it, for
//! the CLI: in items, in modules and in function bodies, by the macro's last path segment.
//!
//! The file is not parsed whole: a syntax tree of a 3 MB file takes hundreds of megabytes,
//! and its tokens over a hundred. A scan of its bytes, which knows
//! comments, strings, raw strings and character literals, finds each invocation's
//! delimited body; only those are read as tokens and parsed. As the compiler would, the
//! bodies of other macros' invocations and of `macro_rules!` definitions are not searched:
//! what is inside them is not code yet.

use proc_macro2::{TokenStream, TokenTree};

use crate::error::{Diagnostic, Location};
use crate::front::rust::declaration::check_all;
use crate::front::rust::parse::Declarations;
use crate::spec::RoleSpec;

/// The name the macro is invoked by.
const MACRO: &str = "connector_role";

/// The deepest nesting of `()`, `[]` and `{}` a source file may have: syn parses nesting
/// recursively, and this bounds the stack it takes (real code nests a few dozen levels).
pub const MAX_NESTING: usize = 128;

/// The longest body a `connector_role!` invocation may have, in bytes: a declaration is a few
/// kilobytes, and this bounds the memory its tokens take.
pub const MAX_INVOCATION: usize = 1 << 20;

/// Every role declared in `source`, or every error, as the macro would report them.
pub fn roles(source: &str) -> Result<Vec<RoleSpec>, Vec<Diagnostic>> {
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    for body in invocations(source).map_err(|e| vec![e])? {
        let tokens: TokenStream = match source[body.start..body.end].parse() {
            Ok(tokens) => tokens,
            Err(error) => {
                let (line, column) = body.locate(proc_macro2::LexError::span(&error).start());
                errors.push(Diagnostic {
                    location: Some(Location { line, column }),
                    message: format!("cannot be read as Rust tokens: {error}"),
                });
                continue;
            }
        };
        // The body is one delimited group; the declarations are inside it.
        let Some(TokenTree::Group(group)) = tokens.into_iter().next() else {
            continue;
        };
        match syn::parse2::<Declarations>(group.stream()) {
            Ok(declarations) => match check_all(&declarations) {
                Ok(checked) => specs.extend(checked.into_iter().map(|(spec, _)| spec)),
                Err(more) => errors.extend(more.iter().map(|e| body.located(e))),
            },
            Err(error) => errors.push(body.located(&error)),
        }
    }
    if errors.is_empty() {
        Ok(specs)
    } else {
        Err(errors)
    }
}

/// The delimited body of an invocation in a source file: its bytes, and where it starts, for
/// locating what is found in it in the file.
#[derive(Debug, Clone, Copy)]
struct Item {
    start: usize,
    end: usize,
    /// The line of `start`, from 1.
    line: usize,
    /// The column of `start`, in characters from 1.
    column: usize,
}

impl Item {
    /// A place in the item's text (as proc-macro2 gives it: line from 1, column from 0) as
    /// a line and column (from 1) in the file.
    fn locate(&self, at: proc_macro2::LineColumn) -> (usize, usize) {
        let line = self.line + at.line - 1;
        let column = if at.line == 1 {
            self.column + at.column
        } else {
            at.column + 1
        };
        (line, column)
    }

    /// `error`, located in the file.
    fn located(&self, error: &syn::Error) -> Diagnostic {
        let (line, column) = self.locate(error.span().start());
        Diagnostic {
            location: Some(Location { line, column }),
            message: error.to_string(),
        }
    }
}

/// The body of each `connector_role!` invocation in `source` (any path to the macro, any
/// delimiter), outside other macros' bodies, or an error at the first delimiter nested deeper
/// than [`MAX_NESTING`] levels or at a body longer than [`MAX_INVOCATION`]. A scan of the
/// bytes that skips comments, strings, raw strings and character literals, with no stack
/// and no memory per character.
fn invocations(source: &str) -> Result<Vec<Item>, Diagnostic> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    // Each open delimiter: whether it opens a macro's body, and where, if the macro is ours.
    let mut open: Vec<(bool, Option<Item>)> = Vec::new();
    let mut before = Before::Other;
    let (mut i, mut line, mut column) = (0, 1, 1);
    let error = |line, column, message: String| Diagnostic {
        location: Some(Location { line, column }),
        message,
    };
    while i < bytes.len() {
        let rest = &bytes[i..];
        let starts_token = i == 0 || !is_ident_byte(bytes[i - 1]);
        // Whitespace and comments keep what came before; every other token replaces it.
        let mut next = Before::Other;
        let length = match rest {
            [b' ' | b'\t' | b'\n' | b'\r', ..] => {
                next = before;
                1
            }
            [b'/', b'/', ..] => {
                next = before;
                rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
            }
            [b'/', b'*', ..] => {
                next = before;
                block_comment(rest)
            }
            [b'"', ..] => quoted(rest, b'"'),
            [b'r' | b'b' | b'c', ..] if starts_token && raw_string(rest).is_some() => {
                raw_string(rest).unwrap_or(1)
            }
            [b'\'', b'\\', ..] => quoted(rest, b'\''),
            [b'\'', ..] => char_literal(rest).unwrap_or(1),
            [first, ..] if starts_token && is_ident_byte(*first) && !first.is_ascii_digit() => {
                let length = rest.iter().take_while(|&&b| is_ident_byte(b)).count();
                let ident = &rest[..length];
                next = match before {
                    Before::Bang { rules: true, .. } => Before::RulesName,
                    _ => Before::Ident {
                        ours: ident == MACRO.as_bytes(),
                        rules: ident == b"macro_rules",
                    },
                };
                length
            }
            [b'!', ..] => {
                if let Before::Ident { ours, rules } = before {
                    next = Before::Bang { ours, rules };
                }
                1
            }
            [b'(' | b'[' | b'{', ..] => {
                if open.len() == MAX_NESTING {
                    return Err(error(
                        line,
                        column,
                        format!(
                            "nested more than {MAX_NESTING} levels deep; connector-roles reads files nested at most that deep"
                        ),
                    ));
                }
                let body = matches!(before, Before::Bang { .. } | Before::RulesName);
                let in_a_body = open.iter().any(|(body, _)| *body);
                let ours = matches!(before, Before::Bang { ours: true, .. }) && !in_a_body;
                let item = Item {
                    start: i,
                    end: i,
                    line,
                    column,
                };
                open.push((body, ours.then_some(item)));
                1
            }
            [b')' | b']' | b'}', ..] => {
                if let Some((_, Some(mut item))) = open.pop() {
                    item.end = i + 1;
                    if item.end - item.start > MAX_INVOCATION {
                        return Err(error(
                            item.line,
                            item.column,
                            format!(
                                "this `{MACRO}!` invocation is {} bytes long; connector-roles reads invocations of at most {} KiB (a declaration is a few)",
                                item.end - item.start,
                                MAX_INVOCATION >> 10
                            ),
                        ));
                    }
                    found.push(item);
                }
                1
            }
            _ => 1,
        };
        let end = (i + length.max(1)).min(bytes.len());
        // Advances past the token, keeping the line and the column in characters.
        for &byte in &bytes[i..end] {
            if byte == b'\n' {
                (line, column) = (line + 1, 1);
            } else if byte & 0xC0 != 0x80 {
                column += 1;
            }
        }
        (i, before) = (end, next);
    }
    Ok(found)
}

/// The last token before the scan's position that matters for finding invocations.
#[derive(Debug, Clone, Copy)]
enum Before {
    /// Anything else.
    Other,
    /// An identifier: the macro's name, or `macro_rules`.
    Ident { ours: bool, rules: bool },
    /// An identifier and `!`: a delimiter now opens a macro's body.
    Bang { ours: bool, rules: bool },
    /// `macro_rules! name`: a delimiter now opens the definition's body.
    RulesName,
}

/// Whether `byte` can be part of an identifier (non-ASCII bytes are taken as such).
fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The length of the block comment at the start of `text`, nested ones included.
fn block_comment(text: &[u8]) -> usize {
    let (mut i, mut depth) = (0, 0);
    while i < text.len() {
        match &text[i..] {
            [b'/', b'*', ..] => (depth, i) = (depth + 1, i + 2),
            [b'*', b'/', ..] => {
                (depth, i) = (depth - 1, i + 2);
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    text.len()
}

/// The length of the literal at the start of `text` that `quote` closes, escapes skipped.
fn quoted(text: &[u8], quote: u8) -> usize {
    let mut i = 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
}

/// The length of the character literal (`'a'`, `'é'`) at the start of `text`; `None` for a
/// lifetime or label (`'a`).
fn char_literal(text: &[u8]) -> Option<usize> {
    let first = *text.get(1)?;
    // The length of the UTF-8 character from its first byte.
    let width = match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    };
    (text.get(1 + width) == Some(&b'\'')).then_some(2 + width)
}

/// The length of the raw string (`r"…"`, `br#"…"#`, `cr##"…"##`) at the start of `text`.
fn raw_string(text: &[u8]) -> Option<usize> {
    let prefix = match text {
        [b'r', ..] => 1,
        [b'b' | b'c', b'r', ..] => 2,
        _ => return None,
    };
    let hashes = text[prefix..].iter().take_while(|&&c| c == b'#').count();
    if text.get(prefix + hashes) != Some(&b'"') {
        return None;
    }
    let body = prefix + hashes + 1;
    (body..text.len())
        .find(|&i| {
            text[i] == b'"'
                && text[i + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == b'#')
                    .count()
                    == hashes
        })
        .map(|end| end + 1 + hashes)
        .or(Some(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_invocations_everywhere_and_locates_errors() {
        let source = r#"
use connector_roles::connector_role;

connector_role! { A { connector: rds_mysql } }

mod infra {
    fn build() {
        connector_roles::connector_role! { B { connector: rds_mysql } C { connector: rds_mysql } }
    }
}
"#;
        let names: Vec<String> = roles(source).unwrap().into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["a", "b", "c"]);

        let broken = "connector_role! {\n    A {\n        connector: rds_mysql,\n        account_id: \"12345\",\n    }\n}\n";
        let errors = roles(broken).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].location,
            Some(Location {
                line: 4,
                column: 21
            })
        );
        assert!(errors[0].message.starts_with("invalid `account_id`"));
    }

    #[test]
    fn deep_nesting_is_an_error_at_the_delimiter_not_a_crash() {
        for (open, close) in [
            ("mod a {", "}"),
            ("fn f() {", "}"),
            ("const A: u8 = (", ")"),
        ] {
            let source = format!("{}{}", open.repeat(1_500), close.repeat(1_500));
            let errors = roles(&source).unwrap_err();
            assert_eq!(errors.len(), 1);
            assert!(
                errors[0]
                    .message
                    .contains("nested more than 128 levels deep"),
                "{errors:?}"
            );
            assert_eq!(errors[0].location.map(|l| l.line), Some(1));
        }
        let lines = "{\n".repeat(200);
        assert_eq!(
            roles(&lines).unwrap_err()[0].location.map(|l| l.line),
            Some(129)
        );
    }

    #[test]
    fn delimiters_in_comments_strings_and_characters_do_not_nest() {
        let noise = "// {{{{\n/* {{ /* {{ */ {{ */ \"{{\\\"{{\" r#\"{{\"# b\"{{\" '{' '\\'' 'a: ";
        let source = format!("fn f() {{ {} }}", noise.repeat(200));
        assert!(invocations(&source).is_ok(), "{source}");
    }

    #[test]
    fn other_macros_bodies_comments_and_strings_are_not_searched() {
        let decl = |name: &str| format!("connector_role! {{ {name} {{ connector: rds_mysql }} }}");
        let source = format!(
            "macro_rules! m {{ () => {{ {} }} }}\nquote::quote! {{ {} }}\n// {}\n/* {} */\nconst S: &str = r#\"{}\"#;\nfn f(x: bool) {{ if !x {{ {} }} let c = '{{'; }}\nconnector_roles :: connector_role ! ( {} );\n",
            decl("InRules"),
            decl("InQuote"),
            decl("InLineComment"),
            decl("InBlockComment"),
            decl("InRawString"),
            decl("InFunction"),
            "Spaced { connector: rds_mysql }",
        );
        let names: Vec<String> = roles(&source)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["in-function", "spaced"]);
    }

    #[test]
    fn an_invocation_over_the_cap_is_an_error_at_its_body() {
        let tags: Vec<String> = (0..100_000).map(|i| format!("\"k{i}\": \"v\"")).collect();
        let source = format!(
            "\n  connector_role! {{ A {{ connector: rds_mysql, tags: {{ {} }} }} }}",
            tags.join(", ")
        );
        let errors = roles(&source).unwrap_err();
        assert_eq!(
            errors[0].location,
            Some(Location {
                line: 2,
                column: 19
            })
        );
        assert!(errors[0].message.contains("at most 1024 KiB"), "{errors:?}");
    }
}
