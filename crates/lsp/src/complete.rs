//! Lua completion: module members after `json.` and nested tables (`crypto.random.`), methods
//! after `db:` for values of a known interface type, `require("` → the entry's modules and
//! import aliases (`wraith.import("` → the twin's libraries), globals by chunk kind, locals and
//! upvalues in scope, keywords. (`_index.yaml` completion is in [`crate::yaml`].)
//!
//! Completion never waits for a check: it reads the document's last analysis, with the cursor
//! mapped into that analysis's text. A receiver written as a name chain is typed from the
//! scope there; any other receiver (`f().`, `t[1]:`) needs the walk, so the buffer is checked
//! once with the word at the cursor replaced by [`HOLE`] ([`Completion::Patch`]).

use tower_lsp::lsp_types::{
    CompletionItem, CompletionItemKind, Documentation, InsertTextFormat, MarkupContent, MarkupKind,
};
use typedefs::{ListedMember, MemberRole, ModuleSet, Type};

use crate::analysis::Analysis;
use crate::resolve::{chain_type, receiver_chain, visible, word_start, KEYWORDS};
use crate::text::Shift;
use crate::workspace::{globals_of, Role};

/// Placeholder identifier put at the cursor of a patched copy.
pub const HOLE: &str = "__c__";

/// What completion at a position needs.
pub enum Completion {
    /// The items.
    Items(Vec<CompletionItem>),
    /// Nothing is offered here (a trigger character that starts nothing: `..`, `::`, a quote
    /// outside `require(`).
    Nothing,
    /// Members of a receiver only a check can type: check `text` (the buffer with the word at
    /// the cursor replaced by [`HOLE`]) and list the members of the access at `hole`.
    Patch {
        /// The patched buffer.
        text: String,
        /// Byte offset of the placeholder.
        hole: usize,
        /// After `:`.
        colon: bool,
    },
}

/// Markdown documentation, if any.
pub fn markdown(doc: Option<&str>) -> Option<Documentation> {
    doc.map(|d| {
        Documentation::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: d.to_owned(),
        })
    })
}

/// A completion item with a label, kind and detail.
pub fn plain(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

/// A completion item for a member; with `snippets`, functions insert a call snippet with their
/// required parameters.
pub fn member_item(m: &ListedMember, colon: bool, snippets: bool) -> CompletionItem {
    let kind = match m.role {
        MemberRole::Function if colon => CompletionItemKind::METHOD,
        MemberRole::Function => CompletionItemKind::FUNCTION,
        MemberRole::Table => CompletionItemKind::MODULE,
        MemberRole::Value => CompletionItemKind::CONSTANT,
    };
    let mut item = plain(&m.name, kind, Some(m.detail.clone()));
    item.documentation = markdown(m.doc.as_deref());
    if let (Some(f), true) = (&m.function, snippets) {
        let params = f.call_params(colon);
        let args: Vec<String> = params
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.ty.is_optional())
            .map(|(i, p)| format!("${{{}:{}}}", i + 1, p.name.as_deref().unwrap_or("arg")))
            .collect();
        item.insert_text = Some(format!("{}({})$0", m.name, args.join(", ")));
        item.insert_text_format = Some(InsertTextFormat::SNIPPET);
    }
    item
}

/// Members of `ty` as completion items.
pub fn members(
    modules: &ModuleSet,
    a: &Analysis,
    ty: &Type,
    colon: bool,
    snippets: bool,
) -> Vec<CompletionItem> {
    let local = a.index.as_deref().map(|i| &i.local_types);
    modules
        .members(ty, colon, local)
        .iter()
        .map(|m| member_item(m, colon, snippets))
        .collect()
}

