//! The comparison of a role's statements with the documented ones.
//!
//! Statements are paired by Sid; a documented statement whose Sid the role lacks is paired
//! with the role's unpaired statement that grants the most of its actions. In each pair,
//! actions, resources and principals are compared as sets (a wildcard that matches a
//! documented value is wider, not missing), and conditions key by key. A value that differs
//! from the documented one only in an account ID, a region or a partition is reported as
//! such rather than as one missing and one extra value.

use super::coverage;
use super::describe::{Holds, condition_words, describe};
use super::finding::{Finding, FindingKind, PolicyKind, Severity, listed};
use super::grant::{Condition, Element, Grant, Text};
use super::pattern::{self, covers};
use super::values::{self, Found, Matching, Moved};

/// Every difference between the `documented` statements of a policy and the role's.
pub fn compare(policy: PolicyKind, documented: &[Grant], found: &[Grant]) -> Vec<Finding> {
    let allows: Vec<&Grant> = found
        .iter()
        .filter(|grant| grant.effect.known() == Some("Allow"))
        .collect();
    let documented_all: Vec<&Grant> = documented.iter().collect();
    let mut out = Findings {
        policy,
        list: Vec::new(),
        blocked: Vec::new(),
        documented: &documented_all,
        allows: &allows,
    };
    for grant in found {
        match &grant.effect {
            Text::Known(effect) if effect == "Allow" => {}
            Text::Known(effect) => {
                out.push(
                    grant.label(),
                    FindingKind::ExtraStatement,
                    (vec![], vec![effect.clone()]),
                    format!(
                        "the documentation has no {effect} statement; this one {} (it narrows the role)",
                        describe(grant)
                    ),
                );
                out.narrowing();
            }
            Text::Unresolved(what) => out.push(
                grant.label(),
                FindingKind::Unresolved,
                (vec![], vec![what.clone()]),
                format!("its Effect could not be resolved ({what}), so it was not compared"),
            ),
        }
    }
    let pairs = pair(documented, &allows);
    for (grant, counterpart) in documented.iter().zip(&pairs) {
        match counterpart {
            Some(j) => out.statement(grant, allows[*j]),
            None if coverage::granted_by(grant, &allows) => {
                let by = granted_by_labels(grant, &allows);
                out.push(
                    grant.label(),
                    FindingKind::Regrouped,
                    (vec![grant.label()], by.clone()),
                    format!(
                        "is granted by the role's {}, which group the documented statements differently: the same actions, resources and conditions",
                        listed(&by)
                    ),
                );
            }
            None => out.push(
                grant.label(),
                FindingKind::MissingStatement,
                (vec![describe(grant)], vec![]),
                format!(
                    "is missing: no statement of the role grants what the documented one does; it {}",
                    describe(grant)
                ),
            ),
        }
    }
    for (j, grant) in allows.iter().enumerate() {
        if !pairs.contains(&Some(j)) && coverage::granted_by(grant, &documented_all) {
            out.push(
                grant.label(),
                FindingKind::Regrouped,
                (
                    granted_by_labels(grant, &documented_all),
                    vec![grant.label()],
                ),
                "grants only what documented statements grant, grouped differently".to_owned(),
            );
        } else if !pairs.contains(&Some(j)) {
            out.push(
                grant.label(),
                FindingKind::ExtraStatement,
                (vec![], vec![describe(grant)]),
                format!("is not documented: it {}", describe(grant)),
            );
        }
    }
    out.list
}

/// The labels of the statements among `by` that grant part of what `grant` does.
fn granted_by_labels(grant: &Grant, by: &[&Grant]) -> Vec<String> {
    let atoms = coverage::atoms(grant).unwrap_or_default();
    by.iter()
        .filter(|other| atoms.iter().any(|atom| coverage::covers(other, atom)))
        .map(|other| other.label())
        .collect()
}

/// For each documented statement, the index of its counterpart among `found`.
fn pair(documented: &[Grant], found: &[&Grant]) -> Vec<Option<usize>> {
    let mut pairs: Vec<Option<usize>> = vec![None; documented.len()];
    let mut taken = vec![false; found.len()];
    for (i, grant) in documented.iter().enumerate() {
        let same_sid = found
            .iter()
            .enumerate()
            .find(|(j, f)| !taken[*j] && grant.sid.is_some() && f.sid == grant.sid);
        if let Some((j, _)) = same_sid {
            pairs[i] = Some(j);
            taken[j] = true;
        }
    }
    for (i, grant) in documented.iter().enumerate() {
        if pairs[i].is_some() {
            continue;
        }
        let best = found
            .iter()
            .enumerate()
            .filter(|(j, _)| !taken[*j])
            .map(|(j, f)| (shared_actions(grant, f), j))
            .filter(|(shared, _)| *shared > 0)
            .max_by_key(|(shared, j)| (*shared, std::cmp::Reverse(*j)));
        if let Some((_, j)) = best {
            pairs[i] = Some(j);
            taken[j] = true;
        }
    }
    pairs
}

