//! The real toolchains accept every case of the matrix (`support::matrix`), and what each
//! format holds, read back and evaluated, is exactly the documented roles
//! (`support::checks`):
//!
//! - CloudFormation: cfn-lint (no error, warning or informational message) and checkov (no
//!   failed check, no parsing error, some resources); the template evaluated.
//! - CDK: `tsc --noEmit --strict` against aws-cdk-lib v2; the app compiled and synthesized
//!   with node, without AWS credentials; cfn-lint on the synthesized template, evaluated.
//! - Terraform: HashiCorp's HCL parser (hcl2json) reads every `.tf` file; checkov; the module
//!   evaluated with hcl-rs.
//! - Policy JSON: read with serde_json, placeholders filled.
//!
//! `support::toolchain` runs the tools, or says why it skips one (under `CI=true` a missing
//! tool fails). Every command and its output are printed: `tools/test` runs these tests in a
//! stage of their own with `--nocapture`.

mod support;

mod real_toolchains {
    use super::support::checks;

    #[test]
    fn cloudformation() {
        checks::run("CloudFormation", checks::cloudformation);
    }

    #[test]
    fn cdk() {
        checks::run("CDK", checks::cdk);
    }

    #[test]
    fn terraform() {
        checks::run("Terraform", checks::terraform);
    }

    #[test]
    fn policy_json() {
        checks::run("policy JSON", checks::json);
    }
}
