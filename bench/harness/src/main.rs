//! The harness of `bench/compare`: times connector-roles against the AWS CDK and
//! troposphere + awacs building the same roles, then writes the results into BENCHMARKS.md
//! (between its `<!-- compare:NAME -->` and `<!-- /compare:NAME -->` markers) and plots wall
//! time against the number of roles as a PNG.
//!
//! Every run is a fresh process writing into an empty folder; the harness waits for it with
//! `wait4`, so it reads the wall time around the process and the process's own peak resident
//! memory (`ru_maxrss`) and CPU time from the kernel, for every tool alike. For each number
//! of roles, each tool runs once to warm the caches (its output is checked: one template per
//! role), then the tools take turns for the measured runs, so a change of load during the
//! run falls on all of them.
//!
//! `bench/compare` installs the peers, builds everything and passes the paths; run it, not
//! this program.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use plotters::prelude::*;

/// The tools compared, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    /// `connector-roles generate --format cloudformation`: what the peers build.
    Cloudformation,
    /// `connector-roles generate`: every format, 13 files a role.
    AllFormats,
    /// A CDK app synthesized by node.
    Cdk,
    /// A troposphere + awacs script.
    Troposphere,
}

impl Tool {
    const ALL: [Tool; 4] = [
        Tool::Cloudformation,
        Tool::AllFormats,
        Tool::Cdk,
        Tool::Troposphere,
    ];

    fn label(self) -> &'static str {
        match self {
            Tool::Cloudformation => "connector-roles, CloudFormation",
            Tool::AllFormats => "connector-roles, all four formats",
            Tool::Cdk => "AWS CDK app (node)",
            Tool::Troposphere => "troposphere + awacs (Python)",
        }
    }

    fn ours(self) -> bool {
        matches!(self, Tool::Cloudformation | Tool::AllFormats)
    }

    fn color(self) -> RGBColor {
        match self {
            Tool::Cloudformation => RGBColor(31, 119, 180),
            Tool::AllFormats => RGBColor(23, 190, 207),
            Tool::Cdk => RGBColor(214, 39, 40),
            Tool::Troposphere => RGBColor(44, 160, 44),
        }
    }

    /// The command that builds `roles` roles into `out`.
    fn command(self, args: &Args, roles: usize, out: &Path) -> Command {
        let count = roles.to_string();
        let mut command = match self {
            Tool::Cloudformation | Tool::AllFormats => {
                let mut command = Command::new(&args.cli);
                command.arg("generate");
                command.args((1..=roles).map(spec_file));
                command.arg("--out").arg(out);
                if self == Tool::Cloudformation {
                    command.args(["--format", "cloudformation"]);
                }
                command
            }
            Tool::Cdk | Tool::Troposphere => {
                let (interpreter, script) = if self == Tool::Cdk {
                    (&args.node, &args.cdk_app)
                } else {
                    (&args.python, &args.troposphere)
                };
                let mut command = Command::new(interpreter);
                command.arg(script).arg(&args.spec).arg(count).arg(out);
                command
            }
        };
        command.current_dir(&args.work);
        command
    }
}

/// The spec file of role `i`, relative to the work folder.
fn spec_file(i: usize) -> String {
    format!("specs/role-{i:05}.json")
}

/// One measured run.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    max_rss_kib: u64,
}

/// The runs of one tool at one number of roles.
#[derive(Debug, Clone)]
struct Series {
    tool: Tool,
    roles: usize,
    samples: Vec<Sample>,
}

impl Series {
    fn median_wall(&self) -> Duration {
        median(self.samples.iter().map(|s| s.wall).collect())
    }

    fn median_cpu(&self) -> Duration {
        median(self.samples.iter().map(|s| s.cpu).collect())
    }

    fn peak_rss_kib(&self) -> u64 {
        self.samples
            .iter()
            .map(|s| s.max_rss_kib)
            .max()
            .unwrap_or(0)
    }
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    let n = values.len();
    if n == 0 {
        Duration::ZERO
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2
    }
}

