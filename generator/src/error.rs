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
    use super::quoted;

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
