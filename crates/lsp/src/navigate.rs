//! Go to definition, references, rename, document and workspace symbols.

use std::ops::Range;
use std::path::{Path, PathBuf};

use checker::walk::index::SymbolKind as LocalKind;
use tower_lsp::lsp_types::SymbolKind;

use crate::hover::word_at;
use crate::workspace::{canonical, Analysis, Workspace};

/// A place: file and byte range (in that file's current text).
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// File.
    pub path: PathBuf,
    /// Byte range.
    pub span: Range<usize>,
}

/// A named thing in a document or the workspace.
#[derive(Clone, Debug)]
pub struct Symbol {
    /// Name.
    pub name: String,
    /// Detail (type or kind).
    pub detail: String,
    /// LSP symbol kind.
    pub kind: SymbolKind,
    /// Where.
    pub place: Place,
}

/// Text of a file: the open buffer, else the disk.
pub fn text_of(ws: &Workspace, path: &Path) -> Option<String> {
    match ws.docs.get(path) {
        Some(d) => Some(d.text.as_str().to_owned()),
        None => std::fs::read_to_string(path).ok(),
    }
}

/// Where `name` is defined in a Lua source: `function M.name`, `local function name`,
/// `function name`, or `name =` (a table field or assignment) — the first found.
pub fn find_definition(text: &str, name: &str) -> Option<Range<usize>> {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let mut best: Option<(u8, usize)> = None;
    for (i, _) in text.match_indices(name) {
        if is_word(text[..i].chars().next_back()) || is_word(text[i + name.len()..].chars().next())
        {
            continue;
        }
        let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
        let before = text[line_start..i].trim_end_matches(['.', ':']);
        let after = text[i + name.len()..].trim_start();
        let rank = if before.trim_start().starts_with("function")
            || before.trim_end().ends_with("function")
        {
            0
        } else if after.starts_with('=') && !after.starts_with("==") {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, i));
        }
    }
    best.map(|(_, i)| i..i + name.len())
}

/// Definition of what is at byte `offset` of a Lua document.
pub fn lua_definition(ws: &Workspace, path: &Path, a: &Analysis, offset: usize) -> Option<Place> {
    let text = a.text.as_str();
    let index = a.index.as_ref()?;
    // require("alias") → the imported library's source.
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    if let Some(q) = line.find("require(") {
        let arg = line[q + 8..].trim_start().trim_start_matches(['"', '\'']);
        let alias: String = arg
            .chars()
            .take_while(|c| *c != '"' && *c != '\'')
            .collect();
        if offset >= line_start + q {
            if let Some(p) = import_source(ws, path, &alias) {
                return Some(Place {
                    path: p,
                    span: 0..0,
                });
            }
        }
    }
    let (start, end) = word_at(text, offset)?;
    if let Some(id) = index.local_at(start as u32) {
        let l = &index.locals[id];
        return Some(Place {
            path: path.to_path_buf(),
            span: l.decl.start as usize..l.decl.end as usize,
        });
    }
    // A library member: `strings.trim` where `strings` is an import.
    let access = index.member_at(start as u32)?;
    let receiver_end = text[..start].trim_end_matches(['.', ':']).len();
    let receiver_start = crate::complete::word_start(text, receiver_end);
    let receiver = &text[receiver_start..receiver_end];
    let _ = access;
    let alias = match index.local_at(receiver_start as u32) {
        Some(id) if index.locals[id].kind == LocalKind::Import => {
            let decl_end = index.locals[id].decl.end as usize;
            let tail = &text[decl_end
                ..text[decl_end..]
                    .find('\n')
                    .map_or(text.len(), |i| decl_end + i)];
            let q = tail.find("require(")?;
            tail[q + 8..]
                .trim_start()
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| *c != '"' && *c != '\'')
                .collect()
        }
        _ => receiver.to_owned(),
    };
    let lib = import_source(ws, path, &alias)?;
    let lib_text = text_of(ws, &lib)?;
    let span = find_definition(&lib_text, &text[start..end])?;
    Some(Place { path: lib, span })
}

