//! Go reference-time layouts (`2006-01-02T15:04:05Z07:00`), which Wippy's `time.format` and
//! `time.parse` take: the layout is split into chunks the way Go's `time` package does, then
//! formatted from, or matched against, calendar fields.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// One piece of a layout.
#[derive(Clone, Debug, PartialEq)]
enum Chunk {
    Lit(String),
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    Pm {
        upper: bool,
    },
    Tz,
    /// Numeric zone: `Z` for UTC when `z`; `colon` between fields; `seconds`; `hours_only`.
    Offset {
        z: bool,
        colon: bool,
        seconds: bool,
        hours_only: bool,
    },
    /// Fractional seconds: `digits` wide; `trim` (9s) drops trailing zeros.
    Frac {
        sep: char,
        digits: usize,
        trim: bool,
    },
}

const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn chunks(layout: &str) -> Vec<Chunk> {
    const TABLE: &[(&str, Chunk)] = &[
        ("January", Chunk::LongMonth),
        ("Jan", Chunk::Month),
        ("Monday", Chunk::LongWeekDay),
        ("Mon", Chunk::WeekDay),
        ("MST", Chunk::Tz),
        ("2006", Chunk::LongYear),
        ("002", Chunk::ZeroYearDay),
        ("01", Chunk::ZeroMonth),
        ("02", Chunk::ZeroDay),
        ("03", Chunk::ZeroHour12),
        ("04", Chunk::ZeroMinute),
        ("05", Chunk::ZeroSecond),
        ("06", Chunk::Year),
        ("15", Chunk::Hour),
        ("1", Chunk::NumMonth),
        ("2", Chunk::Day),
        ("__2", Chunk::UnderYearDay),
        ("_2", Chunk::UnderDay),
        ("3", Chunk::Hour12),
        ("4", Chunk::Minute),
        ("5", Chunk::Second),
        ("PM", Chunk::Pm { upper: true }),
        ("pm", Chunk::Pm { upper: false }),
        (
            "Z070000",
            Chunk::Offset {
                z: true,
                colon: false,
                seconds: true,
                hours_only: false,
            },
        ),
        (
            "Z07:00:00",
            Chunk::Offset {
                z: true,
                colon: true,
                seconds: true,
                hours_only: false,
            },
        ),
        (
            "Z0700",
            Chunk::Offset {
                z: true,
                colon: false,
                seconds: false,
                hours_only: false,
            },
        ),
        (
            "Z07:00",
            Chunk::Offset {
                z: true,
                colon: true,
                seconds: false,
                hours_only: false,
            },
        ),
        (
            "Z07",
            Chunk::Offset {
                z: true,
                colon: false,
                seconds: false,
                hours_only: true,
            },
        ),
        (
            "-070000",
            Chunk::Offset {
                z: false,
                colon: false,
                seconds: true,
                hours_only: false,
            },
        ),
        (
            "-07:00:00",
            Chunk::Offset {
                z: false,
                colon: true,
                seconds: true,
                hours_only: false,
            },
        ),
        (
            "-0700",
            Chunk::Offset {
                z: false,
                colon: false,
                seconds: false,
                hours_only: false,
            },
        ),
        (
            "-07:00",
            Chunk::Offset {
                z: false,
                colon: true,
                seconds: false,
                hours_only: false,
            },
        ),
        (
            "-07",
            Chunk::Offset {
                z: false,
                colon: false,
                seconds: false,
                hours_only: true,
            },
        ),
    ];
    let b = layout.as_bytes();
    let mut out: Vec<Chunk> = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    'outer: while i < b.len() {
        let rest = &layout[i..];
        if (b[i] == b'.' || b[i] == b',')
            && i + 1 < b.len()
            && (b[i + 1] == b'0' || b[i + 1] == b'9')
        {
            let d = b[i + 1];
            let mut j = i + 1;
            while j < b.len() && b[j] == d {
                j += 1;
            }
            if !(j < b.len() && b[j].is_ascii_digit()) {
                if !lit.is_empty() {
                    out.push(Chunk::Lit(std::mem::take(&mut lit)));
                }
                out.push(Chunk::Frac {
                    sep: b[i] as char,
                    digits: j - i - 1,
                    trim: d == b'9',
                });
                i = j;
                continue;
            }
        }
        for (pat, chunk) in TABLE {
            if rest.starts_with(pat) {
                // `Jan`/`Mon` inside a word (e.g. "Monthly") are still chunks in Go; keep that.
                if !lit.is_empty() {
                    out.push(Chunk::Lit(std::mem::take(&mut lit)));
                }
                out.push(chunk.clone());
                i += pat.len();
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        lit.push(c);
        i += c.len_utf8();
    }
    if !lit.is_empty() {
        out.push(Chunk::Lit(lit));
    }
    out
}

/// Format `local` (wall clock in the time's zone, with its UTC offset in seconds and zone
/// abbreviation) with a Go layout.
pub fn format(layout: &str, local: &NaiveDateTime, offset: i32, abbrev: &str) -> String {
    let mut s = String::new();
    let h12 = match local.hour() % 12 {
        0 => 12,
        h => h,
    };
    for c in chunks(layout) {
        match c {
            Chunk::Lit(l) => s.push_str(&l),
            Chunk::LongMonth => s.push_str(LONG_MONTHS[local.month0() as usize]),
            Chunk::Month => s.push_str(&LONG_MONTHS[local.month0() as usize][..3]),
            Chunk::NumMonth => s.push_str(&local.month().to_string()),
            Chunk::ZeroMonth => s.push_str(&format!("{:02}", local.month())),
            Chunk::LongWeekDay => {
                s.push_str(LONG_DAYS[local.weekday().num_days_from_sunday() as usize])
            }
            Chunk::WeekDay => {
                s.push_str(&LONG_DAYS[local.weekday().num_days_from_sunday() as usize][..3])
            }
            Chunk::Day => s.push_str(&local.day().to_string()),
            Chunk::UnderDay => s.push_str(&format!("{:>2}", local.day())),
            Chunk::ZeroDay => s.push_str(&format!("{:02}", local.day())),
            Chunk::UnderYearDay => s.push_str(&format!("{:>3}", local.ordinal())),
            Chunk::ZeroYearDay => s.push_str(&format!("{:03}", local.ordinal())),
            Chunk::Hour => s.push_str(&format!("{:02}", local.hour())),
            Chunk::Hour12 => s.push_str(&h12.to_string()),
            Chunk::ZeroHour12 => s.push_str(&format!("{h12:02}")),
            Chunk::Minute => s.push_str(&local.minute().to_string()),
            Chunk::ZeroMinute => s.push_str(&format!("{:02}", local.minute())),
            Chunk::Second => s.push_str(&local.second().to_string()),
            Chunk::ZeroSecond => s.push_str(&format!("{:02}", local.second())),
            Chunk::LongYear => s.push_str(&format!("{:04}", local.year())),
            Chunk::Year => s.push_str(&format!("{:02}", local.year().rem_euclid(100))),
            Chunk::Pm { upper } => s.push_str(match (local.hour() >= 12, upper) {
                (true, true) => "PM",
                (true, false) => "pm",
                (false, true) => "AM",
                (false, false) => "am",
            }),
            Chunk::Tz => s.push_str(abbrev),
            Chunk::Offset {
                z,
                colon,
                seconds,
                hours_only,
            } => {
                if z && offset == 0 {
                    s.push('Z');
                    continue;
                }
                let sign = if offset < 0 { '-' } else { '+' };
                let a = offset.unsigned_abs();
                s.push(sign);
                s.push_str(&format!("{:02}", a / 3600));
                if !hours_only {
                    if colon {
                        s.push(':');
                    }
                    s.push_str(&format!("{:02}", a / 60 % 60));
                    if seconds {
                        if colon {
                            s.push(':');
                        }
                        s.push_str(&format!("{:02}", a % 60));
                    }
                }
            }
            Chunk::Frac { sep, digits, trim } => {
                let frac = format!("{:09}", local.nanosecond() % 1_000_000_000);
                let mut f = frac[..digits.min(9)].to_owned();
                if trim {
                    while f.ends_with('0') {
                        f.pop();
                    }
                    if f.is_empty() {
                        continue;
                    }
                }
                s.push(sep);
                s.push_str(&f);
            }
        }
    }
    s
}

/// What a parse found: the wall-clock time and, when the input carried one, the UTC offset in
/// seconds and the zone abbreviation.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// Wall-clock date and time.
    pub local: NaiveDateTime,
    /// Numeric offset from the input (`Z` is 0).
    pub offset: Option<i32>,
    /// Zone abbreviation from the input (`MST` chunk).
    pub abbrev: Option<String>,
}

