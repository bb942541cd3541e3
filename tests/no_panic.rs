//! No input makes the parsers panic or exhaust the stack: arbitrary token streams through
//! the `connector_role!` parser and checker (as the CLI reads `.rs` files), arbitrary JSON
//! documents through the spec reader, and deep and long inputs through the `.rs`, JSON spec
//! and `audit` readers (YAML and JSON templates, Terraform JSON). Every outcome is a spec, a
//! report or a typed error.

use connector_roles::{RoleSpec, source};
use proptest::prelude::*;
use serde_json::Value;

/// Tokens a declaration is made of, and some it must not contain.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "pub",
            "pub(crate)",
            "Orders",
            "connector",
            "rds_mysql",
            "name",
            "role_name",
            "description",
            "account_id",
            "region",
            "source_account",
            "application_id",
            "partition",
            "vpc",
            "subnet_ids",
            "security_group_ids",
            "revision",
            "path",
            "tags",
            "\"Team\"",
            "permissions_boundary",
            "max_session_duration",
            "7200",
            "18446744073709551616",
            "1.5",
            "policy",
            "managed",
            ":",
            ",",
            "{",
            "}",
            "[",
            "]",
            "(",
            ")",
            "///",
            "#",
            "!",
            "=",
            "\n",
        ])
        .prop_map(str::to_owned),
        "\"[ -~]{0,20}\"",
        "[a-z_]{1,12}",
        "[0-9]{1,14}",
        any::<String>(),
    ]
}

/// JSON documents shaped like specs, with arbitrary values at every level.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[ -~]{0,30}".prop_map(Value::from),
        prop::sample::select(vec![
            "rds-mysql",
            "111122223333",
            "us-east-1",
            "subnet-0123456789abcdef0",
            "managed",
            "/connectors/",
            "arn:aws:iam::111122223333:policy/Boundary",
            "aws-cn"
        ])
        .prop_map(Value::from),
    ];
    let key = prop_oneof![
        prop::sample::select(vec![
            "connector",
            "name",
            "role_name",
            "description",
            "values",
            "vpc",
            "account_id",
            "region",
            "partition",
            "subnet_ids",
            "security_group_ids",
            "source_account",
            "path",
            "tags",
            "permissions_boundary",
            "max_session_duration",
            "policy",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,10}",
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn token_streams_never_panic(tokens in prop::collection::vec(token(), 0..40)) {
        let source = format!("connector_role! {{ {} }}", tokens.join(" "));
        let _ = source::roles(&source);
        let _ = source::roles(&tokens.join(" "));
    }

    #[test]
    fn json_documents_never_panic(document in json()) {
        let _ = RoleSpec::from_json(&document.to_string());
        let mut spec = serde_json::json!({ "connector": "rds-mysql", "name": "fuzz" });
        if let Value::Object(fields) = &document {
            for (key, value) in fields {
                spec[key] = value.clone();
            }
        }
        if let Ok(spec) = RoleSpec::from_json(&spec.to_string()) {
            connector_roles::render(&spec, &connector_roles::Format::ALL).expect("a valid spec renders");
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = RoleSpec::from_json(&text);
        let _ = source::roles(&text);
    }
}

/// Text nested `depth` levels deep in one of the readers' syntaxes, `width` items wide.
fn deep(kind: usize, depth: usize, width: usize) -> String {
    let items = |item: &str| vec![item; width].join(", ");
    match kind {
        0 => format!("{}{}", "mod m { ".repeat(depth), "}".repeat(depth)),
        1 => format!(
            "fn f() {{ let x = {}1{}; }}",
            "(".repeat(depth),
            ")".repeat(depth)
        ),
        2 => format!("{}{}{}", "[".repeat(depth), items("1"), "]".repeat(depth)),
        3 => format!("{}x\n", "- ".repeat(depth)),
        4 => (0..depth)
            .map(|level| format!("{}k{level}:\n", " ".repeat(level)))
            .collect(),
        _ => format!(
            "{{\"values\": {{\"root_module\": {}{}{}}}}}",
            "{\"a\": [".repeat(depth),
            items("{}"),
            "]}".repeat(depth)
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn deep_and_long_inputs_never_crash(kind in 0..6usize, depth in 0..10_000usize, width in 0..1_000usize) {
        let text = deep(kind, depth, width);
        let _ = source::roles(&text);
        let _ = RoleSpec::from_json(&text);
        let spec = RoleSpec::from_json(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/specs/orders-mysql.json")).unwrap(),
        )
        .unwrap();
        let sources = [connector_roles::audit::Source { name: "input", text: &text }];
        let _ = connector_roles::audit::audit(&spec, &sources, &Default::default());
    }
}
