//! What `#[derive(WriteThrough)]` refuses at compile time, and what it accepts.
//!
//! Each file in `ui/` is one mistake, named after it; its `.stderr` is the exact error the user
//! sees. Each file in `ui/pass/` is a model the derive must accept. Regenerate the errors with
//! `TRYBUILD=overwrite cargo test -p write_through_tests --test compile_fail` and read the diff:
//! every error must point at its cause, with nothing else.
//!
//! One `TestCases` for both: trybuild builds its project's dependencies (Diesel with three
//! backends, the runtime) once per `TestCases`; two of them built it twice, side by side (390 s
//! of a cold CI run, against 250 s for one).

#[test]
fn derive_errors_point_at_their_cause_and_every_diesel_option_compiles() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
    cases.pass("ui/pass/*.rs");
}
