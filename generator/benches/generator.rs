//! The generator's hot path, measured with criterion: `cargo bench -p connector-roles-generator`.
//!
//! - `parse`: read and validate one declaration, as a JSON spec and as `connector_role!`
//!   syntax (syn's parser and the checker the macro and the CLI share);
//! - `render_one`: render one role in each format, and in all of them;
//! - `render_many`: render all formats for 10,000 roles, one role after the other as
//!   `connector-roles generate` does;
//! - `data_source`: check and render `examples/specs/tickets-jira.json` (a Jira role with its
//!   data source, the configuration checked against the documented schema), against the
//!   same spec without its data source.
//!
//! The role is `examples/specs/orders-mysql.json`: every value bound, VPC on.
//! `cargo test --all-targets` runs each benchmark once, as a test (`render_many` with 10 roles).

use std::hint::black_box;
use std::time::Duration;

use connector_roles_generator::front::rust::declaration;
use connector_roles_generator::front::rust::parse::Declarations;
use connector_roles_generator::render::render;
use connector_roles_generator::{Format, RoleSpec};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SPEC_JSON: &str = include_str!("../../examples/specs/orders-mysql.json");

/// The same role in the macro's syntax: the body of `connector_role! { ... }` in
/// `examples/orders_mysql.rs` (which binds a second subnet).
fn macro_syntax() -> &'static str {
    let example = include_str!("../../examples/orders_mysql.rs");
    let (_, body) = example
        .split_once("connector_role! {")
        .expect("the example invokes connector_role!");
    let (body, _) = body
        .split_once("\n}\n")
        .expect("the invocation ends with a `}` line");
    body
}

/// How many roles `render_many` renders.
const MANY: usize = 10_000;

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.bench_function("json_spec", |b| {
        b.iter(|| RoleSpec::from_json(black_box(SPEC_JSON)).expect("the example is valid"));
    });
    let text = macro_syntax();
    group.bench_function("connector_role", |b| {
        b.iter(|| {
            let declarations: Declarations =
                syn::parse_str(black_box(text)).expect("the declaration parses");
            let checked = declaration::check_all(&declarations)
                .map_err(|errors| errors.len())
                .expect("the declaration is valid");
            black_box(checked.len())
        });
    });
    group.finish();
}

fn render_one(c: &mut Criterion) {
    let spec = RoleSpec::from_json(SPEC_JSON).expect("the example is valid");
    let mut group = c.benchmark_group("render_one");
    let all = Format::ALL.map(|format| (format.name(), vec![format]));
    for (name, formats) in all.iter().chain([&("all", Format::ALL.to_vec())]) {
        group.bench_with_input(BenchmarkId::from_parameter(name), formats, |b, formats| {
            b.iter(|| render(black_box(&spec), formats).expect("the role renders"));
        });
    }
    group.finish();
}

/// `count` roles like the example, each with its own name and role name.
fn roles(count: usize) -> Vec<RoleSpec> {
    let template: serde_json::Value = serde_json::from_str(SPEC_JSON).expect("the example is JSON");
    (0..count)
        .map(|i| {
            let mut json = template.clone();
            json["name"] = format!("role-{i:05}").into();
            json["role_name"] = format!("QBusinessConnectorRole{i:05}").into();
            RoleSpec::from_json(&json.to_string()).expect("each role is valid")
        })
        .collect()
}

fn render_many(c: &mut Criterion) {
    // `cargo test` runs each benchmark once, unoptimized: there, a few roles are enough.
    let count = if std::env::args().any(|arg| arg == "--bench") {
        MANY
    } else {
        10
    };
    let specs = roles(count);
    let mut group = c.benchmark_group("render_many");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(count as u64));
    group.bench_function(BenchmarkId::new("all", count), |b| {
        b.iter(|| {
            let mut bytes = 0;
            for spec in &specs {
                let artifacts = render(spec, &Format::ALL).expect("the role renders");
                bytes += artifacts.iter().map(|a| a.contents.len()).sum::<usize>();
            }
            black_box(bytes)
        });
    });
    group.finish();
}

/// The Jira example with its data source, and without.
fn data_source(c: &mut Criterion) {
    let with: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/specs/tickets-jira.json"))
            .expect("the example is JSON");
    let mut without = with.clone();
    without
        .as_object_mut()
        .expect("a spec is an object")
        .remove("data_source");
    let mut group = c.benchmark_group("data_source");
    for (name, json) in [("role_alone", without), ("with_data_source", with)] {
        let text = json.to_string();
        group.bench_function(BenchmarkId::new("parse", name), |b| {
            b.iter(|| RoleSpec::from_json(black_box(&text)).expect("the example is valid"));
        });
        let spec = RoleSpec::from_json(&text).expect("the example is valid");
        group.bench_function(BenchmarkId::new("render_all", name), |b| {
            b.iter(|| render(black_box(&spec), &Format::ALL).expect("the role renders"));
        });
    }
    group.finish();
}

criterion_group!(benches, parse, render_one, render_many, data_source);
criterion_main!(benches);
