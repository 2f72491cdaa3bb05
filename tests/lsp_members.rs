//! Hover and completion resolve members through THE member lookup of `typedefs` (the one the
//! checker's rules use): string methods after `s:`, fields of a record type declared in Lua,
//! and the exported table of an imported library — over a real `wippy lsp` session.

mod common;
#[path = "common/lsp.rs"]
mod lsp;

use std::path::PathBuf;

use serde_json::json;

use lsp::{canonical, labels, position_of, start, uri};

fn project(name: &str) -> PathBuf {
    let dir = common::tmp(name);
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("src/_index.yaml"),
        "version: \"1.0\"\nnamespace: app\n\nentries:\n  - name: geo\n    kind: library.lua\n    source: file://geo.lua\n\n  - name: main\n    kind: function.lua\n    source: file://main.lua\n    method: main\n    imports:\n      geo: app:geo\n",
    )
    .expect("yaml");
    std::fs::write(
        dir.join("src/geo.lua"),
        "local M = {}\n\nM.ORIGIN = { x = 0, y = 0 }\n\nfunction M.norm(p: {x: number, y: number}): number\n    return math.sqrt(p.x * p.x + p.y * p.y)\nend\n\nreturn M\n",
    )
    .expect("lib");
    std::fs::write(dir.join("src/main.lua"), MAIN).expect("main");
    canonical(&dir)
}

const MAIN: &str = r#"type Point = {x: number, y: number}

local geo = require("geo")

local function main(name: string)
    local s = name
    local up = s:upper()
    local p: Point = { x = 3, y = 4 }
    local n = p.x
    local d = geo.norm(p)
    return up, n, d
end

return { main = main }
"#;

fn hover_text(s: &mut lsp::Session, u: &str, text: &str, needle: &str) -> String {
    let h = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": position_of(text, needle, false)}),
    );
    h["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn hover_and_completion_use_the_shared_member_lookup() {
    let dir = project("lsp-members");
    let main = dir.join("src/main.lua");
    let u = uri(&main);
    let mut s = start(&dir);
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "lua", "version": 1, "text": MAIN}}),
    );
    let diags = s.diagnostics(&u);
    assert!(diags.is_empty(), "{diags:?}");

    // Hover on a string method, a Lua-declared record's field and a library's export.
    let h = hover_text(&mut s, &u, MAIN, "upper()");
    assert!(h.contains("upper") && h.contains("string"), "{h}");
    let h = hover_text(&mut s, &u, MAIN, "x\n    local d");
    assert!(h.contains("x: number"), "{h}");
    let h = hover_text(&mut s, &u, MAIN, "norm(p)");
    assert!(h.contains("norm") && h.contains("number"), "{h}");

    // Completion after `s:`, `p.` and `geo.`, each typed into the function body.
    let probes: [(&str, &str, &[&str], &[&str]); 3] = [
        (
            "    local c = s:",
            "s:",
            &["upper", "lower", "sub", "format"],
            &[],
        ),
        ("    local c = p.", "p.", &["x", "y"], &["upper"]),
        ("    local c = geo.", "geo.", &["norm", "ORIGIN"], &["x"]),
    ];
    for (version, (line, after, want, not)) in probes.iter().enumerate() {
        let text = MAIN.replace(
            "    return up, n, d\n",
            &format!("{line}\n    return up, n, d\n"),
        );
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
        for w in *not {
            assert!(
                !got.iter().any(|g| g == w),
                "after `{after}`: {w} offered in {got:?}"
            );
        }
    }
}
