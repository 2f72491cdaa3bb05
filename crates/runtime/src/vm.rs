//! One Luau state that calls entries, each invocation in a fresh environment.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mlua::chunk::ChunkMode;
use mlua::{Function, Lua, LuaSerdeExt, MultiValue, Table, Value as LuaValue};
use serde_json::Value;

use crate::modules;
use crate::program::{EntryCode, Program};

/// A failed call: the message (with the original file and line) and the Lua traceback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunError {
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<mlua::Error> for RunError {
    fn from(e: mlua::Error) -> Self {
        RunError {
            message: e.to_string(),
        }
    }
}

/// Globals every entry sees (wippy-facts §1.1), taken from the Luau state's own libraries.
const SAFE_GLOBALS: &[&str] = &[
    "assert",
    "error",
    "ipairs",
    "next",
    "pairs",
    "pcall",
    "print",
    "rawequal",
    "rawlen",
    "rawget",
    "rawset",
    "select",
    "tonumber",
    "tostring",
    "type",
    "unpack",
    "xpcall",
    "getmetatable",
    "setmetatable",
    "string",
    "table",
    "math",
    "utf8",
    "coroutine",
    "bit32",
];

/// A runtime: one Luau state, the program it runs, and the libraries loaded so far.
pub struct Runtime {
    lua: Lua,
    program: Rc<Program>,
    base: Table,
    /// Library results by entry id (loaded once per runtime), with the globals the library
    /// wrote through `_G.name = …` (given to every importer, as the Wippy test library expects).
    libs: Rc<RefCell<HashMap<String, (LuaValue, Table)>>>,
}

impl Runtime {
    /// A runtime for `program`.
    pub fn new(program: Program) -> Result<Runtime, RunError> {
        let lua = Lua::new();
        let globals = lua.globals();
        let base = lua.create_table()?;
        for name in SAFE_GLOBALS {
            let v: LuaValue = globals.get(*name)?;
            base.set(*name, v)?;
        }
        // `debug` only for tracebacks; `os` is Wippy's time-only replacement.
        let debug = lua.create_table()?;
        let traceback: LuaValue = globals.get::<Table>("debug")?.get("traceback")?;
        debug.set("traceback", traceback)?;
        base.set("debug", debug)?;
        base.set("os", modules::os::module(&lua)?)?;
        base.set("errors", modules::errors::module(&lua)?)?;
        base.set("_G", LuaValue::Nil)?;
        base.set_readonly(true);
        Ok(Runtime {
            lua,
            program: Rc::new(program),
            base,
            libs: Rc::new(RefCell::new(HashMap::new())),
        })
    }

    /// The program.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Call entry `id`'s `method` with JSON arguments; returns its results as JSON.
    pub fn call(&self, id: &str, args: &[Value]) -> Result<Vec<Value>, RunError> {
        let entry = self.program.entries.get(id).ok_or_else(|| RunError {
            message: format!("no Lua entry `{id}` in this program"),
        })?;
        let method = entry.method.clone().ok_or_else(|| RunError {
            message: format!("entry `{id}` has no `method`"),
        })?;
        let exports = self.run_chunk(entry, None)?;
        let LuaValue::Table(t) = exports else {
            return Err(RunError { message: format!("the source of `{id}` does not return a table, so method `{method}` cannot be called") });
        };
        let f: Function = match t.get::<LuaValue>(method.as_str())? {
            LuaValue::Function(f) => f,
            _ => {
                return Err(RunError {
                    message: format!("method `{method}` is not exported by the source of `{id}`"),
                })
            }
        };
        let mut lua_args = MultiValue::new();
        for a in args {
            lua_args.push_back(self.lua.to_value(a)?);
        }
        let results: MultiValue = f.call(lua_args).map_err(|e| RunError {
            message: format!("{id}: {}", error_text(&e)),
        })?;
        results
            .into_iter()
            .map(|v| self.lua.from_value::<Value>(v).map_err(RunError::from))
            .collect()
    }

    /// Run an entry's chunk in a fresh environment; returns what it returns. With `g`, the
    /// chunk's `_G` is that table (a library's exported globals) instead of its environment.
    fn run_chunk(&self, entry: &EntryCode, g: Option<&Table>) -> Result<LuaValue, RunError> {
        let env = self.environment(entry)?;
        if let Some(g) = g {
            env.set("_G", g.clone())?;
        }
        let bytecode = entry.bytecode.as_ref().map_err(|e| RunError {
            message: e.0.clone(),
        })?;
        let f = self
            .lua
            .load(&bytecode[..])
            .set_name(format!("@{}", entry.chunk_name))
            .set_mode(ChunkMode::Binary)
            .set_environment(env)
            .into_function()?;
        f.call::<LuaValue>(()).map_err(|e| RunError {
            message: format!("{}: {}", entry.id, error_text(&e)),
        })
    }

    /// A fresh environment for one invocation: reads fall through to the read-only base, writes
    /// stay in this table. `require` follows the entry's `modules:` and `imports:`; listed
    /// modules are globals too (as in the Wippy runtime).
    fn environment(&self, entry: &EntryCode) -> Result<Table, RunError> {
        let env = self.lua.create_table()?;
        let meta = self.lua.create_table()?;
        meta.set("__index", self.base.clone())?;
        env.set_metatable(Some(meta))?;
        for m in &entry.modules {
            if let Some(t) = modules::build(&self.lua, m)? {
                env.set(m.as_str(), t)?;
            }
        }
        env.set("_G", env.clone())?;
        let program = self.program.clone();
        let libs = self.libs.clone();
        let base = self.base.clone();
        let entry_id = entry.id.clone();
        let modules_allowed = entry.modules.clone();
        let imports = entry.imports.clone();
        let importer = env.clone();
        let require = self.lua.create_function(move |lua, name: String| {
            if let Some(target) = imports.get(&name) {
                if !target.contains(':') {
                    return modules::build(lua, target)?.map(LuaValue::Table).ok_or_else(|| mlua::Error::runtime(format!("unknown module `{target}`")));
                }
                let cached = libs.borrow().get(target).cloned();
                let (value, g) = match cached {
                    Some(hit) => hit,
                    None => {
                        let lib = program.entries.get(target).ok_or_else(|| mlua::Error::runtime(format!("import `{name}` of {entry_id}: entry `{target}` is not in this program")))?;
                        let rt = Runtime { lua: lua.clone(), program: program.clone(), base: base.clone(), libs: libs.clone() };
                        let g = lua.create_table()?;
                        let value = rt.run_chunk(lib, Some(&g)).map_err(|e| mlua::Error::runtime(e.message))?;
                        libs.borrow_mut().insert(target.clone(), (value.clone(), g.clone()));
                        (value, g)
                    }
                };
                for pair in g.pairs::<LuaValue, LuaValue>() {
                    let (k, v) = pair?;
                    importer.raw_set(k, v)?;
                }
                return Ok(value);
            }
            if modules_allowed.contains(&name) || modules::is_ambient(&name) {
                if let Some(t) = modules::build(lua, &name)? {
                    return Ok(LuaValue::Table(t));
                }
            }
            Err(mlua::Error::runtime(format!("require(\"{name}\") is not declared in the imports or modules of entry {entry_id}")))
        })?;
        env.set("require", require)?;
        Ok(env)
    }
}

/// The message of a Lua error with its traceback, without mlua's wrapping.
fn error_text(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { traceback, cause } => {
            format!("{}\n{traceback}", error_text(cause))
        }
        other => other.to_string(),
    }
}
