//! The Rust half of `process` (docs `en/lua/core/process.md`, runtime `process/spec.md`):
//! identity, spawning, messages, lifecycle, links and monitors, names; the spawner builder;
//! `require`'s resolution and library environments; calls that wait for a process's result
//! (`process.exec`, `funcs.call`, `funcs.async`). Errors are Wippy's `(nil, error)` pairs with
//! the kinds the docs give (`Invalid`, `NotFound`, `AlreadyExists`).

use mlua::{Function, Lua, MultiValue, Table, UserData, UserDataMethods, Value, Variadic};

use super::registry::{Outcome, Waiter};
use super::val::{self, Val, PAYLOAD_NEW, PAYLOAD_PARTS};
use super::worker::{self, Worker};
use super::{Lineage, SpawnOptions};
use crate::modules::reg::{invalid, not_found, Failure, Out, Reg};

pub(crate) use super::host::primitives;

/// What `process` functions need to know about the calling process.
struct Me {
    seq: u64,
    pid: String,
    entry: String,
    lineage: Lineage,
}

/// Read the calling process with `f`.
fn with_me<R>(w: &Worker, f: impl FnOnce(u64, &super::worker::Proc) -> R) -> Out<R> {
    let (_, seq) = w
        .current()
        .ok_or_else(|| invalid("no context found: not inside a process"))?;
    let procs = w.procs.borrow();
    let p = procs
        .get(&seq)
        .ok_or_else(|| invalid("no context found: not inside a process"))?;
    Ok(f(seq, p))
}

/// The calling process's sequence number and pid string.
fn me_pid(w: &Worker) -> Out<(u64, String)> {
    with_me(w, |seq, p| (seq, p.pid_str.clone()))
}

/// All of the calling process a spawn needs.
fn me(w: &Worker) -> Out<Me> {
    with_me(w, |seq, p| Me {
        seq,
        pid: p.pid_str.clone(),
        entry: p.entry.clone(),
        lineage: Lineage {
            seq: Some(seq),
            worker: Some(w.index),
            deadline: p.deadline,
            context: p.context.clone(),
            pid: Some(p.pid_str.clone()),
        },
    })
}

fn on_worker<R>(f: impl FnOnce(&Worker) -> Out<R>) -> Out<R> {
    worker::with(|w| f(w)).map_err(Failure::Lua)?
}

