//! Strict query-string decoding: percent-escapes must decode to valid UTF-8 (a lossy decoder
//! would search for U+FFFD instead of telling the caller).

use crate::ApiError;

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode(part: &str) -> Result<String, ApiError> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let (Some(h), Some(l)) =
                    (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b)))
                else {
                    return Err(ApiError::new("invalid_parameter", format!("bad percent-escape in {part:?}")));
                };
                out.push(h << 4 | l);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ApiError::new("invalid_parameter", format!("{part:?} does not decode to UTF-8")))
}

/// The `(name, value)` pairs of a query string, in order.
pub(crate) fn pairs(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_strictly() {
        assert_eq!(
            pairs("q=%E5%A4%84+x&limit=5").unwrap(),
            [("q".into(), "处 x".into()), ("limit".into(), "5".into())]
        );
        assert!(pairs("q=%FF%FE").is_err());
        assert!(pairs("q=%E5%A4").is_err());
        assert!(pairs("q=%zz").is_err());
    }
}
