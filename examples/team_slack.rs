//! A role with the Amazon Q Business data source that uses it, declared in Rust: the team's
//! Slack workspace, the account, application, index, secret and key left open (parameters,
//! props and variables shared by the role and the data source). The configuration is the
//! connector's own, with AWS's keys; `type` and the secret's ARN are filled from the role, and
//! the whole is checked against the connector's documented schema when this compiles.
//!
//! `cargo run --example team_slack` writes its CloudFormation template, CDK app, Terraform
//! module and JSON under `output/examples/team_slack/`.

use connector_roles::{ConnectorRole, connector_role};

connector_role! {
    /// Role for the team's Slack workspace.
    pub TeamSlack {
        connector: slack,
        name: "team-slack",
        data_source: {
            display_name: "team-slack",
            description: "Public and private channels of the team's workspace",
            sync_schedule: "rate(12 hours)",
            configuration: {
                "syncMode": "FULL_CRAWL",
                "enableIdentityCrawler": "true",
                "connectionConfiguration": { "repositoryEndpointMetadata": { "teamId": "T12345678" } },
                "repositoryConfigurations": {
                    "All": { "fieldMappings": [
                        { "indexFieldName": "message_id", "indexFieldType": "STRING", "dataSourceFieldName": "id" }
                    ] }
                },
                "additionalProperties": {
                    "isCrawlAcl": "true",
                    "fieldForUserId": "user_id",
                    "conversationType": ["PUBLIC_CHANNEL", "PRIVATE_CHANNEL"],
                    "excludeArchived": "true",
                    "sinceDate": "2025-01-01T00:00:00Z",
                    "lookBack": "7"
                },
                "version": "1.0.0"
            },
        },
    }
}

fn main() -> Result<(), connector_roles::WriteError> {
    TeamSlack::write_to(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/output/examples/team_slack"
    ))?;
    Ok(())
}
