//! `time`: the current time, durations, sleeping, Go-layout format/parse, Unix conversion,
//! zones, and one-shot/periodic clock channels (manifest: time.json; runtime `time/spec.md`).
//!
//! `sleep`, `after`, `timer` and `ticker` run on the process scheduler's timers (see
//! [`channel`]); in a state without the scheduler `sleep` blocks the thread.

mod channel;
pub mod layout;
pub mod types;
pub mod zone;

use chrono::NaiveDate;
use mlua::{Lua, Table, UserDataRef};

use super::reg::{invalid, not_found, Reg};
pub use types::{parse_duration, Duration, Location, Time};
use zone::Zone;

/// Go layout constants (manifest: time.json constants).
const LAYOUTS: &[(&str, &str)] = &[
    ("RFC3339", "2006-01-02T15:04:05Z07:00"),
    ("RFC3339NANO", "2006-01-02T15:04:05.999999999Z07:00"),
    ("RFC822", "02 Jan 06 15:04 MST"),
    ("RFC822Z", "02 Jan 06 15:04 -0700"),
    ("RFC850", "Monday, 02-Jan-06 15:04:05 MST"),
    ("RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"),
    ("RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"),
    ("KITCHEN", "3:04PM"),
    ("STAMP", "Jan _2 15:04:05"),
    ("STAMP_MILLI", "Jan _2 15:04:05.000"),
    ("STAMP_MICRO", "Jan _2 15:04:05.000000"),
    ("STAMP_NANO", "Jan _2 15:04:05.000000000"),
    ("DATE_TIME", "2006-01-02 15:04:05"),
    ("DATE_ONLY", "2006-01-02"),
    ("TIME_ONLY", "15:04:05"),
];

const MONTHS: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];
const DAYS: [&str; 7] = [
    "SUNDAY",
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
];

/// The current time in the local zone.
pub fn now() -> Time {
    Time {
        utc: chrono::Utc::now().naive_utc(),
        zone: Zone::local(),
    }
}

/// The `time` module table.
pub fn module(lua: &Lua) -> mlua::Result<Table> {
    let r = Reg::new(lua, "time")?;
    for (i, unit) in ["NANOSECOND", "MICROSECOND", "MILLISECOND", "SECOND"]
        .iter()
        .enumerate()
    {
        r.constant(unit, 1000f64.powi(i as i32))?;
    }
    r.constant("MINUTE", 60e9)?;
    r.constant("HOUR", 3600e9)?;
    for (name, layout) in LAYOUTS {
        r.constant(name, *layout)?;
    }
    for (i, m) in MONTHS.iter().enumerate() {
        r.constant(m, i + 1)?;
    }
    for (i, d) in DAYS.iter().enumerate() {
        r.constant(d, i)?;
    }
    r.constant("utc", Location(Zone::Utc))?;
    r.constant("localtz", Location(Zone::local()))?;

    r.plain("now", 0, Some(0), |_, ()| Ok(now()))?;
    r.plain("sleep", 1, Some(1), |_, d: Duration| {
        if d.0 > 0 {
            std::thread::sleep(std::time::Duration::from_nanos(d.0 as u64));
        }
        Ok(())
    })?;
    r.plain("unix", 2, Some(2), |_, (sec, nsec): (i64, i64)| {
        Time::from_unix_nanos(
            i128::from(sec) * 1_000_000_000 + i128::from(nsec),
            Zone::local(),
        )
        .ok_or_else(|| mlua::Error::runtime("time.unix: out of range"))
    })?;
    r.plain(
        "date",
        7,
        Some(8),
        |_,
         (y, mo, d, h, mi, s, ns, loc): (
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            Option<UserDataRef<Location>>,
        )| {
            // Go's time.Date normalises out-of-range fields (month 13 = January next year).
            let zone = loc.map_or(Zone::local(), |l| l.0.clone());
            let first = NaiveDate::from_ymd_opt(
                (y + (mo - 1).div_euclid(12)) as i32,
                (mo - 1).rem_euclid(12) as u32 + 1,
                1,
            )
            .ok_or_else(|| mlua::Error::runtime("time.date: year out of range"))?;
            let nanos =
                (((d - 1) * 24 + h) * 60 + mi) * 60 * 1_000_000_000 + s * 1_000_000_000 + ns;
            let wall = first.and_hms_opt(0, 0, 0).expect("midnight")
                + chrono::Duration::nanoseconds(nanos);
            Ok(Time {
                utc: zone.to_utc(&wall),
                zone,
            })
        },
    )?;
    r.fallible(
        "parse",
        2,
        Some(3),
        |_, (layout, value, loc): (String, String, Option<UserDataRef<Location>>)| {
            let p =
                layout::parse(&layout, &value).map_err(|e| invalid(format!("time.parse: {e}")))?;
            let zone = loc.map_or(Zone::Utc, |l| l.0.clone());
            Ok(match p.offset {
                Some(off) => {
                    let utc = p.local - chrono::Duration::seconds(i64::from(off));
                    let shown = match (&zone, off) {
                        (Zone::Utc, 0) => Zone::Utc,
                        (z, _) if z.offset_at(&utc).0 == off => z.clone(),
                        _ => Zone::Fixed(p.abbrev.unwrap_or_default(), off),
                    };
                    Time { utc, zone: shown }
                }
                None => Time {
                    utc: zone.to_utc(&p.local),
                    zone,
                },
            })
        },
    )?;
    r.fallible("parse_duration", 1, Some(1), |_, v: mlua::Value| match &v {
        mlua::Value::String(s) => parse_duration(&s.to_string_lossy())
            .map_err(|e| invalid(format!("time.parse_duration: {e}"))),
        mlua::Value::Integer(i) => Ok(Duration(*i)),
        mlua::Value::Number(n) => Ok(Duration(*n as i64)),
        mlua::Value::UserData(u) => u
            .borrow::<Duration>()
            .map(|d| *d)
            .map_err(|_| invalid("time.parse_duration: expected a duration")),
        other => Err(invalid(format!(
            "time.parse_duration: expected a string, got {}",
            other.type_name()
        ))),
    })?;
    r.fallible("load_location", 1, Some(1), |_, name: String| {
        Zone::load(&name)
            .map(Location)
            .ok_or_else(|| not_found(format!("time.load_location: unknown time zone `{name}`")))
    })?;
    r.plain(
        "fixed_zone",
        2,
        Some(2),
        |_, (name, offset): (String, i32)| Ok(Location(Zone::Fixed(name, offset))),
    )?;
    channel::register(&r)?;
    Ok(r.table().clone())
}
