//! A role read from Terraform as written: the `.tf` files of a module, parsed with hcl-rs and
//! evaluated as Terraform would plan them, then read as `terraform show -json` output of that
//! plan ([`super::terraform`]).
//!
//! Evaluated: `var.NAME` (its `default`, or `-var NAME=VALUE` and `-var-file` values, which
//! win), `local.NAME`, the `aws_iam_policy_document` data sources (their `statement` blocks as
//! the policy JSON the provider writes), `aws_caller_identity`, `aws_partition` and
//! `aws_region` (the spec's account, partition and region), `jsonencode`, `concat`, `merge`
//! and `join`, and references to the module's roles and policies (each stands for itself, so
//! that what names a role is linked to it). The module's Amazon Q Business application and
//! index (`awscc_qbusiness_application`, `awscc_qbusiness_index`, one of each) are the spec's.
//! An attribute that does not evaluate (a value known only after apply, a function not
//! listed) is left out, as a plan leaves it out: reported as unresolved, never as missing.

use std::collections::BTreeMap;

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::{Body, Map, Value};

use crate::model::field::Field;
use crate::spec::RoleSpec;

/// How many times data sources, locals and references are evaluated, each pass with what
/// the one before knew: a policy document naming a local naming a data source needs three.
const PASSES: usize = 3;

/// The resource types whose attributes other resources refer to: roles and policies.
const LINKED: [&str; 3] = ["aws_iam_role", "awscc_iam_role", "aws_iam_policy"];

/// Declares the functions Terraform modules use on policies: `jsonencode`, `concat`,
/// `merge`, `join`.
pub fn declare_functions(ctx: &mut Context<'_>) {
    ctx.declare_func(
        "jsonencode",
        FuncDef::builder().param(ParamType::Any).build(jsonencode),
    );
    let list = ParamType::array_of(ParamType::Any);
    ctx.declare_func(
        "concat",
        FuncDef::builder().variadic_param(list).build(concat),
    );
    let object = ParamType::object_of(ParamType::Any);
    ctx.declare_func(
        "merge",
        FuncDef::builder().variadic_param(object).build(merge),
    );
    ctx.declare_func(
        "join",
        FuncDef::builder()
            .param(ParamType::String)
            .param(ParamType::array_of(ParamType::Any))
            .build(join),
    );
}

fn jsonencode(args: FuncArgs) -> Result<Value, String> {
    serde_json::to_string(&args[0])
        .map(Value::from)
        .map_err(|e| e.to_string())
}

