#![no_main]
//! `cargo +nightly fuzz run project`: see `wippy_fuzz::harness::project`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| wippy_fuzz::harness::project(data));
