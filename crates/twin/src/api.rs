//! The handler globals backed by Rust: `emit`, `state` and `clock` (seed: Lua handlers for
//! Wraith twins). Every conversion between Lua and JSON they do is charged to the running
//! invocation ([`host::Budget`]): its bytes against the memory limit still left, its time
//! against the deadline; running out trips that limit like the interrupt would.
//!
//! Nothing here captures a Lua handle of one call: `emit` writes to a Rust-side response,
//! `state` and `clock` hold only Rust handles.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use host::value::{
    from_json_within, to_json_within, ConvertError, ConvertLimits, Exceeded, DEFAULT_MAX_NODES,
    MAX_DEPTH,
};
use host::{Budget, Tripped};
use mlua::{Lua, Table, Value};

use crate::clock::Clock;
use crate::state::{Page, StateStore};
use crate::Response;

/// What `emit` has set so far in the running invocation.
#[derive(Default)]
pub(crate) struct Emitted {
    pub(crate) response: Response,
    pub(crate) import_depth: usize,
}

/// The invocation's budget, as the conversions see it.
#[derive(Clone)]
pub(crate) struct Charge {
    budget: Rc<Budget>,
}

impl Charge {
    pub(crate) fn new(budget: Rc<Budget>) -> Charge {
        Charge { budget }
    }

    fn limits(&self, lua: &Lua) -> ConvertLimits {
        ConvertLimits {
            max_bytes: self.budget.remaining(lua),
            max_nodes: DEFAULT_MAX_NODES,
            max_depth: MAX_DEPTH,
            deadline: self.budget.deadline(),
        }
    }

    /// The error for a failed conversion in `what`; a passed byte or time budget trips the
    /// invocation's memory or wall-clock limit (sticky: the handler cannot catch it).
    fn failed(&self, what: &str, e: ConvertError) -> mlua::Error {
        let tripped = match &e {
            ConvertError::Limit(Exceeded::Bytes, _) => Some(Tripped::Memory),
            ConvertError::Limit(Exceeded::Time, _) => Some(Tripped::Time),
            _ => None,
        };
        match tripped {
            Some(t) => {
                self.budget.trip(t);
                mlua::Error::runtime(format!("{what}: {}", self.budget.describe(t)))
            }
            None => mlua::Error::runtime(format!("{what}: {e}")),
        }
    }

    /// `v` as JSON text, at most the memory left to the invocation.
    pub(crate) fn json_text(&self, lua: &Lua, what: &str, v: &Value) -> mlua::Result<Vec<u8>> {
        let json = self.json(lua, what, v)?;
        let room = self.budget.remaining(lua);
        let mut out = Capped {
            bytes: Vec::new(),
            room,
        };
        if serde_json::to_writer(&mut out, &json).is_err() {
            return Err(self.failed(
                what,
                ConvertError::Limit(Exceeded::Bytes, format!("more than {room} bytes")),
            ));
        }
        Ok(out.bytes)
    }

    /// `v` as a JSON value within the invocation's budget.
    pub(crate) fn json(&self, lua: &Lua, what: &str, v: &Value) -> mlua::Result<serde_json::Value> {
        to_json_within(v, &self.limits(lua)).map_err(|e| self.failed(what, e))
    }

    /// A JSON value as Lua within the invocation's budget.
    pub(crate) fn lua(&self, lua: &Lua, what: &str, j: &serde_json::Value) -> mlua::Result<Value> {
        from_json_within(lua, j, &self.limits(lua)).map_err(|e| self.failed(what, e))
    }

    /// Bytes the invocation may still use.
    pub(crate) fn remaining(&self, lua: &Lua) -> usize {
        self.budget.remaining(lua)
    }

    /// The invocation's deadline.
    pub(crate) fn deadline(&self) -> Option<std::time::Instant> {
        self.budget.deadline()
    }

    /// A state-store call that ran out of the invocation's memory or time.
    pub(crate) fn store_failed(&self, what: &str, e: crate::state::StoreError) -> mlua::Error {
        use crate::state::StoreError;
        match e {
            StoreError::Memory => {
                self.failed(what, ConvertError::Limit(Exceeded::Bytes, String::new()))
            }
            StoreError::Time => {
                self.failed(what, ConvertError::Limit(Exceeded::Time, String::new()))
            }
            StoreError::Other(m) => mlua::Error::runtime(format!("{what}: {m}")),
        }
    }
}

