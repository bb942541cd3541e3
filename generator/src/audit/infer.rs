//! Which documented connector a role is, worked out from its policy documents alone: the
//! audit of a role no spec describes (`connector-roles audit` without `--spec`, and the
//! account scan to come).
//!
//! Every connector, revision and set of optional parts of the catalog whose documented
//! permissions share an action with the role is a candidate. The values a candidate's
//! policies leave open (account, Region, application, index, secret, key, bucket, subnets,
//! security groups) are read off the role's own resources and condition values: each
//! documented string is matched against them with every open value as its rule's pattern.
//! The role is then audited against the candidate so bound; the candidate with the least
//! weighted findings is the connector the role is closest to (the first in catalog order, the
//! default revision and the fewest parts first, on a tie), and the other connectors as close
//! are named: many connectors document the same policies, which no policy can tell apart.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;
use serde_json::{Value, json};

use super::grant::{Grant, read_document};
use super::{AuditError, Options, Report, Severity, Source, audit};
use crate::model::catalog::{self, Connector, Policies};
use crate::model::field::Field;
use crate::model::interp::{Interp, Piece};
use crate::model::policy::Part;
use crate::spec::{Bound, RoleSpec};

/// The spec a role is closest to, and the audit of the role against it.
#[derive(Debug)]
pub struct Inferred {
    /// The connector, revision, optional parts and values read off the role (its name is
    /// `inferred`).
    pub spec: RoleSpec,
    /// The role audited against that spec.
    pub report: Report,
    /// The values the policies use that no string of the role gives: compared as their
    /// rule's example, which the findings then name.
    pub unread: Vec<Field>,
    /// The other connectors the role is as close to (many document the same policies), by
    /// ID, in catalog order.
    pub alike: Vec<String>,
}

impl Inferred {
    /// The report, its first notes saying what was inferred: the connector and revision, the
    /// values read, those the role does not give, and the connectors as close.
    pub fn into_report(self) -> Report {
        let spec = &self.spec;
        let mut notes = Vec::new();
        let revision = spec
            .revision
            .as_deref()
            .map(|revision| format!(" (revision {revision})"))
            .unwrap_or_default();
        let mut read: Vec<String> = spec
            .values
            .iter()
            .filter(|(field, _)| !self.unread.contains(field))
            .map(|(field, bound)| match bound {
                Bound::One(value) => format!("{}={value}", field.name()),
                Bound::List(values) => format!("{}={}", field.name(), values.join(",")),
            })
            .collect();
        if read.is_empty() {
            read.push("none".to_owned());
        }
        notes.push(format!(
            "no spec was given: the role is closest to the documented {}{revision} role with the values its policies give ({})",
            spec.connector.id,
            read.join(", ")
        ));
        if !self.unread.is_empty() {
            let unread: Vec<&str> = self.unread.iter().map(|field| field.name()).collect();
            notes.push(format!(
                "the role's policies give no {}: compared with the rule's example instead, so the findings name it",
                unread.join(", ")
            ));
        }
        if !self.alike.is_empty() {
            notes.push(format!(
                "the role is as close to these connectors' documented roles (many document the same policies): {}",
                self.alike.join(", ")
            ));
        }
        let mut report = self.report;
        notes.append(&mut report.notes);
        report.notes = notes;
        report
    }
}

/// What a value the role does not give weighs against a candidate, on top of the findings it
/// causes (a resource widened to `*` reads no secret, and is found wider): as much as a
/// difference of no consequence, so that, all else equal, the connector whose strings the
/// role writes wins.
const UNREAD: usize = 1;

