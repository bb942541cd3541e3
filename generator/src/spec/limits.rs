//! IAM's size limits, counted as AWS counts them: the policy JSON without whitespace.
//!
//! An open value is counted at the longest length its rule allows (an open list at the
//! number of elements a CloudFormation template turns into ARNs), so a spec that passes
//! here fits whatever values are supplied at deploy time.

use crate::error::SpecError;
use crate::model::field::Field;
use crate::model::field::MAX_ELEMENTS;
use crate::model::interp::Idiom;
use crate::model::policy::PolicyDocument;
use crate::model::tree::{self, Json};
use crate::spec::RoleSpec;
use crate::spec::properties::PolicyKind;
use crate::spec::role::RoleModel;

/// The most characters all inline policies of one role may hold together.
pub const INLINE_POLICIES: usize = 10_240;

/// The most characters a customer-managed policy may hold.
pub const MANAGED_POLICY: usize = 6_144;

/// The longest value of an open field, as its rule allows.
fn longest(field: Field) -> usize {
    match field {
        Field::Partition => "aws-us-gov".len(),
        Field::AccountId | Field::SourceAccount => 12,
        Field::Region => 20,
        Field::ApplicationId | Field::IndexId | Field::KendraIndexId | Field::KeyId => 36,
        Field::BucketName | Field::InputBucketName => 63,
        Field::SecretId => 512,
        Field::SubnetIds => "subnet-".len() + 17,
        Field::SecurityGroupIds => "sg-".len() + 17,
    }
}

/// Prints each open reference as a string of its longest length.
struct Longest;

impl Idiom for Longest {
    fn text(&self, out: &mut String, text: &str) {
        out.push_str(text);
    }

    fn reference(&self, out: &mut String, field: Field) {
        out.extend(std::iter::repeat_n('x', longest(field)));
    }
}

/// The size of `policy` as IAM counts it, open values at their longest: the characters of
/// its compact JSON but whitespace, as serde_json writes it.
pub fn size(policy: &PolicyDocument) -> usize {
    let node = tree::document(policy);
    let json = serde_json::to_string(&Json::new(&node, &Longest, MAX_ELEMENTS))
        .expect("a policy tree serializes");
    if json.is_ascii() {
        // What serde writes is almost always ASCII: count bytes.
        json.bytes()
            .filter(|b| !char::from(*b).is_whitespace())
            .count()
    } else {
        json.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// Checks the role's permission policy against IAM's limit for its kind: the inline
/// policies of a role together, or one customer-managed policy.
pub fn check(spec: &RoleSpec) -> Result<(), SpecError> {
    let role = RoleModel::new(spec);
    let size = size(&role.permission_policy);
    let (limit, what) = match spec.properties.policy {
        PolicyKind::Inline => (INLINE_POLICIES, "a role's inline policies"),
        PolicyKind::Managed => (MANAGED_POLICY, "a customer-managed policy"),
    };
    if size > limit {
        return Err(SpecError {
            path: String::new(),
            value: None,
            rule: format!(
                "the permission policy {} would be {size} characters without whitespace; IAM allows {limit} for {what} (list fewer subnets or security groups)",
                role.policy_name()
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::fixtures;

    #[test]
    fn the_documented_policy_fits() {
        let default = size(&RoleModel::new(&RoleSpec::default_spec()).permission_policy);
        assert!((2_000..INLINE_POLICIES).contains(&default), "{default}");
        let bound = size(&RoleModel::new(&fixtures::bound(|_| {})).permission_policy);
        assert!(
            bound < default,
            "bound values are counted as they are: {bound} < {default}"
        );
    }

    #[test]
    fn too_many_subnets_are_rejected() {
        // Within the 200 subnets a data source takes, over the size IAM allows.
        let subnets: Vec<String> = (0..200).map(|i| format!("subnet-{i:017x}")).collect();
        let result = std::panic::catch_unwind(|| {
            fixtures::bound(|spec| spec["vpc"]["subnet_ids"] = subnets.into())
        });
        let spec_errors = result.expect_err("the fixture panics on an invalid spec");
        let message = spec_errors
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(message.contains("IAM allows 10240"), "{message}");
    }

    #[test]
    fn a_managed_policy_has_the_lower_limit() {
        /// Enough subnets for a policy between the two limits.
        const SUBNETS: usize = 60;
        let subnets: Vec<String> = (0..SUBNETS).map(|i| format!("subnet-{i:017x}")).collect();
        let inline = fixtures::bound(|spec| spec["vpc"]["subnet_ids"] = subnets.clone().into());
        let inline_size = size(&RoleModel::new(&inline).permission_policy);
        assert!(
            (MANAGED_POLICY..INLINE_POLICIES).contains(&inline_size),
            "{inline_size}"
        );
        let managed = std::panic::catch_unwind(|| {
            fixtures::bound(|spec| {
                spec["vpc"]["subnet_ids"] = subnets.into();
                spec["policy"] = "managed".into();
            })
        });
        let message = managed
            .expect_err("the fixture panics on an invalid spec")
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(
            message.contains("IAM allows 6144 for a customer-managed policy"),
            "{message}"
        );
    }
}
