//! Word segmentation with one shared jieba dictionary.

use std::io::BufReader;
use std::path::PathBuf;
use std::sync::Arc;

use jieba_rs::Jieba;

use crate::normalize::Folded;
use crate::stopwords::is_stopword;

/// Archive vocabulary every deployment needs (DA/T terms and common enterprise-archive words).
const ARCHIVE_DICTIONARY: &str = include_str!("archive_dict.txt");

/// A token: folded text and the byte range it came from in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    /// Folded token text (the indexed term).
    pub text: String,
    /// Start byte in the original text.
    pub from: usize,
    /// End byte in the original text.
    pub to: usize,
    /// Ordinal position.
    pub position: usize,
}

/// Errors loading the analysis resources.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// The user dictionary could not be read or parsed.
    #[error("user dictionary {path}: {reason}")]
    UserDictionary {
        /// Which file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// How to build an [`Analysis`].
#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// A jieba-format user dictionary (`word [freq] [tag]` per line), loaded after the built-ins.
    pub user_dictionary: Option<PathBuf>,
    /// Words managed through the API, added last.
    pub words: Vec<crate::DictEntry>,
}

/// The segmenter shared by every tokenizer and query; cloning it is cheap.
#[derive(Clone)]
pub struct Analysis {
    jieba: Arc<Jieba>,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analysis")
    }
}

impl Analysis {
    /// Loads jieba's dictionary, the archive dictionary and the user dictionary.
    pub fn new(options: &AnalysisOptions) -> Result<Analysis, TextError> {
        let mut jieba = Jieba::new();
        jieba
            .load_dict(&mut BufReader::new(ARCHIVE_DICTIONARY.as_bytes()))
            .expect("the built-in archive dictionary parses");
        if let Some(path) = &options.user_dictionary {
            let err = |reason: String| TextError::UserDictionary { path: path.clone(), reason };
            let file = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
            jieba.load_dict(&mut BufReader::new(file)).map_err(|e| err(e.to_string()))?;
        }
        for entry in &options.words {
            jieba.add_word(&entry.word, entry.freq, entry.tag.as_deref());
        }
        Ok(Analysis { jieba: Arc::new(jieba) })
    }

    /// Index-time words: jieba's search mode, so the parts of a long word are terms too.
    pub fn index_words(&self, original: &str) -> Vec<Tok> {
        let folded = Folded::new(original);
        let words = self.jieba.cut_for_search(&folded.text, true);
        collect(&folded, words.iter().map(|w| (w.word, w.byte_start, w.byte_end)))
    }

    /// Query-time words: jieba's default mode (one reading of the sentence), noise removed.
    pub fn query_words(&self, original: &str) -> Vec<Tok> {
        let folded = Folded::new(original);
        let words = self.jieba.cut(&folded.text, true);
        collect(&folded, words.iter().map(|w| (w.word, w.byte_start, w.byte_end)))
    }

    /// Query words that carry meaning: stop words dropped, unless nothing else is left.
    pub fn content_words(&self, original: &str) -> Vec<Tok> {
        let all = self.query_words(original);
        let kept: Vec<Tok> = all.iter().filter(|t| !is_stopword(&t.text)).cloned().collect();
        if kept.is_empty() {
            all
        } else {
            kept
        }
    }
}

fn collect<'a>(folded: &Folded, words: impl Iterator<Item = (&'a str, usize, usize)>) -> Vec<Tok> {
    let mut out = Vec::new();
    for (word, from, to) in words {
        if !word.chars().any(char::is_alphanumeric) {
            continue; // punctuation and white space are not terms
        }
        out.push(Tok {
            text: word.to_string(),
            from: folded.original_offset(from),
            to: folded.original_offset(to),
            position: out.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: Vec<Tok>) -> Vec<String> {
        v.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn search_mode_indexes_the_parts_of_long_words() {
        let a = Analysis::new(&AnalysisOptions::default()).unwrap();
        let w = words(a.index_words("中国农业发展银行贷款合同"));
        assert!(w.contains(&"农业".to_string()), "{w:?}");
        let q = words(a.query_words("業擴報裝，ＬＥＤ显示屏"));
        assert!(q.contains(&"业扩报装".to_string()) && q.contains(&"led".to_string()), "{q:?}");
        assert!(!q.iter().any(|t| t == "，"));
    }

    #[test]
    fn user_dictionary_errors_name_the_file() {
        let e = Analysis::new(&AnalysisOptions {
            user_dictionary: Some("/nonexistent/dict.txt".into()),
            words: Vec::new(),
        })
        .unwrap_err();
        assert!(e.to_string().contains("/nonexistent/dict.txt"));
    }
}
