//! One validation rule per field, as AWS defines the value.
//!
//! Each [`Rule`] carries a regular expression that is also emitted as CloudFormation's
//! `AllowedPattern` and Terraform's `validation` block, so a deploy-time parameter is held to
//! the same rule as a value checked here. Rules that a regular expression cannot express
//! (bucket-name prefixes, ARNs reduced to IDs) are extra checks in [`check`].

use std::sync::LazyLock;

use regex::Regex;

use crate::model::field::Field;

/// A rule a value must follow: a pattern, the rule in words and a valid example.
#[derive(Debug)]
pub struct Rule {
    /// An anchored regular expression in the syntax CloudFormation, Terraform and Rust share.
    pub pattern: &'static str,
    /// The rule in words, for error messages and constraint descriptions.
    pub description: &'static str,
    /// A value that follows the rule.
    pub example: &'static str,
}

/// Why a value was rejected: the rule it breaks, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation(pub String);

const PARTITION: Rule = Rule {
    pattern: "^aws(-cn|-us-gov)?$",
    description: "must be one of aws, aws-cn, aws-us-gov",
    example: "aws",
};
const ACCOUNT_ID: Rule = Rule {
    pattern: "^[0-9]{12}$",
    description: "must be a 12-digit AWS account ID",
    example: "111122223333",
};
const REGION: Rule = Rule {
    pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$",
    description: "must be an AWS Region name",
    example: "us-east-1",
};
const APPLICATION_ID: Rule = Rule {
    pattern: "^[a-zA-Z0-9][a-zA-Z0-9-]{35}$",
    description: "must be 36 characters: a letter or digit, then letters, digits or hyphens",
    example: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
};
const INDEX_ID: Rule = Rule {
    example: "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
    ..APPLICATION_ID
};
/// Amazon Kendra index IDs: 36 characters, as `AWS::Kendra::Index` documents its `Id`.
const KENDRA_INDEX_ID: Rule = Rule {
    example: "c3d4e5f6-7890-12cd-ef01-EXAMPLE33333",
    ..APPLICATION_ID
};
const BUCKET: Rule = Rule {
    pattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
    description: "must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit",
    example: "amzn-s3-demo-bucket",
};
const SECRET_ID: Rule = Rule {
    pattern: "^[A-Za-z0-9/_+=.@-]{1,505}-[A-Za-z0-9]{6}$",
    description: "must be a Secrets Manager secret name followed by the 6-character suffix Secrets Manager adds",
    example: "qbusiness-orders-mysql-AbCdEf",
};
const KEY_ID: Rule = Rule {
    pattern: "^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$",
    description: "must be a KMS key ID (a lowercase UUID or mrk- and 32 hex digits)",
    example: "1234abcd-12ab-34cd-56ef-1234567890ab",
};
const SUBNET_ID: Rule = Rule {
    pattern: "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$",
    description: "must be subnet- followed by 8 or 17 lowercase hex digits",
    example: "subnet-0123456789abcdef0",
};
const SECURITY_GROUP_ID: Rule = Rule {
    pattern: "^sg-([0-9a-f]{8}|[0-9a-f]{17})$",
    description: "must be sg- followed by 8 or 17 lowercase hex digits",
    example: "sg-0123456789abcdef0",
};

/// The rule for IAM role names.
pub const ROLE_NAME: Rule = Rule {
    pattern: "^[A-Za-z0-9_+=,.@-]{1,64}$",
    description: "must be 1 to 64 letters, digits or _+=,.@- characters",
    example: "QBusinessOrdersMySqlConnectorRole",
};

/// The rule for a spec's name, which names its output folder and generated types.
pub const SPEC_NAME: Rule = Rule {
    pattern: "^[a-z]([a-z0-9-]{0,62}[a-z0-9])?$",
    description: "must be 1 to 64 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
    example: "orders-mysql",
};

