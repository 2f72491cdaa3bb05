//! `env`: environment variables (manifest: env.json; runtime `env/spec.md`). Reads see the
//! runtime's own variables (set by `env.set` in this runtime) over the process environment;
//! `env.set` writes runtime-managed storage, never the OS environment.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use mlua::{Lua, Table};

use super::reg::{invalid, not_found, Reg};

/// Runtime-managed variables, shared by every `env` table of one runtime (all its workers).
#[derive(Clone, Debug, Default)]
pub struct EnvStore(pub Arc<Mutex<BTreeMap<String, String>>>);

impl EnvStore {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The `env` module table over `store`.
pub fn module(lua: &Lua, store: &EnvStore) -> mlua::Result<Table> {
    let r = Reg::new(lua, "env")?;
    let s = store.clone();
    r.fallible("get", 1, Some(1), move |_, key: String| {
        if key.is_empty() {
            return Err(invalid("env.get: empty key"));
        }
        if let Some(v) = s.lock().get(&key) {
            return Ok(v.clone());
        }
        std::env::var(&key)
            .map_err(|_| not_found(format!("environment variable `{key}` is not set")))
    })?;
    let s = store.clone();
    r.fallible(
        "set",
        2,
        Some(2),
        move |_, (key, value): (String, String)| {
            if key.is_empty() {
                return Err(invalid("env.set: empty key"));
            }
            s.lock().insert(key, value);
            Ok(true)
        },
    )?;
    let s = store.clone();
    r.fallible("get_all", 0, Some(0), move |lua, ()| {
        let t = lua.create_table()?;
        for (k, v) in std::env::vars() {
            t.set(k, v)?;
        }
        for (k, v) in s.lock().iter() {
            t.set(k.as_str(), v.as_str())?;
        }
        Ok(t)
    })?;
    Ok(r.table().clone())
}
