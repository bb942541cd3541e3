//! Deployed, not just parsed: every matrix case's CloudFormation template (bound and open,
//! open values given as parameters) is created as a stack in moto, a local AWS emulator
//! (`moto[server]`, pinned in the tools venv), in the account and Region of the case's
//! deployment; each stack's roles are read back through the IAM API (inline and attached
//! policies, trust policy, path, tags, boundary, session length) and must be exactly the
//! spec's. `tests/support/deploy_moto.py` runs the emulator on a free loopback port and stops
//! it at the end, also on failure; where moto falls short of AWS it names the gap
//! (`AWS::QBusiness::DataSource` unknown to it: not deployed, its role is; an inline policy
//! returned as Python's text; `AWS::NoValue` kept as null in lists), and the test prints
//! each gap met. Terraform too: modules applied to moto through hashicorp/aws (the machine's
//! mirror), read back, their plans compared with our evaluation, and destroyed.
//! `tools/test` runs these tests in its toolchain stage.

mod support;

mod real_toolchains {
    use std::collections::BTreeMap;

    use connector_roles::RoleSpec;
    use connector_roles::properties::PolicyKind;
    use serde_json::{Value, json};

    use super::support::matrix::{Case, compare_properties, matrix};
    use super::support::toolchain::{self, Log};

