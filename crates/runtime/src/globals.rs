//! What entries see in one worker state: the read-only base environment built from THE entry
//! list ([`Environment::Entry`]), the process-side scheduler chunk (`sched/prelude.lua`), the
//! built-in modules, each entry's loaded chunk and its `require`.
//!
//! Base globals the runtime provides itself: `process`, `channel`, `payload` and `coroutine`
//! (with `coroutine.spawn`) from the scheduler; `os` and `errors` from [`crate::modules`];
//! `debug` with `traceback` only; `cpcall` as `pcall` (Luau's `pcall` is yieldable); `string`
//! as Luau's library whose functions also take error values as strings (as Wippy's do) and
//! which, like `number`, `integer` and `boolean`, is a callable type value (`string(x)`
//! validates and casts, wippy-facts §1.5). Whatever else the list names and the runtime does
//! not bundle raises "`x` is not available in this runtime" when used.

use std::cell::RefCell;
use std::collections::HashMap;

use mlua::{Function, Lua, Table, Value};
use project::env::{Environment, LOWERING_GLOBALS};

use crate::modules::{self, Modules};
use crate::program::{EntryCode, Program};
use crate::sched;

/// Names every entry's environment sets per process (not in the base).
const PER_PROCESS: &[&str] = &["_G", "require"];

/// Functions of the prelude the worker calls.
pub(crate) struct Kernel {
    /// `main(chunk, id, method, args…)`: a process's main task body.
    pub main: Function,
    /// `task(f, args…)`: a `coroutine.spawn` task body.
    pub task: Function,
    /// `new_process(pid)`: the process-side state of a new process.
    pub new_process: Function,
    /// `deliver(state, from, topic, data)`: a message or event arrives.
    pub deliver: Function,
    /// `make_require(entry id)`: the `require` of an entry.
    pub make_require: Function,
}

/// One worker state's globals.
pub(crate) struct Globals {
    /// The read-only base environment.
    pub base: Table,
    envs: host::EnvFactory,
    /// The prelude's functions.
    pub kernel: Kernel,
    /// Built-in module tables.
    pub modules: Modules,
    /// Each entry's chunk, loaded once with the base as its environment.
    protos: RefCell<HashMap<String, Function>>,
    /// Each entry's `require` (it holds no process: the current one is asked at call time).
    requires: RefCell<HashMap<String, Function>>,
    /// Values standing for declared modules this runtime does not bundle.
    missing: RefCell<HashMap<String, Value>>,
}

impl Globals {
    /// Load the prelude and build the base for `program` (call before `Lua::sandbox`).
    pub fn new(lua: &Lua, program: &Program, env: modules::env::EnvStore) -> mlua::Result<Globals> {
        let k = sched::prelude(lua)?;
        // Strings' methods: Luau's library with Wippy's `format` (before the sandbox freezes
        // the string metatable).
        let string_meta: Table = lua
            .load("return getmetatable('')")
            .set_name("=wippy.strings")
            .eval()?;
        let index: Table = k.get("string_index")?;
        index.set_readonly(true);
        string_meta.raw_set("__index", index)?;
        let kernel = Kernel {
            main: k.get("main")?,
            task: k.get("task")?,
            new_process: k.get("new_process")?,
            deliver: k.get("deliver")?,
            make_require: k.get("make_require")?,
        };
        let modules = Modules::with_env(
            modules::sql::SqlState::new(program.databases.clone(), program.root.clone()),
            env,
        );
        let base = entry_base(lua, &modules, &k)?;
        let envs = host::EnvFactory::new(lua, &base)?;
        Ok(Globals {
            base,
            envs,
            kernel,
            modules,
            protos: RefCell::default(),
            requires: RefCell::default(),
            missing: RefCell::default(),
        })
    }

    /// The value of module `name` for an entry that declares it: its table, or a table that
    /// raises "module `name` is not available in this runtime" when used.
    pub fn module_value(&self, lua: &Lua, name: &str) -> mlua::Result<Value> {
        if let Some(t) = self.modules.get(lua, name)? {
            return Ok(Value::Table(t));
        }
        if let Some(v) = self.missing.borrow().get(name) {
            return Ok(v.clone());
        }
        let v = host::sandbox::raising_value(
            lua,
            &format!("module `{name}` is not available in this runtime"),
            true,
        )?;
        self.missing.borrow_mut().insert(name.to_owned(), v.clone());
        Ok(v)
    }

    /// `entry`'s `require` (made on first use).
    fn require_for(&self, entry: &EntryCode) -> mlua::Result<Function> {
        if let Some(f) = self.requires.borrow().get(&entry.id) {
            return Ok(f.clone());
        }
        let f: Function = self.kernel.make_require.call(entry.id.as_str())?;
        self.requires
            .borrow_mut()
            .insert(entry.id.clone(), f.clone());
        Ok(f)
    }

    /// A new process's globals for its entry: reads fall through to the base, `_G` is the
    /// table itself, and it holds the entry's `require` and declared modules.
    pub fn entry_env(&self, lua: &Lua, entry: &EntryCode) -> mlua::Result<Table> {
        let env = self.envs.make(lua.create_table()?)?;
        self.fill(lua, entry, &env)?;
        Ok(env)
    }

