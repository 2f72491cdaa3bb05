//! Code actions, semantic tokens, inlay hints, document highlight, folding ranges, pull
//! diagnostics, signature help of a local function and concise hovers, over a real `wippy lsp`
//! session on an entry of the fixture project.

mod common;
#[path = "common/fixture.rs"]
mod fixture;
#[path = "common/lsp.rs"]
mod lsp;

use serde_json::{json, Value};

use fixture::{project, src};
use lsp::{position_of, start, start_with, uri, Session};

const TEXT: &str = r#"local json = require("json")
local str = require("strings")
local unused_mod = require("strings")

local function add(a: number, b: number): number
    return a + b
end

local function main(input)
    local total = add(1, 2)
    local extra = 5
    local clean = str.trim(input)
    -- a comment
    -- over two lines
    print(total)
    return json.encod({ value = clean, total = total })
end

return { main = main }
"#;

fn open(s: &mut Session, root: &std::path::Path) -> (String, Vec<Value>) {
    let u = s.open(&src(root, "main.lua"), TEXT);
    let d = s.diagnostics(&u);
    (u, d)
}

fn actions_at(s: &mut Session, u: &str, needle: &str) -> Vec<Value> {
    let p = position_of(TEXT, needle, false);
    let r = s.request("textDocument/codeAction", json!({"textDocument": {"uri": u}, "range": {"start": p, "end": p}, "context": {"diagnostics": []}}));
    r["result"].as_array().cloned().unwrap_or_default()
}

fn titled<'a>(actions: &'a [Value], part: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap_or("").contains(part))
        .unwrap_or_else(|| panic!("no action with {part:?}: {actions:?}"))
}

#[test]
fn code_actions_fix_what_the_checker_knows() {
    let root = project("lsp-feat-actions");
    let mut s = start(&root);
    let (u, diags) = open(&mut s, &root);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    for c in ["E0004", "W0004", "W0006"] {
        assert!(codes.contains(&c), "{c}: {diags:?}");
    }
    let a = actions_at(&mut s, &u, "encod(");
    let fix = titled(&a, "to `encode`");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["edit"]["changes"][&u][0]["newText"], "encode", "{fix}");
    let suppress = titled(&a, "Suppress E0004");
    assert_eq!(
        suppress["edit"]["changes"][&u][0]["newText"],
        "    -- wippy: ignore-next-line E0004\n"
    );
    let a = actions_at(&mut s, &u, "extra =");
    let prefix = titled(&a, "Prefix `extra`");
    assert_eq!(prefix["edit"]["changes"][&u][0]["newText"], "_", "{prefix}");
    let a = actions_at(&mut s, &u, "unused_mod");
    let remove = titled(&a, "Remove the unused import");
    let e = &remove["edit"]["changes"][&u][0];
    assert_eq!(
        e["range"]["start"],
        json!({"line": 2, "character": 0}),
        "{e}"
    );
    assert_eq!(e["range"]["end"], json!({"line": 3, "character": 0}), "{e}");
    assert_eq!(e["newText"], "");
}

/// Decoded semantic tokens: (line, character, length, type, modifiers).
fn decode(data: &Value) -> Vec<(u64, u64, u64, u64, u64)> {
    let d: Vec<u64> = data
        .as_array()
        .expect("data")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    let (mut line, mut col) = (0, 0);
    d.chunks(5)
        .map(|c| {
            if c[0] > 0 {
                col = 0;
            }
            line += c[0];
            col += c[1];
            (line, col, c[2], c[3], c[4])
        })
        .collect()
}

#[test]
fn semantic_tokens_classify_names() {
    let root = project("lsp-feat-tokens");
    let mut s = start(&root);
    let (u, _) = open(&mut s, &root);
    let r = s.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": u}}),
    );
    let toks = decode(&r["result"]["data"]);
    let at = |needle: &str| {
        let p = position_of(TEXT, needle, false);
        let (l, c) = (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        );
        toks.iter()
            .find(|t| t.0 == l && t.1 == c)
            .map(|t| (t.3, t.4))
            .unwrap_or_else(|| panic!("no token at {needle:?}: {toks:?}"))
    };
    // Types: namespace 0, type 1, parameter 2, variable 3, property 4, function 5, method 6;
    // modifiers: declaration 1, readonly 2, defaultLibrary 4.
    assert_eq!(
        at("json = require"),
        (0, 3),
        "an import: namespace, declared, readonly"
    );
    assert_eq!(at("a: number"), (2, 1));
    assert_eq!(at("number, b"), (1, 0));
    assert_eq!(at("a + b"), (2, 0));
    assert_eq!(at("add(1, 2)"), (5, 0));
    assert_eq!(at("trim(input)"), (5, 0), "a library function");
    assert_eq!(
        at("print(total)"),
        (5, 6),
        "a global: defaultLibrary, readonly"
    );
    assert_eq!(at("total)"), (3, 0));
}

