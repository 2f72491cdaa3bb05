//! SQLite handles for the `sql` module: `DB`, `Statement` and `Transaction` userdata over one
//! rusqlite connection per database and runtime. Parameters are given as one array table
//! (`db:query("… WHERE id = ?", {id})`, as Wippy's runtime reads them) or as extra arguments.

use std::cell::Cell;
use std::rc::Rc;

use mlua::{Lua, MultiValue, Table, UserData, UserDataMethods, Value};
use rusqlite::types::Value as Sql;
use rusqlite::Connection;

use super::super::errors::new_error;

/// An SQL parameter with an explicit type (`sql.as.int(v)`, `sql.NULL`, …).
#[derive(Clone, Debug)]
pub struct Typed(pub Sql);

impl UserData for Typed {}

/// A database handle (`sql.get`).
#[derive(Clone)]
pub struct Db {
    /// Registry id of the `db.sql.sqlite` entry.
    pub id: String,
    /// The connection.
    pub conn: Rc<Connection>,
}

/// A prepared statement (the SQL is re-prepared through the connection's statement cache).
#[derive(Clone)]
struct Statement {
    conn: Rc<Connection>,
    sql: String,
    closed: Rc<Cell<bool>>,
}

/// An open transaction on a connection (`BEGIN` … `COMMIT`/`ROLLBACK`).
#[derive(Clone)]
struct Transaction {
    conn: Rc<Connection>,
    done: Rc<Cell<bool>>,
}

fn param(v: &Value) -> mlua::Result<Sql> {
    Ok(match v {
        Value::Nil => Sql::Null,
        Value::Boolean(b) => Sql::Integer(i64::from(*b)),
        Value::Integer(i) => Sql::Integer(*i),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.2e18 => Sql::Integer(*n as i64),
        Value::Number(n) => Sql::Real(*n),
        Value::String(s) => match s.to_str() {
            Ok(t) => Sql::Text(t.to_string()),
            Err(_) => Sql::Blob(s.as_bytes().to_vec()),
        },
        Value::UserData(u) => u.borrow::<Typed>()?.0.clone(),
        other => {
            return Err(mlua::Error::runtime(format!(
                "cannot bind a {} as an SQL parameter",
                other.type_name()
            )))
        }
    })
}

/// Parameters from a call's extra arguments: one array table, or the arguments themselves.
fn params(args: &MultiValue) -> mlua::Result<Vec<Sql>> {
    if let [Value::Table(t)] = args.iter().collect::<Vec<_>>()[..] {
        let n = t.raw_len();
        return (1..=n).map(|i| param(&t.raw_get::<Value>(i)?)).collect();
    }
    args.iter().map(param).collect()
}

fn column(lua: &Lua, v: rusqlite::types::ValueRef<'_>) -> mlua::Result<Value> {
    use rusqlite::types::ValueRef as R;
    Ok(match v {
        R::Null => Value::Nil,
        R::Integer(i) => Value::Number(i as f64),
        R::Real(f) => Value::Number(f),
        R::Text(t) | R::Blob(t) => Value::String(lua.create_string(t)?),
    })
}

/// `(value)` or `(nil, error)` from an SQL result.
fn answer(lua: &Lua, r: Result<Value, String>) -> mlua::Result<MultiValue> {
    match r {
        Ok(v) => Ok(MultiValue::from_iter([v])),
        Err(m) => Ok(MultiValue::from_iter([
            Value::Nil,
            Value::Table(new_error(lua, "Internal", &m)?),
        ])),
    }
}

