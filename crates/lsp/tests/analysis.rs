//! Completion and navigation on loose buffers, without a client: the editor index the checker
//! records, and the items built from it.

use std::path::Path;

use lsp::workspace::Workspace;

fn labels(items: &[tower_lsp::lsp_types::CompletionItem]) -> Vec<&str> {
    items.iter().map(|i| i.label.as_str()).collect()
}

#[test]
fn parameters_and_upvalues_are_in_scope() {
    let mut ws = Workspace::new();
    let text = "local top = 1\nlocal function main(input)\n    local inner = 2\n    local n = inp\nend\nreturn { main = main }\n";
    let offset = text.find("= inp").unwrap() + 5;
    let path = Path::new("/tmp/wippy-loose-test.lua");
    let a = ws.analyse(path, text);
    let index = a.index.expect("index");
    for l in &index.locals {
        eprintln!("{} {:?} {}", l.name, l.decl, l.scope_end);
    }
    let items = lsp::complete::lua(&mut ws, path, text, offset);
    let got = labels(&items);
    for want in ["input", "inner", "top", "main"] {
        assert!(got.contains(&want), "{want} missing: {got:?}");
    }
}

#[test]
fn entry_buffers_complete_parameters() {
    let dir = std::env::temp_dir().join(format!("wippy-lsp-unit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("_index.yaml"), "namespace: app\nentries:\n  - name: main\n    kind: function.lua\n    source: file://main.lua\n    method: main\n    modules: [json]\n").unwrap();
    std::fs::write(dir.join("main.lua"), "return { main = function() end }\n").unwrap();
    let dir = dir.canonicalize().unwrap();
    let mut ws = Workspace::new();
    ws.root = Some(dir.clone());
    ws.reload();
    let path = dir.join("main.lua");
    let text = "local json = require(\"json\")\n\nlocal function main(input)\n    local n = inp\nend\n\nreturn { main = main }\n";
    ws.open(path.clone(), text.to_owned(), 1);
    let a = ws.analyse(&path, text);
    for l in &a.index.as_ref().expect("index").locals {
        eprintln!("{} {:?} {} {:?}", l.name, l.decl, l.scope_end, l.kind);
    }
    let offset = text.find("= inp").unwrap() + 5;
    let items = lsp::complete::lua(&mut ws, &path, text, offset);
    assert!(labels(&items).contains(&"input"), "{:?}", labels(&items));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn signature_help_inside_an_open_call() {
    let mut ws = Workspace::new();
    let path = Path::new("/tmp/wippy-loose-sig.lua");
    let text = "local json = require(\"json\")\n\nlocal function main(v)\n    return json.encode(\nend\n\nreturn { main = main }\n";
    let offset = text.find("encode(").unwrap() + 7;
    let candidate = format!("{}){}", &text[..offset], &text[offset..]);
    let a = ws.analyse(path, &candidate);
    let index = a.index.as_ref().expect("parses once closed");
    eprintln!(
        "{:?}",
        index
            .members
            .iter()
            .map(|m| (m.name.clone(), m.receiver.to_string()))
            .collect::<Vec<_>>()
    );
    let help = lsp::hover::signature(&ws, path, &a, offset).expect("signature");
    assert!(
        help.signatures[0].label.starts_with("encode(value: any)"),
        "{}",
        help.signatures[0].label
    );
}
