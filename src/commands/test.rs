//! `wippy test PROJECT`: run the function entries whose `meta.type` is `test` (the Wippy
//! convention), each on a fresh runtime, with the verdict rules of [`runtime::testing`]; BDD
//! cases reported by the framework's `wippy.test` library count one by one.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use runtime::testing::{self, Verdict};
use runtime::Program;
use serde_json::Value;

use super::limits::RuntimeArgs;

/// Arguments of `wippy test`.
#[derive(Args)]
pub struct TestArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub project: PathBuf,
    /// Run only tests whose id contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Workers and limits (`--timeout` defaults to 30s per test entry).
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

/// Run the tests; prints a line per test (or per BDD case) with its time, each failure's
/// message, and `N passed, N failed`. Exit 1 if any failed, 2 if the project cannot be loaded.
pub fn run(args: &TestArgs) -> u8 {
    let config = match args.runtime.config(Some(Duration::from_secs(30)), 0) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let project = match project::load_project(&args.project) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot load project: {e}");
            return 2;
        }
    };
    let program = match Program::from_project(&project) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let tests: Vec<String> = program
        .entries
        .values()
        .filter(|e| e.kind.starts_with("function.lua"))
        .filter(|e| e.meta.get("type").and_then(Value::as_str) == Some("test"))
        .filter(|e| {
            args.filter
                .as_ref()
                .is_none_or(|f| e.id.contains(f.as_str()))
        })
        .map(|e| e.id.clone())
        .collect();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for id in &tests {
        let report = testing::run(&program, &config, id);
        for case in &report.cases {
            let name = if case.name.is_empty() {
                id.clone()
            } else {
                format!("{id} › {}", case.name)
            };
            let ms = if case.name.is_empty() {
                report.ms
            } else {
                case.ms
            };
            match &case.verdict {
                Verdict::Pass => {
                    passed += 1;
                    println!("PASS {name} ({ms:.1} ms)");
                }
                Verdict::Skip => {
                    skipped += 1;
                    println!("SKIP {name}");
                }
                Verdict::Fail(message) => {
                    failed += 1;
                    println!("FAIL {name} ({ms:.1} ms)");
                    for line in message.lines() {
                        println!("    {line}");
                    }
                }
            }
        }
    }
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    if failed > 0 {
        1
    } else {
        0
    }
}
