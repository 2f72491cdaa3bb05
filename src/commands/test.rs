//! `wippy test PROJECT`: run the function entries whose `meta.type` is `test` (the Wippy
//! convention), each on a fresh runtime, with the verdict rules of [`runtime::testing`]; BDD
//! cases reported by the framework's `wippy.test` library count one by one. PROJECT is a
//! directory or a `.wapp` pack (its tests run as the real CLI runs them).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use runtime::testing::{self, Verdict};
use serde_json::Value;

use super::limits::RuntimeArgs;

/// Arguments of `wippy test`.
#[derive(Args)]
pub struct TestArgs {
    /// The project directory or a `.wapp` pack.
    #[arg(default_value = ".")]
    pub project: PathBuf,
    /// Run only tests whose id contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// List the tests (after `--filter`), one id per line, without running them.
    #[arg(long)]
    pub list: bool,
    /// Workers and limits (`--timeout` defaults to 30s per test entry).
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

/// The tests of the project matching `--filter`, or the exit code after saying why there are
/// none (1: the filter matched nothing or there are no tests).
fn select_tests(args: &TestArgs, all: &[String]) -> Result<Vec<String>, u8> {
    let tests: Vec<String> = all
        .iter()
        .filter(|id| args.filter.as_ref().is_none_or(|f| id.contains(f.as_str())))
        .cloned()
        .collect();
    if !tests.is_empty() {
        return Ok(tests);
    }
    match &args.filter {
        Some(f) => eprintln!(
            "error: no test id contains `{f}` ({} tests in {}{})",
            all.len(),
            args.project.display(),
            if all.is_empty() {
                String::new()
            } else {
                // A filter is usually part of a name: compare with the names too.
                super::did_you_mean(
                    f,
                    all.iter()
                        .flat_map(|id| [id.as_str(), id.rsplit(':').next().unwrap_or(id)]),
                )
            }
        ),
        None => eprintln!(
            "error: no tests in {} (function entries with `meta.type: test`)",
            args.project.display()
        ),
    }
    Err(1)
}

/// Run the tests; prints a line per test (or per BDD case) with its time, each failure's
/// message, and `N passed, N failed`. Exit 1 if any failed or `--filter` matched none, 2 if
/// the project cannot be loaded.
pub fn run(args: &TestArgs) -> u8 {
    let config = match args.runtime.config(Some(Duration::from_secs(30)), 0) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let (project, program) = match super::run::load_program(&args.project) {
        Ok(p) => p,
        Err(code) => return code.max(2),
    };
    let all: Vec<String> = super::run::runnable(&project, &program)
        .into_iter()
        .filter(|id| program.entries[id].kind.starts_with("function.lua"))
        .filter(|id| program.entries[id].meta.get("type").and_then(Value::as_str) == Some("test"))
        .collect();
    let tests = match select_tests(args, &all) {
        Ok(t) => t,
        Err(code) => return code,
    };
    if args.list {
        let mut text = tests.join("\n");
        text.push('\n');
        return super::write_stdout(text.as_bytes());
    }
    let program = Arc::new(program);
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for id in &tests {
        let report = testing::run(&program, &config, id);
        let mut text = String::new();
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
                    text.push_str(&format!("PASS {name} ({ms:.1} ms)\n"));
                }
                Verdict::Skip => {
                    skipped += 1;
                    text.push_str(&format!("SKIP {name}\n"));
                }
                Verdict::Fail(message) => {
                    failed += 1;
                    text.push_str(&format!("FAIL {name} ({ms:.1} ms)\n"));
                    for line in message.lines() {
                        text.push_str(&format!("    {line}\n"));
                    }
                }
            }
        }
        if super::write_stdout(text.as_bytes()) != 0 {
            return 2;
        }
    }
    let totals = if skipped > 0 {
        format!("{passed} passed, {failed} failed, {skipped} skipped\n")
    } else {
        format!("{passed} passed, {failed} failed\n")
    };
    let _ = super::write_stdout(totals.as_bytes());
    u8::from(failed > 0)
}
