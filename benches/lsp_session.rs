//! `wippy lsp` measured from outside, over pipes, as an editor sees it (issue targets:
//! completion p95 ≤ 5 ms including right after an edit, didChange → publishDiagnostics p95 ≤
//! 30 ms, hover/definition p95 ≤ 5 ms; memory with 20 large files open).
//!
//! Two generated entries (no corpus code): a ~2,800-line test suite shaped like the largest
//! real entry of the public Wippy projects (nested closures, tables of functions, calls into an
//! imported library), and a 5,000-line entry of handler functions. Edits come 100 ms apart, as
//! typing pauses do. Run: `cargo bench --bench lsp_session`.

#[path = "../tests/common/lsp.rs"]
mod lsp;
#[path = "common/proc.rs"]
mod proc;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn handler(i: usize) -> String {
    format!(
        "local function handler_{i}(input: {{id: number, name: string}})\n    local db, err = sql.get(\"app:db\")\n    if err then\n        return nil, err\n    end\n    local rows, qerr = db:query(\"SELECT * FROM items WHERE id = ?\", {{ input.id }})\n    if qerr then\n        return nil, qerr\n    end\n    local total = 0\n    for _, row in ipairs(rows) do\n        total = total + (row.price or 0)\n    end\n    local body = json.encode({{ id = input.id, total = total, name = input.name }})\n    local digest = hash.sha256(body)\n    local parts = {{}}\n    for word in string.gmatch(input.name, \"%S+\") do\n        table.insert(parts, string.upper(word))\n    end\n    local label = table.concat(parts, \" \")\n    if #label > 40 then\n        label = string.sub(label, 1, 40)\n    end\n    return {{ body = body, digest = digest, label = label }}\nend\n\n"
    )
}

/// A 5,000-line entry of handlers.
fn handlers() -> String {
    let mut src = String::from("local json = require(\"json\")\nlocal sql = require(\"sql\")\nlocal hash = require(\"hash\")\n\n");
    let mut i = 0;
    while src.lines().count() < 4_990 {
        src.push_str(&handler(i));
        i += 1;
    }
    src.push_str(
        "local function main(input)\n    return handler_0(input)\nend\n\nreturn { main = main }\n",
    );
    src
}

/// One case of the suite: a fake store of closures, assertions through the library.
fn case(i: usize) -> String {
    format!(
        "local function case_{i}(t)\n    local store = {{}}\n    local fake = {{\n        put = function(key, value)\n            store[key] = value\n            return true, nil\n        end,\n        get = function(key)\n            return store[key], nil\n        end,\n        list = function(prefix)\n            local out = {{}}\n            for k, v in pairs(store) do\n                if string.sub(k, 1, #prefix) == prefix then\n                    table.insert(out, {{ key = k, value = v }})\n                end\n            end\n            return out\n        end,\n    }}\n    local ok = fake.put(\"item:{i}\", {{ id = {i}, name = \"n{i}\" }})\n    check.truthy(ok, \"put {i}\")\n    local got = fake.get(\"item:{i}\")\n    check.equal(got.id, {i}, \"id {i}\")\n    local listed = fake.list(\"item:\")\n    check.equal(#listed, 1, \"one item\")\n    local body = json.encode(listed)\n    local back = json.decode(body)\n    check.equal(back[1].key, \"item:{i}\", \"round trip\")\n    local trimmed = check.trim(\"  {i}  \")\n    return t, trimmed\nend\n\n"
    )
}

/// A ~2,800-line test suite importing the `check` library.
fn suite() -> String {
    let mut src =
        String::from("local json = require(\"json\")\nlocal check = require(\"check\")\n\n");
    let mut i = 0;
    while src.lines().count() < 2_780 {
        src.push_str(&case(i));
        i += 1;
    }
    src.push_str("local function run(t)\n    return case_0(t)\nend\n\nreturn { run = run }\n");
    src
}

