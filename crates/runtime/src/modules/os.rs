//! `os` as Wippy replaces it (package ostime): time, clock, date, difftime — no process or
//! file access.

use mlua::{Lua, Table};

/// The `os` table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "time",
        lua.create_function(|_, ()| {
            Ok(std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64))
        })?,
    )?;
    let start = std::time::Instant::now();
    t.set(
        "clock",
        lua.create_function(move |_, ()| Ok(start.elapsed().as_secs_f64()))?,
    )?;
    t.set(
        "difftime",
        lua.create_function(|_, (a, b): (f64, f64)| Ok(a - b))?,
    )?;
    t.set(
        "date",
        lua.create_function(|_, (fmt, ts): (Option<String>, Option<i64>)| {
            let secs = ts.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
            let iso = packer::pack::rfc3339(secs);
            Ok(match fmt.as_deref() {
                Some("!%Y-%m-%d") | Some("%Y-%m-%d") => iso[..10].to_owned(),
                _ => iso,
            })
        })?,
    )?;
    t.set("platform", std::env::consts::OS)?;
    Ok(t)
}
