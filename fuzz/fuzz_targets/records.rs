//! cargo-fuzz target `records`: see tests/fuzz_checks.rs for what it checks.
#![no_main]

#[path = "../../tests/fuzz_checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::records(data));
