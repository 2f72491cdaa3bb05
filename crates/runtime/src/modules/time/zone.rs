//! Time zones for `time.Location`: UTC, fixed offsets, and IANA zones (chrono-tz).

use chrono::{NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetName, Tz};

/// A time zone.
#[derive(Clone, Debug, PartialEq)]
pub enum Zone {
    /// UTC.
    Utc,
    /// A fixed offset east of UTC, in seconds, with a name.
    Fixed(String, i32),
    /// An IANA zone.
    Iana(Tz),
}

impl Zone {
    /// The zone by IANA name (`"UTC"`, `"Local"` and `""` included).
    pub fn load(name: &str) -> Option<Zone> {
        match name {
            "" | "UTC" => Some(Zone::Utc),
            "Local" => Some(Zone::local()),
            _ => name.parse::<Tz>().ok().map(Zone::Iana),
        }
    }

    /// The machine's zone: `TZ` if it names an IANA zone, else `/etc/localtime`'s target, else UTC.
    pub fn local() -> Zone {
        let from_tz = std::env::var("TZ")
            .ok()
            .and_then(|s| s.trim_start_matches(':').parse::<Tz>().ok());
        let from_file = || {
            let target = std::fs::read_link("/etc/localtime").ok()?;
            let s = target.to_string_lossy().into_owned();
            let (_, name) = s.split_once("zoneinfo/")?;
            name.parse::<Tz>().ok()
        };
        from_tz.or_else(from_file).map_or(Zone::Utc, Zone::Iana)
    }

    /// The zone's name (`"UTC"`, `"Europe/Paris"`, or a fixed zone's given name).
    pub fn name(&self) -> String {
        match self {
            Zone::Utc => "UTC".into(),
            Zone::Fixed(n, _) => n.clone(),
            Zone::Iana(tz) => tz.name().into(),
        }
    }

    /// UTC offset in seconds and zone abbreviation at the instant `utc`.
    pub fn offset_at(&self, utc: &NaiveDateTime) -> (i32, String) {
        match self {
            Zone::Utc => (0, "UTC".into()),
            Zone::Fixed(n, off) => (*off, n.clone()),
            Zone::Iana(tz) => {
                let o = tz.offset_from_utc_datetime(utc);
                let abbrev = o.abbreviation().map(str::to_owned).unwrap_or_else(|| {
                    let s = o.fix().local_minus_utc();
                    format!(
                        "{}{:02}",
                        if s < 0 { '-' } else { '+' },
                        s.unsigned_abs() / 3600
                    )
                });
                (o.fix().local_minus_utc(), abbrev)
            }
        }
    }

    /// The UTC instant of wall-clock time `local` in this zone (the earlier one when ambiguous,
    /// the later side of a gap when skipped, as Go does).
    pub fn to_utc(&self, local: &NaiveDateTime) -> NaiveDateTime {
        match self {
            Zone::Utc => *local,
            Zone::Fixed(_, off) => *local - chrono::Duration::seconds(i64::from(*off)),
            Zone::Iana(tz) => match tz.from_local_datetime(local) {
                chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                    t.naive_utc()
                }
                chrono::LocalResult::None => {
                    let later = *local + chrono::Duration::hours(1);
                    tz.from_local_datetime(&later)
                        .earliest()
                        .map_or(*local, |t| t.naive_utc())
                }
            },
        }
    }
}