    /// The role among `roles` (as read back) that is `spec`'s documented role in `case`: its
    /// name where the spec names it, its trust policy and its one permission policy.
    pub(super) fn documented_role<'r>(
        case: &Case,
        spec: &RoleSpec,
        roles: &'r [Value],
    ) -> Option<&'r Value> {
        roles.iter().find(|role| {
            let permission = role["Inline"]
                .as_object()
                .and_then(|inline| inline.values().next())
                .or_else(|| role["Managed"].get(0))
                .cloned()
                .unwrap_or(Value::Null);
            spec.role_name
                .as_ref()
                .is_none_or(|name| role["RoleName"] == json!(name))
                && case.compare(spec, &role["Trust"], &permission).is_ok()
        })
    }

    /// A role's properties as read back, keyed as [`compare_properties`] keys them: IAM's
    /// defaults (path `/`, one hour) where the spec sets none.
    pub(super) fn read_back_properties(spec: &RoleSpec, role: &Value) -> Value {
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
        Value::Object(properties)
    }

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
        compare_properties(spec, &read_back_properties(spec, role))
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

    /// The CDK app's synthesized template deploys too: the default case's app (open values as
    /// context) and the example's (every value bound), synthesized as `cdk.json` runs them.
    /// The emulator holds no CDK bootstrap stack, so the synthesized template's bootstrap
    /// version check (a rule on an SSM parameter) is left out, named as a gap.
    #[test]
    fn the_cdk_apps_synthesized_templates_deploy_to_moto() {
        let Some(python) = toolchain::tool(".venv/bin/python", "the CDK deploy to moto") else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let mut log = Log::default();
        let mut failures = Vec::new();
        let cases: Vec<Case> = matrix()
            .into_iter()
            .filter(|case| ["default", "examples/orders_mysql.rs"].contains(&case.name.as_str()))
            .collect();
        assert_eq!(cases.len(), 2);
        let mut list = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let root = dir.path().join(i.to_string());
            connector_roles::write_all(&root, &case.artifacts).unwrap();
            let cdk = root.join(&case.folder).join("cdk");
            match toolchain::tsc(&mut log, &cdk)
                .and_then(|_| toolchain::cdk_synth(&mut log, &cdk, &case.cdk_context()))
            {
                Ok(Some(template)) => list.push(json!({
                    "stack": format!("cdk-{i}"),
                    "template": template,
                    "parameters": {},
                    "region": case.deployment.region,
                })),
                Ok(None) => return println!("{}", log.0),
                Err(error) => failures.push(format!("{}: {error}", case.name)),
            }
        }
        let file = dir.path().join("cdk-cases.json");
        std::fs::write(&file, serde_json::to_string(&list).unwrap()).unwrap();
        let mut command = std::process::Command::new(&python);
        command
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/support/deploy_moto.py"
            ))
            .arg(&file)
            .env("MOTO_ACCOUNT_ID", cases[0].deployment.account);
        match log.run("moto deploy of the CDK templates", &mut command) {
            Ok(stdout) => {
                let results: Value = serde_json::from_str(&stdout).unwrap();
                for (i, case) in cases.iter().enumerate() {
                    let stack = &results[format!("cdk-{i}")];
                    let roles: Vec<Value> = stack["roles"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(_, role)| role.clone())
                        .collect();
                    for (_, spec) in &case.roles {
                        match documented_role(case, spec, &roles) {
                            Some(role) => {
                                if let Err(e) = compare_properties(spec, &read_back_properties(spec, role)) {
                                    failures.push(e);
                                }
                            }
                            None => failures.push(format!(
                                "{}: no role of the synthesized stack is {}'s documented role: {roles:?}",
                                case.name, spec.name
                            )),
                        }
                    }
                    toolchain::say(&format!(
                        "moto deploy of {}'s CDK template: gaps {}",
                        case.name, stack["gaps"]
                    ));
                }
            }
            Err(error) => failures.push(error),
        }
        println!("{}", log.0);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Terraform applied to moto as its users apply a module: `init` (the machine's provider
    /// mirror only), `validate`, `plan`, `show -json`, `apply`, `destroy`, with a root module
    /// that points hashicorp/aws's IAM and STS at the emulator. Where Terraform or the mirror is
    /// missing the test says so and is skipped (no registry serves them here).
    mod terraform_on_moto {
        use serde_json::{Value, json};

        use super::super::support::matrix::{Case, compare_properties, matrix};
        use super::super::support::terraform::Module;
        use super::super::support::toolchain::{
            self, Log, say, terraform_and_mirror, terraform_cli_config,
        };
        use super::read_back_properties;

        /// Cases applied to one emulator: one account and Region, role names that differ.
        struct Batch<'c> {
            /// The deployment's account and Region.
            place: (&'c str, &'c str),
            /// The role names its cases bind (a role's name is unique in its account; an open
            /// one is generated, and a customer-managed policy's name is only a prefix).
            names: Vec<&'c str>,
            /// Its cases, by index in the matrix.
            cases: Vec<usize>,
        }

        /// The matrix's cases in batches, each applied to an emulator of its own, all from one
        /// root module: Terraform starts five times in all, not five times per case. A case
        /// whose module also needs hashicorp/awscc (a data source) is left out, returned by
        /// name: no mirror here holds that provider.
        fn batches(cases: &[Case]) -> (Vec<Vec<usize>>, Vec<&str>) {
            let mut batches: Vec<Batch> = Vec::new();
            let mut left_out = Vec::new();
            for (i, case) in cases.iter().enumerate() {
                if case
                    .roles
                    .iter()
                    .any(|(_, spec)| spec.data_source.is_some())
                {
                    left_out.push(case.name.as_str());
                    continue;
                }
                let names: Vec<&str> = case
                    .roles
                    .iter()
                    .filter_map(|(_, spec)| spec.role_name.as_deref())
                    .collect();
                let place = (case.deployment.account, case.deployment.region);
                match batches.iter_mut().find(|batch| {
                    batch.place == place && !names.iter().any(|name| batch.names.contains(name))
                }) {
                    Some(batch) => {
                        batch.names.extend(names);
                        batch.cases.push(i);
                    }
                    None => batches.push(Batch {
                        place,
                        names,
                        cases: vec![i],
                    }),
                }
            }
            let batches = batches.into_iter().map(|batch| batch.cases).collect();
            (batches, left_out)
        }

        /// The module name of case `i` in its batch's root module.
        fn module_name(i: usize) -> String {
            format!("case_{i}")
        }

        /// Each of `case`'s roles is one of `roles` (read back after apply), and the plan's
        /// policies for its module `planned` are the ones our own evaluation of the module
        /// gives.
        fn check(
            case: &Case,
            module: &Module,
            planned: &[Value],
            roles: &[Value],
        ) -> Result<(), String> {
            for (names, spec) in &case.roles {
                let matching = super::documented_role(case, spec, roles);
                let Some(role) = matching else {
                    return Err(format!(
                        "{}: no role read back after apply is {}'s documented role",
                        case.name, spec.name
                    ));
                };
                compare_properties(spec, &read_back_properties(spec, role))?;
                // Terraform's own plan against our evaluation of the module.
                let resource = names.terraform_resource();
                let ours = module.role(&resource);
                let value = |kind: &str, key: &str| -> Option<Value> {
                    planned
                        .iter()
                        .find(|r| r["type"] == kind && r["name"] == resource.as_str())
                        .and_then(|r| r["values"][key].as_str().map(str::to_owned))
                        .and_then(|text| serde_json::from_str(&text).ok())
                };
                let permission = value("aws_iam_role_policy", "policy")
                    .or_else(|| value("aws_iam_policy", "policy"));
                if value("aws_iam_role", "assume_role_policy") != Some(ours.trust.clone())
                    || permission != Some(ours.permission.clone())
                {
                    return Err(format!(
                        "{}: Terraform's plan of {resource} differs from our evaluation of the module",
                        case.name
                    ));
                }
            }
            Ok(())
        }

        #[test]
        fn every_matrix_module_applies_to_moto_and_reads_back_as_its_spec() {
            let Some((terraform, mirror)) = terraform_and_mirror("terraform apply to moto") else {
                return;
            };
            let Some(python) = toolchain::tool(".venv/bin/python", "terraform apply to moto")
            else {
                return;
            };
            let dir = tempfile::tempdir().unwrap();
            let config = terraform_cli_config(dir.path(), &mirror);
            let cases = matrix();
            let (batches, left_out) = batches(&cases);
            let mut evaluated = Vec::new();
            let mut run = Vec::new();
            for (b, members) in batches.iter().enumerate() {
                let mut modules = serde_json::Map::new();
                for &i in members {
                    let case = &cases[i];
                    let root = dir.path().join(i.to_string());
                    connector_roles::write_all(&root, &case.artifacts).unwrap();
                    let module = root.join(&case.folder).join("terraform");
                    let owned = case.terraform_inputs();
                    let inputs: Vec<(&str, Value)> =
                        owned.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                    let text = |name: &str| std::fs::read_to_string(module.join(name)).unwrap();
                    evaluated.push((b, i, Module::new(text, &inputs, &case.deployment)));
                    let inputs: serde_json::Map<String, Value> = owned.into_iter().collect();
                    modules.insert(
                        module_name(i),
                        json!({ "source": module, "inputs": inputs }),
                    );
                }
                let first = &cases[members[0]].deployment;
                run.push(json!({
                    "batch": b.to_string(),
                    "account": first.account,
                    "region": first.region,
                    "modules": modules,
                }));
            }
            let file = dir.path().join("run.json");
            let run = json!({ "work": dir.path().join("root"), "batches": run });
            std::fs::write(&file, run.to_string()).unwrap();
            let mut command = std::process::Command::new(&python);
            command
                .arg(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/support/terraform_moto.py"
                ))
                .arg(&file)
                .arg(&terraform)
                .arg(&config)
                .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support"));
            let mut log = Log::default();
            let outcome = log.run_quietly("terraform on moto", &mut command, false);
            println!("{}", log.0);
            let result: Value = serde_json::from_str(&outcome.unwrap()).unwrap();
            let children = result["plan"]["planned_values"]["root_module"]["child_modules"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut failures = Vec::new();
            for (b, i, module) in &evaluated {
                let batch = &result["batches"][b.to_string()];
                let roles = batch["roles"].as_array().cloned().unwrap_or_default();
                let address = format!("module.{}", module_name(*i));
                let planned = children
                    .iter()
                    .find(|child| child["address"] == address.as_str())
                    .and_then(|child| child["resources"].as_array().cloned())
                    .unwrap_or_default();
                if let Err(error) = check(&cases[*i], module, &planned, &roles) {
                    failures.push(error);
                }
            }
            for b in 0..batches.len() {
                if result["batches"][b.to_string()]["destroyed"] != true {
                    failures.push(format!("batch {b}: roles are left after destroy"));
                }
            }
            say(&format!(
                "terraform on moto: {} modules applied and destroyed in one root module, {} emulators (one per set of modules whose role names differ); not applied (their data source needs hashicorp/awscc, in no mirror here): {}",
                evaluated.len(),
                batches.len(),
                left_out.join(", ")
            ));
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }
    }
}
