//! Rules every catalog entry follows, whatever connector it documents.

use connector_roles::catalog;

/// IAM accepts only `[0-9A-Za-z]` in a Sid, and a Sid names one statement of a policy.
/// (Amazon Kendra's pages give their statements no Sid; a statement without one is kept so.)
#[test]
fn sids_are_alphanumeric_and_unique_per_policy() {
    for connector in catalog::all() {
        for policies in &connector.revisions {
            for policy in [&policies.permission_policy, &policies.trust_policy] {
                let mut seen = Vec::new();
                for sid in policy.statements.iter().filter_map(|s| s.sid.as_ref()) {
                    assert!(
                        !sid.is_empty() && sid.chars().all(|c| c.is_ascii_alphanumeric()),
                        "{}: Sid {sid:?} is not alphanumeric",
                        connector.id
                    );
                    assert!(!seen.contains(&sid), "{}: Sid {sid} twice", connector.id);
                    seen.push(sid);
                }
            }
        }
    }
}

/// Every trust policy keeps its confused-deputy conditions. Amazon Kendra documents none for
/// its data source roles; its entries keep the trust policy as documented, and say why in
/// their notes.
#[test]
fn trust_policies_name_the_source_account_and_application() {
    for connector in catalog::all() {
        for policies in &connector.revisions {
            for statement in &policies.trust_policy.statements {
                let keys: Vec<&str> = statement
                    .conditions
                    .iter()
                    .map(|c| c.key.as_str())
                    .collect();
                if connector.service() == "Amazon Kendra" {
                    assert!(keys.is_empty(), "{}: {keys:?}", connector.id);
                    let notes = connector.notes.as_deref().unwrap_or_default();
                    assert!(
                        notes.contains("Trust without conditions")
                            || notes.contains("trust policy has no conditions"),
                        "{}: the notes must say why the trust policy has no conditions",
                        connector.id
                    );
                    continue;
                }
                assert!(
                    keys.contains(&"aws:SourceAccount"),
                    "{}: {keys:?}",
                    connector.id
                );
                assert!(
                    keys.contains(&"aws:SourceArn"),
                    "{}: {keys:?}",
                    connector.id
                );
            }
        }
    }
}
