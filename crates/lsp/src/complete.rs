//! Completion: module members after `json.` and nested tables (`crypto.random.`), methods
//! after `db:` for values of a known interface type, `require("` → the entry's modules and
//! import aliases (`wraith.import("` → the twin's libraries), globals by chunk kind, locals and
//! upvalues in scope, keywords; in `_index.yaml`: `kind:` values, `modules:` names, `imports:`
//! targets and `method:` names the source exports.
//!
//! The walk needs code that parses, and code being typed rarely does, so completion analyses a
//! patched copy: the word at the cursor becomes `__c__` (or the call `__c__()`), and the index
//! of that copy says what is in scope there and what the receiver before `.`/`:` is.

use std::path::Path;

use tower_lsp::lsp_types::{
    CompletionItem, CompletionItemKind, Documentation, InsertTextFormat, MarkupContent, MarkupKind,
};
use typedefs::{ListedMember, MemberRole, Type};

use crate::workspace::{Analysis, Role, Workspace};

/// Placeholder identifier put at the cursor.
pub const HOLE: &str = "__c__";

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local",
    "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

/// Entry kinds offered after `kind:` (the Lua kinds first; wippy-facts §3).
const KINDS: &[&str] = &[
    "function.lua",
    "library.lua",
    "process.lua",
    "workflow.lua",
    "http.service",
    "http.router",
    "http.endpoint",
    "http.static",
    "registry.entry",
    "env.variable",
    "template.jet",
    "security.policy",
    "fs.directory",
    "db.sql.sqlite",
    "db.sql.postgres",
    "process.host",
    "process.service",
    "contract.definition",
    "contract.binding",
    "queue.consumer",
    "ns.definition",
    "ns.dependency",
    "ns.requirement",
    "store.memory",
];

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Start of the identifier that ends at `offset`.
pub fn word_start(text: &str, offset: usize) -> usize {
    text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c))
        .last()
        .map_or(offset, |(i, _)| i)
}

fn markdown(doc: Option<&str>) -> Option<Documentation> {
    doc.map(|d| {
        Documentation::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: d.to_owned(),
        })
    })
}

