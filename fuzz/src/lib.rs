//! The fuzz targets' bodies ([`harness`]); `fuzz_targets/*.rs` only hand libFuzzer's bytes to
//! them.

pub mod harness;
