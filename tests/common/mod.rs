//! Helpers shared by the end-to-end tests: run the `wippy` binary, make scratch directories.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// Run `wippy` in the repository root with `SOURCE_DATE_EPOCH` set to `epoch` (or unset);
/// returns (exit code, stdout, stderr).
pub fn wippy_env(args: &[&str], epoch: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wippy"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    match epoch {
        Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    let out = cmd.output().expect("run wippy");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run `wippy` in the repository root; returns (exit code, stdout, stderr).
pub fn wippy(args: &[&str]) -> (i32, String, String) {
    wippy_env(args, Some("1"))
}

/// A fresh scratch directory for one test.
pub fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wippy-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}
