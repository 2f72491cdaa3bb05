//! End-to-end: the findings of the hardening pass against the real binary — crafted sources for
//! `check`, `pack --no-check`, `run` and the language server; a FIFO as an entry's source;
//! invalid UTF-8 in an `_index.yaml`; JSON-RPC abuse and `exit` handling over real pipes.

mod common;
#[path = "common/lsp.rs"]
mod lsp;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{tmp, wippy};
use serde_json::{json, Value};

const INDEX: &str = "namespace: app\nentries:\n  - name: f\n    kind: function.lua\n    source: file://f.lua\n    method: main\n";

fn project(name: &str, lua: &str) -> PathBuf {
    let dir = tmp(name);
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(dir.join("src/_index.yaml"), INDEX).expect("yaml");
    std::fs::write(dir.join("src/f.lua"), lua).expect("lua");
    dir.canonicalize().expect("canonical")
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// 150k `fun():` returns (it overflowed the stack of check, pack --no-check, run and lsp).
fn fun_chain() -> String {
    format!(
        "local x: {}number = nil\nreturn {{ main = function() return 1 end }}\n",
        "fun(): ".repeat(60_000)
    )
}

#[test]
fn crafted_sources_are_errors_in_every_command() {
    let dir = project("fun-chain", &fun_chain());
    let (code, out, err) = wippy(&["check", &s(&dir)]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("nested deeper than 100 levels"), "{out}");
    let wapp = dir.join("out.wapp");
    let (code, _, err) = wippy(&[
        "pack",
        &s(&wapp),
        &s(&dir),
        "--no-check",
        "--bytecode",
        "**",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("nested deeper than 100 levels"), "{err}");
    let (code, _, err) = wippy(&["run", &s(&dir), "app:f"]);
    assert_eq!(code, 1);
    assert!(err.contains("nested deeper than 100 levels"), "{err}");
    // full_moon's panic on `@` and a lexer error is a syntax error at its position.
    let dir = project("at-sign", "@\u{1}");
    let (code, out, _) = wippy(&["check", &s(&dir), "--format", "json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).expect("json");
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["column"].as_u64()),
        (Some("P0001"), Some(2)),
        "{v}"
    );
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("unexpected character")),
        "{v}"
    );
}

#[test]
fn invalid_utf8_in_an_index_fails_check_and_pack() {
    // One bad byte in a comment used to skip the file: 0 entries, exit 0, an empty archive.
    let dir = tmp("bad-utf8");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    let mut yaml = b"# men\xfc\n".to_vec();
    yaml.extend_from_slice(INDEX.as_bytes());
    std::fs::write(dir.join("src/_index.yaml"), yaml).expect("yaml");
    std::fs::write(dir.join("src/f.lua"), "return { main = function() end }\n").expect("lua");
    let (code, out, _) = wippy(&["check", &s(&dir)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Y0001") && out.contains("not valid UTF-8"),
        "{out}"
    );
    let (code, _, _) = wippy(&["pack", &s(&dir.join("o.wapp")), &s(&dir)]);
    assert_ne!(code, 0);
    assert!(!dir.join("o.wapp").exists());
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_source_never_blocks_check_or_the_language_server() {
    let dir = tmp("fifo-src");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(dir.join("src/_index.yaml"), INDEX).expect("yaml");
    mkfifo(&dir.join("src/f.lua"));
    let dir = dir.canonicalize().expect("canonical");
    // `wippy` would block forever on the FIFO; the helper's output wait has no timeout, so
    // run it on a thread and give up after 30 s.
    let d = s(&dir);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(wippy(&["check", &d]));
    });
    let (code, out, _) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("check blocked on a FIFO");
    assert_eq!(code, 1);
    assert!(
        out.contains("Y0003") && out.contains("not a regular file"),
        "{out}"
    );
    let mut l = initialized(&dir);
    let r = l.request("workspace/symbol", json!({"query": "f"}));
    assert!(r.get("error").is_none(), "{r}");
}

fn initialized(dir: &Path) -> lsp::Session {
    let mut l = lsp::Session::start();
    let r = l.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", dir.display()), "capabilities": {}}),
    );
    assert!(r.get("result").is_some(), "{r}");
    l.notify("initialized", json!({}));
    l
}

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

#[test]
fn json_rpc_abuse_never_ends_the_session() {
    let dir = project("lsp-abuse", "return { main = function() end }\n");
    let mut l = initialized(&dir);
    // Well-formed JSON that is not JSON-RPC: one invalid-request answer each, session goes on.
    for bad in ["{}", "[]", r#"{"method":"x"}"#] {
        l.send_raw(&framed(bad.as_bytes()));
        let r = l.wait(|m| m["error"]["code"] == -32600);
        assert!(r.is_some(), "no answer to {bad}");
    }
    // A Content-Length of 10^15, then a header line of 1 MB: later messages still arrive.
    l.send_raw(b"Content-Length: 1000000000000000\r\n\r\n");
    l.send_raw(&vec![b'x'; 1 << 20]);
    let r = l.request("wippy/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // A crafted document is a diagnostic, not a crash.
    let f = dir.join("src/f.lua");
    let u = format!("file://{}", f.display());
    l.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "lua", "version": 1, "text": fun_chain()}}),
    );
    let diags = l.diagnostics(&u);
    assert!(diags.iter().any(|d| d["code"] == "P0001"), "{diags:?}");
    assert!(l.alive());
}

#[test]
fn exit_ends_the_process_whatever_follows() {
    let dir = project("lsp-exit", "return { main = function() end }\n");
    // After shutdown: exit code 0, with input still open and more messages behind `exit`.
    let mut l = initialized(&dir);
    let r = l.request("shutdown", Value::Null);
    assert!(r.get("error").is_none(), "{r}");
    let mut tail = framed(br#"{"jsonrpc":"2.0","method":"exit"}"#);
    for i in 0..2_000 {
        tail.extend(framed(
            format!(
                r#"{{"jsonrpc":"2.0","id":{},"method":"wippy/x"}}"#,
                1000 + i
            )
            .as_bytes(),
        ));
    }
    l.send_raw_lossy(&tail);
    assert_eq!(l.wait_exit(Duration::from_secs(10)), Some(0));
    // Without shutdown: exit code 1.
    let mut l = initialized(&dir);
    l.notify("exit", Value::Null);
    assert_eq!(l.wait_exit(Duration::from_secs(10)), Some(1));
    // Input closed without exit: the process ends too.
    let mut l = initialized(&dir);
    l.close_input();
    assert!(l.wait_exit(Duration::from_secs(10)).is_some());
}
