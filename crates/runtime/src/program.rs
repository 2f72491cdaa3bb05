//! What a runtime runs: the Lua entries of a project (read from a directory or from a `.wapp`,
//! see [`project::load`]) as verified Luau bytecode.

use std::collections::{BTreeMap, BTreeSet};

use host::Bytecode;
use project::{Entry, Project, SQLITE_KIND};
use serde_json::Value;

/// One runnable entry.
#[derive(Clone, Debug)]
pub struct EntryCode {
    /// `ns:name`.
    pub id: String,
    /// Kind without the `.bc` suffix (`function.lua`, `library.lua`, …).
    pub kind: String,
    /// The exported function to call (`method:`).
    pub method: Option<String>,
    /// Modules it may `require` (`modules:`).
    pub modules: Vec<String>,
    /// `imports:` alias → target as written: an entry id (`ns:name`) or a built-in module name.
    pub imports: BTreeMap<String, String>,
    /// Luau bytecode (compiled from lowered source here, or read from a pack and verified), or
    /// why the entry cannot be loaded (reported when it is called or imported).
    pub bytecode: Result<Bytecode, ProgramError>,
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
    /// Ids of the `process.host` entries (where processes may be spawned; any host is accepted
    /// when there are none).
    pub hosts: BTreeSet<String>,
    /// The `process.service` entries.
    pub services: Vec<crate::services::Service>,
}

/// A program could not be built: which entry and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramError(pub String);

impl std::fmt::Display for ProgramError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower a Wippy chunk to Luau and compile it; errors name the chunk, line and entry.
fn compile_source(id: &str, chunk: &str, text: &str) -> Result<Bytecode, ProgramError> {
    let lowered = syntax::lower::lower(text).map_err(|e| {
        let (line, col) = project::line_col(text, e.span.start);
        ProgramError(format!("{chunk}:{line}:{col}: entry {id}: {}", e.message))
    })?;
    Bytecode::compile(&lowered).map_err(|e| ProgramError(format!("{chunk}: entry {id}: {}", e.0)))
}

/// The bytecode of one Lua entry: compiled from its source file, or taken from the project's
/// archive after checking its hash.
fn entry_bytecode(
    project: &Project,
    e: &Entry,
    chunk_name: &str,
) -> Result<Bytecode, ProgramError> {
    if let Some(r) = &e.bytecode {
        let bytes = project.bytecode(r).ok_or_else(|| {
            ProgramError(format!(
                "entry {}: bytecode {}/{} is missing from the pack",
                e.id, r.fs, r.path
            ))
        })?;
        return Bytecode::verified(bytes, &r.hash)
            .map_err(|m| ProgramError(format!("entry {}: {}: {m}", e.id, r.path)));
    }
    match e.source.as_ref().and_then(|(f, _)| project.files.get(*f)) {
        Some(src) => compile_source(&e.id, chunk_name, &src.text),
        None => Err(ProgramError(format!("entry {}: no readable source", e.id))),
    }
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

    /// The Lua entries of a project, from source (lowered and compiled) or from a pack's
    /// verified bytecode; an entry that does not compile is kept with its error, so the others
    /// still run.
    pub fn from_project(project: &Project) -> Result<Program, ProgramError> {
        let mut entries = BTreeMap::new();
        for e in project
            .entries
            .iter()
            .filter(|e| e.is_lua() && !e.duplicate)
        {
            let chunk_name = match e.source.as_ref().and_then(|(f, _)| project.files.get(*f)) {
                Some(src) => src.display.clone(),
                None => format!("{}/{}.lua", e.ns, e.name),
            };
            let bytecode = entry_bytecode(project, e, &chunk_name);
            let kind = e.lua_kind().map_or(e.kind.as_str(), |k| k.as_str());
            entries.insert(
                e.id.clone(),
                EntryCode {
                    id: e.id.clone(),
                    kind: kind.to_owned(),
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
        let hosts = project
            .entries
            .iter()
            .filter(|e| e.kind == "process.host" && !e.duplicate)
            .map(|e| e.id.clone())
            .collect();
        let services = project
            .entries
            .iter()
            .filter(|e| e.kind == "process.service" && !e.duplicate)
            .map(crate::services::Service::from_entry)
            .collect();
        Ok(Program {
            entries,
            databases,
            hosts,
            services,
            root: match project.archive {
                Some(_) => std::env::current_dir().unwrap_or_default(),
                None => project.root.clone(),
            },
        })
    }
}
