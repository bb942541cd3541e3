//! Roles declared with `connector_role!`: the same files as the CLI writes for the same
//! values, from the JSON spec and from the `.rs` file.

mod support;

use connector_roles::{ConnectorRole, Format, RoleSpec, connector_role, render};

connector_role! {
    /// Role for the orders database.
    pub OrdersMySql {
        connector: rds_mysql,
        name: "orders-mysql",
        role_name: "QBusinessOrdersMySqlConnectorRole",
        account_id: "111122223333",
        region: "us-east-1",
        source_account: "111122223333",
        application_id: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        index_id: "b2c3d4e5-6789-01bc-def0-EXAMPLE22222",
        input_bucket_name: "amzn-s3-demo-bucket",
        secret_id: "qbusiness-orders-mysql-AbCdEf",
        key_id: "1234abcd-12ab-34cd-56ef-1234567890ab",
        vpc: {
            subnet_ids: ["subnet-0123456789abcdef0"],
            security_group_ids: ["sg-0123456789abcdef0"],
        },
    }

    /// Fully open: reused across accounts.
    pub(crate) Reusable { connector: rds_mysql }
}

/// The role properties, each as the JSON spec spells it.
mod properties {
    use connector_roles::connector_role;

    connector_role! {
        pub Governed {
            connector: rds_mysql,
            path: "/connectors/qbusiness/",
            tags: { "Team": "data platform", "cost-center": "1234", "Note": "" },
            permissions_boundary: "arn:aws:iam::111122223333:policy/QBusinessConnectorBoundary",
            max_session_duration: 7200,
            policy: managed,
        }
    }
}

mod nested {
    use connector_roles::connector_role;

    connector_role! {
        pub Inner { connector: rds_mysql, vpc: {} }
    }
}

#[test]
fn macro_artifacts_equal_the_json_specs() {
    let json = RoleSpec::from_json(&support::example_spec().to_string()).unwrap();
    let expected = render(&json, &Format::ALL).unwrap();
    let declared = OrdersMySql::artifacts(&Format::ALL);
    assert_eq!(declared.len(), expected.len());
    for (declared, expected) in declared.iter().zip(&expected) {
        assert_eq!(declared.path, expected.path);
        assert!(
            declared.contents == expected.contents,
            "{} differs",
            declared.path
        );
    }
    assert_eq!(OrdersMySql::spec().to_json(), json.to_json());
}

#[test]
fn several_roles_and_invocations() {
    assert_eq!(Reusable::spec().name, "reusable");
    assert!(Reusable::spec().values.is_empty());
    assert_eq!(nested::Inner::spec().parts.len(), 1);
    assert!(
        Reusable::render(Format::CloudFormation).contains("Fully open: reused across accounts.")
    );
}

#[test]
fn role_properties_are_the_json_spec_keys() {
    let json = serde_json::json!({
        "connector": "rds-mysql",
        "name": "governed",
        "path": "/connectors/qbusiness/",
        "tags": { "Team": "data platform", "cost-center": "1234", "Note": "" },
        "permissions_boundary": "arn:aws:iam::111122223333:policy/QBusinessConnectorBoundary",
        "max_session_duration": 7200,
        "policy": "managed",
    });
    let spec = RoleSpec::from_json(&json.to_string()).unwrap();
    assert_eq!(properties::Governed::spec().properties, spec.properties);
    assert_eq!(properties::Governed::spec().to_json(), spec.to_json());
    let template = properties::Governed::render(Format::CloudFormation);
    assert!(
        template.contains("Type: \"AWS::IAM::ManagedPolicy\""),
        "{template}"
    );
}

#[test]
fn write_to_writes_the_cli_layout() {
    let out = tempfile::tempdir().unwrap();
    let written = OrdersMySql::write_to(out.path()).unwrap();
    assert_eq!(written.len(), 17);
    let template =
        std::fs::read_to_string(out.path().join("orders-mysql/cloudformation/template.yaml"))
            .unwrap();
    assert_eq!(template, OrdersMySql::render(Format::CloudFormation));
}

/// The connectors AWS documents twice, declared in Rust: the new connector by default, the
/// original one by its revision; the same files as the JSON specs.
mod documented_twice {
    use connector_roles::connector_role;

    connector_role! {
        pub Drive { connector: google_drive, name: "drive" }
        pub DriveOriginal {
            connector: google_drive,
            name: "drive-original",
            revision: "original-connector",
            vpc: {},
        }
    }
}