fn query(lua: &Lua, conn: &Connection, sql: &str, args: &MultiValue) -> mlua::Result<MultiValue> {
    let params = params(args)?;
    let run = || -> Result<Table, String> {
        let mut st = conn.prepare_cached(sql).map_err(|e| e.to_string())?;
        let names: Vec<String> = st.column_names().iter().map(|s| s.to_string()).collect();
        let mut rows = st
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| e.to_string())?;
        let out = lua.create_table().map_err(|e| e.to_string())?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(|e| e.to_string())? {
            let t = lua
                .create_table_with_capacity(0, names.len())
                .map_err(|e| e.to_string())?;
            for (i, name) in names.iter().enumerate() {
                let v = row.get_ref(i).map_err(|e| e.to_string())?;
                t.raw_set(name.as_str(), column(lua, v).map_err(|e| e.to_string())?)
                    .map_err(|e| e.to_string())?;
            }
            n += 1;
            out.raw_set(n, t).map_err(|e| e.to_string())?;
        }
        Ok(out)
    };
    answer(lua, run().map(Value::Table))
}

fn execute(lua: &Lua, conn: &Connection, sql: &str, args: &MultiValue) -> mlua::Result<MultiValue> {
    let params = params(args)?;
    let run = || -> Result<Table, String> {
        let mut st = conn.prepare_cached(sql).map_err(|e| e.to_string())?;
        let n = st
            .execute(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| e.to_string())?;
        let t = lua.create_table().map_err(|e| e.to_string())?;
        t.set("rows_affected", n as f64)
            .map_err(|e| e.to_string())?;
        t.set("last_insert_id", conn.last_insert_rowid() as f64)
            .map_err(|e| e.to_string())?;
        Ok(t)
    };
    answer(lua, run().map(Value::Table))
}

fn batch(lua: &Lua, conn: &Connection, sql: &str) -> mlua::Result<MultiValue> {
    answer(
        lua,
        conn.execute_batch(sql)
            .map(|_| Value::Boolean(true))
            .map_err(|e| e.to_string()),
    )
}

/// A savepoint name, checked to be an identifier (it is spliced into SQL).
fn ident(name: &str) -> Result<&str, String> {
    let ok = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    ok.then_some(name)
        .ok_or_else(|| format!("invalid savepoint name `{name}`"))
}

fn split(args: MultiValue) -> (Option<String>, MultiValue) {
    let mut it = args.into_iter();
    let sql = match it.next() {
        Some(Value::String(s)) => Some(s.to_string_lossy()),
        _ => None,
    };
    (sql, it.collect())
}

fn need_sql(lua: &Lua, sql: Option<String>) -> Result<String, mlua::Result<MultiValue>> {
    sql.ok_or_else(|| {
        answer(
            lua,
            Err("expected an SQL string as the first argument".into()),
        )
    })
}

impl UserData for Db {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("type", |_, _, ()| Ok("sqlite"));
        m.add_method("query", |lua, db, args: MultiValue| {
            let (sql, rest) = split(args);
            match need_sql(lua, sql) {
                Ok(sql) => query(lua, &db.conn, &sql, &rest),
                Err(e) => e,
            }
        });
        m.add_method("execute", |lua, db, args: MultiValue| {
            let (sql, rest) = split(args);
            match need_sql(lua, sql) {
                Ok(sql) => execute(lua, &db.conn, &sql, &rest),
                Err(e) => e,
            }
        });
        m.add_method("prepare", |lua, db, sql: String| {
            prepare(lua, &db.conn, sql)
        });
        m.add_method("begin", |lua, db, _opts: Value| {
            let r = db.conn.execute_batch("BEGIN").map_err(|e| e.to_string());
            match r {
                Ok(()) => Ok(MultiValue::from_iter([Value::UserData(
                    lua.create_userdata(Transaction {
                        conn: db.conn.clone(),
                        done: Rc::new(Cell::new(false)),
                    })?,
                )])),
                Err(e) => answer(lua, Err(e)),
            }
        });
        m.add_method("release", |_, _, ()| Ok(true));
        m.add_method("stats", |lua, _, ()| {
            let t = lua.create_table()?;
            for k in ["max_open_connections", "open_connections", "in_use"] {
                t.set(k, 1)?;
            }
            for k in [
                "idle",
                "wait_count",
                "max_idle_closed",
                "max_idle_time_closed",
                "max_lifetime_closed",
            ] {
                t.set(k, 0)?;
            }
            t.set("wait_duration", "0s")?;
            Ok(t)
        });
        m.add_meta_method(mlua::MetaMethod::ToString, |_, db, ()| {
            Ok(format!("sql.DB({})", db.id))
        });
    }
}

