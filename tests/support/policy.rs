//! The documented policies with concrete values, and a comparison that matches statements
//! by Sid and treats actions, resources and condition values as sets.

use serde_json::Value;

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference");

/// The reference policy `name` (`rds-mysql.permission-policy`) with each placeholder
/// (`account_id` for `{{account_id}}` or `[[account_id]]`) replaced by its values; a
/// placeholder with several values turns each string holding it into one string per value.
/// With no values, the policy verbatim.
pub fn documented(name: &str, values: &[(&str, Vec<&str>)]) -> Value {
    let text = std::fs::read_to_string(format!("{REFERENCE}/{name}.json")).unwrap();
    let policy: Value = serde_json::from_str(&text).unwrap();
    if values.is_empty() {
        policy
    } else {
        fill(&policy, values)
    }
}

/// `policy` with each placeholder replaced as [`documented`] replaces them: how a user fills
/// the policy JSON written for open values. A placeholder left unfilled fails.
pub fn fill(policy: &Value, values: &[(&str, Vec<&str>)]) -> Value {
    let mut policy = policy.clone();
    substitute(&mut policy, values);
    policy
}

fn substitute(value: &mut Value, values: &[(&str, Vec<&str>)]) {
    match value {
        Value::Array(items) => {
            let expanded = items
                .drain(..)
                .flat_map(|mut item| match item {
                    Value::String(ref text) => expand(text, values)
                        .into_iter()
                        .map(Value::String)
                        .collect(),
                    _ => {
                        substitute(&mut item, values);
                        vec![item]
                    }
                })
                .collect();
            *items = expanded;
        }
        Value::Object(map) => map.values_mut().for_each(|v| substitute(v, values)),
        Value::String(text) => {
            let mut strings = expand(text, values);
            assert_eq!(
                strings.len(),
                1,
                "{text} expands to several strings outside a list"
            );
            *text = strings.remove(0);
        }
        _ => {}
    }
}

fn expand(text: &str, values: &[(&str, Vec<&str>)]) -> Vec<String> {
    let mut strings = vec![text.to_owned()];
    for (name, replacements) in values {
        let patterns = [format!("{{{{{name}}}}}"), format!("[[{name}]]")];
        strings = strings
            .into_iter()
            .flat_map(|s| {
                if patterns.iter().any(|p| s.contains(p.as_str())) {
                    replacements
                        .iter()
                        .map(|r| {
                            patterns
                                .iter()
                                .fold(s.clone(), |acc, p| acc.replace(p.as_str(), r))
                        })
                        .collect()
                } else {
                    vec![s]
                }
            })
            .collect();
    }
    for s in &strings {
        assert!(
            !s.contains("{{") && !s.contains("[["),
            "unsubstituted placeholder in {s}"
        );
    }
    strings
}

/// Asserts that two policies have the same statements: matched by Sid (a statement without
/// one, as Amazon Kendra documents them, by all it holds), the same Effect and Principal, the
/// same sets of actions and resources, the same conditions.
#[track_caller]
pub fn assert_same_policy(actual: &Value, expected: &Value) {
    if let Err(difference) = same_policy(actual, expected) {
        panic!("{difference}");
    }
}

/// Whether two policies have the same statements (see [`assert_same_policy`]); what differs
/// first when not.
pub fn same_policy(actual: &Value, expected: &Value) -> Result<(), String> {
    let keys = |policy: &Value| -> Vec<String> {
        let mut keys: Vec<String> = policy
            .as_object()
            .map(|map| map.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    };
    if keys(actual) != keys(expected) {
        return Err(format!(
            "the policy has the keys {:?}, not {:?}",
            keys(actual),
            keys(expected)
        ));
    }
    if actual["Version"] != expected["Version"] {
        return Err(format!(
            "Version {} is not {}",
            actual["Version"], expected["Version"]
        ));
    }
    let (actual_statements, expected_statements) = (statements(actual)?, statements(expected)?);
    let sids = |statements: &[Value]| -> Vec<String> {
        let mut sids: Vec<String> = statements.iter().map(key).collect();
        sids.sort();
        sids
    };
    let (actual_sids, expected_sids) = (sids(actual_statements), sids(expected_statements));
    if actual_sids != expected_sids {
        let missing: Vec<&String> = expected_sids
            .iter()
            .filter(|sid| !actual_sids.contains(sid))
            .collect();
        let extra: Vec<&String> = actual_sids
            .iter()
            .filter(|sid| !expected_sids.contains(sid))
            .collect();
        return Err(format!(
            "the policies have different statements: missing {missing:?}, extra {extra:?}, \
             actual Sids {actual_sids:?}"
        ));
    }
    for expected_statement in expected_statements {
        let sid = key(expected_statement);
        let actual_statement = actual_statements
            .iter()
            .find(|s| key(s) == sid)
            .expect("the Sids are the same");
        let (actual_statement, expected_statement) =
            (normalise(actual_statement), normalise(expected_statement));
        if actual_statement != expected_statement {
            return Err(format!(
                "statement {sid} differs:\n  actual:   {actual_statement}\n  expected: {expected_statement}"
            ));
        }
    }
    Ok(())
}

/// What a statement is matched by: its Sid, or all it holds when it has none.
fn key(statement: &Value) -> String {
    statement["Sid"]
        .as_str()
        .map_or_else(|| normalise(statement).to_string(), str::to_owned)
}

fn statements(policy: &Value) -> Result<&Vec<Value>, String> {
    policy["Statement"]
        .as_array()
        .ok_or_else(|| format!("Statement is not a list: {}", policy["Statement"]))
}

/// A statement with every string-or-list turned into a sorted list: `"a"` and `["a"]` are
/// the same (IAM reads a one-element list as its element), the order of a list does not
/// matter; keys in sorted order, so that the text of two equal statements is the same.
fn normalise(statement: &Value) -> Value {
    match statement {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by_key(|(k, _)| *k);
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), normalise(v)))
                    .collect(),
            )
        }
        Value::Array(items) => {
            let mut items: Vec<Value> = items
                .iter()
                .map(|item| match item {
                    Value::String(_) => item.clone(),
                    other => normalise(other),
                })
                .collect();
            items.sort_by_key(|v| v.to_string());
            Value::Array(items)
        }
        Value::String(text) => Value::Array(vec![Value::String(text.clone())]),
        other => other.clone(),
    }
}

/// The statement of the policy document `policy` with the Sid `sid`, to change it.
pub fn statement_mut<'a>(policy: &'a mut Value, sid: &str) -> &'a mut Value {
    policy["Statement"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["Sid"] == sid)
        .unwrap()
}
