//! The role's own properties beside its two policies, as CDK's `Role` has them: path,
//! tags, permissions boundary, maximum session duration, and whether the permission policy
//! is inline or a customer-managed policy attached to the role. Each is held to IAM's own
//! rules (the `CreateRole`, `TagRole` and `CreatePolicy` API references).

use std::sync::LazyLock;

use regex::Regex;

use crate::spec::rules::{Violation, check_not_a_cdk_token};

/// The role's properties a spec may set; every one is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleProperties {
    /// The role's IAM path, `/` when absent.
    pub path: Option<String>,
    /// The role's tags, in the order declared.
    pub tags: Vec<Tag>,
    /// The ARN of the managed policy that bounds the role's permissions.
    pub permissions_boundary: Option<String>,
    /// The longest session, in seconds, IAM's default of 3,600 when absent.
    pub max_session_duration: Option<u32>,
    /// Where the permission policy lives.
    pub policy: PolicyKind,
}

/// One tag of the role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag's key.
    pub key: String,
    /// The tag's value, possibly empty.
    pub value: String,
}

/// Where the role's permission policy lives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PolicyKind {
    /// An inline policy of the role (at most 10,240 characters with the role's others).
    #[default]
    Inline,
    /// A customer-managed policy attached to the role (at most 6,144 characters).
    Managed,
}

impl PolicyKind {
    /// Every kind, in the order users see them.
    pub const ALL: [PolicyKind; 2] = [PolicyKind::Inline, PolicyKind::Managed];

    /// The kind's name in a spec and a macro: `inline` or `managed`.
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Inline => "inline",
            PolicyKind::Managed => "managed",
        }
    }

    /// The kind named `name`, or the rule it breaks.
    pub fn from_name(name: &str) -> Result<PolicyKind, Violation> {
        PolicyKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| Violation("must be inline or managed".into()))
    }
}

/// IAM's limits on the properties.
pub mod limit {
    /// The longest role path.
    pub const PATH: usize = 512;
    /// The most tags on one role.
    pub const TAGS: usize = 50;
    /// The most tags on one data source (CloudFormation's `AWS::QBusiness::DataSource`).
    pub const DATA_SOURCE_TAGS: usize = 200;
    /// The longest tag key.
    pub const TAG_KEY: usize = 128;
    /// The longest tag value.
    pub const TAG_VALUE: usize = 256;
    /// The longest policy ARN.
    pub const POLICY_ARN: usize = 2048;
    /// The shortest session a role may allow, in seconds.
    pub const MIN_SESSION: u64 = 3_600;
    /// The longest session a role may allow, in seconds.
    pub const MAX_SESSION: u64 = 43_200;
}

/// `CreateRole`'s `Path`: `/`, or printable ASCII between slashes.
pub fn check_path(path: &str) -> Result<(), Violation> {
    static PATTERN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(/|/[\x21-\x7e]+/)$").expect("a valid pattern"));
    if path.len() > limit::PATH {
        Err(Violation(format!(
            "is {} characters long; IAM allows at most {}",
            path.chars().count(),
            limit::PATH
        )))
    } else if !PATTERN.is_match(path) {
        Err(Violation(
            "must be / or begin and end with / with printable ASCII between, no spaces (for example /connectors/qbusiness/)"
                .into(),
        ))
    } else {
        check_not_a_cdk_token(path)
    }
}

/// `TagRole`'s characters: letters, spaces and digits of any script, and `_.:/=+-@`.
static TAG_CHARACTERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").expect("a valid pattern"));

const TAG_CHARACTERS_RULE: &str =
    "may hold only letters, digits, spaces and _ . : / = + - @ (IAM's tag rule)";

/// What a tag is on, and how many it may have.
#[derive(Debug, Clone, Copy)]
pub struct TagLimit {
    /// Whose rule it is: `IAM`.
    pub by: &'static str,
    /// What carries the tags: `a role`.
    pub on: &'static str,
    /// The most tags it may carry.
    pub most: usize,
}

