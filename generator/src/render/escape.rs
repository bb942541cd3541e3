//! An askama escaper per output format, chosen by template extension in `askama.toml`.
//!
//! Each escaper writes a string so that it reads back as exactly itself inside that format's
//! double-quoted string literal (and, for TypeScript, inside any of its string literals and
//! template literals). Templates always print user values inside quotes.

use std::fmt::{self, Write};

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

impl Escaper for Yaml {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        for c in string.chars() {
            match c {
                '\\' => dest.write_str("\\\\")?,
                '"' => dest.write_str("\\\"")?,
                '\n' => dest.write_str("\\n")?,
                '\t' => dest.write_str("\\t")?,
                c if c.is_control()
                    || matches!(
                        c,
                        '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
                    ) =>
                {
                    write!(dest, "\\u{:04x}", c as u32)?
                }
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

impl Escaper for TypeScript {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        for c in string.chars() {
            match c {
                '\\' | '\'' | '"' | '`' | '$' => {
                    dest.write_char('\\')?;
                    dest.write_char(c)?
                }
                '\n' => dest.write_str("\\n")?,
                '\r' => dest.write_str("\\r")?,
                c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                    write!(dest, "\\u{{{:x}}}", c as u32)?
                }
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

impl Escaper for Hcl {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        let mut chars = string.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => dest.write_str("\\\\")?,
                '"' => dest.write_str("\\\"")?,
                '\n' => dest.write_str("\\n")?,
                '\r' => dest.write_str("\\r")?,
                '\t' => dest.write_str("\\t")?,
                '$' | '%' if chars.peek() == Some(&'{') => {
                    dest.write_char(c)?;
                    dest.write_char(c)?
                }
                c if c.is_control() => write!(dest, "\\u{:04x}", c as u32)?,
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

impl Escaper for Markdown {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        for c in string.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                    dest.write_char('\\')?;
                    dest.write_char(c)?
                }
                '\n' | '\r' => dest.write_char(' ')?,
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// `value` escaped with `escaper`, for renderers that build code in Rust.
pub fn escaped(escaper: impl Escaper, value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    escaper
        .write_escaped_str(&mut out, value)
        .expect("writing to a String cannot fail");
    out
}