/// The source file of the library that import `alias` of the entry at `path` names.
fn import_source(ws: &Workspace, path: &Path, alias: &str) -> Option<PathBuf> {
    let e = ws.entry_of(path)?;
    let import = e.imports.iter().find(|i| i.alias == alias)?;
    let target = &ws.project.entries[import.entry?];
    let (file, _) = target.source.as_ref()?;
    Some(ws.project.files.get(*file)?.path.clone())
}

/// Definition from an `_index.yaml`: `source: file://…` → the file; `method: name` → the
/// function in the entry's source.
pub fn yaml_definition(path: &Path, text: &str, offset: usize) -> Option<Place> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[line_start..line_end]
        .trim_start()
        .trim_start_matches("- ");
    let source_of = |block_text: &str| -> Option<PathBuf> {
        let src = block_text
            .lines()
            .find_map(|l| l.trim().trim_start_matches("- ").strip_prefix("source:"))?;
        let rel = src
            .trim()
            .trim_matches(['"', '\''])
            .strip_prefix("file://")?;
        Some(canonical(&path.parent()?.join(rel)))
    };
    if line.starts_with("source:") {
        return Some(Place {
            path: source_of(line)?,
            span: 0..0,
        });
    }
    let method = line
        .strip_prefix("method:")?
        .trim()
        .trim_matches(['"', '\'']);
    let start = text[..offset].rfind("- name:").unwrap_or(0);
    let end = text[offset..]
        .find("- name:")
        .map_or(text.len(), |i| offset + i);
    let src = source_of(&text[start..end])?;
    let src_text = std::fs::read_to_string(&src).ok()?;
    let span = find_definition(&src_text, method).unwrap_or(0..0);
    Some(Place { path: src, span })
}

/// Every occurrence of the local at `offset` (declaration first).
pub fn references(a: &Analysis, offset: usize) -> Option<Vec<Range<usize>>> {
    let index = a.index.as_ref()?;
    let (start, _) = word_at(a.text.as_str(), offset)?;
    let id = index.local_at(start as u32)?;
    Some(
        index
            .occurrences(id)
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.start as usize..s.end as usize)
            .collect(),
    )
}

/// Symbols of a Lua document: its top-level locals and functions.
pub fn lua_symbols(path: &Path, a: &Analysis) -> Vec<Symbol> {
    let Some(index) = &a.index else {
        return Vec::new();
    };
    index
        .locals
        .iter()
        .filter(|l| l.top_level && !l.decl.is_empty())
        .map(|l| Symbol {
            name: l.name.clone(),
            detail: l.ty.to_string(),
            kind: match (l.kind, &l.ty) {
                (LocalKind::Function, _) | (_, typedefs::Type::Function(_)) => SymbolKind::FUNCTION,
                (LocalKind::Import, _) => SymbolKind::MODULE,
                _ => SymbolKind::VARIABLE,
            },
            place: Place {
                path: path.to_path_buf(),
                span: l.decl.start as usize..l.decl.end as usize,
            },
        })
        .collect()
}

/// Entries declared in a YAML file (or, with `query`, in the whole workspace whose id contains
/// it, case-insensitively).
pub fn entry_symbols(ws: &Workspace, file: Option<&Path>, query: &str) -> Vec<Symbol> {
    let q = query.to_lowercase();
    ws.project
        .entries
        .iter()
        .filter_map(|e| {
            let yaml = ws.project.files.get(e.yaml)?;
            if file.is_some_and(|f| f != yaml.path) || !e.id.to_lowercase().contains(&q) {
                return None;
            }
            let kind = if e.is_lua() {
                SymbolKind::FUNCTION
            } else {
                SymbolKind::OBJECT
            };
            Some(Symbol {
                name: if file.is_some() {
                    e.name.clone()
                } else {
                    e.id.clone()
                },
                detail: e.kind.clone(),
                kind,
                place: Place {
                    path: yaml.path.clone(),
                    span: e.span.start as usize..e.span.end as usize,
                },
            })
        })
        .collect()
}
