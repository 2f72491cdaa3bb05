//! `time.Time`, `time.Duration` and `time.Location` as userdata, with Go's semantics (Wippy's
//! time module wraps Go's `time` package): durations are nanoseconds, `add_date` normalises
//! overflowing days, `round`/`truncate` count from the zero time (year 1).

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use mlua::{AnyUserData, FromLua, Lua, MetaMethod, UserData, UserDataMethods, UserDataRef, Value};

use super::layout;
use super::zone::Zone;

const NS: i64 = 1_000_000_000;
/// Seconds from Go's zero time (0001-01-01 UTC) to the Unix epoch.
const ZERO_TO_UNIX: i128 = 62_135_596_800;

/// A span of time in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub i64);

/// An instant (`utc`) shown in a zone.
#[derive(Clone, Debug, PartialEq)]
pub struct Time {
    /// The instant, as UTC wall clock.
    pub utc: NaiveDateTime,
    /// The zone it is shown in.
    pub zone: Zone,
}

/// A time zone value.
#[derive(Clone, Debug, PartialEq)]
pub struct Location(pub Zone);

/// Parse a Go duration string (`"1h30m"`, `"1.5s"`, `"-300ms"`, `"0"`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("invalid duration {s:?}");
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(Duration(0));
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let value: f64 = rest[..n].parse().map_err(|_| bad())?;
        rest = &rest[n..];
        let u = rest
            .bytes()
            .take_while(|b| !b.is_ascii_digit() && *b != b'.')
            .count();
        let unit = match &rest[..u] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(format!("{}: unknown unit {:?}", bad(), &rest[..u])),
        };
        rest = &rest[u..];
        total += value * unit;
    }
    if total > i64::MAX as f64 {
        return Err(format!("{}: overflow", bad()));
    }
    Ok(Duration(if neg {
        -(total.round() as i64)
    } else {
        total.round() as i64
    }))
}

fn frac(mut v: u64, digits: u32) -> String {
    let mut s = String::new();
    let mut printed = false;
    for _ in 0..digits {
        let d = v % 10;
        printed |= d != 0;
        if printed {
            s.insert(0, char::from(b'0' + d as u8));
        }
        v /= 10;
    }
    if s.is_empty() {
        format!("{v}")
    } else {
        format!("{v}.{s}")
    }
}

impl std::fmt::Display for Duration {
    /// Go's `Duration.String`: `1h30m0s`, `1.5s`, `300ms`, `0s`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let u = self.0.unsigned_abs();
        if u == 0 {
            return f.write_str("0s");
        }
        if u < 1_000 {
            return write!(f, "{sign}{u}ns");
        }
        if u < 1_000_000 {
            return write!(f, "{sign}{}µs", frac(u, 3));
        }
        if u < NS as u64 {
            return write!(f, "{sign}{}ms", frac(u, 6));
        }
        let secs = frac(u % (60 * NS as u64), 9);
        let mins = u / (60 * NS as u64);
        if mins == 0 {
            return write!(f, "{sign}{secs}s");
        }
        if mins < 60 {
            return write!(f, "{sign}{mins}m{secs}s");
        }
        write!(f, "{sign}{}h{}m{secs}s", mins / 60, mins % 60)
    }
}

impl FromLua for Duration {
    /// A duration argument: a Duration, a number of nanoseconds, or a Go duration string.
    fn from_lua(v: Value, _: &Lua) -> mlua::Result<Duration> {
        match &v {
            Value::Integer(i) => Ok(Duration(*i)),
            Value::Number(n) => Ok(Duration(*n as i64)),
            Value::String(s) => parse_duration(&s.to_string_lossy()).map_err(mlua::Error::runtime),
            Value::UserData(u) => u.borrow::<Duration>().map(|d| *d),
            _ => Err(mlua::Error::runtime(format!(
                "expected a duration, got {}",
                v.type_name()
            ))),
        }
    }
}

