//! Merging into one segment once writes pause: only when idle long enough and enough was
//! written, and searches answer exactly as before it.

use std::time::Duration;

use lantai_index::{ArchiveIndex, Filters, IndexSettings, SearchRequest, Visibility};
use lantai_model::{Classification, Grants, Record, RecordDefaults};
use lantai_text::{Analysis, AnalysisOptions};

fn record(id: &str, content: &str) -> Record {
    let value = serde_json::json!({ "id": id, "content": content, "classification": "公开" });
    Record::from_json(value, RecordDefaults::default()).unwrap()
}

fn ranked(index: &ArchiveIndex, q: &str) -> (usize, Vec<(String, f32)>) {
    let filters = Filters::default();
    let visibility = Visibility { clearance: Classification::Public, every_access: false, grants: Grants::default() };
    let req = SearchRequest { query: q, limit: 10, offset: 0, filters: &filters, visibility, inject: &[] };
    let found = index.search(&req).unwrap();
    (found.total, found.hits.into_iter().map(|h| (h.id, h.score)).collect())
}

const TEXTS: [&str; 4] = [
    "关于电网调度运行管理规定的通知",
    "变电站设备检修计划及安全措施",
    "合同纠纷处理意见和调度会议纪要",
    "年度财务审计报告与整改措施",
];

/// Four commits of eight records each: four segments (or fewer, if tantivy merged some).
fn written_in_batches() -> ArchiveIndex {
    let index =
        ArchiveIndex::in_memory(Analysis::new(&AnalysisOptions::default()).unwrap(), IndexSettings::default()).unwrap();
    for batch in 0..4u64 {
        let records: Vec<Record> = (0..8)
            .map(|i| record(&format!("r{batch}-{i}"), &format!("{}（第{i}份）", TEXTS[(batch as usize + i) % 4])))
            .collect();
        index.apply(records.iter().map(|r| (r.id.as_str(), Some(r))), batch + 1).unwrap();
    }
    index
}

#[test]
fn merges_into_one_segment_once_idle_and_answers_the_same() {
    let index = written_in_batches();
    assert!(index.segment_count() > 1, "the test needs several segments");
    let before: Vec<_> = ["调度", "检修措施", "审计"].iter().map(|q| ranked(&index, q)).collect();

    // Writes just happened: not idle for an hour.
    assert!(!index.merge_if_idle(Duration::from_secs(3600)).unwrap());
    assert!(index.segment_count() > 1);

    assert!(index.merge_if_idle(Duration::ZERO).unwrap());
    assert_eq!(index.segment_count(), 1);
    assert_eq!(index.num_docs(), 32);
    let after: Vec<_> = ["调度", "检修措施", "审计"].iter().map(|q| ranked(&index, q)).collect();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0, "totals");
        let mut b_ids: Vec<_> = b.1.iter().map(|(id, s)| (id.clone(), (s * 1e4).round() as i64)).collect();
        let mut a_ids: Vec<_> = a.1.iter().map(|(id, s)| (id.clone(), (s * 1e4).round() as i64)).collect();
        b_ids.sort();
        a_ids.sort();
        assert_eq!(b_ids, a_ids, "the same hits with the same scores");
    }

    // Nothing written since: nothing to do.
    assert!(!index.merge_if_idle(Duration::ZERO).unwrap());
}

#[test]
fn a_small_write_into_a_large_index_waits_for_more() {
    let index = written_in_batches();
    assert!(index.merge_if_idle(Duration::ZERO).unwrap());
    // One record is less than a tenth of 32: it stays in its own segment.
    let r = record("late", "补充的调度记录");
    index.apply([(r.id.as_str(), Some(&r))], 5).unwrap();
    assert_eq!(index.segment_count(), 2);
    assert!(!index.merge_if_idle(Duration::ZERO).unwrap());
    // Four more make five of 37: merged.
    for i in 0..4 {
        let r = record(&format!("late{i}"), "补充的检修记录");
        index.apply([(r.id.as_str(), Some(&r))], 6 + i).unwrap();
    }
    assert!(index.merge_if_idle(Duration::ZERO).unwrap());
    assert_eq!(index.segment_count(), 1);
    assert_eq!(ranked(&index, "补充").0, 5);
}
