//! Navigation over a real `wippy lsp` session: hierarchical document symbols (`function M.x`,
//! `M.x = function`, the returned table's fields, YAML entries), references and rename of an
//! exported library function across the library and its importers (a `require` alias and the
//! import's global), prepareRename, and rename refusing keywords and invalid names.

mod common;
#[path = "common/fixture.rs"]
mod fixture;
#[path = "common/lsp.rs"]
mod lsp;

use serde_json::{json, Value};

use fixture::{project, src, MAIN, REPORT, STRINGS, YAML};
use lsp::{position_of, rich_capabilities, start_with, uri};

fn names(symbols: &Value) -> Vec<String> {
    symbols
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn child<'v>(symbols: &'v Value, name: &str) -> &'v Value {
    symbols
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no symbol {name} in {symbols}"))
}

#[test]
fn document_symbols_are_hierarchical_and_list_the_module_api() {
    let root = project("lsp-nav-symbols");
    let mut s = start_with(
        json!({"processId": null, "rootUri": uri(&root), "capabilities": rich_capabilities()}),
    );
    let lib = s.open(&src(&root, "strings.lua"), STRINGS);
    let _ = s.diagnostics(&lib);
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": lib}}),
    );
    let m = child(&r["result"], "M");
    assert_eq!(names(&m["children"]), ["trim", "pad", "shout"], "{r}");
    let trim = child(&m["children"], "trim");
    assert_eq!(trim["kind"], 12, "a function: {trim}");
    assert_eq!(
        trim["selectionRange"]["start"],
        position_of(STRINGS, "trim(s: string)", false)
    );
    // The whole `function … end` is the range.
    assert_eq!(trim["range"]["end"]["line"], 4, "{trim}");

    let main = s.open(&src(&root, "main.lua"), MAIN);
    let _ = s.diagnostics(&main);
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": main}}),
    );
    assert_eq!(
        names(&r["result"]),
        ["json", "str", "main", "return"],
        "{r}"
    );
    assert_eq!(names(&child(&r["result"], "return")["children"]), ["main"]);

    let yaml = s.open(&src(&root, "_index.yaml"), YAML);
    let _ = s.diagnostics(&yaml);
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": yaml}}),
    );
    assert_eq!(
        names(&r["result"]),
        ["db", "strings", "main", "report"],
        "{r}"
    );
    let entry = child(&r["result"], "main");
    assert!(
        entry["range"]["end"]["line"].as_u64() > entry["range"]["start"]["line"].as_u64(),
        "an entry spans its block: {entry}"
    );
}

#[test]
fn flat_clients_get_symbols_with_their_container() {
    let root = project("lsp-nav-flat");
    let mut s = lsp::start(&root);
    let lib = s.open(&src(&root, "strings.lua"), STRINGS);
    let _ = s.diagnostics(&lib);
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": lib}}),
    );
    let pad = child(&r["result"], "pad");
    assert_eq!(pad["containerName"], "M", "{r}");
    assert!(pad["location"]["range"].is_object());
}

/// (file name, line, character) of each location, sorted.
fn places(r: &Value, root: &std::path::Path) -> Vec<(String, u64, u64)> {
    let mut out: Vec<(String, u64, u64)> = r["result"]
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            let file = l["uri"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches(&uri(&root.join("src")))
                .trim_start_matches('/')
                .to_owned();
            (
                file,
                l["range"]["start"]["line"].as_u64().unwrap_or(0),
                l["range"]["start"]["character"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn references_and_rename_of_an_export_cross_files() {
    let root = project("lsp-nav-rename");
    let mut s = lsp::start(&root);
    let main = s.open(&src(&root, "main.lua"), MAIN);
    let _ = s.diagnostics(&main);
    let want = vec![
        ("main.lua".to_owned(), 4, 22),
        ("report.lua".to_owned(), 1, 23),
        ("strings.lua".to_owned(), 2, 11),
        ("strings.lua".to_owned(), 11, 13),
    ];
    // From an importer (through the `require` local `str`).
    let r = s.request("textDocument/references", json!({"textDocument": {"uri": main}, "position": position_of(MAIN, "trim(input)", false), "context": {"includeDeclaration": true}}));
    assert_eq!(places(&r, &root), want, "{r}");
    let r = s.request("textDocument/references", json!({"textDocument": {"uri": main}, "position": position_of(MAIN, "trim(input)", false), "context": {"includeDeclaration": false}}));
    assert_eq!(places(&r, &root).len(), 3, "the definition left out: {r}");

    // From the library's definition (the library open too).
    let lib = s.open(&src(&root, "strings.lua"), STRINGS);
    let _ = s.diagnostics(&lib);
    let r = s.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": lib}, "position": position_of(STRINGS, "trim(s: string)", false)}),
    );
    assert_eq!(r["result"]["placeholder"], "trim", "{r}");
    let r = s.request("textDocument/rename", json!({"textDocument": {"uri": lib}, "position": position_of(STRINGS, "trim(s: string)", false), "newName": "strip"}));
    let changes = r["result"]["changes"].as_object().expect("changes");
    assert_eq!(changes.len(), 3, "library and both importers: {r}");
    let count = |file: &str| {
        changes[&uri(&src(&root, file))].as_array().map_or(0, |e| {
            assert!(e.iter().all(|e| e["newText"] == "strip"));
            e.len()
        })
    };
    assert_eq!(
        (count("strings.lua"), count("main.lua"), count("report.lua")),
        (2, 1, 1)
    );
    let r = s.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": main}, "position": position_of(MAIN, "trim(input)", false)}),
    );
    assert_eq!(r["result"]["uri"], lib, "{r}");
    assert_eq!(
        r["result"]["range"]["start"],
        position_of(STRINGS, "trim(s: string)", false)
    );
    // The global-alias importer, for the record.
    assert!(REPORT.contains("text.trim(rows)"));
}

#[test]
fn rename_refuses_keywords_and_what_cannot_be_renamed() {
    let root = project("lsp-nav-refuse");
    let mut s = lsp::start(&root);
    let main = s.open(&src(&root, "main.lua"), MAIN);
    let _ = s.diagnostics(&main);
    for bad in ["end", "1x", "a b", "", "local"] {
        let r = s.request("textDocument/rename", json!({"textDocument": {"uri": main}, "position": position_of(MAIN, "clean =", false), "newName": bad}));
        assert_eq!(r["error"]["code"], -32602, "{bad:?}: {r}");
    }
    let r = s.request("textDocument/rename", json!({"textDocument": {"uri": main}, "position": position_of(MAIN, "clean =", false), "newName": "tidy"}));
    let edits = r["result"]["changes"][&main]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 2, "a local: declaration and use: {r}");
    // A keyword, a module function, and an empty spot cannot be renamed.
    for (needle, after) in [
        ("local function", false),
        ("encode(", false),
        ("\n\nreturn", true),
    ] {
        let r = s.request(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": main}, "position": position_of(MAIN, needle, after)}),
        );
        assert!(r["result"].is_null(), "{needle:?}: {r}");
    }
}
