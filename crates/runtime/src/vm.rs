//! One Luau state that calls entries, each invocation in a fresh environment.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use host::error_text;
use mlua::{Function, Lua, MultiValue, Table, Value as LuaValue};
use project::env::{Environment, LOWERING_GLOBALS};
use serde_json::Value;

use crate::modules::{self, Modules};
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

/// A runtime: one Luau state, the program it runs, and what it has loaded so far.
pub struct Runtime {
    inner: Rc<Inner>,
}

/// The runtime's state, shared (weakly) with the `require` functions it creates.
struct Inner {
    lua: Lua,
    program: Program,
    base: Table,
    /// Makes per-call environments over `base`.
    envs: host::EnvFactory,
    /// Library results by entry id (loaded once per runtime), with the globals the library
    /// wrote through `_G.name = …` (given to every importer, as the Wippy test library expects).
    libs: RefCell<HashMap<String, (LuaValue, Table)>>,
    /// Built-in module tables, built once and shared read-only by every call.
    modules: Modules,
    /// Each entry's chunk, loaded once; every run uses a clone bound to a fresh environment.
    chunks: RefCell<HashMap<String, Function>>,
    /// Each entry's `require`, created once. It holds no Lua handle of a call: a closure that
    /// captured a call's environment would keep it alive forever (an mlua reference is a GC
    /// root), one leaked reference per call.
    requires: RefCell<HashMap<String, Function>>,
    /// Environments of the chunks running now, innermost last: where a library's exported
    /// globals go when it is imported.
    running: RefCell<Vec<Table>>,
}

/// Pops [`Inner::running`] when a run ends, also on error.
struct Running<'a>(&'a Inner);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.borrow_mut().pop();
    }
}

impl Runtime {
    /// A runtime for `program`.
    pub fn new(program: Program) -> Result<Runtime, RunError> {
        let lua = Lua::new();
        let modules = Modules::new(modules::sql::SqlState::new(
            program.databases.clone(),
            program.root.clone(),
        ));
        let base = entry_base(&lua, &modules)?;
        let envs = host::EnvFactory::new(&lua, &base)?;
        // Library tables (string, table, math, …) and the string metatable become read-only, so
        // no call can change them for the next (runtime-facts §1.2).
        lua.sandbox(true)?;
        Ok(Runtime {
            inner: Rc::new(Inner {
                lua,
                program,
                base,
                envs,
                libs: RefCell::default(),
                modules,
                chunks: RefCell::default(),
                requires: RefCell::default(),
                running: RefCell::default(),
            }),
        })
    }

    /// The program.
    pub fn program(&self) -> &Program {
        &self.inner.program
    }

    /// Bytes the Luau heap holds after a full garbage collection (what calls left behind).
    pub fn heap_bytes(&self) -> Result<usize, RunError> {
        self.inner.lua.gc_collect()?;
        self.inner.lua.gc_collect()?;
        Ok(self.inner.lua.used_memory())
    }

    /// Call entry `id`'s `method` with JSON arguments; returns its results as JSON.
    pub fn call(&self, id: &str, args: &[Value]) -> Result<Vec<Value>, RunError> {
        let inner = &*self.inner;
        let entry = inner.program.entries.get(id).ok_or_else(|| RunError {
            message: format!("no Lua entry `{id}` in this program"),
        })?;
        let method = entry.method.as_deref().ok_or_else(|| RunError {
            message: format!("entry `{id}` has no `method`"),
        })?;
        let env = inner.environment(&self.inner, entry)?;
        inner.running.borrow_mut().push(env.clone());
        let _running = Running(inner);
        let exports = inner.run_chunk(entry, env)?;
        let LuaValue::Table(t) = exports else {
            return Err(RunError { message: format!("the source of `{id}` does not return a table, so method `{method}` cannot be called") });
        };
        let f: Function = match t.get::<LuaValue>(method)? {
            LuaValue::Function(f) => f,
            _ => {
                return Err(RunError {
                    message: format!("method `{method}` is not exported by the source of `{id}`"),
                })
            }
        };
        let mut lua_args = MultiValue::new();
        for a in args {
            lua_args.push_back(host::value::from_json(&inner.lua, a)?);
        }
        let results = f.call::<MultiValue>(lua_args);
        inner.modules.sql().cleanup();
        let results = results.map_err(|e| RunError {
            message: format!("{id}: {}", error_text(&e)),
        })?;
        results
            .iter()
            .map(|v| {
                host::value::to_json(v).map_err(|e| RunError {
                    message: format!(
                        "{id}: method `{method}` returned a value with no JSON form: {e}"
                    ),
                })
            })
            .collect()
    }
}

impl Inner {
    /// Run an entry's chunk in `env`; returns what it returns.
    fn run_chunk(&self, entry: &EntryCode, env: Table) -> Result<LuaValue, RunError> {
        let bytecode = entry.bytecode.as_ref().map_err(|e| RunError {
            message: e.0.clone(),
        })?;
        let cached = self.chunks.borrow().get(&entry.id).cloned();
        let proto = match cached {
            Some(f) => f,
            None => {
                let f = bytecode.load(&self.lua, &entry.chunk_name, &self.base)?;
                self.chunks.borrow_mut().insert(entry.id.clone(), f.clone());
                f
            }
        };
        // A clone shares the bytecode but not the environment (runtime-facts §1.2: an env is
        // bound when a function is created, so each run needs its own closure).
        let f = proto.deep_clone()?;
        f.set_environment(env)?;
        f.call::<LuaValue>(()).map_err(|e| RunError {
            message: format!("{}: {}", entry.id, error_text(&e)),
        })
    }

