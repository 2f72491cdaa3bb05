//! The server's layers without a client: analyses of real Lua text, and the answers built
//! from them — completion scope, signature help inside an open call, hover and completion in a
//! file with a syntax error elsewhere, and completion right after an edit (from the analysis of
//! the text before it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use checker::summary::SummaryCache;
use lsp::analysis::{analyse, Analysis, Target};
use lsp::complete::{self, Completion};
use lsp::text::{Shift, Text};
use lsp::workspace::Role;
use typedefs::ModuleSet;

fn analysed(text: &str) -> Analysis {
    let t = Target {
        path: PathBuf::from("/tmp/wippy-lsp-layer-test.lua"),
        text: Text::new(text),
        generation: 1,
        version: 1,
        project: None,
        role: Role::Plain,
        texts: HashMap::new(),
    };
    analyse(&t, ModuleSet::bundled(), &SummaryCache::new(), true)
}

fn complete_at(a: &Analysis, text: &str, offset: usize, trigger: Option<&str>) -> Vec<String> {
    let shift = Shift::between(a.text.as_str(), text);
    match complete::lua(
        ModuleSet::bundled(),
        &[(a, shift)],
        text,
        offset,
        trigger,
        true,
    ) {
        Completion::Items(items) => items.into_iter().map(|i| i.label).collect(),
        Completion::Nothing => Vec::new(),
        Completion::Patch { .. } => vec!["<patch>".into()],
    }
}

#[test]
fn parameters_and_upvalues_are_in_scope() {
    let text = "local top = 1\nlocal function main(input)\n    local inner = 2\n    local n = inp\nend\nreturn { main = main }\n";
    let a = analysed(text);
    let got = complete_at(&a, text, text.find("= inp").unwrap() + 5, None);
    for want in ["input", "inner", "top", "main", "string", "local"] {
        assert!(got.iter().any(|g| g == want), "{want} missing: {got:?}");
    }
}

#[test]
fn signature_help_inside_an_open_call() {
    let text = "local json = require(\"json\")\n\nlocal function main(v)\n    return json.encode(\nend\n\nreturn { main = main }\n";
    let a = analysed(text);
    assert!(!a.parsed, "the open call is a syntax error");
    let offset = text.find("encode(").unwrap() + 7;
    let help = lsp::hover::signature(
        ModuleSet::bundled(),
        &[(&a, Shift::between(text, text))],
        text,
        offset,
    )
    .expect("signature");
    assert!(
        help.signatures[0].label.starts_with("encode(value: any)"),
        "{}",
        help.signatures[0].label
    );
}

#[test]
fn hover_and_completion_work_with_a_syntax_error_on_another_line() {
    for broken in ["    local oops = (\n", "    local oops = json.\n"] {
        let text = format!("local json = require(\"json\")\n\nlocal function main(input)\n    local body = json.encode(input)\n{broken}    return body\nend\n\nreturn {{ main = main }}\n");
        let a = analysed(&text);
        assert!(!a.parsed);
        let at = text.find("body = ").unwrap();
        let h = lsp::hover::hover(ModuleSet::bundled(), &a, at).expect("hover on a local");
        assert!(h.contains("local body: string"), "{h}");
        let h = lsp::hover::hover(ModuleSet::bundled(), &a, text.find("encode").unwrap())
            .expect("hover on a member");
        assert!(h.contains("json.encode") && h.len() < 600, "{h}");
        let after_dot = text.find("json.encode").unwrap() + 5;
        let got = complete_at(&a, &text, after_dot, Some("."));
        assert!(got.iter().any(|g| g == "decode"), "{broken:?}: {got:?}");
        let got = complete_at(&a, &text, text.find("return body").unwrap() + 7, None);
        assert!(got.iter().any(|g| g == "input"), "{broken:?}: {got:?}");
    }
}

#[test]
fn completion_right_after_an_edit_reads_the_analysis_before_it() {
    let before = "local json = require(\"json\")\nlocal function f(x)\n    return x\nend\nreturn { f = f }\n";
    let a = analysed(before);
    let insert = before.find("    return x").unwrap();
    let typed = "    local s = json.";
    let after = format!("{}{typed}\n{}", &before[..insert], &before[insert..]);
    let got = complete_at(&a, &after, insert + typed.len(), Some("."));
    assert!(got.iter().any(|g| g == "encode"), "{got:?}");
    // `..` and `::` start nothing, nor a quote outside `require(`.
    let concat = format!(
        "{}    local s = x ..\n{}",
        &before[..insert],
        &before[insert..]
    );
    assert!(complete_at(&a, &concat, insert + 16, Some(".")).is_empty());
    let quote = format!(
        "{}    local s = \"\n{}",
        &before[..insert],
        &before[insert..]
    );
    assert!(complete_at(&a, &quote, insert + 15, Some("\"")).is_empty());
}

#[test]
fn a_plain_lua_file_gets_only_syntax_diagnostics() {
    let a = analysed("local x = require(\"nowhere\")\nundefined_global()\nreturn x\n");
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    let a = analysed("local x = = 1\n");
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["P0001"]);
    assert!(Path::new("/tmp").exists());
}