impl UserData for Duration {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("nanoseconds", |_, d, ()| Ok(d.0 as f64));
        m.add_method("microseconds", |_, d, ()| Ok((d.0 / 1_000) as f64));
        m.add_method("milliseconds", |_, d, ()| Ok((d.0 / 1_000_000) as f64));
        m.add_method("seconds", |_, d, ()| Ok(d.0 as f64 / NS as f64));
        m.add_method("minutes", |_, d, ()| Ok(d.0 as f64 / (60 * NS) as f64));
        m.add_method("hours", |_, d, ()| Ok(d.0 as f64 / (3600 * NS) as f64));
        m.add_meta_method(MetaMethod::ToString, |_, d, ()| Ok(d.to_string()));
        m.add_meta_method(MetaMethod::Eq, |_, d, o: Duration| Ok(d.0 == o.0));
        m.add_meta_method(MetaMethod::Lt, |_, d, o: Duration| Ok(d.0 < o.0));
        m.add_meta_method(MetaMethod::Le, |_, d, o: Duration| Ok(d.0 <= o.0));
        m.add_meta_function(MetaMethod::Add, |_, (a, b): (Duration, Duration)| {
            Ok(Duration(a.0.saturating_add(b.0)))
        });
        m.add_meta_function(MetaMethod::Sub, |_, (a, b): (Duration, Duration)| {
            Ok(Duration(a.0.saturating_sub(b.0)))
        });
    }
}

impl UserData for Location {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("string", |_, l, ()| Ok(l.0.name()));
        m.add_meta_method(MetaMethod::ToString, |_, l, ()| Ok(l.0.name()));
    }
}

impl Time {
    /// Nanoseconds since the Unix epoch (i128: the zero time is far before it).
    pub fn unix_nanos(&self) -> i128 {
        let t = self.utc.and_utc();
        i128::from(t.timestamp()) * i128::from(NS) + i128::from(t.timestamp_subsec_nanos())
    }

    /// The instant `nanos` after the Unix epoch, shown in `zone`.
    pub fn from_unix_nanos(nanos: i128, zone: Zone) -> Option<Time> {
        let secs = i64::try_from(nanos.div_euclid(i128::from(NS))).ok()?;
        let sub = nanos.rem_euclid(i128::from(NS)) as u32;
        Some(Time {
            utc: chrono::DateTime::from_timestamp(secs, sub)?.naive_utc(),
            zone,
        })
    }

    /// Wall clock in the time's zone, its UTC offset (seconds) and the zone abbreviation.
    pub fn local(&self) -> (NaiveDateTime, i32, String) {
        let (off, abbrev) = self.zone.offset_at(&self.utc);
        (
            self.utc + chrono::Duration::seconds(i64::from(off)),
            off,
            abbrev,
        )
    }

    /// Format with a Go layout.
    pub fn format(&self, layout: &str) -> String {
        let (local, off, abbrev) = self.local();
        layout::format(layout, &local, off, &abbrev)
    }

    fn shifted(&self, by: i128) -> mlua::Result<Time> {
        Time::from_unix_nanos(self.unix_nanos() + by, self.zone.clone())
            .ok_or_else(|| mlua::Error::runtime("time out of range"))
    }

    /// Go's `AddDate`: add to the wall-clock fields, then normalise (Oct 31 + 1 month = Dec 1).
    fn add_date(&self, years: i64, months: i64, days: i64) -> mlua::Result<Time> {
        let (local, _, _) = self.local();
        let m0 = i64::from(local.month0()) + months;
        let year = i64::from(local.year()) + years + m0.div_euclid(12);
        let first = NaiveDate::from_ymd_opt(year as i32, m0.rem_euclid(12) as u32 + 1, 1)
            .ok_or_else(|| mlua::Error::runtime("date out of range"))?;
        let date = first + chrono::Duration::days(i64::from(local.day()) - 1 + days);
        let wall = date.and_time(local.time());
        Ok(Time {
            utc: self.zone.to_utc(&wall),
            zone: self.zone.clone(),
        })
    }

    fn since_zero(&self) -> i128 {
        self.unix_nanos() + ZERO_TO_UNIX * i128::from(NS)
    }
}

fn time_arg(v: &AnyUserData) -> mlua::Result<Time> {
    Ok(v.borrow::<Time>()?.clone())
}