/// The role the JSON policy documents `sources` hold (its trust policy, its permission
/// policies), matched with the catalog; `None` when no documented connector's permissions
/// share an action with it.
pub fn infer(sources: &[Source<'_>]) -> Result<Option<Inferred>, AuditError> {
    let grants = grants(sources)?;
    let (trust, permission): (Vec<&Grant>, Vec<&Grant>) = grants
        .iter()
        .partition(|grant| !grant.principals.values.is_empty());
    let actions: BTreeSet<String> = permission
        .iter()
        .flat_map(|grant| known(&grant.actions.values))
        .map(str::to_ascii_lowercase)
        .collect();
    let services: BTreeSet<&str> = trust
        .iter()
        .flat_map(|grant| known(&grant.principals.values))
        .filter_map(|principal| principal.strip_prefix("Service:"))
        .collect();
    let texts: Vec<&str> = grants.iter().flat_map(values).collect();
    let mut best: Option<(usize, Inferred)> = None;
    for connector in catalog::all() {
        if !trust.is_empty() && !services.contains(principal(connector)) {
            continue;
        }
        for (revision, policies) in revisions(connector) {
            if !shares_an_action(policies, &actions) {
                continue;
            }
            for parts in subsets(&policies.parts()) {
                let Some((spec, unread)) = candidate(connector, revision, policies, &parts, &texts)
                else {
                    continue;
                };
                let Ok(report) = audit(&spec, sources, &Options::default()) else {
                    continue;
                };
                let score = weight(&report) + UNREAD * unread.len();
                match &mut best {
                    Some((least, inferred)) if score == *least => {
                        let id = &connector.id;
                        if *id != inferred.spec.connector.id && !inferred.alike.contains(id) {
                            inferred.alike.push(id.clone());
                        }
                    }
                    Some((least, _)) if score > *least => {}
                    _ => {
                        let alike = Vec::new();
                        best = Some((
                            score,
                            Inferred {
                                spec,
                                report,
                                unread,
                                alike,
                            },
                        ));
                    }
                }
            }
        }
    }
    Ok(best.map(|(_, inferred)| inferred))
}

/// Every statement of every document.
fn grants(sources: &[Source<'_>]) -> Result<Vec<Grant>, AuditError> {
    let mut all = Vec::new();
    for source in sources {
        let document: Value = serde_json::from_str(source.text).map_err(|error| {
            AuditError::unreadable(
                source.name,
                format!(
                    "without a spec, the inputs must be the role's JSON policy documents: {error}"
                ),
            )
        })?;
        all.extend(
            read_document(&document, source.name)
                .map_err(|message| AuditError::unreadable(source.name, message))?,
        );
    }
    Ok(all)
}

/// The known strings of `texts`.
fn known(texts: &[super::grant::Text]) -> impl Iterator<Item = &str> {
    texts.iter().filter_map(super::grant::Text::known)
}

/// The resources and condition values of a statement.
fn values(grant: &Grant) -> impl Iterator<Item = &str> {
    known(&grant.resources.values).chain(
        grant
            .conditions
            .iter()
            .flat_map(|condition| known(&condition.values)),
    )
}

/// The service principal that assumes the connector's role.
fn principal(connector: &Connector) -> &'static str {
    match connector.service() {
        "Amazon Kendra" => "kendra.amazonaws.com",
        _ => "qbusiness.amazonaws.com",
    }
}

/// The connector's documented revisions, by name (`None` for a connector documented once).
fn revisions(connector: &Connector) -> Vec<(Option<&str>, &Policies)> {
    let names = connector.revision_names();
    if names.is_empty() {
        return vec![(
            None,
            connector.policies(None).expect("the default revision"),
        )];
    }
    names
        .into_iter()
        .filter_map(|name| Some((Some(name), connector.policies(Some(name))?)))
        .collect()
}

/// Whether one of the documented permissions' actions is one of `actions` (lowercase).
fn shares_an_action(policies: &Policies, actions: &BTreeSet<String>) -> bool {
    policies
        .permission_policy
        .statements
        .iter()
        .flat_map(|statement| statement.actions.items())
        .any(|action| actions.contains(&action.to_ascii_lowercase()))
}

/// Every subset of `parts`, the smallest first.
fn subsets(parts: &[Part]) -> Vec<Vec<Part>> {
    let mut all: Vec<Vec<Part>> = (0..1usize << parts.len())
        .map(|mask| {
            parts
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, part)| *part)
                .collect()
        })
        .collect();
    all.sort_by_key(Vec::len);
    all
}

