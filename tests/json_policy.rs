//! The policy JSON files equal the documented policies: verbatim placeholders when open, the
//! values substituted when bound.

mod support;

use connector_roles::{Format, RoleSpec};
use support::ACCOUNT;
use support::policy::{assert_same_policy, documented};

fn policies(spec: &RoleSpec) -> (serde_json::Value, serde_json::Value) {
    let read = |file| serde_json::from_str(&support::artifact(spec, Format::Json, file)).unwrap();
    (read("permission-policy.json"), read("trust-policy.json"))
}

#[test]
fn open_default_is_the_documented_text() {
    let (permission, trust) = policies(&RoleSpec::default_spec());
    assert_same_policy(&permission, &documented("rds-mysql.permission-policy", &[]));
    assert_same_policy(&trust, &documented("rds-mysql.trust-policy", &[]));
}

#[test]
fn bound_values_are_substituted() {
    for source_account in [ACCOUNT, "444455556666"] {
        let (permission, trust) = policies(&support::bound_spec(source_account));
        let values = support::values(source_account);
        assert_same_policy(
            &permission,
            &documented("rds-mysql.permission-policy", &values),
        );
        assert_same_policy(&trust, &documented("rds-mysql.trust-policy", &values));
    }
}

#[test]
fn without_vpc_the_ec2_statements_are_left_out() {
    let spec = RoleSpec::from_json(r#"{"connector": "rds-mysql", "name": "no-vpc"}"#).unwrap();
    let (permission, _) = policies(&spec);
    let sids: Vec<&str> = permission["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap())
        .collect();
    assert_eq!(
        sids,
        [
            "AllowsAmazonQToGetS3Objects",
            "AllowsAmazonQToGetSecret",
            "AllowsAmazonQToDecryptSecret",
            "AllowsAmazonQToIngestDocuments",
            "AllowsAmazonQToIngestPrincipalMapping"
        ]
    );
    assert!(!permission.to_string().contains("ec2:"));
}
