//! Times on the wire are RFC 3339 (the extension writes `toISOString()`); inside, ms since
//! the epoch, UTC.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub const DAY_MS: i64 = 86_400_000;

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// `2026-11-23T09:20:07.118Z` (any offset) to ms since the epoch.
pub fn parse_rfc3339_ms(s: &str) -> Result<i64, String> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        .map_err(|_| format!("{s:?} is not an RFC 3339 time such as 2026-11-23T09:20:07.118Z"))
}

/// ms since the epoch to `2026-11-23T09:20:07.118Z`.
pub fn format_ms(ms: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&f).unwrap_or_default()
}

/// The UTC day of a day number (ms / DAY_MS), `2026-11-23`.
pub fn day_name(day: i64) -> String {
    format_ms(day * DAY_MS)[..10].to_string()
}
