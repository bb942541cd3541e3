//! Where in a JSON spec a field is, so an error can point at `file:line:column`.

use jsonc_parser::ast::Value;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

/// The 1-based line and column of the value at each of `paths` (`values.account_id`,
/// `vpc.subnet_ids[0]`) in `text`, or of the deepest part of the path that exists; `None`
/// for every path when `text` is not JSON. The text is parsed once and walked once, so many
/// errors in a large spec cost no more than one.
pub fn locate_all(text: &str, paths: &[&str]) -> Vec<Option<(usize, usize)>> {
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
fn offset(root: &Value<'_>, path: &str) -> usize {
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
        }
    }
    offset
}

/// The widest part of a source line an excerpt shows.
const EXCERPT: usize = 100;

/// The source line `line` with a caret under `column`, as compilers show it; a long line is
/// cut to the [`EXCERPT`] characters around the column, `…` marking each cut.
pub fn excerpt(text: &str, line: usize, column: usize) -> String {
    let source = text.lines().nth(line - 1).unwrap_or_default();
    let width = source.chars().count();
    let (start, caret) = if width <= EXCERPT {
        (0, column - 1)
    } else {
        let start = (column - 1)
            .saturating_sub(EXCERPT / 2)
            .min(width - EXCERPT);
        (start, column - 1 - start)
    };
    let mut shown: String = source.chars().skip(start).take(EXCERPT).collect();
    let mut caret = caret;
    if start > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if start + EXCERPT < width {
        shown.push('…');
    }
    let gutter = " ".repeat(line.to_string().len());
    format!(
        "{gutter} |\n{line} | {shown}\n{gutter} | {}^",
        " ".repeat(caret)
    )
}

#[cfg(test)]
mod tests {
    use super::{excerpt, locate_all};

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
        assert_eq!(locate_all("{", &["a"]), [None]);
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let shown = excerpt(&line, 1, 501);
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[1].chars().count() < 120, "{shown}");
        let caret = lines[2].chars().count() - 1;
        assert_eq!(lines[1].chars().nth(caret), Some('X'), "{shown}");
    }
}
