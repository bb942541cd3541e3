//! Interpolated strings: literal text and references to [`Field`]s.
//!
//! The catalog writes each documented string once, with the documentation's own
//! placeholders (`arn:{{partition}}:kms:{{region}}:{{account_id}}:key/[[key_id]]`);
//! [`Interp::parse`] turns it into pieces. Binding a spec's values replaces the references to
//! bound fields with their text, so a renderer only ever sees references to open fields and
//! prints each in its own idiom through [`Interp::render`].

use crate::model::field::Field;

/// One piece of an interpolated string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text, printed escaped for the target format.
    Text(String),
    /// A reference to a field: a scalar value, or one element of a list field.
    Ref(Field),
}

/// A string made of literal text and references.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interp {
    pieces: Vec<Piece>,
}

/// How a target format prints the two kinds of piece of an interpolated string.
pub trait Idiom {
    /// Appends literal `text`, escaped for the format's interpolated strings.
    fn text(&self, out: &mut String, text: &str);
    /// Appends a reference to the open `field` (one element, for a list field).
    fn reference(&self, out: &mut String, field: Field);
    /// Appends the whole string as an expression of the format (quoted, or a
    /// substitution). Defaults to the bare rendering.
    fn write_expression(&self, out: &mut String, interp: &Interp)
    where
        Self: Sized,
    {
        interp.render_into(out, self);
    }

    /// The whole string as an expression of the format.
    fn expression(&self, interp: &Interp) -> String
    where
        Self: Sized,
    {
        let mut out = String::new();
        self.write_expression(&mut out, interp);
        out
    }
}

impl Interp {
    /// Parses the documentation's placeholder syntax, `{{name}}` or `[[name]]`, where `name`
    /// is a field name or the documentation's own spelling (`[[security_group]]`).
    ///
    /// # Panics
    /// On an unknown placeholder: the catalog is static data and its tests parse all of it.
    pub fn parse(documented: &str) -> Interp {
        let mut pieces: Vec<Result<&str, Field>> = Vec::new();
        let mut rest = documented;
        while let Some(start) = rest.find(['{', '[']) {
            let close = if rest[start..].starts_with("{{") {
                "}}"
            } else if rest[start..].starts_with("[[") {
                "]]"
            } else {
                pieces.push(Ok(&rest[..=start]));
                rest = &rest[start + 1..];
                continue;
            };
            let end = rest[start..].find(close).expect("placeholder is closed") + start;
            let name = &rest[start + 2..end];
            let field = Field::from_name(name)
                .or_else(|| (name == "security_group").then_some(Field::SecurityGroupIds))
                .unwrap_or_else(|| panic!("unknown placeholder {name}"));
            pieces.push(Ok(&rest[..start]));
            pieces.push(Err(field));
            rest = &rest[end + 2..];
        }
        pieces.push(Ok(rest));
        Interp::joined(&pieces)
    }

    /// The pieces, text and references alternating.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The fields referenced, in order of appearance.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Ref(field) => Some(*field),
            Piece::Text(_) => None,
        })
    }

    /// The list field this string takes one element of, if any.
    pub fn list_field(&self) -> Option<Field> {
        self.fields().find(|field| field.is_list())
    }

    /// The text, when nothing is left open.
    pub fn as_literal(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Text(text)] => Some(text),
            _ => None,
        }
    }

    /// Replaces each reference for which `value` returns text by that text.
    pub fn bind<'v>(&self, value: impl Fn(Field) -> Option<&'v str>) -> Interp {
        let pieces: Vec<Result<&str, Field>> = self
            .pieces
            .iter()
            .map(|piece| match piece {
                Piece::Ref(field) => value(*field).ok_or(*field),
                Piece::Text(text) => Ok(text.as_str()),
            })
            .collect();
        Interp::joined(&pieces)
    }

    /// The string of `pieces` (text, or an open field), each run of text joined into one
    /// piece and empty text dropped, so a fully bound string is one piece.
    fn joined(pieces: &[Result<&str, Field>]) -> Interp {
        let mut joined: Vec<Piece> = Vec::with_capacity(pieces.len());
        for run in pieces.chunk_by(|a, b| a.is_ok() && b.is_ok()) {
            match run {
                [Err(field)] => joined.push(Piece::Ref(*field)),
                texts => {
                    let mut text =
                        String::with_capacity(texts.iter().flatten().map(|t| t.len()).sum());
                    texts.iter().flatten().for_each(|t| text.push_str(t));
                    if !text.is_empty() {
                        joined.push(Piece::Text(text));
                    }
                }
            }
        }
        Interp { pieces: joined }
    }

    /// Prints the string with `idiom`.
    pub fn render(&self, idiom: &impl Idiom) -> String {
        let mut out = String::new();
        self.render_into(&mut out, idiom);
        out
    }

    /// Appends the string, printed with `idiom`, to `out`.
    pub fn render_into(&self, out: &mut String, idiom: &impl Idiom) {
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => idiom.text(out, text),
                Piece::Ref(field) => idiom.reference(out, *field),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_placeholder_styles() {
        let interp =
            Interp::parse("arn:{{partition}}:kms:{{region}}:{{account_id}}:key/[[key_id]]");
        assert_eq!(
            interp.fields().collect::<Vec<_>>(),
            [
                Field::Partition,
                Field::Region,
                Field::AccountId,
                Field::KeyId
            ]
        );
    }

    #[test]
    fn binding_merges_text() {
        let interp = Interp::parse("arn:{{partition}}:s3:::{{input_bucket_name}}/*");
        let bound = interp.bind(|field| (field == Field::Partition).then_some("aws-cn"));
        assert_eq!(
            bound.pieces(),
            [
                Piece::Text("arn:aws-cn:s3:::".to_owned()),
                Piece::Ref(Field::InputBucketName),
                Piece::Text("/*".to_owned())
            ]
        );
        let all = bound.bind(|_| Some("b"));
        assert_eq!(all.as_literal(), Some("arn:aws-cn:s3:::b/*"));
    }

    #[test]
    fn single_braces_are_text() {
        let interp = Interp::parse("a{b[c");
        assert_eq!(interp.as_literal(), Some("a{b[c"));
    }
}
