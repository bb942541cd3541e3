//! Which roles `generate` and `check` render besides those of spec files: the default spec
//! of a documented connector (`--connector`), and the revision to render (`--revision`).

use clap::Args;
use connector_roles::{RoleSpec, catalog};

#[derive(Args)]
pub struct Select {
    /// Also render the default spec of this documented connector (`connector-roles list`):
    /// named after it, every value open, every optional part on. May be repeated.
    #[arg(long = "connector", value_name = "CONNECTOR")]
    connectors: Vec<String>,
    /// Render every role at this documented revision (for RDS (MySQL): index-only, the
    /// default, or application-and-index); a spec that names another revision is an error.
    #[arg(long, value_name = "REVISION")]
    revision: Option<String>,
}

impl Select {
    /// The roles to render: those read from files, then each `--connector`'s, or the
    /// embedded default when there are neither; every one at `--revision` when given.
    pub fn roles(
        &self,
        from_files: Vec<RoleSpec>,
        files: bool,
    ) -> Result<Vec<RoleSpec>, Vec<String>> {
        let mut roles = from_files;
        let mut errors = Vec::new();
        for id in &self.connectors {
            match catalog::find(id)
                .ok_or_else(|| {
                    format!(
                        "--connector {id}: not a documented connector (see `connector-roles list`)"
                    )
                })
                .and_then(|c| RoleSpec::default_for(c, None).map_err(|e| e.to_string()))
            {
                Ok(spec) => roles.push(spec),
                Err(message) => errors.push(message),
            }
        }
        if !files && self.connectors.is_empty() {
            roles.push(RoleSpec::default_spec());
        }
        let Some(revision) = &self.revision else {
            return if errors.is_empty() {
                Ok(roles)
            } else {
                Err(errors)
            };
        };
        let mut at_revision = Vec::new();
        for spec in roles {
            match spec.at_revision(revision) {
                Ok(spec) => at_revision.push(spec),
                Err(e) => errors.push(format!("--revision for {}: {e}", spec.name)),
            }
        }
        if errors.is_empty() {
            Ok(at_revision)
        } else {
            Err(errors)
        }
    }
}
