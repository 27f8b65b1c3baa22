//! Highlighted snippets that never split a character.
//!
//! The window is chosen over characters (not bytes) around the densest run of matches, the text is
//! HTML-escaped, and matches are wrapped in `<em>…</em>`.

/// A highlighted fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Escaped HTML with `<em>` marks.
    pub html: String,
    /// Whether any match is inside.
    pub has_match: bool,
}

/// Builds a snippet of at most `max_chars` characters of `text`, highlighting the byte `ranges`
/// (which must lie on character boundaries; others are ignored).
pub fn highlight_snippet(text: &str, ranges: &[(usize, usize)], max_chars: usize) -> Snippet {
    let mut ranges: Vec<(usize, usize)> = ranges
        .iter()
        .copied()
        .filter(|&(a, b)| a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b))
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    // Character index of every byte offset we need: work in char positions from here on.
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let n = starts.len();
    let char_at = |byte: usize| starts.partition_point(|&s| s < byte);
    let spans: Vec<(usize, usize)> = merged.iter().map(|&(a, b)| (char_at(a), char_at(b))).collect();
    let max_chars = max_chars.max(1);

    // Best window: the one that starts a little before a match and covers the most matched
    // chars. Spans are disjoint and sorted, so coverage is a difference of prefix sums.
    let mut prefix = Vec::with_capacity(spans.len() + 1);
    prefix.push(0usize);
    for &(a, b) in &spans {
        prefix.push(prefix.last().copied().unwrap_or(0) + (b - a));
    }
    let covered_before = |x: usize| {
        let k = spans.partition_point(|&(a, _)| a < x);
        if k == 0 {
            return 0;
        }
        let (a, b) = spans[k - 1];
        prefix[k - 1] + (x.min(b) - a)
    };
    let lead = (max_chars / 6).min(10);
    let mut best_start = 0;
    let mut best_score = 0;
    for &(a, _) in &spans {
        let start = a.saturating_sub(lead);
        let end = (start + max_chars).min(n);
        let score = covered_before(end) - covered_before(start);
        if score > best_score {
            best_score = score;
            best_start = start;
        }
    }
    // Use the whole budget when the window would run past the end.
    if best_start + max_chars > n {
        best_start = n.saturating_sub(max_chars).min(best_start);
    }
    let end = (best_start + max_chars).min(n);
    let byte = |c: usize| if c >= n { text.len() } else { starts[c] };

    let mut html = String::with_capacity((end - best_start) * 4 + 16);
    if best_start > 0 {
        html.push('…');
    }
    let mut pos = best_start;
    for &(a, b) in &spans {
        let (a, b) = (a.max(best_start), b.min(end));
        if a >= b {
            continue;
        }
        escape_into(&mut html, &text[byte(pos)..byte(a)]);
        html.push_str("<em>");
        escape_into(&mut html, &text[byte(a)..byte(b)]);
        html.push_str("</em>");
        pos = b;
    }
    escape_into(&mut html, &text[byte(pos)..byte(end)]);
    if end < n {
        html.push('…');
    }
    Snippet { html, has_match: best_score > 0 }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn highlights_and_escapes() {
        let text = "本站<b>待处理</b>工单";
        let a = text.find("处理").unwrap();
        let s = highlight_snippet(text, &[(a, a + "处理".len())], 50);
        assert_eq!(s.html, "本站&lt;b&gt;待<em>处理</em>&lt;/b&gt;工单");
        assert!(s.has_match);
    }

    #[test]
    fn windows_by_characters_around_the_match() {
        let text = format!("{}📷有线电视服务站{}", "前".repeat(100), "后".repeat(100));
        let a = text.find("服务站").unwrap();
        let s = highlight_snippet(&text, &[(a, a + "服务站".len())], 20);
        assert!(s.html.starts_with('…') && s.html.ends_with('…'));
        assert!(s.html.contains("<em>服务站</em>"));
        assert_eq!(s.html.replace("<em>", "").replace("</em>", "").chars().count(), 22);
    }

    proptest! {
        #[test]
        fn never_splits_a_character(text in "[a-z中文字😀🎬 <&]{0,60}", ranges in proptest::collection::vec((0usize..200, 0usize..200), 0..5), max in 1usize..40) {
            let s = highlight_snippet(&text, &ranges, max);
            // Building a String from slices would have panicked on a split; check the budget too.
            let plain = s.html.replace("<em>", "").replace("</em>", "");
            prop_assert!(plain.chars().filter(|&c| c != '…').count() <= max * 6);
        }
    }
}
