//! A spec resolved against its connector: the policies every renderer prints.

use std::sync::OnceLock;

use crate::model::case;
use crate::model::catalog::CheckovSkip;
use crate::model::field::Field;
use crate::model::interp::Interp;
use crate::model::policy::{PolicyDocument, Statement};
use crate::spec::RoleSpec;
use crate::spec::data_source::Resolved;
use crate::spec::properties::PolicyKind;

/// The role of one spec: the documented policies with the optional parts chosen and the
/// bound values substituted, and the open fields that remain.
#[derive(Debug, Clone)]
pub struct RoleModel<'a> {
    /// The spec it was resolved from.
    pub spec: &'a RoleSpec,
    /// The permission policy.
    pub permission_policy: PolicyDocument,
    /// The trust policy.
    pub trust_policy: PolicyDocument,
    /// The open fields the policies reference that become parameters, in [`Field::ALL`]
    /// order; open account, region and partition fields are the deployment's instead.
    pub parameters: Vec<Field>,
    /// Every open field the policies reference, in [`Field::ALL`] order.
    referenced: Vec<Field>,
    /// The spec's data source resolved against the role: once, when a format first asks,
    /// and never for a model built only to check the spec.
    data_source: OnceLock<Option<Resolved<'a>>>,
}

impl<'a> RoleModel<'a> {
    /// Resolves `spec` against its connector.
    pub fn new(spec: &'a RoleSpec) -> RoleModel<'a> {
        let policies = spec.policies();
        let keep =
            |statement: &Statement| statement.part.is_none_or(|part| spec.parts.contains(&part));
        let bind = |interp: &Interp| match interp
            .list_field()
            .and_then(|f| spec.list(f).map(|l| (f, l)))
        {
            Some((list_field, elements)) => elements
                .iter()
                .map(|element| {
                    interp.bind(|f| {
                        spec.scalar(f)
                            .or_else(|| (f == list_field).then_some(element.as_str()))
                    })
                })
                .collect(),
            None => vec![interp.bind(|f| spec.scalar(f))],
        };
        let permission_policy = policies.permission_policy.select_and_bind(keep, &bind);
        let trust_policy = policies.trust_policy.select_and_bind(|_| true, &bind);
        let mentioned: Vec<Field> = permission_policy
            .strings()
            .chain(trust_policy.strings())
            .flat_map(Interp::fields)
            .collect();
        let referenced: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|field| mentioned.contains(field))
            .collect();
        let parameters = referenced
            .iter()
            .copied()
            .filter(|field| !field.defaults_to_deployment())
            .collect();
        RoleModel {
            spec,
            permission_policy,
            trust_policy,
            parameters,
            referenced,
            data_source: OnceLock::new(),
        }
    }

    /// The spec's data source resolved against the role (its application, index and filled
    /// configuration), if the spec declares one.
    pub fn data_source(&self) -> Option<&Resolved<'a>> {
        self.data_source
            .get_or_init(|| {
                let spec = self.spec;
                spec.data_source.as_ref().and_then(|d| d.resolve(spec))
            })
            .as_ref()
    }

    /// Whether any string references `field` while it is open.
    pub fn references(&self, field: Field) -> bool {
        self.referenced.contains(&field)
    }

    /// The spec's name in PascalCase: `OrdersMysql`.
    pub fn pascal_name(&self) -> String {
        case::pascal(&self.spec.name)
    }

    /// The name of the role's inline permission policy.
    pub fn policy_name(&self) -> String {
        format!("{}-permissions", self.spec.name)
    }

    /// The description of the customer-managed policy that holds the permissions; `None`
    /// when they are the role's inline policy.
    pub fn managed_policy_description(&self) -> Option<String> {
        (self.spec.properties.policy == PolicyKind::Managed).then(|| {
            format!(
                "Permission policy of the {} connector role {}",
                self.spec.connector.id, self.spec.name
            )
        })
    }

    /// The checkov checks the role's documented permission policy fails by design: the
    /// connector's, for the parts the spec turns on.
    pub fn checkov_skips(&self) -> Vec<&'static CheckovSkip> {
        self.spec
            .connector
            .checkov_skips
            .iter()
            .filter(|skip| skip.part.is_none_or(|part| self.spec.parts.contains(&part)))
            .collect()
    }

    /// The role's description: the spec's, or a sentence naming the connector.
    pub fn description(&self) -> String {
        if let Some(description) = &self.spec.description {
            return description.clone();
        }
        let connector = self.spec.connector;
        format!(
            "Role {} assumes for the {} data source connector, as documented in \"{}\"",
            connector.service(),
            connector.id,
            self.spec.policies().title
        )
    }
}