fn failure((kind, message): (&'static str, String)) -> Failure {
    Failure::Wippy { kind, message }
}

/// The payload of a message: nothing, one value, or the values as an array (runtime
/// `engine/process.go` PayloadsToLua).
fn payload_val(lua: &Lua, values: MultiValue, what: &str) -> Out<Val> {
    let mut vals = Vec::new();
    for v in values.iter() {
        vals.push(val::from_lua(lua, v, what).map_err(invalid)?);
    }
    Ok(match vals.len() {
        0 => Val::Nil,
        1 => vals.pop().unwrap_or(Val::Nil),
        _ => Val::Table(
            vals.into_iter()
                .enumerate()
                .map(|(i, v)| (Val::Num((i + 1) as f64), v))
                .collect(),
        ),
    })
}

fn args_val(lua: &Lua, values: MultiValue, what: &str) -> Out<Vec<Val>> {
    values
        .iter()
        .map(|v| val::from_lua(lua, v, what).map_err(invalid))
        .collect()
}

/// How a spawn relates child and parent.
#[derive(Clone, Copy)]
struct Mode {
    link: bool,
    monitor: bool,
}

const MODES: [(&str, Mode); 4] = [
    (
        "spawn",
        Mode {
            link: false,
            monitor: false,
        },
    ),
    (
        "spawn_monitored",
        Mode {
            link: false,
            monitor: true,
        },
    ),
    (
        "spawn_linked",
        Mode {
            link: true,
            monitor: false,
        },
    ),
    (
        "spawn_linked_monitored",
        Mode {
            link: true,
            monitor: true,
        },
    ),
];

fn spawn(
    lua: &Lua,
    name: &str,
    mode: Mode,
    builder: &Spawner,
    mut args: MultiValue,
) -> Out<String> {
    let (Some(Value::String(id)), Some(Value::String(host))) = (args.pop_front(), args.pop_front())
    else {
        return Err(invalid(format!(
            "{name} requires at least id and host arguments"
        )));
    };
    let (id, host) = (id.to_string_lossy(), host.to_string_lossy());
    let args = args_val(lua, args, &format!("process.{name}"))?;
    on_worker(|w| {
        let me = me(w)?;
        let opts = SpawnOptions {
            link: mode.link,
            monitor: mode.monitor,
            context: builder.context.clone(),
            name: builder.name.clone(),
            messages: builder.messages.clone(),
            waiter: None,
            check_host: true,
        };
        let pid = w
            .shared
            .spawn(me.lineage, &id, &host, args, opts)
            .map_err(failure)?;
        Ok(pid.to_string())
    })
}

/// Resolve a destination for a lifecycle operation.
fn target(w: &Worker, dest: &str) -> Out<u64> {
    w.shared.table().resolve(dest).map_err(not_found)
}

/// End the process a pid string names (`process.terminate`, `future:cancel`).
pub(crate) fn terminate_pid(w: &Worker, dest: &str) -> bool {
    let resolved = w.shared.table().resolve(dest);
    match resolved {
        Ok(seq) => {
            w.shared.kill(seq, Outcome::failed("terminated"));
            true
        }
        Err(_) => false,
    }
}

/// A spawner (`process.with_context`, `with_options`): context, options, name and messages
/// for the children it spawns. Immutable: every `with_*` returns a new one.
#[derive(Clone, Default)]
pub struct Spawner {
    context: Vec<(String, Val)>,
    options: Vec<(String, Val)>,
    name: Option<String>,
    messages: Vec<(String, Val)>,
}

fn pairs_of(lua: &Lua, t: &Table, what: &str) -> mlua::Result<Vec<(String, Val)>> {
    let mut out = Vec::new();
    for pair in t.pairs::<String, Value>() {
        let (k, v) = pair?;
        let v = val::from_lua(lua, &v, what).map_err(mlua::Error::runtime)?;
        out.push((k, v));
    }
    Ok(out)
}

fn overlay(base: &mut Vec<(String, Val)>, more: Vec<(String, Val)>) {
    for (k, v) in more {
        base.retain(|(bk, _)| *bk != k);
        base.push((k, v));
    }
}

impl UserData for Spawner {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("with_context", |lua, s, t: Table| {
            let mut n = s.clone();
            overlay(&mut n.context, pairs_of(lua, &t, "spawner:with_context")?);
            Ok(n)
        });
        m.add_method("with_options", |lua, s, t: Table| {
            let mut n = s.clone();
            overlay(&mut n.options, pairs_of(lua, &t, "spawner:with_options")?);
            Ok(n)
        });
        for name in ["with_actor", "with_scope"] {
            m.add_method(name, |_, s, _v: Value| Ok(s.clone()));
        }
        m.add_method("with_name", |_, s, name: String| {
            let mut n = s.clone();
            n.name = Some(name);
            Ok(n)
        });
        m.add_method(
            "with_message",
            |lua, s, (topic, rest): (String, MultiValue)| {
                let mut n = s.clone();
                let data = match payload_val(lua, rest, "spawner:with_message") {
                    Ok(v) => v,
                    Err(Failure::Wippy { message, .. }) => {
                        return Err(mlua::Error::runtime(message))
                    }
                    Err(Failure::Lua(e)) => return Err(e),
                };
                n.messages.push((topic, data));
                Ok(n)
            },
        );
        for (name, mode) in MODES {
            m.add_method(name, move |lua, s, args: MultiValue| {
                Ok(match spawn(lua, name, mode, s, args) {
                    Ok(pid) => (Some(pid), None),
                    Err(Failure::Wippy { kind, message }) => (
                        None,
                        Some(crate::modules::errors::new_error(lua, kind, &message)?),
                    ),
                    Err(Failure::Lua(e)) => return Err(e),
                })
            });
        }
    }
}

