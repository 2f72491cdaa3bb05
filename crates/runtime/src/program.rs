//! What a runtime runs: the Lua entries of a project or a pack, as verified Luau bytecode.

use std::collections::BTreeMap;

use checker::project::{Project, LUA_KINDS};
use packer::wapp::{sha256_hex, Archive};
use serde_json::Value;

/// One runnable entry.
#[derive(Clone, Debug)]
pub struct EntryCode {
    /// `ns:name`.
    pub id: String,
    /// Kind (`function.lua`, `library.lua.bc`, …).
    pub kind: String,
    /// The exported function to call (`method:`).
    pub method: Option<String>,
    /// Modules it may `require` (`modules:`).
    pub modules: Vec<String>,
    /// `imports:` alias → entry id.
    pub imports: BTreeMap<String, String>,
    /// Luau bytecode (compiled from lowered source here, or read from a pack and verified), or
    /// why the entry cannot be loaded (reported when it is called or imported).
    pub bytecode: Result<Vec<u8>, ProgramError>,
    /// Chunk name for tracebacks: the original source path.
    pub chunk_name: String,
    /// The entry's `meta` (`meta.type: test` marks a test, see `wippy test`).
    pub meta: serde_json::Map<String, Value>,
}

/// The runnable entries by id.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Entries by id.
    pub entries: BTreeMap<String, EntryCode>,
    /// `db.sql.sqlite` entries: id → `file:` (a path, or `:memory:`).
    pub databases: BTreeMap<String, String>,
    /// Directory that relative database files resolve against (the project root, or the
    /// current directory for a pack).
    pub root: std::path::PathBuf,
}

/// Kind of the SQLite database entries `sql.get` opens.
pub const SQLITE_KIND: &str = "db.sql.sqlite";

/// A program could not be built: which entry and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramError(pub String);

