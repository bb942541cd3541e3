//! Compile-time errors of `connector_role!`: each file under `tests/ui/<kind>/` must fail to
//! compile with exactly the error in its `.stderr` golden, spanned on the token at fault.
//! Regenerate the goldens on purpose with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn compile_errors() {
    trybuild::TestCases::new().compile_fail("tests/ui/*/*.rs");
}
