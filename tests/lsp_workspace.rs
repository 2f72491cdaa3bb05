//! The workspace over a real `wippy lsp` session: every workspace folder loaded, a plain Lua
//! folder checked for syntax only, edits to a library republishing its open importers, an
//! unsaved `_index.yaml` edit reaching open entries, file watching registered and acted on,
//! completion triggers (never a space) and snippets only for clients that take them, and the
//! lifecycle: `shutdown` with `null` params, `exit` ending the process.

mod common;
#[path = "common/fixture.rs"]
mod fixture;
#[path = "common/lsp.rs"]
mod lsp;

use serde_json::{json, Value};

use fixture::{project, src, MAIN, STRINGS, YAML};
use lsp::{labels, position_of, rich_capabilities, start, start_with, uri, Session};

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn every_workspace_folder_is_loaded_and_plain_lua_gets_syntax_errors_only() {
    let a = project("lsp-ws-a");
    let b = project("lsp-ws-b");
    let plain = common::tmp("lsp-ws-plain");
    std::fs::write(plain.join("tool.lua"), "").expect("write");
    let plain = plain.canonicalize().expect("canonical");
    let folders: Vec<Value> = [&a, &b, &plain]
        .iter()
        .map(|d| json!({"uri": uri(d), "name": "f"}))
        .collect();
    let mut s = start_with(
        json!({"processId": null, "rootUri": uri(&a), "workspaceFolders": folders, "capabilities": {"general": {"positionEncodings": ["utf-16"]}}}),
    );
    // An error in the second folder's entry is found: it is checked as an entry there.
    let text = MAIN.replace("json.encode(", "json.encod(");
    let u = s.open(&src(&b, "main.lua"), &text);
    assert_eq!(codes(&s.diagnostics(&u)), ["E0004"]);
    // A plain Lua folder: `require` and unknown globals are fine, syntax errors are not.
    let tool = plain.join("tool.lua");
    let u = s.open(
        &tool,
        "local lfs = require(\"lfs\")\nprint(lfs.currentdir(), undefined_thing)\n",
    );
    assert!(s.diagnostics(&u).is_empty());
    s.replace(&u, 2, "local lfs = require(\"lfs\"\nprint(lfs)\n");
    assert_eq!(codes(&s.diagnostics(&u)), ["P0001"]);
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 1, "character": 7}}),
    );
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("lfs"),
        "{r}"
    );
}

#[test]
fn library_edits_republish_open_importers_and_yaml_edits_apply_unsaved() {
    let root = project("lsp-ws-republish");
    let mut s = start(&root);
    let main = s.open(&src(&root, "main.lua"), MAIN);
    assert!(s.diagnostics(&main).is_empty());
    let lib = s.open(&src(&root, "strings.lua"), STRINGS);
    assert!(s.diagnostics(&lib).is_empty());
    // Rename `trim` in the library only: the importer, untouched, is republished with E0004.
    s.replace(&lib, 2, &STRINGS.replace("M.trim", "M.strip"));
    let _ = s.diagnostics(&lib);
    let diags = s.diagnostics(&main);
    assert_eq!(codes(&diags), ["E0004"], "{diags:?}");
    assert!(diags[0]["message"].as_str().unwrap_or("").contains("trim"));
    // And back.
    s.replace(&lib, 3, STRINGS);
    let _ = s.diagnostics(&lib);
    assert!(s.diagnostics(&main).is_empty());
    // An unsaved `_index.yaml` edit reaches the open entry: `json` no longer declared.
    let yaml = s.open(&src(&root, "_index.yaml"), YAML);
    let _ = s.diagnostics(&yaml);
    s.replace(&yaml, 2, &YAML.replace("    modules: [json]\n", ""));
    let diags = s.diagnostics(&main);
    assert_eq!(codes(&diags), ["E0001"], "{diags:?}");
    // Code actions offer to add it back, in the YAML buffer.
    let r = s.request("textDocument/codeAction", json!({"textDocument": {"uri": main}, "range": {"start": position_of(MAIN, "\"json\"", false), "end": position_of(MAIN, "\"json\"", false)}, "context": {"diagnostics": []}}));
    let add = r["result"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["title"].as_str().unwrap_or("").contains("modules:"))
        })
        .cloned()
        .unwrap_or_else(|| panic!("no add-module action: {r}"));
    let edits = add["edit"]["changes"][&yaml]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 1, "{add}");
    assert!(
        edits[0]["newText"]
            .as_str()
            .unwrap_or("")
            .contains("modules: [json]"),
        "{add}"
    );
}

