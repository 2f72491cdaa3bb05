//! Built-in modules in Rust, shaped by the bundled manifests (crates/typedefs/manifests).
//! Functions return Wippy's `(value, error)` pairs where the manifest says so; an error is a
//! structured error value (see [`errors`]).

pub mod base64;
pub mod errors;
pub mod json;
pub mod logger;
pub mod os;

use mlua::{Lua, Table};

/// Build the module table of `name` (read-only), or `None` if the runtime has no such module.
pub fn build(lua: &Lua, name: &str) -> mlua::Result<Option<Table>> {
    let t = match name {
        "json" => json::module(lua)?,
        "base64" => base64::module(lua)?,
        "logger" => logger::module(lua)?,
        "errors" => errors::module(lua)?,
        "os" => os::module(lua)?,
        _ => return Ok(None),
    };
    t.set_readonly(true);
    Ok(Some(t))
}

/// Modules that may be required without being listed (global modules).
pub fn is_ambient(name: &str) -> bool {
    matches!(name, "errors" | "os")
}