    /// The environment of a library `entry` imported by a process whose globals are reached
    /// through `lib_meta` (`{__index = globals, __newindex = globals}`): its own `require` and
    /// modules, every other read and write goes to the process's globals.
    pub fn lib_env(&self, lua: &Lua, entry: &EntryCode, lib_meta: &Table) -> mlua::Result<Table> {
        let env = lua.create_table()?;
        self.fill(lua, entry, &env)?;
        env.set_metatable(Some(lib_meta.clone()))?;
        Ok(env)
    }

    fn fill(&self, lua: &Lua, entry: &EntryCode, env: &Table) -> mlua::Result<()> {
        env.raw_set("require", self.require_for(entry)?)?;
        for m in &entry.modules {
            env.raw_set(m.as_str(), self.module_value(lua, m)?)?;
        }
        Ok(())
    }

    /// `entry`'s chunk as a new function whose environment is `env`.
    pub fn chunk(&self, lua: &Lua, entry: &EntryCode, env: &Table) -> mlua::Result<Function> {
        let cached = self.protos.borrow().get(&entry.id).cloned();
        let proto = match cached {
            Some(f) => f,
            None => {
                let bytecode = entry
                    .bytecode
                    .as_ref()
                    .map_err(|e| mlua::Error::runtime(e.0.clone()))?;
                let f = bytecode.load(lua, &entry.chunk_name, &self.base)?;
                self.protos.borrow_mut().insert(entry.id.clone(), f.clone());
                f
            }
        };
        // A clone shares the bytecode but not the environment (runtime-facts §1.2: an env is
        // bound when a function is created, so each process needs its own closure).
        let f = proto.deep_clone()?;
        f.set_environment(env.clone())?;
        Ok(f)
    }
}

/// The read-only base of every entry environment: THE entry list plus the globals lowered code
/// needs.
fn entry_base(lua: &Lua, modules: &Modules, k: &Table) -> mlua::Result<Table> {
    let mut names = Environment::Entry.names();
    names.extend(LOWERING_GLOBALS.iter().map(|n| (*n).to_owned()));
    names.retain(|n| !PER_PROCESS.contains(&n.as_str()));
    let globals = lua.globals();
    let casts: Table = k.get("casts")?;
    let mut provide = |lua: &Lua, name: &str| -> mlua::Result<Option<Value>> {
        Ok(match name {
            "os" | "errors" => modules.get(lua, name)?.map(Value::Table),
            "debug" => {
                let debug = lua.create_table()?;
                let traceback: Value = globals.get::<Table>("debug")?.get("traceback")?;
                debug.set("traceback", traceback)?;
                debug.set_readonly(true);
                Some(Value::Table(debug))
            }
            "cpcall" => Some(globals.get("pcall")?),
            "process" => Some(Value::Table(sched::api::process_table(lua, k)?)),
            "channel" => Some(Value::Table(frozen(k.get("channel")?))),
            "payload" => Some(Value::Table(frozen(k.get("payload")?))),
            "coroutine" => Some(Value::Table(coroutine(lua, k)?)),
            "table" => Some(Value::Table(table_library(lua)?)),
            "__wippy_types" => Some(Value::Function(
                lua.create_function(|lua, ()| crate::types::new_scope(lua))?,
            )),
            "string" | "number" | "integer" | "boolean" => match casts.get::<Value>(name)? {
                Value::Table(t) => Some(Value::Table(frozen(t))),
                _ => None,
            },
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

/// Make `t` and its nested tables read-only.
fn frozen(t: Table) -> Table {
    if !t.is_readonly() {
        t.set_readonly(true);
        for (_, v) in t.pairs::<Value, Value>().flatten() {
            if let Value::Table(sub) = v {
                frozen(sub);
            }
        }
    }
    t
}

/// Luau's `table` library with Wippy's `table.create(narray, nhash)`: an empty table with room
/// for `narray` elements (Luau's second argument would fill it).
fn table_library(lua: &Lua) -> mlua::Result<Table> {
    let raw: Table = lua.globals().get("table")?;
    let t = lua.create_table()?;
    for pair in raw.pairs::<Value, Value>() {
        let (name, f) = pair?;
        t.raw_set(name, f)?;
    }
    let create: Function = raw.get("create")?;
    t.raw_set(
        "create",
        lua.create_function(move |_, (n, _hash): (Option<f64>, Value)| {
            let n = n.filter(|n| n.is_finite() && *n > 0.0).unwrap_or(0.0);
            create.call::<Table>(n)
        })?,
    )?;
    t.set_readonly(true);
    Ok(t)
}

/// Luau's `coroutine` library with the scheduler's `resume`, `wrap` and `spawn`.
fn coroutine(lua: &Lua, k: &Table) -> mlua::Result<Table> {
    let raw: Table = lua.globals().get("coroutine")?;
    let t = lua.create_table()?;
    for pair in raw.pairs::<Value, Value>() {
        let (name, f) = pair?;
        t.raw_set(name, f)?;
    }
    let overrides: Table = k.get("coroutine_overrides")?;
    for pair in overrides.pairs::<Value, Value>() {
        let (name, f) = pair?;
        t.raw_set(name, f)?;
    }
    t.set_readonly(true);
    Ok(t)
}
