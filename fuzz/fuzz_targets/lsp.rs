#![no_main]
//! `cargo +nightly fuzz run lsp`: see `wippy_fuzz::harness::lsp`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| wippy_fuzz::harness::lsp(data));
