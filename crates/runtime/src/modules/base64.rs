//! `base64`: standard alphabet encode/decode (manifest: base64.json).

use base64::Engine;
use mlua::{Lua, MultiValue, Table, Value};

use super::errors::fail;

/// The `base64` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "encode",
        lua.create_function(|lua, s: mlua::LuaString| {
            let out = base64::engine::general_purpose::STANDARD.encode(&*s.as_bytes());
            Ok(MultiValue::from_iter([
                Value::String(lua.create_string(out)?),
                Value::Nil,
            ]))
        })?,
    )?;
    t.set(
        "decode",
        lua.create_function(|lua, s: mlua::LuaString| {
            match base64::engine::general_purpose::STANDARD.decode(&*s.as_bytes()) {
                Ok(bytes) => Ok(MultiValue::from_iter([
                    Value::String(lua.create_string(bytes)?),
                    Value::Nil,
                ])),
                Err(e) => fail(lua, "Invalid", format!("base64.decode: {e}")),
            }
        })?,
    )?;
    Ok(t)
}
