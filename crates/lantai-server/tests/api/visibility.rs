//! A record above the caller's clearance, or not open to it, appears nowhere.

use serde_json::Value;

use crate::helpers::*;

fn demo() -> Vec<Value> {
    DEMO.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn rank(c: &str) -> u8 {
    ["公开", "内部", "秘密", "机密", "绝密"].iter().position(|x| *x == c).unwrap() as u8
}

/// Whether an employee with `clearance` may see the demo record (defaults: 内部, 开放).
fn visible(r: &Value, clearance: &str) -> bool {
    let c = r["classification"].as_str().unwrap_or("内部");
    let a = r["access"].as_str().unwrap_or("开放");
    rank(c) <= rank(clearance) && a == "开放"
}

#[test]
fn hits_totals_and_facets_only_count_visible_records() {
    let app = TestApp::with_demo();
    let records = demo();
    for clearance in ["公开", "内部", "秘密"] {
        let key = app.key_for("employee", clearance);
        // Browse everything (empty query): the total is exactly the visible records.
        let r = app.search(&key, "", "limit=1000");
        assert_eq!(r.status, 200);
        let expected: Vec<&Value> = records.iter().filter(|r| visible(r, clearance)).collect();
        assert_eq!(r.body["total"], expected.len(), "{clearance}");
        let ids = hit_ids(&r.body);
        assert_eq!(ids.len(), expected.len());
        for hit in r.body["hits"].as_array().unwrap() {
            assert!(rank(hit["classification"].as_str().unwrap()) <= rank(clearance), "{hit}");
        }
        let facet_total: u64 =
            r.body["facets"]["category"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
        assert!(facet_total <= expected.len() as u64);
        let year_total: u64 = r.body["facets"]["year"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(year_total, expected.len() as u64);
        // Each category count matches the visible records of that category.
        for (cat, n) in r.body["facets"]["category"].as_object().unwrap() {
            let want = expected.iter().filter(|r| r["category"].as_str() == Some(cat.as_str())).count();
            assert_eq!(n.as_u64().unwrap() as usize, want, "{clearance} {cat}");
        }
        // A query for text of invisible records finds nothing of them, and their ids 404.
        for hidden in records.iter().filter(|r| !visible(r, clearance)).take(15) {
            let id = hidden["id"].as_str().unwrap();
            assert_problem(&app.get(&format!("/v1/records/{id}"), Some(&key)), 404, "not_found");
            let title = hidden["title"].as_str().unwrap();
            let r = app.search(&key, title, "limit=100");
            assert!(!hit_ids(&r.body).contains(&id.to_string()), "{id} leaked to {clearance}");
            if let Some(code) = hidden["archival_code"].as_str() {
                let r = app.search(&key, code, "limit=100");
                assert!(!hit_ids(&r.body).contains(&id.to_string()), "{id} leaked by 档号");
            }
            if let Some(text) = hidden["content"].as_str() {
                let probe: String = text.chars().take(12).collect();
                let r = app.search(&key, &probe, "limit=100");
                for hit in r.body["hits"].as_array().unwrap() {
                    assert_ne!(hit["id"], id);
                    assert!(
                        !hit["snippet"].as_str().unwrap().contains(&probe)
                            || visible_by_id(&records, hit["id"].as_str().unwrap(), clearance)
                    );
                }
            }
        }
    }
}

fn visible_by_id(records: &[Value], id: &str, clearance: &str) -> bool {
    records.iter().find(|r| r["id"] == id).is_some_and(|r| visible(r, clearance))
}

#[test]
fn admins_see_controlled_records_employees_do_not() {
    let app = TestApp::with_demo();
    let records = demo();
    let controlled =
        records.iter().find(|r| r["access"] == "控制" && r["classification"] == "公开").expect("fixture has one");
    let id = controlled["id"].as_str().unwrap();
    let top = app.key_for("employee", "绝密");
    assert_problem(&app.get(&format!("/v1/records/{id}"), Some(&top)), 404, "not_found");
    let r = app.get(&format!("/v1/records/{id}"), Some(ADMIN_KEY));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["id"], id);
    assert_eq!(app.search(ADMIN_KEY, "", "limit=1000").body["total"], records.len());
}

#[test]
fn filters_narrow_within_what_is_visible() {
    let app = TestApp::with_demo();
    let r = app.search(ADMIN_KEY, "", "category=WS&year_from=2019&year_to=2021&limit=1000");
    assert_eq!(r.status, 200);
    for hit in r.body["hits"].as_array().unwrap() {
        assert_eq!(hit["category"], "WS");
        let y = hit["year"].as_i64().unwrap();
        assert!((2019..=2021).contains(&y));
    }
    assert_eq!(r.body["facets"]["category"].as_object().unwrap().len(), 1);
    let r = app.search(ADMIN_KEY, "", &format!("classification={}&limit=1000", encode("公开,内部")));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["total"].as_u64().unwrap() > 0);
    for hit in r.body["hits"].as_array().unwrap() {
        assert!(["公开", "内部"].contains(&hit["classification"].as_str().unwrap()));
    }
    // A category code written with another middle dot still matches.
    let a = app.search(ADMIN_KEY, "", "category=KJ%E3%83%BBJJ&limit=1").body["total"].clone();
    let b = app.search(ADMIN_KEY, "", "category=KJ%C2%B7JJ&limit=1").body["total"].clone();
    assert_eq!(a, b);
    assert!(a.as_u64().unwrap() > 0);
}