fn prepare(lua: &Lua, conn: &Rc<Connection>, sql: String) -> mlua::Result<MultiValue> {
    if let Err(e) = conn.prepare_cached(&sql) {
        return answer(lua, Err(e.to_string()));
    }
    let st = Statement {
        conn: conn.clone(),
        sql,
        closed: Rc::new(Cell::new(false)),
    };
    Ok(MultiValue::from_iter([Value::UserData(
        lua.create_userdata(st)?,
    )]))
}

impl UserData for Statement {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("query", |lua, st, args: MultiValue| {
            if st.closed.get() {
                return answer(lua, Err("statement is closed".into()));
            }
            query(lua, &st.conn, &st.sql, &args)
        });
        m.add_method("execute", |lua, st, args: MultiValue| {
            if st.closed.get() {
                return answer(lua, Err("statement is closed".into()));
            }
            execute(lua, &st.conn, &st.sql, &args)
        });
        m.add_method("close", |_, st, ()| {
            st.closed.set(true);
            Ok(true)
        });
    }
}

impl Transaction {
    fn open(&self, lua: &Lua) -> Option<mlua::Result<MultiValue>> {
        self.done.get().then(|| {
            answer(
                lua,
                Err("transaction already committed or rolled back".into()),
            )
        })
    }
}

impl UserData for Transaction {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("query", |lua, tx, args: MultiValue| {
            if let Some(e) = tx.open(lua) {
                return e;
            }
            let (sql, rest) = split(args);
            match need_sql(lua, sql) {
                Ok(sql) => query(lua, &tx.conn, &sql, &rest),
                Err(e) => e,
            }
        });
        m.add_method("execute", |lua, tx, args: MultiValue| {
            if let Some(e) = tx.open(lua) {
                return e;
            }
            let (sql, rest) = split(args);
            match need_sql(lua, sql) {
                Ok(sql) => execute(lua, &tx.conn, &sql, &rest),
                Err(e) => e,
            }
        });
        m.add_method("prepare", |lua, tx, sql: String| match tx.open(lua) {
            Some(e) => e,
            None => prepare(lua, &tx.conn, sql),
        });
        m.add_method("db_type", |_, _, ()| Ok("sqlite"));
        m.add_method("commit", |lua, tx, ()| {
            if let Some(e) = tx.open(lua) {
                return e;
            }
            tx.done.set(true);
            batch(lua, &tx.conn, "COMMIT")
        });
        m.add_method("rollback", |lua, tx, name: Option<String>| {
            if let Some(e) = tx.open(lua) {
                return e;
            }
            match name {
                Some(n) => match ident(&n) {
                    Ok(n) => batch(lua, &tx.conn, &format!("ROLLBACK TO SAVEPOINT {n}")),
                    Err(e) => answer(lua, Err(e)),
                },
                None => {
                    tx.done.set(true);
                    batch(lua, &tx.conn, "ROLLBACK")
                }
            }
        });
        for (method, verb) in [
            ("savepoint", "SAVEPOINT"),
            ("rollback_to", "ROLLBACK TO SAVEPOINT"),
            ("release", "RELEASE SAVEPOINT"),
        ] {
            m.add_method(method, move |lua, tx, name: String| {
                if let Some(e) = tx.open(lua) {
                    return e;
                }
                match ident(&name) {
                    Ok(n) => batch(lua, &tx.conn, &format!("{verb} {n}")),
                    Err(e) => answer(lua, Err(e)),
                }
            });
        }
    }
}
