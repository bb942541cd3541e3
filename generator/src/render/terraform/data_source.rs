//! The data source that uses the role, as `awscc_qbusiness_data_source` (the hashicorp/aws
//! provider has no Amazon Q Business data source resource; the Cloud Control provider's
//! is CloudFormation's `AWS::QBusiness::DataSource`): `role_arn` from the role,
//! `configuration` a `jsonencode` of the filled configuration, created after the role's
//! permission policy.

use std::borrow::Cow;

use super::hcl::{Expr, Terraform, expr, quoted, write_attributes};
use crate::model::field::Field;
use crate::model::interp::Interp;
use crate::model::policy::Part;
use crate::render::names::Member;

/// The resource type.
pub(super) const RESOURCE: &str = "awscc_qbusiness_data_source";

/// The attributes of the member's data source, aligned, code; `None` when its spec
/// declares none.
pub(super) fn attributes(member: &Member<'_>) -> Option<String> {
    let (names, role) = (&member.names, &member.role);
    let spec = role.spec;
    let declared = spec.data_source.as_ref()?;
    let idiom = Terraform(names);
    let resolved = role.data_source()?;
    let resource = names.terraform_resource();
    let value = |interp: &Interp| Expr::Item(interp, idiom).code(1);
    let list = |field: Field| match spec.list(field) {
        Some(values) => Expr::List(values.iter().map(|v| Expr::Text(v)).collect()).code(2),
        None => format!("var.{}", names.terraform(field.name())),
    };
    let mut attributes: Vec<(Cow<str>, Expr)> = vec![
        (
            "application_id".into(),
            Expr::Code(value(&resolved.application_id)),
        ),
        ("index_id".into(), Expr::Code(value(&resolved.index_id))),
        (
            "display_name".into(),
            Expr::Code(quoted(&declared.display_name)),
        ),
    ];
    if let Some(description) = &declared.description {
        attributes.push(("description".into(), Expr::Code(quoted(description))));
    }
    attributes.push((
        "role_arn".into(),
        Expr::Code(format!("aws_iam_role.{resource}.arn")),
    ));
    if let Some(schedule) = &declared.sync_schedule {
        attributes.push(("sync_schedule".into(), Expr::Code(quoted(schedule))));
    }
    if spec.parts.contains(&Part::Vpc) {
        attributes.push((
            "vpc_configuration".into(),
            Expr::Object(vec![
                ("subnet_ids".into(), Expr::Code(list(Field::SubnetIds))),
                (
                    "security_group_ids".into(),
                    Expr::Code(list(Field::SecurityGroupIds)),
                ),
            ]),
        ));
    }
    if !declared.tags.is_empty() {
        let tags = declared
            .tags
            .iter()
            .map(|tag| {
                Expr::Object(vec![
                    ("key".into(), Expr::Text(&tag.key)),
                    ("value".into(), Expr::Text(&tag.value)),
                ])
            })
            .collect();
        attributes.push(("tags".into(), Expr::List(tags)));
    }
    let node = resolved.configuration.node();
    attributes.push((
        "configuration".into(),
        Expr::Call("jsonencode", vec![expr(&node, idiom)]),
    ));
    let policy = if role.managed_policy_description().is_some() {
        format!("aws_iam_role_policy_attachment.{resource}")
    } else {
        format!("aws_iam_role_policy.{resource}")
    };
    attributes.push(("depends_on".into(), Expr::Code(format!("[{policy}]"))));
    let mut code = String::new();
    write_attributes(&mut code, &attributes, 1);
    Some(code)
}
