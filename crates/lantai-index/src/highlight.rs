//! What a snippet highlights: every occurrence of a searched word or phrase, found in the folded
//! text (so 處理 highlights for 处理 and ＬＥＤ for led) and mapped back to the original.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use lantai_text::{highlight_snippet, normalize, Folded, Snippet};

/// Folded words and phrases to mark.
#[derive(Debug, Clone, Default)]
pub struct HighlightTerms {
    terms: Vec<String>,
    /// All terms in one automaton, built on first use: one pass over a text finds them all.
    matcher: std::sync::OnceLock<Option<AhoCorasick>>,
}

impl HighlightTerms {
    /// Highlights `word` (folded like the text).
    pub fn add_word(&mut self, word: &str) {
        self.push(normalize(word));
    }

    pub(crate) fn add_phrase(&mut self, phrase: &str) {
        self.push(normalize(phrase.trim()));
    }

    fn push(&mut self, term: String) {
        if !term.trim().is_empty() && !self.terms.contains(&term) {
            self.terms.push(term);
            self.matcher = Default::default();
        }
    }

    fn matcher(&self) -> Option<&AhoCorasick> {
        self.matcher
            .get_or_init(|| {
                // A contiguous NFA: a DFA costs more to build than ten short snippets take to scan.
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&self.terms)
                    .ok()
            })
            .as_ref()
    }

    /// Whether nothing is to be highlighted.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// A snippet of `text` with every occurrence of the terms marked.
pub fn highlight(text: &str, terms: &HighlightTerms, max_chars: usize) -> Snippet {
    let folded = Folded::new(text);
    let ranges: Vec<(usize, usize)> = match terms.matcher() {
        Some(matcher) if !terms.is_empty() => matcher
            .find_iter(&folded.text)
            .map(|m| (folded.original_offset(m.start()), folded.original_offset(m.end())))
            .collect(),
        _ => Vec::new(),
    };
    highlight_snippet(text, &ranges, max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_across_scripts_and_widths() {
        let mut t = HighlightTerms::default();
        t.add_word("处理");
        t.add_word("led");
        let s = highlight("待處理的ＬＥＤ屏", &t, 50);
        assert_eq!(s.html, "待<em>處理</em>的<em>ＬＥＤ</em>屏");
    }
}
