//! What `#[derive(WriteThrough)]` refuses at compile time, and what it accepts.
//!
//! Each file in `ui/` is one mistake, named after it; its `.stderr` is the exact error the user
//! sees. Regenerate with `TRYBUILD=overwrite cargo test -p write_through_tests --test
//! compile_fail` and read the diff: every error must point at its cause, with nothing else.

#[test]
fn derive_errors_point_at_their_cause() {
    trybuild::TestCases::new().compile_fail("ui/*.rs");
}

#[test]
fn a_model_using_every_diesel_option_the_derive_reads_compiles() {
    trybuild::TestCases::new().pass("ui/pass/*.rs");
}
