//! `sql` over SQLite (rusqlite, bundled) for `db.sql.sqlite` entries (`file:` a path relative to
//! the project root, or `":memory:"`): `sql.get`, `DB`/`Statement`/`Transaction` ([`db`]), typed
//! parameters (`sql.as.*`, `sql.NULL`), type and isolation constants, and the query builder
//! (`builder.lua`) (manifest: sql.json; runtime `sql/spec.md`).

mod db;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::rc::Rc;

use mlua::{Lua, LuaString, Table, Value};
use rusqlite::types::Value as Sql;
use rusqlite::Connection;

use super::errors::new_error;
use super::reg::{internal, not_found, Reg};
use db::{Db, Typed};

/// The databases a runtime can open, and the connections it has open (one per database).
#[derive(Debug, Default)]
pub struct SqlState {
    /// `ns:name` → `file:` of each `db.sql.sqlite` entry.
    pub databases: BTreeMap<String, String>,
    /// Directory relative `file:` paths resolve against.
    pub root: PathBuf,
    open: RefCell<HashMap<String, Rc<Connection>>>,
}

impl SqlState {
    /// State for `databases` (id → `file:`), resolving relative files against `root`.
    pub fn new(databases: BTreeMap<String, String>, root: PathBuf) -> SqlState {
        SqlState {
            databases,
            root,
            open: RefCell::default(),
        }
    }

    fn connect(&self, name: &str) -> Result<(String, Rc<Connection>), super::reg::Failure> {
        let id = if self.databases.contains_key(name) {
            name.to_owned()
        } else {
            let mut by_name = self
                .databases
                .keys()
                .filter(|k| k.rsplit(':').next() == Some(name));
            match (by_name.next(), by_name.next()) {
                (Some(only), None) => only.clone(),
                _ => {
                    return Err(not_found(format!(
                        "sql.get: no db.sql.sqlite entry `{name}` in this program"
                    )))
                }
            }
        };
        if let Some(c) = self.open.borrow().get(&id) {
            return Ok((id, c.clone()));
        }
        let file = &self.databases[&id];
        let conn = if file == ":memory:" || file.is_empty() {
            Connection::open_in_memory()
        } else {
            let path = self.root.join(file);
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            Connection::open(&path)
        }
        .map_err(|e| internal(format!("sql.get: cannot open `{id}` ({file}): {e}")))?;
        let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
        let conn = Rc::new(conn);
        self.open.borrow_mut().insert(id.clone(), conn.clone());
        Ok((id, conn))
    }

    /// Roll back every transaction a finished call left open (Wippy: "rolled back on process
    /// cleanup if not committed").
    pub fn cleanup(&self) {
        for c in self.open.borrow().values() {
            if !c.is_autocommit() {
                let _ = c.execute_batch("ROLLBACK");
            }
        }
    }
}

fn typed(lua: &Lua, v: Sql) -> mlua::Result<mlua::AnyUserData> {
    lua.create_userdata(Typed(v))
}

/// The `sql` module table over `state`.
pub fn module(lua: &Lua, state: &Rc<SqlState>) -> mlua::Result<Table> {
    let r = Reg::new(lua, "sql")?;
    let s = state.clone();
    r.fallible("get", 1, Some(1), move |lua, name: String| {
        let (id, conn) = s.connect(&name)?;
        Ok(lua.create_userdata(Db { id, conn })?)
    })?;
    r.constant("NULL", typed(lua, Sql::Null)?)?;
    let ty = r.sub("type")?;
    for (k, v) in [
        ("POSTGRES", "postgres"),
        ("MYSQL", "mysql"),
        ("SQLITE", "sqlite"),
        ("UNKNOWN", "unknown"),
    ] {
        ty.constant(k, v)?;
    }
    let iso = r.sub("isolation")?;
    for k in [
        "DEFAULT",
        "READ_UNCOMMITTED",
        "READ_COMMITTED",
        "WRITE_COMMITTED",
        "REPEATABLE_READ",
        "SERIALIZABLE",
    ] {
        iso.constant(k, k.to_ascii_lowercase())?;
    }
    let as_ = r.sub("as")?;
    as_.plain("int", 1, Some(1), |lua, v: f64| {
        typed(lua, Sql::Integer(v as i64))
    })?;
    as_.plain("float", 1, Some(1), |lua, v: f64| typed(lua, Sql::Real(v)))?;
    as_.plain("text", 1, Some(1), |lua, v: Value| {
        let s = lua
            .coerce_string(v)?
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        typed(lua, Sql::Text(s))
    })?;
    as_.plain("binary", 1, Some(1), |lua, v: LuaString| {
        typed(lua, Sql::Blob(v.as_bytes().to_vec()))
    })?;
    as_.plain("null", 0, Some(0), |lua, ()| typed(lua, Sql::Null))?;

    let host = lua.create_table()?;
    host.set(
        "is_null",
        lua.create_function(|_, v: Value| {
            Ok(match v {
                Value::UserData(u) => u.borrow::<Typed>().is_ok_and(|t| t.0 == Sql::Null),
                _ => false,
            })
        })?,
    )?;
    host.set(
        "invalid",
        lua.create_function(|lua, m: String| new_error(lua, "Invalid", &m))?,
    )?;
    let builder: Table = lua
        .load(include_str!("builder.lua"))
        .set_name("=sql.builder")
        .set_mode(mlua::chunk::ChunkMode::Text)
        .call(host)?;
    builder.set_readonly(true);
    r.constant("builder", builder)?;
    Ok(r.table().clone())
}
