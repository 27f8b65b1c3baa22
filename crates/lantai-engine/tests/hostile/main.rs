//! Hostile and broken inputs at the engine: huge batches, huge documents, arbitrary bytes.

use lantai_engine::{parse_batch, BatchFormat, Config, Engine, Filters, Principal, SearchParams};
use proptest::prelude::*;

fn engine(dir: &std::path::Path) -> Engine {
    let mut config = Config::defaults();
    config.storage.data_dir = dir.to_path_buf();
    config.index.writer_heap_mb = 64;
    Engine::open(config).unwrap()
}

#[test]
fn a_batch_of_100000_lines_is_taken_whole_with_its_bad_lines_reported() {
    let temp = tempfile::tempdir().unwrap();
    let engine = engine(temp.path());
    let mut body = String::with_capacity(8 << 20);
    for i in 0..99_998 {
        body.push_str(&format!(
            "{{\"id\":\"L{i:06}\",\"title\":\"第{i}号 业扩报装申请\",\"classification\":\"公开\"}}\n"
        ));
    }
    // One line broken in the middle, one id repeated: reported, the rest kept.
    body.push_str("{\"id\":\"broken\"\n{\"id\":\"L000007\",\"title\":\"第7号（更正）\",\"classification\":\"公开\"}\n");
    let report = engine.ingest(body.as_bytes(), BatchFormat::Ndjson).unwrap();
    assert_eq!(report.accepted, 99_998);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 99_999);
    assert_eq!(report.superseded.len(), 1);
    let all = SearchParams { q: String::new(), limit: 1, offset: 0, filters: Filters::default(), explain: false };
    assert_eq!(engine.search(&all, &Principal::bootstrap_admin()).unwrap().total, 99_998);
    // One line more than the limit is refused whole, with the reason.
    let over = "{\"id\":\"x\",\"title\":\"t\"}\n".repeat(100_001);
    assert_eq!(engine.ingest(over.as_bytes(), BatchFormat::Ndjson).unwrap_err().code(), "payload_too_large");
    assert_eq!(
        engine.get("L000007", &Principal::bootstrap_admin()).unwrap().unwrap().title.as_deref(),
        Some("第7号（更正）")
    );
}

#[test]
fn a_50_mb_document_is_refused_on_its_own_line_and_a_large_one_is_searchable() {
    let temp = tempfile::tempdir().unwrap();
    let engine = engine(temp.path());
    let huge = format!("{{\"id\":\"huge\",\"content\":\"{}\"}}\n", "档案".repeat(50 << 20 >> 3));
    let big = format!(
        "{{\"id\":\"big\",\"content\":\"{}有线电视服务站{}\"}}\n",
        "记录".repeat(400_000),
        "附件".repeat(400_000)
    );
    let report = engine.ingest(format!("{huge}{big}").as_bytes(), BatchFormat::Ndjson).unwrap();
    assert_eq!(report.accepted, 1);
    assert_eq!(report.rejected[0].code, "record_too_large");
    let q = SearchParams {
        q: "\"有线电视服务站\"".into(),
        limit: 5,
        offset: 0,
        filters: Filters::default(),
        explain: false,
    };
    let answer = engine.search(&q, &Principal::bootstrap_admin()).unwrap();
    assert_eq!(answer.hits[0].id, "big");
    assert!(answer.hits[0].snippet.contains("<em>有线电视服务站</em>"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn batch_parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for format in [BatchFormat::Ndjson, BatchFormat::JsonArray, BatchFormat::Csv] {
            let _ = parse_batch(&bytes, format);
        }
    }

    #[test]
    fn json_like_batches_never_panic(s in "[\\[\\]{}\":,a-z0-9 \\n\\\\中文\u{0}]{0,200}") {
        for format in [BatchFormat::Ndjson, BatchFormat::JsonArray, BatchFormat::Csv] {
            if let Ok(items) = parse_batch(s.as_bytes(), format) {
                for item in items {
                    if let Ok(map) = item.fields {
                        let _ = lantai_engine::Record::from_map(map, Default::default(), lantai_model::UnknownFields::Reject);
                    }
                }
            }
        }
    }
}
