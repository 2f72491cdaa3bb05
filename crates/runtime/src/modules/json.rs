//! `json`: encode/decode between Lua values and JSON (manifest: json.json).

use mlua::{Lua, LuaSerdeExt, MultiValue, Table, Value};

use super::errors::fail;

/// The `json` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "encode",
        lua.create_function(
            |lua, v: Value| match lua.from_value::<serde_json::Value>(v) {
                Ok(j) => Ok(MultiValue::from_iter([
                    Value::String(lua.create_string(j.to_string())?),
                    Value::Nil,
                ])),
                Err(e) => fail(lua, "Invalid", format!("json.encode: {e}")),
            },
        )?,
    )?;
    t.set(
        "decode",
        lua.create_function(|lua, s: mlua::LuaString| {
            match serde_json::from_slice::<serde_json::Value>(&s.as_bytes()) {
                Ok(j) => Ok(MultiValue::from_iter([lua.to_value(&j)?, Value::Nil])),
                Err(e) => fail(lua, "Invalid", format!("json.decode: {e}")),
            }
        })?,
    )?;
    Ok(t)
}
