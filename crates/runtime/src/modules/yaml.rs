//! `yaml`: decode a YAML document into Lua values and encode Lua values as YAML, with optional
//! key ordering (manifest: yaml.json). Values go through JSON's data model ([`host::value`]),
//! so the same tables decode and encode alike in `json` and `yaml`.

use std::borrow::Cow;

use mlua::{Lua, Table, Value};
use saphyr::{LoadableYamlNode, Mapping, Scalar, Yaml, YamlEmitter};
use serde_json::Value as Json;

use super::reg::{internal, invalid, Out, Reg};
use host::value::{from_json, to_json};

fn key_text(y: &Yaml) -> String {
    match y {
        Yaml::Value(Scalar::String(s)) => s.to_string(),
        Yaml::Value(Scalar::Integer(i)) => i.to_string(),
        Yaml::Value(Scalar::FloatingPoint(f)) => f.to_string(),
        Yaml::Value(Scalar::Boolean(b)) => b.to_string(),
        Yaml::Value(Scalar::Null) => "null".into(),
        Yaml::Tagged(_, inner) => key_text(inner),
        Yaml::Representation(s, _, _) => s.to_string(),
        _ => String::new(),
    }
}

fn yaml_to_json(y: &Yaml) -> Json {
    match y {
        Yaml::Value(Scalar::Null) | Yaml::BadValue | Yaml::Alias(_) => Json::Null,
        Yaml::Value(Scalar::Boolean(b)) => Json::Bool(*b),
        Yaml::Value(Scalar::Integer(i)) => Json::from(*i),
        Yaml::Value(Scalar::FloatingPoint(f)) => {
            serde_json::Number::from_f64(f.0).map_or(Json::Null, Json::Number)
        }
        Yaml::Value(Scalar::String(s)) => Json::String(s.to_string()),
        Yaml::Representation(s, _, _) => Json::String(s.to_string()),
        Yaml::Sequence(items) => Json::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Mapping(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (key_text(k), yaml_to_json(v)))
                .collect(),
        ),
        Yaml::Tagged(_, inner) => yaml_to_json(inner),
    }
}

/// JSON as YAML; object keys listed in `order` come first, in that order, the rest sorted.
fn json_to_yaml<'a>(j: &'a Json, order: &[String]) -> Yaml<'a> {
    match j {
        Json::Null => Yaml::Value(Scalar::Null),
        Json::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Value(Scalar::Integer(i)),
            None => Yaml::Value(Scalar::FloatingPoint(n.as_f64().unwrap_or(0.0).into())),
        },
        Json::String(s) => Yaml::Value(Scalar::String(Cow::Borrowed(s))),
        Json::Array(a) => Yaml::Sequence(a.iter().map(|v| json_to_yaml(v, order)).collect()),
        Json::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort_by_key(|k| {
                (
                    order.iter().position(|f| f == *k).unwrap_or(usize::MAX),
                    k.as_str(),
                )
            });
            let mut m = Mapping::new();
            for k in keys {
                m.insert(
                    Yaml::Value(Scalar::String(Cow::Borrowed(k))),
                    json_to_yaml(&o[k], order),
                );
            }
            Yaml::Mapping(m)
        }
    }
}

fn encode(v: &Value, options: Option<Table>) -> Out<String> {
    let json = to_json(v).map_err(|e| invalid(format!("yaml.encode: {e}")))?;
    let order: Vec<String> = match options {
        Some(o) => o
            .get::<Option<Vec<String>>>("field_order")?
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut out = String::new();
    YamlEmitter::new(&mut out)
        .dump(&json_to_yaml(&json, &order))
        .map_err(|e| internal(format!("yaml.encode: {e}")))?;
    let body = out
        .strip_prefix("---\n")
        .or_else(|| out.strip_prefix("--- "))
        .unwrap_or(&out);
    Ok(format!("{body}\n"))
}

/// The `yaml` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "yaml")?;
    r.fallible(
        "encode",
        1,
        Some(2),
        |_, (v, options): (Value, Option<Table>)| encode(&v, options),
    )?;
    r.fallible("decode", 1, Some(1), |lua, s: String| {
        let docs = Yaml::load_from_str(&s).map_err(|e| invalid(format!("yaml.decode: {e}")))?;
        match docs.first() {
            Some(doc) => Ok(from_json(lua, &yaml_to_json(doc))?),
            None => Ok(Value::Nil),
        }
    })?;
    Ok(r.table().clone())
}
