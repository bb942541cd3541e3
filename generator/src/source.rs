//! Finds the `connector_role!` invocations of a Rust source file without compiling it, for
//! the CLI: in items, in modules and in function bodies, by the macro's last path segment.

use syn::visit::Visit;

use crate::declaration::check_all;
use crate::parse::Declarations;
use crate::spec::RoleSpec;

/// The name the macro is invoked by.
const MACRO: &str = "connector_role";

/// One problem in a source file, with its 1-based line and column (of characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
    /// The message, as the macro would print it.
    pub message: String,
}

/// The deepest nesting of `()`, `[]` and `{}` a source file may have: syn parses nesting
/// recursively, and this bounds the stack it takes (real code nests a few dozen levels).
pub const MAX_NESTING: usize = 128;

/// Every role declared in `source`, or every error, as the macro would report them.
pub fn roles(source: &str) -> Result<Vec<RoleSpec>, Vec<SourceError>> {
    check_nesting(source).map_err(|e| vec![e])?;
    let file = syn::parse_file(source).map_err(|e| vec![located(&e)])?;
    let mut finder = Finder {
        invocations: Vec::new(),
    };
    finder.visit_file(&file);
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    for tokens in finder.invocations {
        match syn::parse2::<Declarations>(tokens) {
            Ok(declarations) => match check_all(&declarations) {
                Ok(checked) => specs.extend(checked.into_iter().map(|(spec, _)| spec)),
                Err(more) => errors.extend(more.iter().map(located)),
            },
            Err(error) => errors.push(located(&error)),
        }
    }
    if errors.is_empty() {
        Ok(specs)
    } else {
        Err(errors)
    }
}

fn located(error: &syn::Error) -> SourceError {
    let start = error.span().start();
    SourceError {
        line: start.line,
        column: start.column + 1,
        message: error.to_string(),
    }
}

struct Finder {
    invocations: Vec<proc_macro2::TokenStream>,
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == MACRO)
        {
            self.invocations.push(mac.tokens.clone());
        }
        syn::visit::visit_macro(self, mac);
    }
}

/// An error at the first delimiter nested deeper than [`MAX_NESTING`] levels, found by a
/// scan that skips comments, strings, raw strings and character literals (and uses no
/// stack per level).
fn check_nesting(source: &str) -> Result<(), SourceError> {
    let chars: Vec<char> = source.chars().collect();
    let (mut i, mut depth, mut line, mut column) = (0, 0usize, 1, 1);
    // Advances past `count` characters, keeping the line and column.
    let skip = |i: &mut usize, count: usize, line: &mut usize, column: &mut usize| {
        for _ in 0..count {
            if chars.get(*i) == Some(&'\n') {
                (*line, *column) = (*line + 1, 1);
            } else {
                *column += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let rest = &chars[i..];
        let starts_token = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        let length = match rest {
            ['/', '/', ..] => rest.iter().position(|&c| c == '\n').unwrap_or(rest.len()),
            ['/', '*', ..] => block_comment(rest),
            ['"', ..] => quoted(rest, '"'),
            ['r' | 'b' | 'c', ..] if starts_token => raw_string(rest).unwrap_or(1),
            ['\'', '\\', ..] => quoted(rest, '\''),
            ['\'', _, '\'', ..] => 3,
            ['(' | '[' | '{', ..] => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(SourceError {
                        line,
                        column,
                        message: format!(
                            "nested more than {MAX_NESTING} levels deep; connector-roles reads files nested at most that deep"
                        ),
                    });
                }
                1
            }
            [')' | ']' | '}', ..] => {
                depth = depth.saturating_sub(1);
                1
            }
            _ => 1,
        };
        skip(&mut i, length.max(1), &mut line, &mut column);
    }
    Ok(())
}

/// The length of the block comment at the start of `text`, nested ones included.
fn block_comment(text: &[char]) -> usize {
    let (mut i, mut depth) = (0, 0);
    while i < text.len() {
        match &text[i..] {
            ['/', '*', ..] => (depth, i) = (depth + 1, i + 2),
            ['*', '/', ..] => {
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
fn quoted(text: &[char], quote: char) -> usize {
    let mut i = 1;
    while i < text.len() {
        match text[i] {
            '\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
}

/// The length of the raw string (`r"…"`, `br#"…"#`, `cr##"…"##`) at the start of `text`.
fn raw_string(text: &[char]) -> Option<usize> {
    let prefix = match text {
        ['r', ..] => 1,
        ['b' | 'c', 'r', ..] => 2,
        _ => return None,
    };
    let hashes = text[prefix..].iter().take_while(|&&c| c == '#').count();
    if text.get(prefix + hashes) != Some(&'"') {
        return None;
    }
    let body = prefix + hashes + 1;
    (body..text.len())
        .find(|&i| {
            text[i] == '"'
                && text[i + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == '#')
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
        assert_eq!((errors[0].line, errors[0].column), (4, 21));
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
            assert_eq!(errors[0].line, 1);
        }
        let lines = "{\n".repeat(200);
        assert_eq!(roles(&lines).unwrap_err()[0].line, 129);
    }

    #[test]
    fn delimiters_in_comments_strings_and_characters_do_not_nest() {
        let noise = "// {{{{\n/* {{ /* {{ */ {{ */ \"{{\\\"{{\" r#\"{{\"# b\"{{\" '{' '\\'' 'a: ";
        let source = format!("fn f() {{ {} }}", noise.repeat(200));
        assert!(check_nesting(&source).is_ok(), "{source}");
    }
}
