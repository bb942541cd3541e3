//! Checks a parsed [`Declaration`] and turns it into a [`RoleSpec`], every error spanned on
//! the token at fault.
//!
//! The field rules themselves live in [`spec::Builder`](crate::spec::Builder), shared with
//! the JSON spec; this module checks what only the Rust syntax can get wrong (unknown,
//! duplicate and missing fields, a value of the wrong kind) and maps each error of the
//! builder back to the span of the value it names. Every problem is reported, not just the
//! first.

use proc_macro2::Span;
use syn::{LitInt, LitStr};

use crate::front::rust::checker::{
    CONNECTOR, Checker, DATA_SOURCE, DESCRIPTION, INCLUDE, MAX_SESSION_DURATION, NAME, PATH,
    PERMISSIONS_BOUNDARY, POLICY, REVISION, ROLE_NAME, TAGS, VPC, unknown,
};
use crate::front::rust::parse::{Declaration, Declarations};
use crate::model::case;
use crate::model::catalog::Part;
use crate::model::field::Field;
use crate::spec::{Builder, DataSourceInput, RoleSpec};

/// Checks every role of an invocation; spec names must differ, since each names a folder.
pub fn check_all(
    declarations: &Declarations,
) -> Result<Vec<(RoleSpec, &Declaration)>, Vec<syn::Error>> {
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    for declaration in &declarations.roles {
        match check(declaration) {
            Ok(spec) => {
                if specs
                    .iter()
                    .any(|(other, _): &(RoleSpec, _)| other.name == spec.name)
                {
                    errors.push(syn::Error::new(
                        declaration.ident.span(),
                        format!(
                            "a role named `{}` is already declared; give each role its own `name`",
                            spec.name
                        ),
                    ));
                }
                specs.push((spec, declaration));
            }
            Err(mut more) => errors.append(&mut more),
        }
    }
    if errors.is_empty() {
        Ok(specs)
    } else {
        Err(errors)
    }
}

