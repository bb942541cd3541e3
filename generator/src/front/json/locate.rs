//! Where in a JSON spec a field is, so an error can point at `file:line:column`: the text
//! parsed once more, with positions, by `jsonc-parser`.

use jsonc_parser::ast::Value;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

/// The 1-based line and column of the value at each of `paths` (`values.account_id`,
/// `vpc.subnet_ids[0]`) in `text`, or of the deepest part of the path that exists; `None`
/// for every path when `text` is not JSON. The text is parsed once and walked once, so many
/// errors in a large spec cost no more than one.
pub(super) fn locate_all(text: &str, paths: &[&str]) -> Vec<Option<(usize, usize)>> {
    let Ok(parsed) = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
    else {
        return vec![None; paths.len()];
    };
    let Some(root) = parsed.value else {
        return vec![None; paths.len()];
    };
    let offsets: Vec<usize> = paths.iter().map(|path| offset(&root, path)).collect();
    // Line and column of every offset in one pass over the text, in offset order.
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut located = vec![None; paths.len()];
    let (mut line, mut column) = (1, 1);
    let mut chars = text.char_indices().peekable();
    for i in order {
        while let Some(&(index, c)) = chars.peek() {
            if index >= offsets[i] {
                break;
            }
            if c == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
            chars.next();
        }
        located[i] = Some((line, column));
    }
    located
}

/// The byte offset of the value at `path` under `root`, or of the deepest part that exists.
/// A path may end in a JSON pointer into a value the user wrote freely
/// (`data_source.configuration/additionalProperties/sqlQuery`).
fn offset(root: &Value<'_>, path: &str) -> usize {
    let (dotted, pointer) = path.split_once('/').unwrap_or((path, ""));
    let (mut node, mut offset) = walk_dotted(root, dotted);
    for token in pointer.split('/').filter(|_| !pointer.is_empty()) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let next = match node {
            Value::Object(object) => object
                .properties
                .iter()
                .find(|p| p.name.as_str() == token)
                .map(|p| &p.value),
            Value::Array(array) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| array.elements.get(i)),
            _ => None,
        };
        let Some(next) = next else { break };
        node = next;
        offset = node.start();
    }
    offset
}

/// The value at the dotted `path` (`vpc.subnet_ids[1]`) and its offset, or the deepest part
/// that exists.
fn walk_dotted<'a, 'b>(root: &'a Value<'b>, path: &str) -> (&'a Value<'b>, usize) {
    let mut node = root;
    let mut offset = node.start();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Value::Object(object) = node else { break };
        let Some(property) = object.properties.iter().find(|p| p.name.as_str() == key) else {
            break;
        };
        offset = property.value.start();
        node = &property.value;
        if let (Some(index), Value::Array(array)) = (index, node)
            && let Some(element) = array.elements.get(index)
        {
            offset = element.start();
            node = element;
        }
    }
    (node, offset)
}

#[cfg(test)]
mod tests {
    use super::locate_all;

    #[test]
    fn points_at_values_and_elements() {
        let text = "{\n  \"values\": {\n    \"account_id\": \"12345\"\n  },\n  \"vpc\": { \"subnet_ids\": [\"a\", \"b\"] }\n}";
        assert_eq!(
            locate_all(
                text,
                &["values.account_id", "vpc.subnet_ids[1]", "values.missing"]
            ),
            [Some((3, 19)), Some((5, 32)), Some((2, 13))]
        );
        let text = "{\"data_source\": {\"configuration\": {\"a/b\": [1, {\"c\": true}]}}}";
        assert_eq!(
            locate_all(
                text,
                &[
                    "data_source.configuration/a~1b/1/c",
                    "data_source.configuration/a~1b/7",
                    "data_source.configuration"
                ]
            ),
            [Some((1, 53)), Some((1, 43)), Some((1, 35))]
        );
        assert_eq!(locate_all("{", &["a"]), [None]);
    }
}
