//! Where in a JSON spec a field is, so an error can point at `file:line:column`.

use jsonc_parser::ast::Value;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

/// The 1-based line and column of the value at `path` (`values.account_id`,
/// `vpc.subnet_ids[0]`) in `text`, or of the deepest part of the path that exists.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let parsed = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()).ok()?;
    let mut node = parsed.value?;
    let mut offset = node.start();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Value::Object(object) = node else { break };
        let Some(property) = object
            .properties
            .into_iter()
            .find(|p| p.name.as_str() == key)
        else {
            break;
        };
        offset = property.value.start();
        node = property.value;
        if let (Some(index), Value::Array(array)) = (index, &node)
            && let Some(element) = array.elements.get(index)
        {
            offset = element.start();
        }
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// The source line `line` with a caret under `column`, as compilers show it.
pub fn excerpt(text: &str, line: usize, column: usize) -> String {
    let source = text.lines().nth(line - 1).unwrap_or_default();
    let gutter = " ".repeat(line.to_string().len());
    format!(
        "{gutter} |\n{line} | {source}\n{gutter} | {}^",
        " ".repeat(column - 1)
    )
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn points_at_values_and_elements() {
        let text = "{\n  \"values\": {\n    \"account_id\": \"12345\"\n  },\n  \"vpc\": { \"subnet_ids\": [\"a\", \"b\"] }\n}";
        assert_eq!(locate(text, "values.account_id"), Some((3, 19)));
        assert_eq!(locate(text, "vpc.subnet_ids[1]"), Some((5, 32)));
        assert_eq!(locate(text, "values.missing"), Some((2, 13)));
    }
}
