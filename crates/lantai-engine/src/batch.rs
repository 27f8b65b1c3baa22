//! Reading a batch of records: NDJSON, a JSON array, or CSV (UTF-8, or GBK/GB18030 as Excel on
//! Chinese Windows writes it), each item tagged with the line it started on.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::EngineError;
use crate::strict_json;

/// The formats a batch can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchFormat {
    /// One JSON object per line.
    Ndjson,
    /// A JSON array of objects.
    JsonArray,
    /// A CSV file with a header row.
    Csv,
}

impl BatchFormat {
    /// The format named by a media type (`None` when it names none of ours).
    pub fn from_media_type(media_type: &str) -> Option<BatchFormat> {
        let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/x-ndjson" | "application/ndjson" | "application/jsonl" | "application/x-jsonlines" => {
                Some(BatchFormat::Ndjson)
            }
            "application/json" => Some(BatchFormat::JsonArray),
            "text/csv" => Some(BatchFormat::Csv),
            _ => None,
        }
    }

    /// The format suggested by a file name.
    pub fn from_path(path: &std::path::Path) -> Option<BatchFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Some(BatchFormat::Ndjson),
            "json" => Some(BatchFormat::JsonArray),
            "csv" => Some(BatchFormat::Csv),
            _ => None,
        }
    }
}

/// One item of a batch: where it starts, and the fields or why they could not be read.
#[derive(Debug, Clone)]
pub struct BatchItem {
    /// 1-based line of the source where the item starts.
    pub line: usize,
    /// The fields, or a parse failure (code, message).
    pub fields: Result<Map<String, Value>, (&'static str, String)>,
    /// Whether unknown keys are kept in `extra` (CSV) rather than refused (JSON).
    pub lenient_fields: bool,
    /// Size of the item in the source, bytes.
    pub bytes: usize,
}

/// A record refused, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rejection {
    /// 1-based line in the submitted body.
    pub line: usize,
    /// The record id, when it could be read.
    pub id: Option<String>,
    /// Stable code.
    pub code: String,
    /// What to fix.
    pub message: String,
}

/// A record that appeared twice in one batch: the later one was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Superseded {
    /// Line of the earlier, dropped occurrence.
    pub line: usize,
    /// The id.
    pub id: String,
    /// Line of the occurrence that was kept.
    pub kept_line: usize,
}

/// The answer to a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BatchReport {
    /// Identifier of this batch (in logs too).
    pub batch_id: String,
    /// Records written (and durable).
    pub accepted: usize,
    /// Records refused.
    pub rejected: Vec<Rejection>,
    /// Earlier duplicates within the batch (last one wins).
    pub superseded: Vec<Superseded>,
}

/// Splits a body into items. Fails as a whole only when the body itself is unreadable (not
/// an array, or CSV without a header); a bad item is reported on its own line.
pub fn parse_batch(body: &[u8], format: BatchFormat) -> Result<Vec<BatchItem>, EngineError> {
    match format {
        BatchFormat::Ndjson => Ok(parse_ndjson(body)),
        BatchFormat::JsonArray => {
            // A body sent as application/json that is not an array is read as NDJSON, which
            // also covers a single object.
            let text = strip_bom(body);
            if text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
                parse_array(text)
            } else {
                Ok(parse_ndjson(body))
            }
        }
        BatchFormat::Csv => parse_csv(body),
    }
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

fn parse_ndjson(body: &[u8]) -> Vec<BatchItem> {
    let body = strip_bom(body);
    let mut items = Vec::new();
    for (i, raw) in body.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let fields = match std::str::from_utf8(raw) {
            Err(e) => Err(("invalid_utf8", format!("line is not valid UTF-8 (byte {})", e.valid_up_to()))),
            Ok(text) => match strict_json::parse(text) {
                Ok(Value::Object(map)) => Ok(map),
                Ok(_) => Err(("not_an_object", "each line must be one JSON object".to_string())),
                Err(e) => Err(e),
            },
        };
        items.push(BatchItem { line: i + 1, fields, lenient_fields: false, bytes: raw.len() });
    }
    items
}

