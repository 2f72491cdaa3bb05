//! One worker's Luau state for twin handlers: THE handler environment list
//! ([`project::env::Environment::Handler`], the manifests' `handler` globals: the base library,
//! `req`, `emit`, `state`, `clock`, `wraith.import`), a fresh environment per invocation, the
//! handler chunks loaded once, and the per-invocation limits ([`host::limits`]; the handler's
//! Lua code runs inside [`host::Budget::run`], and `emit`/`state` conversions are charged to
//! the same budget, see [`crate::api`]).
//!
//! Nothing a call creates is captured by a long-lived closure: `emit` writes to a Rust-side
//! response, `state` and `clock` hold only Rust handles, so a finished invocation leaves
//! nothing behind (see the runtime's `many_calls` test for why that matters with mlua).
//! A handler's error message never shows a heap address: an error value that is not a string
//! is described by its type.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use host::{Budget, EnvFactory, Limits};
use mlua::chunk::ChunkMode;
use mlua::{Function, Lua, LuaString, Table, Value};
use project::env::Environment;

use crate::api::{clock_table, emit_table, state_table, Charge, Emitted};
use crate::clock::Clock;
use crate::state::StateStore;
use crate::{Request, Twin};

/// Handler globals set per invocation (the rest are in the worker's read-only base).
const PER_CALL: &[&str] = &["_G", "req"];

/// Deepest chain of `wraith.import`s.
const MAX_IMPORT_DEPTH: usize = 16;

/// A worker: one Luau state running one invocation at a time.
pub struct Worker {
    lua: Lua,
    twin: Arc<Twin>,
    /// `make_env(method, path, headers, query, params, body)` → a fresh environment.
    make_env: Function,
    handlers: HashMap<String, Function>,
    emitted: Rc<RefCell<Emitted>>,
    budget: Rc<Budget>,
    base: Table,
}

/// How an invocation ended.
#[derive(Debug)]
pub enum Outcome {
    /// The handler ran; its response.
    Answered(crate::Response),
    /// The handler raised or exceeded a limit: the message (without the envelope).
    Failed(String),
}

/// The first line of a handler's error without heap addresses: mlua renders an error value
/// that is not a string as `table: 0x55…`, which would put an address in the 500 body.
fn handler_error(e: &mlua::Error) -> String {
    let line = host::error_line(e);
    for kind in ["table", "function", "userdata", "thread", "buffer"] {
        if let Some(rest) = line.strip_prefix(&format!("{kind}: 0x")) {
            if rest.chars().all(|c| c.is_ascii_hexdigit()) {
                return format!("the handler raised a {kind} value (not a string message)");
            }
        }
    }
    line
}

