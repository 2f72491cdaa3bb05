//! End-to-end: `wippy lint` takes the real CLI's flags (`--json`, `--ns`, `--code`, `--limit`,
//! `--summary`, `--no-color`, `--rules`, `--level`, `-l`, `--cache-reset`) with its defaults
//! (W-rules off), and `wippy check` takes the same flags with its own (W-rules on).

mod common;

use common::wippy;

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let (code, out, err) = wippy(args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}{err}"));
    (code, v)
}

fn diag_codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn json_has_the_real_shape() {
    let (code, v) = json(&["lint", "examples/broken", "--json"]);
    assert_eq!(code, 1);
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "diagnostics",
            "error_count",
            "hint_count",
            "total_entries",
            "warning_count"
        ]
    );
    let d = &v["diagnostics"][0];
    for k in ["entry_id", "code", "severity", "message", "line", "column"] {
        assert!(d.get(k).is_some(), "real field {k} missing: {d}");
    }
    for k in ["file", "end_line", "end_column"] {
        assert!(d.get(k).is_some(), "our field {k} missing: {d}");
    }
    assert_eq!(v["total_entries"], 16);
}

#[test]
fn w_rules_only_with_rules_in_lint_always_in_check() {
    let (_, lint) = json(&["lint", "examples/broken", "--json"]);
    assert!(
        !diag_codes(&lint).iter().any(|c| c.starts_with('W')),
        "{lint}"
    );
    let (_, rules) = json(&["lint", "examples/broken", "--json", "--rules"]);
    let (_, check) = json(&["check", "examples/broken", "--json"]);
    for v in [&rules, &check] {
        let codes = diag_codes(v);
        assert!(
            codes.contains(&"W0004".into()) && codes.contains(&"W0006".into()),
            "{codes:?}"
        );
    }
    assert_eq!(rules["warning_count"], check["warning_count"]);
}

#[test]
fn namespace_code_and_limit_filters() {
    let (_, twin) = json(&["lint", "examples/broken", "--json", "--ns", "twin"]);
    assert_eq!(twin["total_entries"], 2, "the twin's handler and library");
    let codes = diag_codes(&twin);
    assert!(
        codes.iter().filter(|c| *c == "S0001").count() == 4,
        "{codes:?}"
    );
    assert!(
        !codes.contains(&"E0022".to_owned()),
        "broken:calls is not selected: {codes:?}"
    );
    let (_, two) = json(&[
        "check",
        "examples/broken",
        "--json",
        "--code",
        "E0004,E0022",
        "--code",
        "e0003",
    ]);
    let mut codes = diag_codes(&two);
    codes.sort();
    codes.dedup();
    assert_eq!(codes, ["E0003", "E0004", "E0022"]);
    assert_eq!(two["error_count"], 8);
    let (_, limited) = json(&["lint", "examples/broken", "--json", "--limit", "3"]);
    assert_eq!(limited["diagnostics"].as_array().map(Vec::len), Some(3));
    assert_eq!(limited["error_count"], 42, "counts cover every diagnostic");
    let (code, _, err) = wippy(&["lint", "examples/broken", "--code", "E9999"]);
    assert_eq!(code, 2);
    assert!(err.contains("--code: unknown code `E9999`"), "{err}");
}

#[test]
fn namespace_patterns_follow_the_real_lint() {
    // `app.*` is app and everything under it; `app` alone is just app.
    let (_, all) = json(&["check", "examples/app", "--json", "--ns", "app.*"]);
    let (_, app) = json(&["check", "examples/app", "--json", "--ns", "app"]);
    let total = |v: &serde_json::Value| v["total_entries"].as_u64().unwrap_or(0);
    assert!(total(&all) > total(&app) && total(&app) > 0, "{all} {app}");
}

#[test]
fn summary_groups_by_namespace_and_code() {
    let (code, out, _) = wippy(&["lint", "examples/broken", "--summary"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("\nBy namespace:\n\n  broken "), "{out}");
    assert!(
        out.contains("  twin                           5 issues (5 errors)\n"),
        "{out}"
    );
    assert!(
        out.contains("\nBy error code:\n\n  E0000    [error  ]    8 occurrences\n"),
        "{out}"
    );
    assert!(
        out.contains("  L0001    [error  ]    1 occurrences\n"),
        "{out}"
    );
    assert!(
        out.trim_end()
            .ends_with("Checked 16 entries: 42 errors, 0 warnings, 0 hints"),
        "{out}"
    );
    let (_, stats, _) = wippy(&["lint", "examples/broken", "--statistics"]);
    assert_eq!(stats, out, "--statistics is --summary");
}

#[test]
fn the_other_real_flags_are_accepted() {
    let (code, out, err) = wippy(&[
        "lint",
        "examples/app",
        "--no-color",
        "--cache-reset",
        "--level",
        "error",
        "-l",
        "examples/app/wippy.lock",
    ]);
    // examples/app has no lock: -l must name an existing file.
    assert_eq!(code, 2, "{out}{err}");
    let (code, out, err) = wippy(&[
        "lint",
        "examples/app",
        "--no-color",
        "--cache-reset",
        "--level",
        "error",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains('\u{1b}'), "no colors: {out}");
    assert!(out.starts_with("Checked "), "{out}");
}
