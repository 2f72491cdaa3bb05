//! Built-in modules in Rust, shaped by the bundled manifests (crates/typedefs/manifests).
//! Functions return Wippy's `(value, error)` pairs where the manifest says so; an error is a
//! structured error value (see [`errors`]). Every function is registered through [`reg::Reg`],
//! which records its arity for the manifest drift test.

pub mod base64;
pub mod crypto;
pub mod ctx;
pub mod env;
pub mod errors;
pub mod hash;
pub mod json;
pub mod logger;
pub mod os;
pub mod reg;
pub mod sql;
pub mod time;
pub mod uuid;
pub mod yaml;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mlua::{Lua, Table};

/// Every module this runtime provides, by the name entries `require`.
pub const NAMES: &[&str] = &[
    "base64", "crypto", "ctx", "env", "errors", "funcs", "hash", "json", "logger", "os", "sql",
    "time", "uuid", "yaml",
];

/// The module tables of one runtime: built on first use, then shared (read-only) by every call;
/// with the runtime's `env` store and SQL connections.
pub struct Modules {
    cache: RefCell<HashMap<String, Table>>,
    env: env::EnvStore,
    sql: Rc<sql::SqlState>,
}

impl Modules {
    /// Modules over the given databases, with a store of their own for `env.set`.
    pub fn new(sql: sql::SqlState) -> Modules {
        Modules::with_env(sql, env::EnvStore::default())
    }

    /// Modules over the given databases and `env.set` store (one per runtime, shared by its
    /// workers).
    pub fn with_env(sql: sql::SqlState, env: env::EnvStore) -> Modules {
        Modules {
            cache: RefCell::default(),
            env,
            sql: Rc::new(sql),
        }
    }

    /// The SQL state (for rolling back transactions a call left open).
    pub fn sql(&self) -> &sql::SqlState {
        &self.sql
    }

    /// The module table of `name`, or `None` if the runtime has no such module.
    pub fn get(&self, lua: &Lua, name: &str) -> mlua::Result<Option<Table>> {
        if let Some(t) = self.cache.borrow().get(name) {
            return Ok(Some(t.clone()));
        }
        let t = match name {
            "base64" => base64::module(lua)?,
            "crypto" => crypto::module(lua)?,
            "ctx" => ctx::module(lua)?,
            "funcs" => lua.named_registry_value::<Table>("wippy.k.funcs")?,
            "env" => env::module(lua, &self.env)?,
            "errors" => errors::module(lua)?,
            "hash" => hash::module(lua)?,
            "json" => json::module(lua)?,
            "logger" => logger::module(lua)?,
            "os" => os::module(lua)?,
            "sql" => sql::module(lua, &self.sql)?,
            "time" => time::module(lua)?,
            "uuid" => uuid::module(lua)?,
            "yaml" => yaml::module(lua)?,
            _ => return Ok(None),
        };
        freeze(&t);
        self.cache.borrow_mut().insert(name.to_owned(), t.clone());
        Ok(Some(t))
    }
}

/// Make a module table and its nested tables read-only.
fn freeze(t: &Table) {
    t.set_readonly(true);
    for (_, v) in t.pairs::<mlua::Value, mlua::Value>().flatten() {
        if let mlua::Value::Table(sub) = v {
            if !sub.is_readonly() {
                freeze(&sub);
            }
        }
    }
}

/// Modules that may be required without being listed (global modules).
pub fn is_ambient(name: &str) -> bool {
    matches!(name, "errors" | "os")
}
