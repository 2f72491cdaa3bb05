//! End-to-end: every `--format` on `tests/fixtures/formats` (one error, one warning, one hint,
//! non-ASCII text before the error so columns count code points): exact concise and GitHub
//! lines, and SARIF validated against the official 2.1.0 schema (`tests/data/sarif`).

mod common;

use std::path::Path;

use common::wippy;

const FIXTURE: &str = "tests/fixtures/formats";

fn sarif(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend_from_slice(args);
    let (code, out, err) = wippy(&all);
    assert!(code == 0 || code == 1, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad SARIF JSON ({e}): {out}"))
}

fn schema_errors(log: &serde_json::Value) -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let log = sarif(&[FIXTURE, "--level", "hint"]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), checker::Code::ALL.len(), "the whole registry");
    let e0004 = rules
        .iter()
        .find(|r| r["id"] == "E0004")
        .expect("E0004 rule");
    assert_eq!(e0004["shortDescription"]["text"], "no such field");
    assert_eq!(e0004["defaultConfiguration"]["level"], "error");
    assert!(
        e0004["fullDescription"]["text"]
            .as_str()
            .unwrap_or("")
            .len()
            > 20
    );
    let results = run["results"].as_array().expect("results");
    let levels: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or(""),
                r["level"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [("E0004", "error"), ("W0004", "warning"), ("H0002", "note")]
    );
    let first = &results[0];
    assert_eq!(
        rules[first["ruleIndex"].as_u64().unwrap_or(0) as usize]["id"],
        "E0004"
    );
    let loc = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "tests/fixtures/formats/src/main.lua"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 1, "startColumn": 55, "endLine": 1, "endColumn": 60})
    );
    assert_eq!(
        first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "fmt:main"
    );
}

#[test]
fn sarif_of_a_big_broken_project_validates_too() {
    // Every code of examples/broken, YAML problems and twins included, and files outside the
    // repository root (absolute URIs) from a pack in a scratch directory.
    let log = sarif(&["examples/broken", "--level", "hint"]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert!(log["runs"][0]["results"].as_array().map_or(0, Vec::len) > 30);
    let dir = common::tmp("sarif-outside");
    common::copy_dir(Path::new("examples/broken"), &dir);
    let log = sarif(&[dir.to_str().unwrap_or("")]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap_or("");
    assert!(
        uri.starts_with("file:///"),
        "outside the repository: an absolute URI, got {uri}"
    );
}

#[test]
fn schema_validation_catches_a_broken_log() {
    // The validator is really checking: a result without a message is refused.
    let mut log = sarif(&[FIXTURE]);
    log["runs"][0]["results"][0]
        .as_object_mut()
        .expect("result")
        .remove("message");
    log["runs"][0]["results"][1]["level"] = "fatal".into();
    assert_eq!(schema_errors(&log).len(), 2, "{:?}", schema_errors(&log));
}

#[test]
fn github_workflow_commands() {
    let (code, out, _) = wippy(&["check", FIXTURE, "--format", "github", "--level", "hint"]);
    assert_eq!(code, 1);
    let p = "tests/fixtures/formats/src/main.lua";
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            format!("::error file={p},line=1,col=55,endLine=1,endColumn=60,title=E0004::no field `decod` in module json; did you mean `decode`?%0Ahelp: did you mean `decode`?"),
            format!("::warning file={p},line=2,col=7,endLine=2,endColumn=15,title=W0004::unused local `leftover`%0Ahelp: remove it, or prefix it with `_` (`_leftover`)"),
            format!("::notice file={p},line=5,col=20,endLine=5,endColumn=42,title=H0002::`-- wippy: ignore E0001` suppresses nothing%0Ahelp: remove the comment, or name the code reported on its line"),
        ]
    );
}

#[test]
fn concise_lines_and_errors_first() {
    let (code, out, _) = wippy(&["lint", FIXTURE, "--format", "concise", "--rules"]);
    assert_eq!(code, 1);
    let p = "tests/fixtures/formats/src/main.lua";
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            format!("{p}:1:55: error[E0004]: no field `decod` in module json; did you mean `decode`? (help: did you mean `decode`?)"),
            format!("{p}:2:7: warning[W0004]: unused local `leftover` (help: remove it, or prefix it with `_` (`_leftover`))"),
            "Checked 1 entries: 1 errors, 1 warnings, 0 hints".to_owned(),
        ]
    );
    // Text lists errors before warnings too, whatever the file order.
    let (_, text, _) = wippy(&["check", "examples/broken", "--no-color"]);
    let last_error = text.rfind("\nerror[").expect("errors");
    let first_warning = text.find("\nwarning[").expect("warnings");
    assert!(last_error < first_warning, "errors must come first");
}
