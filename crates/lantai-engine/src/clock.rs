//! The one clock: every stored time is UTC RFC 3339 (so times compare as text), and logs that
//! need arithmetic also keep milliseconds since the epoch.

/// Now, as RFC 3339 UTC text.
pub(crate) fn now_rfc3339() -> String {
    now().0
}

/// Now, as RFC 3339 UTC text and as milliseconds since the Unix epoch.
pub(crate) fn now() -> (String, i64) {
    let t = time::OffsetDateTime::now_utc();
    let at = t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    (at, (t.unix_timestamp_nanos() / 1_000_000) as i64)
}
