//! `ctx`: the context values a process was given by whoever spawned or called it
//! (`process.with_context`, `funcs.new():with_context`), inherited by its children (docs
//! `en/lua/core/context.md`).

use mlua::{Lua, Table, Value};

use super::reg::{invalid, not_found, Reg};
use crate::sched::{api, val};

/// The `ctx` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "ctx")?;
    r.fallible("get", 1, Some(1), |lua, key: Value| {
        let key = match key {
            Value::String(s) if !s.as_bytes().is_empty() => s.to_string_lossy(),
            Value::String(_) => return Err(invalid("ctx.get: empty key")),
            other => {
                return Err(invalid(format!(
                    "ctx.get: key must be a string, got {}",
                    other.type_name()
                )))
            }
        };
        let values = api::context()?;
        match values.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => Ok(val::to_lua(lua, v)?),
            None => Err(not_found(format!("ctx.get: no context value `{key}`"))),
        }
    })?;
    r.fallible("all", 0, Some(0), |lua, ()| {
        let t = lua.create_table()?;
        for (k, v) in api::context()? {
            t.raw_set(k, val::to_lua(lua, &v)?)?;
        }
        Ok(t)
    })?;
    Ok(r.table().clone())
}
