//! The web page in a real browser (headless Chromium through chromedriver) against a started
//! server with the demo archive: an employee enters a key, searches, narrows by category and
//! year, opens a record, asks to borrow it, answers the survey, meets the answer card and the
//! empty page, switches to English; an analyst reads the dashboard; the page fits a phone. A
//! screenshot of each page goes to `target/screenshots/` for review.

use serde_json::{json, Value};

use crate::helpers::{TestApp, ADMIN_KEY};
use crate::webdriver::Browser;

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";

/// Survey responses so the dashboard has something to draw: zone-of-tolerance (`zot`) answers
/// from 财务部 and expectation/perception (`ep`) answers from 工程部, six each (groups need five).
fn seed_survey(app: &TestApp) -> String {
    let survey = app.get("/v1/surveys/current", Some(ADMIN_KEY));
    let version = survey.body["version"].as_u64().unwrap();
    for (department, format) in [("财务部", "zot"), ("工程部", "ep")] {
        let key = app.employee_in(department);
        for n in 0..6u32 {
            let answers: Vec<Value> = (1..=22u32)
                .map(|item| {
                    let wobble = f64::from((item * 7 + n * 3) % 3);
                    if format == "zot" {
                        let minimum = 3.0 + wobble;
                        json!({"item": item, "minimum": minimum, "desired": minimum + 3.0, "perceived": minimum + f64::from((item + n) % 5)})
                    } else {
                        json!({"item": item, "expectation": 6.0 + (wobble / 2.0).floor(), "perception": 3.0 + wobble + f64::from(n % 2)})
                    }
                })
                .collect();
            let body = json!({
                "survey_version": version, "format": format, "answers": answers,
                "importance": {"tangibles": 10, "reliability": 30, "responsiveness": 20, "assurance": 20, "empathy": 20},
                "technical": 5, "functional": 4 + n % 3, "found_record": n % 4 != 0,
            });
            let r = app.call("POST", "/v1/surveys/responses", Some(&key), Some(&body.to_string()));
            assert_eq!(r.status, 201, "{}", r.body);
        }
        // Some searches, so the usage indicators are not suppressed.
        for q in ["业扩报装", "有线电视", "物业服务合同", "财务报告", "qqxxzz"] {
            assert_eq!(app.search(&key, q, "").status, 200);
        }
    }
    app.key_for("analyst", "内部")
}

fn hash(b: &Browser) -> String {
    b.js("return decodeURIComponent(location.hash);", json!([])).as_str().unwrap().to_string()
}

