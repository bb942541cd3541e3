//! Each format's checks, run on written cases: the real validators once over every case
//! (cfn-lint and checkov start slowly, and take many files at a time), then each case's
//! artifacts evaluated against its documented policies (`super::matrix`). The CDK apps are
//! type-checked and synthesized one per case, in as many threads as the machine has cores.
//!
//! Each check returns one result per case, an error naming what rejected it (`cfn-lint:`,
//! `checkov:`, `tsc -p (TypeScript 7):`, `hcl2json:`, `policy comparison:`, ...), so that
//! [`run`] can report every failing case at once and the mutation tests can tell which
//! check caught a broken file.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::matrix::{Case, caught, matrix};
use super::toolchain::{self, Log};

/// A case whose files are written under `root` (the case's folder).
pub type Written<'a> = (&'a Case, PathBuf);

/// A format's checks: one result per written case, in order.
pub type Check = fn(&[Written<'_>], &mut Log) -> Vec<Result<(), String>>;

/// Writes every case of the [`matrix`] to a folder of its own, runs `check` on them all,
/// prints the log (every command and its output) and one line per case with its result,
/// and fails naming every case that failed and why.
pub fn run(what: &str, check: Check) {
    run_on(what, matrix(), check);
}

/// [`run`] on the `cases` given.
pub fn run_on(what: &str, cases: Vec<Case>, check: Check) {
    let dir = tempfile::tempdir().unwrap();
    let written: Vec<Written<'_>> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| (case, case.write(&dir.path().join(format!("{i:02}")))))
        .collect();
    let started = Instant::now();
    let mut log = Log::default();
    let results = caught(what, || check(&written, &mut log))
        .unwrap_or_else(|error| written.iter().map(|_| Err(error.clone())).collect());
    assert_eq!(results.len(), written.len(), "one result per case");
    let mut report = format!("==== {what}: {} cases ====\n{}", cases.len(), log.0);
    let mut failures = Vec::new();
    for ((case, root), result) in written.iter().zip(results) {
        let status = match result {
            Ok(()) => "ok".to_owned(),
            Err(error) => {
                failures.push(format!("{}: {error}", case.name));
                format!("FAILED\n{error}")
            }
        };
        report.push_str(&format!(
            "---- {what} | {} ({}): {status}\n",
            case.name,
            root.display()
        ));
    }
    report.push_str(&format!(
        "==== {what}: {} cases in {:.1}s, {} failed ====\n",
        cases.len(),
        started.elapsed().as_secs_f64(),
        failures.len()
    ));
    eprint!("{report}");
    assert!(
        failures.is_empty(),
        "{what} failed for {} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// `f` on every item, in as many threads as the machine has cores; the results in order.
pub fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(items.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let result = f(item);
                    results.lock().unwrap().push((i, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Every error of `results`, or `Ok`.
fn all(results: impl IntoIterator<Item = Result<(), String>>) -> Result<(), String> {
    let errors: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// A file a case wrote.
fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// CloudFormation: cfn-lint reports nothing and checkov fails no check on any template;
/// each template, evaluated, holds exactly its documented roles.
pub fn cloudformation(cases: &[Written<'_>], log: &mut Log) -> Vec<Result<(), String>> {
    const TEMPLATE: &str = "cloudformation/template.yaml";
    let templates: Vec<PathBuf> = cases.iter().map(|(_, root)| root.join(TEMPLATE)).collect();
    let validated = vec![
        toolchain::cfn_lint(log, &templates),
        toolchain::checkov(log, "cloudformation", &templates),
    ];
    per_case(cases, log, validated, |case, root, log| {
        let template = root.join(TEMPLATE);
        evaluating(log, &template, &case.cloudformation_parameters());
        caught("CloudFormation evaluation", || read(&template))
            .and_then(|text| case.cloudformation_policies(&text))
    })
}

/// Each case's result: what the validators run on every case (`validated`, one result per
/// case each) said of it, and `evaluate` on it.
fn per_case(
    cases: &[Written<'_>],
    log: &mut Log,
    validated: Vec<Vec<Result<(), String>>>,
    evaluate: impl Fn(&Case, &Path, &mut Log) -> Result<(), String>,
) -> Vec<Result<(), String>> {
    let mut validated: Vec<_> = validated.into_iter().map(Vec::into_iter).collect();
    cases
        .iter()
        .map(|(case, root)| {
            let mut results: Vec<Result<(), String>> = validated
                .iter_mut()
                .map(|results| results.next().expect("one result per case"))
                .collect();
            results.push(evaluate(case, root, log));
            all(results)
        })
        .collect()
}

/// CDK: TypeScript 7's `tsc -p` accepts each app (its own tsconfig: strict, `NodeNext`); each
/// is synthesized as cdk.json runs it (`bin/app.ts` with tsx, cdk.json's feature flags, open
/// values as context, no AWS credentials); each synthesized template passes cfn-lint and,
/// evaluated, holds exactly its documented roles. Apps run in parallel, one per core.
pub fn cdk(cases: &[Written<'_>], log: &mut Log) -> Vec<Result<(), String>> {
    let synthesized = each(log, cases, |(case, root), log| {
        let cdk = root.join("cdk");
        if !toolchain::tsc(log, &cdk)? {
            return Ok(None);
        }
        toolchain::cdk_synth(log, &cdk, &case.cdk_context())
    });
    lint_and_evaluate(cases, log, synthesized)
}

/// cfn-lint on each case's synthesized template (`None`: skipped), then the template
/// evaluated against the case's documented roles.
fn lint_and_evaluate(
    cases: &[Written<'_>],
    log: &mut Log,
    synthesized: Vec<Result<Option<PathBuf>, String>>,
) -> Vec<Result<(), String>> {
    let templates = going(&synthesized);
    let mut lint = toolchain::cfn_lint(log, &templates).into_iter();
    cases
        .iter()
        .zip(synthesized)
        .map(|((case, _), template)| match template? {
            None => Ok(()),
            Some(template) => {
                evaluating(log, &template, &[]);
                let lint = lint.next().expect("one result per template");
                let policies = caught("CDK template evaluation", || read(&template))
                    .and_then(|text| case.cdk_policies(&text));
                all([lint, policies])
            }
        })
        .collect()
}

/// The CDK app as its users run it, in a scratch copy of each case's `cdk/` folder:
/// `npm install` (from the registry; npm's cache is shared), `npx cdk synth` with a `-c`
/// for each open value (the CDK CLI type-checks with TypeScript 7 and runs the app with tsx),
/// and `npm test`; in the default app, `npm test` fails once a permission is widened. The
/// template the CLI wrote passes cfn-lint and holds exactly the case's documented roles.
pub fn cdk_as_users(cases: &[Written<'_>], log: &mut Log) -> Vec<Result<(), String>> {
    let Some(npm) = toolchain::npm("npm install, npx cdk synth and npm test in each CDK app")
    else {
        return cases.iter().map(|_| Ok(())).collect();
    };
    let scratch = tempfile::tempdir().unwrap();
    let synthesized = each(log, cases, |(case, root), log| {
        // `NN/FOLDER`: two cases may share a folder name, never a number.
        let case_dir = root
            .parent()
            .and_then(Path::file_name)
            .expect("a numbered case folder");
        let app = scratch
            .path()
            .join(case_dir)
            .join(root.file_name().expect("a case folder"));
        copy_folder(&root.join("cdk"), &app)?;
        toolchain::user_command(log, &app, &npm, &["install".to_owned()])?;
        let mut synth = vec!["cdk".to_owned(), "synth".to_owned(), "--quiet".to_owned()];
        for (key, value) in case.cdk_context().as_object().into_iter().flatten() {
            let value = match value {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|item| item.as_str().expect("a list of strings"))
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            synth.extend(["-c".to_owned(), format!("{key}={value}")]);
        }
        toolchain::user_command(log, &app, Path::new("npx"), &synth)?;
        toolchain::user_command(log, &app, &npm, &["test".to_owned()])?;
        if case.name == "default" {
            widened_fails_npm_test(log, &app, &npm)?;
        }
        let templates: Vec<PathBuf> = std::fs::read_dir(app.join("cdk.out"))
            .map_err(|e| format!("npx cdk synth wrote no cdk.out: {e}"))?
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.to_string_lossy().ends_with(".template.json"))
            .collect();
        match templates.as_slice() {
            [one] => Ok(Some(one.clone())),
            _ => Err(format!(
                "npx cdk synth: want one template, found {templates:?}"
            )),
        }
    });
    lint_and_evaluate(cases, log, synthesized)
}

/// A user who widens a permission in the construct (`lib/rds-mysql.ts` grants `iam:PassRole`
/// too) sees `npm test` fail, saying the permission policy is not the documented one; the
/// construct is put back after.
fn widened_fails_npm_test(log: &mut Log, app: &Path, npm: &Path) -> Result<(), String> {
    let construct = app.join("lib/rds-mysql.ts");
    let original = read(&construct);
    let widened = original.replacen("Action: [", "Action: ['iam:PassRole', ", 1);
    assert_ne!(widened, original, "the construct has an Action list");
    std::fs::write(&construct, widened).unwrap();
    log.line("widening the construct's first statement with iam:PassRole; npm test must fail:");
    let result = toolchain::user_command(log, app, npm, &["test".to_owned()]);
    std::fs::write(&construct, original).unwrap();
    match result {
        Err(error) if error.contains("the permission policies are not the one documented") => {
            Ok(())
        }
        Err(error) => Err(format!(
            "npm test failed, but not for the widened permission: {error}"
        )),
        Ok(_) => Err("npm test passed with a permission widened in lib/rds-mysql.ts".to_owned()),
    }
}

/// Copies the folder `from` to `to`, recursively.
fn copy_folder(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_folder(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

/// Logs that `path` is evaluated with `inputs` given to its open parameters.
fn evaluating(log: &mut Log, path: &Path, inputs: &[(String, serde_json::Value)]) {
    let inputs: Vec<String> = inputs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    log.line(format!(
        "evaluating {} with {}, comparing each role's policies with the documented ones",
        path.display(),
        if inputs.is_empty() {
            "no parameter".to_owned()
        } else {
            inputs.join(" ")
        }
    ));
}

/// `f` on every item, in parallel ([`parallel`]), each with a log of its own that is added
/// to `log` in order.
fn each<T: Sync, R: Send>(
    log: &mut Log,
    items: &[T],
    f: impl Fn(&T, &mut Log) -> R + Sync,
) -> Vec<R> {
    parallel(items, |item| {
        let mut own = Log::default();
        let result = f(item, &mut own);
        (own, result)
    })
    .into_iter()
    .map(|(own, result)| {
        log.0.push_str(&own.0);
        result
    })
    .collect()
}

/// The paths of the cases still going: passed so far, and not skipped.
fn going(paths: &[Result<Option<PathBuf>, String>]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter_map(|path| path.as_ref().ok().cloned().flatten())
        .collect()
}

/// Terraform: HashiCorp's parser reads every `.tf` file (and only `main.tf` declares
/// resources or data sources), checkov fails no check, and each module, evaluated with
/// hcl-rs, holds exactly its documented roles.
pub fn terraform(cases: &[Written<'_>], log: &mut Log) -> Vec<Result<(), String>> {
    let modules: Vec<PathBuf> = cases
        .iter()
        .map(|(_, root)| root.join("terraform"))
        .collect();
    let parsed: Vec<Result<(), String>> = match toolchain::hcl2json(log, &modules) {
        None => modules.iter().map(|_| Ok(())).collect(),
        Some(parsed) => parsed
            .into_iter()
            .map(|files| {
                for (file, body) in files?.as_object().into_iter().flatten() {
                    let declares = body.get("resource").is_some() || body.get("data").is_some();
                    if declares && !file.ends_with("/main.tf") {
                        return Err(format!(
                            "hcl2json: {file} declares resources or data sources"
                        ));
                    }
                }
                Ok(())
            })
            .collect(),
    };
    let validated = vec![parsed, toolchain::checkov(log, "terraform", &modules)];
    per_case(cases, log, validated, |case, root, log| {
        let module = root.join("terraform");
        evaluating(log, &module, &case.terraform_inputs());
        case.terraform_policies(|name| read(&module.join(name)))
    })
}

/// Policy JSON: each role's two documents, read with serde_json and their placeholders
/// filled, are exactly the documented policies.
pub fn json(cases: &[Written<'_>], log: &mut Log) -> Vec<Result<(), String>> {
    per_case(cases, log, Vec::new(), |case, root, log| {
        log.line(format!(
            "reading {}/policy with serde_json, filling its placeholders, comparing each \
             role's policies with the documented ones",
            root.display()
        ));
        case.json_policies(|path| read(&root.join(path)))
    })
}