/// The spec of `connector` at `revision` with `parts`, its values read off `texts`, and the
/// fields the policies use that no string of the role gives (bound to their rule's example,
/// so that the role is still compared, and named); `None` when the spec is not valid.
fn candidate(
    connector: &Connector,
    revision: Option<&str>,
    policies: &Policies,
    parts: &[Part],
    texts: &[&str],
) -> Option<(RoleSpec, Vec<Field>)> {
    let read = read_values(policies, parts, texts);
    let mut unread = Vec::new();
    let mut value = |field: Field| -> Vec<String> {
        read.get(&field).cloned().unwrap_or_else(|| {
            unread.push(field);
            vec![field.rule().example.to_owned()]
        })
    };
    let used = policies.fields(parts);
    let account = read.get(&Field::AccountId);
    let values: serde_json::Map<String, Value> = used
        .iter()
        // The audit derives the partition from the Region, and an open source account is
        // the role's account.
        .filter(|field| !field.is_list() && **field != Field::Partition)
        .filter(|field| **field != Field::SourceAccount || read.get(field) != account)
        .map(|field| (field.name().to_owned(), json!(value(*field)[0])))
        .collect();
    let mut spec = json!({
        "connector": connector.id,
        "name": "inferred",
        "values": values,
        "include": parts
            .iter()
            .filter(|part| **part != Part::Vpc)
            .map(|part| part.name())
            .collect::<Vec<_>>(),
    });
    if let Some(revision) = revision {
        spec["revision"] = json!(revision);
    }
    if parts.contains(&Part::Vpc) {
        spec["vpc"] = json!({
            "subnet_ids": value(Field::SubnetIds),
            "security_group_ids": value(Field::SecurityGroupIds),
        });
    }
    let spec = RoleSpec::from_json(&spec.to_string()).ok()?;
    Some((spec, unread))
}

