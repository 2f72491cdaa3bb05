//! `json`: encode/decode between Lua values and JSON, and JSON Schema validation (manifest:
//! json.json; rules: runtime `json/spec.md`, see [`host::value`]).

use mlua::{Lua, Table, Value};

use super::reg::{internal, invalid, Out, Reg};
use host::value::{from_json, to_json};

/// A schema given as a table or a JSON string, compiled.
fn schema(v: &Value) -> Out<jsonschema::Validator> {
    let json = match v {
        Value::Nil => return Err(invalid("json.validate: schema is required")),
        Value::String(s) => serde_json::from_slice(&s.as_bytes())
            .map_err(|e| invalid(format!("json.validate: schema is not JSON: {e}")))?,
        Value::Table(_) => {
            to_json(v).map_err(|e| invalid(format!("json.validate: schema: {e}")))?
        }
        other => {
            return Err(invalid(format!(
                "json.validate: schema must be a table or a string, got {}",
                other.type_name()
            )))
        }
    };
    jsonschema::validator_for(&json)
        .map_err(|e| invalid(format!("json.validate: invalid schema: {e}")))
}

fn check(validator: &jsonschema::Validator, data: &serde_json::Value) -> Out<bool> {
    let problems: Vec<String> = validator
        .iter_errors(data)
        .map(|e| {
            let at = e.instance_path.to_string();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{at}: {e}")
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(true)
    } else {
        Err(invalid(format!(
            "validation failed: {}",
            problems.join("; ")
        )))
    }
}

/// The `json` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "json")?;
    r.fallible("encode", 1, Some(1), |_, v: Value| {
        to_json(&v)
            .map(|j| j.to_string())
            .map_err(|e| internal(format!("json.encode: {e}")))
    })?;
    r.fallible("decode", 1, Some(1), |lua, s: Value| {
        let Value::String(s) = s else {
            return Err(invalid(format!(
                "json.decode: expected a string, got {}",
                s.type_name()
            )));
        };
        if s.as_bytes().is_empty() {
            return Err(invalid("json.decode: empty string"));
        }
        let j: serde_json::Value = serde_json::from_slice(&s.as_bytes())
            .map_err(|e| internal(format!("json.decode: {e}")))?;
        Ok(from_json(lua, &j)?)
    })?;
    r.fallible("validate", 2, Some(2), |_, (s, data): (Value, Value)| {
        let v = schema(&s)?;
        if data.is_nil() {
            return Err(invalid("json.validate: data is required"));
        }
        let data = to_json(&data).map_err(|e| invalid(format!("json.validate: data: {e}")))?;
        check(&v, &data)
    })?;
    r.fallible(
        "validate_string",
        2,
        Some(2),
        |_, (s, text): (Value, Value)| {
            let v = schema(&s)?;
            let Value::String(text) = text else {
                return Err(invalid("json.validate_string: data must be a JSON string"));
            };
            let data: serde_json::Value = serde_json::from_slice(&text.as_bytes())
                .map_err(|e| invalid(format!("json.validate_string: {e}")))?;
            check(&v, &data)
        },
    )?;
    Ok(r.table().clone())
}
