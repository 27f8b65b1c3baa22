//! Chinese text analysis for Lantai: normalisation, jieba segmentation, CJK bigrams, the query
//! syntax, and the tantivy tokenizers built from them.
//!
//! Every tokenizer works on folded text (full-width → half-width, lower case, traditional →
//! simplified) but reports offsets into the *original* text, so snippets highlight what the user
//! stored, never a half character.
//!
//! ```
//! use lantai_text::{Analysis, AnalysisOptions};
//! let analysis = Analysis::new(&AnalysisOptions::default()).unwrap();
//! let words: Vec<String> = analysis.query_words("關於業擴報裝").into_iter().map(|t| t.text).collect();
//! assert!(words.contains(&"业扩报装".to_string()));
//! ```
#![warn(missing_docs)]

mod analysis;
mod bigram;
mod dictionary;
mod normalize;
mod query_syntax;
mod snippet;
mod stopwords;
mod tokenizers;

pub use analysis::{Analysis, AnalysisOptions, TextError, Tok};
pub use bigram::{bigrams, is_cjk};
pub use dictionary::{parse_dictionary, DictEntry, LineError, Synonyms};
pub use normalize::{fold_char, normalize, Folded};
pub use query_syntax::{as_free_text, parse_query, Clause, ParsedQuery, QuerySyntaxError};
pub use snippet::{highlight_snippet, Snippet};
pub use stopwords::is_stopword;
pub use tokenizers::{keyword_term, register, BIGRAM_TOKENIZER, KEYWORD_TOKENIZER, WORD_TOKENIZER};
