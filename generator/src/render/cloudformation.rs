//! Placeholder, replaced by the real renderer.

use super::Artifact;
use crate::error::RenderError;
use crate::role::RoleModel;

/// Renders nothing yet.
pub fn render(_role: &RoleModel<'_>) -> Result<Vec<Artifact>, RenderError> {
    Ok(Vec::new())
}
