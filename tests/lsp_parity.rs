//! Parity: for every file of `examples/`, the diagnostics `wippy lsp` publishes for it equal
//! those of `wippy check` on its project — code, severity, range and whole message (the
//! editor shows the help line under the message). Both call the same checker; this keeps the
//! language server's loading, focusing and position conversion honest.

mod common;
#[path = "common/lsp.rs"]
mod lsp;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use lsp::{canonical, start, uri};

/// (line, character, end line, end character, code, severity, message), 0-based as in LSP.
type Finding = (u64, u64, u64, u64, String, u64, String);

fn severity(s: &str) -> u64 {
    match s {
        "error" => 1,
        "warning" => 2,
        _ => 4,
    }
}

/// `wippy check DIR` per file (canonical path).
fn checked(dir: &Path) -> BTreeMap<PathBuf, Vec<Finding>> {
    let (_, out, err) = common::wippy(&[
        "check",
        &dir.to_string_lossy(),
        "--format",
        "json",
        "--level",
        "hint",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let mut by_file: BTreeMap<PathBuf, Vec<Finding>> = BTreeMap::new();
    for d in v["diagnostics"].as_array().expect("diagnostics") {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(d["file"].as_str().unwrap_or(""));
        let n = |k: &str| d[k].as_u64().unwrap_or(0) - 1;
        let mut message = d["message"].as_str().unwrap_or("").to_owned();
        if let Some(h) = d["help"].as_str() {
            message.push_str(&format!("\nhelp: {h}"));
        }
        by_file.entry(canonical(&file)).or_default().push((
            n("line"),
            n("column"),
            n("end_line"),
            n("end_column"),
            d["code"].as_str().unwrap_or("").to_owned(),
            severity(d["severity"].as_str().unwrap_or("")),
            message,
        ));
    }
    by_file
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "lua" || x == "luau" || x == "yaml")
        {
            out.push(canonical(&p));
        }
    }
}

fn published(s: &mut lsp::Session, path: &Path) -> Vec<Finding> {
    let u = uri(path);
    let text = std::fs::read_to_string(path).expect("read");
    let lang = if path.extension().is_some_and(|x| x == "yaml") {
        "yaml"
    } else {
        "lua"
    };
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": lang, "version": 1, "text": text}}),
    );
    let mut out: Vec<Finding> = s
        .diagnostics(&u)
        .iter()
        .map(|d| {
            let r = &d["range"];
            let n = |a: &str, b: &str| r[a][b].as_u64().unwrap_or(0);
            (
                n("start", "line"),
                n("start", "character"),
                n("end", "line"),
                n("end", "character"),
                d["code"].as_str().unwrap_or("").to_owned(),
                d["severity"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    out.sort();
    out
}

#[test]
fn the_language_server_publishes_what_check_reports_for_every_example_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (mut compared, mut findings) = (0, 0);
    for project in ["app", "broken", "twins/orderledger"] {
        let dir = canonical(&root.join(project));
        let mut expected = checked(&dir);
        let mut paths = Vec::new();
        files(&dir, &mut paths);
        paths.sort();
        let mut s = start(&dir);
        for path in &paths {
            let mut want = expected.remove(path).unwrap_or_default();
            want.sort();
            let got = published(&mut s, path);
            assert_eq!(got, want, "{}: editor and check disagree", path.display());
            compared += 1;
            findings += want.len();
        }
        assert!(
            expected.is_empty(),
            "check reported files the walk did not find: {:?}",
            expected.keys().collect::<Vec<_>>()
        );
    }
    assert!(compared >= 20, "only {compared} files compared");
    assert!(findings >= 30, "only {findings} diagnostics compared");
}
