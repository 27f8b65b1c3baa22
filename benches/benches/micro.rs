//! Micro-benchmarks: segmentation, indexing, queries by type, snippets, re-ranking from usage,
//! SERVQUAL aggregation. `cargo bench -p lantai-benches` (figures in benches/RESULTS.md).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lantai_benches::{questions, records};
use lantai_index::{highlight, ArchiveIndex, Filters, HighlightTerms, IndexSettings, SearchRequest, Visibility};
use lantai_model::{Classification, EventKind, Grants};
use lantai_quality::{score_group, Answer, Format, Response, Scored};
use lantai_rank::{rerank, Candidate, Interaction, QueryContext, RankModel, RankParams, Session};
use lantai_text::{bigrams, Analysis, AnalysisOptions};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn analysis() -> Analysis {
    Analysis::new(&AnalysisOptions::default()).expect("built-in dictionaries load")
}

fn segmentation(c: &mut Criterion) {
    let a = analysis();
    let texts: Vec<String> = records(2000).into_iter().filter_map(|r| r.content).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("segmentation");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("index_words (search mode)", |b| {
        b.iter(|| texts.iter().map(|t| a.index_words(t).len()).sum::<usize>())
    });
    g.bench_function("query_words (default mode)", |b| {
        b.iter(|| texts.iter().map(|t| a.query_words(t).len()).sum::<usize>())
    });
    g.bench_function("bigrams", |b| b.iter(|| texts.iter().map(|t| bigrams(t).len()).sum::<usize>()));
    g.finish();
}

fn visibility() -> Visibility {
    Visibility { clearance: Classification::TopSecret, every_access: true, grants: Grants::default() }
}

fn indexing(c: &mut Criterion) {
    let docs = records(2000);
    let mut g = c.benchmark_group("indexing");
    g.throughput(Throughput::Elements(docs.len() as u64));
    g.sample_size(10);
    g.bench_function("2000 records, in memory", |b| {
        b.iter(|| {
            let index = ArchiveIndex::in_memory(analysis(), IndexSettings::default()).unwrap();
            index.apply(docs.iter().map(|r| (r.id.as_str(), Some(r))), 1).unwrap();
            black_box(index.num_docs())
        })
    });
    g.finish();
}

fn queries(c: &mut Criterion) {
    let docs = records(20_000);
    let index = ArchiveIndex::in_memory(analysis(), IndexSettings::default()).unwrap();
    index.apply(docs.iter().map(|r| (r.id.as_str(), Some(r))), 1).unwrap();
    let questions = questions(200);
    let filters = Filters::default();
    let search = |q: &str| {
        index
            .search(&SearchRequest {
                query: q,
                limit: 10,
                offset: 0,
                filters: &filters,
                visibility: visibility(),
                inject: &[],
            })
            .unwrap()
            .total
    };
    let mut g = c.benchmark_group(format!("query over {} records", docs.len()));
    g.throughput(Throughput::Elements(questions.len() as u64));
    g.bench_function("natural-language questions", |b| b.iter(|| questions.iter().map(|q| search(q)).sum::<usize>()));
    g.finish();
    let mut g = c.benchmark_group(format!("query type over {} records", docs.len()));
    for (name, q) in [
        ("one word", "合同"),
        ("two words", "劳动 合同"),
        ("phrase", "\"劳动合同\""),
        ("exclusion", "合同 -劳动"),
        ("browse", ""),
    ] {
        g.bench_with_input(BenchmarkId::from_parameter(name), q, |b, q| b.iter(|| search(q)));
    }
    g.finish();
}

fn snippets(c: &mut Criterion) {
    let texts: Vec<String> = records(500).into_iter().filter_map(|r| r.content).collect();
    let mut terms = HighlightTerms::default();
    for w in ["合同", "劳动", "赔偿", "规定"] {
        terms.add_word(w);
    }
    let mut g = c.benchmark_group("snippets");
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("120 characters, 4 terms", |b| {
        b.iter(|| texts.iter().map(|t| highlight(t, &terms, 120).html.len()).sum::<usize>())
    });
    g.finish();
}

