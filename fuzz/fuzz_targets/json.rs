#![no_main]
//! `cargo +nightly fuzz run json`: see `wippy_fuzz::harness::json`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| wippy_fuzz::harness::json(data));