#[test]
fn inlay_hints_show_parameter_names_and_inferred_types_and_can_be_turned_off() {
    let root = project("lsp-feat-hints");
    let mut s = start(&root);
    let (u, _) = open(&mut s, &root);
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}});
    let r = s.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": u}, "range": whole}),
    );
    let labels: Vec<(Value, String)> = r["result"]
        .as_array()
        .expect("hints")
        .iter()
        .map(|h| {
            (
                h["position"].clone(),
                h["label"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let has = |pos: Value, label: &str| labels.iter().any(|(p, l)| *p == pos && l == label);
    assert!(has(position_of(TEXT, "1, 2)", false), "a:"), "{labels:?}");
    assert!(has(position_of(TEXT, "2)", false), "b:"), "{labels:?}");
    assert!(has(position_of(TEXT, "trim(", true), "s:"), "{labels:?}");
    assert!(
        has(position_of(TEXT, "local total", true), ": number"),
        "{labels:?}"
    );
    assert!(
        labels.iter().all(|(_, l)| l != "modname:"),
        "no hint on `require`: {labels:?}"
    );
    // Configured off: no parameter names.
    let mut s = start_with(
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}, "initializationOptions": {"inlayHints": {"parameterNames": false}}}),
    );
    let (u, _) = open(&mut s, &root);
    let r = s.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": u}, "range": whole}),
    );
    let hints = r["result"].as_array().cloned().unwrap_or_default();
    assert!(hints.iter().all(|h| h["kind"] == 1), "types only: {r}");
    assert!(!hints.is_empty());
}

#[test]
fn highlight_folding_and_pull_diagnostics() {
    let root = project("lsp-feat-misc");
    let mut s = start(&root);
    let (u, _) = open(&mut s, &root);
    let r = s.at("textDocument/documentHighlight", &u, TEXT, "clean =", false);
    let kinds: Vec<u64> = r["result"]
        .as_array()
        .expect("highlights")
        .iter()
        .filter_map(|h| h["kind"].as_u64())
        .collect();
    assert_eq!(kinds, [3, 2], "declaration written, use read: {r}");
    let r = s.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": u}}),
    );
    let folds = r["result"].as_array().cloned().unwrap_or_default();
    let main_line = position_of(TEXT, "local function main", false)["line"].clone();
    assert!(folds.iter().any(|f| f["startLine"] == main_line), "{r}");
    assert!(folds.iter().any(|f| f["kind"] == "comment"), "{r}");
    let r = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": u}}),
    );
    assert_eq!(r["result"]["kind"], "full", "{r}");
    let items = r["result"]["items"].as_array().cloned().unwrap_or_default();
    assert!(items.iter().any(|d| d["code"] == "E0004"), "{r}");
    let id = r["result"]["resultId"].clone();
    let r = s.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": u}, "previousResultId": id}),
    );
    assert_eq!(r["result"]["kind"], "unchanged", "{r}");
}

#[test]
fn signature_help_of_a_local_function_and_concise_hovers() {
    let root = project("lsp-feat-hover");
    let mut s = start(&root);
    let (u, _) = open(&mut s, &root);
    let r = s.at("textDocument/signatureHelp", &u, TEXT, "add(1", true);
    assert_eq!(
        r["result"]["signatures"][0]["label"], "add(a: number, b: number) -> number",
        "{r}"
    );
    let r = s.at("textDocument/signatureHelp", &u, TEXT, "add(1, ", true);
    assert_eq!(r["result"]["activeParameter"], 1, "{r}");
    let r = s.at("textDocument/hover", &u, TEXT, "trim(input)", false);
    let h = r["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(h.contains("function str.trim(s: string) -> string"), "{h}");
    assert!(
        !h.contains("pad") && h.len() < 200,
        "the member, not its library: {h}"
    );
    let r = s.at("textDocument/hover", &u, TEXT, "str = require", false);
    let h = r["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(h.len() < 300, "{h}");
}
