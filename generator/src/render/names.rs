//! The names a role takes in generated code, and the unit of output that holds one role or a
//! stack of roles.
//!
//! A role rendered alone keeps the names it always had: the CloudFormation resource `Role`
//! with parameters `ApplicationId` and `RoleName`, the Terraform resources `this` with
//! variables `application_id`, the CDK construct `ConnectorRole` reading the context key
//! `applicationId`. In a [`Stack`](crate::stack::Stack) every one of those names is prefixed
//! with the role's spec name in the case of the format: `OrdersMysqlRole`,
//! `OrdersMysqlApplicationId`, `OrdersMysqlHasSubnetIds2`, `aws_iam_role.orders_mysql`,
//! `orders_mysql_application_id`, `OrdersMysqlConnectorRole`, `ordersMysql.applicationId`.
//! A single role is exactly a stack of one whose prefix is empty, so both share one code
//! path in every renderer.
//!
//! The CDK construct ID is the prefix followed by `ConnectorRole`, not the bare prefix: the
//! stack's outputs (`OrdersMysqlRoleArn`) are children of the stack as the constructs are,
//! and a bare `XRoleArn` (role `x-role-arn`) would be the output of role `x`. A CDK context
//! key is the camelCase prefix, a `.` and the prop (`ordersMysql.applicationId`): a dot
//! reads as "this role's value" on the command line and cannot occur in a prefix.
//!
//! # Why prefixed names cannot collide
//!
//! 1. [`Stack::add`](crate::stack::Stack::add) accepts a role only when its [`Names::pascal`],
//!    [`Names::snake`] and [`Names::camel`] prefixes differ from every other role's in the
//!    stack (`a-1b` and `a1b` are both `A1b`, `a-b` and `a--b` both `AB`: such a pair is
//!    rejected).
//! 2. Within each namespace of each format, the renderers append suffixes of which none ends
//!    with another: `Role`, `ApplicationId`, ..., `RoleName` for CloudFormation's parameters
//!    and resources; `HasRoleName`, `HasSubnetIds2`, ... for its conditions; `RoleArn`,
//!    `RoleName` for its outputs; `_application_id`, ..., `_role_name` for Terraform's
//!    variables; `ConnectorRole`, `RoleArn`, `RoleName` for the CDK stack's children.
//!
//! If `P + s == Q + t` for distinct prefixes `P` and `Q`, one extends the other (`Q == P + x`
//! with `x` not empty), so `s == x + t`: the suffix `s` ends with the suffix `t`, which (2)
//! rules out. Names shared by the whole unit (`tags`, `role_arns`, the `data` sources and
//! `locals`, the TypeScript helpers) end with none of the suffixes. A CDK context key joins
//! the camelCase prefix and the prop with a `.`, which no prefix holds. The stack's unit
//! tests render adversarial names (`x`, `x-role`, `x-role-arn`, ...) and check every
//! namespace for duplicates.

use crate::model::case;
use crate::render::Artifact;
use crate::spec::RoleSpec;
use crate::spec::role::RoleModel;

/// The names one role takes in a unit of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The role's spec name, kebab-case.
    role: String,
    /// Whether the role shares its unit with others, and so prefixes its names.
    stacked: bool,
    /// The prefix in PascalCase, snake_case and camelCase: empty alone.
    pascal: String,
    snake: String,
    camel: String,
}

impl Names {
    /// The names of a role rendered alone: no prefix.
    pub fn alone(role: &str) -> Names {
        Names {
            role: role.to_owned(),
            stacked: false,
            pascal: String::new(),
            snake: String::new(),
            camel: String::new(),
        }
    }

    /// The names of a role in a stack: prefixed with its spec name.
    pub fn stacked(role: &str) -> Names {
        let pascal = case::pascal(role);
        Names {
            role: role.to_owned(),
            stacked: true,
            snake: case::snake(role),
            camel: case::lower_first(&pascal),
            pascal,
        }
    }

    /// The role's spec name.
    pub fn role(&self) -> &str {
        &self.role
    }

    /// The prefix in PascalCase: empty alone, `OrdersMysql` in a stack.
    pub fn pascal(&self) -> &str {
        &self.pascal
    }

