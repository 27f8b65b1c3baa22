//! CJK character bigrams: the sibling field that gives sub-word recall (处理 finds 待处理) and
//! exact phrase matching independent of how jieba segments a sentence.

use crate::normalize::Folded;
use crate::Tok;

/// Whether `c` is written without spaces between words (Han, kana, hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' |
        '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

#[derive(PartialEq, Clone, Copy)]
enum Class {
    Cjk,
    Word,
    Gap,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Gap
    }
}

/// Tokens of the bigram field: overlapping bigrams over each CJK run (a lone character stands
/// alone), and each run of letters or digits as one token. Punctuation, spaces and symbols separate
/// runs and are not indexed. Positions are consecutive, so a phrase is a sequence of bigrams.
pub fn bigrams(original: &str) -> Vec<Tok> {
    let folded = Folded::new(original);
    let text = folded.text.as_str();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize| {
        out.push(Tok {
            text: text[from..to].to_string(),
            from: folded.original_offset(from),
            to: folded.original_offset(to),
            position: out.len(),
        });
    };
    let mut i = 0;
    while i < chars.len() {
        let cls = class(chars[i].1);
        let mut j = i + 1;
        while j < chars.len() && class(chars[j].1) == cls {
            j += 1;
        }
        match cls {
            Class::Gap => {}
            Class::Word => push(chars[i].0, end_of(j)),
            Class::Cjk if j - i == 1 => push(chars[i].0, end_of(j)),
            Class::Cjk => {
                for (k, &(start, _)) in chars.iter().enumerate().take(j - 1).skip(i) {
                    push(start, end_of(k + 2));
                }
            }
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        bigrams(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn bigrams_cjk_runs_and_keeps_words_whole() {
        assert_eq!(texts("待处理"), ["待处", "处理"]);
        assert_eq!(texts("ＬＥＤ显示屏，好"), ["led", "显示", "示屏", "好"]);
        assert_eq!(texts("IPTV 4K 机顶盒 🎬"), ["iptv", "4k", "机顶", "顶盒"]);
    }

    #[test]
    fn offsets_are_original_char_boundaries() {
        let s = "關於ＡＢ😀處理";
        for t in bigrams(s) {
            assert!(s.is_char_boundary(t.from) && s.is_char_boundary(t.to));
            assert_eq!(crate::normalize(&s[t.from..t.to]), t.text);
        }
    }
}
