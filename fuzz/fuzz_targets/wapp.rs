#![no_main]
//! `cargo +nightly fuzz run wapp`: see `wippy_fuzz::harness::wapp`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| wippy_fuzz::harness::wapp(data));
