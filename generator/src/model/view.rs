//! The policy model laid out for templates, shared by every code-emitting renderer.
//!
//! [`statements`] walks a [`PolicyDocument`] once, groups conditions by operator as IAM
//! writes them, and prints every string with the renderer's [`Idiom`]. A renderer then only
//! decides how to lay out an [`ItemView::Each`] (one string per element of an open list), in
//! a `Resource` or in a condition's values.

use crate::model::field::Field;
use crate::model::interp::Idiom;
use crate::model::policy::{Item, OneOrMany, PolicyDocument};

/// One statement, its strings already printed as code of the target format.
#[derive(Debug, Clone)]
pub struct StatementView {
    /// The documented Sid, if the page gives one.
    pub sid: Option<String>,
    /// `Allow`.
    pub effect: String,
    /// The service principal, in a trust policy.
    pub principal_service: Option<String>,
    /// The actions, as written in the documentation (plain strings, not code).
    pub actions: OneOrMany<String>,
    /// The resources.
    pub resources: Option<OneOrMany<ItemView>>,
    /// The conditions, grouped by operator in documented order.
    pub conditions: Vec<OperatorView>,
}

/// One resource or condition value as code.
#[derive(Debug, Clone)]
pub enum ItemView {
    /// One expression.
    One(String),
    /// One string per element of the open list `Field`; the expression refers to the element
    /// as the idiom prints a reference to that field.
    Each(Field, String),
}

/// The keys of one condition operator.
#[derive(Debug, Clone)]
pub struct OperatorView {
    /// `StringEquals`, `ArnLike`, ...
    pub operator: String,
    /// Each condition key with its value or values as code.
    pub keys: Vec<(String, OneOrMany<ItemView>)>,
}

/// The statements of `policy`, with every string printed by `idiom`.
pub fn statements(policy: &PolicyDocument, idiom: &impl Idiom) -> Vec<StatementView> {
    let items = |items: &OneOrMany<Item>| {
        items.map(|item| match item {
            Item::One(interp) => ItemView::One(idiom.expression(interp)),
            Item::Each(field, interp) => ItemView::Each(*field, idiom.expression(interp)),
        })
    };
    policy
        .statements
        .iter()
        .map(|statement| {
            let mut conditions: Vec<OperatorView> = Vec::new();
            for condition in &statement.conditions {
                let key = (condition.key.clone(), items(&condition.values));
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
                resources: statement.resources.as_ref().map(items),
                conditions,
            }
        })
        .collect()
}

impl ItemView {
    /// The expression, for a template to print.
    pub fn code(&self) -> &str {
        match self {
            ItemView::One(code) | ItemView::Each(_, code) => code,
        }
    }

    /// Whether the item stands for one string per element of an open list.
    pub fn is_each(&self) -> bool {
        matches!(self, ItemView::Each(..))
    }
}