/// How many of `documented`'s actions `found` grants, exactly or by a wildcard.
fn shared_actions(documented: &Grant, found: &Grant) -> usize {
    if found.actions.negated {
        return 0;
    }
    known(&documented.actions.values)
        .filter(|action| {
            known(&found.actions.values)
                .any(|f| f.eq_ignore_ascii_case(action) || covers(f, action, true))
        })
        .count()
}

fn known(values: &[Text]) -> impl Iterator<Item = &str> {
    values.iter().filter_map(Text::known)
}

/// The findings of one policy, each under its statement.
struct Findings<'g> {
    policy: PolicyKind,
    list: Vec<Finding>,
    /// What the statement being compared holds unresolved, reported once when it is done.
    blocked: Vec<String>,
    /// Every documented statement, and every `Allow` statement of the role: a value one
    /// statement lacks or adds may be granted by another, as it is documented.
    documented: &'g [&'g Grant],
    allows: &'g [&'g Grant],
}

impl Findings<'_> {
    fn push(
        &mut self,
        statement: String,
        kind: FindingKind,
        (documented, found): (Vec<String>, Vec<String>),
        message: String,
    ) {
        self.list.push(Finding {
            policy: self.policy,
            statement,
            kind,
            severity: kind.severity(),
            documented,
            found,
            message,
        });
    }

    /// Marks the last finding as one that narrows the role: information only.
    fn narrowing(&mut self) {
        if let Some(last) = self.list.last_mut() {
            last.severity = Severity::Info;
        }
    }

    /// The differences between a documented statement and its counterpart.
    fn statement(&mut self, documented: &Grant, found: &Grant) {
        let name = documented.label();
        if documented.sid.is_some() && found.sid != documented.sid {
            self.push(
                name.clone(),
                FindingKind::DifferentSid,
                (documented.sid.iter().cloned().collect(), vec![found.label()]),
                format!(
                    "the role's counterpart, {}, has another Sid (matched by the actions it grants)",
                    found.label()
                ),
            );
        }
        let ignore_case = [false, true, false];
        for ((holds, d, f), ignore_case) in [
            (Holds::Principals, &documented.principals, &found.principals),
            (Holds::Actions, &documented.actions, &found.actions),
            (Holds::Resources, &documented.resources, &found.resources),
        ]
        .into_iter()
        .zip(ignore_case)
        {
            self.element(&name, holds, (d, f), (documented, found), ignore_case);
        }
        self.conditions(&name, documented, found);
        let mut blocked: Vec<String> = std::mem::take(&mut self.blocked);
        blocked.extend(found.unresolved.iter().cloned());
        blocked.dedup();
        if !blocked.is_empty() {
            self.push(
                name.clone(),
                FindingKind::Unresolved,
                (vec![], blocked.clone()),
                format!(
                    "could not resolve {}, so what it stands for was not compared (no other finding is reported for it)",
                    listed(&blocked)
                ),
            );
        }
    }

    fn element(
        &mut self,
        name: &str,
        holds: Holds,
        (documented, found): (&Element, &Element),
        (documented_grant, found_grant): (&Grant, &Grant),
        ignore_case: bool,
    ) {
        let [missing_kind, extra_kind, wider_kind] = holds.kinds();
        let noun = holds.noun();
        if found.negated {
            let values: Vec<String> = found.values.iter().map(Text::shown).collect();
            self.push(
                name.to_owned(),
                wider_kind,
                (vec![], values.clone()),
                format!(
                    "uses {}: every {noun} but {}, far wider than the documented {}",
                    holds.keyword(true),
                    listed(&values),
                    holds.keyword(false)
                ),
            );
            return;
        }
        let matching = Matching {
            ignore_case,
            wildcards: true,
        };
        let sorted = values::sort(&documented.values, &found.values, matching);
        for value in &sorted.found {
            match value {
                Found::Unresolved(what) => self.blocked.push(what.clone()),
                Found::Covering { value, covered } => self.push(
                    name.to_owned(),
                    wider_kind,
                    (covered.clone(), vec![value.clone()]),
                    format!(
                        "{} `{value}` covers the documented {} and more",
                        holds.keyword(false),
                        listed(covered)
                    ),
                ),
                Found::Extra(_) => {}
            }
        }
        self.moved(name, noun, &sorted.moved);
        // A documented value may be what an unresolved value stands for: not called missing.
        let unresolved = sorted
            .found
            .iter()
            .any(|value| matches!(value, Found::Unresolved(_)));
        // A documented value another statement of the role grants as documented (statements
        // split differently) is not missing; nor is a value of the role's that another
        // documented statement grants (statements merged) extra.
        let (allows, documented_all) = (self.allows, self.documented);
        let missing = sorted.missing.into_iter().filter(|value| {
            !unresolved && !coverage::value_granted_by(documented_grant, value, allows)
        });
        for value in missing {
            let message = match holds {
                Holds::Principals => format!("does not trust the documented principal `{value}`"),
                Holds::Actions => format!("does not allow the documented action `{value}`"),
                Holds::Resources => format!("does not name the documented resource `{value}`"),
            };
            self.push(
                name.to_owned(),
                missing_kind,
                (vec![value], vec![]),
                message,
            );
        }
        for value in sorted.found {
            let Found::Extra(value) = value else {
                continue;
            };
            if coverage::value_granted_by(found_grant, &value, documented_all) {
                continue;
            }
            let message = match holds {
                Holds::Principals => {
                    format!("also trusts `{value}`, which the documentation does not")
                }
                Holds::Actions => {
                    format!("also allows `{value}`, which the documentation does not grant")
                }
                Holds::Resources => {
                    format!("also names `{value}`, which the documentation does not")
                }
            };
            self.push(name.to_owned(), extra_kind, (vec![], vec![value]), message);
        }
    }

    /// Each documented value the role has with another account, region or partition.
    fn moved(&mut self, name: &str, subject: &str, moved: &[Moved]) {
        for value in moved {
            let (what, documented, found) = (value.what(), &value.documented, &value.found);
            self.push(
                name.to_owned(),
                value.kind,
                (vec![documented.clone()], vec![found.clone()]),
                format!(
                    "{subject} names another {what}: `{found}` where the documentation has `{documented}`"
                ),
            );
        }
    }

    fn conditions(&mut self, name: &str, documented: &Grant, found: &Grant) {
        for condition in &documented.conditions {
            let candidates: Vec<&Condition> = found
                .conditions
                .iter()
                .filter(|c| c.key.eq_ignore_ascii_case(&condition.key))
                .collect();
            let counterpart = candidates
                .iter()
                .find(|c| c.operator == condition.operator)
                .or(candidates.first());
            match counterpart {
                None => self.push(
                    name.to_owned(),
                    FindingKind::MissingCondition,
                    (vec![condition_words(condition)], vec![]),
                    format!(
                        "lacks the documented condition {}, so the statement applies whatever `{}` is",
                        condition_words(condition),
                        condition.key
                    ),
                ),
                Some(counterpart) => self.condition(name, condition, counterpart),
            }
        }
        for condition in &found.conditions {
            let documented_key = documented
                .conditions
                .iter()
                .any(|c| c.key.eq_ignore_ascii_case(&condition.key));
            if !documented_key {
                self.push(
                    name.to_owned(),
                    FindingKind::ExtraCondition,
                    (vec![], vec![condition_words(condition)]),
                    format!(
                        "adds the condition {}, which the documentation does not have (narrower)",
                        condition_words(condition)
                    ),
                );
            }
        }
    }

    fn condition(&mut self, name: &str, documented: &Condition, found: &Condition) {
        if found.operator != documented.operator {
            let weaker = looser(&documented.operator, &found.operator);
            self.push(
                name.to_owned(),
                if weaker {
                    FindingKind::WeakerCondition
                } else {
                    FindingKind::DifferentCondition
                },
                (
                    vec![documented.operator.clone()],
                    vec![found.operator.clone()],
                ),
                format!(
                    "tests `{}` with {} where the documentation uses {}{}",
                    documented.key,
                    found.operator,
                    documented.operator,
                    if weaker { ", which matches more" } else { "" }
                ),
            );
        }
        let matching = Matching {
            ignore_case: false,
            wildcards: found.operator.contains("Like") || found.operator.starts_with("Arn"),
        };
        let key = &documented.key;
        let sorted = values::sort(&documented.values, &found.values, matching);
        let mut unresolved = false;
        for value in &sorted.found {
            if let Found::Unresolved(what) = value {
                self.blocked.push(what.clone());
                unresolved = true;
            }
        }
        self.moved(name, &format!("condition `{key}`"), &sorted.moved);
        // A value the documented glob matches is narrower, not more: IAM's `...Like` and
        // `Arn...` operators match the documented value as a pattern.
        let globs = documented.operator.contains("Like") || documented.operator.starts_with("Arn");
        let narrowed = |value: &str| {
            documented
                .values
                .iter()
                .filter_map(Text::known)
                .find(|glob| globs && pattern::covers(glob, value, false))
                .map(str::to_owned)
        };
        let mut replaced: Vec<String> = Vec::new();
        for value in sorted.found {
            let (covered, value, message) = match value {
                Found::Unresolved(_) => continue,
                Found::Extra(value) if let Some(glob) = narrowed(&value) => {
                    self.push(
                        name.to_owned(),
                        FindingKind::NarrowerCondition,
                        (vec![glob.clone()], vec![value.clone()]),
                        format!(
                            "condition `{key}` accepts `{value}` where the documentation accepts `{glob}`, which matches it and more (narrower)"
                        ),
                    );
                    replaced.push(glob);
                    continue;
                }
                Found::Extra(value) => {
                    let message = format!(
                        "condition `{key}` also accepts `{value}`, which the documentation does not"
                    );
                    (vec![], value, message)
                }
                Found::Covering { value, covered } => {
                    let message = format!(
                        "condition `{key}` accepts `{value}`, which covers the documented {} and more",
                        listed(&covered)
                    );
                    (covered, value, message)
                }
            };
            self.push(
                name.to_owned(),
                FindingKind::WeakerCondition,
                (covered, vec![value]),
                message,
            );
        }
        let missing = sorted
            .missing
            .into_iter()
            .filter(|value| !unresolved && !replaced.contains(value));
        for value in missing {
            self.push(
                name.to_owned(),
                FindingKind::DifferentCondition,
                (vec![value.clone()], vec![]),
                format!("condition `{key}` no longer accepts the documented `{value}` (narrower)"),
            );
        }
    }
}

