//! The search-box syntax: free words, quoted phrases and exclusions.
//!
//! - `有线电视 服务站` — free words, ranked (any may match);
//! - `"有线电视服务站"` (also “…” and 「…」) — a phrase that must occur as written;
//! - `-草稿`, `-"征求意见稿"` — must not occur.

/// One clause of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Free text: segmented and ranked.
    Free(String),
    /// Must occur as written.
    Phrase(String),
    /// Must not occur (a word or a phrase).
    Exclude(String),
}

/// A query split into clauses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    /// In the order written.
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// All free text, joined.
    pub fn free_text(&self) -> String {
        let parts: Vec<&str> = self
            .clauses
            .iter()
            .filter_map(|c| match c {
                Clause::Free(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        parts.join(" ")
    }

    /// Whether nothing positive was asked (empty, or exclusions only).
    pub fn is_match_all(&self) -> bool {
        !self.clauses.iter().any(|c| matches!(c, Clause::Free(_) | Clause::Phrase(_)))
    }
}

/// A query the syntax cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuerySyntaxError {
    /// A quote was opened and never closed.
    #[error("unbalanced quote: the phrase starting at character {at} is never closed")]
    UnbalancedQuote {
        /// Character index of the opening quote.
        at: usize,
    },
    /// `""` or `-` with nothing after it.
    #[error("empty phrase or exclusion at character {at}")]
    Empty {
        /// Character index.
        at: usize,
    },
}

fn closing(open: char) -> Option<char> {
    match open {
        '"' | '＂' => Some(open),
        '“' => Some('”'),
        '「' => Some('」'),
        '『' => Some('』'),
        _ => None,
    }
}

/// `input` read as free words only: the query syntax's quote characters become spaces and a
/// leading minus is dropped (for questions from a dataset, which are text, not syntax).
pub fn as_free_text(input: &str) -> String {
    input
        .chars()
        .map(|c| if matches!(c, '"' | '＂' | '“' | '”' | '「' | '」' | '『' | '』') { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .map(|w| w.trim_start_matches(['-', '－']))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits a query into clauses.
pub fn parse_query(input: &str) -> Result<ParsedQuery, QuerySyntaxError> {
    let chars: Vec<char> = input.chars().collect();
    let mut clauses = Vec::new();
    let mut free = String::new();
    let mut i = 0;
    let flush = |free: &mut String, clauses: &mut Vec<Clause>| {
        let t = free.trim();
        if !t.is_empty() {
            clauses.push(Clause::Free(t.to_string()));
        }
        free.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        let at_word_start = i == 0 || chars[i - 1].is_whitespace();
        let negated = (c == '-' || c == '－') && at_word_start;
        let quote_at = if negated { i + 1 } else { i };
        if let Some(close) = chars.get(quote_at).copied().and_then(closing) {
            if !negated || quote_at < chars.len() {
                let start = quote_at + 1;
                let Some(len) = chars[start..].iter().position(|&x| x == close) else {
                    return Err(QuerySyntaxError::UnbalancedQuote { at: quote_at });
                };
                let phrase: String = chars[start..start + len].iter().collect();
                let phrase = phrase.trim().to_string();
                if phrase.is_empty() {
                    return Err(QuerySyntaxError::Empty { at: i });
                }
                flush(&mut free, &mut clauses);
                clauses.push(if negated { Clause::Exclude(phrase) } else { Clause::Phrase(phrase) });
                i = start + len + 1;
                continue;
            }
        }
        if negated {
            let start = i + 1;
            let len = chars[start..].iter().position(|x| x.is_whitespace()).unwrap_or(chars.len() - start);
            if len == 0 {
                // A lone dash is just punctuation.
                free.push(c);
                i += 1;
                continue;
            }
            flush(&mut free, &mut clauses);
            clauses.push(Clause::Exclude(chars[start..start + len].iter().collect()));
            i = start + len;
            continue;
        }
        free.push(c);
        i += 1;
    }
    flush(&mut free, &mut clauses);
    Ok(ParsedQuery { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_phrases_words_and_exclusions() {
        let q = parse_query("服务站 \"有线电视服务站\" -草稿 「业扩报装」 -\"征求 意见\"").unwrap();
        assert_eq!(
            q.clauses,
            vec![
                Clause::Free("服务站".into()),
                Clause::Phrase("有线电视服务站".into()),
                Clause::Exclude("草稿".into()),
                Clause::Phrase("业扩报装".into()),
                Clause::Exclude("征求 意见".into()),
            ]
        );
        assert_eq!(parse_query("X发〔2023〕12-1号").unwrap().clauses, vec![Clause::Free("X发〔2023〕12-1号".into())]);
    }

    #[test]
    fn rejects_unbalanced_quotes() {
        assert_eq!(parse_query("a \"bc").unwrap_err(), QuerySyntaxError::UnbalancedQuote { at: 2 });
        assert!(parse_query("“有线").is_err());
        assert!(parse_query("\"\"").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_query(&s);
        }
    }
}