impl Field {
    /// The rule every value of this field (every element, for lists) follows.
    pub fn rule(self) -> &'static Rule {
        match self {
            Field::Partition => &PARTITION,
            Field::AccountId | Field::SourceAccount => &ACCOUNT_ID,
            Field::Region => &REGION,
            Field::ApplicationId => &APPLICATION_ID,
            Field::IndexId => &INDEX_ID,
            Field::KendraIndexId => &KENDRA_INDEX_ID,
            Field::BucketName | Field::InputBucketName => &BUCKET,
            Field::SecretId => &SECRET_ID,
            Field::KeyId => &KEY_ID,
            Field::SubnetIds => &SUBNET_ID,
            Field::SecurityGroupIds => &SECURITY_GROUP_ID,
        }
    }
}

fn compiled(rule: &Rule) -> &'static Regex {
    static CACHE: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
        [
            &PARTITION,
            &ACCOUNT_ID,
            &REGION,
            &APPLICATION_ID,
            &BUCKET,
            &SECRET_ID,
            &KEY_ID,
            &SUBNET_ID,
            &SECURITY_GROUP_ID,
            &ROLE_NAME,
            &SPEC_NAME,
        ]
        .into_iter()
        .map(|rule| {
            (
                rule.pattern,
                Regex::new(rule.pattern).expect("rule patterns compile"),
            )
        })
        .collect()
    });
    CACHE
        .iter()
        .find(|(pattern, _)| *pattern == rule.pattern)
        .map(|(_, regex)| regex)
        .expect("every rule is in the cache")
}

/// Checks `value` against `rule` alone.
pub fn matches(rule: &Rule, value: &str) -> Result<(), Violation> {
    if compiled(rule).is_match(value) {
        check_not_a_cdk_token(value)
    } else {
        Err(Violation(format!(
            "{} (for example {})",
            rule.description, rule.example
        )))
    }
}

/// Rejects text holding what the AWS CDK reads as a token wherever it appears in a string
/// (`${Token[KEY]}`, or a number token's `-1.NNNNNNNNNNe+289`, as aws-cdk-lib's `encoding`
/// matches them): at synth the CDK would put a reference, or fail, in place of the text.
pub fn check_not_a_cdk_token(text: &str) -> Result<(), Violation> {
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\$\{Token\[[a-zA-Z0-9:._-]+\]\}|-1\.[0-9]{10,16}e\+289")
            .expect("a valid pattern")
    });
    match TOKEN.find(text) {
        Some(token) => Err(Violation(format!(
            "contains {:?}, which the AWS CDK would read as a token instead of text",
            token.as_str()
        ))),
        None => Ok(()),
    }
}

