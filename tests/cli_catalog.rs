//! The catalog on the command line: `list`, `generate --connector` for every connector,
//! `--revision`.

use connector_roles::catalog;

mod support;

use support::{run, stdout};

#[test]
fn list_shows_every_connector_with_its_shape_and_title() {
    let output = run(&["list"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("CONNECTOR"), "{text}");
    assert_eq!(lines.len(), catalog::all().len() + 1);
    for connector in catalog::all() {
        let line = lines
            .iter()
            .find(|line| line.split_whitespace().next() == Some(connector.id.as_str()))
            .unwrap_or_else(|| panic!("{} is not listed", connector.id));
        assert_eq!(
            line.split_whitespace().nth(1),
            Some(connector.shape.as_str())
        );
        assert!(line.contains(&connector.title), "{line}");
    }
    assert!(text.contains("(revisions: index-only (default), application-and-index)"));
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