struct Args {
    work: PathBuf,
    cli: PathBuf,
    node: PathBuf,
    cdk_app: PathBuf,
    python: PathBuf,
    troposphere: PathBuf,
    spec: PathBuf,
    runs: usize,
    sizes: Vec<usize>,
    large: usize,
    large_runs: usize,
    macro_cost: Option<PathBuf>,
    markdown: PathBuf,
    plot: PathBuf,
    plot_link: String,
    font: PathBuf,
    /// `name=value` lines describing the software, in order.
    about: Vec<(String, String)>,
}

const USAGE: &str = "usage: bench-harness --work DIR --cli PATH --node PATH --cdk-app JS \
--python PATH --troposphere PY --spec JSON --markdown FILE --plot PNG --plot-link PATH \
--font TTF [--runs N] [--sizes 1,10,100,1000] [--large N] [--large-runs N] \
[--macro-cost FILE] [--about NAME=VALUE]...";

impl Args {
    fn parse() -> Result<Args, String> {
        let mut pairs = std::env::args().skip(1);
        let mut get = std::collections::BTreeMap::new();
        let mut about = Vec::new();
        while let Some(key) = pairs.next() {
            let value = pairs.next().ok_or(format!("{key} needs a value"))?;
            match key.strip_prefix("--") {
                Some("about") => {
                    let (name, value) = value
                        .split_once('=')
                        .ok_or(format!("--about {value}: expected NAME=VALUE"))?;
                    about.push((name.to_owned(), value.to_owned()));
                }
                Some(name) => {
                    get.insert(name.to_owned(), value);
                }
                None => return Err(format!("unexpected argument {key}")),
            }
        }
        let mut take = |name: &str| get.remove(name);
        let path = |value: Option<String>, name: &str| {
            value
                .map(PathBuf::from)
                .ok_or(format!("--{name} is required"))
        };
        let number = |value: Option<String>, default: usize| {
            value.map_or(Ok(default), |v| v.parse().map_err(|e| format!("{v}: {e}")))
        };
        let args = Args {
            work: path(take("work"), "work")?,
            cli: path(take("cli"), "cli")?,
            node: path(take("node"), "node")?,
            cdk_app: path(take("cdk-app"), "cdk-app")?,
            python: path(take("python"), "python")?,
            troposphere: path(take("troposphere"), "troposphere")?,
            spec: path(take("spec"), "spec")?,
            markdown: path(take("markdown"), "markdown")?,
            plot: path(take("plot"), "plot")?,
            plot_link: take("plot-link").ok_or("--plot-link is required")?,
            font: path(take("font"), "font")?,
            macro_cost: take("macro-cost").map(PathBuf::from),
            runs: number(take("runs"), 5)?,
            large: number(take("large"), 10_000)?,
            large_runs: number(take("large-runs"), 3)?,
            sizes: take("sizes")
                .unwrap_or_else(|| "1,10,100,1000".to_owned())
                .split(',')
                .map(|n| n.trim().parse().map_err(|e| format!("--sizes {n}: {e}")))
                .collect::<Result<_, _>>()?,
            about,
        };
        if let Some(unknown) = get.keys().next() {
            return Err(format!("unknown option --{unknown}"));
        }
        if args.runs == 0 || args.large_runs == 0 || args.sizes.is_empty() {
            return Err("--runs, --large-runs and --sizes must not be empty".into());
        }
        Ok(args)
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench-harness: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = Args::parse().map_err(|e| format!("{e}\n{USAGE}"))?;
    let machine_before = Machine::read();
    let most = args
        .sizes
        .iter()
        .copied()
        .chain([args.large])
        .max()
        .unwrap_or(1);
    write_specs(&args, most)?;

    let mut results = Vec::new();
    for &roles in &args.sizes {
        results.extend(measure(&args, &Tool::ALL, roles, args.runs, true)?);
        report_size(&results, roles);
    }
    let large = if args.large > 0 {
        let large = measure(
            &args,
            &[Tool::Cloudformation, Tool::AllFormats],
            args.large,
            args.large_runs,
            false,
        )?;
        report_size(&large, args.large);
        large
    } else {
        Vec::new()
    };
    let machine_after = Machine::read();

    plot(&args, &results)?;
    let mut sections = vec![
        (
            "machine",
            machine_section(&args, &machine_before, &machine_after),
        ),
        ("comparison", comparison_section(&args, &results, &large)),
    ];
    if let Some(path) = &args.macro_cost {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        sections.push(("macro-cost", macro_cost_section(&text)?));
    }
    update_markdown(&args.markdown, &sections)?;
    println!();
    println!("{}", ratios(&results));
    println!(
        "wrote {} and {}",
        args.markdown.display(),
        args.plot.display()
    );
    Ok(())
}

/// `count` copies of the spec, role i named `role-0000i` with role name
/// `QBusinessConnectorRole0000i`, as the peers name them.
fn write_specs(args: &Args, count: usize) -> Result<(), String> {
    let text =
        fs::read_to_string(&args.spec).map_err(|e| format!("{}: {e}", args.spec.display()))?;
    let spec: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", args.spec.display()))?;
    let folder = args.work.join("specs");
    fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    for i in 1..=count {
        let mut role = spec.clone();
        role["name"] = format!("role-{i:05}").into();
        role["role_name"] = format!("QBusinessConnectorRole{i:05}").into();
        let path = args.work.join(spec_file(i));
        fs::write(&path, role.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// `runs` runs of every tool at `roles` roles, taken in turns. With `warm_up`, each tool
/// first runs once, checked, and unmeasured; without (the large run, too long to repeat
/// for nothing), that checked first run is the first of the `runs`.
fn measure(
    args: &Args,
    tools: &[Tool],
    roles: usize,
    runs: usize,
    warm_up: bool,
) -> Result<Vec<Series>, String> {
    let mut series: Vec<Series> = tools
        .iter()
        .map(|&tool| Series {
            tool,
            roles,
            samples: Vec::new(),
        })
        .collect();
    for &tool in tools {
        eprint!("{roles} roles: {} ...", tool.label());
        let out = args.work.join("out");
        let sample = run_once(args, tool, roles, &out)?;
        check_output(tool, roles, &out)?;
        eprintln!(" {}", seconds(sample.wall));
        if !warm_up {
            series
                .iter_mut()
                .find(|s| s.tool == tool)
                .expect("a series per tool")
                .samples
                .push(sample);
        }
    }
    let measured = if warm_up {
        runs
    } else {
        runs.saturating_sub(1)
    };
    for _ in 0..measured {
        for one in &mut series {
            let out = args.work.join("out");
            one.samples.push(run_once(args, one.tool, roles, &out)?);
        }
    }
    Ok(series)
}

/// Runs `tool` once into an empty `out`, waiting for it with `wait4`.
fn run_once(args: &Args, tool: Tool, roles: usize, out: &Path) -> Result<Sample, String> {
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let log_path = args.work.join("stderr.log");
    let log = File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let mut command = tool.command(args, roles, out);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    let start = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("{}: cannot start {:?}: {e}", tool.label(), command))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| e.to_string())?;
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it and `status` for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if waited != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let log = fs::read_to_string(&log_path).unwrap_or_default();
        return Err(format!(
            "{} failed at {roles} roles (wait status {status}):\n{log}",
            tool.label()
        ));
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Ok(Sample {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss as u64,
    })
}

/// Each tool must have written one CloudFormation template per role.
fn check_output(tool: Tool, roles: usize, out: &Path) -> Result<(), String> {
    fn templates(folder: &Path) -> usize {
        fs::read_dir(folder)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if path.is_dir() {
                    templates(&path)
                } else {
                    usize::from(name == "template.yaml" || name.ends_with(".template.json"))
                }
            })
            .sum()
    }
    let found = templates(out);
    if found == roles {
        Ok(())
    } else {
        Err(format!(
            "{} wrote {found} templates for {roles} roles",
            tool.label()
        ))
    }
}