/// Checks one role.
pub fn check(declaration: &Declaration) -> Result<RoleSpec, Vec<syn::Error>> {
    let mut checker = Checker::default();
    let mut connector = None;
    let mut name = None;
    let mut role_name = None;
    let mut description = None;
    let mut revision = None;
    let mut properties = Properties::default();
    let mut include = None;
    let mut scalars = Vec::new();
    let mut vpc = None;
    let mut data_source = None;
    for entry in &declaration.fields {
        if !checker.first(&entry.key, "") {
            continue;
        }
        let key = entry.key.to_string();
        match key.as_str() {
            CONNECTOR => connector = checker.connector(entry),
            NAME => name = checker.string(entry, "name: \"orders-mysql\""),
            ROLE_NAME => {
                role_name =
                    checker.string(entry, "role_name: \"QBusinessOrdersMySqlConnectorRole\"")
            }
            DESCRIPTION => {
                description = checker.string(entry, "description: \"Role for the orders database\"")
            }
            REVISION => revision = checker.string(entry, "revision: \"application-and-index\""),
            PATH => properties.path = checker.string(entry, "path: \"/connectors/\""),
            TAGS => properties.tags = checker.tags(entry, TAGS),
            PERMISSIONS_BOUNDARY => {
                properties.permissions_boundary = checker.string(
                    entry,
                    "permissions_boundary: \"arn:aws:iam::111122223333:policy/QBusinessBoundary\"",
                )
            }
            MAX_SESSION_DURATION => {
                properties.max_session_duration =
                    checker.integer(entry, "max_session_duration: 7200")
            }
            POLICY => {
                properties.policy =
                    checker.word(entry, "inline or managed, as in `policy: managed`")
            }
            INCLUDE => include = checker.list(entry, "include: [\"secret\"]"),
            VPC => vpc = checker.vpc(entry),
            DATA_SOURCE => data_source = checker.data_source(entry),
            _ => match Field::from_name(&key) {
                Some(field) if field.is_list() => checker.error(
                    entry.key.span(),
                    format!(
                        "`{key}` belongs inside `vpc: {{ {key}: [\"{}\"] }}`",
                        field.rule().example
                    ),
                ),
                Some(field) => {
                    let example = format!("{key}: \"{}\"", field.rule().example);
                    if let Some(lit) = checker.string(entry, &example) {
                        scalars.push((key, lit));
                    }
                }
                None => checker.error(entry.key.span(), unknown(&key, &top_level_fields())),
            },
        }
    }
    if connector.is_none() && !checker.seen.iter().any(|k| k == CONNECTOR) {
        checker.error(
            declaration.ident.span(),
            "missing field `connector`, as in `connector: rds_mysql`".into(),
        );
    }
    let Some((connector, connector_span)) = connector else {
        return Err(checker.errors);
    };
    checker.spans.push((CONNECTOR.into(), connector_span));

    let spec_name = match &name {
        Some(lit) => {
            checker.spans.push((NAME.into(), lit.span()));
            lit.value()
        }
        None => {
            checker.spans.push((NAME.into(), declaration.ident.span()));
            case::kebab(&declaration.ident.to_string())
        }
    };
    let mut builder = Builder::new(
        &connector,
        &spec_name,
        role_name.as_ref().map(LitStr::value).as_deref(),
    );
    if let Some(lit) = &role_name {
        checker.spans.push((ROLE_NAME.into(), lit.span()));
    }
    match (&description, declaration.doc()) {
        (Some(lit), _) => {
            checker.spans.push((DESCRIPTION.into(), lit.span()));
            builder.description(DESCRIPTION, &lit.value());
        }
        (None, Some(doc)) => {
            let span = declaration
                .attrs
                .first()
                .map_or_else(|| declaration.ident.span(), |a| a.pound_token.span);
            checker.spans.push((DESCRIPTION.into(), span));
            builder.description(DESCRIPTION, &doc);
        }
        (None, None) => {}
    }
    if let Some(lit) = &revision {
        checker.spans.push((REVISION.into(), lit.span()));
        builder.revision(REVISION, &lit.value());
    }
    properties.build(&mut builder, &mut checker);
    for (key, lit) in &scalars {
        checker.spans.push((key.clone(), lit.span()));
        builder.scalar(key, key, &lit.value());
    }
    for (i, lit) in include.iter().flatten().enumerate() {
        let path = format!("{INCLUDE}[{i}]");
        checker.spans.push((path.clone(), lit.span()));
        builder.include(&path, &lit.value());
    }
    if let Some(lists) = vpc {
        checker
            .spans
            .push((VPC.into(), declaration_key_span(declaration, VPC)));
        builder.part(Part::Vpc);
        for (field, items, span) in lists {
            let path = format!("{VPC}.{field}");
            for (i, item) in items.iter().enumerate() {
                checker.spans.push((format!("{path}[{i}]"), item.span()));
            }
            checker.spans.push((path.clone(), span));
            let values: Vec<String> = items.iter().map(LitStr::value).collect();
            builder.list(&path, field, &values);
        }
    }
    if let Some(block) = data_source {
        checker.spans.push((
            DATA_SOURCE.into(),
            declaration_key_span(declaration, DATA_SOURCE),
        ));
        let text = |field: &str| {
            block
                .strings
                .iter()
                .find(|(name, _)| *name == field)
                .map(|(_, lit)| lit.value())
        };
        for (field, lit) in &block.strings {
            checker
                .spans
                .push((format!("{DATA_SOURCE}.{field}"), lit.span()));
        }
        if let Some((_, span)) = &block.variant {
            checker
                .spans
                .push((format!("{DATA_SOURCE}.variant"), *span));
        }
        let tags: Vec<(String, String)> = block
            .tags
            .iter()
            .map(|(key, value)| {
                let path = format!("{DATA_SOURCE}.tags.{}", key.value());
                checker
                    .literal_spans
                    .push((path.clone(), key.value(), key.span()));
                checker.spans.push((path, value.span()));
                (key.value(), value.value())
            })
            .collect();
        let configuration = match &block.configuration {
            Some(json) => {
                json.spans(&format!("{DATA_SOURCE}.configuration"), &mut checker.spans);
                json.to_value().as_object().cloned().unwrap_or_default()
            }
            None => serde_json::Map::new(),
        };
        let (display_name, description, sync_schedule) = (
            text("display_name"),
            text("description"),
            text("sync_schedule"),
        );
        builder.data_source(DataSourceInput {
            display_name: display_name.as_deref(),
            description: description.as_deref(),
            sync_schedule: sync_schedule.as_deref(),
            variant: block.variant.as_ref().map(|(name, _)| name.as_str()),
            tags: tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
            configuration,
        });
    }
    match builder.finish() {
        Ok(spec) if checker.errors.is_empty() => Ok(spec),
        Ok(_) => Err(checker.errors),
        Err(spec_errors) => {
            checker.spec_errors(spec_errors, declaration.ident.span());
            Err(checker.errors)
        }
    }
}

/// The role properties of a declaration, as written.
#[derive(Default)]
struct Properties {
    path: Option<LitStr>,
    tags: Option<Vec<(LitStr, LitStr)>>,
    permissions_boundary: Option<LitStr>,
    max_session_duration: Option<LitInt>,
    policy: Option<(String, Span)>,
}

impl Properties {
    /// Hands each property to the builder, recording where it was written.
    fn build(self, builder: &mut Builder, checker: &mut Checker) {
        if let Some(lit) = self.path {
            checker.spans.push((PATH.into(), lit.span()));
            builder.path(PATH, &lit.value());
        }
        let tags = self.tags.unwrap_or_default();
        if !builder.tags_fit(TAGS, tags.len()) {
            return;
        }
        for (key, value) in tags {
            let path = format!("{TAGS}.{}", key.value());
            checker
                .literal_spans
                .push((path.clone(), key.value(), key.span()));
            checker.spans.push((path.clone(), value.span()));
            builder.tag(&path, &key.value(), &value.value());
        }
        if let Some(lit) = self.permissions_boundary {
            checker
                .spans
                .push((PERMISSIONS_BOUNDARY.into(), lit.span()));
            builder.permissions_boundary(PERMISSIONS_BOUNDARY, &lit.value());
        }
        if let Some(lit) = self.max_session_duration {
            checker
                .spans
                .push((MAX_SESSION_DURATION.into(), lit.span()));
            match lit.base10_parse::<u64>() {
                Ok(seconds) => builder.max_session_duration(MAX_SESSION_DURATION, seconds),
                Err(_) => checker.error(
                    lit.span(),
                    "expected a whole number of seconds, as in `max_session_duration: 7200`".into(),
                ),
            }
        }
        if let Some((kind, span)) = self.policy {
            checker.spans.push((POLICY.into(), span));
            builder.policy(POLICY, &kind);
        }
    }
}

