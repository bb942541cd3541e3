//! Roles read from an AWS account with the AWS SDK for Rust (the `aws` feature), for `audit
//! --role-name` and `audit --scan`: the default credential chain, profile and Region (and
//! every setting the SDKs read, `AWS_ENDPOINT_URL` included), read-only IAM calls, the SDK's
//! own retries of throttled calls. Nothing is ever written to the account.

use aws_config::BehaviorVersion;
use aws_sdk_iam::Client;
use aws_sdk_iam::config::ProvideCredentials;
use aws_sdk_iam::config::Region;
use aws_sdk_iam::config::http::HttpResponse;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_http_client::tls;
use percent_encoding::percent_decode_str;

use crate::failure::{AwsFailure, Failure};

/// A role as the account holds it: its name and its policy documents as JSON, each with the
/// name the report gives it.
pub struct LiveRole {
    /// The role's name.
    pub name: String,
    /// `(name, JSON)`: the trust policy (`ROLE/trust-policy`), each inline policy
    /// (`ROLE/inline/NAME`), each attached managed policy (`ROLE/managed/NAME`).
    pub documents: Vec<(String, String)>,
}

/// The services whose roles a scan reads: Amazon Q Business's, and Amazon Kendra's.
const SERVICES: [&str; 2] = ["qbusiness.amazonaws.com", "kendra.amazonaws.com"];

/// Runs `work` with an IAM client of the default configuration, on a runtime of its own.
pub fn with_client<T>(work: impl AsyncFnOnce(&Client) -> Result<T, Failure>) -> Result<T, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::io(format!("starting the AWS SDK's runtime: {e}")))?;
    runtime.block_on(async {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let config = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .load()
            .await;
        let provider = config.credentials_provider().ok_or_else(|| {
            Failure::aws(
                AwsFailure::NoCredentials,
                "no AWS credentials are configured",
            )
        })?;
        provider.provide_credentials().await.map_err(|e| {
            Failure::aws(
                AwsFailure::NoCredentials,
                format!("no AWS credentials: {}", one_line(&e)),
            )
        })?;
        let mut iam = aws_sdk_iam::config::Builder::from(&config);
        if config.region().is_none() {
            // IAM is global: without a configured Region, the one of its endpoint.
            iam = iam.region(Region::from_static("us-east-1"));
        }
        work(&Client::from_conf(iam.build())).await
    })
}

/// The role `name`, with its trust policy, inline policies and attached managed policies.
pub async fn role(client: &Client, name: &str) -> Result<LiveRole, Failure> {
    let found = client
        .get_role()
        .role_name(name)
        .send()
        .await
        .map_err(|e| failure(e, &format!("iam:GetRole {name}")))?;
    let trust = found
        .role()
        .and_then(|role| role.assume_role_policy_document())
        .unwrap_or_default();
    let mut documents = vec![(format!("{name}/trust-policy"), decoded(trust))];
    let inline: Vec<String> = client
        .list_role_policies()
        .role_name(name)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|e| failure(e, &format!("iam:ListRolePolicies {name}")))?;
    for policy in inline {
        let read = client
            .get_role_policy()
            .role_name(name)
            .policy_name(&policy)
            .send()
            .await
            .map_err(|e| failure(e, &format!("iam:GetRolePolicy {name} {policy}")))?;
        documents.push((
            format!("{name}/inline/{policy}"),
            decoded(read.policy_document()),
        ));
    }
    let attached: Vec<_> = client
        .list_attached_role_policies()
        .role_name(name)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|e| failure(e, &format!("iam:ListAttachedRolePolicies {name}")))?;
    for policy in attached {
        let arn = policy.policy_arn().unwrap_or_default();
        let described = client
            .get_policy()
            .policy_arn(arn)
            .send()
            .await
            .map_err(|e| failure(e, &format!("iam:GetPolicy {arn}")))?;
        let version = described
            .policy()
            .and_then(|p| p.default_version_id())
            .unwrap_or_default();
        let read = client
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .map_err(|e| failure(e, &format!("iam:GetPolicyVersion {arn}")))?;
        let document = read
            .policy_version()
            .and_then(|v| v.document())
            .unwrap_or_default();
        documents.push((
            format!("{name}/managed/{}", arn.rsplit('/').next().unwrap_or(arn)),
            decoded(document),
        ));
    }
    Ok(LiveRole {
        name: name.to_owned(),
        documents,
    })
}

/// The names of the account's roles whose trust policy names Amazon Q Business or Amazon
/// Kendra as a service principal, in the order IAM lists them.
pub async fn connector_roles(client: &Client) -> Result<Vec<String>, Failure> {
    let roles: Vec<_> = client
        .list_roles()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<_, _>>()
        .await
        .map_err(|e| failure(e, "iam:ListRoles"))?;
    Ok(roles
        .iter()
        .filter(|role| {
            let trust = decoded(role.assume_role_policy_document().unwrap_or_default());
            serde_json::from_str::<serde_json::Value>(&trust)
                .is_ok_and(|document| trusts_a_connector_service(&document))
        })
        .map(|role| role.role_name().to_owned())
        .collect())
}

/// Whether a trust policy names one of [`SERVICES`] in a statement's `Principal.Service`.
fn trusts_a_connector_service(document: &serde_json::Value) -> bool {
    let statements = match &document["Statement"] {
        serde_json::Value::Array(list) => list.iter().collect(),
        one => vec![one],
    };
    statements.iter().any(|statement| {
        let service = &statement["Principal"]["Service"];
        let names: Vec<&str> = match service {
            serde_json::Value::Array(list) => list.iter().filter_map(|s| s.as_str()).collect(),
            one => one.as_str().into_iter().collect(),
        };
        names.iter().any(|name| SERVICES.contains(name))
    })
}

/// A policy document as IAM returns it: URL-encoded (RFC 3986), as its API documents; a
/// document that is already JSON is kept as it is.
fn decoded(document: &str) -> String {
    if document.trim_start().starts_with('{') {
        return document.to_owned();
    }
    percent_decode_str(document)
        .decode_utf8_lossy()
        .into_owned()
}

/// An SDK error as one line, with the exit code of its kind: no credentials, access denied,
/// throttled (after the SDK's retries), a role that does not exist (invalid input), or any
/// other failure to talk to AWS. An error whose code the SDK cannot read is known by its
/// HTTP status (403 access denied, 429 throttled), as an emulator's may be.
fn failure<E>(error: SdkError<E, HttpResponse>, call: &str) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let status = error
        .raw_response()
        .map(|response| response.status().as_u16());
    let code = match (error.code(), status) {
        (Some(code), _) => code.to_owned(),
        (None, Some(403)) => "AccessDenied".to_owned(),
        (None, Some(429)) => "Throttling".to_owned(),
        (None, _) => String::new(),
    };
    let message = error
        .message()
        .map(str::to_owned)
        .unwrap_or_else(|| one_line(&error));
    let kind = match code.as_str() {
        "NoSuchEntity" => return Failure::invalid(format!("{call}: {message}")),
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
            AwsFailure::AccessDenied
        }
        "InvalidClientTokenId" | "ExpiredToken" | "SignatureDoesNotMatch" => {
            AwsFailure::NoCredentials
        }
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" => AwsFailure::Throttled,
        _ => AwsFailure::Other,
    };
    let code = if code.is_empty() {
        String::new()
    } else {
        format!("{code}: ")
    };
    Failure::aws(kind, format!("{call}: {code}{message}"))
}

/// An error and its sources, on one line.
fn one_line(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.replace('\n', " ")
}