impl std::fmt::Display for ProgramError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn imports(v: Option<&Value>, ns: &str) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| {
                    v.as_str().map(|t| {
                        (
                            k.clone(),
                            if t.contains(':') {
                                t.to_owned()
                            } else {
                                format!("{ns}:{t}")
                            },
                        )
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn compile_source(id: &str, chunk: &str, text: &str) -> Result<Vec<u8>, ProgramError> {
    let lowered = packer::lower::lower(text).map_err(|e| {
        let (line, col) = checker::files::line_col(text, e.span.start);
        ProgramError(format!("{chunk}:{line}:{col}: entry {id}: {}", e.message))
    })?;
    packer::compile::compile(&lowered)
        .map_err(|e| ProgramError(format!("{chunk}: entry {id}: {}", e.0)))
}

impl Program {
    /// A program of one function entry `id` compiled from `source` (for embedding and tests):
    /// method `method`, the given `modules:`, no imports. The source is lowered as packing does;
    /// if it does not compile, calling the entry reports why.
    pub fn single(id: &str, source: &str, method: &str, modules: &[&str]) -> Program {
        let chunk_name = format!("{}.lua", id.rsplit(':').next().unwrap_or(id));
        let mut p = Program::default();
        p.entries.insert(
            id.to_owned(),
            EntryCode {
                id: id.to_owned(),
                kind: "function.lua".into(),
                method: Some(method.to_owned()),
                modules: modules.iter().map(|m| (*m).to_owned()).collect(),
                imports: BTreeMap::new(),
                bytecode: compile_source(id, &chunk_name, source),
                chunk_name,
                meta: serde_json::Map::new(),
            },
        );
        p
    }

    /// The Lua entries of a project, lowered and compiled (an entry that does not compile is kept
    /// with its error, so the others still run).
    pub fn from_project(project: &Project) -> Result<Program, ProgramError> {
        let mut entries = BTreeMap::new();
        for e in project
            .entries
            .iter()
            .filter(|e| LUA_KINDS.contains(&e.kind.as_str()) && !e.duplicate)
        {
            let Some(src) = e.source.as_ref().and_then(|(f, _)| project.files.get(*f)) else {
                continue;
            };
            let chunk_name = src.display.clone();
            let bytecode = compile_source(&e.id, &chunk_name, &src.text);
            entries.insert(
                e.id.clone(),
                EntryCode {
                    id: e.id.clone(),
                    kind: e.kind.clone(),
                    method: e.method.as_ref().map(|m| m.value.clone()),
                    modules: e.modules.iter().map(|m| m.value.clone()).collect(),
                    imports: e
                        .imports
                        .iter()
                        .map(|i| (i.alias.clone(), i.target.value.clone()))
                        .collect(),
                    bytecode,
                    chunk_name,
                    meta: e.meta.clone(),
                },
            );
        }
        let databases = project
            .entries
            .iter()
            .filter(|e| e.kind == SQLITE_KIND && !e.duplicate)
            .map(|e| {
                (
                    e.id.clone(),
                    e.data
                        .get("file")
                        .and_then(Value::as_str)
                        .unwrap_or(":memory:")
                        .to_owned(),
                )
            })
            .collect();
        Ok(Program {
            entries,
            databases,
            root: project.root.clone(),
        })
    }

    /// The Lua entries of a verified archive: `.bc` entries take their bytecode from the tree
    /// resource after checking its SHA-256 against the entry's `hash`; source entries are lowered.
    pub fn from_archive(archive: &Archive) -> Result<Program, ProgramError> {
        let mut entries = BTreeMap::new();
        let mut databases = BTreeMap::new();
        for e in &archive.entries {
            if e.kind == SQLITE_KIND {
                let file = e
                    .data
                    .as_ref()
                    .and_then(|d| d.get("file"))
                    .and_then(Value::as_str)
                    .unwrap_or(":memory:");
                databases.insert(format!("{}:{}", e.id.ns, e.id.name), file.to_owned());
                continue;
            }
            let base_kind = e.kind.strip_suffix(".bc").unwrap_or(&e.kind);
            if !LUA_KINDS.contains(&base_kind) {
                continue;
            }
            let id = format!("{}:{}", e.id.ns, e.id.name);
            let data = e.data.clone().unwrap_or(Value::Null);
            let chunk_name = format!("{}/{}.lua", e.id.ns, e.id.name);
            let bytecode = if e.kind.ends_with(".bc") {
                let fs = data.get("fs").and_then(Value::as_str).unwrap_or_default();
                let path = data.get("path").and_then(Value::as_str).unwrap_or_default();
                let want = data.get("hash").and_then(Value::as_str).unwrap_or_default();
                let bytes = archive
                    .resources
                    .iter()
                    .find(|r| r.id == fs)
                    .and_then(|r| r.files.get(path))
                    .ok_or_else(|| {
                        ProgramError(format!(
                            "entry {id}: bytecode {fs}/{path} is missing from the pack"
                        ))
                    })?;
                if want != format!("sha256:{}", sha256_hex(bytes)) {
                    return Err(ProgramError(format!(
                        "entry {id}: bytecode {path} does not match its hash {want}"
                    )));
                }
                Ok(bytes.clone())
            } else {
                let text = data
                    .get("source")
                    .and_then(Value::as_str)
                    .ok_or_else(|| ProgramError(format!("entry {id}: no source in the pack")))?;
                compile_source(&id, &chunk_name, text)
            };
            entries.insert(
                id.clone(),
                EntryCode {
                    id: id.clone(),
                    kind: base_kind.to_owned(),
                    method: data
                        .get("method")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    modules: strings(data.get("modules")),
                    imports: imports(data.get("imports"), &e.id.ns),
                    bytecode,
                    chunk_name,
                    meta: e
                        .meta
                        .clone()
                        .or_else(|| data.get("meta").and_then(Value::as_object).cloned())
                        .unwrap_or_default(),
                },
            );
        }
        Ok(Program {
            entries,
            databases,
            root: std::env::current_dir().unwrap_or_default(),
        })
    }
}