fn parse_array(body: &[u8]) -> Result<Vec<BatchItem>, EngineError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| EngineError::MalformedBody(format!("body is not valid UTF-8 (byte {})", e.valid_up_to())))?;
    let elements: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| {
        EngineError::MalformedBody(format!("malformed JSON at line {} column {}: {e}", e.line(), e.column()))
    })?;
    let base = text.as_ptr() as usize;
    Ok(elements
        .into_iter()
        .map(|raw| {
            let offset = raw.get().as_ptr() as usize - base;
            let line = 1 + text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count();
            let fields = match strict_json::parse(raw.get()) {
                Ok(Value::Object(map)) => Ok(map),
                Ok(_) => Err(("not_an_object", "each element must be a JSON object".to_string())),
                Err(e) => Err(e),
            };
            BatchItem { line, fields, lenient_fields: false, bytes: raw.get().len() }
        })
        .collect())
}

/// Decodes CSV bytes: BOM first, then strict UTF-8, then a detector, preferring GB18030 over
/// GBK (a superset). Text that would decode with errors is refused rather than stored garbled.
pub fn decode_text(body: &[u8]) -> Result<String, EngineError> {
    lantai_extract::decode_text(body).map(|d| d.text).map_err(|e| EngineError::MalformedBody(format!("body is {e}")))
}

fn parse_csv(body: &[u8]) -> Result<Vec<BatchItem>, EngineError> {
    let text = decode_text(body)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| EngineError::MalformedBody(format!("CSV header: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if !headers.iter().any(|h| h == "id") {
        return Err(EngineError::MalformedBody("CSV header has no `id` column".into()));
    }
    let mut items = Vec::new();
    for row in reader.records() {
        let item = match row {
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                BatchItem { line, fields: Err(("malformed_csv", e.to_string())), lenient_fields: true, bytes: 0 }
            }
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line() as usize);
                if row.len() > headers.len() {
                    items.push(BatchItem {
                        line,
                        fields: Err(("malformed_csv", format!("{} cells but {} columns", row.len(), headers.len()))),
                        lenient_fields: true,
                        bytes: row.as_slice().len(),
                    });
                    continue;
                }
                let mut map = Map::new();
                for (h, cell) in headers.iter().zip(row.iter()) {
                    if !cell.trim().is_empty() {
                        map.insert(h.clone(), Value::String(cell.to_string()));
                    }
                }
                if map.is_empty() {
                    continue;
                }
                BatchItem { line, fields: Ok(map), lenient_fields: true, bytes: row.as_slice().len() }
            }
        };
        items.push(item);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_lines_are_numbered_and_bad_ones_reported() {
        let items = parse_batch(b"{\"id\":\"a\"}\n\n[1]\n{bad\n\xff\n", BatchFormat::Ndjson).unwrap();
        let lines: Vec<usize> = items.iter().map(|i| i.line).collect();
        assert_eq!(lines, [1, 3, 4, 5]);
        assert!(items[0].fields.is_ok());
        assert_eq!(items[1].fields.as_ref().unwrap_err().0, "not_an_object");
        assert_eq!(items[2].fields.as_ref().unwrap_err().0, "malformed_json");
        assert_eq!(items[3].fields.as_ref().unwrap_err().0, "invalid_utf8");
    }

    #[test]
    fn array_elements_carry_their_line() {
        let body = "[\n {\"id\": \"a\"},\n 7,\n {\"id\": \"b\"}\n]";
        let items = parse_batch(body.as_bytes(), BatchFormat::JsonArray).unwrap();
        assert_eq!(items.iter().map(|i| i.line).collect::<Vec<_>>(), [2, 3, 4]);
        assert!(parse_batch(b"[{\"id\": 1}", BatchFormat::JsonArray).is_err());
    }

    #[test]
    fn gb18030_csv_is_decoded_not_garbled() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("id,title,页数\nA-1,关于业扩报装的通知,3\n");
        let items = parse_batch(&bytes, BatchFormat::Csv).unwrap();
        let fields = items[0].fields.as_ref().unwrap();
        assert_eq!(fields["title"], "关于业扩报装的通知");
        assert_eq!(items[0].line, 2);
    }
}