    /// The prefix in snake_case: empty alone, `orders_mysql` in a stack.
    pub fn snake(&self) -> &str {
        &self.snake
    }

    /// The prefix in camelCase: empty alone, `ordersMysql` in a stack.
    pub fn camel(&self) -> &str {
        &self.camel
    }

    /// A CloudFormation logical ID (parameter, condition, resource, output) or a CDK
    /// construct ID: `name` after the Pascal prefix (`OrdersMysqlApplicationId`).
    pub fn logical_id(&self, name: &str) -> String {
        let mut id = String::with_capacity(self.pascal.len() + name.len());
        id.push_str(&self.pascal);
        id.push_str(name);
        id
    }

    /// A TypeScript variable: [`Names::logical_id`] in camelCase (`connectorRole` alone,
    /// `ordersMysqlConnectorRole` in a stack).
    pub fn variable(&self, name: &str) -> String {
        case::lower_first(&self.logical_id(name))
    }

    /// A CDK context key: the prop alone, `ordersMysql.applicationId` in a stack.
    pub fn context_key(&self, prop: &str) -> String {
        if self.stacked {
            format!("{}.{prop}", self.camel())
        } else {
            prop.to_owned()
        }
    }

    /// A Terraform variable or output name: `application_id` alone,
    /// `orders_mysql_application_id` in a stack.
    pub fn terraform(&self, name: &str) -> String {
        if self.stacked {
            format!("{}_{name}", self.snake())
        } else {
            name.to_owned()
        }
    }

    /// The name of the role's Terraform resources: `this` alone (as terraform-aws-modules
    /// name the main resource), `orders_mysql` in a stack.
    pub fn terraform_resource(&self) -> String {
        if self.stacked {
            self.snake.clone()
        } else {
            "this".to_owned()
        }
    }

    /// The folder of the role's policy JSON: `policy` alone, `policy/orders-mysql` in a stack.
    pub fn policy_folder(&self) -> String {
        if self.stacked {
            format!("policy/{}", self.role)
        } else {
            "policy".to_owned()
        }
    }
}

/// The longest stack description the CDK accepts (`Stack` throws past 512 characters;
/// CloudFormation's own limit is 1,024 bytes).
pub const STACK_DESCRIPTION: usize = 512;

/// A stack's description: its roles by name, as many as fit in [`STACK_DESCRIPTION`]
/// characters, the others counted.
fn stack_description(specs: &[RoleSpec]) -> String {
    let mut description = "Roles Amazon Q Business assumes for data source connectors: ".to_owned();
    for (i, spec) in specs.iter().enumerate() {
        let rest = specs.len() - i - 1;
        let more = if rest == 0 {
            String::new()
        } else {
            format!(", and {rest} more")
        };
        let separator = if i == 0 { "" } else { ", " };
        let fits =
            description.len() + separator.len() + spec.name.len() + more.len() <= STACK_DESCRIPTION;
        if !fits {
            description.push_str(&format!(" and {} more", specs.len() - i));
            break;
        }
        description.push_str(separator);
        description.push_str(&spec.name);
    }
    description
}

/// One role of a unit, resolved, with its names.
#[derive(Debug)]
pub struct Member<'a> {
    /// The names the role takes.
    pub names: Names,
    /// The role's policies and open parameters.
    pub role: RoleModel<'a>,
}

/// What one output folder holds: one role alone, or the roles of a stack.
#[derive(Debug)]
pub struct Unit<'a> {
    /// The folder: the spec's name, or the stack's.
    pub folder: &'a str,
    /// Whether the roles form a stack (names prefixed) rather than one role alone.
    pub stacked: bool,
    /// The description of the template, the CDK stack and the npm package.
    pub description: String,
    /// The roles, in the order they were given.
    pub members: Vec<Member<'a>>,
}

