//! Reads a Terraform module with hcl-rs and evaluates it with hcl-rs's evaluator for given
//! inputs in a deployment.
//!
//! `var` holds the inputs given (or each variable's evaluated default), `data` the values of
//! the data sources `main.tf` declares (and only those), `local` the evaluated `locals`;
//! the functions are those `audit` evaluates modules with (`jsonencode`, `concat`, `merge`,
//! `join`). Any expression that does not evaluate in that context fails the test.

use hcl::eval::{Context, Evaluate};
use hcl::{Body, Map, Value};

pub use super::cloudformation::Deployment;

/// A module's `main.tf` and `outputs.tf`, with the context its expressions evaluate in.
pub struct Module {
    main: Body,
    outputs: Body,
    ctx: Context<'static>,
}

/// One role of a module, evaluated.
pub struct Role {
    /// `aws_iam_role.NAME.assume_role_policy`, decoded.
    pub trust: serde_json::Value,
    /// `aws_iam_role_policy.NAME.policy`, or `aws_iam_policy.NAME.policy` attached to the
    /// role, decoded.
    pub permission: serde_json::Value,
    /// `aws_iam_role.NAME.name`.
    pub role_name: Value,
    /// The role's path, boundary, session length and tags, keyed as
    /// [`super::matrix::expected_properties`] keys them; tags merged with `var.tags`.
    pub properties: serde_json::Value,
}

impl Module {
    /// Parses every file of the module (`text` reads one by name) and evaluates its
    /// variables, data sources and locals for `inputs` in `deployment`.
    pub fn new(
        text: impl Fn(&str) -> String,
        inputs: &[(&str, serde_json::Value)],
        deployment: &Deployment,
    ) -> Module {
        let file = |name: &str| {
            let text = text(name);
            hcl::parse(&text).unwrap_or_else(|e| panic!("hcl-rs cannot parse {name}: {e}\n{text}"))
        };
        file("versions.tf");
        let (main, variables, outputs) =
            (file("main.tf"), file("variables.tf"), file("outputs.tf"));
        let mut ctx = Context::new();
        connector_roles::audit::hcl::declare_functions(&mut ctx);
        let var = var(&variables, inputs, &ctx);
        ctx.declare_var("var", var);
        ctx.declare_var("data", data(&main, deployment));
        let local = locals(&main, &ctx);
        ctx.declare_var("local", local);
        Module { main, outputs, ctx }
    }

    /// The kind of every resource, in order (`aws_iam_role`, ...).
    pub fn resource_kinds(&self) -> Vec<String> {
        self.main
            .blocks()
            .filter(|b| b.identifier() == "resource")
            .map(|b| b.labels()[0].as_str().to_owned())
            .collect()
    }

    /// The names of the resources of `kind`, in order.
    pub fn resources(&self, kind: &str) -> Vec<String> {
        self.main
            .blocks()
            .filter(|b| {
                b.identifier() == "resource" && b.labels().first().map(|l| l.as_str()) == Some(kind)
            })
            .map(|b| b.labels()[1].as_str().to_owned())
            .collect()
    }

    /// The role whose `aws_iam_role` is named `name`, with its permission policy: the
    /// `aws_iam_role_policy` of that name, or else the `aws_iam_policy` of that name, which
    /// the `aws_iam_role_policy_attachment` of that name must attach to the role.
    pub fn role(&self, name: &str) -> Role {
        let role = self.resource("aws_iam_role", name);
        let mut attached = self.ctx.clone();
        attached.declare_var("aws_iam_role", self.roles(|role, a| format!("{role}.{a}")));
        let policy = if self
            .resources("aws_iam_role_policy")
            .iter()
            .any(|r| r == name)
        {
            let policy = self.resource("aws_iam_role_policy", name);
            assert_eq!(
                attribute(policy, "role", &attached),
                Value::from(format!("{name}.id")),
                "the policy {name} is attached to the role {name}"
            );
            policy
        } else {
            let policy = self.resource("aws_iam_policy", name);
            let attachment = self.resource("aws_iam_role_policy_attachment", name);
            let arns = self
                .resources("aws_iam_policy")
                .into_iter()
                .map(|p| {
                    (
                        p.clone(),
                        Value::from(Map::from_iter([(
                            "arn".to_owned(),
                            Value::from(format!("{p}.arn")),
                        )])),
                    )
                })
                .collect::<Map<String, Value>>();
            attached.declare_var("aws_iam_policy", Value::Object(arns));
            assert_eq!(
                (
                    attribute(attachment, "role", &attached),
                    attribute(attachment, "policy_arn", &attached)
                ),
                (
                    Value::from(format!("{name}.name")),
                    Value::from(format!("{name}.arn"))
                ),
                "the attachment {name} attaches the policy {name} to the role {name}"
            );
            policy
        };
        Role {
            trust: json_text(attribute(role, "assume_role_policy", &self.ctx)),
            permission: json_text(attribute(policy, "policy", &self.ctx)),
            role_name: attribute(role, "name", &self.ctx),
            properties: self.properties(role),
        }
    }

    /// The attributes of the `awscc_qbusiness_data_source` named `name`, evaluated with each
    /// role's attribute `a` standing as `"ROLE.a"`, the configuration decoded from its JSON.
    pub fn data_source(&self, name: &str) -> serde_json::Value {
        let body = self.resource("awscc_qbusiness_data_source", name);
        let mut ctx = self.ctx.clone();
        ctx.declare_var("aws_iam_role", self.roles(|role, a| format!("{role}.{a}")));
        let mut found = serde_json::Map::new();
        for attribute_ in body.attributes() {
            let key = attribute_.key();
            if key == "depends_on" {
                continue;
            }
            let value = attribute(body, key, &ctx);
            let value = if key == "configuration" {
                json_text(value)
            } else {
                serde_json::to_value(value).unwrap()
            };
            found.insert(key.to_owned(), value);
        }
        serde_json::Value::Object(found)
    }