#[test]
fn the_new_and_the_original_connector_are_declared_alike() {
    use documented_twice::{Drive, DriveOriginal};
    for (declared, json) in [
        (
            Drive::artifacts(&Format::ALL),
            r#"{"connector": "google-drive", "name": "drive"}"#,
        ),
        (
            DriveOriginal::artifacts(&Format::ALL),
            r#"{"connector": "google-drive", "name": "drive-original", "revision": "original-connector", "vpc": {}}"#,
        ),
    ] {
        let expected = render(&RoleSpec::from_json(json).unwrap(), &Format::ALL).unwrap();
        assert_eq!(declared, expected);
    }
    assert_eq!(Drive::spec().revision, None);
    assert_eq!(
        Drive::spec().policies().revision.as_deref(),
        Some("new-connector")
    );
    assert!(
        DriveOriginal::spec()
            .policies()
            .page
            .ends_with("/googledrive-v1-iam-role.html")
    );
}

/// A data source declared in Rust, its configuration written as JSON tokens: the same files
/// as the JSON spec that declares it.
mod with_data_source {
    use connector_roles::connector_role;

    connector_role! {
        pub Tickets {
            connector: jira,
            name: "tickets",
            data_source: {
                display_name: "tickets-jira",
                sync_schedule: "rate(1 day)",
                configuration: {
                    "syncMode": "FULL_CRAWL",
                    "connectionConfiguration": { "repositoryEndpointMetadata": { "jiraAccountUrl": "https://example.atlassian.net" } },
                    "repositoryConfigurations": { "issue": { "fieldMappings": [] } },
                    "additionalProperties": { "maxFileSizeInMegaBytes": "50", "isCrawlAcl": true },
                    "enableIdentityCrawler": false,
                    "limits": [1, 2.5, null]
                },
            },
        }
    }
}

/// The new Microsoft Teams connector, chosen by `variant`, with tags.
mod with_new_teams {
    use connector_roles::connector_role;

    connector_role! {
        pub Chats {
            connector: microsoft_teams,
            name: "chats",
            data_source: {
                variant: new,
                tags: { "team": "search" },
                configuration: {
                    "connectionConfiguration": { "tenantId": "12345678-1234-4123-8123-123456789012" },
                    "dataEntityConfiguration": { "crawlChatMessages": true }
                },
            },
        }
    }
}

#[test]
fn a_variant_and_tags_are_declared_as_in_the_json_spec() {
    let json = r#"{"connector": "microsoft-teams", "name": "chats", "data_source": {
        "variant": "new", "tags": { "team": "search" },
        "configuration": {
            "connectionConfiguration": { "tenantId": "12345678-1234-4123-8123-123456789012" },
            "dataEntityConfiguration": { "crawlChatMessages": true }
        }}}"#;
    let spec = RoleSpec::from_json(json).unwrap();
    let expected = render(&spec, &Format::ALL).unwrap();
    assert_eq!(with_new_teams::Chats::artifacts(&Format::ALL), expected);
    let declared = with_new_teams::Chats::spec().data_source.unwrap();
    assert_eq!(declared.variant.as_deref(), Some("new"));
    assert_eq!(declared.tags.len(), 1);
}

#[test]
fn a_data_source_is_declared_as_in_the_json_spec() {
    use with_data_source::Tickets;
    let json = r#"{"connector": "jira", "name": "tickets", "data_source": {
        "display_name": "tickets-jira", "sync_schedule": "rate(1 day)",
        "configuration": {
            "syncMode": "FULL_CRAWL",
            "connectionConfiguration": { "repositoryEndpointMetadata": { "jiraAccountUrl": "https://example.atlassian.net" } },
            "repositoryConfigurations": { "issue": { "fieldMappings": [] } },
            "additionalProperties": { "maxFileSizeInMegaBytes": "50", "isCrawlAcl": true },
            "enableIdentityCrawler": false,
            "limits": [1, 2.5, null]
        }}}"#;
    let expected = render(&RoleSpec::from_json(json).unwrap(), &Format::ALL).unwrap();
    assert_eq!(Tickets::artifacts(&Format::ALL), expected);
    let spec = Tickets::spec();
    let declared = spec.data_source.as_ref().unwrap();
    assert_eq!(
        declared.configuration["limits"],
        serde_json::json!([1, 2.5, null])
    );
}
