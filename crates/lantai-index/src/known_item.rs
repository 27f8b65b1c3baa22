//! Known-item search: a 档号, a 文号 (whole, or from its 〔year〕 on), a record id or an exact title
//! typed as the whole query names one record, which then comes first as the answer.

use lantai_model::{ArchivalCode, Record};
use lantai_text::keyword_term;

/// Which field made a record the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownBy {
    /// 档号.
    ArchivalCode,
    /// 文号.
    DocNumber,
    /// Record id.
    Id,
    /// 题名, exactly.
    Title,
}

impl KnownBy {
    /// Chinese label for explanations.
    pub fn label(self) -> &'static str {
        match self {
            KnownBy::ArchivalCode => "档号",
            KnownBy::DocNumber => "文号",
            KnownBy::Id => "编号",
            KnownBy::Title => "题名",
        }
    }
}

/// A code folded for exact matching: widths, case, spaces, and every bracket style people type
/// around a 文号's year (〔〕 [] () （） ［］ 【】) made one.
pub fn code_term(text: &str) -> String {
    keyword_term(text)
        .chars()
        .map(|c| match c {
            '[' | '(' | '（' | '【' | '［' | '〔' => '〔',
            ']' | ')' | '）' | '】' | '］' | '〕' => '〕',
            c => c,
        })
        .collect()
}

/// The 〔year〕number part of a 文号 (江城公用发〔2021〕15号 → 〔2021〕15号), folded.
fn doc_number_tail(folded: &str) -> Option<&str> {
    let at = folded.find('〔')?;
    (at > 0).then(|| &folded[at..])
}

/// The exact-match keys a record answers to, with the field each comes from.
pub(crate) fn record_keys(r: &Record) -> Vec<(String, KnownBy)> {
    let mut keys = vec![(code_term(&r.id), KnownBy::Id)];
    if let Some(n) = &r.doc_number {
        let folded = code_term(n);
        if let Some(tail) = doc_number_tail(&folded) {
            keys.push((tail.to_string(), KnownBy::DocNumber));
        }
        keys.push((folded, KnownBy::DocNumber));
    }
    if let Some(code) = &r.archival_code {
        keys.push((code_term(code), KnownBy::ArchivalCode));
        if let Some(parsed) = r.parsed_archival_code() {
            keys.push((code_term(&parsed.to_string()), KnownBy::ArchivalCode));
        }
    }
    if let Some(t) = &r.title {
        keys.push((code_term(t), KnownBy::Title));
    }
    keys.retain(|(k, _)| !k.is_empty());
    keys
}

/// The exact-match keys a query stands for.
pub(crate) fn query_keys(query: &str) -> Vec<String> {
    let whole = query.trim();
    let mut keys = vec![code_term(whole)];
    if let Ok(code) = whole.parse::<ArchivalCode>() {
        keys.push(code_term(&code.to_string()));
    }
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

/// Whether `query`, as a whole, names `record`, and by which field.
pub fn known_by(record: &Record, query: &str) -> Option<KnownBy> {
    let wanted = query_keys(query);
    record_keys(record).into_iter().find(|(k, _)| wanted.contains(k)).map(|(_, by)| by)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantai_model::RecordDefaults;
    use serde_json::json;

    #[test]
    fn codes_numbers_ids_and_titles_name_their_record() {
        let r = Record::from_json(
            json!({"id": "JC-1", "title": "关于印发安全生产办法的通知", "doc_number": "江城公用发〔2021〕15号",
                   "archival_code": "J012-WS·2021-Y-BGS-0015"}),
            RecordDefaults::default(),
        )
        .unwrap();
        assert_eq!(known_by(&r, "J012-WS-2021-Y-BGS-0015"), Some(KnownBy::ArchivalCode));
        assert_eq!(known_by(&r, "ｊ012－ws·2021－y－bgs－0015"), Some(KnownBy::ArchivalCode));
        assert_eq!(known_by(&r, "江城公用发[2021]15号"), Some(KnownBy::DocNumber));
        assert_eq!(known_by(&r, "〔2021〕15号"), Some(KnownBy::DocNumber));
        assert_eq!(known_by(&r, "(2021)15号"), Some(KnownBy::DocNumber));
        assert_eq!(known_by(&r, "jc-1"), Some(KnownBy::Id));
        assert_eq!(known_by(&r, " 关于印发安全生产办法的通知 "), Some(KnownBy::Title));
        assert_eq!(known_by(&r, "安全生产"), None);
        assert_eq!(known_by(&r, "〔2021〕1号"), None);
    }
}
