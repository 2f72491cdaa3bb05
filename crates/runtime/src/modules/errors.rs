//! The `errors` global: structured errors with a kind, message, retryable flag, details and the
//! stack where they were made (wippy-facts §1.1; docs `en/lua/core/errors.md`).
//!
//! As in Wippy, an error value behaves like its text where a string is expected: `tostring`,
//! `..` on either side, `string.format("%s")` and the `string` library functions. `retryable()`
//! and `details()` are nil unless set (an empty details table counts as unset); `errors.wrap`
//! keeps kind, retryable, details and message, and adds its context to the text (`context:
//! message`).

use mlua::{Lua, MultiValue, Table, Value};

/// Error kind constants and the kind strings the Wippy VM uses for them (go-lua `error.go`).
pub const KINDS: &[(&str, &str)] = &[
    ("NOT_FOUND", "NotFound"),
    ("ALREADY_EXISTS", "AlreadyExists"),
    ("INVALID", "Invalid"),
    ("PERMISSION_DENIED", "PermissionDenied"),
    ("UNAVAILABLE", "Unavailable"),
    ("INTERNAL", "Internal"),
    ("CANCELED", "Canceled"),
    ("CONFLICT", "Conflict"),
    ("TIMEOUT", "Timeout"),
    ("RATE_LIMITED", "RateLimited"),
    ("UNKNOWN", ""),
];

/// Deepest stack recorded for an error.
const MAX_FRAMES: usize = 32;

/// A structured error value of the runtime (not retryable, as the runtime's module errors
/// are): a table with methods `kind()`, `message()`, `retryable()`, `details()`, `stack()`,
/// and `__tostring`/`__concat`.
pub fn new_error(lua: &Lua, kind: &str, message: &str) -> mlua::Result<Table> {
    let e = lua.create_table()?;
    e.raw_set("__kind", kind)?;
    e.raw_set("__message", message)?;
    e.raw_set("__retryable", false)?;
    e.set_metatable(Some(error_meta(lua)?))?;
    Ok(e)
}

/// The error's full text: its wrap contexts, then its message.
fn text(e: &Table) -> String {
    let message = e.raw_get::<String>("__message").unwrap_or_default();
    match e.raw_get::<Option<String>>("__context").ok().flatten() {
        Some(c) if !c.is_empty() => format!("{c}: {message}"),
        _ => message,
    }
}

/// The text of any value for `..` with an error.
fn operand(lua: &Lua, v: &Value) -> mlua::Result<String> {
    match v {
        Value::Table(t) if message_of(t).is_some() => Ok(text(t)),
        Value::String(s) => Ok(s.to_string_lossy()),
        Value::Integer(_) | Value::Number(_) => Ok(lua
            .coerce_string(v.clone())?
            .map(|s| s.to_string_lossy())
            .unwrap_or_default()),
        other => Err(mlua::Error::runtime(format!(
            "attempt to concatenate an error with a {}",
            other.type_name()
        ))),
    }
}

fn error_meta(lua: &Lua) -> mlua::Result<Table> {
    if let Ok(t) = lua.named_registry_value::<Table>(host::value::ERROR_META) {
        return Ok(t);
    }
    let methods = lua.create_table()?;
    methods.set(
        "kind",
        lua.create_function(|_, e: Table| e.raw_get::<Value>("__kind"))?,
    )?;
    methods.set(
        "message",
        lua.create_function(|_, e: Table| e.raw_get::<Value>("__message"))?,
    )?;
    methods.set(
        "retryable",
        lua.create_function(|_, e: Table| e.raw_get::<Value>("__retryable"))?,
    )?;
    methods.set(
        "details",
        lua.create_function(|_, e: Table| e.raw_get::<Value>("__details"))?,
    )?;
    methods.set(
        "stack",
        lua.create_function(|_, e: Table| {
            Ok(e.raw_get::<Option<String>>("__stack")?.unwrap_or_default())
        })?,
    )?;
    let meta = lua.create_table()?;
    meta.set("__index", methods.clone())?;
    meta.set(
        "__tostring",
        lua.create_function(|_, e: Table| Ok(text(&e)))?,
    )?;
    meta.set(
        "__concat",
        lua.create_function(|lua, (a, b): (Value, Value)| {
            Ok(format!("{}{}", operand(lua, &a)?, operand(lua, &b)?))
        })?,
    )?;
    methods.set_readonly(true);
    meta.set_readonly(true);
    lua.set_named_registry_value(host::value::ERROR_META, meta.clone())?;
    Ok(meta)
}

/// The message of a structured error value (`None` if `t` is not one).
pub fn message_of(t: &Table) -> Option<String> {
    host::value::error_message(t)
}

/// `(nil, error)` for a failed module call.
pub fn fail(lua: &Lua, kind: &str, message: impl AsRef<str>) -> mlua::Result<MultiValue> {
    Ok(MultiValue::from_iter([
        Value::Nil,
        Value::Table(new_error(lua, kind, message.as_ref())?),
    ]))
}

