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
            Some(value) => write!(f, "{}: {value:?} {}", self.path, self.rule),
            None if self.path.is_empty() => f.write_str(&self.rule),
            None => write!(f, "{}: {}", self.path, self.rule),
        }
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

/// A template failed to render.
#[derive(Debug, thiserror::Error)]
#[error("rendering {file}: {source}")]
pub struct RenderError {
    /// The artifact being rendered.
    pub file: String,
    /// What askama reported.
    #[source]
    pub source: askama::Error,
}