fn plain(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

/// A completion item for a member; functions insert a call snippet with their parameters.
pub fn member_item(m: &ListedMember, colon: bool) -> CompletionItem {
    let kind = match m.role {
        MemberRole::Function if colon => CompletionItemKind::METHOD,
        MemberRole::Function => CompletionItemKind::FUNCTION,
        MemberRole::Table => CompletionItemKind::MODULE,
        MemberRole::Value => CompletionItemKind::CONSTANT,
    };
    let mut item = plain(&m.name, kind, Some(m.detail.clone()));
    item.documentation = markdown(m.doc.as_deref());
    if let Some(f) = &m.function {
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

/// Analyse `text` with the word at `offset` replaced by each patch in turn; the first that
/// parses.
fn patched(
    ws: &mut Workspace,
    path: &Path,
    text: &str,
    start: usize,
    offset: usize,
    patches: &[&str],
) -> Option<(Analysis, usize)> {
    for p in patches {
        let candidate = format!("{}{p}{}", &text[..start], &text[offset..]);
        let a = ws.analyse(path, &candidate);
        if a.index.is_some() {
            return Some((a, start));
        }
    }
    None
}

/// Completion items at byte `offset` of a Lua document.
pub fn lua(ws: &mut Workspace, path: &Path, text: &str, offset: usize) -> Vec<CompletionItem> {
    let start = word_start(text, offset);
    let before = &text[..start];
    if let Some(items) = string_argument(ws, path, before) {
        return items;
    }
    let trimmed = before.trim_end_matches([' ', '\t']);
    let colon = trimmed.ends_with(':') && !trimmed.ends_with("::");
    let dot = trimmed.ends_with('.') && !trimmed.ends_with("..");
    if colon || dot {
        if let Some(items) = fast_members(ws, path, text, start, colon) {
            return items;
        }
        let hole = start;
        let Some((a, _)) = patched(ws, path, text, hole, offset, &[HOLE, &format!("{HOLE}()")])
        else {
            return Vec::new();
        };
        let Some(index) = a.index.as_ref() else {
            return Vec::new();
        };
        let Some(access) = index.member_at(hole as u32 + 1) else {
            return Vec::new();
        };
        return ws
            .modules
            .members(&access.receiver, colon, Some(&index.local_types))
            .iter()
            .map(|m| member_item(m, colon))
            .collect();
    }
    // Scope from the last analysis that parsed, else from a patched copy of the buffer.
    let (analysis, at) = match ws.cached(path, text, start) {
        Some((a, at)) => (Some(a.clone()), at),
        None => {
            let patches = [&text[start..offset], HOLE, &format!("{HOLE}()"), ""];
            (
                patched(ws, path, text, start, offset, &patches).map(|(a, _)| a),
                start,
            )
        }
    };
    let mut items = Vec::new();
    if let Some(index) = analysis.as_ref().and_then(|a| a.index.as_ref()) {
        for l in index.visible(at as u32) {
            if l.name == HOLE {
                continue;
            }
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
    }
    for (name, detail, doc, kind) in globals(ws, path) {
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
    items
}

/// The receiver before `.`/`:` ending at `dot_end` (exclusive of the partial word), when it is
/// a plain name chain (`json`, `crypto.random`, `db`).
fn receiver_chain(text: &str, dot_end: usize) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut end = text[..dot_end]
        .trim_end_matches([' ', '\t'])
        .len()
        .checked_sub(1)?;
    loop {
        let start = word_start(text, end);
        if start == end {
            return None;
        }
        names.push(text[start..end].to_owned());
        let before = text[..start].trim_end_matches([' ', '\t']);
        if before.ends_with('.') && !before.ends_with("..") {
            end = before.len() - 1;
            continue;
        }
        if names[names.len() - 1].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        break;
    }
    names.reverse();
    Some(names)
}

/// Member completion without re-analysing the buffer: the receiver chain resolved through the
/// last analysis that parsed (a visible local's type, else a global), then the manifests.
fn fast_members(
    ws: &Workspace,
    path: &Path,
    text: &str,
    start: usize,
    colon: bool,
) -> Option<Vec<CompletionItem>> {
    let names = receiver_chain(text, start)?;
    let (a, at) = ws.cached(path, text, start)?;
    let index = a.index.as_ref()?;
    let first = &names[0];
    let mut ty = match index
        .visible(at as u32)
        .into_iter()
        .find(|l| &l.name == first)
    {
        Some(l) => l.ty.clone(),
        None => crate::hover::global(ws, path, first)?.0,
    };
    let local = Some(&index.local_types);
    for n in &names[1..] {
        ty = ws.modules.listed_member(&ty, n, false, local)?.ty;
    }
    if matches!(ty, Type::Any | Type::Unknown) {
        return None;
    }
    Some(
        ws.modules
            .members(&ty, colon, local)
            .iter()
            .map(|m| member_item(m, colon))
            .collect(),
    )
}

/// Globals of the document's chunk kind: the environment's ambient globals, and for entries
/// their `modules:` and `imports:` aliases (globals in Wippy too).
fn globals(
    ws: &Workspace,
    path: &Path,
) -> Vec<(String, String, Option<String>, CompletionItemKind)> {
    let env = ws.environment(path);
    let mut out: Vec<_> = env
        .globals(ws.modules)
        .into_iter()
        .map(|(name, g)| {
            let kind = match g.ty {
                Type::Function(_) => CompletionItemKind::FUNCTION,
                Type::Namespace(_) => CompletionItemKind::MODULE,
                _ => CompletionItemKind::VARIABLE,
            };
            (name, g.ty.to_string(), g.description, kind)
        })
        .collect();
    if let Some(e) = ws.entry_of(path) {
        for m in &e.modules {
            let doc = ws.modules.get(&m.value).and_then(|m| m.description.clone());
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
fn string_argument(ws: &Workspace, path: &Path, before: &str) -> Option<Vec<CompletionItem>> {
    let b = before.strip_suffix(['"', '\''])?.trim_end();
    let b = b.strip_suffix('(').map_or(b, str::trim_end);
    let module_item = |name: &str, detail: String, doc: Option<String>| {
        let mut item = plain(name, CompletionItemKind::MODULE, Some(detail));
        item.documentation = markdown(doc.as_deref());
        item
    };
    if b.ends_with("wraith.import") {
        let libs = match ws.role(path) {
            Role::Handler(t) | Role::TwinLib(t) => {
                ws.project.twins[t].libs.keys().cloned().collect()
            }
            _ => Vec::new(),
        };
        return Some(
            libs.iter()
                .map(|l| module_item(l, format!("lua/lib/{l}"), None))
                .collect(),
        );
    }
    if !b.ends_with("require") || b[..b.len() - 7].ends_with(|c: char| is_ident(c) || c == '.') {
        return None;
    }
    let items = match ws.entry_of(path) {
        Some(e) => e
            .modules
            .iter()
            .map(|m| {
                module_item(
                    &m.value,
                    "module (modules:)".into(),
                    ws.modules.get(&m.value).and_then(|d| d.description.clone()),
                )
            })
            .chain(
                e.imports
                    .iter()
                    .map(|i| module_item(&i.alias, format!("import {}", i.target.value), None)),
            )
            .collect(),
        None => ws
            .modules
            .iter()
            .map(|m| module_item(&m.name, "module".into(), m.description.clone()))
            .collect(),
    };
    Some(items)
}

/// The YAML key whose value or list the cursor is in: `kind`, `modules`, `method` on the
/// cursor's line, else the key of the nearest line above with less indentation (so an alias
/// line inside `imports:` and a `- item` under `modules:` find their list).
fn yaml_key(text: &str, offset: usize) -> Option<String> {
    let key_of = |line: &str| -> Option<String> {
        let t = line.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let (k, _) = t.split_once(':')?;
        (!k.is_empty() && !k.contains([' ', '[', '{', '"', '\''])).then(|| k.to_owned())
    };
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    if let Some(k) =
        key_of(line).filter(|k| ["kind", "modules", "method", "imports"].contains(&k.as_str()))
    {
        return Some(k);
    }
    let indent = line.len() - line.trim_start().len();
    let mut end = line_start;
    while end > 0 {
        let prev_start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let prev = &text[prev_start..end - 1];
        let pi = prev.len() - prev.trim_start().len();
        if !prev.trim().is_empty() && pi < indent {
            return key_of(prev);
        }
        end = prev_start;
    }
    None
}

/// The `source: file://…` of the YAML entry around `offset`, resolved against the file's dir.
fn entry_source(text: &str, offset: usize, path: &Path) -> Option<std::path::PathBuf> {
    let start = text[..offset]
        .rfind("- name:")
        .or_else(|| text[..offset].rfind("-  name:"))?;
    let end = text[offset..]
        .find("- name:")
        .map_or(text.len(), |i| offset + i);
    let block = &text[start..end];
    let src = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("source:"))?
        .trim()
        .trim_matches(['"', '\'']);
    let rel = src.strip_prefix("file://")?;
    Some(crate::workspace::canonical(&path.parent()?.join(rel)))
}

/// Completion items at byte `offset` of an `_index.yaml`.
pub fn yaml(ws: &mut Workspace, path: &Path, text: &str, offset: usize) -> Vec<CompletionItem> {
    let Some(key) = yaml_key(text, offset) else {
        return Vec::new();
    };
    match key.as_str() {
        "kind" => KINDS
            .iter()
            .map(|k| {
                plain(
                    k,
                    CompletionItemKind::ENUM_MEMBER,
                    Some("entry kind".into()),
                )
            })
            .collect(),
        "modules" => ws
            .modules
            .iter()
            .filter(|m| m.expose == typedefs::Expose::Require)
            .map(|m| {
                let mut item = plain(&m.name, CompletionItemKind::MODULE, Some("module".into()));
                item.documentation = markdown(m.description.as_deref());
                item
            })
            .collect(),
        "imports" => ws
            .project
            .entries
            .iter()
            .filter(|e| e.kind.starts_with("library.lua"))
            .map(|e| plain(&e.id, CompletionItemKind::REFERENCE, Some(e.kind.clone())))
            .collect(),
        "method" => {
            let Some(src) = entry_source(text, offset, path) else {
                return Vec::new();
            };
            let source = match ws.docs.get(&src) {
                Some(d) => d.text.as_str().to_owned(),
                None => match std::fs::read_to_string(&src) {
                    Ok(t) => t,
                    Err(_) => return Vec::new(),
                },
            };
            // The open buffer may be mid-edit and not parse: then the file on disk.
            let mut exports = ws.analyse(&src, &source).exports;
            if exports.is_none() {
                if let Ok(disk) = std::fs::read_to_string(&src) {
                    exports = ws.analyse(&src, &disk).exports;
                }
            }
            exports
                .map(|t| {
                    ws.modules
                        .members(&t, false, None)
                        .into_iter()
                        .filter(|m| m.role == MemberRole::Function)
                        .map(|m| plain(&m.name, CompletionItemKind::FUNCTION, Some(m.detail)))
                        .collect()
                })
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}
