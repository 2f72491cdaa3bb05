//! End-to-end: the real `wippy lsp` binary driven over pipes by a JSON-RPC client — diagnostics,
//! completion (`json.`, nested tables, `db:`, `require("`, YAML), hover, signature help,
//! definition, references and rename, and robustness against bad input.

mod common;
#[path = "common/lsp.rs"]
mod lsp;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

fn project(name: &str) -> PathBuf {
    let dir = common::tmp(name);
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("src/_index.yaml"),
        "version: \"1.0\"\nnamespace: app\n\nentries:\n  - name: db\n    kind: db.sql.sqlite\n    file: \":memory:\"\n\n  - name: strings\n    kind: library.lua\n    source: file://strings.lua\n\n  - name: main\n    kind: function.lua\n    source: file://main.lua\n    method: main\n    modules: [json, sql, crypto]\n    imports:\n      strings: app:strings\n",
    )
    .expect("yaml");
    std::fs::write(dir.join("src/strings.lua"), "local M = {}\n\nfunction M.trim(s: string): string\n    return (s:gsub(\"^%s+\", \"\"):gsub(\"%s+$\", \"\"))\nend\n\nreturn M\n").expect("lib");
    std::fs::write(
        dir.join("src/main.lua"),
        "return { main = function() end }\n",
    )
    .expect("main");
    canonical(&dir)
}

const MAIN: &str = r#"local json = require("json")
local sql = require("sql")
local strings = require("strings")

local function main(input)
    local db, err = sql.get("app:db")
    if err then
        return nil, err
    end
    local rows = db:query("SELECT 1")
    local out = json.encod(rows)
    return strings.trim(out), input
end

return { main = main }
"#;

use lsp::{canonical, labels, position_of, rich_capabilities, start, start_with, uri};

#[test]
fn a_session_answers_every_feature() {
    let dir = project("lsp-session");
    let main = dir.join("src/main.lua");
    let u = uri(&main);
    let mut s = start_with(
        json!({"processId": null, "rootUri": uri(&dir), "capabilities": rich_capabilities()}),
    );
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "lua", "version": 1, "text": MAIN}}),
    );
    let diags = s.diagnostics(&u);
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "E0004" && d["message"].as_str().unwrap_or("").contains("encod")),
        "{diags:?}"
    );
    assert_eq!(
        diags[0]["range"]["start"],
        position_of(MAIN, "encod(", false)
    );

    // Hover: a local's inferred type, and a method's signature and description.
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "db:query", false)}),
    );
    assert!(
        h["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("local db: sql.DB"),
        "{h}"
    );
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "query(", false)}),
    );
    let text = h["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(text.contains("query") && text.contains("SELECT"), "{h}");

    // Definition: a local function, and a library member in the imported library's source.
    let d = s.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "main }", false)}),
    );
    assert_eq!(
        d["result"]["range"]["start"],
        position_of(MAIN, "main(input)", false),
        "{d}"
    );
    let d = s.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "trim(out)", false)}),
    );
    assert_eq!(d["result"]["uri"], uri(&dir.join("src/strings.lua")), "{d}");
    assert_eq!(d["result"]["range"]["start"]["line"], 2, "{d}");

    // References and rename of a local.
    let r = s.request("textDocument/references", json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "rows)", false), "context": {"includeDeclaration": true}}));
    assert_eq!(r["result"].as_array().map(Vec::len), Some(2), "{r}");
    let r = s.request("textDocument/rename", json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "rows =", false), "newName": "result_rows"}));
    let edits = r["result"]["changes"][&u]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 2, "{r}");
    assert!(edits.iter().all(|e| e["newText"] == "result_rows"));
    let r = s.request("textDocument/rename", json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "rows =", false), "newName": "not valid"}));
    assert!(r.get("error").is_some(), "{r}");

    // Symbols.
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    assert!(labels(&json!({"result": r["result"].as_array().map(|a| a.iter().map(|x| json!({"label": x["name"]})).collect::<Vec<_>>())})).contains(&"main".to_owned()), "{r}");
    let r = s.request("workspace/symbol", json!({"query": "app:str"}));
    assert_eq!(r["result"][0]["name"], "app:strings", "{r}");

    // Completion, each probe in its own version of the buffer.
    let probes: [(&str, &str, &[&str]); 5] = [
        ("    json.", "json.", &["encode", "decode"]),
        (
            "    crypto.random.",
            "crypto.random.",
            &["bytes", "string", "uuid"],
        ),
        (
            "    local db = sql.get(\"app:db\")\n    db:",
            "db:",
            &["query", "execute", "begin"],
        ),
        (
            "    local x = require(\"",
            "require(\"",
            &["json", "sql", "crypto", "strings"],
        ),
        ("    local n = inp", "= inp", &["input", "json", "local"]),
    ];
    for (version, (line, after, want)) in probes.iter().enumerate() {
        let text = format!("local json = require(\"json\")\nlocal sql = require(\"sql\")\nlocal crypto = require(\"crypto\")\n\nlocal function main(input)\n{line}\nend\n\nreturn {{ main = main }}\n");
        s.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": version + 2}, "contentChanges": [{"text": text}]}));
        let r = s.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": position_of(&text, after, true)}),
        );
        let got = labels(&r);
        for w in *want {
            assert!(
                got.iter().any(|g| g == w),
                "after `{after}`: {w} missing from {got:?}"
            );
        }
        if *after == "json." {
            let item = &r["result"]
                .as_array()
                .expect("items")
                .iter()
                .find(|i| i["label"] == "encode")
                .cloned()
                .expect("encode");
            assert!(
                item["detail"].as_str().unwrap_or("").contains("value: any"),
                "{item}"
            );
            assert!(
                item["documentation"]["value"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{item}"
            );
            assert_eq!(item["insertTextFormat"], 2, "a call snippet: {item}");
        }
    }

    // Signature help through nested calls, with an incremental edit.
    let text = "local json = require(\"json\")\n\nlocal function main(v)\n    return json.encode(\nend\n\nreturn { main = main }\n";
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 20}, "contentChanges": [{"text": text}]}),
    );
    let r = s.request(
        "textDocument/signatureHelp",
        json!({"textDocument": {"uri": u}, "position": position_of(text, "encode(", true)}),
    );
    assert!(
        r["result"]["signatures"][0]["label"]
            .as_str()
            .unwrap_or("")
            .starts_with("encode(value: any)"),
        "{r}"
    );
    assert_eq!(r["result"]["activeParameter"], 0);
    let insert = position_of(text, "encode(", true);
    s.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 21}, "contentChanges": [{"range": {"start": insert, "end": insert}, "text": "{ a = json.decode(v, "}]}));
    let edited = text.replace("encode(", "encode({ a = json.decode(v, ");
    let r = s.request(
        "textDocument/signatureHelp",
        json!({"textDocument": {"uri": u}, "position": position_of(&edited, "decode(v, ", true)}),
    );
    assert!(
        r["result"]["signatures"][0]["label"]
            .as_str()
            .unwrap_or("")
            .starts_with("decode("),
        "{r}"
    );

    // YAML: modules and kinds, and `method:` → the source's function.
    let yaml_path = dir.join("src/_index.yaml");
    let yu = uri(&yaml_path);
    let yaml = std::fs::read_to_string(&yaml_path).expect("yaml").replace(
        "modules: [json, sql, crypto]",
        "modules: [json, sql, crypto, ha]",
    );
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": yu, "languageId": "yaml", "version": 1, "text": yaml}}),
    );
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": yu}, "position": position_of(&yaml, "crypto, ha", true)}),
    );
    assert!(labels(&r).contains(&"hash".to_owned()), "{r}");
    let r = s.request("textDocument/completion", json!({"textDocument": {"uri": yu}, "position": position_of(&yaml, "kind: function.lua", true)}));
    assert!(labels(&r).contains(&"library.lua".to_owned()), "{r}");
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": yu}, "position": position_of(&yaml, "strings: ", true)}),
    );
    assert!(labels(&r).contains(&"app:strings".to_owned()), "{r}");
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": yu}, "position": position_of(&yaml, "method: ", true)}),
    );
    assert!(labels(&r).contains(&"main".to_owned()), "{r}");
    let r = s.request("textDocument/definition", json!({"textDocument": {"uri": yu}, "position": position_of(&yaml, "source: file://main.lua", false)}));
    assert_eq!(r["result"]["uri"], u, "{r}");

    let r = s.request("shutdown", Value::Null);
    assert!(r.get("error").is_none(), "{r}");
    s.notify("exit", Value::Null);
}

