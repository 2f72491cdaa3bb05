//! `wippy test PROJECT`: run the function entries whose `meta.type` is `test` (the Wippy
//! convention). A test passes when its method returns without raising and returns neither
//! `false` nor a non-nil error as its second value.

use std::path::PathBuf;

use clap::Args;
use runtime::Runtime;
use serde_json::Value;

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
}

/// Why a test failed, from its call's outcome (`None`: it passed).
pub fn failure(outcome: &Result<Vec<Value>, runtime::RunError>) -> Option<String> {
    match outcome {
        Err(e) => Some(e.message.clone()),
        Ok(values) => {
            let first = values.first().unwrap_or(&Value::Null);
            let err = values.get(1).unwrap_or(&Value::Null);
            if !err.is_null() {
                Some(match err {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            } else if *first == Value::Bool(false) {
                Some("returned false".into())
            } else {
                None
            }
        }
    }
}

/// Run the tests; prints a line per test, each failure's message, and `N passed, N failed`.
/// Exit 1 if any failed or `--filter` matched none, 2 if the project cannot be loaded.
pub fn run(args: &TestArgs) -> u8 {
    let (project, program) = match super::run::load_program(&args.project) {
        Ok(p) => p,
        Err(code) => return code.max(2),
    };
    let all: Vec<String> = super::run::runnable(&project, &program)
        .into_iter()
        .filter(|id| program.entries[id].meta.get("type").and_then(Value::as_str) == Some("test"))
        .collect();
    let tests: Vec<String> = all
        .iter()
        .filter(|id| args.filter.as_ref().is_none_or(|f| id.contains(f.as_str())))
        .cloned()
        .collect();
    if tests.is_empty() {
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
        return 1;
    }
    if args.list {
        let mut text = tests.join("\n");
        text.push('\n');
        return super::write_stdout(text.as_bytes());
    }
    let rt = match Runtime::new(program) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return 2;
        }
    };
    let (mut passed, mut failed) = (0, 0);
    for id in &tests {
        let started = std::time::Instant::now();
        let outcome = rt.call(id, &[]);
        let ms = started.elapsed().as_secs_f64() * 1e3;
        let mut text = String::new();
        match failure(&outcome) {
            None => {
                passed += 1;
                text.push_str(&format!("PASS {id} ({ms:.1} ms)\n"));
            }
            Some(message) => {
                failed += 1;
                text.push_str(&format!("FAIL {id} ({ms:.1} ms)\n"));
                for line in message.lines() {
                    text.push_str(&format!("    {line}\n"));
                }
            }
        }
        if super::write_stdout(text.as_bytes()) != 0 {
            return 2;
        }
    }
    let _ = super::write_stdout(format!("{passed} passed, {failed} failed\n").as_bytes());
    if failed > 0 {
        1
    } else {
        0
    }
}
