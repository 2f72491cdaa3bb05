//! The editor sees flow-sensitive types (issue 14): hover on a local shows its type at that
//! position — narrowed by `if x then`, `type(v) == "…"` and early exits — and completion after
//! `x.` inside a narrowing block lists the members of the narrowed type, over a real `wippy
//! lsp` session.

mod common;
#[path = "common/lsp.rs"]
mod lsp;

use std::path::PathBuf;

use lsp::{canonical, start};

const MAIN: &str = r#"type User = {name: string, email: string}

local function find(id: integer): User?
    if id == 1 then
        return { name = "a", email = "a@example.com" }
    end
    return nil
end

local function main(v: string | {size: integer}, id: integer)
    local u = find(id)
    if u then
        print(u.name)
    end
    if type(v) == "table" then
        print(v.size)
    end
    if not u then
        return 0
    end
    print(u.email)
    return 1
end

return { main = main }
"#;

fn project(name: &str) -> PathBuf {
    let dir = common::tmp(name);
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("src/_index.yaml"),
        "version: \"1.0\"\nnamespace: app\n\nentries:\n  - name: main\n    kind: function.lua\n    source: file://main.lua\n    method: main\n",
    )
    .expect("yaml");
    std::fs::write(dir.join("src/main.lua"), MAIN).expect("main");
    canonical(&dir)
}

fn hover_at(s: &mut lsp::Session, u: &str, text: &str, needle: &str) -> String {
    let h = s.at("textDocument/hover", u, text, needle, false);
    h["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn hover_and_completion_see_narrowed_types() {
    let dir = project("lsp-narrowing");
    let mut s = start(&dir);
    let u = s.open(&dir.join("src/main.lua"), MAIN);
    let diags = s.diagnostics(&u);
    assert!(diags.is_empty(), "{diags:?}");

    // Hover: `u` is `User?` where it is declared, `User` inside `if u then` and after the
    // early exit; `v` is the table member inside `if type(v) == "table"`.
    let h = hover_at(&mut s, &u, MAIN, "u = find(id)");
    assert!(h.contains("local u: User?"), "declaration: {h}");
    let h = hover_at(&mut s, &u, MAIN, "u.name");
    assert!(
        h.contains("local u: User") && !h.contains("User?"),
        "inside `if u`: {h}"
    );
    let h = hover_at(&mut s, &u, MAIN, "u.email)");
    assert!(
        h.contains("local u: User") && !h.contains("User?"),
        "after the early exit: {h}"
    );
    let h = hover_at(&mut s, &u, MAIN, "v.size");
    assert!(
        h.contains("size: integer") && !h.contains("string"),
        "narrowed by type(): {h}"
    );

    // Completion after `v.` inside `if type(v) == "table"`: the record's field, no string
    // methods; after `u.` inside `if u then`: User's fields.
    // (line to type after, the typed line, the receiver, members wanted, members not offered)
    type Probe<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);
    let probes: [Probe; 2] = [
        (
            "        print(v.size)\n",
            "        local c = v.\n",
            "v.",
            &["size"],
            &["upper", "format"],
        ),
        (
            "        print(u.name)\n",
            "        local c = u.\n",
            "u.",
            &["name", "email"],
            &["size"],
        ),
    ];
    for (version, (old, new, after, want, not)) in probes.iter().enumerate() {
        let text = MAIN.replacen(old, &format!("{old}{new}"), 1);
        s.replace(&u, version as i32 + 2, &text);
        let r = s.at("textDocument/completion", &u, &text, new.trim_end(), true);
        lsp::assert_offers(&r, after, want, not);
    }
}