fn report_size(results: &[Series], roles: usize) {
    let ours = find(results, Tool::Cloudformation, roles).map(Series::median_wall);
    for series in results.iter().filter(|s| s.roles == roles) {
        let ratio = match ours {
            Some(ours) if !series.tool.ours() => {
                format!("  {} ours", ratio(series.median_wall(), ours))
            }
            _ => String::new(),
        };
        eprintln!(
            "  {:<36} median {:>9}  peak {:>9}{ratio}",
            series.tool.label(),
            seconds(series.median_wall()),
            mebibytes(series.peak_rss_kib()),
        );
    }
}

fn find(results: &[Series], tool: Tool, roles: usize) -> Option<&Series> {
    results.iter().find(|s| s.tool == tool && s.roles == roles)
}

/// `12.3 ms`, `1.83 s`: three significant digits.
fn seconds(duration: Duration) -> String {
    let s = duration.as_secs_f64();
    if s >= 1.0 {
        format!("{} s", significant(s))
    } else {
        format!("{} ms", significant(s * 1e3))
    }
}

fn significant(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

fn mebibytes(kib: u64) -> String {
    format!("{} MiB", significant(kib as f64 / 1024.0))
}

/// How many times slower than ours: `870×`.
fn ratio(theirs: Duration, ours: Duration) -> String {
    let ratio = theirs.as_secs_f64() / ours.as_secs_f64();
    if ratio >= 10.0 {
        format!("{}×", thousands(ratio.round() as u64))
    } else {
        format!("{ratio:.1}×")
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn roles_label(roles: usize) -> String {
    format!(
        "{} role{}",
        thousands(roles as u64),
        if roles == 1 { "" } else { "s" }
    )
}

/// The ratios against connector-roles (CloudFormation), one line per number of roles.
fn ratios(results: &[Series]) -> String {
    let mut sizes: Vec<usize> = results.iter().map(|s| s.roles).collect();
    sizes.dedup();
    let mut out =
        String::from("Ratios of median wall time against connector-roles (CloudFormation):\n");
    for roles in sizes {
        let Some(ours) = find(results, Tool::Cloudformation, roles).map(Series::median_wall) else {
            continue;
        };
        let others: Vec<String> = [Tool::Cdk, Tool::Troposphere, Tool::AllFormats]
            .into_iter()
            .filter_map(|tool| find(results, tool, roles))
            .map(|s| format!("{} {}", s.tool.label(), ratio(s.median_wall(), ours)))
            .collect();
        let _ = writeln!(
            out,
            "  {:>12} (ours {}): {}",
            roles_label(roles),
            seconds(ours),
            others.join(", ")
        );
    }
    out
}

/// What /proc says about the machine.
struct Machine {
    cpu: String,
    logical_cpus: usize,
    memory_gib: f64,
    os: String,
    kernel: String,
    load: String,
}

impl Machine {
    fn read() -> Machine {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let field = |text: &str, key: &str| {
            text.lines()
                .find(|line| line.starts_with(key))
                .and_then(|line| line.split_once(':').or_else(|| line.split_once('=')))
                .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        };
        let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: f64 = field(&meminfo, "MemTotal")
            .and_then(|v| v.trim_end_matches(" kB").parse().ok())
            .unwrap_or(0.0);
        let os_release = fs::read_to_string("/etc/os-release").unwrap_or_default();
        Machine {
            cpu: field(&cpuinfo, "model name").unwrap_or_else(|| "unknown".into()),
            logical_cpus: std::thread::available_parallelism().map_or(0, |n| n.get()),
            memory_gib: memory_kib / 1024.0 / 1024.0,
            os: field(&os_release, "PRETTY_NAME").unwrap_or_else(|| "unknown".into()),
            kernel: fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|k| k.trim().to_owned())
                .unwrap_or_default(),
            load: fs::read_to_string("/proc/loadavg")
                .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
                .unwrap_or_default(),
        }
    }
}

fn machine_section(args: &Args, before: &Machine, after: &Machine) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| | |");
    let _ = writeln!(out, "| --- | --- |");
    let _ = writeln!(out, "| CPU | {} |", before.cpu);
    let _ = writeln!(out, "| cores | {} logical CPUs |", before.logical_cpus);
    let _ = writeln!(out, "| memory | {:.1} GiB |", before.memory_gib);
    let _ = writeln!(out, "| OS | {}, Linux {} |", before.os, before.kernel);
    let _ = writeln!(
        out,
        "| load average (1, 5, 15 min) | {} before the run, {} after |",
        before.load, after.load
    );
    for (name, value) in &args.about {
        let _ = writeln!(out, "| {name} | {value} |");
    }
    let busy = [before, after].iter().any(|m| {
        m.load
            .split_whitespace()
            .next()
            .and_then(|l| l.parse::<f64>().ok())
            .is_some_and(|load| load > 0.5 * m.logical_cpus as f64)
    });
    if busy {
        let _ = writeln!(
            out,
            "\n**The machine was busy during this run** (a 1-minute load average above half its \
             CPUs): other work competed for the CPUs and the disk, so the times are higher and \
             noisier than on an idle machine."
        );
    }
    out
}

fn comparison_section(args: &Args, results: &[Series], large: &[Series]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Median wall time of {} runs (after one warm-up run each), and in parentheses how many \
         times connector-roles' CloudFormation run it takes:\n",
        args.runs
    );
    table(&mut out, results, |series| {
        let wall = seconds(series.median_wall());
        match find(results, Tool::Cloudformation, series.roles).map(Series::median_wall) {
            Some(ours) if series.tool != Tool::Cloudformation => {
                format!("{wall} ({})", ratio(series.median_wall(), ours))
            }
            _ => format!("**{wall}**"),
        }
    });
    let _ = writeln!(
        out,
        "\nPeak memory (the largest `ru_maxrss` of the runs: the process's peak resident set):\n"
    );
    table(&mut out, results, |series| mebibytes(series.peak_rss_kib()));
    let _ = writeln!(
        out,
        "\nCPU time (user + system, median), which the machine's other load affects less than \
         wall time:\n"
    );
    table(&mut out, results, |series| seconds(series.median_cpu()));
    let _ = writeln!(
        out,
        "\n![Wall time against the number of roles]({})",
        args.plot_link
    );
    if !large.is_empty() {
        let _ = writeln!(
            out,
            "\nconnector-roles alone at {} (median of {} runs):\n",
            roles_label(args.large),
            args.large_runs
        );
        let _ = writeln!(out, "| | wall time | CPU time | peak memory | per role |");
        let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: |");
        for series in large {
            let wall = series.median_wall();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                series.tool.label(),
                seconds(wall),
                seconds(series.median_cpu()),
                mebibytes(series.peak_rss_kib()),
                seconds(wall / series.roles as u32),
            );
        }
    }
    out
}

