//! CSV exports: layout, empty cells, RFC 4180 quoting.

use lantai_quality::{
    indicators, indicators_csv, score_group, servqual_csv, Answer, Format, Response, Scored, SearchFact,
};

fn one_response() -> Response {
    Response {
        survey_version: 1,
        format: Format::Ep,
        answers: vec![
            Answer {
                item: 1,
                expectation: Some(7.0),
                perception: Some(5.0),
                minimum: None,
                desired: None,
                perceived: None,
            },
            Answer {
                item: 2,
                expectation: Some(6.0),
                perception: Some(6.0),
                minimum: None,
                desired: None,
                perceived: None,
            },
        ],
        importance: None,
        technical: None,
        functional: None,
        found_record: None,
        comment: None,
        query_id: None,
        record_id: None,
    }
}

#[test]
fn servqual_csv_rows_and_quoting() {
    let r = one_response();
    let shown = score_group(&Scored { key: "档案馆, \"东区\"".into(), responses: vec![&r] }, 1);
    let hidden = score_group(&Scored { key: "small".into(), responses: vec![&r] }, 5);
    let csv = servqual_csv(&[shown, hidden]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 1 + 10 + 1); // header, 2 groups × 5 dimensions, trailing empty
    assert_eq!(
        lines[0],
        "group,n,suppressed,dimension,n_dim,e_mean,p_mean,gap_mean,score,alpha_p,alpha_e,alpha_g,alpha_low,\
         unweighted,weighted,servperf"
    );
    // tangibles: gaps −2 and 0 → mean −1; E (7+6)/2 = 6.5; P 5.5; one respondent → α undefined
    assert_eq!(lines[1], "\"档案馆, \"\"东区\"\"\",1,false,tangibles,1,6.5,5.5,-1,-1,,,,false,,,");
    assert_eq!(lines[2], "\"档案馆, \"\"东区\"\"\",1,false,reliability,0,,,,,,,,false,,,");
    assert_eq!(lines[6], "small,1,true,tangibles,,,,,,,,,,,,");
    assert_eq!(lines[11], "");
}

#[test]
fn indicators_csv_rows() {
    let searches = vec![
        SearchFact {
            query_id: "a".into(),
            at_ms: 0,
            principal: "u".into(),
            query: "x".into(),
            total: 0,
            latency_ms: 10.0,
        },
        SearchFact {
            query_id: "b".into(),
            at_ms: 1,
            principal: "v".into(),
            query: "y".into(),
            total: 3,
            latency_ms: 20.0,
        },
    ];
    let rows = vec![
        ("all".to_string(), indicators(&searches, &[], 1)),
        ("line\nbreak".to_string(), indicators(&searches, &[], 3)),
    ];
    let csv = indicators_csv(&rows);
    let expected = "group,searches,suppressed,zero_result_rate,success_rate,median_time_to_first_open_ms,\
                    reformulation_rate,latency_p50_ms,latency_p95_ms\r\n\
                    all,2,false,0.5,0,,0,10,20\r\n\
                    \"line\nbreak\",2,true,,,,,,\r\n";
    assert_eq!(csv, expected);
}