/// The values of the open fields the policies (with `parts`) use, as the role's strings give
/// them: for a scalar field, the value most strings give first; for a list field, every
/// value given, in order.
fn read_values(
    policies: &Policies,
    parts: &[Part],
    texts: &[&str],
) -> BTreeMap<Field, Vec<String>> {
    let documented = policies
        .permission_policy
        .statements
        .iter()
        .filter(|statement| statement.part.is_none_or(|part| parts.contains(&part)))
        .chain(&policies.trust_policy.statements)
        .flat_map(|statement| statement.strings());
    let mut counts: BTreeMap<Field, Vec<(String, usize)>> = BTreeMap::new();
    for interp in documented {
        let Some((regex, fields)) = pattern(interp) else {
            continue;
        };
        for text in texts {
            let Some(captures) = regex.captures(text) else {
                continue;
            };
            for (i, field) in fields.iter().enumerate() {
                let value = &captures[format!("f{i}").as_str()];
                let seen = counts.entry(*field).or_default();
                match seen.iter_mut().find(|(v, _)| v == value) {
                    Some((_, count)) => *count += 1,
                    None => seen.push((value.to_owned(), 1)),
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|(field, mut seen)| {
            if !field.is_list() {
                // Most given first; the first given on a tie (the sort is stable).
                seen.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
                seen.truncate(1);
            }
            (field, seen.into_iter().map(|(value, _)| value).collect())
        })
        .collect()
}

/// The documented string as an anchored regular expression, each open value the group `fN`
/// of its rule's pattern (N its index in the fields returned); `None` for a string with no open value.
fn pattern(interp: &Interp) -> Option<(Regex, Vec<Field>)> {
    let mut regex = String::from("^");
    let mut fields = Vec::new();
    for piece in interp.pieces() {
        match piece {
            Piece::Text(text) => regex.push_str(&regex::escape(text)),
            Piece::Ref(field) => {
                let rule = field.rule().pattern;
                let inner = rule.trim_start_matches('^').trim_end_matches('$');
                regex.push_str(&format!("(?P<f{}>{inner})", fields.len()));
                fields.push(*field);
            }
        }
    }
    regex.push('$');
    if fields.is_empty() {
        return None;
    }
    Regex::new(&regex).ok().map(|regex| (regex, fields))
}

/// How far a report is from the documented role: each finding by its severity.
fn weight(report: &Report) -> usize {
    report
        .findings
        .iter()
        .map(|finding| match finding.severity {
            Severity::High => 4,
            Severity::Medium => 2,
            Severity::Info => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tree;
    use crate::spec::role::RoleModel;

    /// The role `spec` documents, as its JSON policy documents (trust, permission), with
    /// `edit` applied to the permission policy.
    fn documents(spec: &RoleSpec, edit: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
        let model = RoleModel::new(spec);
        let mut permission = tree::documented(&model.permission_policy);
        edit(&mut permission);
        vec![
            (
                "trust-policy.json".into(),
                tree::documented(&model.trust_policy).to_string(),
            ),
            ("permission-policy.json".into(), permission.to_string()),
        ]
    }

    fn inferred(documents: &[(String, String)]) -> Option<Inferred> {
        let sources: Vec<Source> = documents
            .iter()
            .map(|(name, text)| Source { name, text })
            .collect();
        infer(&sources).unwrap()
    }

    fn example(name: &str) -> RoleSpec {
        let path = format!(
            "{}/../examples/specs/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        RoleSpec::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn a_documented_role_is_its_connector_with_its_values() {
        for name in ["orders-mysql", "tickets-jira"] {
            let spec = example(name);
            let found = inferred(&documents(&spec, |_| {})).expect("a documented role matches");
            let id = &spec.connector.id;
            if found.spec.connector.id != *id {
                // Another connector documents the same policies: this one is named alike,
                // and the values are read the same.
                assert!(
                    found.alike.contains(id),
                    "{name}: {} {:?}",
                    found.spec.connector.id,
                    found.alike
                );
            }
            assert!(
                found.report.is_equal(),
                "{name}: {:?}",
                found.report.findings
            );
            assert_eq!(found.spec.parts, spec.parts, "{name}");
            // The partition is derived from the Region, and a source account that is the
            // role's account is left open: the audit reads it as the account.
            let effective = |spec: &RoleSpec, field: Field| {
                spec.scalar(field)
                    .or_else(|| {
                        (field == Field::SourceAccount)
                            .then(|| spec.scalar(Field::AccountId))
                            .flatten()
                    })
                    .map(str::to_owned)
                    .or_else(|| spec.list(field).map(|list| list.join(",")))
            };
            for field in spec.policies().fields(&spec.parts) {
                if field != Field::Partition {
                    assert_eq!(
                        effective(&found.spec, field),
                        effective(&spec, field),
                        "{name}: {field:?}"
                    );
                }
            }
            assert!(found.unread.is_empty(), "{name}: {:?}", found.unread);
        }
    }

    #[test]
    fn a_widened_role_is_still_its_connector_with_the_difference_found() {
        let spec = example("orders-mysql");
        let widened = documents(&spec, |policy| {
            policy["Statement"][1]["Resource"] = json!("*");
        });
        let found = inferred(&widened).expect("a widened role still matches");
        assert_eq!(found.spec.connector.id, spec.connector.id);
        assert!(
            found
                .report
                .findings
                .iter()
                .any(|f| f.severity == Severity::High),
            "{:?}",
            found.report.findings
        );
    }

    #[test]
    fn a_role_of_another_service_matches_no_connector() {
        let documents = vec![(
            "policy.json".to_owned(),
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]})
                .to_string(),
        )];
        assert!(inferred(&documents).is_none());
    }
}
