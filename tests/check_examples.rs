//! End-to-end: run the `wippy` binary on the example projects.
//!
//! `examples/broken/expected.txt` lists, one per line, every diagnostic `wippy check` must report
//! on `examples/broken` as `file:line:column CODE -- message` (whole messages: paths in them are
//! relative to the project root, so they read the same everywhere); the clean examples must have
//! no error.

mod common;

use common::wippy;

use std::path::Path;

fn json_check(path: &str) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = wippy(&["check", path, "--format", "json", "--level", "hint"]);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}\n{stderr}"));
    (code, v)
}

fn summary(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} -- {}",
                d["file"].as_str().unwrap_or(""),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn broken_example_reports_exactly_the_expected_diagnostics() {
    let (code, v) = json_check("examples/broken");
    let expected_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken/expected.txt"),
    )
    .expect("expected.txt");
    let expected: Vec<String> = expected_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.trim().to_owned())
        .collect();
    let actual = summary(&v);
    assert_eq!(
        actual,
        expected,
        "\nactual diagnostics:\n{}\n",
        actual.join("\n")
    );
    assert_eq!(code, 1, "errors must make the exit code 1");
    assert!(v["error_count"].as_u64().unwrap_or(0) > 0);
}

#[test]
fn clean_examples_have_no_errors() {
    for path in ["examples/app", "examples/twins/orderledger"] {
        let (code, v) = json_check(path);
        let errors: Vec<&serde_json::Value> = v["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        assert_eq!(code, 0, "{path}");
        assert!(v["total_entries"].as_u64().unwrap_or(0) >= 3, "{path}: {v}");
    }
}

#[test]
fn text_output_is_rust_style() {
    let (code, stdout, _) = wippy(&["check", "examples/broken"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("error[E0004]: no field `decod` in module json; did you mean `decode`?"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--> examples/broken/src/calls.lua:10:"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("Checked ")),
        "{stdout}"
    );
}

#[test]
fn lint_is_an_alias_and_level_filters() {
    let (_, v) = json_check("examples/broken");
    let all = v["diagnostics"].as_array().map_or(0, Vec::len);
    let (code, stdout, _) = wippy(&[
        "lint",
        "examples/broken",
        "--format",
        "json",
        "--level",
        "error",
    ]);
    assert_eq!(code, 1);
    let errors: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let n = errors["diagnostics"].as_array().map_or(0, Vec::len);
    assert!(n > 0 && n < all, "{n} of {all}");
    assert!(errors["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|d| d["severity"] == "error"));
}

#[test]
fn usage_and_io_failures_exit_2() {
    let (code, _, stderr) = wippy(&["check", "does/not/exist"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("does/not/exist"), "{stderr}");
    let (code, _, _) = wippy(&["check", "--level", "loud"]);
    assert_eq!(code, 2);
}

#[test]
fn user_typedefs_extend_the_bundled_manifests() {
    let dir = std::env::temp_dir().join(format!("wippy-typedefs-{}", std::process::id()));
    let project = dir.join("proj");
    std::fs::create_dir_all(project.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("greeter.json"),
        r#"{"name": "greeter", "functions": {"hello": "(name: string) -> string"}}"#,
    )
    .expect("write");
    std::fs::write(project.join("src/_index.yaml"), "namespace: t\nentries:\n  - name: f\n    kind: function.lua\n    source: file://f.lua\n    method: main\n    modules: [greeter]\n").expect("write");
    std::fs::write(project.join("src/f.lua"), "local greeter = require(\"greeter\")\nlocal function main()\n  return greeter.hello(1)\nend\nreturn { main = main }\n").expect("write");
    let p = project.to_string_lossy().into_owned();
    let (code, v) = json_check(&p);
    assert_eq!(code, 1);
    assert_eq!(v["diagnostics"][0]["code"], "Y0004");
    let (code, stdout, _) = wippy(&[
        "check",
        &p,
        "--format",
        "json",
        "--typedefs",
        &dir.to_string_lossy(),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["code"], "E0000", "{v}");
    assert_eq!(v["diagnostics"][0]["line"], 3);
    std::fs::write(
        dir.join("bad.json"),
        r#"{"name": "bad", "functions": {"f": "(x: ) -> ()"}}"#,
    )
    .expect("write");
    let (code, _, stderr) = wippy(&["check", &p, "--typedefs", &dir.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("functions.f"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
