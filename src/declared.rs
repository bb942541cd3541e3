//! What a role declared with `connector_role!` gives at run time.

use std::path::{Path, PathBuf};

use connector_roles_generator::render::{Artifact, Format, listing};
use connector_roles_generator::spec::RoleSpec;
use connector_roles_generator::write::{Outcome, WriteError, write_all};

/// A connector role declared with [`connector_role!`](crate::connector_role): its checked
/// spec and its artifacts, rendered at compile time.
pub trait ConnectorRole {
    /// The declaration as a JSON spec: `connector-roles generate` reads it as the same role.
    const SPEC_JSON: &'static str;
    /// Every artifact as `(path, contents)`, paths relative to an output folder, as
    /// `connector-roles generate` writes them.
    const ARTIFACTS: &'static [(&'static str, &'static str)];

    /// The validated spec.
    fn spec() -> RoleSpec {
        RoleSpec::from_json(Self::SPEC_JSON)
            .expect("connector_role! checked the spec at compile time")
    }

    /// The artifacts of `formats`.
    fn artifacts(formats: &[Format]) -> Vec<Artifact> {
        Self::ARTIFACTS
            .iter()
            .filter(|(path, _)| formats.iter().any(|format| format.holds(path)))
            .map(|(path, contents)| Artifact {
                path: (*path).to_owned(),
                contents: (*contents).to_owned(),
            })
            .collect()
    }

    /// The artifacts of `format` as text: a format of one file is that file (the
    /// CloudFormation template); several files are listed one after the other, each under a
    /// `==> path <==` line.
    fn render(format: Format) -> String {
        listing(&Self::artifacts(&[format]))
    }

    /// Writes every artifact under `dir`, atomically, as `connector-roles generate --out dir`
    /// does.
    fn write_to(dir: impl AsRef<Path>) -> Result<Vec<(PathBuf, Outcome)>, WriteError> {
        write_all(dir.as_ref(), &Self::artifacts(&Format::ALL))
    }
}
