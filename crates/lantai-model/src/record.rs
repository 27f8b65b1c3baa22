//! An archive record (DA/T 18 / DA/T 22 metadata) and the rules that admit one.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::{Access, ArchivalCode, Classification, Retention};

/// Longest accepted record id, in bytes.
pub const MAX_ID_LEN: usize = 256;

/// Why one record of a batch was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RecordError {
    /// Stable machine-readable code (`missing_field`, `invalid_field`, `unknown_field`, …).
    pub code: &'static str,
    /// The field at fault, when one is.
    pub field: Option<String>,
    /// What a person needs to fix it.
    pub message: String,
}

impl RecordError {
    fn invalid(field: &str, message: impl Into<String>) -> Self {
        RecordError {
            code: "invalid_field",
            field: Some(field.to_string()),
            message: format!("{field}: {}", message.into()),
        }
    }
}

/// Values a record takes when its source leaves them out (from the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordDefaults {
    /// 密级 when absent.
    pub classification: Classification,
    /// 开放标识 when absent.
    pub access: Access,
}

impl Default for RecordDefaults {
    fn default() -> Self {
        RecordDefaults { classification: Classification::Internal, access: Access::Open }
    }
}

/// A validated record. Serialises to the same English keys it is ingested with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Record {
    /// Upsert key.
    pub id: String,
    /// 档号 as written by the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archival_code: Option<String>,
    /// 全宗号
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fonds: Option<String>,
    /// 门类代码; unknown codes are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 年度
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// 日期, normalised to YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// 保管期限
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Retention>,
    /// 机构/问题
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_unit: Option<String>,
    /// 题名
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 责任者
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
    /// 文号
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// 密级
    pub classification: Classification,
    /// 开放标识
    pub access: Access,
    /// 主题词
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// 摘要
    #[serde(default, rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_: Option<String>,
    /// 全文
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// 存储位置
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Any other fields, kept verbatim.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

const KNOWN_FIELDS: &[&str] = &[
    "id",
    "archival_code",
    "fonds",
    "category",
    "year",
    "date",
    "retention",
    "org_unit",
    "title",
    "creator",
    "doc_number",
    "classification",
    "access",
    "keywords",
    "abstract",
    "content",
    "location",
    "extra",
];

/// How unknown top-level keys are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownFields {
    /// Refuse the record (JSON input: a typo must not pass silently).
    Reject,
    /// Keep them under `extra` (CSV catalogues carry many extra columns).
    IntoExtra,
}

impl Record {
    /// Admits one JSON object as a record, or says exactly why not.
    pub fn from_json(value: Value, defaults: RecordDefaults) -> Result<Record, RecordError> {
        match value {
            Value::Object(map) => Self::from_map(map, defaults, UnknownFields::Reject),
            other => Err(RecordError {
                code: "not_an_object",
                field: None,
                message: format!("a record must be a JSON object, got {}", json_kind(&other)),
            }),
        }
    }

    /// Admits a map of fields (a JSON object or a CSV row).
    pub fn from_map(
        mut map: Map<String, Value>,
        defaults: RecordDefaults,
        unknown: UnknownFields,
    ) -> Result<Record, RecordError> {
        let mut extra = match map.remove("extra") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m,
            Some(Value::String(s)) if s.trim().is_empty() => Map::new(),
            Some(Value::String(s)) => match serde_json::from_str::<Value>(&s) {
                Ok(Value::Object(m)) => m,
                _ => return Err(RecordError::invalid("extra", "must be an object")),
            },
            Some(_) => return Err(RecordError::invalid("extra", "must be an object")),
        };
        if unknown == UnknownFields::Reject {
            if let Some(key) = map.keys().find(|k| !KNOWN_FIELDS.contains(&k.as_str())) {
                return Err(RecordError {
                    code: "unknown_field",
                    field: Some(key.clone()),
                    message: format!("unknown field {key:?}; put fields outside the schema under \"extra\""),
                });
            }
        }
        let unknown_keys: Vec<String> = map.keys().filter(|k| !KNOWN_FIELDS.contains(&k.as_str())).cloned().collect();
        for key in unknown_keys {
            let v = map.remove(&key).expect("listed above");
            extra.insert(key, v);
        }

