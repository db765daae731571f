//! Calendar dates for `active` windows and `--date`, and UTC timestamps for bundles'
//! issue and expiry times, without a date-time dependency.
//!
//! Policies only ever need whole days in the proleptic Gregorian calendar, so a
//! (year, month, day) triple that orders correctly is all the engine keeps. Bundles need
//! seconds, written the one RFC 3339 way (`2026-11-23T09:30:00Z`) so that every verifier
//! reads them alike.

use std::fmt;

use crate::error::{Error, ErrorKind};

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible days such as `2026-02-30`.
    pub fn parse(s: &str) -> Result<Date, Error> {
        let bad = || invalid(format!("`{s}` is not a date of the form YYYY-MM-DD"));
        let mut parts = s.trim().splitn(3, '-');
        let (y, m, d) = match (parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(bad()),
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = d.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(invalid(format!("`{s}` is not a real calendar day")));
        }
        Ok(Date { year, month, day })
    }

    /// The UTC day that contains `secs` seconds after the Unix epoch.
    pub fn from_unix_seconds(secs: i64) -> Date {
        civil_from_days(secs.div_euclid(86_400))
    }

    /// Today in UTC, from the system clock (not available in wasm: the host passes `now`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn today_utc() -> Date {
        Timestamp::now().date()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A moment in UTC, in whole seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (UTC, as bundles write it) or a bare `YYYY-MM-DD`
    /// (midnight UTC).
    pub fn parse(s: &str) -> Result<Timestamp, Error> {
        let bad = || {
            invalid(format!(
                "`{s}` is not a UTC time of the form 2026-11-23T09:30:00Z"
            ))
        };
        let (day, time) = match s.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (s, None),
        };
        let date = Date::parse(day).map_err(|_| bad())?;
        let mut secs = days_from_civil(date) * 86_400;
        if let Some(t) = time {
            let t = t.strip_suffix('Z').ok_or_else(bad)?;
            let parts: Vec<&str> = t.split(':').collect();
            let ok = parts.len() == 3
                && parts
                    .iter()
                    .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                return Err(bad());
            }
            let n = |i: usize| parts[i].parse::<i64>().unwrap_or(99);
            let (h, m, sec) = (n(0), n(1), n(2));
            if h > 23 || m > 59 || sec > 59 {
                return Err(bad());
            }
            secs += h * 3600 + m * 60 + sec;
        }
        Ok(Timestamp(secs))
    }

    /// Now, from the system clock (not available in wasm: the host passes `now`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> Timestamp {
        Timestamp(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        )
    }

    /// The UTC day this moment falls on.
    pub fn date(self) -> Date {
        Date::from_unix_seconds(self.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.rem_euclid(86_400);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }
}

/// Parses a duration such as `90d`, `12h`, `30m` or `45s` into seconds.
pub fn parse_duration(s: &str) -> Result<i64, Error> {
    let bad = || {
        invalid(format!(
            "`{s}` is not a duration such as 90d, 12h, 30m or 45s"
        ))
    };
    let unit = match s.chars().last() {
        Some('d') => 86_400,
        Some('h') => 3_600,
        Some('m') => 60,
        Some('s') => 1,
        _ => return Err(bad()),
    };
    let n: i64 = s[..s.len() - 1].parse().map_err(|_| bad())?;
    if n <= 0 {
        return Err(invalid(format!("duration `{s}` must be more than zero")));
    }
    n.checked_mul(unit).ok_or_else(bad)
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidValue, message)
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01, Howard Hinnant's civil-to-days algorithm (the inverse of
/// [`civil_from_days`]).
fn days_from_civil(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's days-to-civil algorithm (public domain description).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    Date {
        year: (if m <= 2 { y + 1 } else { y }) as i32,
        month: m,
        day: d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        let a = Date::parse("2026-12-15").unwrap();
        let b = Date::parse("2027-01-25").unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "2026-12-15");
    }

    #[test]
    fn rejects_impossible_days() {
        assert_eq!(
            Date::parse("2026-02-29").unwrap_err().message,
            "`2026-02-29` is not a real calendar day"
        );
        assert!(Date::parse("2028-02-29").is_ok());
        assert!(Date::parse("26-1-1").is_err());
        assert!(Date::parse("2026/01/01").is_err());
    }

    #[test]
    fn unix_seconds_to_day() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        // 2026-11-23T12:00:00Z
        assert_eq!(
            Date::from_unix_seconds(1_795_435_200).to_string(),
            "2026-11-23"
        );
        assert_eq!(Date::from_unix_seconds(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn timestamps_round_trip() {
        let t = Timestamp::parse("2026-11-23T12:00:00Z").unwrap();
        assert_eq!(t, Timestamp(1_795_435_200));
        assert_eq!(t.to_string(), "2026-11-23T12:00:00Z");
        assert_eq!(Timestamp::parse("1970-01-01").unwrap(), Timestamp(0));
        assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59Z");
        for day in (-700_000..2_900_000).step_by(997) {
            let t = Timestamp(day * 86_400 + 3_723);
            assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
        }
    }

    #[test]
    fn rejects_bad_timestamps_and_durations() {
        for s in [
            "2026-11-23T12:00:00",
            "2026-11-23T24:00:00Z",
            "2026-11-23 12:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-23T1:00:00Z",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s}");
        }
        assert_eq!(parse_duration("90d"), Ok(90 * 86_400));
        assert_eq!(parse_duration("30m"), Ok(1_800));
        let e = parse_duration("0d").unwrap_err();
        assert_eq!(e.message, "duration `0d` must be more than zero");
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert!(parse_duration("90").is_err());
        assert!(parse_duration("-1d").is_err());
    }
}
