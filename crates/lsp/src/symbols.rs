//! Document and workspace symbols. A Lua file's outline is hierarchical: top-level locals, the
//! functions defined on a module table (`function M.x`, `function M:x`, `M.x = function`) as
//! children of that table, nested local functions inside their function, global functions,
//! and the fields of a returned table constructor under `return`. A YAML file lists its
//! entries. Clients without hierarchy get the same symbols flattened, each with its container.

use std::ops::Range;
use std::path::Path;

use checker::walk::index::{ChunkIndex, Definition, Returned, SymbolKind as LocalKind};
use project::Project;
use tower_lsp::lsp_types::SymbolKind;
use typedefs::Type;

use crate::hover::short_type;

/// A symbol with byte ranges (converted to positions by the server).
#[derive(Clone, Debug, PartialEq)]
pub struct Sym {
    /// Name.
    pub name: String,
    /// Type or kind.
    pub detail: String,
    /// LSP kind.
    pub kind: SymbolKind,
    /// The whole definition.
    pub range: Range<usize>,
    /// The name.
    pub selection: Range<usize>,
    /// Nested symbols.
    pub children: Vec<Sym>,
}

fn r(sp: &Range<u32>) -> Range<usize> {
    sp.start as usize..sp.end as usize
}

fn definition_sym(d: &Definition, name: String) -> Sym {
    let kind = match (d.method, d.function) {
        (true, _) => SymbolKind::METHOD,
        (false, true) => SymbolKind::FUNCTION,
        _ => SymbolKind::FIELD,
    };
    let detail = if d.function {
        format!("({})", d.params.join(", "))
    } else {
        String::new()
    };
    Sym {
        name,
        detail,
        kind,
        range: r(&d.span),
        selection: r(&d.name),
        children: Vec::new(),
    }
}

/// Put `s` inside the innermost symbol of `into` whose range contains it, else at the end.
fn nest(into: &mut Vec<Sym>, s: Sym) {
    let inside = into.iter_mut().rev().find(|p| {
        p.range.start <= s.range.start && s.range.end <= p.range.end && p.range != s.range
    });
    match inside {
        Some(p) if matches!(p.kind, SymbolKind::FUNCTION | SymbolKind::METHOD) => {
            nest(&mut p.children, s)
        }
        _ => into.push(s),
    }
}

/// The symbols of a Lua chunk.
pub fn lua(index: &ChunkIndex) -> Vec<Sym> {
    let mut top: Vec<Sym> = index
        .locals
        .iter()
        .filter(|l| l.top_level && !l.decl.is_empty() && !l.name.is_empty())
        .map(|l| Sym {
            name: l.name.clone(),
            detail: short_type(&l.ty),
            kind: match (l.kind, &l.ty) {
                (LocalKind::Function, _) | (_, Type::Function(_)) => SymbolKind::FUNCTION,
                (LocalKind::Import, _) => SymbolKind::MODULE,
                (_, Type::Record(_) | Type::AnyTable) => SymbolKind::OBJECT,
                _ => SymbolKind::VARIABLE,
            },
            range: r(&l.decl),
            selection: r(&l.decl),
            children: Vec::new(),
        })
        .collect();
    let mut nested = Vec::new();
    for d in &index.outline.definitions {
        if d.path.len() >= 2 {
            let owner = top
                .iter_mut()
                .find(|s| s.name == d.path[0] && s.range.start <= d.span.start as usize);
            let member = if d.method {
                d.path[d.path.len() - 1].clone()
            } else {
                d.path[1..].join(".")
            };
            match owner {
                Some(o) => o.children.push(definition_sym(d, member)),
                None => {
                    let sep = if d.method { ":" } else { "." };
                    let owner_path = d.path[..d.path.len() - 1].join(".");
                    let name = format!("{owner_path}{sep}{}", d.path[d.path.len() - 1]);
                    nested.push(definition_sym(d, name));
                }
            }
            continue;
        }
        let same = top
            .iter_mut()
            .find(|s| s.selection == r(&d.name) && d.local);
        match same {
            Some(s) => {
                s.range = r(&d.span);
                s.kind = SymbolKind::FUNCTION;
                s.detail = format!("({})", d.params.join(", "));
            }
            None => nested.push(definition_sym(d, d.path[0].clone())),
        }
    }
    for s in nested {
        nest(&mut top, s);
    }
    if let Returned::Table(fields) = &index.outline.returned {
        if let (Some(first), Some(last)) = (fields.first(), fields.last()) {
            top.push(Sym {
                name: "return".into(),
                detail: "exports".into(),
                kind: SymbolKind::MODULE,
                range: first.span.start as usize..last.span.end as usize,
                selection: r(&first.name),
                children: fields
                    .iter()
                    .map(|f| definition_sym(f, f.path[0].clone()))
                    .collect(),
            });
        }
    }
    for s in &mut top {
        s.children.sort_by_key(|c| c.range.start);
    }
    top.sort_by_key(|s| s.range.start);
    top
}

/// Entries declared in the YAML file `path` of `project`, each spanning its block in `text`.
pub fn yaml(project: &Project, path: &Path, text: &str) -> Vec<Sym> {
    let Some(file) = project.files.find(path) else {
        return Vec::new();
    };
    project
        .entries
        .iter()
        .filter(|e| e.yaml == file)
        .map(|e| {
            let name = r(&e.span);
            let range = crate::yaml::entry_block(text, name.start)
                .filter(|b| b.start <= name.start && name.end <= b.end)
                .unwrap_or(name.clone());
            Sym {
                name: e.name.clone(),
                detail: e.kind.clone(),
                kind: if e.is_lua() {
                    SymbolKind::FUNCTION
                } else {
                    SymbolKind::OBJECT
                },
                range,
                selection: name,
                children: Vec::new(),
            }
        })
        .collect()
}

/// Entries of `project` whose id contains `query` (case-insensitively): (id, kind, YAML file,
/// span of the name).
pub fn workspace(
    project: &Project,
    query: &str,
) -> Vec<(String, String, std::path::PathBuf, Range<usize>, bool)> {
    let q = query.to_lowercase();
    project
        .entries
        .iter()
        .filter(|e| e.id.to_lowercase().contains(&q))
        .filter_map(|e| {
            let yaml = project.files.get(e.yaml)?;
            Some((
                e.id.clone(),
                e.kind.clone(),
                yaml.path.clone(),
                r(&e.span),
                e.is_lua(),
            ))
        })
        .collect()
}

/// `syms` flattened in document order: (symbol without children, its container's name).
pub fn flatten(syms: Vec<Sym>, container: Option<&str>, out: &mut Vec<(Sym, Option<String>)>) {
    for mut s in syms {
        let children = std::mem::take(&mut s.children);
        let name = s.name.clone();
        out.push((s, container.map(str::to_owned)));
        flatten(children, Some(&name), out);
    }
}