#[test]
fn bad_input_never_stops_the_server() {
    let dir = project("lsp-robust");
    let mut s = start(&dir);
    // Malformed JSON: a parse error response, then business as usual.
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let r = s.wait(|m| m["error"]["code"] == -32700);
    assert!(r.is_some(), "no parse error response");
    let r = s.request("wippy/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // A file that does not parse, positions past the end, and unopened documents.
    let loose = dir.join("src/broken.lua");
    let lu = uri(&loose);
    s.notify("textDocument/didOpen", json!({"textDocument": {"uri": lu, "languageId": "lua", "version": 1, "text": "local = = ="}}));
    let diags = s.diagnostics(&lu);
    assert!(diags.iter().any(|d| d["code"] == "P0001"), "{diags:?}");
    assert!(
        diags.iter().any(|d| d["code"] == "H0001"),
        "a loose file says so: {diags:?}"
    );
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/signatureHelp",
    ] {
        let r = s.request(
            method,
            json!({"textDocument": {"uri": lu}, "position": {"line": 999, "character": 999}}),
        );
        assert!(r.get("error").is_none(), "{method}: {r}");
        let r = s.request(method, json!({"textDocument": {"uri": "file:///nowhere/x.lua"}, "position": {"line": 0, "character": 0}}));
        assert!(r.get("error").is_none(), "{method}: {r}");
    }
    // A file deleted under the server.
    let main = dir.join("src/main.lua");
    let mu = uri(&main);
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": mu, "languageId": "lua", "version": 1, "text": MAIN}}),
    );
    let _ = s.diagnostics(&mu);
    std::fs::remove_file(&main).expect("rm");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": mu, "type": 3}]}),
    );
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": mu}, "position": position_of(MAIN, "db:query", false)}),
    );
    assert!(r.get("error").is_none(), "{r}");
    assert!(s.alive());
}

#[test]
fn an_example_entry_opens_clean_and_completes() {
    let root = canonical(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/app"
    )));
    let mut s = start(&root);
    let file = root.join("src/api/create_user.lua");
    let text = std::fs::read_to_string(&file).expect("read");
    let u = uri(&file);
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "lua", "version": 1, "text": text}}),
    );
    let diags = s.diagnostics(&u);
    assert!(
        diags.iter().all(|d| d["severity"] != 1),
        "the example has no errors: {diags:?}"
    );
    // Break it: an unknown member is reported, as `wippy check` reports it.
    let broken = text.replace("uuid.v4()", "uuid.v9()");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let diags = s.diagnostics(&u);
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "E0004" && d["message"].as_str().unwrap_or("").contains("v9")),
        "{diags:?}"
    );
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": position_of(&broken, "uuid.", true)}),
    );
    assert!(labels(&r).contains(&"v4".to_owned()), "{r}");
}