const CHECK_LIB: &str = "local M = {}\n\nfunction M.truthy(v: any, what: string): boolean\n    if not v then error(what) end\n    return true\nend\n\nfunction M.equal(a: any, b: any, what: string): boolean\n    if a ~= b then error(what) end\n    return true\nend\n\nfunction M.trim(s: string): string\n    return (string.gsub(s, \"^%s+\", \"\"))\nend\n\nreturn M\n";

fn project(dir: &Path, entries: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("check.lua"), CHECK_LIB).expect("lib");
    let mut yaml = String::from("namespace: app\nentries:\n  - name: db\n    kind: db.sql.sqlite\n    file: \":memory:\"\n  - name: check\n    kind: library.lua\n    source: file://check.lua\n");
    for (name, text) in entries {
        std::fs::write(dir.join(format!("{name}.lua")), text).expect("write");
        let method = if text.contains("run = run") {
            "run"
        } else {
            "main"
        };
        yaml.push_str(&format!("  - name: {name}\n    kind: function.lua\n    source: file://{name}.lua\n    method: {method}\n    modules: [json, sql, hash]\n    imports:\n      check: app:check\n"));
    }
    std::fs::write(dir.join("_index.yaml"), yaml).expect("yaml");
}

fn percentiles(mut v: Vec<Duration>) -> String {
    v.sort();
    let p50 = v[v.len() / 2];
    let p95 = v[(v.len() * 95 / 100).min(v.len() - 1)];
    format!("p50 {:>8.2?}  p95 {:>8.2?}", p50, p95)
}

fn position(text: &str, offset: usize) -> Value {
    let line = text[..offset].matches('\n').count();
    let col = offset - text[..offset].rfind('\n').map_or(0, |p| p + 1);
    json!({"line": line, "character": col})
}

fn session(dir: &Path) -> lsp::Session {
    let mut s = lsp::Session::start();
    s.request("initialize", json!({"processId": null, "rootUri": format!("file://{}", dir.display()), "capabilities": {}}));
    s.notify("initialized", json!({}));
    s
}

/// Insert `line` before the line at byte `at`, as version `v`; returns the new text.
fn insert_line(
    s: &mut lsp::Session,
    uri: &str,
    text: &str,
    at: usize,
    line: &str,
    v: i32,
) -> String {
    let p = position(text, at);
    s.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"range": {"start": p, "end": p}, "text": format!("{line}\n")}]}));
    format!("{}{line}\n{}", &text[..at], &text[at..])
}

/// Remove the line at byte `at` of `text` (as version `v`).
fn remove_line(s: &mut lsp::Session, uri: &str, text: &str, at: usize, v: i32) {
    let p = position(text, at);
    let next = json!({"line": p["line"].as_u64().unwrap_or(0) + 1, "character": 0});
    s.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"range": {"start": p, "end": next}, "text": ""}]}));
}

fn published(s: &mut lsp::Session, v: i32) -> bool {
    s.wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == v)
        .is_some()
}