        let id = match take_text(&mut map, "id")? {
            Some(id) => id,
            None => {
                return Err(RecordError {
                    code: "missing_field",
                    field: Some("id".into()),
                    message: "id is required".into(),
                })
            }
        };
        if id.len() > MAX_ID_LEN || id.chars().any(char::is_control) {
            return Err(RecordError::invalid(
                "id",
                format!("must be at most {MAX_ID_LEN} bytes with no control characters"),
            ));
        }
        let archival_code = take_text(&mut map, "archival_code")?;
        let parsed_code = match &archival_code {
            Some(code) => {
                Some(code.parse::<ArchivalCode>().map_err(|e| RecordError::invalid("archival_code", e.to_string()))?)
            }
            None => None,
        };
        let date = take_text(&mut map, "date")?.map(|d| parse_date(&d)).transpose()?;
        let year = match map.remove("year") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => {
                Some(n.as_i64().ok_or_else(|| RecordError::invalid("year", "must be a whole number"))?)
            }
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(
                s.trim().parse::<i64>().map_err(|_| RecordError::invalid("year", format!("{s:?} is not a year")))?,
            ),
            Some(other) => {
                return Err(RecordError::invalid("year", format!("must be a number, got {}", json_kind(&other))))
            }
        };
        if let Some(y) = year {
            if !(1000..=9999).contains(&y) {
                return Err(RecordError::invalid("year", format!("{y} is not a 4-digit year")));
            }
        }
        // 年度 falls back to the 档号's year, then to the date's.
        let year = year
            .map(|y| y as i32)
            .or(parsed_code.as_ref().map(|c| i32::from(c.year)))
            .or_else(|| date.as_ref().and_then(|d| d[..4].parse().ok()));
        let retention = take_text(&mut map, "retention")?
            .map(|r| r.parse::<Retention>().map_err(|e| RecordError::invalid("retention", e.to_string())))
            .transpose()?;
        let classification = take_text(&mut map, "classification")?
            .map(|c| c.parse::<Classification>().map_err(|e| RecordError::invalid("classification", e.to_string())))
            .transpose()?
            .unwrap_or(defaults.classification);
        let access = take_text(&mut map, "access")?
            .map(|a| a.parse::<Access>().map_err(|e| RecordError::invalid("access", e.to_string())))
            .transpose()?
            .unwrap_or(defaults.access);
        let keywords = match map.remove("keywords") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => split_keywords(&s),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Value::String(_) => {}
                        other => {
                            return Err(RecordError::invalid(
                                "keywords",
                                format!("must be strings, got {}", json_kind(&other)),
                            ))
                        }
                    }
                }
                out
            }
            Some(other) => {
                return Err(RecordError::invalid(
                    "keywords",
                    format!("must be a list of strings, got {}", json_kind(&other)),
                ))
            }
        };
        let category = take_text(&mut map, "category")?
            .or_else(|| parsed_code.as_ref().map(|c| c.category.clone()))
            .map(|c| normalise_code(&c));
        let record = Record {
            id,
            archival_code,
            fonds: take_text(&mut map, "fonds")?.or_else(|| parsed_code.as_ref().map(|c| c.fonds.clone())),
            category,
            year,
            date,
            retention,
            org_unit: take_text(&mut map, "org_unit")?,
            title: take_text(&mut map, "title")?,
            creator: take_text(&mut map, "creator")?,
            doc_number: take_text(&mut map, "doc_number")?,
            classification,
            access,
            keywords,
            abstract_: take_text(&mut map, "abstract")?,
            content: take_text(&mut map, "content")?,
            location: take_text(&mut map, "location")?,
            extra,
        };
        if record.title.is_none() && record.content.is_none() {
            return Err(RecordError {
                code: "missing_field",
                field: Some("title".into()),
                message: "a record needs a title or a content".into(),
            });
        }
        Ok(record)
    }

    /// Moves keys outside the schema under `extra` (for sources such as CSV catalogues whose
    /// extra columns are data, not typos), so the map can be sent on as a JSON record.
    pub fn fold_unknown_into_extra(map: &mut Map<String, Value>) {
        let unknown: Vec<String> = map.keys().filter(|k| !KNOWN_FIELDS.contains(&k.as_str())).cloned().collect();
        if unknown.is_empty() {
            return;
        }
        let mut extra = match map.remove("extra") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        for key in unknown {
            let v = map.remove(&key).expect("listed above");
            extra.insert(key, v);
        }
        map.insert("extra".into(), Value::Object(extra));
    }

    /// The parsed 档号, when the record has one (it was validated on admission).
    pub fn parsed_archival_code(&self) -> Option<ArchivalCode> {
        self.archival_code.as_ref().and_then(|c| c.parse().ok())
    }
}

