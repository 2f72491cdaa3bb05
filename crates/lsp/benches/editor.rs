//! Editor latencies (issue targets: completion p95 ≤ 5 ms and didChange → publishDiagnostics
//! ≤ 50 ms on a 5,000-line entry; load time and memory of a ~80k-line workspace).
//!
//! Measured on the server's own layers, in process: completion is `complete::lua` on the open
//! buffer (what the completion request runs), diagnostics is an incremental edit plus the
//! analysis `publish` runs, to which the server adds its debounce (`server::DEBOUNCE`).
//! Run: `cargo bench -p lsp --bench editor`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp::text::{Encoding, Pos};
use lsp::workspace::Workspace;

/// One generated function of about 25 lines using modules, a DB handle and locals.
fn function(i: usize) -> String {
    format!(
        "local function handler_{i}(input: {{id: number, name: string}})\n    local db, err = sql.get(\"app:db\")\n    if err then\n        return nil, err\n    end\n    local rows, qerr = db:query(\"SELECT * FROM items WHERE id = ?\", {{ input.id }})\n    if qerr then\n        return nil, qerr\n    end\n    local total = 0\n    for _, row in ipairs(rows) do\n        total = total + (row.price or 0)\n    end\n    local body = json.encode({{ id = input.id, total = total, name = input.name }})\n    local digest = hash.sha256(body)\n    local parts = {{}}\n    for word in string.gmatch(input.name, \"%S+\") do\n        table.insert(parts, string.upper(word))\n    end\n    local label = table.concat(parts, \" \")\n    if #label > 40 then\n        label = string.sub(label, 1, 40)\n    end\n    return {{ body = body, digest = digest, label = label }}\nend\n\n"
    )
}

fn entry_source(lines: usize) -> String {
    let mut s = String::from("local json = require(\"json\")\nlocal sql = require(\"sql\")\nlocal hash = require(\"hash\")\n\n");
    let mut i = 0;
    while s.lines().count() < lines - 10 {
        s.push_str(&function(i));
        i += 1;
    }
    s.push_str(
        "local function main(input)\n    return handler_0(input)\nend\n\nreturn { main = main }\n",
    );
    s
}

fn project(dir: &Path, files: usize, lines_each: usize) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut yaml = String::from("version: \"1.0\"\nnamespace: app\n\nentries:\n  - name: db\n    kind: db.sql.sqlite\n    file: \":memory:\"\n");
    for f in 0..files {
        std::fs::write(dir.join(format!("f{f}.lua")), entry_source(lines_each)).expect("write");
        yaml.push_str(&format!("\n  - name: f{f}\n    kind: function.lua\n    source: file://f{f}.lua\n    method: main\n    modules: [json, sql, hash]\n"));
    }
    std::fs::write(dir.join("_index.yaml"), yaml).expect("yaml");
}

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p) as usize]
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wippy-lsp-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // A 5,000-line entry, open in the editor.
    let dir = scratch("one");
    project(&dir, 1, 5_000);
    let dir = dir.canonicalize().expect("dir");
    let path = dir.join("f0.lua");
    let mut ws = Workspace::new();
    ws.root = Some(dir.clone());
    ws.reload();
    let text = std::fs::read_to_string(&path).expect("read");
    println!("entry: {} lines", text.lines().count());
    ws.open(path.clone(), text.clone(), 1);
    // What didOpen's publishDiagnostics leaves behind: the analysis completion starts from.
    let t = Instant::now();
    ws.analyse(&path, &text);
    println!(
        "first analysis: {:?}; parse alone: {:?}",
        t.elapsed(),
        (0..5).map(|_| parse_only(&text)).min().unwrap_or_default()
    );

    let anchor = text.find("    local label = table.concat").expect("anchor");
    for (what, insert) in [
        ("`json.`", "    local x = json."),
        ("`db:`", "    local y = db:"),
        ("identifier", "    local z = tot"),
    ] {
        let edited = format!("{}{insert}\n{}", &text[..anchor], &text[anchor..]);
        let offset = anchor + insert.len();
        let mut times = Vec::new();
        for _ in 0..60 {
            let t = Instant::now();
            let items = lsp::complete::lua(&mut ws, &path, &edited, offset);
            times.push(t.elapsed());
            assert!(!items.is_empty(), "{what}");
        }
        println!(
            "completion after {what}: p50 {:?}, p95 {:?}",
            percentile(times.clone(), 0.5),
            percentile(times, 0.95)
        );
    }

    let mut times = Vec::new();
    for i in 0..60 {
        let t = Instant::now();
        let doc = ws.docs.get_mut(&path).expect("doc");
        let at = doc.text.pos(anchor, Encoding::Utf16);
        let insert = if i % 2 == 0 {
            "    local unused_here = 1\n"
        } else {
            ""
        };
        let end = if i % 2 == 0 {
            at
        } else {
            Pos {
                line: at.line + 1,
                character: 0,
            }
        };
        doc.text.edit(Some((at, end)), insert, Encoding::Utf16);
        let current = doc.text.as_str().to_owned();
        ws.changed(&path);
        let a = ws.analyse(&path, &current);
        times.push(t.elapsed());
        assert!(a.index.is_some());
    }
    println!(
        "didChange → diagnostics: analysis p50 {:?}, p95 {:?} (an edit after a pause is analysed at once; in a burst, {:?} after it pauses)",
        percentile(times.clone(), 0.5),
        percentile(times, 0.95),
        lsp::server::DEBOUNCE
    );
    let _ = std::fs::remove_dir_all(&dir);

    // A workspace the size of a large real project: 160 entries of 500 lines (80k lines).
    let big = scratch("big");
    project(&big, 160, 500);
    let before = rss_kib();
    let t = Instant::now();
    let mut ws = Workspace::new();
    ws.root = Some(big.canonicalize().expect("dir"));
    ws.reload();
    let loaded = t.elapsed();
    let report = checker::check_project(&ws.project, ws.modules);
    let checked = t.elapsed();
    println!(
        "workspace of {} lines in {} files: load {:?}, load + full check {:?} ({} diagnostics), RSS +{} MiB",
        report.stats.lines,
        ws.project.files.len(),
        loaded,
        checked,
        report.diagnostics.len(),
        rss_kib().saturating_sub(before) / 1024
    );
    let _ = std::fs::remove_dir_all(&big);
}

/// Parse alone, for comparison with the analysis figures.
#[allow(dead_code)]
fn parse_only(text: &str) -> Duration {
    let t = Instant::now();
    let p = syntax::parse::parse_chunk(text, syntax::dialect::Dialect::Wippy);
    assert!(p.ast.is_ok());
    t.elapsed()
}
