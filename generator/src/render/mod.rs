//! One renderer per target format, each printing a [`RoleModel`](crate::spec::role::RoleModel), or
//! the roles of a stack, as one [`Unit`] of output ([`names`] says how the roles' names are
//! kept apart).
//!
//! Renderers share everything but their idiom: the model decides what is bound and what is
//! open, [`Interp::render`](crate::model::interp::Interp::render) walks each string, and a
//! renderer only says how its format writes literal text and a reference. Templates live in
//! `generator/templates/`; `askama.toml` gives each extension an escaper of its own
//! ([`escape`]).

pub mod cdk;
pub mod cdk_project;
pub mod cdk_test;
pub mod cloudformation;
pub mod escape;
pub mod json;
pub mod names;
pub mod terraform;

use std::fmt;
use std::str::FromStr;

use crate::error::RenderError;
use crate::spec::RoleSpec;
use names::Unit;

/// A target format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// A CloudFormation YAML template.
    CloudFormation,
    /// An AWS CDK TypeScript app with the role as a construct.
    Cdk,
    /// A Terraform module.
    Terraform,
    /// The two policy documents as JSON.
    Json,
}

impl Format {
    /// Every format, in output order.
    pub const ALL: [Format; 4] = [
        Format::CloudFormation,
        Format::Cdk,
        Format::Terraform,
        Format::Json,
    ];

    /// The format's name on the command line, which is also its output folder's name for
    /// all but JSON (written to `policy/`).
    pub fn name(self) -> &'static str {
        match self {
            Format::CloudFormation => "cloudformation",
            Format::Cdk => "cdk",
            Format::Terraform => "terraform",
            Format::Json => "json",
        }
    }

    /// The folder of the output its files are written to (`policy` for JSON).
    pub fn folder(self) -> &'static str {
        match self {
            Format::Json => "policy",
            other => other.name(),
        }
    }

    /// Whether the artifact at `path` (`NAME/FOLDER/...`) is of this format.
    pub fn holds(self, path: &str) -> bool {
        path.split('/').nth(1) == Some(self.folder())
    }

    fn render(self, unit: &Unit<'_>) -> Result<Vec<Artifact>, RenderError> {
        match self {
            Format::CloudFormation => cloudformation::render(unit),
            Format::Cdk => cdk::render(unit),
            Format::Terraform => terraform::render(unit),
            Format::Json => Ok(json::render(unit)),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|format| format.name() == s)
            .ok_or_else(|| {
                format!("unknown format {s:?} (expected cloudformation, cdk, terraform or json)")
            })
    }
}

/// One generated file: its path relative to the output folder and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// `NAME/cloudformation/template.yaml` and the like, with `/` separators.
    pub path: String,
    /// The file's text.
    pub contents: String,
}

/// The artifacts as text: one artifact is its contents; several are listed one after the
/// other, each under a `==> path <==` line.
pub fn listing(artifacts: &[Artifact]) -> String {
    match artifacts {
        [one] => one.contents.clone(),
        many => many
            .iter()
            .map(|a| format!("==> {} <==\n{}\n", a.path, a.contents))
            .collect(),
    }
}

/// Renders `spec` in each of `formats`.
pub fn render(spec: &RoleSpec, formats: &[Format]) -> Result<Vec<Artifact>, RenderError> {
    render_unit(&Unit::alone(spec), formats)
}

/// Renders the roles of `unit` in each of `formats`.
pub(crate) fn render_unit(
    unit: &Unit<'_>,
    formats: &[Format],
) -> Result<Vec<Artifact>, RenderError> {
    let mut artifacts = Vec::new();
    for format in formats {
        artifacts.extend(format.render(unit)?);
    }
    Ok(artifacts)
}

/// Runs an askama template, naming the file on failure. The text ends with one newline
/// (askama drops a template's final newline).
fn run(template: &impl askama::Template, file: &str) -> Result<String, RenderError> {
    let mut text = template.render().map_err(|source| RenderError::Template {
        file: file.to_owned(),
        source,
    })?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Pretty-printed JSON ending with a newline.
fn json_file(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.push('\n');
    text
}
