//! The real toolchains, run on emitted files: cfn-lint, checkov, tsc and the CDK against
//! aws-cdk-lib v2, and HashiCorp's HCL parser. `tools/install` (run by `tools/test`) installs
//! them under `tools/`; `CONNECTOR_ROLES_TOOLS` points there.
//!
//! Under `CI=true` a missing tool fails the test; elsewhere the check is skipped and the
//! skip is written to standard error, past libtest's capture, naming what was skipped and
//! why. Every command and its output go to a [`Log`], which the caller prints as one block.
//! Each check returns `Err` naming the tool and what it reported, so that a caller can
//! collect every failure, and the mutation tests can tell which check rejected a file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The folder the tools are installed in.
fn tools() -> PathBuf {
    std::env::var_os("CONNECTOR_ROLES_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tools"))
}

/// Whether the test runs in CI, where every tool must be there.
fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Writes `message` to standard error even while libtest captures the test's output.
pub fn say(message: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("{message}\n").as_bytes());
}

/// The tool at `relative` under the tools folder, or `None` after saying that `what` is
/// skipped and why; under `CI=true` a missing tool fails.
pub fn tool(relative: &str, what: &str) -> Option<PathBuf> {
    let path = tools().join(relative);
    if path.exists() {
        return Some(path);
    }
    missing(
        what,
        &format!("{} is not installed: run tools/install", path.display()),
    )
}

/// `node` on the `PATH`, or `None` after saying that `what` is skipped (fails under CI).
pub fn node(what: &str) -> Option<PathBuf> {
    on_path("node", what, "install Node.js 20")
}

/// `program` when `program --version` runs, or `None` after saying that `what` is skipped
/// and that `install` brings it (fails under CI).
fn on_path(program: &str, what: &str, install: &str) -> Option<PathBuf> {
    match Command::new(program).arg("--version").output() {
        Ok(output) if output.status.success() => Some(PathBuf::from(program)),
        _ => missing(what, &format!("{program} is not on the PATH: {install}")),
    }
}

fn missing(what: &str, why: &str) -> Option<PathBuf> {
    assert!(
        !in_ci(),
        "{what}: {why} (CI=true: every tool must be installed)"
    );
    say(&format!("SKIPPED {what}: {why}"));
    None
}

/// The `terraform` binary and the machine's file-system mirror of the `hashicorp/aws`
/// provider (no registry serves Terraform providers here), or `None` after saying which is
/// missing: skipped with that message under `CI=true` too, as no tools/install can get them.
pub fn terraform_and_mirror(what: &str) -> Option<(PathBuf, PathBuf)> {
    let terraform = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("terraform"))
            .find(|candidate| candidate.is_file())
    });
    let mirror = PathBuf::from(
        std::env::var_os("CONNECTOR_ROLES_TF_MIRROR").unwrap_or_else(|| "/opt/tf-plugins".into()),
    );
    let has_aws = mirror.join("registry.terraform.io/hashicorp/aws").is_dir();
    match (terraform, has_aws) {
        (Some(terraform), true) => Some((terraform, mirror)),
        (terraform, _) => {
            let missing = if terraform.is_none() {
                "no terraform on the PATH".to_owned()
            } else {
                format!(
                    "no hashicorp/aws provider in the mirror {} (set CONNECTOR_ROLES_TF_MIRROR)",
                    mirror.display()
                )
            };
            say(&format!(
                "SKIPPED {what}: {missing}; no registry here serves Terraform or its providers"
            ));
            None
        }
    }
}

