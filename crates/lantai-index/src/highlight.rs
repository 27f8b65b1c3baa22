//! What a snippet highlights: every occurrence of a searched word or phrase, found in the folded
//! text (so 處理 highlights for 处理 and ＬＥＤ for led) and mapped back to the original.

use lantai_text::{highlight_snippet, normalize, Folded, Snippet};

/// Folded words and phrases to mark.
#[derive(Debug, Clone, Default)]
pub struct HighlightTerms {
    terms: Vec<String>,
}

impl HighlightTerms {
    pub(crate) fn add_word(&mut self, word: &str) {
        self.push(normalize(word));
    }

    pub(crate) fn add_phrase(&mut self, phrase: &str) {
        self.push(normalize(phrase.trim()));
    }

    fn push(&mut self, term: String) {
        if !term.trim().is_empty() && !self.terms.contains(&term) {
            self.terms.push(term);
        }
    }

    /// Whether nothing is to be highlighted.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// A snippet of `text` with every occurrence of the terms marked.
pub fn highlight(text: &str, terms: &HighlightTerms, max_chars: usize) -> Snippet {
    let folded = Folded::new(text);
    let mut ranges = Vec::new();
    for term in &terms.terms {
        for (at, m) in folded.text.match_indices(term.as_str()) {
            ranges.push((folded.original_offset(at), folded.original_offset(at + m.len())));
        }
    }
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
