//! Go to definition, references, rename and prepareRename, within a file (locals) and across
//! files (a library's exported function: its definition and uses in the library, and every
//! `alias.name` in the entries that import it, whether `alias` is a `require` local or the
//! import's global).
//!
//! The functions here are pure: they read analyses (an index and the text it was made from);
//! the server supplies the analyses of the library and of its importers.

use std::ops::Range;
use std::path::{Path, PathBuf};

use checker::walk::index::{ChunkIndex, Returned, SymbolKind as LocalKind};
use project::Project;

use crate::analysis::Analysis;
use crate::resolve::{receiver_text, word_at};
use crate::workspace::Role;

/// A place: file and byte range (in that file's text).
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// File.
    pub path: PathBuf,
    /// Byte range.
    pub span: Range<usize>,
}

/// What a rename or a reference search is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// Local `id` of the document's index.
    Local(usize),
    /// Member `name` of what the library with source `lib` returns.
    Export {
        /// The library's source file.
        lib: PathBuf,
        /// The member.
        name: String,
    },
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

/// The `"alias"` of a `require("alias")` that follows byte `from` on its line.
fn require_arg(text: &str, from: usize) -> Option<String> {
    let end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    let tail = &text[from..end];
    let q = tail.find("require")?;
    let arg = tail[q + 7..]
        .trim_start()
        .trim_start_matches('(')
        .trim_start()
        .strip_prefix(['"', '\''])?;
    Some(
        arg.chars()
            .take_while(|c| *c != '"' && *c != '\'')
            .collect(),
    )
}

/// The source file of the library that import `alias` of the document's entry names.
pub fn import_source(project: &Project, a: &Analysis, alias: &str) -> Option<PathBuf> {
    let e = a.entry()?;
    let import = e.imports.iter().find(|i| i.alias == alias)?;
    let target = &project.entries[import.entry?];
    let (file, _) = target.source.as_ref()?;
    Some(project.files.get(*file)?.path.clone())
}

/// The import alias a receiver written `receiver` stands for at `offset` of `a`: a local bound
/// to `require("alias")`, or the import's global itself.
fn alias_of(a: &Analysis, index: &ChunkIndex, receiver: &str, offset: usize) -> Option<String> {
    if receiver.contains('.') {
        return None;
    }
    let text = a.text.as_str();
    match crate::resolve::visible(index, offset)
        .into_iter()
        .find(|l| l.name == receiver)
    {
        Some(l) if l.kind == LocalKind::Import => require_arg(text, l.decl.end as usize),
        Some(_) => None,
        None => Some(receiver.to_owned()),
    }
}

/// The name of the local a library returns (`return M`).
fn returned_local(index: &ChunkIndex) -> Option<&str> {
    match &index.outline.returned {
        Returned::Name(n, _) => Some(n),
        _ => None,
    }
}

/// Whether the document of `a` is the source of a library entry.
fn is_library(a: &Analysis) -> bool {
    let (Role::Entry(ids), Some(p)) = (&a.role, a.project.as_deref()) else {
        return false;
    };
    ids.iter()
        .any(|&i| p.entries[i].kind.starts_with("library.lua"))
}

/// What the name at byte `offset` of `a` (document `path`) refers to, and its span.
pub fn subject_at(a: &Analysis, path: &Path, offset: usize) -> Option<(Subject, Range<usize>)> {
    let index = a.index.as_deref()?;
    let text = a.text.as_str();
    let (start, end) = word_at(text, offset)?;
    let name = &text[start..end];
    let export = |lib: PathBuf| {
        Some((
            Subject::Export {
                lib,
                name: name.to_owned(),
            },
            start..end,
        ))
    };
    let ret = returned_local(index);
    if is_library(a) {
        let defines = index.outline.definitions.iter().any(|d| {
            d.name.start as usize == start && d.path.len() == 2 && Some(d.path[0].as_str()) == ret
        });
        let field = match &index.outline.returned {
            Returned::Table(fields) => fields.iter().any(|f| f.name.start as usize == start),
            _ => false,
        };
        let own_member =
            index.member_at(start as u32).is_some() && receiver_text(text, start).as_deref() == ret;
        if defines || field || own_member {
            return export(path.to_path_buf());
        }
    }
    if let Some(id) = index.local_at(start as u32) {
        return Some((Subject::Local(id), start..end));
    }
    index.member_at(start as u32)?;
    let receiver = receiver_text(text, start)?;
    let alias = alias_of(a, index, &receiver, start)?;
    let lib = import_source(a.project.as_deref()?, a, &alias)?;
    export(lib)
}

/// Every span naming local `id` (declaration first).
pub fn local_occurrences(index: &ChunkIndex, id: usize) -> Vec<Range<usize>> {
    index
        .occurrences(id)
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.start as usize..s.end as usize)
        .collect()
}

/// Where export `name` is defined in its library: `function M.name` / `M.name = …`, else its
/// field in the returned table.
pub fn export_definition(index: &ChunkIndex, name: &str) -> Option<Range<usize>> {
    let ret = returned_local(index);
    let def = index
        .outline
        .definitions
        .iter()
        .find(|d| d.path.len() == 2 && Some(d.path[0].as_str()) == ret && d.path[1] == name)
        .map(|d| d.name.start as usize..d.name.end as usize);
    def.or_else(|| match &index.outline.returned {
        Returned::Table(fields) => fields
            .iter()
            .find(|f| f.path[0] == name)
            .map(|f| f.name.start as usize..f.name.end as usize),
        _ => None,
    })
}

