//! Query-parameter helpers shared by the handlers: the errors that name a parameter, and the
//! period bounds the reports take.

use crate::ApiError;

/// A parameter the route does not take.
pub(crate) fn unknown(name: &str) -> ApiError {
    ApiError::new("unknown_parameter", format!("unknown parameter `{name}`")).with("parameter", name.to_string())
}

/// A parameter whose value is out of its domain.
pub(crate) fn invalid(name: &str, expected: &str) -> ApiError {
    ApiError::new("invalid_parameter", format!("{name}: {expected}")).with("parameter", name.to_string())
}

/// A period bound: a day (YYYY-MM-DD) or an RFC 3339 UTC time, compared as text with stored
/// times (which are all UTC).
pub(crate) fn date_or_time(name: &str, value: &str) -> Result<String, ApiError> {
    let b = value.as_bytes();
    let ok = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
        && (b.len() == 10 || b[10] == b'T');
    ok.then(|| value.to_string()).ok_or_else(|| invalid(name, "YYYY-MM-DD or an RFC 3339 UTC time"))
}
