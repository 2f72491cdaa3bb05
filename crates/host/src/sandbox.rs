//! The sandboxed base environment of a Luau state, built from the environment lists of
//! [`project::env`], and fresh per-call environments over it.
//!
//! For each name of an environment's list the base holds, in order of preference: the host's
//! own value (a module table, the twin's `emit`), else Luau's standard global of that name
//! ([`LUAU_GLOBALS`]), else a value that raises "`name` is not available in this runtime" when
//! called or indexed — so the base has exactly the names the manifests declare, and what the
//! checker accepts is never a nil at run time. The base is read-only; a per-call environment
//! is an empty table whose reads fall through to it and whose writes stay in it, with `_G`
//! pointing at itself (runtime-facts §4).

use mlua::{Lua, Table, Value};
use project::env::Environment;
use typedefs::{ModuleSet, Type};

/// Luau standard globals a Wippy environment may take from the state as they are.
pub const LUAU_GLOBALS: &[&str] = &[
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
    "_VERSION",
];

/// Names every per-call environment sets itself (so the base does not hold them).
pub const PER_CALL: &[&str] = &["_G"];

/// A base environment and what it could not provide.
pub struct Base {
    /// The read-only base table.
    pub table: Table,
    /// Names of the list for which the base holds an "is not available" value.
    pub unavailable: Vec<String>,
}

/// Build the base table for `names` (an environment list, plus any extra names a host needs
/// such as [`project::env::LOWERING_GLOBALS`]). `provide(lua, name)` gives the host's value
/// for a name, or `None` to fall back to Luau's standard global or an unavailable value;
/// `modules` tells whether an unavailable name is a table or a function.
pub fn build_base(
    lua: &Lua,
    names: &[String],
    modules: &ModuleSet,
    env: Environment,
    provide: &mut dyn FnMut(&Lua, &str) -> mlua::Result<Option<Value>>,
) -> mlua::Result<Base> {
    let globals = lua.globals();
    let base = lua.create_table()?;
    let types = env.globals(modules);
    let mut unavailable = Vec::new();
    for name in names.iter().filter(|n| !PER_CALL.contains(&n.as_str())) {
        let value = match provide(lua, name)? {
            Some(v) => v,
            None if LUAU_GLOBALS.contains(&name.as_str()) => globals.get(name.as_str())?,
            None => {
                unavailable.push(name.clone());
                let is_table = types
                    .get(name)
                    .is_some_and(|g| matches!(g.ty, Type::Namespace(_) | Type::Named(_)));
                unavailable_value(lua, name, is_table)?
            }
        };
        base.raw_set(name.as_str(), value)?;
    }
    base.set_readonly(true);
    Ok(Base {
        table: base,
        unavailable,
    })
}

/// A value standing for a global the runtime lacks: a function that raises, or a table whose
/// every read raises.
fn unavailable_value(lua: &Lua, name: &str, is_table: bool) -> mlua::Result<Value> {
    raising_value(
        lua,
        &format!("`{name}` is not available in this runtime"),
        is_table,
    )
}

/// A value that raises `message` when used: a function when called, or (`is_table`) a
/// read-only table when indexed or called (the runtime's stand-in for a declared module it
/// does not bundle).
pub fn raising_value(lua: &Lua, message: &str, is_table: bool) -> mlua::Result<Value> {
    let message = message.to_owned();
    let raise = {
        let message = message.clone();
        lua.create_function(move |_, _: mlua::MultiValue| -> mlua::Result<()> {
            Err(mlua::Error::runtime(message.clone()))
        })?
    };
    if !is_table {
        return Ok(Value::Function(raise));
    }
    let t = lua.create_table()?;
    let meta = lua.create_table()?;
    meta.set("__index", raise.clone())?;
    meta.set("__call", raise)?;
    meta.set("__metatable", false)?;
    t.set_metatable(Some(meta))?;
    t.set_readonly(true);
    Ok(Value::Table(t))
}

/// Makes per-call environments over one base: `make(t)` turns `t` into an environment (reads
/// fall through to the base, `_G` is `t` itself). Built in Lua, it costs one call per
/// environment instead of several API calls.
#[derive(Clone)]
pub struct EnvFactory {
    make: mlua::Function,
}

impl EnvFactory {
    /// A factory over `base`.
    pub fn new(lua: &Lua, base: &Table) -> mlua::Result<EnvFactory> {
        let make = lua
            .load(
                "local meta = ...\n\
                 return function(t) t._G = t; return setmetatable(t, meta) end",
            )
            .set_name("=environment")
            .set_mode(mlua::chunk::ChunkMode::Text)
            .call::<mlua::Function>(lua.create_table_from([("__index", base.clone())])?)?;
        Ok(EnvFactory { make })
    }

    /// Turn `t` (its own fields, e.g. `req` and `emit`) into an environment.
    pub fn make(&self, t: Table) -> mlua::Result<Table> {
        self.make.call(t)
    }

    /// The Lua function behind [`EnvFactory::make`] (to call from Lua code that builds `t`).
    pub fn function(&self) -> &mlua::Function {
        &self.make
    }
}