/// A role's tags: at most 50 (IAM's `TagRole`).
pub const ROLE_TAGS: TagLimit = TagLimit {
    by: "IAM",
    on: "a role",
    most: limit::TAGS,
};

/// A data source's tags: at most 200 (CloudFormation's `AWS::QBusiness::DataSource`), with
/// the same characters and lengths as a role's.
pub const DATA_SOURCE_TAGS: TagLimit = TagLimit {
    by: "CloudFormation",
    on: "a data source",
    most: limit::DATA_SOURCE_TAGS,
};

/// A tag key: 1 to 128 of the tag characters, not starting with `aws:` in any case, and not
/// a key of `earlier` in any case (IAM treats keys that differ only in case as the same), at
/// most `allowed.most` in all.
pub fn check_tag_key(key: &str, earlier: &[Tag], allowed: TagLimit) -> Result<(), Violation> {
    let length = key.chars().count();
    if length == 0 || length > limit::TAG_KEY {
        Err(Violation(format!(
            "is {length} characters long; a tag key must be 1 to {} characters",
            limit::TAG_KEY
        )))
    } else if !TAG_CHARACTERS.is_match(key) {
        Err(Violation(TAG_CHARACTERS_RULE.into()))
    } else if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        Err(Violation(
            "must not begin with aws:, which AWS reserves for its own tags".into(),
        ))
    } else if let Some(other) = earlier
        .iter()
        .find(|t| t.key.to_lowercase() == key.to_lowercase())
    {
        Err(Violation(format!(
            "repeats the tag key {:?}; IAM tag keys must differ by more than case",
            other.key
        )))
    } else if earlier.len() >= allowed.most {
        Err(Violation(format!(
            "is one tag too many; {} allows at most {} tags on {}",
            allowed.by, allowed.most, allowed.on
        )))
    } else {
        check_not_a_cdk_token(key)
    }
}

/// A tag value: at most 256 of the tag characters, possibly none.
pub fn check_tag_value(value: &str) -> Result<(), Violation> {
    let length = value.chars().count();
    if length > limit::TAG_VALUE {
        Err(Violation(format!(
            "is {length} characters long; IAM allows at most {} in a tag value",
            limit::TAG_VALUE
        )))
    } else if !TAG_CHARACTERS.is_match(value) {
        Err(Violation(TAG_CHARACTERS_RULE.into()))
    } else {
        check_not_a_cdk_token(value)
    }
}

/// A tag (`key` and `value`) after `earlier`: the rule it breaks and the text it breaks it
/// with, when it does.
pub fn check_tag<'t>(
    key: &'t str,
    value: &'t str,
    earlier: &[Tag],
    allowed: TagLimit,
) -> Result<(), (String, &'t str)> {
    check_tag_key(key, earlier, allowed)
        .map_err(|violation| (format!("as a tag key {}", violation.0), key))?;
    check_tag_value(value).map_err(|violation| (violation.0, value))
}

/// `count` tags, at most `allowed.most`: checked before each tag, so that the tags' own rules
/// are not reported one by one for a map AWS refuses whole.
pub fn check_tag_count(count: usize, allowed: TagLimit) -> Result<(), Violation> {
    if count <= allowed.most {
        Ok(())
    } else {
        Err(Violation(format!(
            "holds {count} tags; {} allows at most {} on {}",
            allowed.by, allowed.most, allowed.on
        )))
    }
}

/// The ARN of a managed policy (AWS's or the account's own), as `PermissionsBoundary`
/// takes it; returns its partition.
pub fn check_permissions_boundary(arn: &str) -> Result<&str, Violation> {
    static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}|aws):policy/([\x21-\x7e]*/)?[\w+=,.@-]{1,128}$")
            .expect("a valid pattern")
    });
    match PATTERN.captures(arn) {
        Some(captures) if arn.len() <= limit::POLICY_ARN => {
            check_not_a_cdk_token(arn)?;
            Ok(captures
                .get(1)
                .expect("the pattern captures the partition")
                .as_str())
        }
        _ => Err(Violation(
            "must be the ARN of a managed policy, at most 2048 characters (for example arn:aws:iam::111122223333:policy/QBusinessConnectorBoundary)"
                .into(),
        )),
    }
}

