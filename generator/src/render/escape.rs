//! An askama escaper per output format, chosen by template extension in `askama.toml`.
//!
//! Each escaper writes a string so that it reads back as exactly itself inside that format's
//! double-quoted string literal (and, for TypeScript, inside any of its string literals and
//! template literals). Templates always print user values inside quotes.

use std::fmt::{self, Write};
use std::sync::LazyLock;

use askama::filters::Escaper;

/// YAML double-quoted scalars: `\`, `"`, and every non-printable character escaped.
#[derive(Debug, Clone, Copy, Default)]
pub struct Yaml;

/// TypeScript string and template literals: quotes, backticks, `\`, `$` and line
/// terminators escaped, so `${` never starts a substitution.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypeScript;

/// HCL quoted templates: `\`, `"`, control characters, and the template sequences `${` and
/// `%{` (written `$${` and `%%{`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Hcl;

/// Markdown text: the characters that start inline markup or table cells are
/// backslash-escaped, and line breaks become spaces.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

/// What an escaper writes in place of one character.
enum Replacement {
    /// Fixed text (`\n` for a line break).
    Text(&'static str),
    /// The character after a backslash.
    Backslashed(char),
    /// The character twice (HCL's `$${`).
    Doubled(char),
    /// `\u` and four hex digits.
    Hex4(char),
    /// `\u{...}`, the code point in hex.
    HexBraced(char),
}

/// Which characters an escaper replaces, and with what: `None` for a character that stands
/// for itself. It sees the character and the text after it.
type Replace = fn(char, &str) -> Option<Replacement>;

/// For each byte, whether a character starting with it may need escaping.
type Asked = [bool; 256];

/// The bytes `replace` may replace: every byte that starts a non-ASCII character, and each
/// ASCII character it replaces before some text or none. Derived from the rule itself, so the
/// table can never let through what the rule escapes.
fn asked(replace: Replace) -> Asked {
    let mut table = [false; 256];
    for (byte, asked) in table.iter_mut().enumerate() {
        *asked = match u8::try_from(byte) {
            Ok(ascii) if ascii.is_ascii() => {
                let c = char::from(ascii);
                ["", "{", "x"].iter().any(|rest| replace(c, rest).is_some())
            }
            _ => true,
        };
    }
    table
}

/// Writes `string` to `dest`, copying the runs of characters that need no escaping whole and
/// writing `replace`'s replacement for each character that does. `replace` is asked only
/// about the characters whose first byte `asked` marks.
fn write_escaped<W: Write>(
    mut dest: W,
    string: &str,
    asked: &Asked,
    replace: Replace,
) -> fmt::Result {
    let bytes = string.as_bytes();
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if !asked[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let c = string[i..]
            .chars()
            .next()
            .expect("i is at a character boundary");
        let next = i + c.len_utf8();
        if let Some(replacement) = replace(c, &string[next..]) {
            dest.write_str(&string[run..i])?;
            match replacement {
                Replacement::Text(text) => dest.write_str(text)?,
                Replacement::Backslashed(c) => {
                    dest.write_char('\\')?;
                    dest.write_char(c)?
                }
                Replacement::Doubled(c) => {
                    dest.write_char(c)?;
                    dest.write_char(c)?
                }
                Replacement::Hex4(c) => write!(dest, "\\u{:04x}", c as u32)?,
                Replacement::HexBraced(c) => write!(dest, "\\u{{{:x}}}", c as u32)?,
            }
            run = next;
        }
        i = next;
    }
    dest.write_str(&string[run..])
}

/// Implements [`Escaper`] for `$escaper` with its replacement rule `$replace`, the byte table
/// derived from the rule once.
macro_rules! escaper {
    ($escaper:ty, $replace:expr) => {
        impl Escaper for $escaper {
            fn write_escaped_str<W: Write>(&self, dest: W, string: &str) -> fmt::Result {
                static ASKED: LazyLock<Asked> = LazyLock::new(|| asked($replace));
                write_escaped(dest, string, &ASKED, $replace)
            }
        }
    };
}

escaper!(Yaml, |c, _| match c {
    '\\' => Some(Replacement::Text("\\\\")),
    '"' => Some(Replacement::Text("\\\"")),
    '\n' => Some(Replacement::Text("\\n")),
    '\t' => Some(Replacement::Text("\\t")),
    c if c.is_control()
        || matches!(
            c,
            '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
        ) =>
    {
        Some(Replacement::Hex4(c))
    }
    _ => None,
});

escaper!(TypeScript, |c, _| match c {
    '\\' | '\'' | '"' | '`' | '$' => Some(Replacement::Backslashed(c)),
    '\n' => Some(Replacement::Text("\\n")),
    '\r' => Some(Replacement::Text("\\r")),
    c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
        Some(Replacement::HexBraced(c))
    }
    _ => None,
});

escaper!(Hcl, |c, rest| match c {
    '\\' => Some(Replacement::Text("\\\\")),
    '"' => Some(Replacement::Text("\\\"")),
    '\n' => Some(Replacement::Text("\\n")),
    '\r' => Some(Replacement::Text("\\r")),
    '\t' => Some(Replacement::Text("\\t")),
    '$' | '%' if rest.starts_with('{') => Some(Replacement::Doubled(c)),
    c if c.is_control() => Some(Replacement::Hex4(c)),
    _ => None,
});

escaper!(Markdown, |c, _| match c {
    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
        Some(Replacement::Backslashed(c))
    }
    '\n' | '\r' => Some(Replacement::Text(" ")),
    _ => None,
});

/// An escaper's string literal: the quote that opens and closes it.
pub trait Quoted: Escaper {
    /// `"` or `'`.
    const QUOTE: char;
}

impl Quoted for Yaml {
    const QUOTE: char = '"';
}

impl Quoted for TypeScript {
    const QUOTE: char = '\'';
}

impl Quoted for Hcl {
    const QUOTE: char = '"';
}

/// `text` as a string literal of the escaper's format, quoted and escaped.
pub fn quoted<E: Quoted>(escaper: E, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    quote_into(&mut out, escaper, text);
    out
}

/// Appends [`quoted`]'s literal to `out`.
pub fn quote_into<E: Quoted>(out: &mut String, escaper: E, text: &str) {
    out.push(E::QUOTE);
    escape_into(out, escaper, text);
    out.push(E::QUOTE);
}

/// `value` escaped with `escaper`, for renderers that build code in Rust.
pub fn escaped(escaper: impl Escaper, value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    escape_into(&mut out, escaper, value);
    out
}

/// Appends `value`, escaped with `escaper`, to `out`.
pub fn escape_into(out: &mut String, escaper: impl Escaper, value: &str) {
    escaper
        .write_escaped_str(out, value)
        .expect("writing to a String cannot fail");
}

/// Appends `count` spaces.
pub fn spaces(out: &mut String, count: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = count;
    while left > 0 {
        let now = left.min(SPACES.len());
        out.push_str(&SPACES[..now]);
        left -= now;
    }
}
