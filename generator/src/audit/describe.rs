//! Statements, conditions and what a statement's elements hold, in words, for the audit's
//! messages.

use super::finding::{FindingKind, listed};
use super::grant::{Condition, Element, Grant, Text};

/// `allows `a`, `b` on `r` when StringEquals `k` is `v``: a statement in words.
pub fn describe(grant: &Grant) -> String {
    let shown = |values: &[Text]| -> Vec<String> { values.iter().map(Text::shown).collect() };
    let not = |element: &Element| {
        if element.negated {
            "every value but "
        } else {
            ""
        }
    };
    let mut text = format!(
        "allows {}{}",
        not(&grant.actions),
        listed(&shown(&grant.actions.values))
    );
    if !grant.principals.values.is_empty() {
        text.push_str(&format!(
            " to {}{}",
            not(&grant.principals),
            listed(&shown(&grant.principals.values))
        ));
    }
    if !grant.resources.values.is_empty() {
        text.push_str(&format!(
            " on {}{}",
            not(&grant.resources),
            listed(&shown(&grant.resources.values))
        ));
    }
    for condition in &grant.conditions {
        text.push_str(&format!(" when {}", condition_words(condition)));
    }
    text
}

/// `StringEquals `k` is `v``: a condition in words.
pub fn condition_words(condition: &Condition) -> String {
    let values: Vec<String> = condition.values.iter().map(Text::shown).collect();
    format!(
        "{} `{}` is {}",
        condition.operator,
        condition.key,
        listed(&values)
    )
}

/// What an element holds, for the words and kinds of its findings.
#[derive(Clone, Copy)]
pub enum Holds {
    /// A trust policy's principals.
    Principals,
    /// A statement's actions.
    Actions,
    /// A statement's resources.
    Resources,
}

impl Holds {
    /// The element's values, one: `action`.
    pub fn noun(self) -> &'static str {
        match self {
            Holds::Principals => "principal",
            Holds::Actions => "action",
            Holds::Resources => "resource",
        }
    }

    /// The kinds of a missing, an extra and a wider value.
    pub fn kinds(self) -> [FindingKind; 3] {
        match self {
            Holds::Principals => [
                FindingKind::MissingPrincipal,
                FindingKind::ExtraPrincipal,
                FindingKind::ExtraPrincipal,
            ],
            Holds::Actions => [
                FindingKind::MissingAction,
                FindingKind::ExtraAction,
                FindingKind::WiderAction,
            ],
            Holds::Resources => [
                FindingKind::MissingResource,
                FindingKind::ExtraResource,
                FindingKind::WiderResource,
            ],
        }
    }

    /// The policy keyword, `Action` or `NotAction`.
    pub fn keyword(self, negated: bool) -> &'static str {
        match (self, negated) {
            (Holds::Principals, false) => "Principal",
            (Holds::Principals, true) => "NotPrincipal",
            (Holds::Actions, false) => "Action",
            (Holds::Actions, true) => "NotAction",
            (Holds::Resources, false) => "Resource",
            (Holds::Resources, true) => "NotResource",
        }
    }
}