fn merge(args: FuncArgs) -> Result<Value, String> {
    let mut merged = Map::new();
    for arg in args.iter() {
        let object = arg.as_object().ok_or_else(|| format!("merge of {arg:?}"))?;
        merged.extend(object.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Ok(Value::Object(merged))
}

fn concat(args: FuncArgs) -> Result<Value, String> {
    let mut items = Vec::new();
    for arg in args.iter() {
        let list = arg.as_array().ok_or_else(|| format!("concat of {arg:?}"))?;
        items.extend(list.iter().cloned());
    }
    Ok(Value::Array(items))
}

fn join(args: FuncArgs) -> Result<Value, String> {
    let separator = args[0].as_str().unwrap_or_default();
    let parts: Option<Vec<&str>> = args[1]
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect());
    parts
        .map(|parts| Value::from(parts.join(separator)))
        .ok_or_else(|| "join of a list of strings".to_owned())
}

/// The variables a `.tfvars` file (`-var-file`) sets, each with its value.
pub fn tfvars(text: &str) -> Result<Vec<(String, serde_json::Value)>, String> {
    let body: Body = hcl::parse(text).map_err(|e| e.to_string())?;
    let ctx = Context::new();
    body.attributes()
        .map(|attribute| {
            attribute
                .expr()
                .evaluate(&ctx)
                .map(|value| (attribute.key().to_owned(), json(&value)))
                .map_err(|e| format!("{}: {e}", attribute.key()))
        })
        .collect()
}

/// The module `files` (each `.tf` file's name and text) as `terraform show -json` output of
/// its plan, with `variables` (`-var` and `-var-file` values) winning over the defaults.
pub fn plan(
    files: &[(&str, &str)],
    spec: &RoleSpec,
    variables: &[(String, serde_json::Value)],
) -> Result<serde_json::Value, String> {
    let mut body = Body::builder();
    for (name, text) in files {
        let parsed: Body = hcl::parse(text).map_err(|e| format!("{name}: {e}"))?;
        body = body.add_structures(parsed);
    }
    let body = body.build();
    let mut ctx = Context::new();
    declare_functions(&mut ctx);
    ctx.declare_var("var", inputs(&body, variables, &ctx));
    // Data sources, locals and references may use each other: evaluated in passes, each
    // with what the one before knew.
    let mut known = BTreeMap::new();
    for _ in 0..PASSES {
        ctx.declare_var("data", data(&body, spec, &ctx));
        let local = locals(&body, &ctx);
        ctx.declare_var("local", local);
        known = references(&body, spec, &ctx);
        for (kind, values) in &known {
            ctx.declare_var(*kind, values.clone());
        }
    }
    let mut resources = Vec::new();
    for block in body.blocks().filter(|b| b.identifier() == "resource") {
        let [kind, name] = block.labels() else {
            continue;
        };
        let (kind, name) = (kind.as_str(), name.as_str());
        let mut values = serde_json::Map::new();
        for attribute in block.body().attributes() {
            if let Ok(value) = attribute.expr().evaluate(&ctx) {
                values.insert(attribute.key().to_owned(), json(&value));
            }
        }
        for inner in block.body().blocks() {
            let mut object = serde_json::Map::new();
            for attribute in inner.body().attributes() {
                if let Ok(value) = attribute.expr().evaluate(&ctx) {
                    object.insert(attribute.key().to_owned(), json(&value));
                }
            }
            let entry = values
                .entry(inner.identifier().to_owned())
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let serde_json::Value::Array(list) = entry {
                list.push(serde_json::Value::Object(object));
            }
        }
        // A role's or policy's identity, as what refers to it sees it.
        let identity = known
            .get(kind)
            .and_then(Value::as_object)
            .and_then(|names| names.get(name))
            .and_then(Value::as_object);
        for (key, value) in identity.into_iter().flatten() {
            values.entry(key.clone()).or_insert_with(|| json(value));
        }
        resources.push(serde_json::json!({
            "address": format!("{kind}.{name}"),
            "mode": "managed",
            "type": kind,
            "name": name,
            "values": values,
        }));
    }
    Ok(serde_json::json!({
        "format_version": "1.2",
        "planned_values": { "root_module": { "resources": resources } },
    }))
}

/// What an attribute of a role or policy the module names stands for before apply: a value
/// that only that resource's attribute is (`aws_iam_role.this.id`).
fn stand_in(kind: &str, name: &str, key: &str) -> String {
    format!("{kind}.{name}.{key}")
}

/// A value as JSON.
fn json(value: &Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// `var`: each variable's value given, else its default (a variable with neither stays out,
/// and what uses it does not evaluate).
fn inputs(body: &Body, given: &[(String, serde_json::Value)], ctx: &Context) -> Value {
    let mut values = Map::new();
    for block in body.blocks().filter(|b| b.identifier() == "variable") {
        let Some(name) = block.labels().first().map(|l| l.as_str().to_owned()) else {
            continue;
        };
        let declared_string = block
            .body()
            .attributes()
            .find(|a| a.key() == "type")
            .is_none_or(|t| t.expr().to_string() == "string");
        let value = match given.iter().rev().find(|(n, _)| *n == name) {
            // As `terraform plan -var` reads it: a value of another type than string is an
            // HCL expression (`["subnet-1"]`).
            Some((_, serde_json::Value::String(text))) if !declared_string => {
                hcl::parse(&format!("value = {text}"))
                    .ok()
                    .and_then(|body| {
                        body.attributes()
                            .next()
                            .and_then(|a| a.expr().evaluate(ctx).ok())
                    })
            }
            Some((_, value)) => hcl::to_value(value).ok(),
            None => block
                .body()
                .attributes()
                .find(|a| a.key() == "default")
                .and_then(|default| default.expr().evaluate(ctx).ok()),
        };
        if let Some(value) = value {
            values.insert(name, value);
        }
    }
    Value::Object(values)
}

/// `data`: the AWS data sources a connector module reads, and each `aws_iam_policy_document`
/// as its `json`.
fn data(body: &Body, spec: &RoleSpec, ctx: &Context) -> Value {
    let value = |field| Value::from(spec.scalar(field).unwrap_or_default());
    let mut types: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for block in body.blocks().filter(|b| b.identifier() == "data") {
        let [kind, name] = block.labels() else {
            continue;
        };
        let found = match kind.as_str() {
            "aws_partition" => Some(hcl::value!({ partition = (value(Field::Partition)) })),
            "aws_caller_identity" => Some(hcl::value!({ account_id = (value(Field::AccountId)) })),
            "aws_region" => Some(hcl::value!({
                name = (value(Field::Region)),
                region = (value(Field::Region)),
                id = (value(Field::Region))
            })),
            "aws_iam_policy_document" => {
                policy_document(block.body(), ctx).map(|json| hcl::value!({ json = (json) }))
            }
            _ => None,
        };
        if let Some(found) = found {
            types
                .entry(kind.as_str().to_owned())
                .or_default()
                .insert(name.as_str().to_owned(), found);
        }
    }
    Value::Object(
        types
            .into_iter()
            .map(|(kind, names)| (kind, Value::Object(names)))
            .collect(),
    )
}

/// An `aws_iam_policy_document`'s `statement` blocks as the policy JSON the provider writes;
/// `None` when a value does not evaluate.
fn policy_document(body: &Body, ctx: &Context) -> Option<String> {
    let mut statements = Vec::new();
    for statement in body.blocks().filter(|b| b.identifier() == "statement") {
        let attribute = |key: &str| -> Option<Option<serde_json::Value>> {
            match statement.body().attributes().find(|a| a.key() == key) {
                Some(attribute) => attribute.expr().evaluate(ctx).ok().map(|v| Some(json(&v))),
                None => Some(None),
            }
        };
        let mut object = serde_json::Map::new();
        if let Some(sid) = attribute("sid")? {
            object.insert("Sid".into(), sid);
        }
        object.insert(
            "Effect".into(),
            attribute("effect")?.unwrap_or_else(|| "Allow".into()),
        );
        for (key, name) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(value) = attribute(key)? {
                object.insert(name.into(), value);
            }
        }
        for (block, name) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let mut principals = serde_json::Map::new();
            for principal in statement
                .body()
                .blocks()
                .filter(|b| b.identifier() == block)
            {
                let get = |key: &str| {
                    principal
                        .body()
                        .attributes()
                        .find(|a| a.key() == key)
                        .and_then(|a| a.expr().evaluate(ctx).ok())
                };
                let kind = get("type")?.as_str()?.to_owned();
                principals.insert(kind, json(&get("identifiers")?));
            }
            if !principals.is_empty() {
                object.insert(name.into(), serde_json::Value::Object(principals));
            }
        }
        let mut conditions: serde_json::Map<String, serde_json::Value> = serde_json::Map::new();
        for condition in statement
            .body()
            .blocks()
            .filter(|b| b.identifier() == "condition")
        {
            let get = |key: &str| {
                condition
                    .body()
                    .attributes()
                    .find(|a| a.key() == key)
                    .and_then(|a| a.expr().evaluate(ctx).ok())
            };
            let test = get("test")?.as_str()?.to_owned();
            let variable = get("variable")?.as_str()?.to_owned();
            let operator = conditions
                .entry(test)
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            operator
                .as_object_mut()?
                .insert(variable, json(&get("values")?));
        }
        if !conditions.is_empty() {
            object.insert("Condition".into(), serde_json::Value::Object(conditions));
        }
        statements.push(serde_json::Value::Object(object));
    }
    serde_json::to_string(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": statements,
    }))
    .ok()
}

