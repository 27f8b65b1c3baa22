//! Dictionaries an administrator manages: extra words for the segmenter and synonym groups for
//! queries. Both are parsed here, one entry per line, with the line number of every mistake.

use std::collections::HashMap;

use crate::normalize::normalize;

/// A user-dictionary entry: `word [freq] [tag]`, as in jieba's dictionary format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictEntry {
    /// The word, folded (full-width, case, traditional → simplified) like the text it must match.
    pub word: String,
    /// jieba frequency; absent: just high enough to keep the word whole.
    pub freq: Option<usize>,
    /// Part-of-speech tag, if given.
    pub tag: Option<String>,
}

/// A line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// Longest word accepted (a dictionary word longer than this is almost surely a pasted sentence).
const MAX_WORD_CHARS: usize = 32;

/// Reads a user dictionary: one `word [freq] [tag]` per line; blank lines and `#` comments are
/// skipped. Every bad line is reported; nothing is returned unless all are good.
pub fn parse_dictionary(text: &str) -> Result<Vec<DictEntry>, Vec<LineError>> {
    let mut entries: Vec<DictEntry> = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = normalize(parts.next().unwrap_or_default());
        let err = |reason: String| LineError { line: i + 1, reason };
        if word.chars().count() > MAX_WORD_CHARS {
            errors.push(err(format!("word longer than {MAX_WORD_CHARS} characters")));
            continue;
        }
        if !word.chars().any(char::is_alphanumeric) {
            errors.push(err(format!("{word:?} has no letters or digits")));
            continue;
        }
        let freq = match parts.next() {
            None => None,
            Some(f) => match f.parse::<usize>() {
                Ok(n) if (1..=10_000_000).contains(&n) => Some(n),
                _ => {
                    errors.push(err(format!("frequency {f:?} is not a whole number from 1 to 10000000")));
                    continue;
                }
            },
        };
        let tag = parts.next().map(str::to_string);
        if let Some(t) = &tag {
            if !t.chars().all(|c| c.is_ascii_alphabetic()) || t.len() > 8 {
                errors.push(err(format!("tag {t:?} is not a part-of-speech tag (letters, e.g. nz)")));
                continue;
            }
        }
        if parts.next().is_some() {
            errors.push(err("more than `word [freq] [tag]`".into()));
            continue;
        }
        // A later line for the same word replaces the earlier one.
        entries.retain(|e| e.word != word);
        entries.push(DictEntry { word, freq, tag });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

impl DictEntry {
    /// The entry as a dictionary line.
    pub fn to_line(&self) -> String {
        let mut line = self.word.clone();
        if let Some(f) = self.freq {
            line.push_str(&format!(" {f}"));
        }
        if let Some(t) = &self.tag {
            line.push_str(&format!(" {t}"));
        }
        line
    }
}

/// Groups of words that mean the same thing to this archive (e.g. 基建, 基本建设). A query word
/// in a group also searches the group's other words, a little below the word itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    by_word: HashMap<String, usize>,
}

impl Synonyms {
    /// Reads one group per line, words separated by commas (`,`, `，`, `、`) or spaces; blank
    /// lines and `#` comments are skipped. A word may belong to one group only.
    pub fn parse(text: &str) -> Result<Synonyms, Vec<LineError>> {
        let mut out = Synonyms::default();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut group: Vec<String> = Vec::new();
            for word in line.split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace()) {
                let word = normalize(word.trim());
                if !word.is_empty() && !group.contains(&word) {
                    group.push(word);
                }
            }
            let err = |reason: String| LineError { line: i + 1, reason };
            if group.len() < 2 {
                errors.push(err("a group needs at least two words".into()));
                continue;
            }
            if let Some(w) = group.iter().find(|w| w.chars().count() > MAX_WORD_CHARS) {
                errors.push(err(format!("{w:?} is longer than {MAX_WORD_CHARS} characters")));
                continue;
            }
            if let Some(w) = group.iter().find(|w| out.by_word.contains_key(*w)) {
                errors.push(err(format!("{w:?} is already in an earlier group")));
                continue;
            }
            for w in &group {
                out.by_word.insert(w.clone(), out.groups.len());
            }
            out.groups.push(group);
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The other words of `word`'s group (empty when it has none). `word` is folded text.
    pub fn of<'a>(&'a self, word: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.by_word
            .get(word)
            .map(|&g| self.groups[g].as_slice())
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .filter(move |w| *w != word)
    }

    /// The groups, one per line.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_lines_are_read_or_refused_with_their_number() {
        let entries = parse_dictionary("# 企业术语\n业扩报装 5000 n\n\n兰台档案\n ＥＲＰ系统 10\n").unwrap();
        let lines: Vec<String> = entries.iter().map(DictEntry::to_line).collect();
        assert_eq!(lines, ["业扩报装 5000 n", "兰台档案", "erp系统 10"]);
        let errors = parse_dictionary("好词\n坏词 abc\n，，\n词 1 n extra\n词 2 名词\n").unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
    }

    #[test]
    fn synonym_groups_fold_and_refuse_overlaps() {
        let s = Synonyms::parse("基建，基本建設、基本建设\n合同 合約 契约\n").unwrap();
        assert_eq!(s.groups().len(), 2);
        assert_eq!(s.of("基建").collect::<Vec<_>>(), ["基本建设"]);
        assert_eq!(s.of("合约").collect::<Vec<_>>(), ["合同", "契约"]);
        assert_eq!(s.of("档案").count(), 0);
        let errors = Synonyms::parse("甲 乙\n丙\n乙 丁\n").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3]);
    }
}
