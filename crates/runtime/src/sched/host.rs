//! The primitives the prelude calls (`H`): the running task, waking, objects whose state lives
//! in the prelude, tasks, timers, imports, payload transcoding. Every one runs on a worker
//! thread inside a Rust function that Lua called.

use std::time::Duration;

use mlua::{
    Function, LightUserData, Lua, MultiValue, Table, UserData, UserDataFields, Value, Variadic,
};

use super::worker::{self, Worker};
use crate::modules::errors;
use crate::modules::time::parse_duration;

/// The value a task yields when it parks (only Rust and the prelude hold it).
pub(crate) static MARK_CELL: u8 = 0;
/// [`MARK_CELL`]'s address as a light userdata.
pub(crate) const MARK: LightUserData = LightUserData(&MARK_CELL as *const u8 as *mut _);

macro_rules! token {
    ($name:ident, $key:literal) => {
        /// An object whose state lives in the prelude (methods from its metatable there).
        pub(crate) struct $name;
        impl UserData for $name {
            fn add_fields<F: UserDataFields<Self>>(f: &mut F) {
                f.add_meta_field_with("__index", |lua| meta(lua, $key, "__index"));
                f.add_meta_field_with("__tostring", |lua| meta(lua, $key, "__tostring"));
            }
        }
    };
}

token!(ClockToken, "clock");
token!(FutureToken, "future");
token!(ExecutorToken, "executor");

fn meta(lua: &Lua, kind: &str, field: &str) -> mlua::Result<Value> {
    let t: Table = lua.named_registry_value(&format!("wippy.meta.{kind}"))?;
    t.get(field)
}

/// Nanoseconds in a duration argument: a `time.Duration`, a number of nanoseconds, or a Go
/// duration string (`"100ms"`).
pub(crate) fn nanos(v: &Value) -> mlua::Result<i64> {
    match v {
        Value::Integer(i) => Ok(*i),
        Value::Number(n) => Ok(*n as i64),
        Value::String(s) => parse_duration(&s.to_string_lossy())
            .map(|d| d.0)
            .map_err(|e| mlua::Error::runtime(format!("invalid duration: {e}"))),
        Value::UserData(u) => u
            .borrow::<crate::modules::time::Duration>()
            .map(|d| d.0)
            .map_err(|_| mlua::Error::runtime("expected a duration")),
        other => Err(mlua::Error::runtime(format!(
            "expected a duration, got {}",
            other.type_name()
        ))),
    }
}

fn w<R>(f: impl FnOnce(&Worker) -> mlua::Result<R>) -> mlua::Result<R> {
    worker::with(|w| f(w))?
}

/// The current task id.
fn current_task() -> mlua::Result<u64> {
    w(|w| {
        w.current().map(|(t, _)| t).ok_or_else(|| {
            mlua::Error::runtime("this operation blocks, and only a running process can block")
        })
    })
}