/// Spans naming export `name` in its library: `function M.name`, `M.name = …`, uses of
/// `M.name`, and a `name =` field of a returned table.
pub fn library_occurrences(text: &str, index: &ChunkIndex, name: &str) -> Vec<Range<usize>> {
    let ret = returned_local(index);
    let mut out: Vec<Range<usize>> = index
        .outline
        .definitions
        .iter()
        .filter(|d| d.path.len() == 2 && Some(d.path[0].as_str()) == ret && d.path[1] == name)
        .map(|d| d.name.start as usize..d.name.end as usize)
        .collect();
    if let Returned::Table(fields) = &index.outline.returned {
        out.extend(
            fields
                .iter()
                .filter(|f| f.path[0] == name)
                .map(|f| f.name.start as usize..f.name.end as usize),
        );
    }
    for m in &index.members {
        let sp = m.name.start as usize..m.name.end as usize;
        if text.get(sp.clone()) == Some(name)
            && ret.is_some()
            && receiver_text(text, sp.start).as_deref() == ret
        {
            out.push(sp);
        }
    }
    out.sort_by_key(|s| s.start);
    out.dedup();
    out
}

/// Spans of `alias.name` (or `local x = require("alias")` … `x.name`) in an importer.
pub fn importer_occurrences(
    a: &Analysis,
    index: &ChunkIndex,
    aliases: &[String],
    name: &str,
) -> Vec<Range<usize>> {
    let text = a.text.as_str();
    let mut out: Vec<Range<usize>> = index
        .members
        .iter()
        .map(|m| m.name.start as usize..m.name.end as usize)
        .filter(|sp| text.get(sp.clone()) == Some(name))
        .filter(|sp| {
            receiver_text(text, sp.start)
                .and_then(|r| alias_of(a, index, &r, sp.start))
                .is_some_and(|al| aliases.contains(&al))
        })
        .collect();
    out.sort_by_key(|s| s.start);
    out.dedup();
    out
}

/// Entries that import the library with source `lib`: their source files and the aliases
/// they import it under.
pub fn importers(project: &Project, lib: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let Some(file) = project.files.find(lib) else {
        return Vec::new();
    };
    let libs: Vec<usize> = project
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.source.as_ref().is_some_and(|(f, _)| *f == file))
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for e in &project.entries {
        let aliases: Vec<String> = e
            .imports
            .iter()
            .filter(|i| i.entry.is_some_and(|t| libs.contains(&t)))
            .map(|i| i.alias.clone())
            .collect();
        let Some(path) = e
            .source
            .as_ref()
            .and_then(|(f, _)| project.files.get(*f))
            .map(|f| f.path.clone())
        else {
            continue;
        };
        if aliases.is_empty() || path == lib {
            continue;
        }
        match out.iter_mut().find(|(p, _)| *p == path) {
            Some((_, al)) => al.extend(aliases),
            None => out.push((path, aliases)),
        }
    }
    out
}

/// Definition of what is at byte `offset` of `a` (document `path`): a local's declaration, a
/// `require("alias")` → the library's source, a library member → its definition there (`read`
/// gives a file's text; `lib_index` the library's index when it is at hand).
pub fn definition(
    a: &Analysis,
    path: &Path,
    offset: usize,
    read: &dyn Fn(&Path) -> Option<std::sync::Arc<str>>,
) -> Option<Place> {
    let text = a.text.as_str();
    let index = a.index.as_deref()?;
    let project = a.project.as_deref();
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    if let (Some(alias), Some(p)) = (require_arg(text, line_start), project) {
        let on_require = text[line_start..offset.min(text.len())].contains("require");
        if on_require {
            if let Some(lib) = import_source(p, a, &alias) {
                return Some(Place {
                    path: lib,
                    span: 0..0,
                });
            }
        }
    }
    let (start, _) = word_at(text, offset)?;
    if let Some(id) = index.local_at(start as u32) {
        let l = &index.locals[id];
        if !l.decl.is_empty() {
            return Some(Place {
                path: path.to_path_buf(),
                span: l.decl.start as usize..l.decl.end as usize,
            });
        }
    }
    let (subject, _) = subject_at(a, path, offset)?;
    let Subject::Export { lib, name } = subject else {
        return None;
    };
    if lib == path {
        return Some(Place {
            path: lib,
            span: export_definition(index, &name)?,
        });
    }
    let lib_text = read(&lib)?;
    let span = find_definition(&lib_text, &name)?;
    Some(Place { path: lib, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_arguments_and_textual_definitions() {
        assert_eq!(
            require_arg("local s = require(\"strings\")\n", 0).as_deref(),
            Some("strings")
        );
        assert_eq!(
            require_arg("local s = require 'x'", 0).as_deref(),
            Some("x")
        );
        assert_eq!(require_arg("local s = 1", 0), None);
        let lib = "local M = {}\nfunction M.trim(s) end\nM.pad = 1\nreturn M\n";
        assert_eq!(find_definition(lib, "trim"), Some(24..28));
        assert_eq!(find_definition(lib, "pad"), Some(38..41));
    }
}
