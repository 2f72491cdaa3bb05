//! End-to-end: `wippy test` runs `meta.type: test` entries, prints failures with their messages
//! and a summary, and exits 1 when any failed.

mod common;

use common::wippy;

#[test]
fn reports_each_failure_and_a_summary() {
    let (code, out, err) = wippy(&["test", "tests/fixtures/test_runner"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("PASS suite:passes"), "{out}");
    assert!(
        out.contains("FAIL suite:returns_false") && out.contains("returned false"),
        "{out}"
    );
    assert!(
        out.contains("FAIL suite:returns_error") && out.contains("json.decode"),
        "{out}"
    );
    assert!(
        out.contains("FAIL suite:raises") && out.contains("cases.lua:18: attempt to index nil"),
        "{out}"
    );
    assert!(!out.contains("not_a_test"), "{out}");
    assert!(out.trim_end().ends_with("1 passed, 3 failed"), "{out}");
    let (code, out, _) = wippy(&["test", "tests/fixtures/test_runner", "--filter", "passes"]);
    assert_eq!(code, 0);
    assert!(out.trim_end().ends_with("1 passed, 0 failed"), "{out}");
}

#[test]
fn example_project_tests_pass() {
    let (code, out, err) = wippy(&["test", "examples/app"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.trim_end().ends_with("3 passed, 0 failed"), "{out}");
}
