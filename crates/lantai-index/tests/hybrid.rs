//! Words and character bigrams together: records a query's words match alike are ordered by how
//! much of the query's own character sequence they share, and a long query word falls back on
//! its dictionary parts; neither widens what matches.

use lantai_index::{ArchiveIndex, FieldWeights, Filters, IndexSettings, SearchRequest, Visibility};
use lantai_model::{Classification, Grants, Record, RecordDefaults};
use lantai_text::{Analysis, AnalysisOptions};

fn record(id: &str, content: &str) -> Record {
    let value = serde_json::json!({ "id": id, "content": content, "classification": "公开" });
    Record::from_json(value, RecordDefaults::default()).unwrap()
}

fn index(settings: IndexSettings, records: &[Record]) -> ArchiveIndex {
    let index = ArchiveIndex::in_memory(Analysis::new(&AnalysisOptions::default()).unwrap(), settings).unwrap();
    index.apply(records.iter().map(|r| (r.id.as_str(), Some(r))), 1).unwrap();
    index
}

fn ranked(index: &ArchiveIndex, q: &str) -> Vec<(String, f32)> {
    searched(index, q).0
}

fn ids(hits: &[(String, f32)]) -> Vec<&str> {
    hits.iter().map(|(id, _)| id.as_str()).collect()
}

fn settings(query_bigrams: f32, word_parts: f32) -> IndexSettings {
    IndexSettings {
        weights: FieldWeights { query_bigrams, word_parts, ..FieldWeights::default() },
        ..IndexSettings::default()
    }
}

/// Both hold the query's words; the first is shorter (word scores favour it), only the second
/// keeps the query's order (合同解除 shares the bigram 同解 with it).
fn same_words() -> Vec<Record> {
    vec![record("reversed", "解除合同的条件与程序"), record("in-order", "合同解除的条件、程序及其法律后果")]
}

#[test]
fn the_query_character_order_outweighs_a_small_length_difference() {
    let words_only = ranked(&index(settings(0.0, 0.0), &same_words()), "合同解除");
    assert_eq!(ids(&words_only), ["reversed", "in-order"], "{words_only:?}");
    let hybrid = ranked(&index(IndexSettings::default(), &same_words()), "合同解除");
    assert_eq!(ids(&hybrid), ["in-order", "reversed"], "{hybrid:?}");
}

#[test]
fn bigrams_rank_but_never_widen_the_match() {
    // Shares the bigram 期限 with the query but none of its words (日期 | 限制 here). The
    // question is long, so whole words decide what matches (a short one also matches a word
    // inside longer ones: 处理 finds 待处理).
    let records = vec![record("only-a-bigram", "这个日期限制很严"), record("match", "劳动争议仲裁的申请期限是多久")];
    let q = "劳动争议 仲裁 申请 期限 多久 怎么 计算 到期 以后 还能 再 提出 仲裁 申请";
    assert_eq!(ids(&ranked(&index(IndexSettings::default(), &records), q)), ["match"]);
}

#[test]
fn a_long_word_falls_back_on_its_parts_in_what_matched() {
    // 最高人民法院 is one word to jieba; `part` names only 人民法院, `neither` none of it.
    let records = vec![
        record("whole", "最高人民法院关于审判工作的意见"),
        record("part", "人民法院的审判工作"),
        record("neither", "审判工作的一般规定"),
    ];
    let q = "最高人民法院 审判工作";
    let score_of = |hits: &[(String, f32)], id: &str| hits.iter().find(|(h, _)| h == id).map(|(_, s)| *s).unwrap();
    let plain = ranked(&index(settings(0.0, 0.0), &records), q);
    let hits = ranked(&index(IndexSettings::default(), &records), q);
    assert_eq!(ids(&hits), ["whole", "part", "neither"], "{hits:?}");
    assert!(
        score_of(&hits, "part") - score_of(&plain, "part") > score_of(&hits, "neither") - score_of(&plain, "neither")
    );

    // Parts rank; they do not widen the match (人民法院 alone does not answer 最高人民法院).
    assert_eq!(ids(&ranked(&index(IndexSettings::default(), &records), "最高人民法院")), ["whole"]);
}

/// Hits (the first 10) and total of a search.
fn searched(index: &ArchiveIndex, q: &str) -> (Vec<(String, f32)>, usize) {
    searched_page(index, q, 10)
}

/// The first `limit` hits and the total of a search.
fn searched_page(index: &ArchiveIndex, q: &str, limit: usize) -> (Vec<(String, f32)>, usize) {
    let filters = Filters::default();
    let visibility = Visibility { clearance: Classification::Public, every_access: false, grants: Grants::default() };
    let req = SearchRequest { query: q, limit, offset: 0, filters: &filters, visibility, inject: &[] };
    let found = index.search(&req).unwrap();
    (found.hits.into_iter().map(|h| (h.id, h.score)).collect(), found.total)
}

#[test]
fn a_verbose_querys_common_words_can_rank_without_widening_the_match() {
    // 规定 and 办法 are in every one of these 300 records; 仲裁 and 时效 in twelve, 唯一 in one.
    let mut records: Vec<Record> =
        (0..288).map(|i| record(&format!("common-{i:03}"), &format!("关于印发管理办法的规定 第{i}号"))).collect();
    records.extend((0..12).map(|i| record(&format!("rare-{i:02}"), &format!("劳动争议仲裁时效{i}天的规定和办法"))));
    records[0] = record("common-000", "关于印发管理办法的规定 唯一");
    // Eleven content words: a pasted question, not a keyword query.
    let q = "劳动 争议 仲裁 时效 规定 办法 怎么 计算 到期 以后 还能 提出";
    let on = IndexSettings { common_word_share: 0.05, rescore_depth: 10, ..IndexSettings::default() };
    let (hits, total) = searched(&index(on.clone(), &records), q);
    assert_eq!(total, 12, "{hits:?}");
    assert!(hits.iter().all(|(id, _)| id.starts_with("rare-")), "{hits:?}");

    // Off (the default), every word matches; the common words still score what matched alike.
    // (Every hit, not a page: the twelve tie, and which ten fill a page depends on indexing.)
    let (all_hits, all_total) = searched_page(&index(IndexSettings::default(), &records), q, 300);
    assert_eq!(all_total, 300);
    for (id, score) in &hits {
        let before = all_hits.iter().find(|(h, _)| h == id).map(|(_, s)| *s).unwrap();
        assert!((score - before).abs() < 1e-4, "{id}: {score} vs {before}");
    }

    // Too few records hold the informative word (唯一) to rank: the common words match after all.
    let q = "唯一 规定 办法 关于 印发 管理 怎么 计算 到期 以后 还能 提出";
    assert_eq!(searched(&index(on.clone(), &records), q).1, 300);
    // A query of common words alone matches by them.
    let q = "关于 印发 管理 办法 规定 怎么 计算 到期 以后 还能 提出";
    assert_eq!(searched(&index(on, &records), q).1, 300);
}