fn top_level_fields() -> Vec<&'static str> {
    let scalars = Field::ALL
        .into_iter()
        .filter(|f| !f.is_list())
        .map(Field::name);
    [
        CONNECTOR,
        NAME,
        ROLE_NAME,
        DESCRIPTION,
        PATH,
        TAGS,
        PERMISSIONS_BOUNDARY,
        MAX_SESSION_DURATION,
        POLICY,
        REVISION,
    ]
    .into_iter()
    .chain(scalars)
    .chain([INCLUDE, VPC, DATA_SOURCE])
    .collect()
}

/// The span of the key `key` of `declaration`, or of its name when absent.
fn declaration_key_span(declaration: &Declaration, key: &str) -> Span {
    declaration
        .fields
        .iter()
        .find(|entry| entry.key == key)
        .map_or_else(|| declaration.ident.span(), |entry| entry.key.span())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Declarations {
        syn::parse_str(text).expect("parses")
    }

    fn messages(text: &str) -> Vec<String> {
        check_all(&parse(text))
            .map(|_| ())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_full_declaration_gives_the_json_spec() {
        let declarations = parse(
            r#"
            /// Role for the orders database.
            pub OrdersMySql {
                connector: rds_mysql,
                name: "orders-mysql",
                role_name: "QBusinessOrdersMySqlConnectorRole",
                account_id: "111122223333",
                vpc: { subnet_ids: ["subnet-0123456789abcdef0"], security_group_ids: ["sg-0123456789abcdef0"] },
            }
            Open { connector: "rds-mysql" }
            "#,
        );
        let specs = check_all(&declarations).unwrap();
        let (orders, _) = &specs[0];
        assert_eq!(orders.name, "orders-mysql");
        assert_eq!(
            orders.description.as_deref(),
            Some("Role for the orders database.")
        );
        assert_eq!(orders.scalar(Field::AccountId), Some("111122223333"));
        assert_eq!(
            orders.list(Field::SubnetIds).unwrap(),
            ["subnet-0123456789abcdef0"]
        );
        assert_eq!(specs[1].0.name, "open");
        assert!(specs[1].0.parts.is_empty());
    }

    #[test]
    fn every_mistake_is_reported() {
        let errors = messages(
            r#"Orders {
                connector: rds_mysql,
                account_id: "12345",
                acount_id: "111122223333",
                region: "us-east-1",
                region: "us-east-2",
                vpc: { subnet_ids: ["subnet-xyz"] },
            }"#,
        );
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(
            errors[0].starts_with("unknown field `acount_id`"),
            "{errors:#?}"
        );
        assert_eq!(errors[1], "duplicate field `region`");
        assert!(
            errors[2].starts_with("invalid `account_id`: \"12345\" must be a 12-digit"),
            "{errors:#?}"
        );
        assert!(
            errors[3].starts_with("invalid `vpc.subnet_ids[0]`: \"subnet-xyz\""),
            "{errors:#?}"
        );
    }

    #[test]
    fn missing_connector_and_wrong_kinds() {
        let character = syn::parse_str::<Declarations>("Orders { account_id: 'c' }");
        let message = character.err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some(
                "expected a string literal, a number, an identifier, a list `[...]` or a block `{ ... }`"
            )
        );
        assert_eq!(
            messages("Orders { connector: rds_mysql, account_id: 1.5 }"),
            ["expected a string literal, as in `account_id: \"111122223333\"`"]
        );
        assert_eq!(
            messages("Orders { connector: rds_mysql, account_id: 111122223333 }"),
            ["expected a string literal, as in `account_id: \"111122223333\"`"]
        );
        let errors = messages(r#"Orders { account_id: orders, subnet_ids: [] }"#);
        assert_eq!(
            errors,
            [
                "expected a string literal, as in `account_id: \"111122223333\"`",
                "`subnet_ids` belongs inside `vpc: { subnet_ids: [\"subnet-0123456789abcdef0\"] }`",
                "missing field `connector`, as in `connector: rds_mysql`",
            ]
        );
    }

    #[test]
    fn role_names_must_differ() {
        let errors = messages(
            "A { connector: rds_mysql, name: \"x\" } B { connector: rds_mysql, name: \"x\" }",
        );
        assert_eq!(
            errors,
            ["a role named `x` is already declared; give each role its own `name`"]
        );
    }
}
