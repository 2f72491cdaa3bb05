//! Lua values ↔ JSON values, by the Wippy `json` module's rules (runtime `json/spec.md`):
//! `nil` ↔ `null`; sequences (1..n) and empty tables are arrays; string-keyed tables are objects;
//! sparse arrays, mixed keys, cycles and nesting deeper than [`MAX_DEPTH`] are errors; integral
//! numbers encode without a fraction; NaN and infinities encode as `null`. Used by `json`, `yaml`,
//! `sql` and by `wippy run` for arguments and results.

use mlua::{Lua, Table, Value};
use serde_json::{Map, Number, Value as Json};

/// Registry key of the metatable of Wippy structured error values (set by the runtime's
/// `errors` module); such a value converts to its message.
pub const ERROR_META: &str = "wippy.error_meta";

/// The message of a structured error value (`None` if `t` is not one).
pub fn error_message(t: &Table) -> Option<String> {
    let meta = t.metatable()?;
    let lua = t.weak_lua().try_upgrade()?;
    let ours: Table = lua.named_registry_value(ERROR_META).ok()?;
    if meta != ours {
        return None;
    }
    t.raw_get::<Option<String>>("__message").ok().flatten()
}

/// Deepest nesting `json.encode` accepts (runtime `json/spec.md`: 128 levels).
pub const MAX_DEPTH: usize = 128;

/// A Lua value as JSON, or why it has none (`"sparse array"`, `"mixed-key table"`, …).
pub fn to_json(v: &Value) -> Result<Json, String> {
    let mut stack = Vec::new();
    convert(v, &mut stack)
}

fn number(n: f64) -> Json {
    if !n.is_finite() {
        Json::Null
    } else if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Json::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

fn convert(v: &Value, stack: &mut Vec<usize>) -> Result<Json, String> {
    Ok(match v {
        Value::Nil => Json::Null,
        Value::Boolean(b) => Json::Bool(*b),
        Value::Integer(i) => Json::Number(Number::from(*i)),
        Value::Number(n) => number(*n),
        Value::String(s) => Json::String(s.to_string_lossy()),
        Value::Table(t) => {
            if let Some(message) = error_message(t) {
                return Ok(Json::String(message));
            }
            let ptr = t.to_pointer() as usize;
            if stack.contains(&ptr) {
                return Err("recursively nested table".into());
            }
            if stack.len() >= MAX_DEPTH {
                return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
            }
            stack.push(ptr);
            let out = table(t, stack);
            stack.pop();
            out?
        }
        Value::LightUserData(p) if p.0.is_null() => Json::Null,
        other => return Err(format!("cannot encode a {}", other.type_name())),
    })
}

fn table(t: &Table, stack: &mut Vec<usize>) -> Result<Json, String> {
    let mut ints: Vec<(i64, Value)> = Vec::new();
    let mut strs: Vec<(String, Value)> = Vec::new();
    for pair in t.pairs::<Value, Value>() {
        let (k, v) = pair.map_err(|e| e.to_string())?;
        match k {
            Value::Integer(i) => ints.push((i, v)),
            Value::Number(n) if n.fract() == 0.0 => ints.push((n as i64, v)),
            Value::String(s) => strs.push((s.to_string_lossy(), v)),
            other => {
                return Err(format!(
                    "cannot encode a table key of type {}",
                    other.type_name()
                ))
            }
        }
    }
    if !ints.is_empty() && !strs.is_empty() {
        return Err("mixed-key table (both numeric and string keys)".into());
    }
    if strs.is_empty() {
        ints.sort_by_key(|(i, _)| *i);
        if ints
            .iter()
            .enumerate()
            .any(|(n, (i, _))| *i != n as i64 + 1)
        {
            return Err("sparse array (keys are not 1..n)".into());
        }
        return ints
            .iter()
            .map(|(_, v)| convert(v, stack))
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array);
    }
    strs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut map = Map::new();
    for (k, v) in strs {
        map.insert(k, convert(&v, stack)?);
    }
    Ok(Json::Object(map))
}

/// A JSON value as a Lua value: `null` is `nil` (so a `null` member is absent), arrays are
/// 1-based tables, objects are string-keyed tables.
pub fn from_json(lua: &Lua, j: &Json) -> mlua::Result<Value> {
    Ok(match j {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Boolean(*b),
        Json::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
        Json::String(s) => Value::String(lua.create_string(s)?),
        Json::Array(a) => {
            let t = lua.create_table_with_capacity(a.len(), 0)?;
            for (i, v) in a.iter().enumerate() {
                t.raw_set(i + 1, from_json(lua, v)?)?;
            }
            Value::Table(t)
        }
        Json::Object(o) => {
            let t = lua.create_table_with_capacity(0, o.len())?;
            for (k, v) in o {
                t.raw_set(k.as_str(), from_json(lua, v)?)?;
            }
            Value::Table(t)
        }
    })
}