/// Category codes are compared in one spelling: upper case with the DA/T 22 middle dot.
fn normalise_code(code: &str) -> String {
    code.trim()
        .chars()
        .map(|c| match c {
            '・' | '•' | '‧' | '.' => '·',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c).to_ascii_uppercase(),
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

fn split_keywords(s: &str) -> Vec<String> {
    s.split([';', '；', ',', '，', '、', '|', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

/// Takes an optional text field; blank strings count as absent, numbers are accepted as text.
fn take_text(map: &mut Map<String, Value>, field: &str) -> Result<Option<String>, RecordError> {
    match map.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.contains('\0') => Err(RecordError::invalid(field, "contains a NUL character")),
        Some(Value::String(s)) => {
            let t = s.trim();
            Ok(if t.is_empty() { None } else { Some(t.to_string()) })
        }
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(RecordError::invalid(field, format!("must be a string, got {}", json_kind(&other)))),
    }
}

/// Accepts YYYY-MM-DD or YYYYMMDD (also with / or . separators) and checks the calendar.
fn parse_date(raw: &str) -> Result<String, RecordError> {
    let digits: String = raw.chars().filter(|c| !matches!(c, '-' | '/' | '.')).collect();
    let bad = || RecordError::invalid("date", format!("{raw:?} is not a date; use YYYY-MM-DD or YYYYMMDD"));
    if digits.len() != 8
        || !digits.chars().all(|c| c.is_ascii_digit())
        || (digits.len() != raw.len() && raw.len() != 10)
    {
        return Err(bad());
    }
    let y: u32 = digits[..4].parse().map_err(|_| bad())?;
    let m: u32 = digits[4..6].parse().map_err(|_| bad())?;
    let d: u32 = digits[6..].parse().map_err(|_| bad())?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if y < 1000 || d == 0 || d > days {
        return Err(bad());
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn admit(v: Value) -> Result<Record, RecordError> {
        Record::from_json(v, RecordDefaults::default())
    }

    #[test]
    fn admits_a_full_record_and_fills_defaults() {
        let r = admit(json!({
            "id": "JC-1", "archival_code": "J012-WS·2021-Y-BGS-0015", "title": "关于印发通知",
            "date": "20210305", "keywords": "通知；安全", "extra": {"页数": 12}
        }))
        .unwrap();
        assert_eq!(r.year, Some(2021));
        assert_eq!(r.date.as_deref(), Some("2021-03-05"));
        assert_eq!(r.category.as_deref(), Some("WS"));
        assert_eq!(r.classification, Classification::Internal);
        assert_eq!(r.access, Access::Open);
        assert_eq!(r.keywords, vec!["通知", "安全"]);
        assert_eq!(r.extra["页数"], json!(12));
        let round: Record = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(round, r);
    }

    #[test]
    fn refuses_with_codes() {
        assert_eq!(admit(json!({"title": "x"})).unwrap_err().code, "missing_field");
        assert_eq!(admit(json!({"id": "a"})).unwrap_err().code, "missing_field");
        assert_eq!(admit(json!({"id": "a", "title": "x", "titel": 1})).unwrap_err().code, "unknown_field");
        assert_eq!(admit(json!([1])).unwrap_err().code, "not_an_object");
        for (field, value) in [
            ("date", json!("2021-02-30")),
            ("date", json!("2021-13-01")),
            ("year", json!("二〇二一")),
            ("year", json!(99999)),
            ("classification", json!("保密")),
            ("access", json!("公开")),
            ("retention", json!("D5")),
            ("archival_code", json!("WS-2021")),
            ("keywords", json!([1, 2])),
            ("title", json!({"a": 1})),
        ] {
            let e = admit(json!({"id": "a", "title": "x", field: value})).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e}");
            assert_eq!(e.code, "invalid_field");
        }
    }

    #[test]
    fn csv_rows_keep_unknown_columns_in_extra() {
        let mut m = Map::new();
        m.insert("id".into(), json!("a"));
        m.insert("title".into(), json!("标题"));
        m.insert("页数".into(), json!("3"));
        let r = Record::from_map(m, RecordDefaults::default(), UnknownFields::IntoExtra).unwrap();
        assert_eq!(r.extra["页数"], json!("3"));
    }

    proptest! {
        #[test]
        fn dates_in_either_style_agree(y in 1000u32..9999, m in 1u32..=12, d in 1u32..=28) {
            let a = parse_date(&format!("{y:04}-{m:02}-{d:02}")).unwrap();
            let b = parse_date(&format!("{y:04}{m:02}{d:02}")).unwrap();
            prop_assert_eq!(a, b);
        }

        #[test]
        fn admission_never_panics(id in "\\PC{0,10}", title in "\\PC{0,10}", date in "\\PC{0,12}", year in "\\PC{0,6}") {
            let _ = admit(json!({"id": id, "title": title, "date": date, "year": year}));
        }
    }
}