/// The `process` table: the Rust functions here and the prelude's (inbox, events, listen,
/// unlisten, options, exec).
pub fn process_table(lua: &Lua, k: &Table) -> mlua::Result<Table> {
    let r = Reg::new(lua, "process")?;
    r.fallible("pid", 0, Some(0), |_, ()| on_worker(|w| Ok(me_pid(w)?.1)))?;
    r.fallible("id", 0, Some(0), |_, ()| {
        on_worker(|w| {
            let me = me(w)?;
            Ok(format!("{}@{:05x}", me.entry, me.seq))
        })
    })?;
    r.fallible("send", 2, None, |lua, mut args: MultiValue| {
        let (Some(Value::String(dest)), Some(Value::String(topic))) =
            (args.pop_front(), args.pop_front())
        else {
            return Err(invalid(
                "send requires at least destination and topic arguments",
            ));
        };
        let topic = topic.to_string_lossy();
        if topic.starts_with('@') {
            return Err(invalid("cannot send to @ topics"));
        }
        let data = payload_val(lua, args, "process.send")?;
        on_worker(|w| {
            let (_, pid) = me_pid(w)?;
            w.shared
                .send(&pid, &dest.to_string_lossy(), &topic, data)
                .map_err(not_found)?;
            Ok(true)
        })
    })?;
    for (name, mode) in MODES {
        r.fallible(name, 2, None, move |lua, args: MultiValue| {
            spawn(lua, name, mode, &Spawner::default(), args)
        })?;
    }
    r.fallible("terminate", 1, Some(1), |_, dest: String| {
        on_worker(|w| {
            let seq = target(w, &dest)?;
            w.shared.kill(seq, Outcome::failed("terminated"));
            Ok(true)
        })
    })?;
    r.fallible(
        "cancel",
        1,
        Some(2),
        |_, (dest, reason): (String, Value)| on_worker(|w| cancel(w, &dest, reason)),
    )?;
    for (name, on, link) in [
        ("monitor", true, false),
        ("unmonitor", false, false),
        ("link", true, true),
        ("unlink", false, true),
    ] {
        r.fallible(name, 1, Some(1), move |_, dest: String| {
            on_worker(|w| {
                let me = me(w)?;
                let t = target(w, &dest)?;
                let mut table = w.shared.table();
                let r = if link {
                    table.set_link(me.seq, t, on)
                } else {
                    table.set_monitor(me.seq, t, on)
                };
                r.map_err(not_found)?;
                Ok(true)
            })
        })?;
    }
    r.plain("with_context", 1, Some(1), |lua, t: Table| {
        let mut s = Spawner::default();
        overlay(&mut s.context, pairs_of(lua, &t, "process.with_context")?);
        Ok(s)
    })?;
    r.plain("with_options", 1, Some(1), |lua, t: Table| {
        let mut s = Spawner::default();
        overlay(&mut s.options, pairs_of(lua, &t, "process.with_options")?);
        Ok(s)
    })?;
    r.fallible(
        "upgrade",
        0,
        None,
        |lua, (path, args): (Option<String>, MultiValue)| {
            let args = args_val(lua, args, "process.upgrade")?;
            on_worker(|w| {
                let me = me(w)?;
                let entry = path.unwrap_or(me.entry);
                w.shared.check_spawn(&entry, None).map_err(failure)?;
                w.upgrade(me.seq, entry, args);
                Ok(true)
            })
        },
    )?;
    registry(&r)?;
    let t = r.table().clone();
    let wrap: Function = k.get("wrap_upgrade")?;
    let upgrade: Function = t.get("upgrade")?;
    t.raw_set("upgrade", wrap.call::<Function>(upgrade)?)?;
    let lua_part: Table = k.get("process")?;
    for pair in lua_part.pairs::<Value, Value>() {
        let (name, f) = pair?;
        t.raw_set(name, f)?;
    }
    let event = lua.create_table()?;
    for (name, value) in [
        ("CANCEL", "pid.cancel"),
        ("EXIT", "pid.exit"),
        ("LINK_DOWN", "pid.link.down"),
    ] {
        event.set(name, value)?;
    }
    event.set_readonly(true);
    t.set("event", event)?;
    let registry: Table = t.get("registry")?;
    registry.set_readonly(true);
    t.set_readonly(true);
    Ok(t)
}

