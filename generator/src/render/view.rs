//! The policy model laid out for templates, shared by every code-emitting renderer.
//!
//! [`statements`] walks a [`PolicyDocument`] once, groups conditions by operator as IAM
//! writes them, and prints every string with the renderer's [`Idiom`]. A renderer then only
//! decides how to lay out a [`ResourceView::Each`] (one ARN per element of an open list).

use crate::field::Field;
use crate::interp::Idiom;
use crate::model::{OneOrMany, PolicyDocument, Resource};

/// One statement, its strings already printed as code of the target format.
#[derive(Debug, Clone)]
pub struct StatementView {
    /// The documented Sid.
    pub sid: String,
    /// `Allow`.
    pub effect: String,
    /// The service principal, in a trust policy.
    pub principal_service: Option<String>,
    /// The actions, as written in the documentation (plain strings, not code).
    pub actions: OneOrMany<String>,
    /// The resources.
    pub resources: Option<OneOrMany<ResourceView>>,
    /// The conditions, grouped by operator in documented order.
    pub conditions: Vec<OperatorView>,
}

/// One resource entry as code.
#[derive(Debug, Clone)]
pub enum ResourceView {
    /// One ARN expression.
    One(String),
    /// One ARN per element of the open list `Field`; the expression refers to the element as
    /// the idiom prints a reference to that field.
    Each(Field, String),
}

/// The keys of one condition operator.
#[derive(Debug, Clone)]
pub struct OperatorView {
    /// `StringEquals`, `ArnLike`, ...
    pub operator: String,
    /// Each condition key with its value or values as code.
    pub keys: Vec<(String, OneOrMany<String>)>,
}

/// The statements of `policy`, with every string printed by `idiom`.
pub fn statements(policy: &PolicyDocument, idiom: &impl Idiom) -> Vec<StatementView> {
    policy
        .statements
        .iter()
        .map(|statement| {
            let mut conditions: Vec<OperatorView> = Vec::new();
            for condition in &statement.conditions {
                let values = condition.values.map(|value| idiom.expression(value));
                let key = (condition.key.clone(), values);
                match conditions
                    .iter_mut()
                    .find(|o| o.operator == condition.operator)
                {
                    Some(operator) => operator.keys.push(key),
                    None => conditions.push(OperatorView {
                        operator: condition.operator.clone(),
                        keys: vec![key],
                    }),
                }
            }
            StatementView {
                sid: statement.sid.clone(),
                effect: statement.effect.clone(),
                principal_service: statement.principal_service.clone(),
                actions: statement.actions.clone(),
                resources: statement.resources.as_ref().map(|resources| {
                    resources.map(|resource| match resource {
                        Resource::One(interp) => ResourceView::One(idiom.expression(interp)),
                        Resource::Each(field, interp) => {
                            ResourceView::Each(*field, idiom.expression(interp))
                        }
                    })
                }),
                conditions,
            }
        })
        .collect()
}

impl ResourceView {
    /// The expression, for a template to print.
    pub fn code(&self) -> &str {
        match self {
            ResourceView::One(code) | ResourceView::Each(_, code) => code,
        }
    }
}