impl Worker {
    /// A worker for `twin` over the shared state store and clock.
    pub fn new(twin: Arc<Twin>, store: Arc<StateStore>, clock: Arc<Clock>) -> mlua::Result<Worker> {
        let lua = Lua::new();
        let emitted = Rc::new(RefCell::new(Emitted::default()));
        let wraith = lua.create_table()?;
        let limits = &twin.config.serve.lua;
        let budget = Budget::install(
            &lua,
            &Limits {
                timeout_ms: limits.timeout_ms,
                memory_bytes: limits.memory_bytes,
                instructions: limits.instructions,
            },
        );
        // Before the base is built: it copies `pcall`, which the guard wraps.
        host::limits::guard_allocators(&lua, &budget)?;
        let charge = Charge::new(budget.clone());
        let mut tables = vec![
            ("emit", emit_table(&lua, &emitted, &charge)?),
            (
                "state",
                state_table(&lua, store, twin.namespace.clone(), &charge)?,
            ),
            ("clock", clock_table(&lua, clock)?),
        ];
        for (_, t) in &tables {
            t.set_readonly(true);
        }
        tables.push(("wraith", wraith.clone()));
        let mut names = Environment::Handler.names();
        names.retain(|n| !PER_CALL.contains(&n.as_str()));
        let mut provide = |_: &Lua, name: &str| -> mlua::Result<Option<Value>> {
            Ok(tables
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| Value::Table(t.clone())))
        };
        let base = host::build_base(
            &lua,
            &names,
            typedefs::ModuleSet::bundled(),
            Environment::Handler,
            &mut provide,
        )?
        .table;
        let envs = EnvFactory::new(&lua, &base)?;
        fill_wraith(&lua, &wraith, &twin, &envs, &emitted)?;
        wraith.set_readonly(true);
        // Built in Lua, the environment costs one call instead of twenty API calls.
        let make_env: Function = lua
            .load(
                "local make = ...\n\
                 return function(method, path, headers, query, params, body)\n\
                 return make({ req = { method = method, path = path, headers = headers, query = query, params = params, body = body } })\n\
                 end",
            )
            .set_name("=twin env")
            .set_mode(ChunkMode::Text)
            .call(envs.function().clone())?;
        lua.sandbox(true)?;
        let handlers = load_chunks(&lua, &twin.handlers, &base)?;
        Ok(Worker {
            lua,
            twin,
            make_env,
            handlers,
            emitted,
            budget,
            base,
        })
    }

    /// Every global a handler sees: the base's names and the per-call ones (`_G`, `req`).
    pub fn global_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .base
            .pairs::<String, Value>()
            .filter_map(|p| p.ok().map(|(k, _)| k))
            .chain(PER_CALL.iter().map(|n| (*n).to_owned()))
            .collect();
        names.sort();
        names
    }

    /// Whether a handler of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.handlers.contains_key(name)
    }

    fn environment(&self, req: &Request) -> mlua::Result<Table> {
        let lua = &self.lua;
        let pairs = |items: &mut dyn Iterator<Item = (&str, &str)>| -> mlua::Result<Table> {
            let t = lua.create_table()?;
            for (k, v) in items {
                t.raw_set(k, v)?;
            }
            Ok(t)
        };
        let headers = lua.create_table()?;
        for (k, v) in &req.headers {
            headers.raw_set(k.to_ascii_lowercase(), v.as_str())?;
        }
        let query = pairs(&mut req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        let params = pairs(&mut req.params.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        let body = match &req.body {
            Some(b) => Value::String(lua.create_string(b)?),
            None => Value::Nil,
        };
        self.make_env.call((
            req.method.as_str(),
            req.path.as_str(),
            headers,
            query,
            params,
            body,
        ))
    }

    /// Run handler `name` for `req` within the limits.
    pub fn invoke(&self, name: &str, req: &Request) -> Outcome {
        let Some(proto) = self.handlers.get(name) else {
            return Outcome::Failed(format!("no handler `{name}`"));
        };
        *self.emitted.borrow_mut() = Emitted::default();
        self.budget.start(&self.lua);
        let result = self.environment(req).and_then(|env| {
            let f = proto.deep_clone()?;
            f.set_environment(env)?;
            self.budget.run(&self.lua, || f.call::<()>(()))
        });
        let tripped = self.budget.finish(result.as_ref().err());
        let emitted = std::mem::take(&mut *self.emitted.borrow_mut());
        match (tripped, result) {
            (Some(t), _) => Outcome::Failed(self.budget.describe(t)),
            (None, Err(e)) => Outcome::Failed(handler_error(&e)),
            (None, Ok(())) => Outcome::Answered(emitted.response),
        }
    }

    /// Bytes in the worker's Luau heap after a full collection.
    pub fn heap_bytes(&self) -> usize {
        let _ = self.lua.gc_collect();
        self.lua.used_memory()
    }

    /// The twin this worker serves.
    pub fn twin(&self) -> &Twin {
        &self.twin
    }
}

/// Load compiled chunks (bytecode this process compiled) as functions over `base`.
fn load_chunks(
    lua: &Lua,
    chunks: &std::collections::BTreeMap<String, crate::Chunk>,
    base: &Table,
) -> mlua::Result<HashMap<String, Function>> {
    let mut out = HashMap::new();
    for (name, chunk) in chunks {
        out.insert(
            name.clone(),
            chunk.bytecode.load(lua, &chunk.display, base)?,
        );
    }
    Ok(out)
}

/// `wraith.import(name)`: run `lua/lib/<name>` in an isolated scope (a fresh environment over
/// the handler base, which holds `wraith` itself) and return what it returns.
fn fill_wraith(
    lua: &Lua,
    t: &Table,
    twin: &Arc<Twin>,
    envs: &EnvFactory,
    emitted: &Rc<RefCell<Emitted>>,
) -> mlua::Result<()> {
    let empty = lua.create_table()?;
    let protos = load_chunks(lua, &twin.libs, &empty)?;
    let envs = envs.clone();
    let e = emitted.clone();
    // The factory and the protos live as long as the worker; nothing per call is captured.
    t.set(
        "import",
        lua.create_function(move |lua, name: LuaString| {
            let name = name.to_string_lossy();
            let proto = protos.get(&name).ok_or_else(|| {
                mlua::Error::runtime(format!("wraith.import: no library `{name}` in lua/lib/"))
            })?;
            {
                let mut em = e.borrow_mut();
                if em.import_depth >= MAX_IMPORT_DEPTH {
                    return Err(mlua::Error::runtime(format!(
                        "wraith.import: imports nested deeper than {MAX_IMPORT_DEPTH} (a cycle?)"
                    )));
                }
                em.import_depth += 1;
            }
            let env = envs.make(lua.create_table()?)?;
            let f = proto.deep_clone()?;
            f.set_environment(env)?;
            let out = f.call::<mlua::MultiValue>(());
            e.borrow_mut().import_depth -= 1;
            out
        })?,
    )?;
    Ok(())
}
