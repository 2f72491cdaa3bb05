//! Lua values ↔ JSON values, by the Wippy `json` module's rules (runtime `json/spec.md`):
//! `nil` ↔ `null`; sequences (1..n) and empty tables are arrays; string-keyed tables are objects;
//! sparse arrays, mixed keys, cycles and nesting deeper than [`MAX_DEPTH`] are errors; integral
//! numbers encode without a fraction; NaN and infinities encode as `null`. Used by `json`, `yaml`,
//! `sql`, by `wippy run` for arguments and results, and by twin handlers (`emit.json`,
//! `state.*`).
//!
//! Every conversion runs within a [`ConvertLimits`] budget of bytes, nodes, depth and time, so
//! a small Lua value cannot make one call build gigabytes (4,500 references to one 800 KB string
//! are 3.6 GB of JSON) or run for seconds (a doubling DAG `t = {t, t}` ×22 is 4M nodes).
//! Handlers pass their own remaining memory and deadline; [`to_json`] and [`from_json`] use
//! [`ConvertLimits::default`].

use std::time::Instant;

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

/// Default [`ConvertLimits::max_bytes`]: 64 MiB.
pub const DEFAULT_MAX_BYTES: usize = 64 << 20;

/// Default [`ConvertLimits::max_nodes`]: 1,048,576 values.
pub const DEFAULT_MAX_NODES: usize = 1 << 20;

/// What one conversion may build. Bytes are an estimate of the memory the result takes: a
/// fixed cost a value ([`NODE_BYTES`]) plus the bytes of its strings and keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertLimits {
    /// Estimated bytes of the result.
    pub max_bytes: usize,
    /// Values (scalars, tables, arrays, objects) in the result.
    pub max_nodes: usize,
    /// Nesting levels.
    pub max_depth: usize,
    /// When to stop, checked every 256 values.
    pub deadline: Option<Instant>,
}

impl Default for ConvertLimits {
    /// 64 MiB, 1,048,576 values, 128 levels, no deadline.
    fn default() -> Self {
        ConvertLimits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_nodes: DEFAULT_MAX_NODES,
            max_depth: MAX_DEPTH,
            deadline: None,
        }
    }
}

/// Estimated memory of one value of a conversion result, bytes (a `serde_json::Value` or a Lua
/// table slot and header are 32–56 bytes).
pub const NODE_BYTES: usize = 32;

/// Which budget a conversion passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    /// [`ConvertLimits::max_bytes`].
    Bytes,
    /// [`ConvertLimits::max_nodes`].
    Nodes,
    /// [`ConvertLimits::max_depth`].
    Depth,
    /// [`ConvertLimits::deadline`].
    Time,
}

/// Why a value could not be converted.
#[derive(Clone, Debug)]
pub enum ConvertError {
    /// The value has no JSON form (`"sparse array"`, `"cannot encode a function"`, a cycle).
    Invalid(String),
    /// A budget was passed; the message names it.
    Limit(Exceeded, String),
    /// Lua refused (an allocation over the state's memory limit, a bad table access).
    Lua(mlua::Error),
}

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConvertError::Invalid(m) | ConvertError::Limit(_, m) => f.write_str(m),
            ConvertError::Lua(e) => write!(f, "{e}"),
        }
    }
}

impl From<ConvertError> for mlua::Error {
    fn from(e: ConvertError) -> mlua::Error {
        match e {
            ConvertError::Lua(e) => e,
            other => mlua::Error::runtime(other.to_string()),
        }
    }
}

/// Spending against a [`ConvertLimits`].
struct Meter<'a> {
    limits: &'a ConvertLimits,
    bytes: usize,
    nodes: usize,
}

impl Meter<'_> {
    /// One more value of `extra` bytes beyond [`NODE_BYTES`].
    fn node(&mut self, extra: usize) -> Result<(), ConvertError> {
        self.nodes += 1;
        self.bytes = self.bytes.saturating_add(NODE_BYTES + extra);
        let l = self.limits;
        if self.nodes > l.max_nodes {
            return Err(ConvertError::Limit(
                Exceeded::Nodes,
                format!(
                    "more than {} values (the conversion's value limit)",
                    l.max_nodes
                ),
            ));
        }
        if self.bytes > l.max_bytes {
            return Err(ConvertError::Limit(
                Exceeded::Bytes,
                format!(
                    "more than {} bytes (the conversion's byte limit)",
                    l.max_bytes
                ),
            ));
        }
        if self.nodes & 255 == 0 && l.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(ConvertError::Limit(
                Exceeded::Time,
                "ran past the invocation's deadline".into(),
            ));
        }
        Ok(())
    }

    fn depth(&self, depth: usize) -> Result<(), ConvertError> {
        if depth >= self.limits.max_depth {
            return Err(ConvertError::Limit(
                Exceeded::Depth,
                format!("nesting deeper than {} levels", self.limits.max_depth),
            ));
        }
        Ok(())
    }
}

/// A Lua value as JSON, or why it has none (`"sparse array"`, `"mixed-key table"`, …), within
/// [`ConvertLimits::default`].
pub fn to_json(v: &Value) -> Result<Json, String> {
    to_json_within(v, &ConvertLimits::default()).map_err(|e| e.to_string())
}

/// A Lua value as JSON within `limits`.
pub fn to_json_within(v: &Value, limits: &ConvertLimits) -> Result<Json, ConvertError> {
    let mut meter = Meter {
        limits,
        bytes: 0,
        nodes: 0,
    };
    let mut stack = Vec::new();
    convert(v, &mut stack, &mut meter)
}