/// `process.cancel(dest, reason_or_deadline)`: a CANCEL event for the target; with a deadline
/// (milliseconds, or a Go duration), the target is terminated if it still runs then.
fn cancel(w: &Worker, dest: &str, reason: Value) -> Out<bool> {
    let me = me(w)?;
    let seq = target(w, dest)?;
    let (reason_text, deadline) = match &reason {
        Value::Nil => (String::new(), None),
        Value::Integer(ms) => (String::new(), Some(*ms as f64 * 1e6)),
        Value::Number(ms) => (String::new(), Some(*ms * 1e6)),
        Value::String(s) => {
            let s = s.to_string_lossy();
            match crate::modules::time::parse_duration(&s) {
                Ok(d) => (String::new(), Some(d.0 as f64)),
                Err(_) => (s, None),
            }
        }
        other => {
            return Err(invalid(format!(
                "deadline must be either a duration string or milliseconds number, got {}",
                other.type_name()
            )))
        }
    };
    let event = Val::record(vec![
        ("kind", Val::str("pid.cancel")),
        ("from", Val::str(me.pid.clone())),
        ("reason", Val::str(reason_text)),
    ]);
    w.shared
        .send(&me.pid, dest, "@events", event)
        .map_err(not_found)?;
    if let Some(ns) = deadline.filter(|ns| *ns > 0.0) {
        let shared = w.shared.clone();
        let kill = w
            .lua
            .create_function(move |_, ()| {
                shared.kill(seq, Outcome::failed("canceled: the deadline passed"));
                Ok(())
            })
            .map_err(Failure::Lua)?;
        w.schedule(std::time::Duration::from_nanos(ns as u64), kill);
    }
    Ok(true)
}

fn registry(r: &Reg) -> mlua::Result<()> {
    let reg = r.sub("registry")?;
    for (name, value) in [
        ("LOCAL", 0.0),
        ("EVENTUAL", 1.0),
        ("CONSISTENT", 2.0),
        ("STRONG", 3.0),
    ] {
        reg.constant(name, value)?;
    }
    reg.fallible(
        "register",
        1,
        Some(3),
        |_, (name, pid, scope): (String, Option<String>, Option<f64>)| {
            if scope.is_some_and(|s| !(0.0..=3.0).contains(&s)) {
                return Err(invalid("scope must be one of the process.registry scopes"));
            }
            on_worker(|w| {
                let me = me(w)?;
                let seq = match pid {
                    Some(p) => target(w, &p)?,
                    None => me.seq,
                };
                w.shared.table().register(&name, seq).map_err(failure)?;
                Ok(true)
            })
        },
    )?;
    reg.fallible("lookup", 1, Some(1), |_, name: String| {
        on_worker(|w| {
            w.shared
                .table()
                .lookup(&name)
                .map(|p| p.to_string())
                .ok_or_else(|| not_found("name not registered"))
        })
    })?;
    reg.fallible(
        "unregister",
        1,
        Some(2),
        |_, (name, _scope): (String, Option<f64>)| {
            on_worker(|w| Ok(w.shared.table().unregister(&name)))
        },
    )?;
    Ok(())
}

/// `require(name)` in entry `id`: `(module)` for a built-in module, `(nil, target)` for a
/// library entry the prelude loads once per process; an error for what the entry did not
/// declare, and "module `x` is not available in this runtime" for a declared module the runtime
/// does not bundle.
pub(crate) fn import(lua: &Lua, w: &Worker, id: &str, name: &str) -> mlua::Result<MultiValue> {
    let program = &w.shared.program;
    let entry = program
        .entries
        .get(id)
        .ok_or_else(|| mlua::Error::runtime(format!("no entry {id}")))?;
    let module = |m: &str| -> mlua::Result<MultiValue> {
        match w.globals.modules.get(lua, m)? {
            Some(t) => Ok(MultiValue::from_iter([Value::Table(t)])),
            None => Err(mlua::Error::runtime(format!(
                "module `{m}` is not available in this runtime"
            ))),
        }
    };
    if let Some(target) = entry.imports.get(name) {
        if !target.contains(':') {
            return module(target);
        }
        if !program.entries.contains_key(target) {
            return Err(mlua::Error::runtime(format!(
                "import `{name}` of {id}: entry `{target}` is not in this program"
            )));
        }
        return Ok(MultiValue::from_iter([
            Value::Nil,
            Value::String(lua.create_string(target)?),
        ]));
    }
    if entry.modules.iter().any(|m| m == name) || crate::modules::is_ambient(name) {
        return module(name);
    }
    Err(mlua::Error::runtime(format!(
        "require(\"{name}\") is not declared in the imports or modules of entry {id}"
    )))
}

