//! The standard instrument, its validation and the short form.

use lantai_quality::{short_form, standard_instrument, validate_instrument, Dimension, LINKING_ITEMS};

#[test]
fn standard_instrument_validates() {
    let i = standard_instrument(3);
    assert_eq!(i.version, 3);
    assert_eq!(validate_instrument(&i), Ok(()));
}

#[test]
fn every_item_has_chinese_and_english_text() {
    let i = standard_instrument(1);
    assert_eq!(i.items.len(), 22);
    for (idx, item) in i.items.iter().enumerate() {
        assert_eq!(usize::from(item.number), idx + 1);
        assert!(!item.zh.trim().is_empty() && !item.en.trim().is_empty(), "item {}", item.number);
        assert_eq!(Dimension::of_item(item.number), Some(item.dimension));
    }
    for p in [&i.technical, &i.functional, &i.found_record] {
        assert!(!p.zh.trim().is_empty() && !p.en.trim().is_empty());
    }
    assert_eq!(i.items[0].zh, "档案查询系统界面清晰、易于使用");
    // No two items share a wording.
    let mut zh: Vec<&str> = i.items.iter().map(|i| i.zh.as_str()).collect();
    zh.sort_unstable();
    zh.dedup();
    assert_eq!(zh.len(), 22);
}

#[test]
fn dimension_structure() {
    let sizes: Vec<usize> = Dimension::ALL.iter().map(|d| d.items().count()).collect();
    assert_eq!(sizes, [4, 5, 4, 4, 5]);
    assert_eq!(Dimension::of_item(0), None);
    assert_eq!(Dimension::of_item(4), Some(Dimension::Tangibles));
    assert_eq!(Dimension::of_item(5), Some(Dimension::Reliability));
    assert_eq!(Dimension::of_item(13), Some(Dimension::Responsiveness));
    assert_eq!(Dimension::of_item(17), Some(Dimension::Assurance));
    assert_eq!(Dimension::of_item(22), Some(Dimension::Empathy));
    assert_eq!(Dimension::of_item(23), None);
    let zh: Vec<&str> = Dimension::ALL.iter().map(|d| d.zh()).collect();
    assert_eq!(zh, ["有形性", "可靠性", "响应性", "保证性", "移情性"]);
    assert_eq!(serde_json::to_string(&Dimension::Responsiveness).ok().as_deref(), Some("\"responsiveness\""));
}

#[test]
fn validate_instrument_reports_each_problem() {
    let mut i = standard_instrument(1);
    i.items[2].dimension = Dimension::Empathy; // item 3 is tangibles
    i.items[5].en = "  ".into(); // blank
    i.items[8].number = 8; // item 9 → duplicate 8, and 9 missing
    i.functional.zh.clear();
    let errors = validate_instrument(&i).expect_err("broken");
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["functional.zh", "items[2].dimension", "items[5].en", "items[8].number", "items"]);
    assert!(errors[4].message.contains('9'), "{}", errors[4].message);

    let mut short = standard_instrument(1);
    short.items.truncate(21);
    let errors = validate_instrument(&short).expect_err("21 items");
    assert_eq!(errors.len(), 2); // count, and item 22 missing
}

#[test]
fn short_form_examples() {
    let i = standard_instrument(1);
    let a = short_form(&i, 42, 2);
    assert_eq!(a, short_form(&i, 42, 2), "deterministic");
    assert_eq!(a.len(), 7);
    assert!(LINKING_ITEMS.iter().all(|l| a.contains(l)));
    assert_eq!(short_form(&i, 42, 0).len(), 6); // clamped up
    assert_eq!(short_form(&i, 42, 99).len(), 8); // clamped down
                                                 // Different seeds spread the extra items over the instrument.
    let mut covered: Vec<u8> = (0..200).flat_map(|s| short_form(&i, s, 3)).collect();
    covered.sort_unstable();
    covered.dedup();
    assert_eq!(covered, (1..=22).collect::<Vec<u8>>());
}
