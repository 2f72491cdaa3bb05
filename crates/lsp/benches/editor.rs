//! The server's layers measured in process (the over-pipes figures are `benches/lsp_session.rs`
//! at the workspace root): on a generated 5,000-line entry, the analysis a didChange starts
//! (focused check with the summary cache), and the request work completion, hover and
//! definition do on the last analysis — right after an edit, from the analysis of the text
//! before it. Run: `cargo bench -p lsp --bench editor`.

#[path = "../../../benches/common/proc.rs"]
mod proc;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use checker::summary::SummaryCache;
use lsp::analysis::{analyse, Analysis, Target};
use lsp::complete::{self, Completion};
use lsp::text::{Shift, Text};
use lsp::workspace::{role_in, Role};
use typedefs::ModuleSet;

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

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wippy-lsp-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn target(project: &Arc<project::Project>, path: &Path, text: &str) -> Target {
    Target {
        path: path.to_path_buf(),
        text: Text::new(text),
        generation: 1,
        version: 1,
        project: Some(project.clone()),
        role: role_in(project, true, path),
        texts: HashMap::new(),
    }
}

fn report(what: &str, times: Vec<Duration>) {
    println!(
        "{what}: p50 {:?}, p95 {:?}",
        percentile(times.clone(), 0.5),
        percentile(times, 0.95)
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let modules = ModuleSet::bundled();
    let cache = SummaryCache::new();
    let dir = scratch("one");
    project(&dir, 1, 5_000);
    let dir = dir.canonicalize().expect("dir");
    let path = dir.join("f0.lua");
    let p = Arc::new(project::load_project(&dir).expect("load"));
    let text = std::fs::read_to_string(&path).expect("read");
    println!("entry: {} lines", text.lines().count());
    assert!(matches!(role_in(&p, true, &path), Role::Entry(_)));

    let t = Instant::now();
    let first = analyse(&target(&p, &path, &text), modules, &cache, true);
    println!("first analysis: {:?}", t.elapsed());

    // Edits after a pause: each is one focused check (the chunk re-walked, the rest cached).
    let anchor = text.find("    local label = table.concat").expect("anchor");
    let mut times = Vec::new();
    let mut last: Analysis = first;
    for i in 0..40 {
        let edited = if i % 2 == 0 {
            format!(
                "{}    local unused_{i} = 1\n{}",
                &text[..anchor],
                &text[anchor..]
            )
        } else {
            text.clone()
        };
        let t = Instant::now();
        last = analyse(&target(&p, &path, &edited), modules, &cache, true);
        times.push(t.elapsed());
    }
    report("didChange → diagnostics (analysis)", times);
    assert!(last.index.is_some());

    // Completion typed right after an edit: the analysis is of the text before it.
    let base = analyse(&target(&p, &path, &text), modules, &cache, true);
    for (what, insert) in [
        ("`json.`", "    local x = json."),
        (
            "`db:`",
            "    local db = sql.get(\"app:db\")\n    local y = db:",
        ),
        ("identifier", "    local z = tot"),
    ] {
        let edited = format!("{}{insert}\n{}", &text[..anchor], &text[anchor..]);
        let offset = anchor + insert.len();
        let mut times = Vec::new();
        for _ in 0..60 {
            let t = Instant::now();
            let shift = Shift::between(base.text.as_str(), &edited);
            let got = complete::lua(modules, &[(&base, shift)], &edited, offset, None, true);
            times.push(t.elapsed());
            match got {
                Completion::Items(items) => assert!(!items.is_empty(), "{what}"),
                _ => panic!("{what}: no items from the last analysis"),
            }
        }
        report(
            &format!("completion after {what}, right after the edit"),
            times,
        );
    }
    let mut hover = Vec::new();
    let mut definition = Vec::new();
    let at = text.rfind("json.encode").expect("encode") + 6;
    let local = text.rfind("digest").expect("local");
    for _ in 0..60 {
        let t = Instant::now();
        assert!(lsp::hover::hover(modules, &base, at).is_some());
        hover.push(t.elapsed());
        let t = Instant::now();
        let read = |p: &Path| std::fs::read_to_string(p).ok().map(Arc::from);
        assert!(lsp::navigate::definition(&base, &path, local, &read).is_some());
        definition.push(t.elapsed());
    }
    report("hover", hover);
    report("definition", definition);
    let _ = std::fs::remove_dir_all(&dir);

    // Memory: 20 large entries open, each analysed with its index kept.
    let big = scratch("twenty");
    project(&big, 20, 2_800);
    let big = big.canonicalize().expect("dir");
    let before = proc::rss_kib(None);
    let p = Arc::new(project::load_project(&big).expect("load"));
    let cache = SummaryCache::new();
    let t = Instant::now();
    let kept: Vec<Analysis> = (0..20)
        .map(|f| {
            let path = big.join(format!("f{f}.lua"));
            let text = std::fs::read_to_string(&path).expect("read");
            analyse(&target(&p, &path, &text), modules, &cache, true)
        })
        .collect();
    println!(
        "20 open entries of 2,800 lines: analysed in {:?}, RSS +{} MiB",
        t.elapsed(),
        proc::rss_kib(None).saturating_sub(before) / 1024
    );
    assert_eq!(kept.len(), 20);
    let _ = std::fs::remove_dir_all(&big);
}
