//! The twin state store: entities (JSON documents by entity type and id) and counters, per
//! namespace, in memory or in SQLite (WAL; a write is committed before its response is sent,
//! so answered writes survive a kill of the server) (seed: handlers' `state` global).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

type Key = (String, String);

#[derive(Default)]
struct Memory {
    entities: HashMap<Key, BTreeMap<String, Value>>,
    counters: HashMap<Key, i64>,
}

enum Backend {
    Memory(Mutex<Memory>),
    Sqlite(Mutex<Connection>),
}

/// Entities and counters shared by every worker of a server.
pub struct StateStore {
    backend: Backend,
}

fn key(ns: &str, entity: &str) -> Key {
    (ns.to_owned(), entity.to_owned())
}

fn sql_err(e: rusqlite::Error) -> String {
    format!("state store: {e}")
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl StateStore {
    /// An empty in-memory store.
    pub fn memory() -> StateStore {
        StateStore {
            backend: Backend::Memory(Mutex::default()),
        }
    }

    /// A store in the SQLite file `path` (created if missing), in WAL mode.
    pub fn sqlite(path: &Path) -> Result<StateStore, String> {
        let conn = Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS entities (ns TEXT NOT NULL, entity TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (ns, entity, id)) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS counters (ns TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (ns, name)) WITHOUT ROWID;",
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql_err)?;
        Ok(StateStore {
            backend: Backend::Sqlite(Mutex::new(conn)),
        })
    }

    /// Entity `id` of type `entity`.
    pub fn get(&self, ns: &str, entity: &str, id: &str) -> Result<Option<Value>, String> {
        match &self.backend {
            Backend::Memory(m) => Ok(lock(m)
                .entities
                .get(&key(ns, entity))
                .and_then(|t| t.get(id))
                .cloned()),
            Backend::Sqlite(c) => {
                let text: Option<String> = lock(c)
                    .prepare_cached(
                        "SELECT data FROM entities WHERE ns = ?1 AND entity = ?2 AND id = ?3",
                    )
                    .and_then(|mut s| {
                        s.query_row(params![ns, entity, id], |r| r.get(0))
                            .optional()
                    })
                    .map_err(sql_err)?;
                Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
            }
        }
    }

    /// Insert or replace entity `id`.
    pub fn put(&self, ns: &str, entity: &str, id: &str, data: Value) -> Result<(), String> {
        match &self.backend {
            Backend::Memory(m) => {
                lock(m).entities.entry(key(ns, entity)).or_default().insert(id.to_owned(), data);
                Ok(())
            }
            Backend::Sqlite(c) => lock(c)
                .prepare_cached("INSERT INTO entities (ns, entity, id, data) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (ns, entity, id) DO UPDATE SET data = excluded.data")
                .and_then(|mut s| s.execute(params![ns, entity, id, data.to_string()]))
                .map(|_| ())
                .map_err(sql_err),
        }
    }

    /// Insert entity `id` unless it exists (seeding never overwrites state).
    pub fn put_if_absent(
        &self,
        ns: &str,
        entity: &str,
        id: &str,
        data: Value,
    ) -> Result<(), String> {
        match &self.backend {
            Backend::Memory(m) => {
                lock(m)
                    .entities
                    .entry(key(ns, entity))
                    .or_default()
                    .entry(id.to_owned())
                    .or_insert(data);
                Ok(())
            }
            Backend::Sqlite(c) => lock(c)
                .prepare_cached(
                    "INSERT OR IGNORE INTO entities (ns, entity, id, data) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![ns, entity, id, data.to_string()]))
                .map(|_| ())
                .map_err(sql_err),
        }
    }

    /// Remove entity `id`; whether it existed.
    pub fn delete(&self, ns: &str, entity: &str, id: &str) -> Result<bool, String> {
        match &self.backend {
            Backend::Memory(m) => Ok(lock(m)
                .entities
                .get_mut(&key(ns, entity))
                .and_then(|t| t.remove(id))
                .is_some()),
            Backend::Sqlite(c) => lock(c)
                .prepare_cached("DELETE FROM entities WHERE ns = ?1 AND entity = ?2 AND id = ?3")
                .and_then(|mut s| s.execute(params![ns, entity, id]))
                .map(|n| n > 0)
                .map_err(sql_err),
        }
    }

    /// Every entity of a type, ordered by id.
    pub fn list(&self, ns: &str, entity: &str) -> Result<Vec<Value>, String> {
        match &self.backend {
            Backend::Memory(m) => Ok(lock(m)
                .entities
                .get(&key(ns, entity))
                .map(|t| t.values().cloned().collect())
                .unwrap_or_default()),
            Backend::Sqlite(c) => {
                let conn = lock(c);
                let mut st = conn
                    .prepare_cached(
                        "SELECT data FROM entities WHERE ns = ?1 AND entity = ?2 ORDER BY id",
                    )
                    .map_err(sql_err)?;
                let rows = st
                    .query_map(params![ns, entity], |r| r.get::<_, String>(0))
                    .map_err(sql_err)?;
                let mut out = Vec::new();
                for text in rows {
                    out.push(serde_json::from_str(&text.map_err(sql_err)?).unwrap_or(Value::Null));
                }
                Ok(out)
            }
        }
    }

    /// Entities of a type whose `field` equals `value`, ordered by id.
    pub fn query(
        &self,
        ns: &str,
        entity: &str,
        field: &str,
        value: &Value,
    ) -> Result<Vec<Value>, String> {
        Ok(self
            .list(ns, entity)?
            .into_iter()
            .filter(|e| e.get(field) == Some(value))
            .collect())
    }

    /// Number of entities of a type.
    pub fn count(&self, ns: &str, entity: &str) -> Result<usize, String> {
        match &self.backend {
            Backend::Memory(m) => Ok(lock(m)
                .entities
                .get(&key(ns, entity))
                .map_or(0, BTreeMap::len)),
            Backend::Sqlite(c) => lock(c)
                .prepare_cached("SELECT count(*) FROM entities WHERE ns = ?1 AND entity = ?2")
                .and_then(|mut s| s.query_row(params![ns, entity], |r| r.get::<_, i64>(0)))
                .map(|n| n as usize)
                .map_err(sql_err),
        }
    }

    /// Atomically increment counter `name`; returns the new value (the first is 1).
    pub fn counter(&self, ns: &str, name: &str) -> Result<i64, String> {
        match &self.backend {
            Backend::Memory(m) => {
                let mut mem = lock(m);
                let v = mem.counters.entry(key(ns, name)).or_insert(0);
                *v += 1;
                Ok(*v)
            }
            Backend::Sqlite(c) => lock(c)
                .prepare_cached("INSERT INTO counters (ns, name, value) VALUES (?1, ?2, 1) ON CONFLICT (ns, name) DO UPDATE SET value = value + 1 RETURNING value")
                .and_then(|mut s| s.query_row(params![ns, name], |r| r.get(0)))
                .map_err(sql_err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exercise(s: &StateStore) {
        s.put("n", "orders", "b", json!({"id": "b", "status": "draft"}))
            .unwrap();
        s.put("n", "orders", "a", json!({"id": "a", "status": "paid"}))
            .unwrap();
        s.put_if_absent("n", "orders", "a", json!({"id": "a", "status": "lost"}))
            .unwrap();
        assert_eq!(
            s.get("n", "orders", "a").unwrap().unwrap()["status"],
            "paid"
        );
        assert_eq!(s.get("other", "orders", "a").unwrap(), None);
        assert_eq!(s.list("n", "orders").unwrap()[0]["id"], "a");
        assert_eq!(
            s.query("n", "orders", "status", &json!("draft"))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(s.count("n", "orders").unwrap(), 2);
        assert!(s.delete("n", "orders", "a").unwrap());
        assert!(!s.delete("n", "orders", "a").unwrap());
        assert_eq!(
            (
                s.counter("n", "seq").unwrap(),
                s.counter("n", "seq").unwrap()
            ),
            (1, 2)
        );
    }

    #[test]
    fn memory_and_sqlite_behave_alike() {
        exercise(&StateStore::memory());
        let dir = std::env::temp_dir().join(format!("wippy-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.db");
        let _ = std::fs::remove_file(&path);
        exercise(&StateStore::sqlite(&path).unwrap());
        // Reopened, the data is there.
        let again = StateStore::sqlite(&path).unwrap();
        assert_eq!(again.count("n", "orders").unwrap(), 1);
        assert_eq!(again.counter("n", "seq").unwrap(), 3);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
