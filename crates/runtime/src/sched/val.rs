//! Values that cross from one process to another: a message payload, spawn arguments, a
//! process result. Each process is its own Lua world (wippy-facts §1.1: one state per process),
//! so a value is copied out of the sender into a [`Val`] tree (`Send`, so it can cross worker
//! threads) and rebuilt in the receiver — tables are copied deeply, a table reachable twice is
//! copied twice, and a cycle, a function, a coroutine or a foreign userdata is an error naming
//! what could not be sent. Structured errors and payloads keep their identity.

use mlua::{Lua, Table, Value};

use crate::modules::errors;

/// Deepest table nesting a value may have (as `json.encode`, runtime `json/spec.md`).
pub const MAX_DEPTH: usize = 128;

/// A copied value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// `nil`.
    Nil,
    /// A boolean.
    Bool(bool),
    /// A number (Luau has one number type, a double).
    Num(f64),
    /// A string (bytes).
    Str(Vec<u8>),
    /// A table: its pairs, array part first in order.
    Table(Vec<(Val, Val)>),
    /// A structured error (`errors.new`): kind, message, retryable flag, details.
    Error(Box<ErrorVal>),
    /// A payload (`payload.new`, `msg:payload()`): format and data.
    Payload(Box<(String, Val)>),
}

/// The parts of a structured error.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorVal {
    /// Kind as the Wippy VM spells it (`NotFound`, `Invalid`, …; empty when unknown).
    pub kind: String,
    /// Message.
    pub message: String,
    /// `retryable`, if set.
    pub retryable: Option<bool>,
    /// `details`, if set.
    pub details: Val,
}

impl Val {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Val {
        Val::Str(s.into().into_bytes())
    }

    /// A table of string keys.
    pub fn record(fields: Vec<(&str, Val)>) -> Val {
        Val::Table(
            fields
                .into_iter()
                .filter(|(_, v)| *v != Val::Nil)
                .map(|(k, v)| (Val::str(k), v))
                .collect(),
        )
    }

    /// An error value of `kind` with `message`.
    pub fn error(kind: &str, message: impl Into<String>) -> Val {
        Val::Error(Box::new(ErrorVal {
            kind: kind.to_owned(),
            message: message.into(),
            retryable: None,
            details: Val::Nil,
        }))
    }

