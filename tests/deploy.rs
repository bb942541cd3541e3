//! Deployed, not just parsed: every matrix case's CloudFormation template (bound and open,
//! open values given as parameters) is created as a stack in moto, a local AWS emulator
//! (`moto[server]`, pinned in the tools venv), in the account and Region of the case's
//! deployment; each stack's roles are read back through the IAM API (inline and attached
//! policies, trust policy, path, tags, boundary, session length) and must be exactly the
//! spec's. `tests/support/deploy_moto.py` runs the emulator on a free loopback port and stops
//! it at the end, also on failure; where moto falls short of AWS it names the gap
//! (`AWS::QBusiness::DataSource` unknown to it: not deployed, its role is; an inline policy
//! returned as Python's text; `AWS::NoValue` kept as null in lists), and the test prints
//! each gap met. `tools/test` runs it in its toolchain stage.

mod support;

mod real_toolchains {
    use std::collections::BTreeMap;

    use connector_roles::properties::PolicyKind;
    use serde_json::{Value, json};

    use super::support::matrix::{Case, compare_properties, matrix};
    use super::support::toolchain::{self, Log};

    /// The role `found` (as the script reads it back) against `spec` in `case`.
    fn compare(case: &Case, found: &Value, index: usize) -> Result<(), String> {
        let (names, spec) = &case.roles[index];
        let id = names.logical_id("Role");
        let role = found
            .get(&id)
            .ok_or_else(|| format!("{}: no role {id} in the stack", case.name))?;
        if let Some(name) = &spec.role_name
            && role["RoleName"] != json!(name)
        {
            return Err(format!(
                "{}: role name {} is not {name}",
                case.name, role["RoleName"]
            ));
        }
        let inline: Vec<&Value> = role["Inline"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(_, d)| d)
            .collect();
        let managed: Vec<&Value> = role["Managed"].as_array().into_iter().flatten().collect();
        let permission = match (
            spec.properties.policy,
            inline.as_slice(),
            managed.as_slice(),
        ) {
            (PolicyKind::Inline, [one], []) | (PolicyKind::Managed, [], [one]) => *one,
            _ => {
                return Err(format!(
                    "{}: role {id} has {} inline and {} managed policies, not the one {:?} policy",
                    case.name,
                    inline.len(),
                    managed.len(),
                    spec.properties.policy
                ));
            }
        };
        case.compare(spec, &role["Trust"], permission)?;
        let mut properties = serde_json::Map::new();
        if spec.properties.path.is_some() || role["Path"] != "/" {
            properties.insert("Path".into(), role["Path"].clone());
        }
        if spec.properties.max_session_duration.is_some() || role["MaxSessionDuration"] != 3600 {
            properties.insert(
                "MaxSessionDuration".into(),
                role["MaxSessionDuration"].clone(),
            );
        }
        if !role["PermissionsBoundary"].is_null() {
            properties.insert(
                "PermissionsBoundary".into(),
                role["PermissionsBoundary"].clone(),
            );
        }
        if role["Tags"]
            .as_object()
            .is_some_and(|tags| !tags.is_empty())
        {
            properties.insert("Tags".into(), role["Tags"].clone());
        }
        compare_properties(spec, &Value::Object(properties))
    }

    #[test]
    fn every_matrix_template_deploys_to_moto_and_reads_back_as_its_spec() {
        let Some(python) = toolchain::tool(".venv/bin/python", "the moto deploy") else {
            return;
        };
        let cases = matrix();
        let dir = tempfile::tempdir().unwrap();
        // One emulator per deploying account: `AWS::AccountId` is the account it runs as.
        let mut by_account: BTreeMap<&str, Vec<(usize, Value)>> = BTreeMap::new();
        for (i, case) in cases.iter().enumerate() {
            let root = dir.path().join(i.to_string());
            connector_roles::write_all(&root, &case.artifacts).unwrap();
            let template = root.join(&case.folder).join("cloudformation/template.yaml");
            let parameters: serde_json::Map<String, Value> =
                case.cloudformation_parameters().into_iter().collect();
            by_account
                .entry(case.deployment.account)
                .or_default()
                .push((
                    i,
                    json!({
                        "stack": format!("case-{i}"),
                        "template": template,
                        "parameters": parameters,
                        "region": case.deployment.region,
                    }),
                ));
        }
        let mut log = Log::default();
        let mut failures = Vec::new();
        let mut gaps: Vec<String> = Vec::new();
        for (account, group) in &by_account {
            let file = dir.path().join(format!("cases-{account}.json"));
            let list: Vec<&Value> = group.iter().map(|(_, case)| case).collect();
            std::fs::write(&file, serde_json::to_string(&list).unwrap()).unwrap();
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/deploy_moto.py");
            let mut command = std::process::Command::new(&python);
            command
                .arg(script)
                .arg(&file)
                .env("MOTO_ACCOUNT_ID", account);
            let stdout = match log.run("moto deploy", &mut command) {
                Ok(stdout) => stdout,
                Err(error) => {
                    failures.push(error);
                    continue;
                }
            };
            let results: Value = serde_json::from_str(&stdout).unwrap();
            for (i, _) in group {
                let case = &cases[*i];
                let stack = &results[format!("case-{i}")];
                if stack["status"] != "CREATE_COMPLETE" {
                    failures.push(format!("{}: stack {}", case.name, stack["status"]));
                    continue;
                }
                for gap in stack["gaps"].as_array().into_iter().flatten() {
                    let gap = gap.as_str().unwrap_or_default().to_owned();
                    if !gaps.contains(&gap) {
                        gaps.push(gap);
                    }
                }
                for index in 0..case.roles.len() {
                    if let Err(error) = compare(case, &stack["roles"], index) {
                        failures.push(error);
                    }
                }
            }
        }
        println!("{}", log.0);
        toolchain::say(&format!(
            "moto deploy: {} stacks; emulator gaps met: {}",
            cases.len(),
            if gaps.is_empty() {
                "none".to_owned()
            } else {
                gaps.join("; ")
            }
        ));
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