fn ranking(c: &mut Criterion) {
    let params = RankParams::default();
    let mut model = RankModel::default();
    let mut rng = StdRng::seed_from_u64(7);
    let words: Vec<String> = (0..500).map(|i| format!("词{i}")).collect();
    for seq in 1..=20_000u64 {
        let terms: Vec<String> = (0..4).map(|_| words[rng.random_range(0..words.len())].clone()).collect();
        let shown: Vec<String> = (0..10).map(|_| format!("r{}", rng.random_range(0..5000))).collect();
        let record = shown[rng.random_range(0..10usize)].clone();
        let session = Session {
            query_key: terms.join(" "),
            terms,
            department: format!("部门{}", seq % 7),
            user_group: String::new(),
            at_ms: seq as i64,
            shown,
            randomised_pair: None,
        };
        let event = Interaction {
            seq,
            at_ms: seq as i64 * 1000,
            query_id: format!("q{seq}"),
            record_id: record,
            category: Some(["WS", "KJ·JJ", "KU"][seq as usize % 3].into()),
            org_unit: None,
            kind: EventKind::Download,
            position: Some(rng.random_range(1..=10)),
            dwell_ms: None,
        };
        model.fold(&event, || Some(session), &params);
    }
    let terms: Vec<(String, f64)> = words.iter().take(6).map(|w| (w.clone(), 3.0)).collect();
    let candidates: Vec<Candidate> = (0..100)
        .map(|i| Candidate {
            id: format!("r{i}"),
            category: Some("WS".into()),
            org_unit: None,
            score: 10.0 - i as f32 * 0.05,
        })
        .collect();
    let mut g = c.benchmark_group("ranking from usage (20,000 events folded)");
    g.bench_function("scorer + rerank 100 candidates", |b| {
        b.iter(|| {
            let ctx = QueryContext {
                query_key: "词1 词2",
                terms: &terms,
                department: "部门1",
                user_group: "",
                now_ms: 30_000_000,
            };
            let mut scorer = model.scorer(&ctx, &params);
            scorer.consider_ambiguity(&[("WS".into(), 0.5), ("KU".into(), 0.5)]);
            let best: Vec<(&str, f64)> = candidates.iter().take(10).map(|c| (c.id.as_str(), 1.0)).collect();
            scorer.consider_results(&best);
            rerank(candidates.clone(), &scorer).len()
        })
    });
    g.bench_function("fold one event", |b| {
        let mut seq = 1_000_000u64;
        b.iter(|| {
            seq += 1;
            let event = Interaction {
                seq,
                at_ms: seq as i64,
                query_id: format!("q{}", seq % 100),
                record_id: format!("r{}", seq % 5000),
                category: Some("WS".into()),
                org_unit: None,
                kind: EventKind::Open,
                position: Some(3),
                dwell_ms: None,
            };
            model.fold(
                &event,
                || {
                    Some(Session {
                        query_key: "q".into(),
                        terms: vec!["词1".into(), "词2".into()],
                        department: String::new(),
                        user_group: String::new(),
                        at_ms: 0,
                        shown: Vec::new(),
                        randomised_pair: None,
                    })
                },
                &params,
            )
        })
    });
    g.finish();
}

fn servqual(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(11);
    let responses: Vec<Response> = (0..100_000)
        .map(|_| Response {
            survey_version: 1,
            format: Format::Ep,
            answers: (1u8..=22)
                .map(|item| Answer {
                    item,
                    expectation: Some(f64::from(rng.random_range(1u8..=7))),
                    perception: Some(f64::from(rng.random_range(1u8..=7))),
                    minimum: None,
                    desired: None,
                    perceived: None,
                })
                .collect(),
            importance: None,
            technical: None,
            functional: None,
            found_record: None,
            comment: None,
            query_id: None,
            record_id: None,
        })
        .collect();
    let mut g = c.benchmark_group("servqual");
    g.sample_size(10);
    g.throughput(Throughput::Elements(responses.len() as u64));
    g.bench_function("score 100,000 responses", |b| {
        b.iter(|| score_group(&Scored { key: "all".into(), responses: responses.iter().collect() }, 5).n)
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = segmentation, indexing, queries, snippets, ranking, servqual
}
criterion_main!(benches);
