//! Property: for random records, principals, queries and filters, nothing the principal may not
//! see (or the filters exclude) appears in hits, totals or facets, and everything else is
//! counted.

use std::collections::BTreeMap;

use lantai_engine::{BatchFormat, Config, Engine, Filters, Grants, Principal, Role, SearchParams};
use proptest::prelude::*;
use serde_json::json;

const CLASSES: [&str; 5] = ["公开", "内部", "秘密", "机密", "绝密"];
const ACCESS: [&str; 4] = ["开放", "控制", "延期开放", "未审核"];
const UNITS: [&str; 3] = ["财务部", "人力资源部", "办公室"];
const CATS: [&str; 3] = ["WS", "KU", "RS"];
const WORDS: [&str; 6] = ["业扩报装", "有线电视", "物业服务", "保险账户", "待处理工单", "竣工验收"];

#[derive(Debug, Clone)]
struct Rec {
    class: usize,
    access: usize,
    unit: usize,
    cat: usize,
    /// 2000 + this, or no year.
    year: Option<i64>,
    words: (usize, usize),
}

fn rec() -> impl Strategy<Value = Rec> {
    (0..5usize, 0..4usize, 0..3usize, 0..3usize, proptest::option::of(0..5i64), (0..6usize, 0..6usize))
        .prop_map(|(class, access, unit, cat, year, words)| Rec { class, access, unit, cat, year, words })
}

/// The user's filters: a 门类, a 密级, a year range (each optional).
fn filters() -> impl Strategy<Value = Filters> {
    (
        proptest::option::of(0..3usize),
        proptest::option::of(0..5usize),
        proptest::option::of(0..5i64),
        proptest::option::of(0..5i64),
    )
        .prop_map(|(cat, class, from, to)| Filters {
            categories: cat.map(|k| vec![CATS[k].to_string()]).unwrap_or_default(),
            year_from: from.map(|y| 2000 + y),
            year_to: to.map(|y| 2000 + y),
            classifications: class.map(|c| vec![CLASSES[c].parse().unwrap()]).unwrap_or_default(),
        })
}

fn passes(f: &Filters, r: &Rec) -> bool {
    let year = r.year.map(|y| 2000 + y);
    (f.categories.is_empty() || f.categories.iter().any(|c| c == CATS[r.cat]))
        && (f.classifications.is_empty() || f.classifications.iter().any(|c| c.as_str() == CLASSES[r.class]))
        && f.year_from.is_none_or(|from| year.is_some_and(|y| y >= from))
        && f.year_to.is_none_or(|to| year.is_some_and(|y| y <= to))
}

fn principal() -> impl Strategy<Value = Principal> {
    (0..3usize, 0..5usize, proptest::option::of(0..3usize), proptest::option::of(0..3usize)).prop_map(
        |(role, c, u, k)| Principal {
            name: "p".into(),
            role: [Role::Employee, Role::Analyst, Role::Admin][role],
            department: String::new(),
            user_group: String::new(),
            clearance: CLASSES[c].parse().unwrap(),
            grants: Grants {
                departments: u.map(|u| vec![UNITS[u].to_string()]).unwrap_or_default(),
                categories: k.map(|k| vec![CATS[k].to_string()]).unwrap_or_default(),
            },
        },
    )
}

fn may_see(p: &Principal, r: &Rec) -> bool {
    let class_ok = r.class <= CLASSES.iter().position(|c| *c == p.clearance.as_str()).unwrap();
    let access_ok = p.role == Role::Admin
        || r.access == 0
        || (r.access == 1
            && (p.grants.departments.iter().any(|d| d == UNITS[r.unit])
                || p.grants.categories.iter().any(|c| c == CATS[r.cat])));
    class_ok && access_ok
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn nothing_invisible_leaks(recs in proptest::collection::vec(rec(), 1..40), principals in proptest::collection::vec(principal(), 1..4), query in 0..7usize, filters in filters()) {
        let temp = tempfile::tempdir().unwrap();
        let mut config = Config::defaults();
        config.storage.data_dir = temp.path().to_path_buf();
        config.index.writer_heap_mb = 16;
        config.index.writer_threads = 1;
        let engine = Engine::open(config).unwrap();
        let body: String = recs.iter().enumerate().map(|(i, r)| {
            json!({
                "id": format!("r{i}"),
                "title": format!("{}与{}的记录", WORDS[r.words.0], WORDS[r.words.1]),
                "classification": CLASSES[r.class], "access": ACCESS[r.access],
                "org_unit": UNITS[r.unit], "category": CATS[r.cat], "year": r.year.map(|y| 2000 + y),
            }).to_string() + "\n"
        }).collect();
        prop_assert_eq!(engine.ingest(body.as_bytes(), BatchFormat::Ndjson).unwrap().accepted, recs.len());
        let q = if query == 6 { String::new() } else { WORDS[query].to_string() };
        for (p, filters) in principals.iter().flat_map(|p| [(p, Filters::default()), (p, filters.clone())]) {
            let params = SearchParams { q: q.clone(), limit: 1000, offset: 0, filters: filters.clone(), explain: false };
            let answer = engine.search(&params, p).unwrap();
            let matches = |r: &Rec| q.is_empty() || WORDS[r.words.0] == q || WORDS[r.words.1] == q;
            let expected: Vec<usize> = recs.iter().enumerate().filter(|(_, r)| may_see(p, r) && matches(r) && passes(&filters, r)).map(|(i, _)| i).collect();
            for hit in &answer.hits {
                let i: usize = hit.id[1..].parse().unwrap();
                prop_assert!(may_see(p, &recs[i]), "{:?} saw {:?}", p, recs[i]);
                prop_assert!(passes(&filters, &recs[i]), "{:?} let {:?} through", filters, recs[i]);
            }
            prop_assert_eq!(answer.total, expected.len());
            prop_assert_eq!(answer.hits.len(), expected.len());
            let mut facets: BTreeMap<String, u64> = BTreeMap::new();
            for &i in &expected {
                *facets.entry(CATS[recs[i].cat].to_string()).or_default() += 1;
            }
            prop_assert_eq!(&answer.facets.category, &facets);
            for (i, r) in recs.iter().enumerate() {
                let got = engine.get(&format!("r{i}"), p).unwrap();
                prop_assert_eq!(got.is_some(), may_see(p, r));
            }
        }
    }
}
