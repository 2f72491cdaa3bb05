//! What a chunk can see: its kind, its globals, the modules it may `require`, and the libraries it
//! imports.

use std::collections::{BTreeMap, HashMap, HashSet};

pub use project::env::ChunkKind;
use syntax::Dialect;
use typedefs::{Global, LocalTypes, Mode, ModuleSet, Type};

/// The parser dialect of a chunk kind: Luau for twin handlers and libraries, Wippy Lua else.
pub fn dialect(kind: ChunkKind) -> Dialect {
    if kind.is_twin() {
        Dialect::Luau
    } else {
        Dialect::Wippy
    }
}

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
    /// Strict mode (`--strict`, `lint.strict`; see [`crate::config::Settings::strict`]),
    /// for the type rules.
    pub strict: bool,
    /// Types declared by the libraries the chunk imports (by their entry id) and the aliases
    /// that name them (`geo.Point`).
    pub types: LocalTypes,
    /// What the type relation refuses besides plain mismatches (gradual by default).
    pub mode: Mode,
}
