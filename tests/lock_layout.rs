//! End-to-end: projects as Wippy loads them from `wippy.lock` — a test app whose lock says
//! `directories: {src: ../src}` (the layout of wippyai/framework's module test apps), an
//! installed dependency under `.wippy/vendor` (as a directory and as a `.wapp`), a module that
//! is not installed, `replacements:`, `-l/--lock-file`, and a tree holding it all.
//! Fixture: `tests/fixtures/lock_layout` (see its README).

mod common;

use std::path::Path;

use common::{copy_dir, tmp, wippy, wippy_in};

const TEST_APP: &str = "tests/fixtures/lock_layout/test";

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}"))
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn lint_in_the_test_app_checks_the_lock_source_directory() {
    let (code, out, err) = wippy_in(Path::new(TEST_APP), &["lint", "--level", "error"]);
    assert_eq!(code, 1, "{out}{err}");
    // Both entries of ../src, typed against the installed acme/testkit.
    assert!(out.contains("Checked 2 entries: 1 errors"), "{out}");
    assert!(
        out.contains("no field `is_true` in `test` (acme.testkit:test)"),
        "{out}"
    );
    assert!(out.contains("--> ../src/counter_test.lua:7:10"), "{out}");
    // The dependency's own mistakes and its excluded self-test are not reported.
    assert!(
        !out.contains("undefined_in_dependency") && !out.contains("self_test"),
        "{out}"
    );
    assert!(
        err.contains("note: test/wippy.lock: 1 module is not installed in test/.wippy/vendor (acme/absent 1.2.3)"),
        "{err}"
    );
}

#[test]
fn json_counts_only_the_app_entries() {
    let (code, out, _) = wippy_in(Path::new(TEST_APP), &["lint", "--json", "--level", "hint"]);
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["total_entries"], 2);
    assert_eq!(
        codes(&v),
        ["E0004 no field `is_true` in `test` (acme.testkit:test)"]
    );
    assert_eq!(v["diagnostics"][0]["entry_id"], "acme.counter:counter_test");
    assert_eq!(v["diagnostics"][0]["file"], "../src/counter_test.lua");
}

#[test]
fn lock_file_flag_and_replacements() {
    // From the fixture root, -l points at the replacing lock: acme/testkit comes from
    // ../local_testkit (which has `is_true`), and that local code is reported.
    let (code, out, err) = wippy(&[
        "lint",
        "-l",
        "tests/fixtures/lock_layout/test/replaced.lock",
        "--json",
        "--rules",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    assert_eq!(codes(&v), ["W0004 unused local `leftover`"]);
    assert_eq!(
        v["total_entries"], 3,
        "the replacement's library is reported"
    );
    assert!(v["diagnostics"][0]["file"]
        .as_str()
        .unwrap_or("")
        .ends_with("local_testkit/src/test.lua"));
    // The same lock, named with --lock-file, from inside the app.
    let (code2, out2, _) = wippy_in(
        Path::new(TEST_APP),
        &["lint", "--lock-file", "replaced.lock", "--json", "--rules"],
    );
    assert_eq!((code2, json(&out2)["total_entries"].clone()), (0, 3.into()));
    let (code, _, err) = wippy(&["lint", "-l", "no/such/wippy.lock"]);
    assert_eq!(code, 2);
    assert!(err.contains("lock file no/such/wippy.lock"), "{err}");
}

#[test]
fn an_installed_pack_is_a_dependency_too() {
    let dir = tmp("lock-wapp");
    copy_dir(Path::new("tests/fixtures/lock_layout"), &dir);
    let vendor = dir.join("test/.wippy/vendor/acme");
    let (code, _, err) = wippy(&[
        "pack",
        vendor.join("testkit-0.1.0.wapp").to_str().unwrap_or(""),
        vendor.join("testkit").to_str().unwrap_or(""),
        "--no-check",
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_dir_all(vendor.join("testkit")).expect("rm");
    let (code, out, _) = wippy_in(&dir.join("test"), &["lint", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&json(&out)),
        ["E0004 no field `is_true` in `test` (acme.testkit:test)"]
    );
}

#[test]
fn a_tree_keeps_its_projects_apart() {
    let (code, out, err) = wippy(&["check", "tests/fixtures/lock_layout", "--json"]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    // src (owned by test/wippy.lock, with its vendor dependency) and local_testkit (a
    // project of the tree, reported); the vendor copy is never reported.
    assert_eq!(v["total_entries"], 3);
    assert_eq!(
        codes(&v),
        [
            "E0004 no field `is_true` in `test` (acme.testkit:test)",
            "W0004 unused local `leftover`"
        ]
    );
}

#[test]
fn a_lock_wippy_refuses_is_reported_where_it_is_used() {
    let dir = tmp("lock-bad");
    copy_dir(Path::new("tests/fixtures/lock_layout"), &dir);
    std::fs::write(
        dir.join("test/wippy.lock"),
        "directories:\n    src: ../src\nmodules:\n    - name: nope\n      version: 1.0.0\n",
    )
    .expect("write");
    let (code, out, _) = wippy_in(&dir.join("test"), &["lint", "--format", "concise"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("wippy.lock:4:13: error[Y0008]: module name `nope` must be `org/module`"),
        "{out}"
    );
    // From above, the same lock is only a note.
    let (_, out, err) = wippy_in(&dir, &["check", "--format", "concise"]);
    assert!(!out.contains("Y0008"), "{out}");
    assert!(
        err.contains("module name `nope` must be `org/module`"),
        "{err}"
    );
}

#[test]
fn wippy_test_runs_from_the_lock() {
    let (code, out, err) = wippy_in(Path::new(TEST_APP), &["test", "--list"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out, "acme.counter:counter_test\n",
        "only the app's tests, not the dependency's"
    );
}
