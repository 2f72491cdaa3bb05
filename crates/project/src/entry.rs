//! One entry of a Wippy project, whether it was read from an `_index.yaml` or from a `.wapp`.
//!
//! Fields as the Wippy loader defines them (wippy-facts §3.1–3.2, seed "Lua Entry Kinds"):
//! `name` and `kind` are required, `meta` is merged with the file's `meta` (the entry wins), and
//! every other key is the entry's data. The Lua kinds (`function.lua`, `process.lua`,
//! `workflow.lua`, `library.lua`) and their packed counterparts (`<kind>.bc`) carry `source` (or
//! bytecode), `method`, `modules`, `imports` and `pool`.

use std::ops::Range;

use serde_json::{Map, Value};

/// The Lua entry kinds (their `.bc` counterparts are produced by `wippy pack --bytecode`).
pub const LUA_KINDS: &[&str] = &["function.lua", "process.lua", "workflow.lua", "library.lua"];

/// Kind of the SQLite database entries `sql.get` opens.
pub const SQLITE_KIND: &str = "db.sql.sqlite";

/// A value and its byte span in the file that defined it (`0..0` for values read from a pack).
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Byte range in the defining file.
    pub span: Range<u32>,
}

/// Which Lua entry kind an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LuaKind {
    /// `function.lua`: stateless, called on demand.
    Function,
    /// `process.lua`: a long-running actor.
    Process,
    /// `workflow.lua`: durable and deterministic (only deterministic/workflow modules).
    Workflow,
    /// `library.lua`: imported by other entries through `imports:`.
    Library,
}

impl LuaKind {
    /// The Lua kind of an entry kind string, with or without the packed `.bc` suffix.
    pub fn of(kind: &str) -> Option<LuaKind> {
        match kind.strip_suffix(".bc").unwrap_or(kind) {
            "function.lua" => Some(LuaKind::Function),
            "process.lua" => Some(LuaKind::Process),
            "workflow.lua" => Some(LuaKind::Workflow),
            "library.lua" => Some(LuaKind::Library),
            _ => None,
        }
    }

    /// The source kind string (`function.lua`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            LuaKind::Function => "function.lua",
            LuaKind::Process => "process.lua",
            LuaKind::Workflow => "workflow.lua",
            LuaKind::Library => "library.lua",
        }
    }

    /// Whether the kind needs a `method:` (every Lua kind but libraries).
    pub fn needs_method(self) -> bool {
        self != LuaKind::Library
    }
}

/// Where a packed entry's bytecode is: a file of a tree resource and its expected SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BytecodeRef {
    /// Tree resource id (`internal:lua.bytecode`).
    pub fs: String,
    /// Path inside the resource (`app/greet.luac`).
    pub path: String,
    /// `sha256:<hex>` of the bytecode.
    pub hash: String,
    /// Which archive holds it: `None` the project's own ([`crate::Project::archive`]),
    /// `Some(i)` an installed module's ([`crate::Project::dependency_archives`]).
    pub archive: Option<usize>,
}

/// One `imports:` item: `alias: ns:name` imports a Lua entry, `alias: name` a built-in module.
#[derive(Clone, Debug)]
pub struct Import {
    /// The alias (`require("alias")`).
    pub alias: String,
    /// The target as written (`ns:name` or a module name) and its span.
    pub target: Spanned<String>,
    /// The entry it resolves to (index in [`crate::Project::entries`]), if it is in the tree.
    pub entry: Option<usize>,
    /// It resolved to an entry of another project scope (e.g. a module's source beside its
    /// test app), whose version may differ from the dependency the project really uses.
    pub cross_scope: bool,
    /// Its namespace is not in the project (a dependency module): its exports and `_G`
    /// writes are unknown.
    pub external: bool,
}

impl Import {
    /// The built-in module a bare target names (`j: json` → `json`); `None` for an entry id.
    /// `wippy lint` reads a bare target as namespace "" (wippy-facts §3.2).
    pub fn module(&self) -> Option<&str> {
        (!self.target.value.contains(':')).then_some(self.target.value.as_str())
    }
}

/// `pool:` of a function entry (seed "Lua Entry Kinds", Pool Configuration).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pool {
    /// `inline`, `lazy`, `static` or `adaptive` (the default).
    pub kind: Option<String>,
    /// Initial workers.
    pub size: Option<u64>,
    /// Worker threads (engine v2).
    pub workers: Option<u64>,
    /// Task queue capacity.
    pub buffer: Option<u64>,
    /// Precompile at startup.
    pub warm_start: Option<bool>,
    /// Upper bound for elastic pools.
    pub max_size: Option<u64>,
}

impl Pool {
    /// Read `pool:` data (unknown keys are ignored, wrong types leave the field unset).
    pub fn from_json(v: &Value) -> Option<Pool> {
        let o = v.as_object()?;
        let num = |k: &str| o.get(k).and_then(Value::as_u64);
        Some(Pool {
            kind: o.get("type").and_then(Value::as_str).map(str::to_owned),
            size: num("size"),
            workers: num("workers"),
            buffer: num("buffer"),
            warm_start: o.get("warm_start").and_then(Value::as_bool),
            max_size: num("max_size"),
        })
    }
}

/// One entry.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `namespace:name`.
    pub id: String,
    /// Namespace.
    pub ns: String,
    /// Name.
    pub name: String,
    /// Kind as written (`function.lua`, `function.lua.bc`, `http.endpoint`, …).
    pub kind: String,
    /// Index in [`crate::Files`] of the file that defines it: its YAML file, or the archive.
    pub yaml: usize,
    /// Span of the entry in that file (the `name` value, for messages).
    pub span: Range<u32>,
    /// For Lua kinds: the source file (index in [`crate::Files`]) and the span of `source:`. A
    /// pack's embedded source is a file of its own (`<archive>/<ns>/<name>.lua`).
    pub source: Option<(usize, Range<u32>)>,
    /// For packed `.bc` entries: where the bytecode is.
    pub bytecode: Option<BytecodeRef>,
    /// `method:`.
    pub method: Option<Spanned<String>>,
    /// `modules:`.
    pub modules: Vec<Spanned<String>>,
    /// `imports:` in file order.
    pub imports: Vec<Import>,
    /// `pool:`.
    pub pool: Option<Pool>,
    /// Index of the project scope (see [`crate::Project::scopes`]) the entry belongs to.
    pub scope: usize,
    /// Another entry of the same scope has this id (reported as `Y0006`; not checked again).
    pub duplicate: bool,
    /// Merged `meta` (file-level meta, overridden by the entry's).
    pub meta: Map<String, Value>,
    /// Every other field of the entry, as data (`source` as written).
    pub data: Map<String, Value>,
}

impl Entry {
    /// The Lua kind, for Lua entries (source or bytecode).
    pub fn lua_kind(&self) -> Option<LuaKind> {
        LuaKind::of(&self.kind)
    }

    /// Whether this is a Lua entry kind (source or bytecode).
    pub fn is_lua(&self) -> bool {
        self.lua_kind().is_some()
    }

    /// Whether this is a Lua entry written as source (not a packed `.bc` entry).
    pub fn is_lua_source(&self) -> bool {
        LUA_KINDS.contains(&self.kind.as_str())
    }

    /// Whether `meta.type` is `test` (an entry `wippy test` runs).
    pub fn is_test(&self) -> bool {
        self.meta.get("type").and_then(Value::as_str) == Some("test")
    }
}
