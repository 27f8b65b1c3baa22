//! 档号 (archival code) parsing after DA/T 22 and DA/T 13.
//!
//! DA/T 22 writes `全宗号-门类代码·年度-保管期限-机构问题代码-件号` (`J012-WS·2021-Y-BGS-0015`);
//! DA/T 13 style separates every part with a dash (`J012-WS-2021-Y-BGS-0015`). A category code may
//! itself contain `·` (`KJ·JJ`), and the organisational unit may be left out.

use std::fmt;
use std::str::FromStr;

/// Why a string is not a 档号.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid archival code (档号) {code:?}: {reason}; expected fonds-category·year-retention-unit-item, e.g. J012-WS·2021-Y-BGS-0015")]
pub struct ArchivalCodeError {
    /// The input.
    pub code: String,
    /// What is wrong with it.
    pub reason: String,
}

/// A parsed 档号.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArchivalCode {
    /// 全宗号
    pub fonds: String,
    /// 门类代码, may contain `·` (e.g. `KJ·JJ`).
    pub category: String,
    /// 年度
    pub year: u16,
    /// 保管期限 code as written (Y, D30, D10, or an older code such as C or D).
    pub retention: String,
    /// 机构问题代码, when present.
    pub unit: Option<String>,
    /// 件号 (or 卷号), digits as written.
    pub item: String,
}

const DOTS: &[char] = &['·', '・', '•', '‧', '.'];
const DASHES: &[char] = &['-', '－', '–', '—'];

fn is_code_part(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '·')
}

fn is_retention(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('Y' | 'C' | 'D' | 'y' | 'c' | 'd')) && chars.all(|c| c.is_ascii_digit())
}

impl FromStr for ArchivalCode {
    type Err = ArchivalCodeError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| ArchivalCodeError { code: input.to_string(), reason: reason.to_string() };
        // Fold full-width forms and the several middle dots people type into one spelling.
        let folded: String = input
            .trim()
            .chars()
            .map(|c| match c {
                c if DASHES.contains(&c) => '-',
                c if DOTS.contains(&c) => '·',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect();
        if folded.is_empty() {
            return Err(err("empty"));
        }
        let parts: Vec<&str> = folded.split('-').collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(err("empty part between separators"));
        }
        // Join the category and the year into one `category·year` part, whichever style was used.
        let (fonds, cat_year, rest): (&str, String, &[&str]) = match parts.as_slice() {
            [fonds, second, rest @ ..] if second.rsplit_once('·').is_some_and(|(_, y)| is_year(y)) => {
                (fonds, second.to_string(), rest)
            }
            [fonds, cat, year, rest @ ..] if is_year(year) => (fonds, format!("{cat}·{year}"), rest),
            _ => return Err(err("no 4-digit year after the category")),
        };
        let (category, year) = cat_year.rsplit_once('·').expect("joined above");
        let (retention, unit, item) = match rest {
            [retention, unit, item] => (*retention, Some(*unit), *item),
            [retention, item] => (*retention, None, *item),
            _ => return Err(err("expected retention, optional unit and item after the year")),
        };
        if !is_code_part(fonds) {
            return Err(err("fonds (全宗号) must be letters and digits"));
        }
        if !is_code_part(category) || category.starts_with('·') || category.ends_with('·') {
            return Err(err("category (门类代码) must be letters, optionally joined by ·"));
        }
        if !is_retention(retention) {
            return Err(err("retention (保管期限) must be Y, D30, D10 (or C, D)"));
        }
        if let Some(u) = unit {
            if !u.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(err("unit (机构问题代码) must be letters and digits"));
            }
        }
        if !item.chars().all(|c| c.is_ascii_digit()) {
            return Err(err("item (件号) must be digits"));
        }
        Ok(ArchivalCode {
            fonds: fonds.to_ascii_uppercase(),
            category: category.to_ascii_uppercase(),
            year: year.parse().map_err(|_| err("year out of range"))?,
            retention: retention.to_ascii_uppercase(),
            unit: unit.map(str::to_ascii_uppercase),
            item: item.to_string(),
        })
    }
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.chars().all(|c| c.is_ascii_digit())
}

impl fmt::Display for ArchivalCode {
    /// The canonical DA/T 22 spelling, used to match a code whatever style it was typed in.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}·{:04}-{}", self.fonds, self.category, self.year, self.retention)?;
        if let Some(unit) = &self.unit {
            write!(f, "-{unit}")?;
        }
        write!(f, "-{}", self.item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_both_separator_styles() {
        let a: ArchivalCode = "J012-WS·2021-Y-BGS-0015".parse().unwrap();
        let b: ArchivalCode = "J012-WS-2021-Y-BGS-0015".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.unit.as_deref(), Some("BGS"));
        let c: ArchivalCode = "J012-KJ·JJ-2019-D30-JJB-0003".parse().unwrap();
        assert_eq!((c.category.as_str(), c.year, c.retention.as_str()), ("KJ·JJ", 2019, "D30"));
        let d: ArchivalCode = "J012-KJ·JJ·2019-D30-JJB-0003".parse().unwrap();
        assert_eq!(c, d);
        let e: ArchivalCode = "Ｊ０１２－ＷＳ・2021－Y－0015".parse().unwrap();
        assert_eq!(e.to_string(), "J012-WS·2021-Y-0015");
    }

    #[test]
    fn rejects_with_reason() {
        for bad in ["", "J012", "J012-WS·21-Y-1", "J012-WS·2021-X-BGS-1", "J012-WS·2021-Y-BGS-00a", "J012--WS·2021-Y-1"]
        {
            let e = bad.parse::<ArchivalCode>().unwrap_err();
            assert!(!e.reason.is_empty(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn display_round_trips(
            fonds in "[A-Z][0-9]{3}",
            cat in "(WS|KJ·JJ|KJ·KY|KU|RS|SW)",
            year in 1949u16..2100,
            ret in "(Y|D30|D10)",
            unit in proptest::option::of("[A-Z]{2,5}"),
            item in "[0-9]{1,5}",
            dash_style in any::<bool>(),
        ) {
            let code = ArchivalCode { fonds, category: cat, year, retention: ret, unit, item };
            let text = if dash_style { code.to_string().replacen(&format!("·{year:04}"), &format!("-{year:04}"), 1) } else { code.to_string() };
            prop_assert_eq!(text.parse::<ArchivalCode>().unwrap(), code);
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = s.parse::<ArchivalCode>();
        }
    }
}
