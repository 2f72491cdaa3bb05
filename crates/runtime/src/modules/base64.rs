//! `base64`: standard alphabet encode/decode (manifest: base64.json).

use base64::Engine;
use mlua::{Lua, LuaString, Table};

use super::reg::{invalid, Reg};

/// The `base64` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "base64")?;
    r.fallible("encode", 1, Some(1), |lua, s: LuaString| {
        let out = base64::engine::general_purpose::STANDARD.encode(&*s.as_bytes());
        Ok(lua.create_string(out)?)
    })?;
    r.fallible("decode", 1, Some(1), |lua, s: LuaString| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&*s.as_bytes())
            .map_err(|e| invalid(format!("base64.decode: {e}")))?;
        Ok(lua.create_string(bytes)?)
    })?;
    Ok(r.table().clone())
}