/// A Lua number as JSON: NaN and infinities are `null`; an integral value below 2^63 in
/// magnitude is written as an integer (exact: every such double is an integer that fits i64),
/// as Go's `encoding/json` writes it (the Wippy runtime) and as a Lua integer converts, so a
/// value converts the same way whether it came from Lua or from JSON; others as floats.
fn number(n: f64) -> Json {
    if !n.is_finite() {
        Json::Null
    } else if n.fract() == 0.0 && n.abs() < 2f64.powi(63) {
        Json::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

fn invalid<T>(m: impl Into<String>) -> Result<T, ConvertError> {
    Err(ConvertError::Invalid(m.into()))
}

fn convert(v: &Value, stack: &mut Vec<usize>, meter: &mut Meter) -> Result<Json, ConvertError> {
    let extra = match v {
        Value::String(s) => s.as_bytes().len(),
        _ => 0,
    };
    meter.node(extra)?;
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
                return invalid("recursively nested table");
            }
            meter.depth(stack.len())?;
            stack.push(ptr);
            let out = table(t, stack, meter);
            stack.pop();
            out?
        }
        Value::LightUserData(p) if p.0.is_null() => Json::Null,
        other => return invalid(format!("cannot encode a {}", other.type_name())),
    })
}

fn table(t: &Table, stack: &mut Vec<usize>, meter: &mut Meter) -> Result<Json, ConvertError> {
    let mut ints: Vec<(i64, Value)> = Vec::new();
    let mut strs: Vec<(String, Value)> = Vec::new();
    for pair in t.pairs::<Value, Value>() {
        let (k, v) = pair.map_err(ConvertError::Lua)?;
        match k {
            Value::Integer(i) => ints.push((i, v)),
            Value::Number(n) if n.fract() == 0.0 => ints.push((n as i64, v)),
            Value::String(s) => {
                // The key's bytes are part of the result.
                meter.node(s.as_bytes().len())?;
                strs.push((s.to_string_lossy(), v))
            }
            other => {
                return invalid(format!(
                    "cannot encode a table key of type {}",
                    other.type_name()
                ))
            }
        }
    }
    if ints.len() > meter.limits.max_nodes {
        return Err(ConvertError::Limit(
            Exceeded::Nodes,
            format!(
                "more than {} values (the conversion's value limit)",
                meter.limits.max_nodes
            ),
        ));
    }
    if !ints.is_empty() && !strs.is_empty() {
        return invalid("mixed-key table (both numeric and string keys)");
    }
    if strs.is_empty() {
        ints.sort_by_key(|(i, _)| *i);
        if ints
            .iter()
            .enumerate()
            .any(|(n, (i, _))| *i != n as i64 + 1)
        {
            return invalid("sparse array (keys are not 1..n)");
        }
        return ints
            .iter()
            .map(|(_, v)| convert(v, stack, meter))
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array);
    }
    strs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut map = Map::new();
    for (k, v) in strs {
        let v = convert(&v, stack, meter)?;
        map.insert(k, v);
    }
    Ok(Json::Object(map))
}

/// A JSON value as a Lua value within [`ConvertLimits::default`]: `null` is `nil` (so a `null`
/// member is absent), arrays are 1-based tables, objects are string-keyed tables.
pub fn from_json(lua: &Lua, j: &Json) -> mlua::Result<Value> {
    from_json_within(lua, j, &ConvertLimits::default()).map_err(mlua::Error::from)
}

/// A JSON value as a Lua value within `limits` (bytes estimate the Lua heap the result takes);
/// the budget is checked before each string or table is created.
pub fn from_json_within(
    lua: &Lua,
    j: &Json,
    limits: &ConvertLimits,
) -> Result<Value, ConvertError> {
    let mut meter = Meter {
        limits,
        bytes: 0,
        nodes: 0,
    };
    lua_value(lua, j, 0, &mut meter)
}

fn lua_value(lua: &Lua, j: &Json, depth: usize, meter: &mut Meter) -> Result<Value, ConvertError> {
    let lua_err = ConvertError::Lua;
    Ok(match j {
        Json::Null => {
            meter.node(0)?;
            Value::Nil
        }
        Json::Bool(b) => {
            meter.node(0)?;
            Value::Boolean(*b)
        }
        Json::Number(n) => {
            meter.node(0)?;
            Value::Number(n.as_f64().unwrap_or(0.0))
        }
        Json::String(s) => {
            meter.node(s.len())?;
            Value::String(lua.create_string(s).map_err(lua_err)?)
        }
        Json::Array(a) => {
            meter.depth(depth)?;
            meter.node(a.len().saturating_mul(16))?;
            let t = lua
                .create_table_with_capacity(a.len(), 0)
                .map_err(lua_err)?;
            for (i, v) in a.iter().enumerate() {
                let v = lua_value(lua, v, depth + 1, meter)?;
                t.raw_set(i + 1, v).map_err(lua_err)?;
            }
            Value::Table(t)
        }
        Json::Object(o) => {
            meter.depth(depth)?;
            meter.node(o.len().saturating_mul(40))?;
            let t = lua
                .create_table_with_capacity(0, o.len())
                .map_err(lua_err)?;
            for (k, v) in o {
                meter.node(k.len())?;
                let v = lua_value(lua, v, depth + 1, meter)?;
                t.raw_set(k.as_str(), v).map_err(lua_err)?;
            }
            Value::Table(t)
        }
    })
}

#[cfg(test)]
mod tests;
