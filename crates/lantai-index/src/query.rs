//! From the search box to a tantivy query.
//!
//! Raw Chinese is never handed to tantivy's `QueryParser` (it would turn each multi-token word
//! into a phrase). The query is segmented here: every content word becomes a DisMax over the
//! word fields (whole-word matches, weighted by field) and the bigram fields (the word as a
//! substring, so 处理 finds 待处理); quoted phrases must match as bigram sequences, which does
//! not depend on how jieba happened to cut the sentence.

use std::collections::HashSet;

use lantai_model::{Classification, Grants, Principal};
use lantai_text::{bigrams, is_cjk, Analysis, Clause, ParsedQuery, Synonyms};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::guard::Guarded;
use crate::highlight::HighlightTerms;
use crate::schema::Fields;
use crate::FieldWeights;

/// Hard filters chosen by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Any of these 门类 codes (empty: all).
    pub categories: Vec<String>,
    /// 年度 at least.
    pub year_from: Option<i64>,
    /// 年度 at most.
    pub year_to: Option<i64>,
    /// Any of these 密级 (empty: all the principal may see).
    pub classifications: Vec<Classification>,
}

/// What the asking principal may see; checked for every match before it is counted, faceted or
/// ranked (`visible.rs`), so no count or facet leaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visibility {
    /// Highest 密级 visible.
    pub clearance: Classification,
    /// Every 开放标识 (admins); otherwise 开放, plus 控制 under `grants`.
    pub every_access: bool,
    /// Controlled records granted by 机构 or 门类.
    pub grants: Grants,
}

impl Visibility {
    /// The visibility of a principal.
    pub fn of(principal: &Principal) -> Visibility {
        Visibility {
            clearance: principal.clearance,
            every_access: principal.sees_every_access(),
            grants: principal.grants.clone(),
        }
    }
}

/// The query as understood, for the response and for highlighting.
#[derive(Debug, Clone, Default)]
pub struct QueryPlan {
    /// The query as segmented (every word, stop words included), for the user to see.
    pub tokens: Vec<String>,
    /// The words that were searched for.
    pub content_words: Vec<String>,
    /// What snippets highlight.
    pub highlight: HighlightTerms,
}

pub(crate) struct Built {
    /// What matches (words, phrases, exclusions, filters), scored by the words.
    pub query: Box<dyn Query>,
    /// Scoring only, for the best matches of `query`: the query's character bigrams and the
    /// parts of its long words, each clause scored on its own and summed.
    pub rescore: Vec<Box<dyn Query>>,
    pub plan: QueryPlan,
    /// Whether common words were left out of what matches (they only rank).
    pub common_rank_only: bool,
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

/// The bigram-field query that matches `text` as a contiguous substring, if it has any tokens.
fn substring_query(field: Field, text: &str) -> Option<Box<dyn Query>> {
    let toks = bigrams(text);
    match toks.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, &toks[0].text),
            IndexRecordOption::WithFreqsAndPositions,
        ))),
        _ => Some(Box::new(PhraseQuery::new(toks.iter().map(|t| Term::from_field_text(field, &t.text)).collect()))),
    }
}

/// How much of a long query is searched.
pub(crate) struct Caps {
    /// Distinct words.
    pub words: usize,
    /// Distinct character bigrams.
    pub bigrams: usize,
    /// Document frequency above which a word of a verbose query only ranks (see
    /// `IndexSettings::common_word_share`); `u64::MAX`: none.
    pub common_df: u64,
}

