//! THE environment lists: which globals a chunk sees, by its role. Everything that needs to know
//! (the checker's undefined-global and sandbox rules, the runtime's and the twin server's base
//! environments, the language server's completion) asks here.
//!
//! The lists come from the module manifests (`crates/typedefs/manifests`): a manifest with
//! `expose: global` is a global table, one with `expose: spread` contributes each member as a
//! global, and its `environments` say where (`entry` or `handler`). Wippy entries of every kind
//! (function, process, workflow, library) share the `entry` globals (wippy-facts §1.1, docs
//! `en/lua/overview.md`); workflows differ only in which modules they may `require`. Twin
//! handlers and twin libraries share the `handler` globals (seed: Lua handlers for Wraith twins).

use std::collections::BTreeMap;

use typedefs::{Global, ModuleSet};

use crate::entry::LuaKind;

/// The role of a chunk, which decides its globals and extra rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// The chunk kind of a Lua entry kind.
    pub fn of_lua(kind: LuaKind) -> ChunkKind {
        match kind {
            LuaKind::Function => ChunkKind::Function,
            LuaKind::Process => ChunkKind::Process,
            LuaKind::Workflow => ChunkKind::Workflow,
            LuaKind::Library => ChunkKind::Library,
        }
    }

    /// The chunk kind of an entry kind string (`function.lua`, `library.lua.bc`, …); unknown
    /// kinds are functions.
    pub fn of_entry_kind(kind: &str) -> ChunkKind {
        LuaKind::of(kind).map_or(ChunkKind::Function, ChunkKind::of_lua)
    }

    /// Whether it runs in the Wraith handler sandbox (Luau dialect, handler globals).
    pub fn is_twin(self) -> bool {
        matches!(self, ChunkKind::Handler | ChunkKind::TwinLibrary)
    }

    /// Its environment list.
    pub fn environment(self) -> Environment {
        match self {
            ChunkKind::Function | ChunkKind::Process => Environment::Entry,
            ChunkKind::Workflow => Environment::Workflow,
            ChunkKind::Library => Environment::Library,
            ChunkKind::Handler | ChunkKind::TwinLibrary => Environment::Handler,
        }
    }
}

/// One environment list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Environment {
    /// Function and process entries.
    Entry,
    /// Library entries (what their importers see, too).
    Library,
    /// Workflow entries.
    Workflow,
    /// Wraith twin handlers and twin libraries.
    Handler,
}

impl Environment {
    /// Every environment.
    pub const ALL: [Environment; 4] = [
        Environment::Entry,
        Environment::Library,
        Environment::Workflow,
        Environment::Handler,
    ];

    /// The manifests' name for the environment whose globals this one has.
    pub fn manifests(self) -> typedefs::Environment {
        match self {
            Environment::Handler => typedefs::Environment::Handler,
            _ => typedefs::Environment::Entry,
        }
    }

    /// Lowercase name (`entry`, `library`, `workflow`, `handler`).
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Entry => "entry",
            Environment::Library => "library",
            Environment::Workflow => "workflow",
            Environment::Handler => "handler",
        }
    }

    /// The globals of this environment with their types, from `modules`.
    pub fn globals(self, modules: &ModuleSet) -> BTreeMap<String, Global> {
        modules.globals(self.manifests())
    }

    /// The names of this environment's globals, from the bundled manifests.
    pub fn names(self) -> Vec<String> {
        self.globals(ModuleSet::bundled()).into_keys().collect()
    }
}

/// Globals that the Lua reference manuals (5.1–5.4) or Luau define but no Wippy environment has.
/// Code that uses them was written for another Lua; in a twin handler they are sandbox escapes.
pub const FOREIGN_LUA_GLOBALS: &[&str] = &[
    "io", "loadfile", "getfenv", "setfenv", "newproxy", "gcinfo", "module", "bit32", "buffer",
    "typeof", "_ENV",
];

/// Globals the lowering of Wippy Lua to Luau refers to (bitwise operators become `bit32`
/// calls; `type` declarations become values made by `__wippy_types`), so the runtime's entry
/// environments hold them besides the manifests' list. User code cannot name them without the
/// checker reporting an undefined global.
pub const LOWERING_GLOBALS: &[&str] = &["bit32", "__wippy_types"];

/// Whether `name` is a global the Wraith handler sandbox lacks although Wippy entries (or plain
/// Lua) have it: `io`, `os`, `getmetatable`, `load`, … (seed: "The following are NOT
/// available").
pub fn missing_in_handlers(name: &str, modules: &ModuleSet) -> bool {
    let handler = Environment::Handler.globals(modules);
    if handler.contains_key(name) {
        return false;
    }
    FOREIGN_LUA_GLOBALS.contains(&name) || Environment::Entry.globals(modules).contains_key(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handler_sandbox_lists() {
        let names = Environment::Handler.names();
        for n in [
            "print",
            "unpack",
            "rawequal",
            "rawlen",
            "coroutine",
            "req",
            "emit",
            "state",
            "clock",
            "wraith",
        ] {
            assert!(names.iter().any(|x| x == n), "handlers have `{n}`");
        }
        let m = ModuleSet::bundled();
        for n in [
            "io",
            "os",
            "debug",
            "load",
            "loadstring",
            "getmetatable",
            "setmetatable",
            "rawget",
            "rawset",
            "require",
            "getfenv",
        ] {
            assert!(missing_in_handlers(n, m), "handlers lack `{n}`");
        }
        assert!(!missing_in_handlers("print", m));
        assert!(!missing_in_handlers("my_own_global", m));
    }
}
