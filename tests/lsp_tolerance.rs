//! Error tolerance over a real `wippy lsp` session: with an unclosed `(` or a dangling `json.`
//! on another line — the normal state while typing — hover, completion, definition, signature
//! help and symbols keep answering, while the diagnostics stay exactly the syntax error
//! `wippy check` reports. Also: a file opened broken (no analysis that parsed yet), and
//! completion typed right after an edit.

mod common;
#[path = "common/fixture.rs"]
mod fixture;
#[path = "common/lsp.rs"]
mod lsp;

use serde_json::json;

use fixture::{project, src, MAIN};
use lsp::{labels, position_of, start, Session};

fn broken(line: &str) -> String {
    MAIN.replace(
        "    return json.encode",
        &format!("{line}\n    return json.encode"),
    )
}

fn every_request_answers(s: &mut Session, u: &str, text: &str, what: &str) {
    let r = s.at("textDocument/hover", u, text, "clean =", false);
    let h = r["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(h.contains("local clean"), "{what}: hover on a local: {r}");
    let r = s.at("textDocument/hover", u, text, "encode(", false);
    let h = r["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(h.contains("json.encode"), "{what}: hover on a member: {r}");
    let r = s.at("textDocument/definition", u, text, "main }", false);
    assert_eq!(
        r["result"]["range"]["start"],
        position_of(text, "main(input)", false),
        "{what}: {r}"
    );
    let r = s.at("textDocument/definition", u, text, "clean })", false);
    assert_eq!(
        r["result"]["range"]["start"],
        position_of(text, "clean =", false),
        "{what}: {r}"
    );
    let r = s.at("textDocument/signatureHelp", u, text, "encode(", true);
    let label = r["result"]["signatures"][0]["label"].as_str().unwrap_or("");
    assert!(label.starts_with("encode(value: any)"), "{what}: {r}");
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    let names: Vec<&str> = r["result"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(names.contains(&"main"), "{what}: {r}");
    let r = s.request("textDocument/completion", json!({"textDocument": {"uri": u}, "position": position_of(text, "json.encode", false), "context": {"triggerKind": 1}}));
    let got = labels(&r);
    assert!(
        got.iter().any(|l| l == "clean") && got.iter().any(|l| l == "input"),
        "{what}: locals in scope: {got:?}"
    );
}

#[test]
fn requests_work_with_a_syntax_error_on_another_line() {
    let root = project("lsp-tolerance");
    let path = src(&root, "main.lua");
    for (i, line) in ["    local oops = (", "    local partial = json."]
        .iter()
        .enumerate()
    {
        let mut s = start(&root);
        // Opened clean, then broken by an edit.
        let u = s.open(&path, MAIN);
        assert!(s.diagnostics(&u).is_empty());
        let text = broken(line);
        s.replace(&u, 2, &text);
        let diags = s.diagnostics(&u);
        let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
        assert_eq!(codes, ["P0001"], "only the syntax error: {diags:?}");
        every_request_answers(&mut s, &u, &text, line);
        if line.ends_with('.') {
            // Completion at the dangling `json.` itself.
            let at_dot = position_of(&text, "partial = json.", true);
            let r = s.request("textDocument/completion", json!({"textDocument": {"uri": u}, "position": at_dot, "context": {"triggerKind": 2, "triggerCharacter": "."}}));
            assert!(labels(&r).contains(&"decode".to_owned()), "{r}");
        }
        // Opened broken: nothing parsed yet, the recovered tree answers.
        let mut s = start(&root);
        let u = s.open(&path, &text);
        let _ = s.diagnostics(&u);
        every_request_answers(&mut s, &u, &text, &format!("opened broken #{i}"));
    }
}

#[test]
fn an_unfinished_string_keeps_the_rest_of_the_file() {
    let root = project("lsp-tolerance-string");
    let mut s = start(&root);
    let path = src(&root, "main.lua");
    let text = broken("    local s = require(\"");
    let u = s.open(&path, &text);
    let diags = s.diagnostics(&u);
    assert_eq!(diags.len(), 1, "{diags:?}");
    every_request_answers(&mut s, &u, &text, "unfinished string");
}

#[test]
fn completion_right_after_an_edit_does_not_wait_for_its_analysis() {
    let root = project("lsp-tolerance-typing");
    let mut s = start(&root);
    let path = src(&root, "main.lua");
    let u = s.open(&path, MAIN);
    let _ = s.diagnostics(&u);
    // Type `json.` character by character, then ask at once.
    let line = position_of(MAIN, "    return json.encode", false)["line"]
        .as_u64()
        .unwrap_or(0);
    let mut typed = String::new();
    for (v, c) in "    local x = json.".chars().enumerate() {
        typed.push(c);
        let col = typed.len() - 1;
        s.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": v + 2}, "contentChanges": [{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": c.to_string()}]}));
    }
    let r = s.request("textDocument/completion", json!({"textDocument": {"uri": u}, "position": {"line": line, "character": typed.len()}, "context": {"triggerKind": 2, "triggerCharacter": "."}}));
    let got = labels(&r);
    assert!(got.contains(&"encode".to_owned()), "{got:?}");
}
