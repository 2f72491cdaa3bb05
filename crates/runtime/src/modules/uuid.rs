//! `uuid`: generation (v1, v3, v4, v5, v7), validation and inspection (manifest: uuid.json;
//! runtime `uuid/spec.md`).

use mlua::{Lua, Table};
use uuid::{Uuid, Variant};

use super::reg::{invalid, Out, Reg};

fn parse(s: &str) -> Out<Uuid> {
    Uuid::parse_str(s).map_err(|e| invalid(format!("invalid UUID `{s}`: {e}")))
}

fn variant(u: &Uuid) -> &'static str {
    match u.get_variant() {
        Variant::RFC4122 => "RFC4122",
        Variant::Microsoft => "Microsoft",
        Variant::NCS => "NCS",
        _ => "Invalid",
    }
}

/// A random node id with the multicast bit set (RFC 9562 §6.10), fixed per process.
fn node_id() -> [u8; 6] {
    static NODE: std::sync::OnceLock<[u8; 6]> = std::sync::OnceLock::new();
    *NODE.get_or_init(|| {
        let mut n: [u8; 6] = rand::random();
        n[0] |= 0x01;
        n
    })
}

/// The `uuid` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "uuid")?;
    r.fallible("v1", 0, Some(0), |_, ()| {
        Ok(Uuid::now_v1(&node_id()).to_string())
    })?;
    r.fallible("v4", 0, Some(0), |_, ()| Ok(Uuid::new_v4().to_string()))?;
    r.fallible("v7", 0, Some(0), |_, ()| Ok(Uuid::now_v7().to_string()))?;
    r.fallible("v3", 2, Some(2), |_, (ns, name): (String, String)| {
        Ok(Uuid::new_v3(&parse(&ns)?, name.as_bytes()).to_string())
    })?;
    r.fallible("v5", 2, Some(2), |_, (ns, name): (String, String)| {
        Ok(Uuid::new_v5(&parse(&ns)?, name.as_bytes()).to_string())
    })?;
    r.fallible("validate", 1, Some(1), |_, s: String| {
        Ok(Uuid::parse_str(&s).is_ok())
    })?;
    r.fallible("version", 1, Some(1), |_, s: String| {
        Ok(parse(&s)?.get_version_num())
    })?;
    r.fallible("variant", 1, Some(1), |_, s: String| {
        Ok(variant(&parse(&s)?))
    })?;
    r.fallible("parse", 1, Some(1), |lua, s: String| {
        let u = parse(&s)?;
        let t = lua.create_table()?;
        t.set("version", u.get_version_num())?;
        t.set("variant", variant(&u))?;
        if let Some(ts) = u.get_timestamp() {
            t.set("timestamp", ts.to_unix().0)?;
        }
        if u.get_version_num() == 1 {
            t.set("node", hex::encode(&u.as_bytes()[10..]))?;
        }
        Ok(t)
    })?;
    r.fallible(
        "format",
        1,
        Some(2),
        |_, (s, format): (String, Option<String>)| {
            let u = parse(&s)?;
            match format.as_deref().unwrap_or("standard") {
                "standard" => Ok(u.hyphenated().to_string()),
                "simple" => Ok(u.simple().to_string()),
                "urn" => Ok(u.urn().to_string()),
                other => Err(invalid(format!(
                    "uuid.format: unknown format `{other}` (standard, simple, urn)"
                ))),
            }
        },
    )?;
    Ok(r.table().clone())
}