/// Library `target`'s chunk for the current process, in an environment over its globals.
pub(crate) fn lib_chunk(lua: &Lua, w: &Worker, target: &str) -> mlua::Result<Function> {
    let entry = w
        .shared
        .program
        .entries
        .get(target)
        .ok_or_else(|| mlua::Error::runtime(format!("no entry {target}")))?;
    let (_, seq) = w
        .current()
        .ok_or_else(|| mlua::Error::runtime("require needs a running process"))?;
    let meta = {
        let mut procs = w.procs.borrow_mut();
        let p = procs
            .get_mut(&seq)
            .ok_or_else(|| mlua::Error::runtime("require needs a running process"))?;
        match &p.lib_meta {
            Some(m) => m.clone(),
            None => {
                let m = lua.create_table()?;
                m.raw_set("__index", p.env.clone())?;
                m.raw_set("__newindex", p.env.clone())?;
                p.lib_meta = Some(m.clone());
                m
            }
        }
    };
    let env = w.globals.lib_env(lua, entry, &meta)?;
    w.globals.chunk(lua, entry, &env)
}

/// Start a call whose result goes to `callback({value = …} or {error = …})`:
/// `(callback, entry, host or nil, context table or nil, args…)` → the child's pid, or
/// `(nil, error)`. A function entry runs as a process of its own (Wippy runs function calls
/// in frames of their own); the host defaults to the entry's `meta.default_host`.
pub(crate) fn call_start(lua: &Lua, w: &Worker, args: Variadic<Value>) -> mlua::Result<MultiValue> {
    let mut it = args.into_iter();
    let Some(Value::Function(callback)) = it.next() else {
        return Err(mlua::Error::runtime("call_start: no callback"));
    };
    let entry = match it.next() {
        Some(Value::String(s)) => s.to_string_lossy(),
        _ => return crate::modules::errors::fail(lua, "Invalid", "target must be a string"),
    };
    let host = match it.next() {
        Some(Value::String(s)) => Some(s.to_string_lossy()),
        _ => None,
    };
    let context = match it.next() {
        Some(Value::Table(t)) => pairs_of(lua, &t, "call context")?,
        _ => Vec::new(),
    };
    let rest: MultiValue = it.collect();
    let result = (|| -> Out<String> {
        if !entry.contains(':') {
            return Err(invalid(format!(
                "invalid target `{entry}`: expected namespace:name"
            )));
        }
        let args = args_val(lua, rest, "call")?;
        let me = me(w)?;
        let checked = host.is_some();
        let host = host.unwrap_or_else(|| w.shared.default_host(&entry));
        let slot = w.reply_slot(me.seq, callback.clone());
        let opts = SpawnOptions {
            context,
            waiter: Some(Waiter::Process { pid: me.seq, slot }),
            check_host: checked,
            ..SpawnOptions::default()
        };
        let pid = w
            .shared
            .spawn(me.lineage, &entry, &host, args, opts)
            .map_err(failure)?;
        Ok(pid.to_string())
    })();
    match result {
        Ok(pid) => Ok(MultiValue::from_iter([Value::String(
            lua.create_string(pid)?,
        )])),
        Err(Failure::Wippy { kind, message }) => crate::modules::errors::fail(lua, kind, message),
        Err(Failure::Lua(e)) => Err(e),
    }
}

/// The current process's context values (`ctx.get`, `ctx.all`).
pub(crate) fn context() -> mlua::Result<Vec<(String, Val)>> {
    worker::with(|w| {
        let (_, seq) = w
            .current()
            .ok_or_else(|| mlua::Error::runtime("no context available"))?;
        Ok(w.procs
            .borrow()
            .get(&seq)
            .map(|p| p.context.clone())
            .unwrap_or_default())
    })?
}

/// Store what other Rust code needs of the prelude as registry values: object metatables,
/// payload helpers, clocks and calls.
pub(crate) fn register_kernel(lua: &Lua, k: &Table) -> mlua::Result<()> {
    for kind in [
        "channel", "payload", "message", "clock", "future", "executor",
    ] {
        let meta: Table = k.get(format!("meta_{kind}"))?;
        if let Value::Table(index) = meta.get::<Value>("__index")? {
            index.set_readonly(true);
        }
        lua.set_named_registry_value(&format!("wippy.meta.{kind}"), meta)?;
    }
    lua.set_named_registry_value(PAYLOAD_PARTS, k.get::<Function>("payload_parts")?)?;
    lua.set_named_registry_value(PAYLOAD_NEW, k.get::<Function>("payload_new")?)?;
    for name in ["sleep", "after", "clock"] {
        lua.set_named_registry_value(&format!("wippy.k.{name}"), k.get::<Function>(name)?)?;
    }
    let funcs: Table = k.get("funcs")?;
    lua.set_named_registry_value("wippy.k.funcs", funcs)?;
    Ok(())
}