/// Completion at byte `offset` of `text` (the current buffer), from `analyses` (the last
/// analysis and the last one that parsed, each with the mapping of its text to `text`).
/// `trigger` is the trigger character the client reported, if any.
pub fn lua(
    modules: &ModuleSet,
    analyses: &[(&Analysis, Shift)],
    text: &str,
    offset: usize,
    trigger: Option<&str>,
    snippets: bool,
) -> Completion {
    let start = word_start(text, offset);
    let before = &text[..start];
    let Some(&(first, _)) = analyses.first() else {
        return Completion::Nothing;
    };
    if let Some(items) = string_argument(modules, first, before) {
        return Completion::Items(items);
    }
    if matches!(trigger, Some("\"" | "'")) {
        return Completion::Nothing;
    }
    let trimmed = before.trim_end_matches([' ', '\t']);
    let colon = trimmed.ends_with(':') && !trimmed.ends_with("::");
    let dot = trimmed.ends_with('.') && !trimmed.ends_with("..");
    if colon || dot {
        let chain = receiver_chain(text, start);
        for (a, shift) in analyses {
            let Some(names) = &chain else { break };
            let at = shift.to_old(start);
            match chain_type(a, modules, at, names) {
                Some(Type::Any | Type::Unknown) | None => continue,
                Some(ty) => return Completion::Items(members(modules, a, &ty, colon, snippets)),
            }
        }
        if chain
            .as_ref()
            .is_some_and(|n| n[0].starts_with(char::is_numeric))
        {
            return Completion::Nothing;
        }
        return Completion::Patch {
            text: format!("{}{HOLE}{}", &text[..start], &text[offset..]),
            hole: start,
            colon,
        };
    }
    if trigger.is_some() {
        // `..` or `::`: not a member access.
        return Completion::Nothing;
    }
    let mut items = Vec::new();
    for (a, shift) in analyses {
        let Some(index) = a.index.as_deref() else {
            continue;
        };
        for l in visible(index, shift.to_old(start)) {
            let kind = match (l.kind, &l.ty) {
                (checker::walk::index::SymbolKind::Function, _) | (_, Type::Function(_)) => {
                    CompletionItemKind::FUNCTION
                }
                (checker::walk::index::SymbolKind::Import, _) => CompletionItemKind::MODULE,
                _ => CompletionItemKind::VARIABLE,
            };
            let mut item = plain(&l.name, kind, Some(l.ty.to_string()));
            item.sort_text = Some(format!("0{}", l.name));
            items.push(item);
        }
        // A text that parsed is the whole scope; a recovered one may miss names that the last
        // analysis that parsed still has.
        if a.parsed {
            break;
        }
    }
    for (name, detail, doc, kind) in globals(modules, first) {
        let mut item = plain(&name, kind, Some(detail));
        item.documentation = markdown(doc.as_deref());
        item.sort_text = Some(format!("1{name}"));
        items.push(item);
    }
    for k in KEYWORDS {
        let mut item = plain(k, CompletionItemKind::KEYWORD, None);
        item.sort_text = Some(format!("2{k}"));
        items.push(item);
    }
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.label.clone()));
    Completion::Items(items)
}

/// Members of the access at `hole` in an analysis of a [`Completion::Patch`] text.
pub fn patched_members(
    modules: &ModuleSet,
    a: &Analysis,
    hole: usize,
    colon: bool,
    snippets: bool,
) -> Vec<CompletionItem> {
    let Some(access) = a
        .index
        .as_deref()
        .and_then(|i| i.member_at(hole as u32 + 1))
    else {
        return Vec::new();
    };
    members(modules, a, &access.receiver, colon, snippets)
}

/// Globals of the document's chunk kind: the environment's ambient globals, and for entries
/// their `modules:` and `imports:` aliases (globals in Wippy too).
fn globals(
    modules: &ModuleSet,
    a: &Analysis,
) -> Vec<(String, String, Option<String>, CompletionItemKind)> {
    let mut out: Vec<_> = globals_of(a.environment())
        .iter()
        .map(|(name, g)| {
            let kind = match g.ty {
                Type::Function(_) => CompletionItemKind::FUNCTION,
                Type::Namespace(_) => CompletionItemKind::MODULE,
                _ => CompletionItemKind::VARIABLE,
            };
            (name.clone(), g.ty.to_string(), g.description.clone(), kind)
        })
        .collect();
    if let Some(e) = a.entry() {
        for m in &e.modules {
            let doc = modules.get(&m.value).and_then(|m| m.description.clone());
            out.push((
                m.value.clone(),
                format!("module {}", m.value),
                doc,
                CompletionItemKind::MODULE,
            ));
        }
        for i in &e.imports {
            out.push((
                i.alias.clone(),
                format!("import {}", i.target.value),
                None,
                CompletionItemKind::MODULE,
            ));
        }
    }
    out
}

/// `require("…` and `wraith.import("…`: the names that may go there.
fn string_argument(modules: &ModuleSet, a: &Analysis, before: &str) -> Option<Vec<CompletionItem>> {
    let b = before.strip_suffix(['"', '\''])?.trim_end();
    let b = b.strip_suffix('(').map_or(b, str::trim_end);
    let module_item = |name: &str, detail: String, doc: Option<String>| {
        let mut item = plain(name, CompletionItemKind::MODULE, Some(detail));
        item.documentation = markdown(doc.as_deref());
        item
    };
    if b.ends_with("wraith.import") {
        let libs: Vec<String> = match (&a.role, a.project.as_deref()) {
            (Role::Handler(t) | Role::TwinLib(t), Some(p)) => {
                p.twins[*t].libs.keys().cloned().collect()
            }
            _ => Vec::new(),
        };
        return Some(
            libs.iter()
                .map(|l| module_item(l, format!("lua/lib/{l}"), None))
                .collect(),
        );
    }
    let is_ident = |c: char| crate::resolve::is_ident(c) || c == '.';
    if !b.ends_with("require") || b[..b.len() - 7].ends_with(is_ident) {
        return None;
    }
    let items = match a.entry() {
        Some(e) => e
            .modules
            .iter()
            .map(|m| {
                module_item(
                    &m.value,
                    "module (modules:)".into(),
                    modules.get(&m.value).and_then(|d| d.description.clone()),
                )
            })
            .chain(
                e.imports
                    .iter()
                    .map(|i| module_item(&i.alias, format!("import {}", i.target.value), None)),
            )
            .collect(),
        None => modules
            .iter()
            .map(|m| module_item(&m.name, "module".into(), m.description.clone()))
            .collect(),
    };
    Some(items)
}
