//! `logger`: structured log lines on stderr (`{"level":…,"msg":…,"fields":…}`); the module value
//! is a Logger with methods (manifest: logger.json, `export: Logger`).

use mlua::{Lua, LuaSerdeExt, Table, Value};

fn log(lua: &Lua, this: &Table, level: &str, msg: String, ctx: Value) -> mlua::Result<()> {
    let mut fields = serde_json::Map::new();
    if let Ok(serde_json::Value::Object(base)) =
        lua.from_value::<serde_json::Value>(this.raw_get::<Value>("__fields")?)
    {
        fields.extend(base);
    }
    if let Ok(serde_json::Value::Object(extra)) = lua.from_value::<serde_json::Value>(ctx) {
        fields.extend(extra);
    }
    let mut line = serde_json::json!({ "level": level, "msg": msg });
    if let Some(name) = this.raw_get::<Option<String>>("__name")? {
        line["logger"] = serde_json::Value::String(name);
    }
    if !fields.is_empty() {
        line["fields"] = serde_json::Value::Object(fields);
    }
    eprintln!("{line}");
    Ok(())
}

/// A Logger (the module table itself is one).
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let methods = lua.create_table()?;
    for level in ["debug", "info", "warn", "error"] {
        methods.set(
            level,
            lua.create_function(move |lua, (this, msg, ctx): (Table, String, Value)| {
                log(lua, &this, level, msg, ctx)
            })?,
        )?;
    }
    methods.set(
        "with",
        lua.create_function(|lua, (this, ctx): (Table, Value)| {
            let child = module(lua)?;
            child.raw_set("__name", this.raw_get::<Value>("__name")?)?;
            let merged = lua.create_table()?;
            if let Value::Table(base) = this.raw_get::<Value>("__fields")? {
                for pair in base.pairs::<Value, Value>() {
                    let (k, v) = pair?;
                    merged.set(k, v)?;
                }
            }
            if let Value::Table(extra) = ctx {
                for pair in extra.pairs::<Value, Value>() {
                    let (k, v) = pair?;
                    merged.set(k, v)?;
                }
            }
            child.raw_set("__fields", merged)?;
            Ok(child)
        })?,
    )?;
    methods.set(
        "named",
        lua.create_function(|lua, (this, name): (Table, String)| {
            let child = module(lua)?;
            let full = match this.raw_get::<Option<String>>("__name")? {
                Some(p) => format!("{p}.{name}"),
                None => name,
            };
            child.raw_set("__name", full)?;
            child.raw_set("__fields", this.raw_get::<Value>("__fields")?)?;
            Ok(child)
        })?,
    )?;
    methods.set_readonly(true);
    let meta = lua.create_table()?;
    meta.set("__index", methods)?;
    meta.set_readonly(true);
    let t = lua.create_table()?;
    t.set_metatable(Some(meta))?;
    Ok(t)
}
