#![no_main]
//! `cargo +nightly fuzz run chunk`: see `wippy_fuzz::harness::chunk`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| wippy_fuzz::harness::chunk(data));
