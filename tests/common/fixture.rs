//! A small Wippy project for the language-server tests (include with `#[path]` beside
//! `mod common;`), written to a scratch directory: a
//! library (`strings`), an entry that imports it through a `require` local (`main`), and one
//! that uses the import's global under another alias (`report`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `src/_index.yaml`.
pub const YAML: &str = "version: \"1.0\"\nnamespace: app\n\nentries:\n  - name: db\n    kind: db.sql.sqlite\n    file: \":memory:\"\n\n  - name: strings\n    kind: library.lua\n    source: file://strings.lua\n\n  - name: main\n    kind: function.lua\n    source: file://main.lua\n    method: main\n    modules: [json]\n    imports:\n      strings: app:strings\n\n  - name: report\n    kind: function.lua\n    source: file://report.lua\n    method: run\n    imports:\n      text: app:strings\n";

/// `src/strings.lua`.
pub const STRINGS: &str = r#"local M = {}

function M.trim(s: string): string
    return (s:gsub("^%s+", ""))
end

M.pad = function(s: string, n: integer): string
    return s .. string.rep(" ", n)
end

function M.shout(s: string): string
    return M.trim(s):upper()
end

return M
"#;

/// `src/main.lua`.
pub const MAIN: &str = r#"local json = require("json")
local str = require("strings")

local function main(input)
    local clean = str.trim(input)
    return json.encode({ value = clean })
end

return { main = main }
"#;

/// `src/report.lua`.
pub const REPORT: &str = r#"local function run(rows)
    local first = text.trim(rows)
    return first
end

return { run = run }
"#;

/// Write the project under a scratch directory named `name`; its canonical root.
pub fn project(name: &str) -> PathBuf {
    let dir = crate::common::tmp(name);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    for (file, text) in [
        ("_index.yaml", YAML),
        ("strings.lua", STRINGS),
        ("main.lua", MAIN),
        ("report.lua", REPORT),
    ] {
        std::fs::write(src.join(file), text).expect("write");
    }
    dir.canonicalize().expect("canonical")
}

/// `root/src/<file>`.
pub fn src(root: &Path, file: &str) -> PathBuf {
    root.join("src").join(file)
}