impl<'a> Unit<'a> {
    /// One role alone, in the folder named after its spec.
    pub fn alone(spec: &'a RoleSpec) -> Unit<'a> {
        let role = RoleModel::new(spec);
        Unit {
            folder: &spec.name,
            stacked: false,
            description: role.description(),
            members: vec![Member {
                names: Names::alone(&spec.name),
                role,
            }],
        }
    }

    /// The roles of `specs`, each with prefixed names, in the folder `name`.
    pub fn stack(name: &'a str, specs: &'a [RoleSpec]) -> Unit<'a> {
        Unit {
            folder: name,
            stacked: true,
            description: stack_description(specs),
            members: specs
                .iter()
                .map(|spec| Member {
                    names: Names::stacked(&spec.name),
                    role: RoleModel::new(spec),
                })
                .collect(),
        }
    }

    /// The artifact `file` in the format folder `folder` of this unit.
    pub fn artifact(&self, folder: &str, file: &str, contents: String) -> Artifact {
        Artifact {
            path: format!("{}/{folder}/{file}", self.folder),
            contents,
        }
    }

    /// The header of every generated file that can hold a comment, each format writing it
    /// as its comment: `Generated by connector-roles from the rds-mysql catalog entry. Do not
    /// edit by hand; regenerate instead.`
    pub fn header(&self) -> String {
        format!(
            "Generated by connector-roles from {}. Do not edit by hand; regenerate instead.",
            self.source()
        )
    }

    /// Where the unit comes from: `the rds-mysql catalog entry`, or `the a and b catalog
    /// entries`.
    fn source(&self) -> String {
        let mut connectors: Vec<&str> = Vec::new();
        for member in &self.members {
            let id = member.role.spec.connector.id.as_str();
            if !connectors.contains(&id) {
                connectors.push(id);
            }
        }
        match connectors.as_slice() {
            [one] => format!("the {one} catalog entry"),
            [init @ .., last] => format!("the {} and {last} catalog entries", init.join(", ")),
            [] => "the catalog".to_owned(),
        }
    }

    /// The npm package's name, and the Terraform usage example's module label with `_` for
    /// `-`: `orders-mysql-connector-role` alone, `data-sources-connector-roles` for a stack.
    pub fn package_name(&self) -> String {
        let plural = if self.stacked { "s" } else { "" };
        format!("{}-connector-role{plural}", self.folder)
    }

    /// Whether any role references the open `field`.
    pub fn references(&self, field: crate::model::field::Field) -> bool {
        self.members.iter().any(|m| m.role.references(field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_description_names_what_fits_and_counts_the_rest() {
        let specs = |count: usize| -> Vec<RoleSpec> {
            (0..count)
                .map(|i| {
                    let json =
                        format!(r#"{{ "connector": "rds-mysql", "name": "orders-database-{i}" }}"#);
                    RoleSpec::from_json(&json).unwrap()
                })
                .collect()
        };
        let few = stack_description(&specs(2));
        assert!(
            few.ends_with(": orders-database-0, orders-database-1"),
            "{few}"
        );
        let many = stack_description(&specs(200));
        assert!(many.len() <= STACK_DESCRIPTION, "{}", many.len());
        let listed = many.matches("orders-database-").count();
        assert!(
            many.ends_with(&format!(" and {} more", 200 - listed)),
            "{many}"
        );
    }

    #[test]
    fn alone_names_are_unprefixed() {
        let names = Names::alone("orders-mysql");
        assert_eq!(names.logical_id("Role"), "Role");
        assert_eq!(names.variable("ConnectorRole"), "connectorRole");
        assert_eq!(names.context_key("applicationId"), "applicationId");
        assert_eq!(names.terraform("role_arn"), "role_arn");
        assert_eq!(names.terraform_resource(), "this");
        assert_eq!(names.policy_folder(), "policy");
    }

    #[test]
    fn stacked_names_carry_the_role() {
        let names = Names::stacked("orders-mysql");
        assert_eq!(names.logical_id("Role"), "OrdersMysqlRole");
        assert_eq!(
            names.logical_id("HasSubnetIds2"),
            "OrdersMysqlHasSubnetIds2"
        );
        assert_eq!(names.variable("ConnectorRole"), "ordersMysqlConnectorRole");
        assert_eq!(
            names.context_key("applicationId"),
            "ordersMysql.applicationId"
        );
        assert_eq!(names.terraform("role_arn"), "orders_mysql_role_arn");
        assert_eq!(names.terraform_resource(), "orders_mysql");
        assert_eq!(names.policy_folder(), "policy/orders-mysql");
    }
}