#[test]
fn watched_files_are_registered_and_a_checkout_is_seen() {
    let root = project("lsp-ws-watch");
    let mut s = start_with(
        json!({"processId": null, "rootUri": uri(&root), "capabilities": rich_capabilities()}),
    );
    let main = s.open(&src(&root, "main.lua"), MAIN);
    assert!(s.diagnostics(&main).is_empty());
    let reg = s
        .server_requests
        .iter()
        .find(|m| m["method"] == "client/registerCapability")
        .cloned()
        .expect("file watchers registered");
    let globs: Vec<&str> = reg["params"]["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .map(|w| w.iter().filter_map(|x| x["globPattern"].as_str()).collect())
        .unwrap_or_default();
    for g in [
        "**/*.lua",
        "**/*.luau",
        "**/*.yaml",
        "**/wippy.lock",
        "**/wraith.toml",
    ] {
        assert!(globs.contains(&g), "{g} not watched: {globs:?}");
    }
    // A `git checkout` changes the (closed) library on disk: the open importer is rechecked.
    let lib = src(&root, "strings.lua");
    std::fs::write(&lib, STRINGS.replace("M.trim", "M.strip")).expect("write");
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&lib), "type": 2}]}),
    );
    assert_eq!(codes(&s.diagnostics(&main)), ["E0004"]);
    // A new entry file and its YAML appear on disk.
    std::fs::write(
        src(&root, "extra.lua"),
        "local function go() return nope end\nreturn { go = go }\n",
    )
    .expect("write");
    std::fs::write(
        src(&root, "_index.yaml"),
        format!("{YAML}\n  - name: extra\n    kind: function.lua\n    source: file://extra.lua\n    method: go\n"),
    )
    .expect("write");
    s.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&src(&root, "extra.lua")), "type": 1}, {"uri": uri(&src(&root, "_index.yaml")), "type": 2}]}));
    let extra = s.open(
        &src(&root, "extra.lua"),
        &std::fs::read_to_string(src(&root, "extra.lua")).expect("read"),
    );
    let diags = s.diagnostics(&extra);
    assert_eq!(
        codes(&diags),
        ["E0001"],
        "an entry now, not a loose file: {diags:?}"
    );
}

#[test]
fn triggers_never_include_a_space_and_snippets_need_client_support() {
    let root = project("lsp-ws-triggers");
    let mut s = Session::start();
    let r = s.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}}),
    );
    let triggers = &r["result"]["capabilities"]["completionProvider"]["triggerCharacters"];
    assert_eq!(triggers, &json!([".", ":", "\"", "'"]), "{r}");
    s.notify("initialized", json!({}));
    let u = s.open(&src(&root, "main.lua"), MAIN);
    let _ = s.diagnostics(&u);
    // A space (should a client send one) and a quote outside `require(` offer nothing.
    let r = s.request("textDocument/completion", json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "local clean ", true), "context": {"triggerKind": 2, "triggerCharacter": " "}}));
    assert!(labels(&r).is_empty(), "{r}");
    // Members complete without snippets for a client that did not ask for them.
    let r = s.request("textDocument/completion", json!({"textDocument": {"uri": u}, "position": position_of(MAIN, "json.", true), "context": {"triggerKind": 2, "triggerCharacter": "."}}));
    let items = r["result"].as_array().cloned().unwrap_or_default();
    assert!(items.iter().any(|i| i["label"] == "encode"), "{r}");
    assert!(items.iter().all(|i| i["insertTextFormat"] != 2), "{r}");
    // In YAML, Lua's trigger characters start nothing.
    let y = s.open(&src(&root, "_index.yaml"), YAML);
    let _ = s.diagnostics(&y);
    let r = s.request("textDocument/completion", json!({"textDocument": {"uri": y}, "position": position_of(YAML, "kind:", true), "context": {"triggerKind": 2, "triggerCharacter": ":"}}));
    assert!(labels(&r).is_empty(), "{r}");
}

#[test]
fn shutdown_takes_null_params_and_exit_ends_the_process() {
    let root = project("lsp-ws-exit");
    let mut s = start(&root);
    let body = r#"{"jsonrpc":"2.0","id":99,"method":"shutdown","params":null}"#;
    s.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    let r = s.wait(|m| m["id"] == 99).expect("a response to shutdown");
    assert!(r.get("error").is_none(), "{r}");
    s.notify("exit", Value::Null);
    assert_eq!(
        s.wait_exit(std::time::Duration::from_secs(5)),
        Some(0),
        "exit after shutdown: status 0"
    );

    // `exit` without `shutdown`: the process ends with status 1; stdin is still open.
    let mut s = start(&root);
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(std::time::Duration::from_secs(5)), Some(1));
}
