//! The values a connector's documented policies are parameterised by.
//!
//! Each [`Field`] is one placeholder of the AWS documentation (`{{account_id}}`,
//! `[[secret_id]]`, ...), plus `partition`, which the documentation hard-codes as `aws`.
//! The field's names in every target format are derived here, once, so the renderers agree.

use std::fmt;
use std::sync::LazyLock;

use super::case;

/// How many elements of an open list a CloudFormation template turns into ARNs (it cannot
/// map over a list), and so how many IAM's size check counts for one.
pub const MAX_ELEMENTS: usize = 8;

/// One value of a connector role: a documented placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The AWS partition (`aws`, `aws-cn`, `aws-us-gov`).
    Partition,
    /// The account that owns the role, the secret, the key and the bucket.
    AccountId,
    /// The region of the Amazon Q Business application.
    Region,
    /// The account that owns the Amazon Q Business application.
    SourceAccount,
    /// The Amazon Q Business application ID.
    ApplicationId,
    /// The Amazon Q Business index ID.
    IndexId,
    /// The Amazon Kendra index ID.
    KendraIndexId,
    /// The S3 bucket the connector indexes (the Amazon S3 connectors).
    BucketName,
    /// The S3 bucket holding the connector's SSL certificate.
    InputBucketName,
    /// The Secrets Manager secret with the data source's credentials.
    SecretId,
    /// The KMS key that encrypts the secret.
    KeyId,
    /// The VPC subnets the connector runs in (a list).
    SubnetIds,
    /// The VPC security groups of the connector (a list).
    SecurityGroupIds,
}

impl Field {
    /// Every field, in the order users see them.
    pub const ALL: [Field; 13] = [
        Field::Partition,
        Field::AccountId,
        Field::Region,
        Field::SourceAccount,
        Field::ApplicationId,
        Field::IndexId,
        Field::KendraIndexId,
        Field::BucketName,
        Field::InputBucketName,
        Field::SecretId,
        Field::KeyId,
        Field::SubnetIds,
        Field::SecurityGroupIds,
    ];

    /// The field's name in a spec, a macro and Terraform: `account_id`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Partition => "partition",
            Field::AccountId => "account_id",
            Field::Region => "region",
            Field::SourceAccount => "source_account",
            Field::ApplicationId => "application_id",
            Field::IndexId => "index_id",
            Field::KendraIndexId => "kendra_index_id",
            Field::BucketName => "bucket_name",
            Field::InputBucketName => "input_bucket_name",
            Field::SecretId => "secret_id",
            Field::KeyId => "key_id",
            Field::SubnetIds => "subnet_ids",
            Field::SecurityGroupIds => "security_group_ids",
        }
    }

    /// The field named `name` in a spec.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the field holds a list (one ARN is emitted per element; a CloudFormation
    /// template, which cannot map over a list, gives an open one [`MAX_ELEMENTS`] slots).
    pub fn is_list(self) -> bool {
        matches!(self, Field::SubnetIds | Field::SecurityGroupIds)
    }

    /// The most elements a list field may hold: a data source's `VpcConfiguration` takes at
    /// most 10 security groups (and CloudFormation shows 200 for subnets); 1 for a scalar.
    pub fn most_elements(self) -> usize {
        match self {
            Field::SecurityGroupIds => 10,
            Field::SubnetIds => 200,
            _ => 1,
        }
    }

    /// Whether an open value means "the deploying account, region or partition" rather
    /// than a parameter.
    pub fn defaults_to_deployment(self) -> bool {
        matches!(
            self,
            Field::Partition | Field::AccountId | Field::Region | Field::SourceAccount
        )
    }

    /// How the AWS page writes the placeholder; `partition` is written `aws` there. Fields
    /// the pages print as example values (Amazon S3, Amazon Kendra) take the form of the
    /// others.
    pub fn placeholder(self) -> &'static str {
        match self {
            Field::Partition => "aws",
            Field::AccountId => "{{account_id}}",
            Field::Region => "{{region}}",
            Field::SourceAccount => "{{source_account}}",
            Field::ApplicationId => "{{application_id}}",
            Field::IndexId => "{{index_id}}",
            Field::KendraIndexId => "{{kendra_index_id}}",
            Field::BucketName => "{{bucket_name}}",
            Field::InputBucketName => "{{input_bucket_name}}",
            Field::SecretId => "[[secret_id]]",
            Field::KeyId => "[[key_id]]",
            Field::SubnetIds => "[[subnet_ids]]",
            Field::SecurityGroupIds => "[[security_group]]",
        }
    }

    /// The field's name in PascalCase, for CloudFormation parameters: `AccountId`.
    pub fn pascal_name(self) -> &'static str {
        &self.cased().0
    }

    /// The field's name in camelCase, for CDK props: `accountId`.
    pub fn camel_name(self) -> &'static str {
        &self.cased().1
    }

    /// The name in PascalCase and in camelCase, converted once.
    fn cased(self) -> &'static (String, String) {
        static CASED: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
            Field::ALL
                .iter()
                .map(|field| {
                    let pascal = case::pascal(field.name());
                    let camel = case::lower_first(&pascal);
                    (pascal, camel)
                })
                .collect()
        });
        let index = Field::ALL
            .iter()
            .position(|field| *field == self)
            .expect("ALL lists every field");
        &CASED[index]
    }

    /// A sentence describing the field, for parameter and variable descriptions.
    pub fn description(self) -> &'static str {
        match self {
            Field::Partition => "AWS partition of the role's ARNs",
            Field::AccountId => "AWS account ID that owns the secret, the key and the bucket",
            Field::Region => "AWS Region of the Amazon Q Business application",
            Field::SourceAccount => "AWS account ID that owns the Amazon Q Business application",
            Field::ApplicationId => "Amazon Q Business application ID",
            Field::IndexId => "Amazon Q Business index ID",
            Field::KendraIndexId => "Amazon Kendra index ID",
            Field::BucketName => "S3 bucket the connector indexes",
            Field::InputBucketName => "S3 bucket holding the connector's SSL certificate",
            Field::SecretId => {
                "Secrets Manager secret ID (name with its random suffix) holding the credentials of the data source"
            }
            Field::KeyId => "KMS key ID that encrypts the secret",
            Field::SubnetIds => "VPC subnet IDs the connector runs in",
            Field::SecurityGroupIds => "VPC security group IDs of the connector",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