/// Record the Lua stack of the caller (frames above the `errors` function) in `e`: `__stack`
/// as a traceback text and `__frames` as `{source, line, name}` records.
fn record_stack(lua: &Lua, e: &Table) -> mlua::Result<()> {
    let frames = lua.create_table()?;
    let mut text = String::from("stack traceback:");
    let mut n = 0;
    for level in 1..=MAX_FRAMES + 1 {
        let Some(info) = lua.inspect_stack(level, |d| {
            let source = d.source();
            let names = d.names();
            (
                source.short_src.map(|s| s.into_owned()),
                d.current_line(),
                names.name.map(|s| s.into_owned()),
                source.what,
            )
        }) else {
            break;
        };
        let (src, line, name, what) = info;
        if what == "C" {
            continue;
        }
        let src = src.unwrap_or_else(|| "?".into());
        let line = line.unwrap_or(0);
        let f = lua.create_table()?;
        f.set("source", src.as_str())?;
        f.set("line", line)?;
        f.set("name", name.clone().unwrap_or_default())?;
        n += 1;
        frames.raw_set(n, f)?;
        text.push_str(&format!(
            "\n\t{src}:{line}: in {}",
            name.map_or("main chunk".into(), |n| format!("function {n}"))
        ));
    }
    e.raw_set("__stack", text)?;
    e.raw_set("__frames", frames)?;
    Ok(())
}

/// `details` unless it is an empty table.
fn details(v: Value) -> Value {
    match &v {
        Value::Table(t) if t.is_empty() => Value::Nil,
        _ => v,
    }
}

/// The `errors` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = super::reg::Reg::new(lua, "errors")?;
    let t = r.table().clone();
    for (name, kind) in KINDS {
        t.set(*name, *kind)?;
    }
    r.plain("new", 1, Some(1), |lua, spec: Value| {
        let e = match spec {
            Value::Table(s) if message_of(&s).is_some() => return Ok(s),
            Value::Table(s) => {
                let e = new_error(
                    lua,
                    &s.get::<Option<String>>("kind")?.unwrap_or_default(),
                    &s.get::<Option<String>>("message")?.unwrap_or_default(),
                )?;
                e.raw_set("__retryable", s.get::<Option<bool>>("retryable")?)?;
                e.raw_set("__details", details(s.get::<Value>("details")?))?;
                e
            }
            other => {
                let e = new_error(
                    lua,
                    "",
                    &lua.coerce_string(other)?
                        .map(|s| s.to_string_lossy())
                        .unwrap_or_default(),
                )?;
                e.raw_set("__retryable", Value::Nil)?;
                e
            }
        };
        record_stack(lua, &e)?;
        Ok(e)
    })?;
    r.plain("wrap", 2, Some(2), |lua, (err, msg): (Value, String)| {
        let e = match &err {
            Value::Table(inner) if message_of(inner).is_some() => {
                let e = new_error(
                    lua,
                    &inner.raw_get::<String>("__kind").unwrap_or_default(),
                    &inner.raw_get::<String>("__message").unwrap_or_default(),
                )?;
                for key in ["__retryable", "__details", "__stack", "__frames"] {
                    e.raw_set(key, inner.raw_get::<Value>(key)?)?;
                }
                let context = match inner.raw_get::<Option<String>>("__context")? {
                    Some(c) if !c.is_empty() => format!("{msg}: {c}"),
                    _ => msg,
                };
                e.raw_set("__context", context)?;
                e
            }
            other => {
                let inner = lua
                    .coerce_string(other.clone())?
                    .map(|s| s.to_string_lossy())
                    .unwrap_or_default();
                let e = new_error(lua, "", &inner)?;
                e.raw_set("__retryable", Value::Nil)?;
                e.raw_set("__context", msg)?;
                record_stack(lua, &e)?;
                e
            }
        };
        e.raw_set("__cause", err)?;
        Ok(e)
    })?;
    r.plain("is", 2, Some(2), |_, (err, kind): (Value, String)| {
        let mut cur = err;
        for _ in 0..32 {
            let Value::Table(t) = &cur else {
                return Ok(false);
            };
            if message_of(t).is_none() {
                return Ok(false);
            }
            if t.raw_get::<String>("__kind").unwrap_or_default() == kind {
                return Ok(true);
            }
            cur = t.raw_get("__cause")?;
        }
        Ok(false)
    })?;
    r.plain("call_stack", 1, Some(1), |lua, e: Value| {
        let Value::Table(t) = e else {
            return Ok(Value::Nil);
        };
        if message_of(&t).is_none() {
            return Ok(Value::Nil);
        }
        let stack = lua.create_table()?;
        stack.set("thread", "main")?;
        stack.set(
            "frames",
            match t.raw_get::<Value>("__frames")? {
                Value::Nil => Value::Table(lua.create_table()?),
                v => v,
            },
        )?;
        Ok(Value::Table(stack))
    })?;
    Ok(t)
}
