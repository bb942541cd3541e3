//! The data source that uses the role, as `qbusiness.CfnDataSource` created by the role's
//! construct: `roleArn` from the role, the filled configuration as an object literal, after
//! a managed permission policy.

use super::ts::{Cdk, Ts, quoted};
use crate::model::field::Field;
use crate::model::interp::Idiom;
use crate::model::policy::Part;
use crate::spec::role::RoleModel;

/// What the construct's template prints of its data source, each value code.
pub(super) struct DataSourceTs {
    pub(super) application_id: String,
    pub(super) index_id: String,
    pub(super) display_name: String,
    pub(super) description: Option<String>,
    pub(super) sync_schedule: Option<String>,
    /// `subnetIds` and `securityGroupIds`, when the role runs in a VPC.
    pub(super) vpc: Option<(String, String)>,
    /// Each tag's key and value, quoted.
    pub(super) tags: Vec<(String, String)>,
    /// The configuration object literal, laid out where `const configuration = ` puts it.
    pub(super) configuration: String,
}

/// The data source of `role`'s spec, if it declares one.
pub(super) fn data_source(role: &RoleModel<'_>, indent: usize) -> Option<DataSourceTs> {
    let spec = role.spec;
    let declared = spec.data_source.as_ref()?;
    let resolved = role.data_source()?;
    let list = |field: Field| match spec.list(field) {
        Some(values) => format!(
            "[{}]",
            values
                .iter()
                .map(|v| quoted(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("props.{}", field.camel_name()),
    };
    let node = resolved.configuration.node();
    Some(DataSourceTs {
        application_id: Cdk.expression(&resolved.application_id),
        index_id: Cdk.expression(&resolved.index_id),
        display_name: quoted(&declared.display_name),
        description: declared.description.as_deref().map(quoted),
        sync_schedule: declared.sync_schedule.as_deref().map(quoted),
        vpc: spec
            .parts
            .contains(&Part::Vpc)
            .then(|| (list(Field::SubnetIds), list(Field::SecurityGroupIds))),
        tags: declared
            .tags
            .iter()
            .map(|tag| (quoted(&tag.key), quoted(&tag.value)))
            .collect(),
        configuration: Ts::of(&node).layout(indent, indent + "const configuration = ".len()),
    })
}
