//! Wippy's execution semantics (fixtures/semantics): chunks that return a function, one global
//! environment per process shared with its libraries, error values as text, declared types as
//! values, declared-but-missing modules; and `wippy test`'s honest verdicts, BDD cases counted
//! one by one.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use runtime::sched::Config;
use runtime::testing::{self, Report, Verdict};
use runtime::Program;

fn run(id: &str) -> Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/semantics");
    let project = project::load_project(&root).expect("fixture project loads");
    let program = Arc::new(Program::from_project(&project).expect("program"));
    let config = Config {
        workers: 2,
        timeout: Some(Duration::from_secs(20)),
        ..Config::default()
    };
    testing::run(&program, &config, id)
}

fn passes(id: &str) {
    let r = run(id);
    assert_eq!(r.cases.len(), 1, "{r:?}");
    assert_eq!(r.cases[0].verdict, Verdict::Pass, "{id}: {r:?}");
}

fn fails_with(id: &str, text: &str) {
    let r = run(id);
    match &r.cases[..] {
        [c] => match &c.verdict {
            Verdict::Fail(m) => assert!(m.contains(text), "{id}: {m}"),
            other => panic!("{id}: expected a failure, got {other:?}"),
        },
        other => panic!("{id}: {other:?}"),
    }
}

#[test]
fn a_chunk_may_return_its_function() {
    passes("sem:returns_function");
}

#[test]
fn libraries_share_the_process_globals_and_nothing_leaks() {
    passes("sem:shared_globals");
}

#[test]
fn errors_are_text_where_text_is_expected() {
    passes("sem:error_values");
}

#[test]
fn declared_types_are_values() {
    passes("sem:type_values");
}

#[test]
fn a_declared_module_the_runtime_lacks_says_so() {
    passes("sem:missing_module");
}

#[test]
fn verdicts_are_honest() {
    fails_with("sem:report_with_failures", "failure report");
    fails_with("sem:returns_false", "returned false");
    fails_with("sem:returns_error", "it went wrong");
    fails_with("sem:raises_after_spawning", "raised on purpose");
}

#[test]
fn bdd_cases_count_one_by_one() {
    let r = run("sem:bdd");
    let verdicts: Vec<(&str, bool)> = r
        .cases
        .iter()
        .map(|c| (c.name.as_str(), c.verdict == Verdict::Pass))
        .collect();
    assert_eq!(
        verdicts,
        vec![
            ("spec › adds", true),
            ("spec › concatenates", true),
            ("spec › fails on purpose", false)
        ]
    );
}