impl UserData for Time {
    fn add_methods<M: UserDataMethods<Self>>(m: &mut M) {
        m.add_method("add", |_, t, d: Duration| t.shifted(i128::from(d.0)));
        m.add_method("sub", |_, t, o: AnyUserData| {
            let diff = t.unix_nanos() - time_arg(&o)?.unix_nanos();
            Ok(Duration(
                diff.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
            ))
        });
        m.add_method("add_date", |_, t, (y, mo, d): (i64, i64, i64)| {
            t.add_date(y, mo, d)
        });
        m.add_method("after", |_, t, o: AnyUserData| {
            Ok(t.unix_nanos() > time_arg(&o)?.unix_nanos())
        });
        m.add_method("before", |_, t, o: AnyUserData| {
            Ok(t.unix_nanos() < time_arg(&o)?.unix_nanos())
        });
        m.add_method("equal", |_, t, o: AnyUserData| {
            Ok(t.unix_nanos() == time_arg(&o)?.unix_nanos())
        });
        m.add_method("format", |_, t, layout: String| Ok(t.format(&layout)));
        m.add_method("format_rfc3339", |_, t, ()| {
            Ok(t.format("2006-01-02T15:04:05Z07:00"))
        });
        m.add_method("unix", |_, t, ()| Ok(t.utc.and_utc().timestamp() as f64));
        m.add_method("unix_nano", |_, t, ()| Ok(t.unix_nanos() as f64));
        m.add_method("date", |_, t, ()| {
            let l = t.local().0;
            Ok((l.year(), l.month(), l.day()))
        });
        m.add_method("clock", |_, t, ()| {
            let l = t.local().0;
            Ok((l.hour(), l.minute(), l.second()))
        });
        m.add_method("year", |_, t, ()| Ok(t.local().0.year()));
        m.add_method("month", |_, t, ()| Ok(t.local().0.month()));
        m.add_method("day", |_, t, ()| Ok(t.local().0.day()));
        m.add_method("hour", |_, t, ()| Ok(t.local().0.hour()));
        m.add_method("minute", |_, t, ()| Ok(t.local().0.minute()));
        m.add_method("second", |_, t, ()| Ok(t.local().0.second()));
        m.add_method("nanosecond", |_, t, ()| {
            Ok(t.local().0.nanosecond() % 1_000_000_000)
        });
        m.add_method("weekday", |_, t, ()| {
            Ok(t.local().0.weekday().num_days_from_sunday())
        });
        m.add_method("year_day", |_, t, ()| Ok(t.local().0.ordinal()));
        m.add_method("is_zero", |_, t, ()| Ok(t.since_zero() == 0));
        m.add_method("in_location", |_, t, l: UserDataRef<Location>| {
            Ok(Time {
                utc: t.utc,
                zone: l.0.clone(),
            })
        });
        m.add_method("location", |_, t, ()| Ok(Location(t.zone.clone())));
        m.add_method("utc", |_, t, ()| {
            Ok(Time {
                utc: t.utc,
                zone: Zone::Utc,
            })
        });
        m.add_method("in_local", |_, t, ()| {
            Ok(Time {
                utc: t.utc,
                zone: Zone::local(),
            })
        });
        m.add_method("round", |_, t, d: Duration| {
            if d.0 <= 0 {
                return Ok(t.clone());
            }
            let r = t.since_zero().rem_euclid(i128::from(d.0));
            t.shifted(if r + r < i128::from(d.0) {
                -r
            } else {
                i128::from(d.0) - r
            })
        });
        m.add_method("truncate", |_, t, d: Duration| {
            if d.0 <= 0 {
                return Ok(t.clone());
            }
            t.shifted(-t.since_zero().rem_euclid(i128::from(d.0)))
        });
        m.add_meta_method(MetaMethod::ToString, |_, t, ()| {
            Ok(t.format("2006-01-02 15:04:05.999999999 -0700 MST"))
        });
        m.add_meta_method(MetaMethod::Eq, |_, t, o: AnyUserData| {
            Ok(t.unix_nanos() == time_arg(&o)?.unix_nanos())
        });
        m.add_meta_method(MetaMethod::Lt, |_, t, o: AnyUserData| {
            Ok(t.unix_nanos() < time_arg(&o)?.unix_nanos())
        });
        m.add_meta_method(MetaMethod::Le, |_, t, o: AnyUserData| {
            Ok(t.unix_nanos() <= time_arg(&o)?.unix_nanos())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print_like_go() {
        for (text, ns, shown) in [
            ("1h30m", 5_400 * NS, "1h30m0s"),
            ("1.5s", 1_500_000_000, "1.5s"),
            ("-300ms", -300_000_000, "-300ms"),
            ("2us", 2_000, "2µs"),
            ("0", 0, "0s"),
            ("90s", 90 * NS, "1m30s"),
        ] {
            let d = parse_duration(text).unwrap();
            assert_eq!(d.0, ns, "{text}");
            assert_eq!(d.to_string(), shown, "{text}");
        }
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn add_date_normalises_like_go() {
        let t = Time {
            utc: NaiveDate::from_ymd_opt(2023, 10, 31)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap(),
            zone: Zone::Utc,
        };
        assert_eq!(
            t.add_date(0, 1, 0).unwrap().format("2006-01-02"),
            "2023-12-01"
        );
        assert_eq!(
            t.add_date(0, -12, 1).unwrap().format("2006-01-02"),
            "2022-11-01"
        );
    }
}