#[allow(clippy::too_many_arguments)] // one caller; a struct would only rename them
pub(crate) fn build(
    analysis: &Analysis,
    fields: &Fields,
    weights: &FieldWeights,
    parsed: &ParsedQuery,
    caps: Caps,
    doc_freq: &dyn Fn(Field, &str) -> u64,
    inject: Option<Box<dyn Query>>,
    synonyms: &Synonyms,
) -> Built {
    let mut plan = QueryPlan::default();
    let mut positive: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut excluded: Vec<Box<dyn Query>> = Vec::new();
    let mut seen_words = HashSet::new();

    for clause in &parsed.clauses {
        match clause {
            Clause::Free(text) => {
                plan.tokens.extend(analysis.query_words(text).into_iter().map(|t| t.text));
                for word in analysis.content_words(text) {
                    if seen_words.insert(word.text.clone()) {
                        plan.content_words.push(word.text);
                    }
                }
                // A 档号, 文号, id or exact title typed whole is a known-item request.
                for code in crate::known_item::query_keys(text) {
                    positive.push((Occur::Should, boosted(term_query(fields.code, &code), weights.exact_code)));
                }
            }
            Clause::Phrase(text) => {
                plan.tokens.push(lantai_text::normalize(text));
                if let Some(q) = substring_query(fields.all_bg, text) {
                    positive.push((Occur::Must, q));
                    plan.highlight.add_phrase(text);
                }
            }
            Clause::Exclude(text) => {
                if let Some(q) = substring_query(fields.all_bg, text) {
                    excluded.push(q);
                }
            }
        }
    }

    let words = rarest(&plan.content_words, caps.words, &|w| doc_freq(fields.text, w));
    // Sub-word matching serves short, keyword-like queries; a verbose one has evidence enough
    // in its words, and a bigram phrase per word would multiply its cost.
    let sub_words = words.len() <= SHORT_QUERY_WORDS;
    // Scoring only, over the best word matches (see `Built::rescore`).
    let mut ranking_only: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // A verbose query's common words rank what its informative words match, if any of those
    // occurs at all.
    let mut common: HashSet<&str> = HashSet::new();
    if !sub_words && caps.common_df < u64::MAX {
        let mut informative = false;
        for &word in &words {
            match doc_freq(fields.text, word) {
                0 => {}
                df if df <= caps.common_df => informative = true,
                _ => {
                    common.insert(word);
                }
            }
        }
        if !informative {
            common.clear();
        }
    }
    for word in words {
        let own = word_query(fields, weights, word, sub_words);
        if let Some(parts) = parts_instead(analysis, fields, weights, word, &mut plan.highlight) {
            ranking_only.push((Occur::Should, parts));
        }
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for synonym in synonyms.of(word) {
            alternatives
                .push((Occur::Should, boosted(union(word_query(fields, weights, synonym, sub_words)), SYNONYM_WEIGHT)));
            plan.highlight.add_word(synonym);
        }
        plan.highlight.add_word(word);
        let clauses: Vec<Box<dyn Query>> = if alternatives.is_empty() {
            own
        } else {
            // The word or any synonym, scored by the best match (a record using both is not
            // twice as relevant).
            alternatives.insert(0, (Occur::Should, union(own)));
            vec![Box::new(DisjunctionMaxQuery::new(alternatives.into_iter().map(|(_, q)| q).collect()))]
        };
        if common.contains(word) {
            ranking_only.push((Occur::Should, union(clauses)));
        } else {
            // The word's clauses go straight into the query's one union: the same sum, without
            // a union (and its buffers) per word.
            positive.extend(clauses.into_iter().map(|q| (Occur::Should, q)));
        }
    }

    // The query's bigrams rank what its words matched; they do not widen the match (a record
    // sharing only a two-character fragment with a question is not a result to count).
    if weights.query_bigrams > 0.0 && !plan.content_words.is_empty() {
        let grams = query_bigrams(parsed);
        for gram in rarest(&grams, caps.bigrams, &|g| doc_freq(fields.all_bg, g)) {
            ranking_only.push((Occur::Should, boosted(term_query(fields.all_bg, gram), weights.query_bigrams)));
        }
    }
    let rescore: Vec<Box<dyn Query>> = ranking_only.into_iter().map(|(_, q)| q).collect();

    // Records learned from usage stand in for the free words (phrases and filters still apply).
    if let (Some(ids), false) = (inject, positive.is_empty()) {
        positive.push((Occur::Should, injected(ids)));
    }
    // With a phrase present, phrases are required and free words only rank.
    let matching: Box<dyn Query> =
        if positive.is_empty() { Box::new(AllQuery) } else { Box::new(BooleanQuery::new(positive)) };

    // Visibility and the user's filters are applied as matches are collected (`visible.rs`), so
    // a query without exclusions stays the plain union tantivy scores fastest.
    let query: Box<dyn Query> = if excluded.is_empty() {
        matching
    } else {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matching)];
        clauses.extend(excluded.into_iter().map(|q| (Occur::MustNot, Box::new(Guarded(q)) as Box<dyn Query>)));
        Box::new(BooleanQuery::new(clauses))
    };
    let common_rank_only = !common.is_empty();
    drop(common);
    Built { query, rescore, plan, common_rank_only }
}

/// A synonym's match counts this much of the word's own.
const SYNONYM_WEIGHT: f32 = 0.8;