#[test]
fn employees_search_and_analysts_read_the_dashboard_in_a_browser() {
    let app = TestApp::with_demo();
    // A record whose every field is markup: it must show as text, never as elements.
    let hostile = json!({"id": "xss-1", "category": "WS", "year": 2020, "date": "2020-05-01",
        "title": "<img src=x id=pwned1>注入测试题名", "creator": "<b id=pwned2>责任者</b>",
        "content": "注入测试 <script>document.title='pwned'</script> <em id=pwned3>假标记</em> & 其余"});
    let r = app.post_records(ADMIN_KEY, "application/json", json!([hostile]).to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    let analyst = seed_survey(&app);
    let employee = app.employee_in("财务部");
    let b = Browser::start();

    // The key, entered once.
    b.goto(&format!("{}/", app.base));
    b.find("#key-input");
    b.screenshot("01-key");
    // The skip link moves focus to the content, without leaving the page.
    b.js("document.getElementById('skip-link').focus();", json!([]));
    b.keys(ENTER);
    assert_eq!(b.js("return document.activeElement.id;", json!([])), "main");
    assert_eq!(hash(&b), "");
    b.type_into("#key-input", &employee);
    b.type_into("#key-input", ENTER);

    // The start page explains the syntax; an empty search browses everything.
    b.click("#browse-all");
    b.settle("#/search?q=");
    assert_eq!(b.count("#hits .hit"), 10);
    let total: u64 = b
        .js("return Number(document.getElementById('summary').textContent.match(/\\d+/)[0]);", json!([]))
        .as_u64()
        .unwrap();
    assert!(total > 100, "browsing shows the visible archive: {total}");

    // Search with the keyboard: type, Enter.
    b.find("#q");
    b.type_into("#q", "业扩报装");
    b.type_into("#q", ENTER);
    b.settle("q=业扩报装");
    assert!(b.count("#hits .snippet em") > 0, "highlighted snippets");
    assert!(b.text("#summary").contains("共"), "{}", b.text("#summary"));
    assert!(b.count("#facet-category input[type=checkbox]") >= 2, "category facet");
    b.click("#next-page");
    b.settle("offset=10");
    assert_eq!(b.js("return document.getElementById('hits').start;", json!([])), 11);
    assert!(b.text("#summary").contains("11–20"), "{}", b.text("#summary"));
    b.click("#prev-page");
    b.wait_until("document.body.dataset.rendered === location.hash && !location.hash.includes('offset=')");
    assert_eq!(b.js("return document.getElementById('hits').start;", json!([])), 1);
    b.click("#intent summary");
    assert!(!b.text("#intent-explanation").is_empty());
    b.screenshot("02-results");

    // Narrow by the first category, by keyboard: Tab from the search button reaches the facets,
    // Space ticks one, and focus stays on it. Every hit is then of that category.
    let code = b.js("return document.querySelector('#facet-category input').value;", json!([]));
    let code = code.as_str().unwrap().to_string();
    b.js("document.getElementById('search-submit').focus();", json!([]));
    b.keys(TAB);
    let focused = b.js("return document.activeElement.id;", json!([]));
    assert_eq!(focused, b.js("return document.querySelector('#facet-category input').id;", json!([])));
    b.keys(" ");
    b.wait_until(&format!("decodeURIComponent(location.hash).includes('category={code}') && document.querySelector('#hits .hit') && document.querySelector('.chips')"));
    // Focus stays on the facet (moved there once the render is done).
    b.wait_until(&format!("document.activeElement.id === {focused}"));
    let badges = b.js("return [...document.querySelectorAll('#hits .badge')].map(e => e.textContent);", json!([]));
    let badges: Vec<&str> = badges.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(!badges.is_empty() && badges.iter().all(|t| t.starts_with(&code)), "{code}: {badges:?}");
    b.screenshot("03-facet");

    // Narrow by year too: from the earliest year offered to the latest.
    let years = b
        .js("return [...document.querySelectorAll('#year_from option')].map(o => o.value).filter(Boolean);", json!([]));
    let years: Vec<i64> = years.as_array().unwrap().iter().map(|v| v.as_str().unwrap().parse().unwrap()).collect();
    assert!(!years.is_empty());
    let (lo, hi) = (years[0], years[years.len() / 2]);
    b.click(&format!("#year_from option[value='{lo}']"));
    b.click(&format!("#year_to option[value='{hi}']"));
    b.click("#year-apply");
    b.settle(&format!("year_to={hi}"));
    let dates = b.js(
        "return [...document.querySelectorAll('#hits .meta span:nth-child(2)')].map(e => e.textContent);",
        json!([]),
    );
    for d in dates.as_array().unwrap() {
        let year: i64 = d.as_str().unwrap()[..4].parse().unwrap();
        assert!((lo..=hi).contains(&year), "{year} outside {lo}–{hi}");
    }

    // Back to the whole result list, then open the first hit.
    b.goto(&format!("{}/#/search?q=%E4%B8%9A%E6%89%A9%E6%8A%A5%E8%A3%85", app.base));
    b.wait_until("document.body.dataset.rendered === location.hash && !location.hash.includes('category')");
    let first_title = b.text("#hits .hit-title");
    b.click("#hits .hit-title");
    b.settle("#/record/");
    assert_eq!(b.text("#page-title"), first_title);
    assert!(!b.text("[data-field=archival_code]").is_empty());
    assert!(!b.text("[data-field=location]").is_empty());
    assert!(b.count("#content") == 1);
    b.click("#borrow");
    b.wait_until("document.getElementById('action-result').textContent.includes('借阅申请已登记')");
    b.click("#useful-yes");
    b.wait_until("document.getElementById('action-result').textContent.includes('谢谢')");
    b.screenshot("04-record");

    // Back to the results: the survey is offered, once, unobtrusively.
    b.click("#back");
    b.settle("#/search?q=");
    assert_eq!(b.js("return document.getElementById('survey-invite').hidden;", json!([])), false, "survey offered");
    b.screenshot("05-invite");
    b.click("#survey-accept");
    b.settle("#/survey");
    let items =
        b.js("return [...document.querySelectorAll('#survey fieldset.item')].map(f => f.id.slice(5));", json!([]));
    let items: Vec<String> = items.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert!((6..=8).contains(&items.len()), "{items:?}");
    for item in &items {
        b.click(&format!("#i{item}-minimum option[value='4']"));
        b.click(&format!("#i{item}-desired option[value='8']"));
        b.click(&format!("#i{item}-perceived option[value='6']"));
    }
    b.click("#technical option[value='6']");
    b.click("#functional option[value='5']");
    b.click("#found-yes");
    b.type_into("#comment", "检索很快");
    b.screenshot("06-survey");
    let before = app.get("/v1/quality/servqual", Some(&analyst)).body["overall"]["n"].as_u64().unwrap();
    b.click("#survey-submit");
    b.find("#survey-thanks");
    let after = app.get("/v1/quality/servqual", Some(&analyst)).body["overall"]["n"].as_u64().unwrap();
    assert_eq!(after, before + 1, "the survey response is stored");
    b.click("#thanks-back");
    b.wait_until("document.body.dataset.rendered === location.hash && location.hash === '#/'");
    assert!(b.js("return document.getElementById('survey-invite').hidden;", json!([])) == true, "asked once only");

    // A known item: the answer card.
    b.clear("#q");
    b.type_into("#q", &format!("J012-HT-2019-D30-WYGS-0001{ENTER}"));
    b.settle("WYGS-0001");
    let card = b.text("#answer-card");
    assert!(
        card.contains("J012-HT-2019-D30-WYGS-0001") && card.contains("东湖花园") && card.contains("存储位置"),
        "{card}"
    );
    b.screenshot("07-answer");

    // Markup in a record is shown as text, in hits, snippets and the record page.
    b.clear("#q");
    b.type_into("#q", &format!("注入测试{ENTER}"));
    b.settle("q=注入测试");
    assert!(b.text("#hits .hit-title").contains("<img src=x id=pwned1>"));
    assert!(b.text("#hits").contains("<script>"), "{}", b.text("#hits"));
    b.click("#hits .hit-title");
    b.settle("#/record/xss-1");
    assert!(b.text("[data-field=creator]").contains("<b id=pwned2>"));
    assert_eq!(b.count("#pwned1, #pwned2, #pwned3, #main script, #main img"), 0, "markup from the API was rendered");
    assert!(b.js("return document.title;", json!([])) != "pwned");
    // The snippet renderer keeps <em> and nothing else, whatever it is given.
    let rendered = b.js(
        "const given = arguments[0]; return import('./static/js/dom.js').then((m) => { \
         const d = document.createElement('div'); d.append(m.snippet(given)); \
         return [d.innerHTML, d.querySelectorAll('em').length]; });",
        json!(["a<em>b</em>&lt;i&gt;<img src=x onerror=alert(1)><em>c</em>"]),
    );
    assert_eq!(rendered[1], 2, "{rendered}");
    assert!(!rendered[0].as_str().unwrap().contains("<img"), "{rendered}");

    // Nothing found: the segmentation and what to try.
    b.goto(&format!("{}/#/search?q=qqxxzzvv", app.base));
    b.settle("q=qqxxzzvv");
    assert!(b.text("#empty-tokens").contains("qqxxzzvv"));
    assert!(b.text("#empty").contains("用户词典"));
    b.screenshot("08-empty");

    // In English.
    b.click("#lang");
    b.wait_until("document.documentElement.lang === 'en' && document.querySelector('#empty-title').textContent.startsWith('Nothing matches')");
    assert!(b.text("#empty").contains("user dictionary"));
    b.click("#lang");
    b.wait_until("document.documentElement.lang === 'zh-CN'");

    // An employee may not read the dashboard; the page says so.
    b.click("#nav-dashboard");
    b.settle("#/dashboard");
    b.find("#dash-forbidden");

    // The analyst's dashboard.
    b.click("#forget-key");
    b.type_into("#key-input", &format!("{analyst}{ENTER}"));
    b.find("#dim-gaps svg");
    for chart in [
        "#overview .cards",
        "#dim-gaps svg",
        "#item-gaps svg",
        "#zone svg.radar",
        "#zone svg.thermo",
        "#reliability table",
        "#trends svg.lines",
        "#usage table",
    ] {
        assert!(b.count(chart) >= 1, "{chart} missing");
    }
    assert_eq!(b.count("#item-gaps svg rect.bar"), 22, "one bar per item");
    assert_eq!(b.count("#zone svg.radar polygon.ring"), 3, "minimum, desired and perceived rings");
    let csv = b.js(
        "return import('./static/js/dashboard.js').then((m) => m.toCsv(['a', 'b'], [['x,y', 1.5], ['\"q\"', null]]));",
        json!([]),
    );
    assert_eq!(csv, "\u{feff}a,b\r\n\"x,y\",1.5\r\n\"\"\"q\"\"\",\r\n");
    b.screenshot("09-dashboard");
    for panel in ["dim-gaps", "zone", "trends"] {
        b.screenshot_of(&format!("#{panel}"), &format!("09-dashboard-{panel}"));
    }

    // By department, then one department.
    b.click("#group_by option[value='department']");
    b.click("#dash-apply");
    b.settle("group_by=department");
    b.find("#compare svg");
    b.click("#group option[value='财务部']");
    b.click("#dash-apply");
    b.settle("group=财务部");
    assert!(b.text("#dash-scope").contains("财务部"), "{}", b.text("#dash-scope"));
    assert!(hash(&b).contains("group_by=department"));
    b.screenshot("10-dashboard-department");

    // A period without responses says so, rather than drawing empty charts.
    b.goto(&format!("{}/#/dashboard?from=2000-01-01&to=2000-01-31", app.base));
    b.settle("from=2000-01-01");
    assert!(b.text("#dash-suppressed").contains("没有问卷回答"), "{}", b.text("#dash-suppressed"));
    assert_eq!(b.count("#dim-gaps"), 0);

    // The server's CSV behind the download buttons.
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut r = agent
        .get(&format!("{}/v1/quality/servqual?group_by=department", app.base))
        .header("Authorization", &format!("Bearer {analyst}"))
        .header("Accept", "text/csv")
        .call()
        .unwrap();
    let text = r.body_mut().read_to_string().unwrap();
    assert!(text.contains("财务部"), "{text}");

    // A phone: the search page fits the width.
    b.resize(390, 844);
    b.goto(&format!("{}/#/search?q=%E6%9C%89%E7%BA%BF%E7%94%B5%E8%A7%86", app.base));
    b.settle("q=有线电视");
    let fits = b.js("return document.documentElement.scrollWidth <= window.innerWidth + 1;", json!([]));
    assert_eq!(fits, true, "horizontal scrolling on a phone");
    assert_eq!(b.js("return document.getElementById('facet-box').open;", json!([])), false, "facets folded away");
    b.screenshot("11-phone");

    // No script error and no policy violation in the whole session.
    let console = b.console();
    assert!(console.iter().any(|(_, m)| m.contains("403")), "the console is read at all: {console:?}");
    let problems: Vec<_> = console
        .into_iter()
        // The one refusal expected: the employee's look at the dashboard (403).
        .filter(|(level, message)| level == "SEVERE" && !(message.contains("/v1/quality/") && message.contains("403")))
        .collect();
    assert!(problems.is_empty(), "browser console: {problems:?}");
}
