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
    let archive = read_verified(path).map_err(LoadError)?;
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    Ok(from_archive(&path, archive))
}

/// Read the archive at `path` ([`read_archive_file`]) and verify every hash within the
/// reader's budgets (`wapp::ReadLimits`); errors name the path.
pub fn read_verified(path: &Path) -> Result<wapp::Archive, String> {
    let fail = |m: String| format!("{}: {m}", path.display());
    let bytes = read_archive_file(path).map_err(|e| fail(e.to_string()))?;
    wapp::read(&bytes).map_err(|e| fail(e.to_string()))
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
        root: dir.clone(),
        ..Project::default()
    };
    project.scopes.push(crate::layout::Scope::new(
        dir.clone(),
        dir,
        crate::layout::ScopeRole::Project,
    ));
    add_archive(&mut project, path, archive, 0, false);
    project.finish_files();
    crate::resolve::check_duplicates(&mut project);
    crate::resolve::check_imports(&mut project);
    project
}

/// Add the entries of `archive` (read from `path`) to `project` in scope `scope`. The first
/// archive of a project is [`Project::archive`]; later ones (installed modules) are kept in
/// [`Project::dependency_archives`], and their bytecode entries point there.
pub(crate) fn add_archive(
    project: &mut Project,
    path: &Path,
    archive: wapp::Archive,
    scope: usize,
    dependency: bool,
) {
    let archive_index = dependency.then_some(project.dependency_archives.len());
    let file = project.files.add(path.to_path_buf(), "");
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
            scope,
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
                    archive: archive_index,
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
    match archive_index {
        None => project.archive = Some(Arc::new(archive)),
        Some(_) => project.dependency_archives.push(Arc::new(archive)),
    }
}

impl Project {
    /// The bytes of a packed entry's bytecode, as stored (verify them against
    /// [`BytecodeRef::hash`] before loading), or `None` if the archive lacks the file.
    pub fn bytecode(&self, r: &BytecodeRef) -> Option<&[u8]> {
        match r.archive {
            None => self.archive.as_ref(),
            Some(i) => self.dependency_archives.get(i),
        }?
        .resources
        .iter()
        .find(|res| res.id == r.fs)?
        .files
        .get(&r.path)
        .map(Vec::as_slice)
    }
}