/// Checks one value of `field` (one element, for lists) and returns it in the form the
/// policy uses: a secret or key ARN is reduced to its ID.
pub fn check(field: Field, value: &str) -> Result<String, Violation> {
    let value = match field {
        Field::SecretId => reduce_arn(value, "secretsmanager", "secret:").unwrap_or(value),
        Field::KeyId => reduce_arn(value, "kms", "key/").unwrap_or(value),
        _ => value,
    };
    matches(field.rule(), value)?;
    if matches!(field, Field::InputBucketName | Field::BucketName) {
        check_bucket_extras(value)?;
    }
    Ok(value.to_owned())
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:PREFIXid` to `id`, when `value` is such an ARN.
fn reduce_arn<'a>(value: &'a str, service: &str, prefix: &str) -> Option<&'a str> {
    let mut parts = value.splitn(6, ':');
    let (arn, partition, svc, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let well_formed = arn == "arn"
        && compiled(&PARTITION).is_match(partition)
        && svc == service
        && compiled(&REGION).is_match(region)
        && compiled(&ACCOUNT_ID).is_match(account);
    if well_formed {
        resource.strip_prefix(prefix)
    } else {
        None
    }
}

/// IAM's rule for role descriptions: at most 1,000 characters, each a tab, a line break or
/// a printable Latin-1 character.
pub fn check_description(text: &str) -> Result<(), Violation> {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}');
    if text.chars().count() > 1000 {
        Err(Violation(format!(
            "is {} characters long; IAM allows at most 1000",
            text.chars().count()
        )))
    } else if let Some(c) = text.chars().find(|c| !allowed(*c)) {
        Err(Violation(format!(
            "contains {c:?} (U+{:04X}); IAM allows only tabs, line breaks and printable Latin-1 characters",
            c as u32
        )))
    } else {
        check_not_a_cdk_token(text)
    }
}

/// The bucket-naming rules of Amazon S3 that the pattern cannot express.
fn check_bucket_extras(name: &str) -> Result<(), Violation> {
    const PREFIXES: [&str; 2] = ["xn--", "sthree-"];
    const SUFFIXES: [&str; 5] = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
    let broken = if name.contains("..") {
        Some("must not contain two adjacent periods".to_owned())
    } else if name.parse::<std::net::Ipv4Addr>().is_ok() {
        Some("must not be formatted as an IP address".to_owned())
    } else if let Some(prefix) = PREFIXES.iter().find(|p| name.starts_with(*p)) {
        Some(format!("must not start with the reserved prefix {prefix}"))
    } else {
        SUFFIXES
            .iter()
            .find(|s| name.ends_with(*s))
            .map(|suffix| format!("must not end with the reserved suffix {suffix}"))
    };
    broken.map_or(Ok(()), |rule| {
        Err(Violation(format!(
            "{rule} (for example {})",
            BUCKET.example
        )))
    })
}

/// The partition a region belongs to, for the check that both agree.
pub fn partition_of_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_accepts_its_own_example() {
        for field in Field::ALL {
            let rule = field.rule();
            assert_eq!(
                check(field, rule.example),
                Ok(rule.example.to_owned()),
                "{field}"
            );
        }
        matches(&ROLE_NAME, ROLE_NAME.example).unwrap();
        matches(&SPEC_NAME, SPEC_NAME.example).unwrap();
    }

    #[test]
    fn rejects_values_aws_rejects() {
        let bad = [
            (Field::AccountId, "12345"),
            (Field::AccountId, "1111222233334"),
            (Field::Partition, "aws-iso"),
            (Field::Region, "US-EAST-1"),
            (Field::ApplicationId, "a1b2c3d4-5678-90ab-cdef-EXAMPLE1111"),
            (Field::IndexId, "-1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
            (Field::InputBucketName, "Amzn-bucket"),
            (Field::InputBucketName, "my..bucket"),
            (Field::InputBucketName, "192.168.5.4"),
            (Field::InputBucketName, "xn--bucket"),
            (Field::InputBucketName, "bucket-s3alias"),
            (Field::SecretId, "nosuffix"),
            (Field::SecretId, "name-AbCdEf\n"),
            (Field::KeyId, "alias/my-key"),
            (Field::SubnetIds, "subnet-xyz"),
            (Field::SecurityGroupIds, "sg-0123"),
        ];
        for (field, value) in bad {
            assert!(check(field, value).is_err(), "{field} accepted {value:?}");
        }
    }

    #[test]
    fn descriptions_follow_iam() {
        assert!(check_description("Orders database: \"prod\" ${x} \n ü").is_ok());
        assert!(check_description(&"x".repeat(1001)).is_err());
        assert!(check_description("emoji 🚀").is_err());
    }

    #[test]
    fn cdk_tokens_are_not_text() {
        for token in ["x ${Token[AWS.AccountId.7]} y", "-1.8881784197001e+289"] {
            let rule = check_description(token).unwrap_err().0;
            assert!(rule.contains("AWS CDK"), "{rule}");
        }
        assert!(check(Field::SecretId, "db--1.8881784197001e+289-AbCdEf").is_err());
        for text in [
            "${Token[]}",
            "${Token[a b]}",
            "-1.888e+289",
            "$${Token[X.1]",
        ] {
            assert!(check_not_a_cdk_token(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn arns_are_reduced_to_ids() {
        let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-creds-AbCdEf";
        assert_eq!(check(Field::SecretId, secret).unwrap(), "db-creds-AbCdEf");
        let key = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(
            check(Field::KeyId, key).unwrap(),
            "1234abcd-12ab-34cd-56ef-1234567890ab"
        );
        let wrong_service = "arn:aws:kms:us-east-1:111122223333:secret:db-creds-AbCdEf";
        assert!(check(Field::SecretId, wrong_service).is_err());
    }

    #[test]
    fn regions_map_to_their_partition() {
        assert_eq!(partition_of_region("cn-north-1"), "aws-cn");
        assert_eq!(partition_of_region("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition_of_region("eu-central-1"), "aws");
    }
}