/// `local`: each `locals` attribute that evaluates, in as many passes as locals refer to
/// each other.
fn locals(body: &Body, ctx: &Context) -> Value {
    let attributes: Vec<&hcl::Attribute> = body
        .blocks()
        .filter(|b| b.identifier() == "locals")
        .flat_map(|b| b.body().attributes())
        .collect();
    let mut values = Map::new();
    for _ in 0..attributes.len().max(1) {
        let mut scope = ctx.clone();
        scope.declare_var("local", Value::Object(values.clone()));
        let before = values.len();
        for attribute in &attributes {
            if !values.contains_key(attribute.key())
                && let Ok(value) = attribute.expr().evaluate(&scope)
            {
                values.insert(attribute.key().to_owned(), value);
            }
        }
        if values.len() == before {
            break;
        }
    }
    Value::Object(values)
}

/// A resource's attributes, each name with its value.
type Attributes = Vec<(&'static str, String)>;

/// Each role and policy of the module by type and name: its name where it evaluates (and a
/// role's `id` and ARN from it), each other attribute standing for itself ([`stand_in`]);
/// the module's one Amazon Q Business application and index, the spec's.
fn references(body: &Body, spec: &RoleSpec, ctx: &Context) -> BTreeMap<&'static str, Value> {
    let value = |field| spec.scalar(field).map(str::to_owned);
    let mut by_kind: BTreeMap<&'static str, Map<String, Value>> = BTreeMap::new();
    let mut q_business: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for block in body.blocks().filter(|b| b.identifier() == "resource") {
        let [kind, name] = block.labels() else {
            continue;
        };
        let (kind, name) = (kind.as_str(), name.as_str());
        if let Some(linked) = LINKED.iter().find(|k| **k == kind) {
            let evaluated = |key: &str| {
                block
                    .body()
                    .attributes()
                    .find(|a| a.key() == key)
                    .and_then(|a| a.expr().evaluate(ctx).ok())
                    .and_then(|v| v.as_str().map(str::to_owned))
            };
            let mut attributes: Map<String, Value> =
                ["id", "name", "role_name", "arn", "unique_id"]
                    .into_iter()
                    .map(|key| (key.to_owned(), Value::from(stand_in(kind, name, key))))
                    .collect();
            let own_name = evaluated(if kind == "awscc_iam_role" {
                "role_name"
            } else {
                "name"
            });
            if let Some(own_name) = own_name.filter(|_| kind != "aws_iam_policy") {
                let path = evaluated("path").unwrap_or_else(|| "/".to_owned());
                let arn = format!(
                    "arn:{}:iam::{}:role{path}{own_name}",
                    value(Field::Partition).unwrap_or_else(|| "aws".to_owned()),
                    value(Field::AccountId).unwrap_or_default()
                );
                for key in ["id", "name", "role_name"] {
                    attributes.insert(key.to_owned(), Value::from(own_name.clone()));
                }
                attributes.insert("arn".to_owned(), Value::from(arn));
            }
            by_kind
                .entry(linked)
                .or_default()
                .insert(name.to_owned(), Value::Object(attributes));
        } else if kind.starts_with("awscc_qbusiness_") {
            q_business.entry(kind).or_default().push(name);
        }
    }
    let application = value(Field::ApplicationId);
    let index = value(Field::IndexId);
    let identities: [(&'static str, Option<Attributes>); 2] = [
        (
            "awscc_qbusiness_application",
            application.clone().map(|app| vec![("application_id", app)]),
        ),
        (
            "awscc_qbusiness_index",
            application
                .zip(index)
                .map(|(app, index)| vec![("application_id", app), ("index_id", index)]),
        ),
    ];
    for (kind, identity) in identities {
        if let (Some([name]), Some(identity)) = (q_business.get(kind).map(Vec::as_slice), identity)
        {
            let attributes = identity
                .into_iter()
                .map(|(key, id)| (key.to_owned(), Value::from(id)))
                .collect();
            by_kind
                .entry(kind)
                .or_default()
                .insert((*name).to_owned(), Value::Object(attributes));
        }
    }
    by_kind
        .into_iter()
        .map(|(kind, names)| (kind, Value::Object(names)))
        .collect()
}
