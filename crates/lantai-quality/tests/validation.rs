//! Response validation: every rule reports its own field path, and all errors come back together.

use lantai_quality::{standard_instrument, validate_response, FieldError, Format, Response, ResponseInput};
use serde_json::{json, Value};

fn input(v: Value) -> ResponseInput {
    serde_json::from_value(v).expect("well-formed input")
}

fn check(v: Value) -> Result<Response, Vec<FieldError>> {
    validate_response(input(v), &standard_instrument(1))
}

/// The field paths reported for `v`.
fn fields(v: Value) -> Vec<String> {
    match check(v) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.field).collect(),
    }
}

fn ep(answers: Value) -> Value {
    json!({ "survey_version": 1, "format": "ep", "answers": answers })
}

fn zot(answers: Value) -> Value {
    json!({ "survey_version": 1, "format": "zot", "answers": answers })
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

fn one_ep() -> Value {
    ep(json!([{ "item": 1, "expectation": 7, "perception": 5 }]))
}

#[test]
fn valid_ep_response_is_kept_whole() {
    let v = json!({
        "survey_version": 1, "format": "ep",
        "answers": [
            { "item": 1, "expectation": 7, "perception": 5 },
            { "item": 2, "expectation": null, "perception": 4 },
            { "item": 3 }
        ],
        "importance": { "tangibles": 10, "reliability": 40, "responsiveness": 20, "assurance": 20, "empathy": 10 },
        "technical": 6, "functional": 5.5, "found_record": true,
        "comment": "阅览室很安静", "query_id": "q1", "record_id": "r1"
    });
    let r = check(v).expect("valid");
    assert_eq!(r.format, Format::Ep);
    assert_eq!(r.answers.len(), 3);
    assert_eq!((r.answers[1].expectation, r.answers[1].perception), (None, Some(4.0)));
    assert_eq!(r.answers[2].perception, None); // all N/A is allowed
    assert_eq!(r.functional, Some(5.5));
    assert_eq!(r.comment.as_deref(), Some("阅览室很安静"));
    assert_eq!((r.query_id.as_deref(), r.record_id.as_deref()), (Some("q1"), Some("r1")));
    // Stored as JSON and read back unchanged.
    let back: Response = serde_json::from_str(&serde_json::to_string(&r).expect("serialise")).expect("parse");
    assert_eq!(back, r);
}

#[test]
fn valid_zot_response() {
    let r = check(zot(json!([
        { "item": 1, "minimum": 4, "desired": 8, "perceived": 6 },
        { "item": 2, "minimum": 5, "desired": 5, "perceived": 9 },
        { "item": 3, "minimum": null, "desired": 7, "perceived": null }
    ])))
    .expect("valid");
    assert_eq!(r.format, Format::Zot);
    assert_eq!(r.answers[0].desired, Some(8.0));
}

#[test]
fn survey_version_must_match() {
    assert_eq!(fields(with(one_ep(), "survey_version", json!(2))), ["survey_version"]);
}

#[test]
fn at_least_one_answer() {
    assert_eq!(fields(ep(json!([]))), ["answers"]);
}

#[test]
fn unknown_items() {
    let v = ep(json!([
        { "item": 0, "expectation": 7, "perception": 5 },
        { "item": 23, "expectation": 7, "perception": 5 },
        { "item": -1 },
        { "item": 300 }
    ]));
    assert_eq!(fields(v), ["answers[0].item", "answers[1].item", "answers[2].item", "answers[3].item"]);
}

#[test]
fn item_missing_from_this_instrument() {
    let mut instrument = standard_instrument(1);
    instrument.items.retain(|i| i.number != 7);
    let errors = validate_response(input(ep(json!([{ "item": 7, "perception": 3 }]))), &instrument)
        .expect_err("item 7 is not in this instrument");
    assert_eq!(errors[0].field, "answers[0].item");
}

#[test]
fn duplicate_item_reported_on_the_second() {
    let v = ep(json!([
        { "item": 4, "expectation": 7, "perception": 5 },
        { "item": 5, "expectation": 7, "perception": 5 },
        { "item": 4, "expectation": 6, "perception": 6 }
    ]));
    let errors = check(v).expect_err("duplicate");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "answers[2].item");
    assert!(errors[0].message.contains("answers[0]"), "{}", errors[0].message);
}

#[test]
fn ep_scale_whole_numbers_one_to_seven() {
    let v = ep(json!([
        { "item": 1, "expectation": 8, "perception": 0 },
        { "item": 2, "expectation": 3.5, "perception": 1 },
        { "item": 3, "expectation": 7, "perception": -2 }
    ]));
    assert_eq!(
        fields(v),
        ["answers[0].expectation", "answers[0].perception", "answers[1].expectation", "answers[2].perception"]
    );
}

#[test]
fn ep_rejects_zot_columns() {
    let v = ep(json!([{ "item": 1, "expectation": 7, "minimum": 3, "desired": 5, "perceived": 4 }]));
    assert_eq!(fields(v), ["answers[0].minimum", "answers[0].desired", "answers[0].perceived"]);
}

