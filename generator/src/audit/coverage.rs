//! What a set of statements grants, whatever their grouping: each statement read as its
//! atoms (one action on one resource for one principal, under the statement's conditions),
//! so that statements split or merged differently from the documented ones are compared by
//! what they grant. An atom is covered by a statement that allows its action, resource and
//! principal (exactly or by a wildcard) under the same conditions.

use super::grant::{Condition, Grant, Text};
use super::pattern;

/// One action on one resource, for one principal (none in a permission policy), under a
/// set of conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom<'a> {
    action: &'a str,
    resource: Option<&'a str>,
    principal: Option<&'a str>,
    conditions: &'a [Condition],
}

/// The atoms of an `Allow` statement whose values are all known; `None` for any other
/// (a `Deny`, a `Not...` element, an unresolved value), which is compared as it is.
pub fn atoms(grant: &Grant) -> Option<Vec<Atom<'_>>> {
    if !plain_allow(grant) {
        return None;
    }
    let resources = optional(&grant.resources.values);
    let principals = optional(&grant.principals.values);
    let mut out = Vec::new();
    for action in grant.actions.values.iter().filter_map(Text::known) {
        for resource in &resources {
            for principal in &principals {
                out.push(Atom {
                    action,
                    resource: *resource,
                    principal: *principal,
                    conditions: &grant.conditions,
                });
            }
        }
    }
    Some(out)
}

/// Whether `grant` is an `Allow` without `Not...` elements whose values are all known: one
/// read as atoms.
fn plain_allow(grant: &Grant) -> bool {
    let all_known = |values: &[Text]| values.iter().all(|v| v.known().is_some());
    grant.effect.known() == Some("Allow")
        && !grant.actions.negated
        && !grant.resources.negated
        && !grant.principals.negated
        && all_known(&grant.actions.values)
        && all_known(&grant.resources.values)
        && all_known(&grant.principals.values)
        && grant.conditions.iter().all(|c| all_known(&c.values))
        && grant.unresolved.is_empty()
}

/// Each value, or one `None` for an element the statement does not have.
fn optional(values: &[Text]) -> Vec<Option<&str>> {
    if values.is_empty() {
        vec![None]
    } else {
        values.iter().map(Text::known).collect()
    }
}

/// Whether `grant` allows `atom`: its action, resource and principal (exactly or by a
/// wildcard) under exactly the atom's conditions.
pub fn covers(grant: &Grant, atom: &Atom<'_>) -> bool {
    // An element the statement does not have matches only an atom without it.
    let any = |values: &[Text], value: Option<&str>, ignore_case: bool| match value {
        Some(value) => values
            .iter()
            .filter_map(Text::known)
            .any(|pattern| pattern::matches(pattern, value, ignore_case)),
        None => values.is_empty(),
    };
    plain_allow(grant)
        && any(&grant.actions.values, Some(atom.action), true)
        && any(&grant.resources.values, atom.resource, false)
        && any(&grant.principals.values, atom.principal, false)
        && same_conditions(&grant.conditions, atom.conditions)
}

/// Whether every atom of `grant` is allowed by one of `by`: what it grants, they grant.
pub fn granted_by(grant: &Grant, by: &[&Grant]) -> bool {
    atoms(grant).is_some_and(|atoms| {
        !atoms.is_empty()
            && atoms
                .iter()
                .all(|atom| by.iter().any(|other| covers(other, atom)))
    })
}

/// Whether every atom `grant` has for `value` (an action or a resource of it) is allowed by
/// one of `by`: the value is granted elsewhere, as it is here.
pub fn value_granted_by(grant: &Grant, value: &str, by: &[&Grant]) -> bool {
    atoms(grant).is_some_and(|atoms| {
        let of_value: Vec<&Atom<'_>> = atoms
            .iter()
            .filter(|atom| atom.action == value || atom.resource == Some(value))
            .collect();
        !of_value.is_empty()
            && of_value
                .iter()
                .all(|atom| by.iter().any(|other| covers(other, atom)))
    })
}

/// Whether two condition sets test the same keys with the same operators and values, in
/// any order (keys without regard to case, as IAM reads them).
fn same_conditions(a: &[Condition], b: &[Condition]) -> bool {
    let normal = |conditions: &[Condition]| {
        let mut list: Vec<(String, String, Vec<String>)> = conditions
            .iter()
            .map(|c| {
                let mut values: Vec<String> = c.values.iter().map(Text::shown).collect();
                values.sort();
                (c.operator.clone(), c.key.to_ascii_lowercase(), values)
            })
            .collect();
        list.sort();
        list
    };
    normal(a) == normal(b)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::audit::grant::read_document;

    fn grants(statements: serde_json::Value) -> Vec<Grant> {
        read_document(&json!({ "Statement": statements }), "test").unwrap()
    }

    fn by(list: &[Grant]) -> Vec<&Grant> {
        list.iter().collect()
    }

    #[test]
    fn merged_statements_grant_what_the_split_ones_do() {
        let condition = json!({ "StringEquals": { "aws:ResourceAccount": "111122223333" } });
        let split = grants(json!([
            { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": condition },
            { "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b/*", "Condition": condition },
        ]));
        let merged = grants(json!([
            { "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::b/*", "Condition": condition },
        ]));
        assert!(split.iter().all(|g| granted_by(g, &by(&merged))));
        assert!(granted_by(&merged[0], &by(&split)));
        // Without the condition, the merged statement grants more than the split ones.
        let loose = grants(json!([
            { "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::b/*" },
        ]));
        assert!(!granted_by(&loose[0], &by(&split)));
        assert!(value_granted_by(&merged[0], "s3:ListBucket", &by(&split)));
        assert!(!value_granted_by(
            &merged[0],
            "s3:DeleteObject",
            &by(&split)
        ));
    }
}
