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
    let mut policy: Value = serde_json::from_str(&text).unwrap();
    if !values.is_empty() {
        substitute(&mut policy, values);
    }
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

/// Asserts that two policies have the same statements: matched by Sid, the same Effect and
/// Principal, the same sets of actions and resources, the same conditions.
pub fn assert_same_policy(actual: &Value, expected: &Value) {
    assert_eq!(actual["Version"], expected["Version"], "Version");
    let sids = |policy: &Value| -> Vec<String> {
        let mut sids: Vec<String> = statements(policy)
            .iter()
            .map(|s| {
                s["Sid"]
                    .as_str()
                    .expect("every statement has a Sid")
                    .to_owned()
            })
            .collect();
        sids.sort();
        sids
    };
    assert_eq!(
        sids(actual),
        sids(expected),
        "the policies have different statements"
    );
    for expected_statement in statements(expected) {
        let sid = &expected_statement["Sid"];
        let actual_statement = statements(actual)
            .iter()
            .find(|s| &s["Sid"] == sid)
            .unwrap();
        assert_eq!(
            normalise(actual_statement),
            normalise(expected_statement),
            "statement {sid}"
        );
    }
}

fn statements(policy: &Value) -> &Vec<Value> {
    policy["Statement"].as_array().expect("Statement is a list")
}

/// A statement with every string-or-list turned into a sorted list.
fn normalise(statement: &Value) -> Value {
    match statement {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(normalise).collect();
            items.sort_by_key(|v| v.to_string());
            Value::Array(items)
        }
        Value::String(text) => Value::Array(vec![Value::String(text.clone())]),
        other => other.clone(),
    }
}