/// A writer that refuses to grow past `room` bytes.
struct Capped {
    bytes: Vec<u8>,
    room: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.room {
            return Err(std::io::Error::other("over the byte limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An HTTP status a handler may answer with: 200–599 (informational 1xx statuses would leave
/// the connection waiting for an upgrade or a final response that never comes).
fn status(what: &str, code: u16) -> mlua::Result<u16> {
    if (200..=599).contains(&code) {
        Ok(code)
    } else {
        Err(mlua::Error::runtime(format!(
            "{what}: {code} is not a status a handler can answer with (200–599)"
        )))
    }
}

/// `emit`: status, header, json, body, error.
pub(crate) fn emit_table(
    lua: &Lua,
    emitted: &Rc<RefCell<Emitted>>,
    charge: &Charge,
) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let e = emitted.clone();
    t.set(
        "status",
        lua.create_function(move |_, code: u16| {
            e.borrow_mut().response.status = status("emit.status", code)?;
            Ok(())
        })?,
    )?;
    let e = emitted.clone();
    t.set(
        "header",
        lua.create_function(move |_, (k, v): (String, String)| {
            if k.contains(['\r', '\n']) || v.contains(['\r', '\n']) {
                return Err(mlua::Error::runtime(
                    "emit.header: line breaks are not allowed",
                ));
            }
            let mut em = e.borrow_mut();
            let k = k.to_ascii_lowercase();
            em.response.headers.retain(|(name, _)| *name != k);
            em.response.headers.push((k, v));
            Ok(())
        })?,
    )?;
    let (e, c) = (emitted.clone(), charge.clone());
    t.set(
        "json",
        lua.create_function(move |lua, v: Value| {
            let body = c.json_text(lua, "emit.json", &v)?;
            e.borrow_mut().response.set_json(body);
            Ok(())
        })?,
    )?;
    let (e, c) = (emitted.clone(), charge.clone());
    t.set(
        "body",
        lua.create_function(move |lua, v: Value| {
            match &v {
                Value::String(s) => e.borrow_mut().response.body = s.as_bytes().to_vec(),
                _ => {
                    let body = c.json_text(lua, "emit.body", &v)?;
                    e.borrow_mut().response.set_json(body);
                }
            }
            Ok(())
        })?,
    )?;
    let e = emitted.clone();
    t.set(
        "error",
        lua.create_function(move |_, (code, kind, msg): (u16, String, Option<String>)| {
            let code = status("emit.error", code)?;
            let body = serde_json::json!({ "error": { "code": kind, "message": msg.unwrap_or_default() } });
            let mut em = e.borrow_mut();
            em.response.status = code;
            em.response.set_json(body.to_string().into_bytes());
            Ok(())
        })?,
    )?;
    Ok(t)
}

/// `state.list(entity [, {limit = n, after = id}])` options.
fn page(opts: Option<Table>) -> mlua::Result<Page> {
    let mut page = Page::default();
    if let Some(o) = opts {
        if let Some(limit) = o.get::<Option<f64>>("limit")? {
            if limit.is_nan() || limit < 1.0 {
                return Err(mlua::Error::runtime("state: `limit` must be at least 1"));
            }
            page.limit = (limit as usize).min(crate::state::MAX_PAGE);
        }
        page.after = o.get::<Option<String>>("after")?;
    }
    Ok(page)
}

/// `state`: get, put, delete, list, query, count, counter over one namespace of the store.
pub(crate) fn state_table(
    lua: &Lua,
    store: Arc<StateStore>,
    ns: String,
    charge: &Charge,
) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let (s, n, c) = (store.clone(), ns.clone(), charge.clone());
    t.set(
        "get",
        lua.create_function(move |lua, (entity, id): (String, String)| {
            match s
                .get(&n, &entity, &id)
                .map_err(|e| c.store_failed("state.get", e))?
            {
                Some(v) => c.lua(lua, "state.get", &v),
                None => Ok(Value::Nil),
            }
        })?,
    )?;
    let (s, n, c) = (store.clone(), ns.clone(), charge.clone());
    t.set(
        "put",
        lua.create_function(move |lua, (entity, id, data): (String, String, Value)| {
            let data = c.json(lua, "state.put", &data)?;
            s.put(&n, &entity, &id, data)
                .map_err(|e| c.store_failed("state.put", e))?;
            Ok(true)
        })?,
    )?;
    let (s, n, c) = (store.clone(), ns.clone(), charge.clone());
    t.set(
        "delete",
        lua.create_function(move |_, (entity, id): (String, String)| {
            s.delete(&n, &entity, &id)
                .map_err(|e| c.store_failed("state.delete", e))?;
            Ok(true)
        })?,
    )?;
    let (s, n, c) = (store.clone(), ns.clone(), charge.clone());
    t.set(
        "list",
        lua.create_function(move |lua, (entity, opts): (String, Option<Table>)| {
            let mut page = page(opts)?;
            page.max_bytes = c.remaining(lua);
            page.deadline = c.deadline();
            let rows = s
                .list(&n, &entity, &page)
                .map_err(|e| c.store_failed("state.list", e))?;
            c.lua(lua, "state.list", &serde_json::Value::Array(rows))
        })?,
    )?;
    let (s, n, c) = (store.clone(), ns.clone(), charge.clone());
    t.set(
        "query",
        lua.create_function(
            move |lua, (entity, field, value, opts): (String, String, Value, Option<Table>)| {
                let value = c.json(lua, "state.query", &value)?;
                let mut page = page(opts)?;
                page.max_bytes = c.remaining(lua);
                page.deadline = c.deadline();
                let rows = s
                    .query(&n, &entity, &field, &value, &page)
                    .map_err(|e| c.store_failed("state.query", e))?;
                c.lua(lua, "state.query", &serde_json::Value::Array(rows))
            },
        )?,
    )?;
    let (s, n, c) = (store.clone(), ns.clone(), charge.clone());
    t.set(
        "count",
        lua.create_function(move |_, entity: String| {
            s.count(&n, &entity)
                .map_err(|e| c.store_failed("state.count", e))
        })?,
    )?;
    let (s, n, c) = (store, ns, charge.clone());
    t.set(
        "counter",
        lua.create_function(move |_, name: String| {
            s.counter(&n, &name)
                .map_err(|e| c.store_failed("state.counter", e))
        })?,
    )?;
    Ok(t)
}

/// `clock`: now, advance.
pub(crate) fn clock_table(lua: &Lua, clock: Arc<Clock>) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let c = clock.clone();
    t.set("now", lua.create_function(move |_, ()| Ok(c.now()))?)?;
    t.set(
        "advance",
        lua.create_function(move |_, s: i64| clock.advance(s).map_err(mlua::Error::runtime))?,
    )?;
    Ok(t)
}