    /// The optional attributes of a role, as [`Role::properties`] holds them.
    fn properties(&self, role: &Body) -> serde_json::Value {
        let mut found = serde_json::Map::new();
        for (key, name) in [
            ("path", "Path"),
            ("permissions_boundary", "PermissionsBoundary"),
            ("max_session_duration", "MaxSessionDuration"),
        ] {
            if role.attributes().any(|a| a.key() == key) {
                let value = attribute(role, key, &self.ctx);
                found.insert(name.into(), serde_json::to_value(value).unwrap());
            }
        }
        let tags = serde_json::to_value(attribute(role, "tags", &self.ctx)).unwrap();
        if tags != serde_json::json!({}) {
            found.insert("Tags".into(), tags);
        }
        serde_json::Value::Object(found)
    }

    /// Every output, evaluated with each role's attribute `a` standing as `"ROLE.a"`.
    pub fn outputs(&self) -> Map<String, Value> {
        let mut ctx = self.ctx.clone();
        ctx.declare_var("aws_iam_role", self.roles(|role, a| format!("{role}.{a}")));
        self.outputs
            .blocks()
            .filter(|b| b.identifier() == "output")
            .map(|b| {
                let name = b.labels()[0].as_str().to_owned();
                (name, attribute(b.body(), "value", &ctx))
            })
            .collect()
    }

    /// `aws_iam_role` as the module's expressions see it: each role's attributes.
    fn roles(&self, value: impl Fn(&str, &str) -> String) -> Value {
        self.resources("aws_iam_role")
            .into_iter()
            .map(|role| {
                let attributes: Map<String, Value> = ["id", "arn", "name", "unique_id"]
                    .into_iter()
                    .map(|a| (a.to_owned(), Value::from(value(&role, a))))
                    .collect();
                (role, Value::Object(attributes))
            })
            .collect::<Map<String, Value>>()
            .into()
    }

    /// The body of `resource "KIND" "NAME"`, which must be unique.
    fn resource(&self, kind: &str, name: &str) -> &Body {
        let mut found = self.main.blocks().filter(|b| {
            b.identifier() == "resource" && b.labels().iter().map(|l| l.as_str()).eq([kind, name])
        });
        let block = found
            .next()
            .unwrap_or_else(|| panic!("no resource {kind}.{name}"));
        assert!(found.next().is_none(), "several {kind}.{name} resources");
        block.body()
    }
}

/// `var`: each declared variable's input, or its default; an input for no variable and a
/// required variable without input both fail.
fn var(variables: &Body, inputs: &[(&str, serde_json::Value)], ctx: &Context) -> Value {
    let mut values = Map::new();
    for block in variables.blocks().filter(|b| b.identifier() == "variable") {
        let name = block.labels()[0].as_str();
        let value = match inputs.iter().find(|(input, _)| *input == name) {
            Some((_, value)) => hcl::to_value(value).unwrap(),
            None => match block.body().attributes().find(|a| a.key() == "default") {
                Some(default) => default
                    .expr()
                    .evaluate(ctx)
                    .unwrap_or_else(|e| panic!("default of {name}: {e}")),
                None => panic!("required variable {name} has no input"),
            },
        };
        assert!(
            values.insert(name.to_owned(), value).is_none(),
            "variable {name} twice"
        );
    }
    for (input, _) in inputs {
        assert!(
            values.contains_key(*input),
            "input {input} is not a variable of the module"
        );
    }
    Value::Object(values)
}

/// `data`: the deployment's values, for the data sources declared (an unknown one fails).
fn data(main: &Body, deployment: &Deployment) -> Value {
    let mut types = Map::new();
    for block in main.blocks().filter(|b| b.identifier() == "data") {
        let [kind, name] = block.labels() else {
            panic!("data block with labels {:?}", block.labels())
        };
        let value = match kind.as_str() {
            "aws_partition" => hcl::value!({ partition = (deployment.partition) }),
            "aws_caller_identity" => hcl::value!({ account_id = (deployment.account) }),
            // The attributes provider 5 and 6 both have: `region` is 6's only.
            "aws_region" => hcl::value!({ id = (deployment.region), name = (deployment.region) }),
            other => panic!("unexpected data source {other}"),
        };
        let mut names = Map::new();
        names.insert(name.as_str().to_owned(), value);
        assert!(
            types
                .insert(kind.as_str().to_owned(), Value::Object(names))
                .is_none(),
            "{kind:?} twice"
        );
    }
    Value::Object(types)
}

/// `local`: every `locals` attribute, evaluated.
fn locals(main: &Body, ctx: &Context) -> Value {
    let mut values = Map::new();
    for block in main.blocks().filter(|b| b.identifier() == "locals") {
        for attribute in block.body().attributes() {
            let value = attribute
                .expr()
                .evaluate(ctx)
                .unwrap_or_else(|e| panic!("local.{}: {e}", attribute.key()));
            values.insert(attribute.key().to_owned(), value);
        }
    }
    Value::Object(values)
}

fn attribute(body: &Body, key: &str, ctx: &Context) -> Value {
    let attribute = body
        .attributes()
        .find(|a| a.key() == key)
        .unwrap_or_else(|| panic!("no attribute {key}"));
    attribute
        .expr()
        .evaluate(ctx)
        .unwrap_or_else(|e| panic!("{key} does not evaluate: {e}"))
}

/// A `jsonencode` result, decoded.
fn json_text(value: Value) -> serde_json::Value {
    let Value::String(text) = value else {
        panic!("jsonencode gave {value:?}")
    };
    serde_json::from_str(&text).unwrap()
}
