//! `os` as Wippy replaces it (package ostime): `time`, `clock`, `date`, `difftime` — no process
//! or file access (manifest: os.json). `date` takes C `strftime` formats, `!` for UTC and `*t`
//! for a date table, like Lua's.

use chrono::{DateTime, Datelike, Local, NaiveDate, TimeZone, Timelike, Utc};
use mlua::{Lua, Table, Value};

use super::reg::Reg;

fn now_secs() -> i64 {
    Utc::now().timestamp()
}

fn date_table<T: TimeZone>(lua: &Lua, t: &DateTime<T>) -> mlua::Result<Table> {
    let d = lua.create_table()?;
    d.set("year", t.year())?;
    d.set("month", t.month())?;
    d.set("day", t.day())?;
    d.set("hour", t.hour())?;
    d.set("min", t.minute())?;
    d.set("sec", t.second())?;
    d.set("wday", t.weekday().number_from_sunday())?;
    d.set("yday", t.ordinal())?;
    d.set("isdst", false)?;
    Ok(d)
}

fn format<T: TimeZone>(lua: &Lua, fmt: &str, t: DateTime<T>) -> mlua::Result<Value>
where
    T::Offset: std::fmt::Display,
{
    if fmt.starts_with("*t") {
        return Ok(Value::Table(date_table(lua, &t)?));
    }
    let mut out = String::new();
    use std::fmt::Write;
    write!(out, "{}", t.format(fmt))
        .map_err(|_| mlua::Error::runtime(format!("os.date: invalid format `{fmt}`")))?;
    Ok(Value::String(lua.create_string(out)?))
}

/// The `os` table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "os")?;
    r.plain("time", 0, Some(1), |_, t: Option<Table>| {
        let Some(t) = t else { return Ok(now_secs()) };
        let field = |k: &str, d: Option<i64>| -> mlua::Result<i64> {
            t.get::<Option<i64>>(k)?.or(d).ok_or_else(|| {
                mlua::Error::runtime(format!("os.time: field `{k}` missing in date table"))
            })
        };
        let (y, mo, d) = (
            field("year", None)?,
            field("month", None)?,
            field("day", None)?,
        );
        let (h, mi, s) = (
            field("hour", Some(12))?,
            field("min", Some(0))?,
            field("sec", Some(0))?,
        );
        let first = NaiveDate::from_ymd_opt(
            (y + (mo - 1).div_euclid(12)) as i32,
            (mo - 1).rem_euclid(12) as u32 + 1,
            1,
        )
        .ok_or_else(|| mlua::Error::runtime("os.time: date out of range"))?;
        let wall = first.and_hms_opt(0, 0, 0).expect("midnight")
            + chrono::Duration::seconds((((d - 1) * 24 + h) * 60 + mi) * 60 + s);
        Ok(Local
            .from_local_datetime(&wall)
            .earliest()
            .map_or(wall.and_utc().timestamp(), |t| t.timestamp()))
    })?;
    let start = std::time::Instant::now();
    r.plain("clock", 0, Some(0), move |_, ()| {
        Ok(start.elapsed().as_secs_f64())
    })?;
    r.plain("difftime", 2, Some(2), |_, (a, b): (f64, f64)| Ok(a - b))?;
    r.plain(
        "date",
        0,
        Some(2),
        |lua, (fmt, ts): (Option<String>, Option<i64>)| {
            let fmt = fmt.unwrap_or_else(|| "%c".into());
            let secs = ts.unwrap_or_else(now_secs);
            let utc = DateTime::from_timestamp(secs, 0)
                .ok_or_else(|| mlua::Error::runtime("os.date: time out of range"))?;
            match fmt.strip_prefix('!') {
                Some(f) => format(lua, f, utc),
                None => format(lua, &fmt, utc.with_timezone(&Local)),
            }
        },
    )?;
    // Wippy's `os` reports its own platform (runtime tests: `os.platform == "wippy"`).
    r.constant("platform", "wippy")?;
    Ok(r.table().clone())
}