/// A Markdown table with a row per tool and a column per number of roles, each cell `cell`
/// of that tool's series (empty where it did not run).
fn table(out: &mut String, results: &[Series], cell: impl Fn(&Series) -> String) {
    let mut sizes: Vec<usize> = results.iter().map(|s| s.roles).collect();
    sizes.dedup();
    let _ = write!(out, "| tool |");
    for &roles in &sizes {
        let _ = write!(out, " {} |", roles_label(roles));
    }
    let _ = write!(out, "\n| --- |{}\n", " ---: |".repeat(sizes.len()));
    for tool in Tool::ALL {
        let _ = write!(out, "| {} |", tool.label());
        for &roles in &sizes {
            let text = find(results, tool, roles).map(&cell).unwrap_or_default();
            let _ = write!(out, " {text} |");
        }
        out.push('\n');
    }
}

/// The table of `bench/macro-cost`'s output.
fn macro_cost_section(text: &str) -> Result<String, String> {
    let row = |name: &str| -> Result<(f64, f64), String> {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .ok_or(format!("macro-cost output has no {name} line:\n{text}"))?;
        let numbers: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .map(|n| n.parse().map_err(|e| format!("{line}: {e}")))
            .collect::<Result<_, _>>()?;
        match numbers[..] {
            [clean, incremental] => Ok((clean, incremental)),
            _ => Err(format!("unexpected macro-cost line {line}")),
        }
    };
    let (clean0, incremental0) = row("without_roles")?;
    let (clean1, incremental1) = row("with_roles")?;
    let runs = text
        .lines()
        .find_map(|l| l.strip_prefix("runs: "))
        .unwrap_or("5");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "`bench/macro-cost`: median of {runs} builds of a binary crate depending on \
         connector-roles, with 100 `connector_role!` declarations and without (dependencies \
         already built):\n"
    );
    let _ = writeln!(out, "| crate | clean build | incremental build |");
    let _ = writeln!(out, "| --- | ---: | ---: |");
    let _ = writeln!(
        out,
        "| without declarations | {clean0:.2} s | {incremental0:.2} s |"
    );
    let _ = writeln!(
        out,
        "| with 100 declarations | {clean1:.2} s | {incremental1:.2} s |"
    );
    let _ = writeln!(
        out,
        "| cost of the 100 declarations | +{:.2} s ({:.0} ms each) | +{:.2} s ({:.0} ms each) |",
        clean1 - clean0,
        (clean1 - clean0) * 10.0,
        incremental1 - incremental0,
        (incremental1 - incremental0) * 10.0
    );
    Ok(out)
}

