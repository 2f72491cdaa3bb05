//! `wippy test PROJECT`: run the function entries whose `meta.type` is `test` (the Wippy
//! convention). A test passes when its method returns without raising and returns neither
//! `false` nor a non-nil error as its second value.

use std::path::PathBuf;

use clap::Args;
use runtime::{Program, Runtime};
use serde_json::Value;

/// Arguments of `wippy test`.
#[derive(Args)]
pub struct TestArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub project: PathBuf,
    /// Run only tests whose id contains this text.
    #[arg(long)]
    pub filter: Option<String>,
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
/// Exit 1 if any failed, 2 if the project cannot be loaded.
pub fn run(args: &TestArgs) -> u8 {
    let project = match project::load_project(&args.project) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot load project: {e}");
            return 2;
        }
    };
    let program = match Program::from_project(&project) {
        Ok(p) => p,
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
        match failure(&outcome) {
            None => {
                passed += 1;
                println!("PASS {id} ({ms:.1} ms)");
            }
            Some(message) => {
                failed += 1;
                println!("FAIL {id} ({ms:.1} ms)");
                for line in message.lines() {
                    println!("    {line}");
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        1
    } else {
        0
    }
}
