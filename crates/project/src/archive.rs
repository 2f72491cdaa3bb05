//! A project read from a `.wapp` archive: the same [`Entry`] model as a directory gives, so
//! `wippy run`, `wippy test` and `wippy check` treat a pack and its source tree alike.
//!
//! Entry data as `wippy pack` writes it (wippy-facts §4.2): source entries keep their Lua text
//! in `data.source` (it becomes a file of its own, `<archive>/<ns>/<name>.lua`, so diagnostics
//! and tracebacks have a path); `<kind>.bc` entries point at bytecode in a tree resource
//! (`data.fs`, `data.path`, `data.hash`). `method`, `modules`, `imports` and `pool` read as
//! in YAML; bare import targets are built-in modules in both.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::entry::{BytecodeRef, Entry, Import, Pool, Spanned};
use crate::{LoadError, Project};

/// Largest archive read, in bytes.
pub const MAX_ARCHIVE_BYTES: u64 = 1 << 30;

/// The bytes of the archive file at `path`: a regular file (never a FIFO or device, which could
/// block) of at most [`MAX_ARCHIVE_BYTES`].
pub fn read_archive_file(path: &Path) -> Result<Vec<u8>, crate::ReadError> {
    crate::load::read_bytes(path, MAX_ARCHIVE_BYTES)
}

/// Whether `path` names a `.wapp` archive (by extension).
pub fn is_archive(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "wapp")
}

/// Read and verify the archive at `path` and load its entries.
pub fn load_archive(path: &Path) -> Result<Project, LoadError> {
    let fail = |m: String| LoadError(format!("{}: {m}", path.display()));
    let bytes = read_archive_file(path).map_err(|e| fail(e.to_string()))?;
    let archive = wapp::read(&bytes).map_err(|e| fail(e.to_string()))?;
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    Ok(from_archive(&path, archive))
}

fn strings(v: Option<&Value>) -> Vec<Spanned<String>> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str())
                .map(|s| Spanned {
                    value: s.to_owned(),
                    span: 0..0,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn imports(v: Option<&Value>) -> Vec<Import> {
    v.and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(alias, t)| {
                    Some(Import {
                        alias: alias.clone(),
                        target: Spanned {
                            value: t.as_str()?.to_owned(),
                            span: 0..0,
                        },
                        entry: None,
                        cross_scope: false,
                        external: false,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The project of an archive already read and verified; `path` is where it came from.
pub fn from_archive(path: &Path, archive: wapp::Archive) -> Project {
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut project = Project {
        files: crate::Files::with_root(&dir),
        root: dir,
        ..Project::default()
    };
    let file = project.files.add(path.to_path_buf(), "");
    project.scopes.push(project.root.clone());
    for e in &archive.entries {
        let data = match &e.data {
            Some(Value::Object(o)) => o.clone(),
            _ => Map::new(),
        };
        let id = format!("{}:{}", e.id.ns, e.id.name);
        let meta = e
            .meta
            .clone()
            .or_else(|| data.get("meta").and_then(Value::as_object).cloned())
            .unwrap_or_default();
        let mut entry = Entry {
            id,
            ns: e.id.ns.clone(),
            name: e.id.name.clone(),
            kind: e.kind.clone(),
            yaml: file,
            span: 0..0,
            source: None,
            bytecode: None,
            method: data.get("method").and_then(Value::as_str).map(|m| Spanned {
                value: m.to_owned(),
                span: 0..0,
            }),
            modules: strings(data.get("modules")),
            imports: imports(data.get("imports")),
            pool: data.get("pool").and_then(Pool::from_json),
            scope: 0,
            duplicate: false,
            meta,
            data,
        };
        if entry.is_lua() {
            if entry.kind.ends_with(".bc") {
                let s = |k: &str| {
                    entry
                        .data
                        .get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                entry.bytecode = Some(BytecodeRef {
                    fs: s("fs"),
                    path: s("path"),
                    hash: s("hash"),
                });
            } else if let Some(text) = entry.data.get("source").and_then(Value::as_str) {
                let virtual_path = path.join(&entry.ns).join(format!("{}.lua", entry.name));
                let idx = project.files.add(virtual_path, Arc::<str>::from(text));
                entry.source = Some((idx, 0..0));
            }
        } else {
            entry.method = None;
            entry.modules.clear();
            entry.imports.clear();
        }
        project.entries.push(entry);
    }
    project.archive = Some(Arc::new(archive));
    crate::resolve::check_duplicates(&mut project);
    crate::resolve::check_imports(&mut project);
    project
}

impl Project {
    /// The bytes of a packed entry's bytecode, as stored (verify them against
    /// [`BytecodeRef::hash`] before loading), or `None` if the archive lacks the file.
    pub fn bytecode(&self, r: &BytecodeRef) -> Option<&[u8]> {
        self.archive
            .as_ref()?
            .resources
            .iter()
            .find(|res| res.id == r.fs)?
            .files
            .get(&r.path)
            .map(Vec::as_slice)
    }
}
