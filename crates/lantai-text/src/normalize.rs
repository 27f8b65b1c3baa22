//! Folding applied identically at index and query time.
//!
//! Each input character folds to exactly one character, so offsets survive: full-width ASCII →
//! half-width, ideographic space → space, lower case, traditional → simplified (from OpenCC's
//! character table, as shipped by `ferrous-opencc`).

use std::sync::OnceLock;

/// Folded text with a map back to the original's byte offsets.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each byte offset of `text` that starts a character (and for `text.len()`), the byte
    /// offset of the original character it came from; other entries are unused.
    orig: Vec<usize>,
}

impl Folded {
    /// Folds `original`, remembering where every character came from.
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut orig = Vec::with_capacity(original.len() + 1);
        for (i, c) in original.char_indices() {
            let f = fold_char(c);
            let start = text.len();
            text.push(f);
            orig.resize(start + 1, i);
            orig.resize(text.len(), i);
        }
        orig.push(original.len());
        Folded { text, orig }
    }

    /// The original byte offset of folded byte offset `i` (a character boundary of `text`).
    pub fn original_offset(&self, i: usize) -> usize {
        self.orig[i]
    }
}

/// Folds a whole string (for terms and comparisons, where offsets are not needed).
pub fn normalize(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Folds one character to its canonical search form.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).map(fold_ascii).unwrap_or(c),
        c if c.is_ascii() => fold_ascii(c),
        c if c >= '\u{2E80}' => t2s(c),
        c => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        }
    }
}

fn fold_ascii(c: char) -> char {
    c.to_ascii_lowercase()
}

/// Traditional → simplified, one character at a time.
///
/// Built once from OpenCC's T2S conversion of every CJK ideograph separately, so that the fold
/// never changes the number of characters (OpenCC's phrase rules can).
fn t2s(c: char) -> char {
    let Some(i) = (c as usize).checked_sub(T2S_FIRST as usize) else { return c };
    match t2s_table().get(i) {
        Some(&to) if to != 0 => char::from_u32(u32::from(to)).unwrap_or(c),
        _ => c,
    }
}

/// The first and last ideographs the traditional-to-simplified table covers (CJK Extension A,
/// the Unified Ideographs and the Compatibility Ideographs).
const T2S_FIRST: char = '\u{3400}';
const T2S_LAST: char = '\u{FAFF}';

/// Per ideograph from [`T2S_FIRST`]: its simplified form, or 0 when it has none. A flat table,
/// not a map: every character of every indexed text is looked up.
fn t2s_table() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![0u16; T2S_LAST as usize - T2S_FIRST as usize + 1];
        let converter = match ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s) {
            Ok(c) => c,
            Err(_) => return table,
        };
        let ranges = [('\u{3400}', '\u{4DBF}'), ('\u{4E00}', '\u{9FFF}'), ('\u{F900}', T2S_LAST)];
        let chars: Vec<char> = ranges.iter().flat_map(|&(a, b)| a..=b).collect();
        let joined: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
        let converted = converter.convert(&joined);
        for (from, to) in chars.iter().zip(converted.split('\n')) {
            let mut it = to.chars();
            if let (Some(t), None) = (it.next(), it.next()) {
                // Simplified forms outside the Basic Multilingual Plane (none in OpenCC's table
                // today) are left unfolded rather than mis-stored.
                if t != *from {
                    if let Ok(t) = u16::try_from(u32::from(t)) {
                        table[*from as usize - T2S_FIRST as usize] = t;
                    }
                }
            }
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_width_case_and_script() {
        assert_eq!(normalize("ＡＢＣ型配电箱　１０ｋＶ"), "abc型配电箱 10kv");
        assert_eq!(normalize("關於業擴報裝的檔案"), "关于业扩报装的档案");
        assert_eq!(normalize("有線電視服務站"), "有线电视服务站");
    }

    #[test]
    fn offsets_point_into_the_original() {
        let original = "Ｌ關x😀";
        let f = Folded::new(original);
        assert_eq!(f.text, "l关x😀");
        assert_eq!(f.original_offset(0), 0);
        assert_eq!(f.original_offset(1), "Ｌ".len());
        assert_eq!(f.original_offset(4), "Ｌ關".len());
        assert_eq!(f.original_offset(f.text.len()), original.len());
    }

    proptest! {
        #[test]
        fn folding_is_idempotent_and_keeps_char_count(s in "\\PC{0,30}") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once.clone());
            prop_assert_eq!(once.chars().count(), s.chars().count());
        }
    }
}
