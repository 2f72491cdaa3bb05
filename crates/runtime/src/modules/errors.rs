//! The `errors` global: structured errors with a kind, message, retryable flag and details
//! (wippy-facts §1.1; docs `en/lua/core/errors.md`).

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

/// A structured error value: a table with methods `kind()`, `message()`, `retryable()`,
/// `details()`, `stack()` and `__tostring`.
pub fn new_error(lua: &Lua, kind: &str, message: &str) -> mlua::Result<Table> {
    let e = lua.create_table()?;
    e.raw_set("__kind", kind)?;
    e.raw_set("__message", message)?;
    e.raw_set("__retryable", false)?;
    e.set_metatable(Some(error_meta(lua)?))?;
    Ok(e)
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
        lua.create_function(|lua, e: Table| match e.raw_get::<Value>("__details")? {
            Value::Nil => Ok(Value::Table(lua.create_table()?)),
            v => Ok(v),
        })?,
    )?;
    methods.set("stack", lua.create_function(|_, _e: Table| Ok(""))?)?;
    let meta = lua.create_table()?;
    meta.set("__index", methods.clone())?;
    meta.set(
        "__tostring",
        lua.create_function(|_, e: Table| {
            Ok(e.raw_get::<String>("__message").unwrap_or_default())
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

/// The `errors` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = super::reg::Reg::new(lua, "errors")?;
    let t = r.table().clone();
    for (name, kind) in KINDS {
        t.set(*name, *kind)?;
    }
    r.plain("new", 1, Some(1), |lua, spec: Value| {
        let e = match spec {
            Value::Table(s) => {
                let e = new_error(
                    lua,
                    &s.get::<Option<String>>("kind")?.unwrap_or_default(),
                    &s.get::<Option<String>>("message")?.unwrap_or_default(),
                )?;
                e.raw_set(
                    "__retryable",
                    s.get::<Option<bool>>("retryable")?.unwrap_or(false),
                )?;
                e.raw_set("__details", s.get::<Value>("details")?)?;
                e
            }
            other => new_error(
                lua,
                "",
                &lua.coerce_string(other)?
                    .map(|s| s.to_string_lossy())
                    .unwrap_or_default(),
            )?,
        };
        Ok(e)
    })?;
    r.plain("wrap", 2, Some(2), |lua, (err, msg): (Value, String)| {
        let (kind, inner) = describe(lua, &err)?;
        let e = new_error(lua, &kind, &format!("{msg}: {inner}"))?;
        e.raw_set("__cause", err)?;
        Ok(e)
    })?;
    r.plain("is", 2, Some(2), |lua, (err, kind): (Value, String)| {
        let mut cur = err;
        for _ in 0..32 {
            let Value::Table(t) = &cur else {
                return Ok(false);
            };
            if describe(lua, &cur)?.0 == kind {
                return Ok(true);
            }
            cur = t.raw_get("__cause")?;
        }
        Ok(false)
    })?;
    r.plain("call_stack", 1, Some(1), |_, _e: Value| Ok(Value::Nil))?;
    Ok(t)
}

fn describe(lua: &Lua, err: &Value) -> mlua::Result<(String, String)> {
    Ok(match err {
        Value::Table(t) => (
            t.raw_get::<Option<String>>("__kind")?.unwrap_or_default(),
            t.raw_get::<Option<String>>("__message")?
                .unwrap_or_default(),
        ),
        other => (
            String::new(),
            lua.coerce_string(other.clone())?
                .map(|s| s.to_string_lossy())
                .unwrap_or_default(),
        ),
    })
}
