//! Controlled vocabularies of DA/T 18 / DA/T 22: 密级, 开放标识, 保管期限.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A value outside a controlled vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {vocabulary}; expected one of {expected}")]
pub struct VocabError {
    /// Which vocabulary was violated.
    pub vocabulary: &'static str,
    /// The offending value.
    pub value: String,
    /// The accepted values, for the message.
    pub expected: &'static str,
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $label:literal, $expected:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $canon:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in ascending order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical (stored and displayed) spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }
        }

        impl FromStr for $name {
            type Err = VocabError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                $(
                    if t == $canon $(|| t.eq_ignore_ascii_case($alias))* {
                        return Ok($name::$variant);
                    }
                )+
                Err(VocabError { vocabulary: $label, value: s.to_string(), expected: $expected })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        // By hand, not derived: the wire form is the canonical Chinese spelling, not the variant name.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($canon),+]))
                    .description(Some(concat!($label, "; input also accepts", $($(" `", $alias, "`",)*)+ ".")))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

vocabulary! {
    /// 密级: the security classification of a record, ordered from least to most restricted.
    Classification, "classification (密级)", "公开, 内部, 秘密, 机密, 绝密" {
        /// 公开
        Public = "公开" | "public",
        /// 内部
        Internal = "内部" | "internal",
        /// 秘密
        Secret = "秘密" | "secret",
        /// 机密
        Confidential = "机密" | "confidential",
        /// 绝密
        TopSecret = "绝密" | "top_secret",
    }
}

impl Classification {
    /// Rank used in index filters: a principal sees records whose rank is at most its own.
    pub fn rank(self) -> u64 {
        self as u64
    }
}

vocabulary! {
    /// 开放标识: whether a record may be opened to users.
    Access, "access (开放标识)", "开放, 控制, 延期开放, 未审核" {
        /// 开放: open to every principal whose clearance allows it.
        Open = "开放" | "open",
        /// 控制: controlled use.
        Controlled = "控制" | "controlled",
        /// 延期开放: opening deferred.
        Deferred = "延期开放" | "deferred",
        /// 未审核: not yet reviewed for opening.
        Unreviewed = "未审核" | "unreviewed",
    }
}

vocabulary! {
    /// 保管期限: retention period, by its DA/T 22 code.
    Retention, "retention (保管期限)", "Y (永久), D30 (定期30年), D10 (定期10年)" {
        /// 永久
        Permanent = "Y" | "永久",
        /// 定期30年
        Years30 = "D30" | "定期30年",
        /// 定期10年
        Years10 = "D10" | "定期10年",
    }
}

impl Retention {
    /// The Chinese name, for display.
    pub fn label(self) -> &'static str {
        match self {
            Retention::Permanent => "永久",
            Retention::Years30 => "定期30年",
            Retention::Years10 => "定期10年",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_orders_by_restriction() {
        assert!(Classification::Public < Classification::TopSecret);
        assert_eq!("机密".parse::<Classification>().unwrap(), Classification::Confidential);
        assert_eq!(" Secret ".parse::<Classification>().unwrap(), Classification::Secret);
        let err = "保密".parse::<Classification>().unwrap_err();
        assert!(err.to_string().contains("公开, 内部"));
    }

    #[test]
    fn vocab_round_trips_through_json() {
        for a in Access::ALL {
            let json = serde_json::to_string(a).unwrap();
            assert_eq!(&serde_json::from_str::<Access>(&json).unwrap(), a);
        }
        assert_eq!("永久".parse::<Retention>().unwrap(), Retention::Permanent);
    }

    #[test]
    fn schema_lists_the_wire_spellings() {
        let schema = serde_json::to_value(<Classification as utoipa::PartialSchema>::schema()).unwrap();
        let values: Vec<String> = Classification::ALL.iter().map(|c| c.to_string()).collect();
        assert_eq!(schema["enum"], serde_json::json!(values));
        assert!(schema["description"].as_str().unwrap().contains("`top_secret`"), "{schema}");
    }
}