/// Writes, in `dir`, a Terraform CLI configuration that installs `hashicorp/aws` from the
/// file-system `mirror` only, and returns its path (for `TF_CLI_CONFIG_FILE`).
pub fn terraform_cli_config(dir: &Path, mirror: &Path) -> PathBuf {
    let config = dir.join("terraform.rc");
    std::fs::write(
        &config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/hashicorp/aws\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/*/*\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .expect("the CLI configuration is written");
    config
}

/// The commands a check ran and what they printed, to show as one block.
#[derive(Default)]
pub struct Log(pub String);

impl Log {
    /// Adds a line.
    pub fn line(&mut self, text: impl AsRef<str>) {
        self.0.push_str(text.as_ref());
        self.0.push('\n');
    }

    /// Runs `command`, logging it and its output; its standard output when it exits 0, else
    /// an error `tool: exit status` with everything it printed.
    pub fn run(&mut self, tool: &str, command: &mut Command) -> Result<String, String> {
        self.run_quietly(tool, command, true)
    }

    /// [`Log::run`], logging standard output only when `show_stdout` (for tools that print
    /// JSON the caller sums up).
    pub fn run_quietly(
        &mut self,
        tool: &str,
        command: &mut Command,
        show_stdout: bool,
    ) -> Result<String, String> {
        let started = std::time::Instant::now();
        let output = command
            .output()
            .map_err(|e| format!("{tool}: cannot run {command:?}: {e}"))?;
        let seconds = started.elapsed().as_secs_f64();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        self.line(format!("$ {}", shown(command)));
        if show_stdout {
            self.0.push_str(&stdout);
        }
        self.0.push_str(&stderr);
        self.line(format!("  -> {} in {seconds:.1}s", output.status));
        if output.status.success() {
            Ok(stdout)
        } else {
            Err(format!("{tool}: {}:\n{stdout}{stderr}", output.status))
        }
    }
}

/// A command as a shell line: the program and its arguments, with the environment
/// variables it sets first.
fn shown(command: &Command) -> String {
    let mut words: Vec<String> = command
        .get_envs()
        .filter_map(|(key, value)| {
            value.map(|v| {
                let value = v.to_string_lossy();
                // The feature flags in CDK_CONTEXT_JSON would fill lines: the start says enough.
                match value.char_indices().nth(120) {
                    Some((end, _)) => {
                        format!(
                            "{}='{}…' ({} bytes)",
                            key.to_string_lossy(),
                            &value[..end],
                            value.len()
                        )
                    }
                    None => format!("{}={value}", key.to_string_lossy()),
                }
            })
        })
        .collect();
    words.push(command.get_program().to_string_lossy().into_owned());
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    let line = words.join(" ");
    match command.get_current_dir() {
        Some(dir) => format!("(cd {} && {line})", dir.display()),
        None => line,
    }
}

/// cfn-lint, run once on every template of `templates`, reports nothing on each: no error,
/// no warning, no informational message. One result per template, in order.
pub fn cfn_lint(log: &mut Log, templates: &[PathBuf]) -> Vec<Result<(), String>> {
    let what = format!("cfn-lint on {} templates", templates.len());
    if templates.is_empty() {
        return Vec::new();
    }
    let Some(cfn_lint) = tool(".venv/bin/cfn-lint", &what) else {
        return templates.iter().map(|_| Ok(())).collect();
    };
    // One line per finding: `FILE:LINE:COLUMN:END_LINE:END_COLUMN:RULE:MESSAGE`.
    let result = log.run(
        "cfn-lint",
        Command::new(cfn_lint)
            .args(["--format", "parseable"])
            .args(templates),
    );
    let output = match &result {
        Ok(stdout) => stdout.clone(),
        Err(error) => error.clone(),
    };
    templates
        .iter()
        .map(|template| {
            let prefix = format!("{}:", template.display());
            let findings: Vec<&str> = output
                .lines()
                .filter(|line| line.starts_with(&prefix))
                .collect();
            match (&result, findings.is_empty()) {
                (Ok(_), true) => Ok(()),
                (Err(error), true) => Err(format!(
                    "{error}\n(no finding names {}, so every template fails)",
                    template.display()
                )),
                (_, false) => Err(format!(
                    "cfn-lint: {}:\n{}",
                    template.display(),
                    findings.join("\n")
                )),
            }
        })
        .collect()
}

/// checkov, run once with `framework` on `targets` (CloudFormation template files, given
/// with `-f`; or Terraform module folders, scanned with `-d` on the folder that holds them
/// all): for each target, no failed check, no parsing error, and some resources checked;
/// overall, `summary.parsing_errors == 0`, `resource_count > 0` and no failed check
/// (checkov exits 0 on a file it cannot parse). One result per target, in order. A check
/// the documented policy fails by design would be skipped in the file itself, with the
/// reason; skips are logged with their reason.
pub fn checkov(log: &mut Log, framework: &str, targets: &[PathBuf]) -> Vec<Result<(), String>> {
    let what = format!(
        "checkov --framework {framework} on {} targets",
        targets.len()
    );
    if targets.is_empty() {
        return Vec::new();
    }
    let Some(checkov) = tool(".venv/bin/checkov", &what) else {
        return targets.iter().map(|_| Ok(())).collect();
    };
    let mut command = Command::new(checkov);
    if targets.iter().all(|t| t.is_dir()) {
        command.arg("-d").arg(common_folder(targets));
    } else {
        command.arg("-f").args(targets);
    }
    command.args(["--framework", framework, "--skip-download", "-o", "json"]);
    let report = log
        .run_quietly("checkov", &mut command, false)
        .and_then(|json| {
            serde_json::from_str::<Value>(&json)
                .map_err(|e| format!("checkov: not one JSON report ({e}):\n{json}"))
        });
    let report = match report {
        Ok(report) => report,
        Err(error) => return targets.iter().map(|_| Err(error.clone())).collect(),
    };
    // With no resource at all checkov prints only the summary.
    let summary = report.get("summary").unwrap_or(&report).clone();
    let results = &report["results"];
    let checks =
        |kind: &str| -> Vec<Value> { results[kind].as_array().cloned().unwrap_or_default() };
    let (passed, skipped, failed) = (
        checks("passed_checks"),
        checks("skipped_checks"),
        checks("failed_checks"),
    );
    for (label, list) in [
        ("passed", &passed),
        ("SKIPPED", &skipped),
        ("FAILED", &failed),
    ] {
        for check in list {
            log.line(format!(
                "  {label} {} {} ({} in {}){}",
                check["check_id"].as_str().unwrap_or("?"),
                check["check_name"].as_str().unwrap_or("?"),
                check["resource"].as_str().unwrap_or("?"),
                check["file_abs_path"].as_str().unwrap_or("?"),
                check["check_result"]["suppress_comment"]
                    .as_str()
                    .map(|reason| format!(": {reason}"))
                    .unwrap_or_default(),
            ));
        }
    }
    log.line(format!("  summary: {summary}"));
    let count = |key: &str| summary[key].as_u64();
    let overall = match (
        count("failed"),
        count("parsing_errors"),
        count("resource_count"),
    ) {
        (Some(0), Some(0), Some(resources)) if resources > 0 => Ok(()),
        _ => Err(format!(
            "checkov: want 0 failed checks, 0 parsing errors and some resources, got {summary}"
        )),
    };
    let parsing_errors: Vec<String> = results["parsing_errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|path| path.as_str().map(str::to_owned))
        .collect();
    targets
        .iter()
        .map(|target| {
            let under = |path: &str| {
                let path = Path::new(path);
                path == target || path.starts_with(target)
            };
            let of_target = |list: &[Value]| -> Vec<Value> {
                list.iter()
                    .filter(|check| check["file_abs_path"].as_str().is_some_and(under))
                    .cloned()
                    .collect()
            };
            let (failed, checked) = (of_target(&failed), of_target(&passed).len());
            let unparsed: Vec<&String> = parsing_errors.iter().filter(|p| under(p)).collect();
            if !failed.is_empty() || !unparsed.is_empty() || checked == 0 {
                let failed: Vec<String> = failed
                    .iter()
                    .map(|c| format!("{} {} ({})", c["check_id"], c["check_name"], c["resource"]))
                    .collect();
                return Err(format!(
                    "checkov: {}: failed checks {failed:?}, parsing errors {unparsed:?}, \
                     {checked} passed checks",
                    target.display()
                ));
            }
            overall.clone()
        })
        .collect()
}

/// The deepest folder that holds every one of `paths`.
fn common_folder(paths: &[PathBuf]) -> PathBuf {
    let mut common = paths[0].clone();
    while !paths.iter().all(|p| p.starts_with(&common)) {
        assert!(common.pop(), "{paths:?} share no folder");
    }
    common
}

/// TypeScript 7's `tsc -p .` type-checks the CDK app in `cdk` with its own `tsconfig.json`
/// (strict, `NodeNext`, no emit) against the tools' aws-cdk-lib (linked in as its
/// `node_modules`); `false` when tsc is not installed (skipped).
pub fn tsc(log: &mut Log, cdk: &Path) -> Result<bool, String> {
    let what = format!(
        "tsc -p on {} (and the synth, cfn-lint and evaluation that follow it)",
        cdk.display()
    );
    let Some(tsc) = tool("node_modules/.bin/tsc", &what) else {
        return Ok(false);
    };
    link_node_modules(cdk)?;
    log.run(
        "tsc -p (TypeScript 7)",
        Command::new(&tsc).current_dir(cdk).args(["-p", "."]),
    )?;
    Ok(true)
}

/// TypeScript 5.9's `tsc -p CONFIG` type-checks the project in `dir`; `false` when it is not
/// installed (skipped).
pub fn tsc_5_9(log: &mut Log, dir: &Path, config: &str) -> Result<bool, String> {
    let what = format!("TypeScript 5.9 on {}/{config}", dir.display());
    let (Some(tsc), Some(node)) = (
        tool("node_modules/typescript-5.9/bin/tsc", &what),
        node(&what),
    ) else {
        return Ok(false);
    };
    link_node_modules(dir)?;
    log.run(
        &format!("tsc -p {config} (TypeScript 5.9)"),
        Command::new(node)
            .current_dir(dir)
            .arg(tsc)
            .args(["-p", config]),
    )?;
    Ok(true)
}

fn link_node_modules(cdk: &Path) -> Result<(), String> {
    let link = cdk.join("node_modules");
    if link.exists() {
        return Ok(());
    }
    std::os::unix::fs::symlink(tools().join("node_modules"), &link)
        .map_err(|e| format!("cannot link {}: {e}", link.display()))
}

/// The feature flags `cdk init` writes into a new app's `cdk.json`, from the tools' CDK CLI.
pub fn init_feature_flags() -> Option<Value> {
    let path = tool(
        "node_modules/aws-cdk/lib/init-templates/.recommended-feature-flags.json",
        "the CDK CLI's feature flags",
    )?;
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).expect("the CDK CLI's feature flags are JSON"))
}

/// Runs the TypeScript program `entry` of the project in `dir` with the tools' `tsx`, as a
/// CDK app: `context` as `CDK_CONTEXT_JSON`, into a fresh `cdk.out`, with no AWS credentials
/// or profile; the synthesized templates' paths, or `None` when tsx is missing (skipped).
pub fn cdk_run(
    log: &mut Log,
    dir: &Path,
    entry: &str,
    context: &Value,
) -> Result<Option<Vec<PathBuf>>, String> {
    let what = format!("CDK synth of {}/{entry}", dir.display());
    let Some(tsx) = tool("node_modules/.bin/tsx", &what) else {
        return Ok(None);
    };
    link_node_modules(dir)?;
    let out = dir.join("cdk.out");
    if out.exists() {
        return Err(format!("{} exists before synth", out.display()));
    }
    let mut synth = Command::new(tsx);
    without_aws_environment(&mut synth);
    synth
        .current_dir(dir)
        .env("CDK_OUTDIR", &out)
        .env("CDK_CONTEXT_JSON", context.to_string())
        .arg(entry);
    log.run(&format!("CDK synth (tsx {entry})"), &mut synth)?;
    templates(log, &out).map(Some)
}

/// Synthesizes the CDK app in `cdk` as `cdk.json` runs it (`bin/app.ts` with tsx, without
/// the type-check the CDK CLI runs first), with cdk.json's context (its feature flags) and
/// `context` on top, as `cdk synth -c` merges them; the one synthesized template, or `None`
/// when tsx is missing (skipped).
pub fn cdk_synth(log: &mut Log, cdk: &Path, context: &Value) -> Result<Option<PathBuf>, String> {
    let cdk_json: Value = serde_json::from_str(
        &std::fs::read_to_string(cdk.join("cdk.json")).map_err(|e| format!("cdk.json: {e}"))?,
    )
    .map_err(|e| format!("cdk.json: {e}"))?;
    let mut merged = cdk_json["context"].as_object().cloned().unwrap_or_default();
    merged.extend(context.as_object().cloned().unwrap_or_default());
    let Some(templates) = cdk_run(log, cdk, "bin/app.ts", &Value::Object(merged))? else {
        return Ok(None);
    };
    match templates.as_slice() {
        [one] => Ok(Some(one.clone())),
        _ => Err(format!(
            "CDK synth: want one template in {}, found {templates:?}",
            cdk.display()
        )),
    }
}

/// Removes every `AWS_*` and `CDK_*` variable from `command`'s environment, so no account,
/// profile or earlier context reaches it.
fn without_aws_environment(command: &mut Command) {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("AWS_") || key.starts_with("CDK_") {
            command.env_remove(key.as_ref());
        }
    }
}

/// The `*.template.json` files of the cloud assembly `out`, sorted, logged.
fn templates(log: &mut Log, out: &Path) -> Result<Vec<PathBuf>, String> {
    let mut templates: Vec<PathBuf> = std::fs::read_dir(out)
        .map_err(|e| format!("CDK synth wrote no {}: {e}", out.display()))?
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".template.json"))
        .collect();
    templates.sort();
    for template in &templates {
        log.line(format!("  synthesized {}", template.display()));
    }
    Ok(templates)
}

/// `npm`, or `None` after saying that `what` is skipped (fails under CI).
pub fn npm(what: &str) -> Option<PathBuf> {
    on_path("npm", what, "install Node.js 20 with npm")
}

/// Runs a user's command `program args` in the app folder `app` (`npm install`, `npx cdk
/// synth -c ...`, `npm test`), with no AWS credentials or profile.
pub fn user_command(
    log: &mut Log,
    app: &Path,
    program: &Path,
    args: &[String],
) -> Result<String, String> {
    let mut command = Command::new(program);
    without_aws_environment(&mut command);
    command
        .current_dir(app)
        .env("npm_config_fund", "false")
        .env("npm_config_audit", "false")
        .env("npm_config_update_notifier", "false")
        .args(args);
    let shown = std::iter::once(program.display().to_string())
        .chain(args.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    log.run(&shown, &mut command)
}

/// HashiCorp's HCL parser, run once on every `.tf` file of the `modules` (folders), reads
/// them all; what it read of each module, by file path, or `None` when it is not installed
/// (skipped). On a parse error it names each file it cannot read.
pub fn hcl2json(log: &mut Log, modules: &[PathBuf]) -> Option<Vec<Result<Value, String>>> {
    let what = format!("hcl2json on {} modules", modules.len());
    let (Some(script), Some(node)) = (tool("hcl2json.mjs", &what), node(&what)) else {
        return None;
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for module in modules {
        let mut tf: Vec<PathBuf> = std::fs::read_dir(module)
            .unwrap_or_else(|e| panic!("{}: {e}", module.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "tf"))
            .collect();
        assert!(!tf.is_empty(), "no .tf file in {}", module.display());
        tf.sort();
        files.extend(tf);
    }
    let result = log
        .run_quietly(
            "hcl2json",
            Command::new(node).arg(&script).args(&files),
            false,
        )
        .and_then(|json| {
            serde_json::from_str::<Value>(&json).map_err(|e| format!("hcl2json: not JSON ({e})"))
        });
    let parsed = match result {
        Ok(parsed) => parsed,
        Err(error) => {
            // It names every file it cannot parse, one line each.
            return Some(
                modules
                    .iter()
                    .map(|module| {
                        let prefix = format!("hcl2json: {}/", module.display());
                        let lines: Vec<&str> =
                            error.lines().filter(|l| l.starts_with(&prefix)).collect();
                        if lines.is_empty() {
                            Err(format!(
                                "{error}\n(no file of {} is named)",
                                module.display()
                            ))
                        } else {
                            Err(lines.join("\n"))
                        }
                    })
                    .collect(),
            );
        }
    };
    let files = parsed.as_object().cloned().unwrap_or_default();
    for (file, body) in &files {
        let blocks: Vec<String> = body
            .as_object()
            .into_iter()
            .flatten()
            .map(|(kind, value)| match value.as_object() {
                Some(labels) => {
                    let labels: Vec<&str> = labels.keys().map(String::as_str).collect();
                    format!("{kind} {}", labels.join(", "))
                }
                None => kind.clone(),
            })
            .collect();
        log.line(format!("  {file}: {}", blocks.join("; ")));
    }
    Some(
        modules
            .iter()
            .map(|module| {
                Ok(Value::Object(
                    files
                        .iter()
                        .filter(|(file, _)| Path::new(file).parent() == Some(module.as_path()))
                        .map(|(file, body)| (file.clone(), body.clone()))
                        .collect(),
                ))
            })
            .collect(),
    )
}

/// Asserts that each SARIF log validates against the SARIF 2.1.0 schema (Draft 4, as
/// Microsoft's @microsoft/jest-sarif ships it) with Python's jsonschema (`validate_sarif.py`),
/// printing the command and its output; skipped (said) when the tools are missing outside CI.
pub fn assert_valid_sarif(logs: &[PathBuf]) {
    let (Some(python), Some(schema)) = (
        tool(".venv/bin/python", "the SARIF schema check"),
        tool(
            "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
            "the SARIF schema check",
        ),
    ) else {
        return;
    };
    let mut command = Command::new(python);
    command
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/validate_sarif.py"
        ))
        .arg(schema)
        .args(logs);
    let mut log = Log::default();
    let result = log.run("SARIF schema", &mut command);
    println!("{}", log.0);
    let stdout = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        stdout.lines().filter(|l| l.ends_with(": ok")).count(),
        logs.len(),
        "{stdout}"
    );
}