/// The `H` table given to the prelude.
pub(crate) fn primitives(lua: &Lua) -> mlua::Result<Table> {
    let h = lua.create_table()?;
    h.set("MARK", Value::LightUserData(MARK))?;
    h.set("current", lua.create_function(|_, ()| current_task())?)?;
    h.set(
        "ready",
        lua.create_function(|_, t: u64| {
            w(|w| {
                w.ready(t);
                Ok(())
            })
        })?,
    )?;
    h.set(
        "token",
        lua.create_function(|lua, kind: String| match kind.as_str() {
            "timer" | "ticker" => lua.create_userdata(ClockToken),
            "future" => lua.create_userdata(FutureToken),
            "executor" => lua.create_userdata(ExecutorToken),
            other => Err(mlua::Error::runtime(format!("no object kind {other}"))),
        })?,
    )?;
    h.set(
        "spawn_task",
        lua.create_function(|_, (f, args): (Function, MultiValue)| w(|w| w.spawn_task(f, args)))?,
    )?;
    let debug: Table = lua.globals().get("debug")?;
    h.set("traceback", debug.get::<Function>("traceback")?)?;
    h.set(
        "is_error",
        lua.create_function(|_, v: Value| {
            Ok(matches!(&v, Value::Table(t) if errors::message_of(t).is_some()))
        })?,
    )?;
    h.set(
        "error",
        lua.create_function(|lua, (kind, message): (String, String)| {
            errors::new_error(lua, &kind, &message)
        })?,
    )?;
    h.set(
        "proc",
        lua.create_function(|_, ()| {
            w(|w| {
                let (_, p) = w
                    .current()
                    .ok_or_else(|| mlua::Error::runtime("no process is running"))?;
                w.procs
                    .borrow()
                    .get(&p)
                    .map(|p| p.state.clone())
                    .ok_or_else(|| mlua::Error::runtime("no process is running"))
            })
        })?,
    )?;
    h.set(
        "now",
        lua.create_function(|_, ()| Ok(crate::modules::time::now()))?,
    )?;
    h.set(
        "schedule",
        lua.create_function(|_, (ns, f): (f64, Function)| {
            let d = Duration::from_nanos(if ns.is_finite() && ns > 0.0 {
                ns as u64
            } else {
                0
            });
            w(|w| Ok(w.schedule(d, f)))
        })?,
    )?;
    h.set(
        "unschedule",
        lua.create_function(|_, id: u64| {
            w(|w| {
                w.unschedule(id);
                Ok(())
            })
        })?,
    )?;
    h.set("nanos", lua.create_function(|_, v: Value| nanos(&v))?)?;
    h.set(
        "import",
        lua.create_function(|lua, (id, name): (String, String)| {
            w(|w| super::api::import(lua, w, &id, &name))
        })?,
    )?;
    h.set(
        "lib_chunk",
        lua.create_function(|lua, target: String| w(|w| super::api::lib_chunk(lua, w, &target)))?,
    )?;
    h.set(
        "encode",
        lua.create_function(|lua, (format, data): (String, Value)| encode(lua, &format, data))?,
    )?;
    h.set(
        "decode",
        lua.create_function(|lua, (format, data): (String, Value)| decode(lua, &format, data))?,
    )?;
    h.set(
        "call_start",
        lua.create_function(|lua, args: Variadic<Value>| {
            w(|w| super::api::call_start(lua, w, args))
        })?,
    )?;
    h.set(
        "kill",
        lua.create_function(|_, pid: String| {
            w(|w| {
                super::api::terminate_pid(w, &pid);
                Ok(())
            })
        })?,
    )?;
    Ok(h)
}

fn fail(lua: &Lua, message: String) -> mlua::Result<MultiValue> {
    errors::fail(lua, "Internal", message)
}

/// A Lua value in another payload format (`payload:transcode`).
fn encode(lua: &Lua, format: &str, data: Value) -> mlua::Result<MultiValue> {
    let text = match format {
        "json/plain" => match host::value::to_json(&data) {
            Ok(j) => j.to_string(),
            Err(e) => return fail(lua, format!("payload:transcode: {e}")),
        },
        "text/plain" | "application/octet-stream" => match lua.coerce_string(data)? {
            Some(s) => s.to_string_lossy(),
            None => return fail(lua, "payload:transcode: the value has no text form".into()),
        },
        "yaml/plain" => match host::value::to_json(&data) {
            Ok(j) => match saphyr_text(&j) {
                Some(t) => t,
                None => return fail(lua, "payload:transcode: no YAML form".into()),
            },
            Err(e) => return fail(lua, format!("payload:transcode: {e}")),
        },
        other => {
            return fail(
                lua,
                format!("payload:transcode: cannot transcode to {other}"),
            )
        }
    };
    Ok(MultiValue::from_iter([Value::String(
        lua.create_string(text)?,
    )]))
}

/// YAML text of a JSON value (JSON is a subset of YAML 1.2).
fn saphyr_text(j: &serde_json::Value) -> Option<String> {
    serde_json::to_string_pretty(j).ok()
}

/// A payload's data as Lua values (`payload:data` on a non-Lua format).
fn decode(lua: &Lua, format: &str, data: Value) -> mlua::Result<MultiValue> {
    let Value::String(s) = &data else {
        return Ok(MultiValue::from_iter([data]));
    };
    match format {
        "json/plain" | "yaml/plain" => {
            match serde_json::from_slice::<serde_json::Value>(&s.as_bytes()) {
                Ok(j) => Ok(MultiValue::from_iter([host::value::from_json(lua, &j)?])),
                Err(e) => fail(lua, format!("payload:data: not {format}: {e}")),
            }
        }
        _ => Ok(MultiValue::from_iter([data])),
    }
}
