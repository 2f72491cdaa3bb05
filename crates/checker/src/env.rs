//! What a chunk can see: its kind, its globals, the modules it may `require`, and the libraries it
//! imports.

use std::collections::{BTreeMap, HashMap, HashSet};

use typedefs::{Global, ModuleSet, Type};

use crate::dialect::Dialect;

/// The role of a chunk, which decides its globals and extra rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkKind {
    /// `function.lua`.
    Function,
    /// `process.lua`.
    Process,
    /// `workflow.lua`: only deterministic/workflow modules (wippy-facts §2.1).
    Workflow,
    /// `library.lua`.
    Library,
    /// A Wraith twin handler (`lua/handlers/*`).
    Handler,
    /// A Wraith twin library (`lua/lib/*`, loaded by `wraith.import`).
    TwinLibrary,
}

impl ChunkKind {
    /// The kind of a Lua entry kind string.
    pub fn of_entry_kind(kind: &str) -> ChunkKind {
        match kind {
            "process.lua" => ChunkKind::Process,
            "workflow.lua" => ChunkKind::Workflow,
            "library.lua" => ChunkKind::Library,
            _ => ChunkKind::Function,
        }
    }

    /// Whether it runs in the Wraith handler sandbox.
    pub fn is_twin(self) -> bool {
        matches!(self, ChunkKind::Handler | ChunkKind::TwinLibrary)
    }

    /// The parser dialect.
    pub fn dialect(self) -> Dialect {
        if self.is_twin() {
            Dialect::Luau
        } else {
            Dialect::Wippy
        }
    }
}

/// Globals absent from the Wraith handler sandbox (seed: "Lua handlers for Wraith twins": no io,
/// os, debug, load, loadstring, getmetatable, setmetatable, rawget, rawset; mlua's sandbox also
/// drops getfenv, setfenv, require, collectgarbage, newproxy).
pub const SANDBOX_FORBIDDEN: &[&str] = &[
    "io",
    "os",
    "debug",
    "load",
    "loadstring",
    "dofile",
    "loadfile",
    "getmetatable",
    "setmetatable",
    "rawget",
    "rawset",
    "rawequal",
    "rawlen",
    "getfenv",
    "setfenv",
    "require",
    "collectgarbage",
    "newproxy",
    "package",
];

/// Everything a chunk's check depends on besides its own text.
pub struct Env<'a> {
    /// The manifests.
    pub modules: &'a ModuleSet,
    /// Ambient globals of the chunk's environment.
    pub globals: &'a BTreeMap<String, Global>,
    /// The chunk's role.
    pub kind: ChunkKind,
    /// The entry id (or `twin:<name>/<handler>`), for diagnostics.
    pub entry_id: Option<String>,
    /// Names listed in `modules:`.
    pub allowed_modules: HashSet<String>,
    /// `imports:` aliases → the library's export type (`None` when it is not in the project).
    pub imports: HashMap<String, Option<Type>>,
    /// Globals defined by imported libraries through `_G.name = …`.
    pub import_globals: HashSet<String>,
    /// Don't report undefined globals (an import could not be resolved, so its `_G` writes are
    /// unknown).
    pub lenient_globals: bool,
    /// Twin libraries for `wraith.import(name)` → their export types.
    pub twin_libs: HashMap<String, Type>,
    /// Record the editor index ([`crate::walk::index::ChunkIndex`]) while walking.
    pub index: bool,
}
