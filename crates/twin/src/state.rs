//! The twin state store: entities (JSON documents by entity type and id) and counters, per
//! namespace, in memory or in SQLite (WAL; a write is committed before its response is sent,
//! so answered writes survive a kill of the server) (seed: handlers' `state` global).
//!
//! `list` and `query` return one [`Page`] at a time, in id order: at most [`MAX_PAGE`]
//! entities, at most the bytes and the time the calling invocation has left, so one call on a
//! million entities is neither seconds nor gigabytes; `after` continues from the last id seen.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

type Key = (String, String);

/// Most entities one `list` or `query` call returns.
pub const MAX_PAGE: usize = 1000;

/// Which part of a `list` or `query` to return.
#[derive(Clone, Debug)]
pub struct Page {
    /// Most entities (at most [`MAX_PAGE`]).
    pub limit: usize,
    /// Only ids after this one.
    pub after: Option<String>,
    /// Most bytes of entities (JSON text) to gather; more is [`StoreError::Memory`].
    pub max_bytes: usize,
    /// When to give up with [`StoreError::Time`] (checked every 256 entities read).
    pub deadline: Option<Instant>,
}

impl Default for Page {
    /// The first [`MAX_PAGE`] entities, no byte or time bound.
    fn default() -> Self {
        Page {
            limit: MAX_PAGE,
            after: None,
            max_bytes: usize::MAX,
            deadline: None,
        }
    }
}

/// Why a store call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// A page would pass [`Page::max_bytes`].
    Memory,
    /// [`Page::deadline`] passed.
    Time,
    /// SQLite failed (the message).
    Other(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Memory => f.write_str("the page is larger than the memory left"),
            StoreError::Time => f.write_str("ran past the deadline"),
            StoreError::Other(m) => f.write_str(m),
        }
    }
}

/// An entity in memory with the size of its JSON text (what a page is charged).
struct Stored {
    value: Value,
    bytes: usize,
}

/// Bytes of `v` as JSON text, computed once when it is stored.
fn text_bytes(v: &Value) -> usize {
    serde_json::to_vec(v).map_or(0, |t| t.len())
}

#[derive(Default)]
struct Memory {
    entities: HashMap<Key, BTreeMap<String, Stored>>,
    counters: HashMap<Key, i64>,
}

/// Gathers one page: counts entities and bytes, watches the clock.
struct Gather<'a> {
    page: &'a Page,
    out: Vec<Value>,
    bytes: usize,
    read: usize,
}

impl<'a> Gather<'a> {
    fn new(page: &'a Page) -> Self {
        Gather {
            page,
            out: Vec::new(),
            bytes: 0,
            read: 0,
        }
    }

    /// One entity read; `keep` when it belongs in the page. `Ok(false)` once the page is full.
    fn take(
        &mut self,
        bytes: usize,
        keep: impl FnOnce() -> Option<Value>,
    ) -> Result<bool, StoreError> {
        self.read += 1;
        if self.read & 255 == 0 && self.page.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(StoreError::Time);
        }
        if let Some(v) = keep() {
            self.bytes = self.bytes.saturating_add(bytes);
            if self.bytes > self.page.max_bytes {
                return Err(StoreError::Memory);
            }
            self.out.push(v);
        }
        Ok(self.out.len() < self.page.limit.min(MAX_PAGE))
    }
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

