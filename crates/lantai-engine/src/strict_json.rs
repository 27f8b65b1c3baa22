//! JSON read strictly: a key given twice in one object is an error, not "last one wins" (an
//! attacker or a broken exporter could otherwise hide one value behind another).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A JSON value whose objects have no duplicate keys.
pub(crate) struct StrictValue(pub Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        StrictValue::deserialize(d).map(|v| v.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE} {key:?}")));
            }
            let StrictValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

const DUPLICATE: &str = "duplicate key";

/// Parses one JSON text strictly; on failure, the rejection code and message.
pub(crate) fn parse(text: &str) -> Result<Value, (&'static str, String)> {
    serde_json::from_str::<StrictValue>(text).map(|v| v.0).map_err(|e| {
        let message = e.to_string();
        if message.starts_with(DUPLICATE) {
            ("duplicate_key", message)
        } else {
            ("malformed_json", format!("malformed JSON at column {}: {message}", e.column()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_refused_at_any_depth() {
        assert_eq!(parse(r#"{"id":"a","id":"b"}"#).unwrap_err().0, "duplicate_key");
        assert_eq!(parse(r#"{"extra":{"x":1,"x":2}}"#).unwrap_err().0, "duplicate_key");
        assert_eq!(parse(r#"{"a":[{"b":1},{"b":2}]}"#).unwrap()["a"][1]["b"], 2);
        assert_eq!(parse("{").unwrap_err().0, "malformed_json");
        assert_eq!(parse(r#"{"n":1e400}"#).unwrap_err().0, "malformed_json");
    }
}
