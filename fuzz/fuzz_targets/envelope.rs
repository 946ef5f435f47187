//! Any bytes under a key: the envelope parser and the bincode decoder must never panic, and
//! (libFuzzer's -rss_limit_mb) never allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = write_through::fuzzing::read_value(bytes);
    // The same bytes behind a valid row header reach the bincode decoder.
    let mut value = b"WT\x01\x01".to_vec();
    value.extend_from_slice(&0x5EEDu64.to_le_bytes());
    value.extend_from_slice(bytes);
    let _ = write_through::fuzzing::read_value(&value);
});