#[test]
fn zot_rejects_ep_columns() {
    let v = zot(json!([{ "item": 1, "expectation": 7, "perception": 5, "perceived": 4 }]));
    assert_eq!(fields(v), ["answers[0].expectation", "answers[0].perception"]);
}

#[test]
fn zot_scale_whole_numbers_one_to_nine() {
    let v = zot(json!([
        { "item": 1, "minimum": 0, "desired": 10, "perceived": 9 },
        { "item": 2, "minimum": 2, "desired": 4, "perceived": 4.5 }
    ]));
    assert_eq!(fields(v), ["answers[0].minimum", "answers[0].desired", "answers[1].perceived"]);
}

#[test]
fn zot_minimum_not_above_desired() {
    let v = zot(json!([{ "item": 1, "minimum": 7, "desired": 5, "perceived": 6 }]));
    let errors = check(v).expect_err("minimum > desired");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "answers[0].minimum");
    // equal is fine, and one of them N/A is fine
    assert!(check(zot(json!([{ "item": 1, "minimum": 5, "desired": 5 }]))).is_ok());
    assert!(check(zot(json!([{ "item": 1, "minimum": 9, "perceived": 1 }]))).is_ok());
}

fn importance(empathy: f64) -> Value {
    json!({ "tangibles": 20, "reliability": 20, "responsiveness": 20, "assurance": 20, "empathy": empathy })
}

#[test]
fn importance_sums_to_100_within_half_a_point() {
    assert_eq!(fields(with(one_ep(), "importance", importance(19.4))), ["importance"]); // 99.4
    assert!(check(with(one_ep(), "importance", importance(19.6))).is_ok()); // 99.6
    assert!(check(with(one_ep(), "importance", importance(20.4))).is_ok()); // 100.4
    assert_eq!(fields(with(one_ep(), "importance", importance(20.6))), ["importance"]); // 100.6
    assert!(check(with(one_ep(), "importance", Value::Null)).is_ok()); // optional
}

#[test]
fn importance_values_not_negative() {
    let v = json!({ "tangibles": -10, "reliability": 50, "responsiveness": 20, "assurance": 20, "empathy": 20 });
    // Sums to 100, but a negative allocation is meaningless.
    assert_eq!(fields(with(one_ep(), "importance", v)), ["importance.tangibles"]);
}

#[test]
fn technical_and_functional_between_one_and_seven() {
    assert_eq!(fields(with(one_ep(), "technical", json!(0))), ["technical"]);
    assert_eq!(fields(with(one_ep(), "functional", json!(7.5))), ["functional"]);
    assert!(check(with(with(one_ep(), "technical", json!(1)), "functional", json!(7))).is_ok());
}

#[test]
fn comment_at_most_2000_characters() {
    // Counted in characters, not bytes: 2000 Chinese characters are 6000 bytes and still fine.
    assert!(check(with(one_ep(), "comment", json!("档".repeat(2000)))).is_ok());
    assert_eq!(fields(with(one_ep(), "comment", json!("档".repeat(2001)))), ["comment"]);
}

#[test]
fn unknown_fields_are_refused_when_decoding() {
    let top = with(one_ep(), "score", json!(5));
    assert!(serde_json::from_value::<ResponseInput>(top).is_err());
    let answer = ep(json!([{ "item": 1, "perceptoin": 5 }]));
    assert!(serde_json::from_value::<ResponseInput>(answer).is_err());
    let imp = with(
        one_ep(),
        "importance",
        json!({ "tangibles": 100, "reliability": 0, "responsiveness": 0,
        "assurance": 0, "empathy": 0, "price": 0 }),
    );
    assert!(serde_json::from_value::<ResponseInput>(imp).is_err());
    let format = with(one_ep(), "format", json!("EP"));
    assert!(serde_json::from_value::<ResponseInput>(format).is_err());
}

#[test]
fn all_errors_collected_at_once() {
    let v = json!({
        "survey_version": 9, "format": "ep",
        "answers": [
            { "item": 1, "expectation": 9, "perception": 5 },
            { "item": 1, "expectation": 7, "perception": 5 },
            { "item": 40, "desired": 3 }
        ],
        "importance": { "tangibles": 10, "reliability": 10, "responsiveness": 10, "assurance": 10, "empathy": 10 },
        "technical": 8,
        "functional": 0,
        "comment": "x".repeat(2001)
    });
    let got = fields(v);
    let want = [
        "survey_version",
        "answers[0].expectation",
        "answers[1].item",
        "answers[2].item",
        "answers[2].desired",
        "importance",
        "technical",
        "functional",
        "comment",
    ];
    assert_eq!(got, want);
}

#[test]
fn field_error_displays_path_and_message() {
    let errors = check(with(one_ep(), "technical", json!(9))).expect_err("invalid");
    assert_eq!(errors[0].to_string(), "technical: must be between 1 and 7, got 9");
    let json = serde_json::to_value(&errors[0]).expect("serialise");
    assert_eq!(json["field"], "technical");
}
