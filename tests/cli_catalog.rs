//! The catalog on the command line: `list`, `generate --connector` for every connector,
//! `--revision`.

use connector_roles::catalog;

mod support;

use support::{run, stdout};

#[test]
fn list_shows_every_connector_with_its_status_shape_and_title() {
    let output = run(&["list"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("CONNECTOR"), "{text}");
    assert_eq!(
        lines[0].split_whitespace().take(3).collect::<Vec<_>>(),
        ["CONNECTOR", "STATUS", "SHAPE"]
    );
    assert_eq!(lines.len(), 47 + 1, "the 38 pages and the 9 added: {text}");
    for connector in catalog::all() {
        let line = lines
            .iter()
            .find(|line| line.split_whitespace().next() == Some(connector.id.as_str()))
            .unwrap_or_else(|| panic!("{} is not listed", connector.id));
        let columns: Vec<&str> = line.split_whitespace().take(3).collect();
        assert_eq!(columns[1], connector.listed.status.name(), "{line}");
        assert_eq!(columns[2], connector.shape, "{line}");
        assert!(line.contains(&connector.title), "{line}");
    }
    assert!(text.contains("(revisions: index-only (default), application-and-index)"));
    assert!(text.contains("(revisions: new-connector (default), original-connector)"));
}

/// The statuses AWS's two lists give: every SQL connector and the five added legacy pages are
/// legacy, Asana and Google Calendar in preview.
#[test]
fn list_filters_by_status() {
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list"];
        all.extend(args);
        let output = run(&all);
        assert!(output.status.success(), "{args:?}");
        stdout(&output)
            .lines()
            .skip(1)
            .map(|line| line.split_whitespace().next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&["--status", "preview"]), ["asana", "google-calendar"]);
    let legacy = ids(&["--status", "legacy"]);
    for id in [
        "rds-mysql",
        "aurora-postgresql",
        "ibm-db2",
        "alfresco-server",
        "aem-cloud",
        "aem-server",
        "alfresco-cloud",
        "drupal",
        "microsoft-yammer",
        "quip",
        "kendra-database",
    ] {
        assert!(legacy.contains(&id.to_owned()), "{id}: {legacy:?}");
    }
    assert_eq!(legacy.len(), 13 + 5 + 1, "{legacy:?}");
    let current = ids(&["--status", "current"]);
    assert!(current.contains(&"google-drive".to_owned()));
    assert_eq!(ids(&["--status", "current,preview,legacy"]).len(), 47);
    assert_eq!(
        ids(&["--status", "current", "--status", "preview"]).len(),
        current.len() + 2
    );
    let unknown = run(&["list", "--status", "deprecated"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// `list --format json` parses, and holds what the catalog holds: each revision with its own
/// page, the default first.
#[test]
fn list_as_json_is_the_catalog() {
    let output = run(&["list", "--format", "json"]);
    assert!(output.status.success());
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listed.len(), catalog::all().len());
    for (entry, connector) in listed.iter().zip(catalog::all()) {
        assert_eq!(entry["id"], connector.id.as_str());
        assert_eq!(entry["title"], connector.title.as_str());
        assert_eq!(entry["page"], connector.page.as_str());
        assert_eq!(entry["shape"], connector.shape.as_str());
        assert_eq!(entry["status"], connector.listed.status.name());
        assert_eq!(
            entry["status_source"]["page"],
            connector.listed.listing.page.as_str()
        );
        let parts: Vec<&str> = connector.parts().iter().map(|p| p.name()).collect();
        assert_eq!(entry["optional_parts"], serde_json::json!(parts));
        let names: Vec<&str> = entry["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, connector.revision_names(), "{}", connector.id);
        assert_eq!(
            entry["default_revision"].as_str(),
            connector.revision_names().first().copied()
        );
    }
    let drive = listed.iter().find(|e| e["id"] == "google-drive").unwrap();
    assert_eq!(
        drive["revisions"][0]["optional_parts"],
        serde_json::json!([])
    );
    assert_eq!(
        drive["revisions"][1]["page"],
        "https://docs.aws.amazon.com/amazonq/latest/qbusiness-ug/googledrive-v1-iam-role.html"
    );
}

/// Generating a legacy or preview connector succeeds and says so once on standard error, in
/// AWS's words; a current one says nothing.
#[test]
fn generate_warns_once_of_a_connector_aws_no_longer_onboards() {
    let generate = |id: &str| run(&["generate", "--connector", id, "--stdout"]);
    let legacy = generate("rds-mysql");
    assert!(legacy.status.success());
    let stderr = String::from_utf8_lossy(&legacy.stderr);
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    assert!(
        stderr.contains("rds-mysql is a legacy connector: AWS's \"Legacy connectors\" page (https://docs.aws.amazon.com/amazonq/latest/qbusiness-ug/legacy-connectors.html) lists \"Amazon RDS (MySQL)\" under \"The following connectors remain supported for existing customers but are no longer available for new onboarding. Support for existing usage will continue until May 31, 2026:\""),
        "{stderr}"
    );
    let preview = generate("google-calendar");
    assert!(preview.status.success());
    assert!(
        String::from_utf8_lossy(&preview.stderr)
            .contains("google-calendar is a preview connector: AWS's \"Supported connectors\" page (https://docs.aws.amazon.com/amazonq/latest/qbusiness-ug/connectors-list.html) lists it as \"Google Calendar (Preview)\"")
    );
    let current = generate("google-drive");
    assert!(current.status.success());
    assert_eq!(String::from_utf8_lossy(&current.stderr), "");

    // Two roles of one legacy connector: one warning.
    let dir = tempfile::tempdir().unwrap();
    let specs: Vec<String> = ["a", "b"]
        .iter()
        .map(|name| {
            let path = dir.path().join(format!("{name}.json"));
            std::fs::write(
                &path,
                format!(r#"{{"connector": "quip", "name": "{name}"}}"#),
            )
            .unwrap();
            path.to_str().unwrap().to_owned()
        })
        .collect();
    let two = run(&["generate", &specs[0], &specs[1], "--stdout"]);
    assert!(
        two.status.success(),
        "{}",
        String::from_utf8_lossy(&two.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&two.stderr)
            .matches("warning:")
            .count(),
        1
    );
}

/// Google Drive's new connector (the default) has no VPC statements; its original connector
/// is one revision away, and the error for `vpc` on the new one says so.
#[test]
fn google_drive_offers_the_new_connector_and_the_original_one() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("drive.json");
    std::fs::write(
        &spec,
        r#"{"connector": "google-drive", "name": "drive", "vpc": {}}"#,
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let refused = run(&["generate", spec, "--stdout"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("\"vpc\" is not an optional part of google-drive at revision new-connector (it documents: none); revision original-connector documents it"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let original_spec = dir.path().join("original.json");
    std::fs::write(
        &original_spec,
        r#"{"connector": "google-drive", "name": "drive", "revision": "original-connector", "vpc": {}}"#,
    )
    .unwrap();
    let original = run(&[
        "generate",
        original_spec.to_str().unwrap(),
        "--format",
        "json",
        "--stdout",
    ]);
    assert!(original.status.success());
    let text = stdout(&original);
    assert!(text.contains("AllowsAmazonQToCreateAndDeleteNI"), "{text}");
    assert!(text.contains("\"ArnEquals\""), "{text}");
}

#[test]
fn generate_works_for_every_connector() {
    for connector in catalog::all() {
        let output = run(&["generate", "--connector", &connector.id, "--stdout"]);
        assert!(
            output.status.success(),
            "{}: {}",
            connector.id,
            String::from_utf8_lossy(&output.stderr)
        );
        let text = stdout(&output);
        for file in [
            "cloudformation/template.yaml",
            "cdk/bin/app.ts",
            "terraform/main.tf",
        ] {
            assert!(
                text.contains(&format!("==> {}/{file} <==", connector.id)),
                "{}: no {file}",
                connector.id
            );
        }
    }
}

#[test]
fn revision_is_chosen_on_the_command_line() {
    let policy = |args: &[&str]| {
        let mut all = vec!["generate", "--format", "json", "--stdout"];
        all.extend(args);
        run(&all)
    };
    let default = stdout(&policy(&[]));
    let later = stdout(&policy(&["--revision", "application-and-index"]));
    let ingest = "\"Sid\": \"AllowsAmazonQToIngestDocuments\"";
    let after = |text: &str| text[text.find(ingest).unwrap()..][..400].to_owned();
    assert!(
        after(&default).contains("\"Resource\": \"arn:aws:qbusiness:"),
        "{default}"
    );
    assert!(
        after(&later).contains("\"Resource\": [\n        \"arn:aws:qbusiness:{{region}}:{{source_account}}:application/{{application_id}}\",\n"),
        "{later}"
    );

    let unknown = policy(&["--revision", "latest"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains(
            "is not a revision of rds-mysql (expected one of index-only, application-and-index)"
        ),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
    let never_revised = policy(&["--connector", "kendra-s3", "--revision", "index-only"]);
    assert_eq!(never_revised.status.code(), Some(2));

    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("later.json");
    std::fs::write(
        &spec,
        r#"{"connector": "rds-mysql", "name": "later", "revision": "application-and-index"}"#,
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    assert!(policy(&[spec]).status.success());
    let conflict = policy(&[spec, "--revision", "index-only"]);
    assert_eq!(conflict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&conflict.stderr).contains("is not the revision asked for"));
}
