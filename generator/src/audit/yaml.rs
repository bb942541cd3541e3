//! CloudFormation's YAML read into the JSON form of a template: each short-form tag becomes
//! its long form (`!Sub x` is `{"Fn::Sub": x}`, `!Ref x` is `{"Ref": x}`, `!GetAtt a.b` is
//! `{"Fn::GetAtt": ["a", "b"]}`). Scalars stay strings, as CloudFormation reads a policy's
//! values; an empty scalar is `null`.

use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The deepest nesting of sequences and mappings read; a CloudFormation template nests
/// about ten levels deep.
pub const MAX_DEPTH: usize = 128;

/// Reads the first document of `text`; past [`MAX_DEPTH`] levels of nesting, an error
/// naming the line, so that no input can exhaust the stack.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut parser = Parser::new_from_str(text);
    loop {
        match next(&mut parser)? {
            (Event::StreamEnd, _) => return Err("the file holds no YAML document".to_owned()),
            (Event::StreamStart | Event::DocumentStart, _) => {}
            (event, mark) => return node(&mut parser, event, mark, 0),
        }
    }
}

fn next(parser: &mut Parser<std::str::Chars<'_>>) -> Result<(Event, Marker), String> {
    parser.next_token().map_err(|e| e.to_string())
}

/// The value that starts with `event`, `depth` levels down, read to its end.
fn node(
    parser: &mut Parser<std::str::Chars<'_>>,
    event: Event,
    mark: Marker,
    depth: usize,
) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "line {}: nested more than {MAX_DEPTH} levels deep",
            mark.line()
        ));
    }
    let (value, tag) = match event {
        Event::Scalar(text, style, _, tag) => {
            // As CloudFormation reads YAML: an empty plain scalar is null, and a plain one
            // that is JSON's `true`, `false`, `null` or a number (no leading zeros, so an
            // account ID written `012345678901` stays text) is that value; a policy reads
            // them back as text (`grant`), a data source's configuration keeps them.
            let typed = (style == TScalarStyle::Plain && tag.is_none())
                .then(|| serde_json::from_str::<Value>(&text).ok())
                .flatten()
                .filter(|value| matches!(value, Value::Bool(_) | Value::Number(_) | Value::Null));
            let value = if text.is_empty() && style == TScalarStyle::Plain && tag.is_none() {
                Value::Null
            } else {
                typed.unwrap_or(Value::String(text))
            };
            (value, tag)
        }
        Event::SequenceStart(_, tag) => {
            let mut items = Vec::new();
            loop {
                match next(parser)? {
                    (Event::SequenceEnd, _) => break,
                    (event, mark) => items.push(node(parser, event, mark, depth + 1)?),
                }
            }
            (Value::Array(items), tag)
        }
        Event::MappingStart(_, tag) => {
            let mut map = Map::new();
            loop {
                let key = match next(parser)? {
                    (Event::MappingEnd, _) => break,
                    (event, mark) => node(parser, event, mark, depth + 1)?,
                };
                let Value::String(key) = key else {
                    return Err(format!(
                        "line {}: mapping keys must be strings",
                        mark.line()
                    ));
                };
                let (event, mark) = next(parser)?;
                map.insert(key, node(parser, event, mark, depth + 1)?);
            }
            (Value::Object(map), tag)
        }
        Event::Alias(_) => {
            return Err(format!(
                "line {}: CloudFormation templates cannot use YAML aliases",
                mark.line()
            ));
        }
        other => return Err(format!("line {}: unexpected {other:?}", mark.line())),
    };
    long_form(tag, value, mark)
}

/// The long form of a value under a short-form tag.
fn long_form(tag: Option<Tag>, value: Value, mark: Marker) -> Result<Value, String> {
    let Some(tag) = tag else {
        return Ok(value);
    };
    if tag.handle != "!" {
        return Err(format!(
            "line {}: unknown tag {}{}",
            mark.line(),
            tag.handle,
            tag.suffix
        ));
    }
    let wrapped = |key: String, value| Value::Object(Map::from_iter([(key, value)]));
    Ok(match tag.suffix.as_str() {
        "Ref" | "Condition" => wrapped(tag.suffix, value),
        "GetAtt" => {
            let value = match value {
                Value::String(text) => match text.split_once('.') {
                    Some((resource, attribute)) => {
                        Value::Array(vec![resource.into(), attribute.into()])
                    }
                    None => Value::String(text),
                },
                other => other,
            };
            wrapped("Fn::GetAtt".to_owned(), value)
        }
        name => wrapped(format!("Fn::{name}"), value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_forms_become_long_forms() {
        let text = "A: !Sub \"arn:${AWS::Partition}:s3:::b\"\nB: !GetAtt Role.Arn\nC:\n  - !Ref X\n  - !If [Cond, 1, !Ref AWS::NoValue]\nD:\nE: 111122223333\nF: 012345678901\nG: true\nH: \"true\"\n";
        assert_eq!(
            parse(text).unwrap(),
            json!({
                "A": { "Fn::Sub": "arn:${AWS::Partition}:s3:::b" },
                "B": { "Fn::GetAtt": ["Role", "Arn"] },
                "C": [{ "Ref": "X" }, { "Fn::If": ["Cond", 1, { "Ref": "AWS::NoValue" }] }],
                "D": null,
                "E": 111122223333_u64,
                "F": "012345678901",
                "G": true,
                "H": "true"
            })
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}x\n", "- ".repeat(10_000));
        let error = parse(&deep).unwrap_err();
        assert_eq!(error, "line 1: nested more than 128 levels deep");
        let mut indented = String::new();
        for level in 0..200 {
            indented.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        assert!(
            parse(&indented)
                .unwrap_err()
                .contains("nested more than 128 levels deep")
        );
        assert!(parse(&format!("{}x\n", "- ".repeat(100))).is_ok());
    }

    #[test]
    fn aliases_and_foreign_tags_are_errors() {
        assert!(parse("a: &x 1\nb: *x\n").is_err());
        assert!(parse("a: !!binary abc\n").is_err());
        assert!(parse("").is_err());
    }
}
