//! `wippy lsp` measured from outside, over pipes, as an editor sees it (issue targets:
//! completion p95 ≤ 5 ms, didChange → publishDiagnostics ≤ 50 ms on a 5,000-line entry).
//! Edits come 100 ms apart, as typing pauses do. Run: `cargo bench --bench lsp_session`.

#[path = "../tests/common/lsp.rs"]
mod lsp;

use std::time::{Duration, Instant};

use serde_json::json;

fn function(i: usize) -> String {
    format!(
        "local function handler_{i}(input: {{id: number, name: string}})\n    local db, err = sql.get(\"app:db\")\n    if err then\n        return nil, err\n    end\n    local rows, qerr = db:query(\"SELECT * FROM items WHERE id = ?\", {{ input.id }})\n    if qerr then\n        return nil, qerr\n    end\n    local total = 0\n    for _, row in ipairs(rows) do\n        total = total + (row.price or 0)\n    end\n    local body = json.encode({{ id = input.id, total = total, name = input.name }})\n    local digest = hash.sha256(body)\n    local parts = {{}}\n    for word in string.gmatch(input.name, \"%S+\") do\n        table.insert(parts, string.upper(word))\n    end\n    local label = table.concat(parts, \" \")\n    if #label > 40 then\n        label = string.sub(label, 1, 40)\n    end\n    return {{ body = body, digest = digest, label = label }}\nend\n\n"
    )
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("wippy-lsp-pipes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut src = String::from("local json = require(\"json\")\nlocal sql = require(\"sql\")\nlocal hash = require(\"hash\")\n\n");
    let mut i = 0;
    while src.lines().count() < 4_990 {
        src.push_str(&function(i));
        i += 1;
    }
    src.push_str(
        "local function main(input)\n    return handler_0(input)\nend\n\nreturn { main = main }\n",
    );
    std::fs::write(dir.join("f.lua"), &src).expect("write");
    std::fs::write(dir.join("_index.yaml"), "namespace: app\nentries:\n  - name: db\n    kind: db.sql.sqlite\n    file: \":memory:\"\n  - name: f\n    kind: function.lua\n    source: file://f.lua\n    method: main\n    modules: [json, sql, hash]\n").expect("yaml");
    let dir = dir.canonicalize().expect("dir");
    let uri = format!("file://{}/f.lua", dir.display());

    let mut s = lsp::Session::start();
    let started = Instant::now();
    s.request("initialize", json!({"processId": null, "rootUri": format!("file://{}", dir.display()), "capabilities": {}}));
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "lua", "version": 1, "text": src}}),
    );
    let _ = s.diagnostics(&uri);
    println!(
        "{} lines: initialize + didOpen → diagnostics {:?}",
        src.lines().count(),
        started.elapsed()
    );

    let line = src[..src.find("    local label").expect("anchor")]
        .matches('\n')
        .count();
    let mut diag = Vec::new();
    for v in 2..42 {
        let (range, text) = if v % 2 == 0 {
            (
                json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}),
                format!("    local unused_{v} = 1\n"),
            )
        } else {
            (
                json!({"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}),
                String::new(),
            )
        };
        let t = Instant::now();
        s.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"range": range, "text": text}]}));
        let got = s.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == v
        });
        assert!(got.is_some(), "no diagnostics for version {v}");
        diag.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    let (p50, p95) = percentiles(diag);
    println!("didChange → publishDiagnostics: p50 {p50:?}, p95 {p95:?}");

    let mut comp = Vec::new();
    for (needle, add) in [
        ("    local body = json.encode", "    local body = json."),
        (
            "    local rows, qerr = db:query",
            "    local rows, qerr = db:",
        ),
    ] {
        let at = src.find(needle).expect("needle");
        let l = src[..at].matches('\n').count();
        for _ in 0..40 {
            let t = Instant::now();
            let r = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": l, "character": add.len()}}));
            comp.push(t.elapsed());
            assert!(r["result"].as_array().is_some_and(|a| !a.is_empty()), "{r}");
        }
    }
    let (p50, p95) = percentiles(comp);
    println!("completion after `json.` / `db:`: p50 {p50:?}, p95 {p95:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