/// Replaces the text between `<!-- compare:NAME -->` and `<!-- /compare:NAME -->`.
fn update_markdown(path: &Path, sections: &[(&str, String)]) -> Result<(), String> {
    let mut text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    for (name, body) in sections {
        let open = format!("<!-- compare:{name} -->\n");
        let close = format!("<!-- /compare:{name} -->");
        let start = text
            .find(&open)
            .ok_or(format!("{}: no {open:?} marker", path.display()))?
            + open.len();
        let end = text[start..]
            .find(&close)
            .ok_or(format!("{}: no {close:?} marker", path.display()))?
            + start;
        text.replace_range(start..end, body);
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Wall time against roles, log-log, one line per tool.
fn plot(args: &Args, results: &[Series]) -> Result<(), String> {
    let font = fs::read(&args.font).map_err(|e| format!("{}: {e}", args.font.display()))?;
    plotters::style::register_font(
        "sans-serif",
        FontStyle::Normal,
        Box::leak(font.into_boxed_slice()),
    )
    .map_err(|_| format!("{}: not a usable font", args.font.display()))?;

    let walls: Vec<f64> = results
        .iter()
        .map(|s| s.median_wall().as_secs_f64())
        .collect();
    let low = walls.iter().copied().fold(f64::INFINITY, f64::min) / 2.0;
    // Room above the highest line for the legend.
    let high = walls.iter().copied().fold(0.0, f64::max) * 12.0;
    let most = results.iter().map(|s| s.roles).max().unwrap_or(1) as f64;
    let decades = |from: f64, to: f64| {
        let mut points = Vec::new();
        let mut point = 10f64.powf(from.log10().floor());
        while point <= to {
            if point >= from {
                points.push(point);
            }
            point *= 10.0;
        }
        points
    };

    let root = BitMapBackend::new(&args.plot, (1000, 620)).into_drawing_area();
    let error = |e: &dyn std::fmt::Display| format!("plot: {e}");
    root.fill(&WHITE).map_err(|e| error(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Wall time against the number of roles (median of {} runs)",
                args.runs
            ),
            ("sans-serif", 24),
        )
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(80)
        .build_cartesian_2d(
            (0.8..most * 1.25)
                .log_scale()
                .with_key_points(decades(1.0, most)),
            (low..high).log_scale().with_key_points(decades(low, high)),
        )
        .map_err(|e| error(&e))?;
    chart
        .configure_mesh()
        .x_desc("roles")
        .y_desc("wall time")
        .x_label_formatter(&|x| thousands(x.round() as u64))
        .y_label_formatter(&|y| {
            if *y >= 1.0 {
                format!("{y} s")
            } else {
                format!("{} ms", (y * 1e3).round())
            }
        })
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 18))
        .draw()
        .map_err(|e| error(&e))?;
    for tool in Tool::ALL {
        let points: Vec<(f64, f64)> = results
            .iter()
            .filter(|s| s.tool == tool)
            .map(|s| (s.roles as f64, s.median_wall().as_secs_f64()))
            .collect();
        let color = tool.color();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(3)))
            .map_err(|e| error(&e))?
            .label(tool.label())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
            });
        chart
            .draw_series(
                points
                    .into_iter()
                    .map(|p| Circle::new(p, 5, color.filled())),
            )
            .map_err(|e| error(&e))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 16))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(|e| error(&e))?;
    root.present().map_err(|e| error(&e))?;
    Ok(())
}