    /// A fresh environment for one invocation: reads fall through to the read-only base, writes
    /// stay in this table. `require` follows the entry's `modules:` and `imports:`; listed
    /// modules are globals too (as in the Wippy runtime).
    fn environment(&self, me: &Rc<Inner>, entry: &EntryCode) -> Result<Table, RunError> {
        let env = self.envs.make(self.lua.create_table()?)?;
        for m in &entry.modules {
            if let Some(t) = self.modules.get(&self.lua, m)? {
                env.set(m.as_str(), t)?;
            }
        }
        env.set("require", self.require_for(me, entry)?)?;
        Ok(env)
    }

    /// Entry `entry`'s `require` (created on first use).
    fn require_for(&self, me: &Rc<Inner>, entry: &EntryCode) -> Result<Function, RunError> {
        if let Some(f) = self.requires.borrow().get(&entry.id) {
            return Ok(f.clone());
        }
        let weak = Rc::downgrade(me);
        let entry_id = entry.id.clone();
        let f = self.lua.create_function(move |lua, name: String| {
            let inner = weak
                .upgrade()
                .ok_or_else(|| mlua::Error::runtime("the runtime has stopped"))?;
            inner.require(lua, &inner, &entry_id, &name)
        })?;
        self.requires
            .borrow_mut()
            .insert(entry.id.clone(), f.clone());
        Ok(f)
    }

    /// `require(name)` in entry `entry_id`: an import alias loads the library entry (once per
    /// runtime) and hands its exported globals to the running chunk; a listed or ambient module
    /// returns its table; anything else is an error naming the entry.
    fn require(
        &self,
        lua: &Lua,
        me: &Rc<Inner>,
        entry_id: &str,
        name: &str,
    ) -> mlua::Result<LuaValue> {
        let entry = self
            .program
            .entries
            .get(entry_id)
            .ok_or_else(|| mlua::Error::runtime(format!("no entry {entry_id}")))?;
        if let Some(target) = entry.imports.get(name) {
            if !target.contains(':') {
                return self
                    .modules
                    .get(lua, target)?
                    .map(LuaValue::Table)
                    .ok_or_else(|| mlua::Error::runtime(format!("unknown module `{target}`")));
            }
            let cached = self.libs.borrow().get(target).cloned();
            let (value, g) = match cached {
                Some(hit) => hit,
                None => {
                    let lib = self.program.entries.get(target).ok_or_else(|| mlua::Error::runtime(format!("import `{name}` of {entry_id}: entry `{target}` is not in this program")))?;
                    let g = lua.create_table()?;
                    let env = self
                        .environment(me, lib)
                        .map_err(|e| mlua::Error::runtime(e.message))?;
                    env.set("_G", g.clone())?;
                    self.running.borrow_mut().push(env.clone());
                    let value = {
                        let _running = Running(self);
                        self.run_chunk(lib, env)
                            .map_err(|e| mlua::Error::runtime(e.message))?
                    };
                    self.libs
                        .borrow_mut()
                        .insert(target.clone(), (value.clone(), g.clone()));
                    (value, g)
                }
            };
            if let Some(importer) = self.running.borrow().last() {
                for pair in g.pairs::<LuaValue, LuaValue>() {
                    let (k, v) = pair?;
                    importer.raw_set(k, v)?;
                }
            }
            return Ok(value);
        }
        if entry.modules.iter().any(|m| m == name) || modules::is_ambient(name) {
            if let Some(t) = self.modules.get(lua, name)? {
                return Ok(LuaValue::Table(t));
            }
        }
        Err(mlua::Error::runtime(format!(
            "require(\"{name}\") is not declared in the imports or modules of entry {entry_id}"
        )))
    }
}

/// Names every entry's environment sets per call (not in the base).
const PER_CALL: &[&str] = &["_G", "require"];

/// The read-only base of every entry environment: THE entry list ([`Environment::Entry`]),
/// plus the globals lowered code needs. `os` and `errors` are this runtime's modules, `debug`
/// holds only `traceback`, `cpcall` is `pcall` (Luau's `pcall` is yieldable); what the runtime
/// does not bundle raises "not available in this runtime" when used.
fn entry_base(lua: &Lua, modules: &Modules) -> Result<Table, RunError> {
    let mut names = Environment::Entry.names();
    names.extend(LOWERING_GLOBALS.iter().map(|n| (*n).to_owned()));
    names.retain(|n| !PER_CALL.contains(&n.as_str()));
    let globals = lua.globals();
    let mut provide = |lua: &Lua, name: &str| -> mlua::Result<Option<LuaValue>> {
        Ok(match name {
            "os" | "errors" => modules.get(lua, name)?.map(LuaValue::Table),
            "debug" => {
                let debug = lua.create_table()?;
                let traceback: LuaValue = globals.get::<Table>("debug")?.get("traceback")?;
                debug.set("traceback", traceback)?;
                debug.set_readonly(true);
                Some(LuaValue::Table(debug))
            }
            "cpcall" => Some(globals.get("pcall")?),
            _ => None,
        })
    };
    let base = host::build_base(
        lua,
        &names,
        typedefs::ModuleSet::bundled(),
        Environment::Entry,
        &mut provide,
    )?;
    Ok(base.table)
}