fn digits(s: &str, min: usize, max: usize) -> Option<(i64, usize)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    (n >= min).then(|| (s[..n].parse().unwrap_or(0), n))
}

fn word(s: &str, names: &[&str], short: bool) -> Option<(usize, usize)> {
    names.iter().enumerate().find_map(|(i, n)| {
        let n = if short { &n[..3] } else { n };
        s.get(..n.len())
            .filter(|p| p.eq_ignore_ascii_case(n))
            .map(|_| (i, n.len()))
    })
}

/// Parse `value` with a Go layout; the error says where it stopped matching.
pub fn parse(layout: &str, value: &str) -> Result<Parsed, String> {
    let (mut year, mut month, mut day, mut yday) = (1i64, 1i64, 1i64, None::<i64>);
    let (mut hour, mut min, mut sec, mut nanos, mut pm) = (0i64, 0i64, 0i64, 0i64, None::<bool>);
    let (mut offset, mut abbrev) = (None, None);
    let mut rest = value;
    let bad =
        |what: &str, rest: &str| format!("cannot parse {rest:?} as {what} (layout {layout:?})");
    for c in chunks(layout) {
        let taken = match &c {
            Chunk::Lit(l) => {
                if !rest.starts_with(l.as_str()) {
                    return Err(bad(&format!("{l:?}"), rest));
                }
                l.len()
            }
            Chunk::LongMonth | Chunk::Month => {
                let (m, n) = word(rest, &LONG_MONTHS, c == Chunk::Month)
                    .ok_or_else(|| bad("month", rest))?;
                month = m as i64 + 1;
                n
            }
            Chunk::LongWeekDay | Chunk::WeekDay => {
                word(rest, &LONG_DAYS, c == Chunk::WeekDay)
                    .ok_or_else(|| bad("weekday", rest))?
                    .1
            }
            Chunk::NumMonth | Chunk::ZeroMonth => {
                let (v, n) = digits(rest, if c == Chunk::ZeroMonth { 2 } else { 1 }, 2)
                    .ok_or_else(|| bad("month", rest))?;
                month = v;
                n
            }
            Chunk::Day | Chunk::ZeroDay | Chunk::UnderDay => {
                let skip = usize::from(c == Chunk::UnderDay && rest.starts_with(' '));
                let (v, n) = digits(&rest[skip..], if c == Chunk::ZeroDay { 2 } else { 1 }, 2)
                    .ok_or_else(|| bad("day", rest))?;
                day = v;
                n + skip
            }
            Chunk::UnderYearDay | Chunk::ZeroYearDay => {
                let skip = rest.len() - rest.trim_start_matches(' ').len();
                let (v, n) = digits(&rest[skip..], 1, 3).ok_or_else(|| bad("day of year", rest))?;
                yday = Some(v);
                n + skip
            }
            Chunk::Hour | Chunk::Hour12 | Chunk::ZeroHour12 => {
                let (v, n) = digits(rest, if c == Chunk::Hour12 { 1 } else { 2 }, 2)
                    .ok_or_else(|| bad("hour", rest))?;
                hour = v;
                n
            }
            Chunk::Minute | Chunk::ZeroMinute => {
                let (v, n) = digits(rest, if c == Chunk::Minute { 1 } else { 2 }, 2)
                    .ok_or_else(|| bad("minute", rest))?;
                min = v;
                n
            }
            Chunk::Second | Chunk::ZeroSecond => {
                let (v, n) = digits(rest, if c == Chunk::Second { 1 } else { 2 }, 2)
                    .ok_or_else(|| bad("second", rest))?;
                sec = v;
                // Go accepts a fraction after seconds even when the layout has none.
                let after = &rest[n..];
                if after.len() > 1
                    && (after.starts_with('.') || after.starts_with(','))
                    && after.as_bytes()[1].is_ascii_digit()
                {
                    let (f, m) = digits(&after[1..], 1, 9).unwrap_or((0, 0));
                    nanos = f * 10i64.pow(9 - m as u32);
                    n + 1 + m
                } else {
                    n
                }
            }
            Chunk::LongYear => {
                let (v, n) = digits(rest, 4, 4).ok_or_else(|| bad("year", rest))?;
                year = v;
                n
            }
            Chunk::Year => {
                let (v, n) = digits(rest, 2, 2).ok_or_else(|| bad("year", rest))?;
                year = if v >= 69 { 1900 + v } else { 2000 + v };
                n
            }
            Chunk::Pm { .. } => {
                let p = rest.get(..2).ok_or_else(|| bad("AM/PM", rest))?;
                pm = Some(match p.to_ascii_uppercase().as_str() {
                    "PM" => true,
                    "AM" => false,
                    _ => return Err(bad("AM/PM", rest)),
                });
                2
            }
            Chunk::Tz => {
                let n = rest.bytes().take_while(|b| b.is_ascii_uppercase()).count();
                if n < 3 {
                    return Err(bad("time zone", rest));
                }
                abbrev = Some(rest[..n].to_owned());
                if &rest[..n] == "UTC" || &rest[..n] == "GMT" {
                    offset = Some(0);
                }
                n
            }
            Chunk::Offset {
                z,
                colon,
                seconds,
                hours_only,
            } => {
                if *z && rest.starts_with('Z') {
                    offset = Some(0);
                    1
                } else {
                    let sign = match rest.as_bytes().first() {
                        Some(b'+') => 1,
                        Some(b'-') => -1,
                        _ => return Err(bad("time zone offset", rest)),
                    };
                    let mut n = 1;
                    let field = |n: &mut usize, sep: bool| -> Result<i64, String> {
                        if sep {
                            if !rest[*n..].starts_with(':') {
                                return Err(bad("time zone offset", rest));
                            }
                            *n += 1;
                        }
                        let (v, m) = digits(&rest[*n..], 2, 2)
                            .ok_or_else(|| bad("time zone offset", rest))?;
                        *n += m;
                        Ok(v)
                    };
                    let h = field(&mut n, false)?;
                    let m = if *hours_only {
                        0
                    } else {
                        field(&mut n, *colon)?
                    };
                    let s = if *seconds { field(&mut n, *colon)? } else { 0 };
                    offset = Some(sign * (h * 3600 + m * 60 + s) as i32);
                    n
                }
            }
            Chunk::Frac {
                sep, digits: want, ..
            } => {
                if !rest.starts_with(*sep) {
                    if matches!(c, Chunk::Frac { trim: true, .. }) {
                        0
                    } else {
                        return Err(bad("fractional second", rest));
                    }
                } else {
                    let (f, m) =
                        digits(&rest[1..], 1, 9).ok_or_else(|| bad("fractional second", rest))?;
                    if matches!(c, Chunk::Frac { trim: false, .. }) && m != *want {
                        return Err(bad("fractional second", rest));
                    }
                    nanos = f * 10i64.pow(9 - m as u32);
                    1 + m
                }
            }
        };
        rest = &rest[taken..];
    }
    if !rest.is_empty() {
        return Err(format!("extra text {rest:?} after the layout {layout:?}"));
    }
    if let Some(pm) = pm {
        if hour > 12 {
            return Err(format!("hour {hour} out of range for AM/PM"));
        }
        hour = match (pm, hour) {
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, 12) => 0,
            (false, h) => h,
        };
    }
    let date = match yday {
        Some(d) => NaiveDate::from_yo_opt(year as i32, d as u32),
        None => NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32),
    }
    .ok_or_else(|| format!("day out of range in {value:?}"))?;
    let local = date
        .and_hms_nano_opt(hour as u32, min as u32, sec as u32, nanos as u32)
        .ok_or_else(|| format!("time out of range in {value:?}"))?;
    Ok(Parsed {
        local,
        offset,
        abbrev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn formats_go_layouts() {
        let at = t("2024-03-09 07:05:03.120");
        assert_eq!(
            format("2006-01-02T15:04:05Z07:00", &at, 0, "UTC"),
            "2024-03-09T07:05:03Z"
        );
        assert_eq!(
            format("2006-01-02T15:04:05.999999999Z07:00", &at, 3600, "CET"),
            "2024-03-09T07:05:03.12+01:00"
        );
        assert_eq!(
            format("Mon, 02 Jan 2006 15:04:05 MST", &at, 0, "UTC"),
            "Sat, 09 Mar 2024 07:05:03 UTC"
        );
        assert_eq!(format("3:04PM", &at, 0, "UTC"), "7:05AM");
        assert_eq!(
            format("Jan _2 15:04:05.000", &at, 0, "UTC"),
            "Mar  9 07:05:03.120"
        );
        assert_eq!(format("06/1/2 -0700", &at, -19800, "X"), "24/3/9 -0530");
    }

    #[test]
    fn parses_what_it_formats() {
        for layout in [
            "2006-01-02T15:04:05.999999999Z07:00",
            "Mon, 02 Jan 2006 15:04:05 -0700",
            "January 2, 2006 3:04:05 pm",
            "2006-002 15:04",
        ] {
            let at = t("2023-11-30 16:45:00.5");
            let text = format(layout, &at, 7200, "EET");
            let p = parse(layout, &text).unwrap_or_else(|e| panic!("{layout}: {e}"));
            assert_eq!(p.local.date(), at.date(), "{layout} {text}");
            assert_eq!(p.local.time().format("%H:%M").to_string(), "16:45");
        }
        assert_eq!(
            parse("2006-01-02", "2024-02-29").map(|p| p.local.date().to_string()),
            Ok("2024-02-29".into())
        );
        assert!(parse("2006-01-02", "2023-02-29").is_err());
        assert!(parse("2006-01-02", "2024-02-2x").is_err());
        assert_eq!(
            parse("2006-01-02T15:04:05Z07:00", "2024-01-01T00:00:00+05:30").map(|p| p.offset),
            Ok(Some(19800))
        );
    }
}