    /// The field `key` of a table value.
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Table(pairs) => pairs
                .iter()
                .find(|(k, _)| matches!(k, Val::Str(s) if s == key.as_bytes()))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(String::from_utf8_lossy(s).into_owned()),
            _ => None,
        }
    }

    /// How the value reads in a message: strings as they are, errors as their message, others
    /// in a short Lua-like form.
    pub fn display(&self) -> String {
        match self {
            Val::Nil => "nil".into(),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) => number_text(*n),
            Val::Str(s) => String::from_utf8_lossy(s).into_owned(),
            Val::Table(_) => "table".into(),
            Val::Error(e) => e.message.clone(),
            Val::Payload(p) => format!("payload{{format={}}}", p.0),
        }
    }

    /// The value as JSON (`wippy run` prints results so): tables follow the `json` module's
    /// rules, errors become their message, payloads their data.
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        use serde_json::Value as J;
        Ok(match self {
            Val::Nil => J::Null,
            Val::Bool(b) => J::Bool(*b),
            Val::Num(n) => {
                if !n.is_finite() {
                    J::Null
                } else if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
                    J::from(*n as i64)
                } else {
                    serde_json::Number::from_f64(*n).map_or(J::Null, J::Number)
                }
            }
            Val::Str(s) => J::String(String::from_utf8_lossy(s).into_owned()),
            Val::Error(e) => J::String(e.message.clone()),
            Val::Payload(p) => p.1.to_json()?,
            Val::Table(pairs) => {
                if pairs.is_empty() {
                    return Ok(J::Array(Vec::new()));
                }
                let array = pairs
                    .iter()
                    .enumerate()
                    .all(|(i, (k, _))| *k == Val::Num((i + 1) as f64));
                if array {
                    J::Array(
                        pairs
                            .iter()
                            .map(|(_, v)| v.to_json())
                            .collect::<Result<_, _>>()?,
                    )
                } else {
                    let mut map = serde_json::Map::new();
                    for (k, v) in pairs {
                        let Val::Str(k) = k else {
                            return Err("mixed-key table (both numeric and string keys)".into());
                        };
                        map.insert(String::from_utf8_lossy(k).into_owned(), v.to_json()?);
                    }
                    J::Object(map)
                }
            }
        })
    }

    /// A JSON value as a value (`wippy run --args`).
    pub fn from_json(j: &serde_json::Value) -> Val {
        use serde_json::Value as J;
        match j {
            J::Null => Val::Nil,
            J::Bool(b) => Val::Bool(*b),
            J::Number(n) => Val::Num(n.as_f64().unwrap_or(0.0)),
            J::String(s) => Val::str(s.clone()),
            J::Array(a) => Val::Table(
                a.iter()
                    .enumerate()
                    .map(|(i, v)| (Val::Num((i + 1) as f64), Val::from_json(v)))
                    .collect(),
            ),
            // A `null` member is absent, as in a Lua table.
            J::Object(o) => Val::Table(
                o.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (Val::str(k.clone()), Val::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// A number as Lua prints it (`3`, `0.5`).
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Registry key of the function that says whether a value is a payload and gives its format
/// and data (set by the scheduler prelude).
pub const PAYLOAD_PARTS: &str = "wippy.payload_parts";
/// Registry key of the prelude's payload constructor `(format, data) -> Payload`.
pub const PAYLOAD_NEW: &str = "wippy.payload_new";

/// Copy a Lua value out of its process; `what` names the operation for errors
/// (`process.send: cannot send a function`).
pub fn from_lua(lua: &Lua, v: &Value, what: &str) -> Result<Val, String> {
    // Scalars need nothing else; tables may hold payloads, recognised by the prelude.
    match v {
        Value::Nil => return Ok(Val::Nil),
        Value::Boolean(b) => return Ok(Val::Bool(*b)),
        Value::Number(n) => return Ok(Val::Num(*n)),
        Value::String(s) => return Ok(Val::Str(s.as_bytes().to_vec())),
        _ => {}
    }
    let parts: Option<mlua::Function> = lua.named_registry_value(PAYLOAD_PARTS).ok();
    let mut path = Vec::new();
    copy(v, &parts, &mut path).map_err(|e| format!("{what}: {e}"))
}

fn copy(v: &Value, parts: &Option<mlua::Function>, path: &mut Vec<usize>) -> Result<Val, String> {
    Ok(match v {
        Value::Nil => Val::Nil,
        Value::Boolean(b) => Val::Bool(*b),
        Value::Integer(i) => Val::Num(*i as f64),
        Value::Number(n) => Val::Num(*n),
        Value::String(s) => Val::Str(s.as_bytes().to_vec()),
        Value::LightUserData(p) if p.0.is_null() => Val::Nil,
        // An error a Rust function raised: its message.
        Value::Error(e) => Val::Str(host::error_line(e).into_bytes()),
        Value::Table(t) => {
            if let Some(message) = errors::message_of(t) {
                return error_val(t, message, parts, path);
            }
            if t.metatable().is_some() {
                if let Some(Ok((Value::String(format), data))) =
                    parts.as_ref().map(|f| f.call::<(Value, Value)>(t))
                {
                    let data = copy(&data, parts, path)?;
                    return Ok(Val::Payload(Box::new((format.to_string_lossy(), data))));
                }
            }
            table(t, parts, path)?
        }
        Value::UserData(_) => return Err(format!("cannot send a {} value", describe(v))),
        other => return Err(format!("cannot send a {}", other.type_name())),
    })
}

fn describe(v: &Value) -> String {
    match v {
        Value::UserData(u) => u
            .metatable()
            .ok()
            .and_then(|m| m.get::<String>("__name").ok())
            .unwrap_or_else(|| "userdata".into()),
        other => other.type_name().into(),
    }
}

fn error_val(
    t: &Table,
    message: String,
    parts: &Option<mlua::Function>,
    path: &mut Vec<usize>,
) -> Result<Val, String> {
    let details: Value = t.raw_get("__details").unwrap_or(Value::Nil);
    Ok(Val::Error(Box::new(ErrorVal {
        kind: t
            .raw_get::<Option<String>>("__kind")
            .ok()
            .flatten()
            .unwrap_or_default(),
        message,
        retryable: t.raw_get::<Option<bool>>("__retryable").ok().flatten(),
        details: copy(&details, parts, path)?,
    })))
}

fn table(t: &Table, parts: &Option<mlua::Function>, path: &mut Vec<usize>) -> Result<Val, String> {
    let ptr = t.to_pointer() as usize;
    if path.contains(&ptr) {
        return Err("cannot send a table that contains itself".into());
    }
    if path.len() >= MAX_DEPTH {
        return Err(format!(
            "cannot send a table nested deeper than {MAX_DEPTH} levels"
        ));
    }
    path.push(ptr);
    let mut out = Vec::new();
    let n = t.raw_len();
    for i in 1..=n {
        let v: Value = t.raw_get(i).map_err(|e| e.to_string())?;
        out.push((Val::Num(i as f64), copy(&v, parts, path)?));
    }
    for pair in t.pairs::<Value, Value>() {
        let (k, v) = pair.map_err(|e| e.to_string())?;
        if let Value::Integer(i) = k {
            if i >= 1 && (i as usize) <= n {
                continue;
            }
        }
        if let Value::Number(f) = k {
            if f.fract() == 0.0 && f >= 1.0 && (f as usize) <= n {
                continue;
            }
        }
        out.push((copy(&k, parts, path)?, copy(&v, parts, path)?));
    }
    path.pop();
    Ok(Val::Table(out))
}

/// Rebuild a value in the receiving process.
pub fn to_lua(lua: &Lua, v: &Val) -> mlua::Result<Value> {
    Ok(match v {
        Val::Nil => Value::Nil,
        Val::Bool(b) => Value::Boolean(*b),
        Val::Num(n) => Value::Number(*n),
        Val::Str(s) => Value::String(lua.create_string(s)?),
        Val::Table(pairs) => {
            let t = lua.create_table_with_capacity(0, pairs.len())?;
            for (k, v) in pairs {
                t.raw_set(to_lua(lua, k)?, to_lua(lua, v)?)?;
            }
            Value::Table(t)
        }
        Val::Error(e) => {
            let t = errors::new_error(lua, &e.kind, &e.message)?;
            t.raw_set("__retryable", e.retryable)?;
            t.raw_set("__details", to_lua(lua, &e.details)?)?;
            Value::Table(t)
        }
        Val::Payload(p) => {
            let make: mlua::Function = lua.named_registry_value(PAYLOAD_NEW)?;
            make.call((p.0.as_str(), to_lua(lua, &p.1)?))?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_copy_deeply_and_cycles_are_errors() {
        let lua = Lua::new();
        let v: Value = lua
            .load("local shared = {1} return {a = shared, b = shared, [3] = true, list = {1, 2}}")
            .eval()
            .unwrap();
        let val = from_lua(&lua, &v, "test").unwrap();
        let back = to_lua(&lua, &val).unwrap();
        let check: mlua::Function = lua
            .load("return function(t) return t.a ~= t.b and t.a[1] == 1 and t[3] and #t.list == 2 end")
            .eval()
            .unwrap();
        assert!(check.call::<bool>(back).unwrap());
        let cyclic: Value = lua.load("local t = {} t.self = t return t").eval().unwrap();
        let e = from_lua(&lua, &cyclic, "process.send").unwrap_err();
        assert!(
            e.contains("process.send: cannot send a table that contains itself"),
            "{e}"
        );
        let f: Value = lua.load("return print").eval().unwrap();
        assert!(from_lua(&lua, &f, "x").unwrap_err().contains("function"));
    }

    #[test]
    fn json_forms() {
        let v = Val::from_json(&serde_json::json!({"a": [1, 2.5, "x"], "b": null}));
        assert_eq!(
            v.to_json().unwrap(),
            serde_json::json!({"a": [1, 2.5, "x"]})
        );
        assert_eq!(Val::error("Invalid", "bad").to_json().unwrap(), "bad");
    }
}
