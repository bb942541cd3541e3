//! Rules every catalog entry follows, whatever connector it documents.

use connector_roles::catalog;

/// IAM accepts only `[0-9A-Za-z]` in a Sid, and a Sid names one statement of a policy.
#[test]
fn sids_are_alphanumeric_and_unique_per_policy() {
    for connector in catalog::all() {
        for policy in [&connector.permission_policy, &connector.trust_policy] {
            let mut seen = Vec::new();
            for statement in &policy.statements {
                let sid = &statement.sid;
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

/// Every trust policy keeps its confused-deputy conditions.
#[test]
fn trust_policies_name_the_source_account_and_application() {
    for connector in catalog::all() {
        for statement in &connector.trust_policy.statements {
            let keys: Vec<&str> = statement
                .conditions
                .iter()
                .map(|c| c.key.as_str())
                .collect();
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
