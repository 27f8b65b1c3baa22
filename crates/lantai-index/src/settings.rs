//! Tunables of indexing and ranking, read from the `[index]` and `[ranking]` config sections.

use serde::{Deserialize, Serialize};

/// Per-field boosts. The word fields rank a whole-word match; the bigram fields give sub-word
/// recall and rank below them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldWeights {
    /// 题名
    pub title: f32,
    /// 主题词
    pub keywords: f32,
    /// 责任者
    pub creator: f32,
    /// 文号
    pub doc_number: f32,
    /// 摘要
    pub abstract_: f32,
    /// 全文
    pub content: f32,
    /// Bigrams of the title (sub-word match in the title).
    pub title_bigram: f32,
    /// Bigrams of every text field (sub-word match anywhere).
    pub all_bigram: f32,
    /// An exact 档号, 文号 or id match.
    pub exact_code: f32,
    /// DisMax tie breaker: how much the non-best fields add for one query word.
    pub tie_breaker: f32,
}

impl Default for FieldWeights {
    fn default() -> Self {
        FieldWeights {
            title: 3.0,
            keywords: 2.5,
            creator: 2.0,
            doc_number: 2.0,
            abstract_: 1.5,
            content: 1.0,
            title_bigram: 1.2,
            all_bigram: 0.4,
            exact_code: 20.0,
            tie_breaker: 0.3,
        }
    }
}

/// Index settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSettings {
    /// Memory budget of the index writer, in MiB (shared by its threads).
    pub writer_heap_mb: usize,
    /// Indexing threads.
    pub writer_threads: usize,
    /// Characters in a snippet.
    pub snippet_chars: usize,
    /// Field weights.
    pub weights: FieldWeights,
}

impl Default for IndexSettings {
    fn default() -> Self {
        IndexSettings { writer_heap_mb: 128, writer_threads: 2, snippet_chars: 120, weights: FieldWeights::default() }
    }
}