fn sql_err(e: rusqlite::Error) -> StoreError {
    StoreError::Other(format!("state store: {e}"))
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
            .map_err(|e| sql_err(e).to_string())?;
        Ok(StateStore {
            backend: Backend::Sqlite(Mutex::new(conn)),
        })
    }

    /// Entity `id` of type `entity`.
    pub fn get(&self, ns: &str, entity: &str, id: &str) -> Result<Option<Value>, StoreError> {
        match &self.backend {
            Backend::Memory(m) => Ok(lock(m)
                .entities
                .get(&key(ns, entity))
                .and_then(|t| t.get(id))
                .map(|s| s.value.clone())),
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
    pub fn put(&self, ns: &str, entity: &str, id: &str, data: Value) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Memory(m) => {
                let bytes = text_bytes(&data);
                lock(m).entities.entry(key(ns, entity)).or_default().insert(id.to_owned(), Stored { value: data, bytes });
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
                let bytes = text_bytes(&data);
                lock(m)
                    .entities
                    .entry(key(ns, entity))
                    .or_default()
                    .entry(id.to_owned())
                    .or_insert(Stored { value: data, bytes });
                Ok(())
            }
            Backend::Sqlite(c) => lock(c)
                .prepare_cached(
                    "INSERT OR IGNORE INTO entities (ns, entity, id, data) VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![ns, entity, id, data.to_string()]))
                .map(|_| ())
                .map_err(|e| sql_err(e).to_string()),
        }
    }

    /// Remove entity `id`; whether it existed.
    pub fn delete(&self, ns: &str, entity: &str, id: &str) -> Result<bool, StoreError> {
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

    /// One page of the entities of a type, ordered by id.
    pub fn list(&self, ns: &str, entity: &str, page: &Page) -> Result<Vec<Value>, StoreError> {
        self.scan(ns, entity, page, |_| true)
    }

    /// One page of the entities of a type whose `field` equals `value`, ordered by id; every
    /// entity read on the way counts against the page's deadline.
    pub fn query(
        &self,
        ns: &str,
        entity: &str,
        field: &str,
        value: &Value,
        page: &Page,
    ) -> Result<Vec<Value>, StoreError> {
        self.scan(ns, entity, page, |e| e.get(field) == Some(value))
    }

    /// Walk the entities of a type in id order after `page.after`, keeping those `keep` accepts.
    fn scan(
        &self,
        ns: &str,
        entity: &str,
        page: &Page,
        keep: impl Fn(&Value) -> bool,
    ) -> Result<Vec<Value>, StoreError> {
        let mut g = Gather::new(page);
        match &self.backend {
            Backend::Memory(m) => {
                let mem = lock(m);
                let Some(t) = mem.entities.get(&key(ns, entity)) else {
                    return Ok(Vec::new());
                };
                let from = match &page.after {
                    Some(a) => Bound::Excluded(a.as_str()),
                    None => Bound::Unbounded,
                };
                for (_, s) in t.range::<str, _>((from, Bound::Unbounded)) {
                    if !g.take(s.bytes, || keep(&s.value).then(|| s.value.clone()))? {
                        break;
                    }
                }
            }
            Backend::Sqlite(c) => {
                let conn = lock(c);
                let mut st = conn
                    .prepare_cached(
                        "SELECT data FROM entities WHERE ns = ?1 AND entity = ?2 AND id > ?3 ORDER BY id",
                    )
                    .map_err(sql_err)?;
                let after = page.after.as_deref().unwrap_or("");
                let mut rows = st.query(params![ns, entity, after]).map_err(sql_err)?;
                while let Some(row) = rows.next().map_err(sql_err)? {
                    let text = row.get_ref(0).map_err(sql_err)?;
                    let text = text
                        .as_str()
                        .map_err(|e| StoreError::Other(e.to_string()))?;
                    let keep_it = || {
                        let v = serde_json::from_str(text).unwrap_or(Value::Null);
                        keep(&v).then_some(v)
                    };
                    if !g.take(text.len(), keep_it)? {
                        break;
                    }
                }
            }
        }
        Ok(g.out)
    }

    /// Number of entities of a type.
    pub fn count(&self, ns: &str, entity: &str) -> Result<usize, StoreError> {
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
    pub fn counter(&self, ns: &str, name: &str) -> Result<i64, StoreError> {
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
        assert_eq!(
            s.list("n", "orders", &Page::default()).unwrap()[0]["id"],
            "a"
        );
        assert_eq!(
            s.query("n", "orders", "status", &json!("draft"), &Page::default())
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

    /// 2,500 entities: pages of 1,000 by default, `after` continues, bytes and time bound a page.
    fn pages(s: &StateStore) {
        for i in 0..2_500 {
            let id = format!("e{i:05}");
            s.put("n", "items", &id, json!({"id": id, "odd": i % 2 == 1}))
                .unwrap();
        }
        let first = s.list("n", "items", &Page::default()).unwrap();
        assert_eq!(first.len(), MAX_PAGE);
        let mut seen = first.len();
        let mut after = first.last().unwrap()["id"].as_str().map(str::to_owned);
        loop {
            let page = Page {
                after: after.clone(),
                ..Page::default()
            };
            let rows = s.list("n", "items", &page).unwrap();
            if rows.is_empty() {
                break;
            }
            seen += rows.len();
            after = rows.last().unwrap()["id"].as_str().map(str::to_owned);
        }
        assert_eq!(seen, 2_500);
        let few = Page {
            limit: 10,
            ..Page::default()
        };
        let odd = s.query("n", "items", "odd", &json!(true), &few).unwrap();
        assert_eq!(odd.len(), 10);
        assert_eq!(odd[0]["id"], "e00001");
        let small = Page {
            max_bytes: 4096,
            ..Page::default()
        };
        assert_eq!(s.list("n", "items", &small), Err(StoreError::Memory));
        let late = Page {
            deadline: Some(Instant::now()),
            ..Page::default()
        };
        // A query matching nothing still reads every entity: the deadline stops it.
        assert_eq!(
            s.query("n", "items", "odd", &json!("never"), &late),
            Err(StoreError::Time)
        );
    }

    #[test]
    fn list_and_query_are_paged_and_bounded() {
        pages(&StateStore::memory());
        let dir = std::env::temp_dir().join(format!("wippy-state-pages-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.db");
        let _ = std::fs::remove_file(&path);
        pages(&StateStore::sqlite(&path).unwrap());
        let _ = std::fs::remove_dir_all(&dir);
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
