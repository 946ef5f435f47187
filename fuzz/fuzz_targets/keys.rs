//! Key rendering is injective: two different ids never render the same key.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|ids: ((String, String), (String, String))| {
    let ((a1, b1), (a2, b2)) = ids;
    let first = write_through::fuzzing::render_key(&a1, &b1);
    let second = write_through::fuzzing::render_key(&a2, &b2);
    assert_eq!(first == second, (a1, b1) == (a2, b2), "two ids share a key");
});