fn measure(name: &str, src: &str, dir: &Path, file: &Path) {
    let uri = format!("file://{}", file.display());
    let mut s = session(dir);
    let started = Instant::now();
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "lua", "version": 1, "text": src}}),
    );
    let _ = s.diagnostics(&uri);
    println!(
        "{name} ({} lines): didOpen → diagnostics {:.1?}",
        src.lines().count(),
        started.elapsed()
    );
    let anchor = src.rfind("\n    local ").expect("anchor") + 1;
    let mut v = 1;
    for (what, line) in [
        (
            "didChange → publishDiagnostics (edit that parses)",
            "    local unused_# = 1",
        ),
        (
            "didChange → publishDiagnostics (syntax error)",
            "    local partial_# = json.",
        ),
    ] {
        let (mut times, mut cpus) = (Vec::new(), Vec::new());
        for k in 0..30 {
            v += 1;
            // A new text each time (the summary cache would answer a repeated one).
            let line = line.replace('#', &k.to_string());
            let (t, c) = (Instant::now(), proc::cpu(s.pid()));
            let edited = insert_line(&mut s, &uri, src, anchor, &line, v);
            assert!(published(&mut s, v), "no diagnostics for version {v}");
            times.push(t.elapsed());
            cpus.push(proc::cpu(s.pid()).saturating_sub(c));
            v += 1;
            remove_line(&mut s, &uri, &edited, anchor, v);
            assert!(published(&mut s, v));
            std::thread::sleep(Duration::from_millis(100));
        }
        println!("  {what:<52} {}", percentiles(times));
        println!("  {:<52} {}", "  server CPU for it", percentiles(cpus));
    }
    // Completion right after the edit that typed `json.` (its analysis not there yet).
    let (mut after_edit, mut steady) = (Vec::new(), Vec::new());
    for k in 0..30 {
        v += 1;
        let line = format!("    local probe_{k} = json.");
        let edited = insert_line(&mut s, &uri, src, anchor, &line, v);
        let t = Instant::now();
        let r = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": position(&edited, anchor + line.len()), "context": {"triggerKind": 2, "triggerCharacter": "."}}));
        after_edit.push(t.elapsed());
        assert!(lsp::labels(&r).contains(&"encode".to_owned()), "{r}");
        assert!(published(&mut s, v));
        let t = Instant::now();
        let r = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": position(&edited, anchor + line.len()), "context": {"triggerKind": 2, "triggerCharacter": "."}}));
        steady.push(t.elapsed());
        assert!(!lsp::labels(&r).is_empty());
        v += 1;
        remove_line(&mut s, &uri, &edited, anchor, v);
        assert!(published(&mut s, v));
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "  {:<52} {}",
        "completion after `json.`, right after the edit",
        percentiles(after_edit)
    );
    println!(
        "  {:<52} {}",
        "completion after `json.`, analysed",
        percentiles(steady)
    );
    let (mut hover, mut definition) = (Vec::new(), Vec::new());
    let targets: Vec<usize> = src
        .match_indices("json.encode")
        .map(|(i, _)| i + 6)
        .take(60)
        .collect();
    let locals: Vec<usize> = src
        .match_indices("(body)")
        .map(|(i, _)| i + 1)
        .chain(src.match_indices("(listed)").map(|(i, _)| i + 1))
        .take(60)
        .collect();
    for &at in &targets {
        let t = Instant::now();
        let r = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position(src, at)}),
        );
        hover.push(t.elapsed());
        assert!(r["result"].is_object(), "{r}");
    }
    for &at in &locals {
        let t = Instant::now();
        let r = s.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": position(src, at)}),
        );
        definition.push(t.elapsed());
        assert!(r["result"].is_object(), "{r}");
    }
    println!("  {:<52} {}", "hover on a member", percentiles(hover));
    println!(
        "  {:<52} {}",
        "definition of a local",
        percentiles(definition)
    );
    println!(
        "  server RSS with this file open: {} MiB",
        proc::rss_kib(Some(s.pid())) / 1024
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wippy-lsp-pipes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = scratch("two");
    let (suite, handlers) = (suite(), handlers());
    project(&dir, &[("suite", &suite), ("handlers", &handlers)]);
    let dir = dir.canonicalize().expect("dir");
    measure("test suite", &suite, &dir, &dir.join("suite.lua"));
    measure("handlers", &handlers, &dir, &dir.join("handlers.lua"));
    let _ = std::fs::remove_dir_all(&dir);

    // Memory with 20 large files open.
    let dir = scratch("twenty");
    let names: Vec<String> = (0..20).map(|i| format!("suite{i}")).collect();
    let files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), suite.as_str())).collect();
    project(&dir, &files);
    let dir = dir.canonicalize().expect("dir");
    let mut s = session(&dir);
    let idle = proc::rss_kib(Some(s.pid()));
    let t = Instant::now();
    for n in &names {
        let uri = format!("file://{}/{n}.lua", dir.display());
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "lua", "version": 1, "text": suite}}),
        );
        let _ = s.diagnostics(&uri);
    }
    println!(
        "20 files of {} lines open: all published in {:.1?}; server RSS {} MiB (idle {} MiB)",
        suite.lines().count(),
        t.elapsed(),
        proc::rss_kib(Some(s.pid())) / 1024,
        idle / 1024
    );
    let _ = std::fs::remove_dir_all(&dir);
}