/// `MaxSessionDuration`: whole seconds from one hour to twelve.
pub fn check_max_session_duration(seconds: u64) -> Result<u32, Violation> {
    if (limit::MIN_SESSION..=limit::MAX_SESSION).contains(&seconds) {
        Ok(u32::try_from(seconds).expect("at most 43,200"))
    } else {
        Err(Violation(format!(
            "must be {} to {} seconds (one to twelve hours), for example 7200",
            limit::MIN_SESSION,
            limit::MAX_SESSION
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str) -> Tag {
        Tag {
            key: key.into(),
            value: String::new(),
        }
    }

    #[test]
    fn paths_are_slashes_around_printable_ascii() {
        for good in ["/", "/connectors/", "/a/b/c/", "/${x}/"] {
            assert!(check_path(good).is_ok(), "{good}");
        }
        for bad in ["", "//x", "connectors/", "/connectors", "/a b/", "/é/"] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
        assert!(check_path(&format!("/{}/", "a".repeat(510))).is_ok());
        assert!(check_path(&format!("/{}/", "a".repeat(511))).is_err());
    }

    #[test]
    fn tag_keys_follow_iam() {
        assert!(check_tag_key("Cost Center", &[], ROLE_TAGS).is_ok());
        assert!(check_tag_key("équipe:données", &[], ROLE_TAGS).is_ok());
        assert!(check_tag_key("", &[], ROLE_TAGS).is_err());
        assert!(check_tag_key(&"k".repeat(129), &[], ROLE_TAGS).is_err());
        assert!(check_tag_key("AWS:owner", &[], ROLE_TAGS).is_err());
        assert!(check_tag_key("team\n", &[], ROLE_TAGS).is_err());
        assert!(check_tag_key("${team}", &[], ROLE_TAGS).is_err());
        let rule = check_tag_key("costcenter", &[tag("CostCenter")], ROLE_TAGS).unwrap_err();
        assert!(rule.0.contains("\"CostCenter\""), "{rule:?}");
        let full: Vec<Tag> = (0..50).map(|i| tag(&format!("k{i}"))).collect();
        assert!(check_tag_key("k50", &full, ROLE_TAGS).is_err());
    }

    #[test]
    fn tag_values_may_be_empty_but_not_long_or_odd() {
        assert!(check_tag_value("").is_ok());
        assert!(check_tag_value(&"v".repeat(256)).is_ok());
        assert!(check_tag_value(&"v".repeat(257)).is_err());
        assert!(check_tag_value("a\"b").is_err());
    }

    #[test]
    fn boundaries_are_policy_arns() {
        let arn = "arn:aws-us-gov:iam::111122223333:policy/teams/QBusinessBoundary";
        assert_eq!(check_permissions_boundary(arn).unwrap(), "aws-us-gov");
        let aws = "arn:aws:iam::aws:policy/PowerUserAccess";
        assert_eq!(check_permissions_boundary(aws).unwrap(), "aws");
        for bad in [
            "arn:aws:iam::111122223333:role/Boundary",
            "arn:aws:iam::1111:policy/Boundary",
            "Boundary",
        ] {
            assert!(check_permissions_boundary(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sessions_last_one_to_twelve_hours() {
        assert_eq!(check_max_session_duration(3_600).unwrap(), 3_600);
        assert_eq!(check_max_session_duration(43_200).unwrap(), 43_200);
        assert!(check_max_session_duration(3_599).is_err());
        assert!(check_max_session_duration(43_201).is_err());
    }
}