/// Queries with at most this many content words also match each word inside longer words.
const SHORT_QUERY_WORDS: usize = 8;

/// The distinct CJK character bigrams of the query's free text (phrases and exclusions have
/// their own clauses), in query order.
fn query_bigrams(parsed: &ParsedQuery) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for clause in &parsed.clauses {
        if let Clause::Free(text) = clause {
            for gram in bigrams(text) {
                let cjk_pair = gram.text.chars().count() == 2 && gram.text.chars().all(is_cjk);
                if cjk_pair && seen.insert(gram.text.clone()) {
                    out.push(gram.text);
                }
            }
        }
    }
    out
}

/// The terms searched for: all of them, or for a very long query the rarest ones (the most
/// informative, by document frequency), kept in query order.
fn rarest<'w>(words: &'w [String], max: usize, doc_freq: &dyn Fn(&str) -> u64) -> Vec<&'w str> {
    if words.len() <= max {
        return words.iter().map(String::as_str).collect();
    }
    let mut by_rarity: Vec<(u64, usize)> = words.iter().enumerate().map(|(i, w)| (doc_freq(w), i)).collect();
    by_rarity.sort_unstable();
    let mut keep: Vec<usize> = by_rarity.into_iter().take(max).map(|(_, i)| i).collect();
    keep.sort_unstable();
    keep.into_iter().map(|i| words[i].as_str()).collect()
}

/// For a long query word, its best-matching dictionary part at a lower weight, in records that
/// lack the word itself (where it is present, the index already scored its parts with it).
fn parts_instead(
    analysis: &Analysis,
    fields: &Fields,
    w: &FieldWeights,
    word: &str,
    highlight: &mut HighlightTerms,
) -> Option<Box<dyn Query>> {
    if w.word_parts <= 0.0 || word.chars().count() < 3 {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for part in analysis.index_words(word) {
        if part.text != word && part.text.chars().count() >= 2 && !parts.contains(&part.text) {
            parts.push(part.text);
        }
    }
    if parts.is_empty() {
        return None;
    }
    let mut best = Vec::new();
    for part in &parts {
        best.push(boosted(union(word_query(fields, w, part, false)), w.word_parts));
        highlight.add_word(part);
    }
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(DisjunctionMaxQuery::new(best)) as Box<dyn Query>),
        (Occur::MustNot, term_query(fields.text, word)),
    ])))
}

/// Clauses any of which may match, scores summed.
fn union(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Should, q)).collect()))
}

/// One query word: its score over the whole record plus each field's bonus (clauses to be
/// summed).
fn word_query(fields: &Fields, w: &FieldWeights, word: &str, sub_words: bool) -> Vec<Box<dyn Query>> {
    let mut disjuncts: Vec<Box<dyn Query>> = [
        (fields.text, w.text),
        (fields.title, w.title),
        (fields.keywords, w.keywords),
        (fields.creator, w.creator),
        (fields.doc_number, w.doc_number),
        (fields.abstract_, w.abstract_),
    ]
    .into_iter()
    .filter(|(_, weight)| *weight > 0.0)
    .map(|(field, weight)| boosted(term_query(field, word), weight))
    .collect();
    // A lone CJK character has no bigram; everything else can match inside longer words.
    let lone_cjk = word.chars().count() == 1 && word.chars().all(is_cjk);
    if sub_words && !lone_cjk {
        for (field, weight) in [(fields.title_bg, w.title_bigram), (fields.all_bg, w.all_bigram)] {
            if weight > 0.0 {
                if let Some(q) = substring_query(field, word) {
                    disjuncts.push(boosted(q, weight));
                }
            }
        }
    }
    disjuncts
}

/// Records containing any of `words` (as substrings, folded), for counting what a dictionary
/// change affects.
pub(crate) fn containing_any(fields: &Fields, words: &[String]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> =
        words.iter().filter_map(|w| substring_query(fields.all_bg, w)).map(|q| (Occur::Should, q)).collect();
    if clauses.is_empty() {
        Box::new(EmptyQuery)
    } else {
        Box::new(BooleanQuery::new(clauses))
    }
}

/// The records of `ids`, as a clause that matches without adding to the score.
pub(crate) fn injected(ids: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(ids, 0.0))
}

/// The part of a built query (built with `inject`) that is the injected records.
pub(crate) fn only_injected(built: Box<dyn Query>, ids: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![(Occur::Must, built), (Occur::Must, injected(ids))]))
}