/// Whether the operator `found` matches more than the documented `documented`: its
/// `...IfExists` form (true when the key is absent) or the `Like` form of a string operator.
/// (`ArnEquals` and `ArnLike` behave alike.)
fn looser(documented: &str, found: &str) -> bool {
    let strict = found.strip_suffix("IfExists").unwrap_or(found);
    let like = documented.contains("String") && strict == documented.replace("Equals", "Like");
    found != documented && (strict == documented || like)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::audit::grant::read_document;

    fn grants(statements: serde_json::Value) -> Vec<Grant> {
        read_document(&json!({ "Statement": statements }), "test").unwrap()
    }

    fn kinds(documented: serde_json::Value, found: serde_json::Value) -> Vec<FindingKind> {
        compare(PolicyKind::Permission, &grants(documented), &grants(found))
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    fn secret() -> serde_json::Value {
        json!({
            "Sid": "S", "Effect": "Allow", "Action": ["kms:Decrypt"],
            "Resource": ["arn:aws:kms:us-east-1:111122223333:key/k"],
            "Condition": { "StringLike": { "kms:ViaService": ["secretsmanager.*.amazonaws.com"] } }
        })
    }

    #[test]
    fn the_same_statements_in_another_form_are_equal() {
        let mut found = secret();
        found["Action"] = json!("KMS:decrypt");
        found["Resource"] = json!("arn:aws:kms:us-east-1:111122223333:key/k");
        assert_eq!(kinds(json!([secret()]), json!([found])), []);
    }

    #[test]
    fn each_difference_is_named() {
        let mut found = secret();
        found["Action"] = json!(["kms:*", "s3:PutObject"]);
        found["Resource"] = json!(["arn:aws:kms:us-east-1:444455556666:key/k"]);
        found["Condition"] = json!({ "StringEquals": { "aws:PrincipalTag/x": "y" } });
        assert_eq!(
            kinds(json!([secret()]), json!([found])),
            [
                FindingKind::WiderAction,
                FindingKind::ExtraAction,
                FindingKind::WrongAccount,
                FindingKind::MissingCondition,
                FindingKind::ExtraCondition,
            ]
        );
    }

    #[test]
    fn statements_without_sid_pair_by_actions() {
        let mut found = secret();
        found.as_object_mut().unwrap().remove("Sid");
        assert_eq!(
            kinds(json!([secret()]), json!([found.clone()])),
            [FindingKind::DifferentSid]
        );
        let other = json!({ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" });
        assert_eq!(
            kinds(json!([secret()]), json!([other])),
            [FindingKind::MissingStatement, FindingKind::ExtraStatement]
        );
    }

    #[test]
    fn conditions_compare_operators_and_values() {
        let mut found = secret();
        found["Condition"] = json!({ "StringLikeIfExists": { "kms:ViaService": ["*"] } });
        assert_eq!(
            kinds(json!([secret()]), json!([found])),
            [FindingKind::WeakerCondition, FindingKind::WeakerCondition]
        );
        assert!(looser("StringEquals", "StringLike"));
        assert!(looser("ArnEquals", "ArnEqualsIfExists"));
        assert!(!looser("StringLike", "StringEquals"));
    }
}
