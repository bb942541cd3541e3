//! `variables.tf`: one `variable` per open parameter of each role, each held by a
//! `validation` block to the same regular expression as the Rust rule, then the role name
//! where the spec leaves it open, then the shared tags.

use super::ELEMENT;
use super::hcl::quoted;
use crate::model::field::Field;
use crate::render::names::{Names, Unit};
use crate::spec::rules::{self, ROLE_NAME};

/// One `variable` block.
pub(super) struct Variable {
    pub(super) name: String,
    pub(super) description: &'static str,
    /// The type constraint, code.
    pub(super) type_constraint: &'static str,
    /// The default, code; the variable is required without one.
    pub(super) default: Option<&'static str>,
    pub(super) validations: Vec<Validation>,
}

/// One `validation` block.
pub(super) struct Validation {
    /// The condition, code.
    pub(super) condition: String,
    /// The message, text.
    pub(super) error_message: String,
}

/// The module's inputs: each role's open parameters, then its role name (when the spec
/// leaves it open); then the tags, shared by every role.
pub(super) fn variables(unit: &Unit<'_>) -> Vec<Variable> {
    let mut variables = Vec::new();
    for member in &unit.members {
        let names = &member.names;
        variables.extend(
            member
                .role
                .parameters
                .iter()
                .map(|&field| parameter(field, names)),
        );
        if member.role.spec.role_name.is_none() {
            let name = names.terraform("role_name");
            variables.push(Variable {
                description: "Name of the IAM role; Terraform generates a unique name when null",
                type_constraint: "string",
                default: Some("null"),
                validations: vec![Validation {
                    condition: format!(
                        "var.{name} == null || {}",
                        matches(&ROLE_NAME, &format!("var.{name}"))
                    ),
                    error_message: message(&format!("The value of {name}"), &ROLE_NAME),
                }],
                name,
            });
        }
    }
    variables.push(Variable {
        name: "tags".to_owned(),
        description: if unit.stacked {
            "Tags applied to every IAM role of the module"
        } else {
            "Tags applied to the IAM role"
        },
        type_constraint: "map(string)",
        default: Some("{}"),
        validations: Vec::new(),
    });
    variables
}

/// The variable of an open parameter, validated by the field's rule.
fn parameter(field: Field, names: &Names) -> Variable {
    let name = names.terraform(field.name());
    let rule = field.rule();
    let validations = if field.is_list() {
        vec![
            Validation {
                condition: format!("length(var.{name}) > 0"),
                error_message: format!(
                    "The list {name} must hold at least one ID (for example [\"{}\"]).",
                    rule.example
                ),
            },
            Validation {
                condition: format!(
                    "alltrue([for {ELEMENT} in var.{name} : {}])",
                    matches(rule, ELEMENT)
                ),
                error_message: message(&format!("Every element of {name}"), rule),
            },
        ]
    } else {
        vec![Validation {
            condition: matches(rule, &format!("var.{name}")),
            error_message: message(&format!("The value of {name}"), rule),
        }]
    };
    Variable {
        name,
        description: field.description(),
        type_constraint: if field.is_list() {
            "list(string)"
        } else {
            "string"
        },
        default: None,
        validations,
    }
}

/// `can(regex("PATTERN", value))`: Terraform's `regex` is RE2, which reads the rules'
/// patterns as Rust's `regex` does.
fn matches(rule: &rules::Rule, value: &str) -> String {
    format!("can(regex({}, {value}))", quoted(rule.pattern))
}

/// A validation message: one sentence, as Terraform wants it.
fn message(subject: &str, rule: &rules::Rule) -> String {
    format!(
        "{subject} {} (for example {}).",
        rule.description, rule.example
    )
}
