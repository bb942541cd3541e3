//! Typed errors of the library.

use std::fmt;

/// One problem with a declaration: where it is, the value, and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The field's path in the declaration: `values.account_id`, `vpc.subnet_ids[1]`.
    pub path: String,
    /// The offending value, when there is one.
    pub value: Option<String>,
    /// The rule, in words, with a valid example where one helps.
    pub rule: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(value) => write!(f, "{}: {} {}", self.path, quoted(value), self.rule),
            None if self.path.is_empty() => f.write_str(&self.rule),
            None => write!(f, "{}: {}", self.path, self.rule),
        }
    }
}

/// The longest part of a value an error message quotes.
const QUOTED: usize = 200;

/// `value` in quotes, escaped; past 200 characters its start and its length.
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(QUOTED) {
        None => format!("{value:?}"),
        Some((end, _)) => format!(
            "{:?}… ({} characters)",
            &value[..end],
            value.chars().count()
        ),
    }
}

/// Every problem found in one declaration (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// A problem in the text of a declaration, located where the reader found it: the JSON
/// spec reader ([`crate::front::json::read`]) and the Rust source reader
/// ([`crate::front::rust::source::roles`]) both report these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the problem is, when the text says (a spec that is not JSON at all may not).
    pub location: Option<Location>,
    /// What is wrong, naming the field and the rule.
    pub message: String,
}

/// A 1-based line and column (of characters) in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

/// The widest part of a source line an excerpt shows.
const EXCERPT: usize = 100;

impl Diagnostic {
    /// The diagnostic as a compiler prints it: `file:line:column: message` and the source
    /// line with a caret under the column, or `file: message` when it has no location.
    pub fn show(&self, file: &str, text: &str) -> String {
        match self.location {
            Some(Location { line, column }) => format!(
                "{file}:{line}:{column}: {}\n{}",
                self.message,
                excerpt(text, line, column)
            ),
            None => format!("{file}: {}", self.message),
        }
    }
}

/// The source line `line` with a caret under `column`, as compilers show it; a long line is
/// cut to the [`EXCERPT`] characters around the column, `…` marking each cut.
fn excerpt(text: &str, line: usize, column: usize) -> String {
    let source = text.lines().nth(line - 1).unwrap_or_default();
    let width = source.chars().count();
    let (start, caret) = if width <= EXCERPT {
        (0, column - 1)
    } else {
        let start = (column - 1)
            .saturating_sub(EXCERPT / 2)
            .min(width - EXCERPT);
        (start, column - 1 - start)
    };
    let mut shown: String = source.chars().skip(start).take(EXCERPT).collect();
    let mut caret = caret;
    if start > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if start + EXCERPT < width {
        shown.push('…');
    }
    let gutter = " ".repeat(line.to_string().len());
    format!(
        "{gutter} |\n{line} | {shown}\n{gutter} | {}^",
        " ".repeat(caret)
    )
}

/// Rendering failed: a template, or something the model lacks that a format needs.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to render.
    #[error("rendering {file}: {source}")]
    Template {
        /// The artifact being rendered.
        file: String,
        /// What askama reported.
        #[source]
        source: askama::Error,
    },
    /// A stack was rendered before any role was added to it.
    #[error("stack {0:?} holds no roles: add one with Stack::add")]
    EmptyStack(String),
    /// A connector's trust policy names no service principal, which the CDK's `assumedBy`
    /// needs (the catalog tests keep this from happening).
    #[error("the trust policy of connector {0} names no service principal")]
    NoServicePrincipal(String),
}

#[cfg(test)]
mod tests {
    use super::{excerpt, quoted};

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let shown = excerpt(&line, 1, 501);
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[1].chars().count() < 120, "{shown}");
        let caret = lines[2].chars().count() - 1;
        assert_eq!(lines[1].chars().nth(caret), Some('X'), "{shown}");
    }

    #[test]
    fn long_values_are_quoted_in_part_with_their_length() {
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
        let long = "é".repeat(1_000);
        assert_eq!(
            quoted(&long),
            format!("{:?}… (1000 characters)", "é".repeat(200))
        );
    }
}
