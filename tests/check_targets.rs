//! End-to-end: what `wippy check PATH…` checks — several paths, a `.lua` file (its entries, or
//! the file alone), a `.wapp`, stdin with and without `--stdin-filename`; nothing to check is
//! exit 2; a reader that goes away (`| head`) is a clean exit.

mod common;

use std::process::{Command, Stdio};

use common::{tmp, wippy, wippy_stdin};

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let (code, out, err) = wippy(args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}{err}"));
    (code, v)
}

fn files(v: &serde_json::Value) -> Vec<String> {
    let mut f: Vec<String> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["file"].as_str().unwrap_or("").to_owned())
        .collect();
    f.sort();
    f.dedup();
    f
}

#[test]
fn several_paths_add_up() {
    let (_, app) = json(&["check", "examples/app", "--json"]);
    let (code, both) = json(&["check", "examples/app", "tests/fixtures/formats", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(
        both["total_entries"].as_u64(),
        app["total_entries"].as_u64().map(|n| n + 1)
    );
    assert_eq!(files(&both), ["tests/fixtures/formats/src/main.lua"]);
}

#[test]
fn a_lua_file_checks_its_entry_only() {
    let (code, v) = json(&["check", "examples/broken/src/calls.lua", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(v["total_entries"], 1);
    assert_eq!(files(&v), ["examples/broken/src/calls.lua"]);
    assert_eq!(v["error_count"], 13);
}

#[test]
fn a_lua_file_no_entry_uses_is_checked_alone() {
    let dir = tmp("loose");
    let file = dir.join("scratch.lua");
    std::fs::write(&file, "local v = json.decod(\"1\")\nprint(nobody, v)\n").expect("write");
    let (code, v) = json(&[
        "check",
        file.to_str().unwrap_or(""),
        "--json",
        "--level",
        "hint",
    ]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect();
    // Default globals, every module, undefined globals tolerated; a hint says why.
    assert_eq!(codes, ["E0004", "H0001"]);
    assert_eq!(v["total_entries"], 1);
}

#[test]
fn stdin_with_and_without_a_filename() {
    let text = "local v = json.decod(\"1\")\nreturn v\n";
    let (code, out, _) = wippy_stdin(&["check", "-", "--format", "concise"], text);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("<stdin>:1:16: error[E0004]: no field `decod` in module json"),
        "{out}"
    );
    // Standing for examples/broken/src/globals.lua: its entry's environment (no `json`
    // module), and only its diagnostics.
    let (code, out, _) = wippy_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "examples/broken/src/globals.lua",
            "--format",
            "concise",
        ],
        text,
    );
    assert_eq!(code, 1);
    assert!(
        out.starts_with(
            "examples/broken/src/globals.lua:1:11: error[E0001]: undefined global `json`"
        ),
        "{out}"
    );
    assert!(
        out.ends_with("Checked 1 entries: 1 errors, 0 warnings, 0 hints\n"),
        "{out}"
    );
    let (code, _, err) = wippy(&["check", "examples/app", "--stdin-filename", "x.lua"]);
    assert_eq!(code, 2);
    assert!(err.contains("--stdin-filename needs `-`"), "{err}");
}

#[test]
fn a_pack_is_checked_from_its_entries() {
    let dir = tmp("check-wapp");
    let pack = dir.join("formats.wapp");
    let (code, _, err) = wippy(&[
        "pack",
        pack.to_str().unwrap_or(""),
        "tests/fixtures/formats",
        "--no-check",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = wippy(&["check", pack.to_str().unwrap_or(""), "--format", "concise"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("formats.wapp/fmt/main.lua:1:55: error[E0004]"),
        "{out}"
    );
    assert!(
        out.ends_with("Checked 1 entries: 1 errors, 1 warnings, 0 hints\n"),
        "{out}"
    );
}

#[test]
fn nothing_to_check_is_an_error() {
    let dir = tmp("empty-project");
    let (code, out, err) = wippy(&["check", dir.to_str().unwrap_or("")]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("nothing to check in"), "{err}");
    let (code, _, err) = wippy(&["lint", "no/such/dir"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/dir"), "{err}");
    // A lock whose source directory holds no entry files.
    std::fs::write(dir.join("wippy.lock"), "directories:\n  src: ./src\n").expect("write");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    let (code, _, err) = wippy(&["check", dir.to_str().unwrap_or("")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("wippy.lock's source directory holds no entry files"),
        "{err}"
    );
}

#[test]
fn a_closed_pipe_is_a_clean_exit() {
    for format in ["text", "json", "concise"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wippy"))
            .args([
                "check",
                "examples/broken",
                "--level",
                "hint",
                "--format",
                format,
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // The reader goes away before anything is written, as `| head -0` would.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: the check's own exit code; {err}"
        );
        assert!(
            !err.contains("Broken pipe") && !err.contains("panicked"),
            "{format}: {err}"
        );
    }
}
