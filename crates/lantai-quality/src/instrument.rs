//! The questionnaire: SERVQUAL's five dimensions and 22 items, worded for an archive information service.
//!
//! The item-to-dimension structure is fixed (Parasuraman, Zeithaml & Berry 1991) so that scores stay
//! comparable across survey versions; only the wording may change between versions.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::response::FieldError;

/// Expectation / perception answers are on a 1–7 Likert scale (SERVQUAL 1988).
pub const EP_SCALE: (u8, u8) = (1, 7);

/// Zone-of-tolerance answers (minimum, desired, perceived) are on a 1–9 scale (PZB 1994, LibQUAL+).
pub const ZOT_SCALE: (u8, u8) = (1, 9);

/// Number of items in the standard instrument.
pub const ITEM_COUNT: u8 = 22;

/// The linking items of [`short_form`]: the first item of each dimension, asked of everyone so that
/// every short form can still be scored on all five dimensions.
pub const LINKING_ITEMS: [u8; 5] = [1, 5, 10, 14, 18];

/// One of the five SERVQUAL dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Physical facilities, equipment, appearance of staff and materials.
    Tangibles,
    /// Ability to perform the promised service dependably and accurately.
    Reliability,
    /// Willingness to help and provide prompt service.
    Responsiveness,
    /// Knowledge and courtesy of staff and their ability to inspire trust.
    Assurance,
    /// Caring, individualised attention.
    Empathy,
}

impl Dimension {
    /// Every dimension, in questionnaire order.
    pub const ALL: [Dimension; 5] = [
        Dimension::Tangibles,
        Dimension::Reliability,
        Dimension::Responsiveness,
        Dimension::Assurance,
        Dimension::Empathy,
    ];

    /// Chinese name, for reports.
    pub fn zh(self) -> &'static str {
        match self {
            Dimension::Tangibles => "有形性",
            Dimension::Reliability => "可靠性",
            Dimension::Responsiveness => "响应性",
            Dimension::Assurance => "保证性",
            Dimension::Empathy => "移情性",
        }
    }

    /// English name, for reports.
    pub fn en(self) -> &'static str {
        match self {
            Dimension::Tangibles => "Tangibles",
            Dimension::Reliability => "Reliability",
            Dimension::Responsiveness => "Responsiveness",
            Dimension::Assurance => "Assurance",
            Dimension::Empathy => "Empathy",
        }
    }

    /// The snake_case key used in JSON, CSV and field paths.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Tangibles => "tangibles",
            Dimension::Reliability => "reliability",
            Dimension::Responsiveness => "responsiveness",
            Dimension::Assurance => "assurance",
            Dimension::Empathy => "empathy",
        }
    }

    /// The item numbers of this dimension in the standard 22-item structure.
    pub fn items(self) -> RangeInclusive<u8> {
        match self {
            Dimension::Tangibles => 1..=4,
            Dimension::Reliability => 5..=9,
            Dimension::Responsiveness => 10..=13,
            Dimension::Assurance => 14..=17,
            Dimension::Empathy => 18..=22,
        }
    }

    /// The dimension an item belongs to, or `None` outside 1..=22.
    pub fn of_item(item: u8) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.items().contains(&item))
    }
}

/// One questionnaire statement.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, ToSchema)]
pub struct Item {
    /// 1..=22; fixes the dimension.
    pub number: u8,
    /// The dimension the item measures.
    pub dimension: Dimension,
    /// Chinese wording.
    pub zh: String,
    /// English wording.
    pub en: String,
}

/// A bilingual question outside the 22 items.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, ToSchema)]
pub struct Prompt {
    /// Chinese wording.
    pub zh: String,
    /// English wording.
    pub en: String,
}

/// A versioned questionnaire; responses name the version they answered.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, ToSchema)]
pub struct Instrument {
    /// Responses must quote this version, so wording changes never mix silently.
    pub version: u32,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// The 22 SERVQUAL items.
    pub items: Vec<Item>,
    /// Grönroos technical quality: *what* the user got.
    pub technical: Prompt,
    /// Grönroos functional quality: *how* it was delivered.
    pub functional: Prompt,
    /// Yes/no: did the user find the record they were after.
    pub found_record: Prompt,
}

/// Standard wording: (number, zh, en). Perception-style statements; the E column asks how far an
/// excellent archive would do this, the P column how far this archive does.
const STANDARD_ITEMS: [(u8, &str, &str); 22] = [
    (1, "档案查询系统界面清晰、易于使用", "The archive search system looks clear and is easy to use"),
    (2, "阅览室环境整洁安静，设备齐全好用", "The reading room is clean, quiet and well equipped"),
    (3, "工作人员仪表整洁、举止得体", "Staff are neat in appearance and professional in manner"),
    (
        4,
        "检索指南、目录和利用须知清楚易懂",
        "Finding aids, catalogues and user guides are clear and easy to understand",
    ),
    (5, "档案馆在承诺的时间内兑现所承诺的服务", "The archive does what it promises, by the time it promises"),
    (6, "我遇到问题时，工作人员真心实意地帮我解决", "When I have a problem, staff sincerely try to solve it"),
    (7, "档案馆第一次就能把服务做对", "The archive gets the service right the first time"),
    (8, "提供的档案与我申请的内容一致、准确无误", "The records I receive are exactly the ones I requested"),
    (9, "检索结果和目录著录信息准确可靠", "Search results and catalogue descriptions are accurate and dependable"),
    (10, "工作人员会明确告诉我申请何时办结", "Staff tell me exactly when my request will be completed"),
    (11, "工作人员及时办理我的查档申请", "Staff deal with my requests promptly"),
    (12, "工作人员总是乐意帮助我", "Staff are always willing to help me"),
    (13, "工作人员再忙也会及时回应我的咨询", "Staff are never too busy to answer my questions"),
    (14, "工作人员的表现让我对档案馆放心", "The way staff behave gives me confidence in the archive"),
    (
        15,
        "我相信我的查档记录和个人信息受到妥善保护",
        "I trust that my requests and personal information are handled securely",
    ),
    (16, "工作人员始终礼貌待人", "Staff are consistently courteous to me"),
    (17, "工作人员具备解答我问题的专业知识", "Staff have the expertise to answer my questions"),
    (18, "档案馆关注我个人的利用需求", "The archive pays attention to my individual needs"),
    (19, "开放时间和服务渠道方便我利用档案", "Opening hours and service channels are convenient for me"),
    (20, "工作人员愿意花时间为我个别指导", "Staff take the time to guide me personally"),
    (21, "档案馆把利用者的利益放在心上", "The archive has users' best interests at heart"),
    (22, "工作人员理解我的具体需求", "Staff understand my specific needs"),
];

/// The standard 22-item archive-service instrument, stamped with `version`.
pub fn standard_instrument(version: u32) -> Instrument {
    let items = STANDARD_ITEMS
        .iter()
        .filter_map(|&(number, zh, en)| {
            Dimension::of_item(number).map(|dimension| Item { number, dimension, zh: zh.into(), en: en.into() })
        })
        .collect();
    Instrument {
        version,
        title_zh: "档案信息服务质量调查".into(),
        title_en: "Archive Information Service Quality Survey".into(),
        items,
        technical: Prompt {
            zh: "就结果而言：这次您得到的档案或信息，是否正是您所需要的？（1 = 完全不是，7 = 完全是）".into(),
            en: "The outcome: were the records or information you received the right ones for your need? \
                 (1 = not at all, 7 = exactly)"
                .into(),
        },
        functional: Prompt {
            zh: "就过程而言：这次服务的速度、便捷程度和工作人员的态度如何？（1 = 很差，7 = 很好）".into(),
            en: "The process: how were the speed, ease and courtesy of the service this time? \
                 (1 = very poor, 7 = excellent)"
                .into(),
        },
        found_record: Prompt {
            zh: "这次您找到所需要的档案了吗？".into(),
            en: "Did you find the record you were looking for this time?".into(),
        },
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Checks that an instrument keeps the standard structure, so its scores are comparable.
///
/// Exactly 22 items numbered 1..=22 (any order, each once), each carrying its standard dimension and
/// non-blank zh/en text. Titles and the three prompts must not be blank either, since a blank
/// question cannot be answered. Every problem is reported, not just the first.
pub fn validate_instrument(i: &Instrument) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for (field, text) in [("title_zh", &i.title_zh), ("title_en", &i.title_en)] {
        if blank(text) {
            errors.push(FieldError::new(field, "must not be empty"));
        }
    }
    for (name, prompt) in
        [("technical", &i.technical), ("functional", &i.functional), ("found_record", &i.found_record)]
    {
        for (lang, text) in [("zh", &prompt.zh), ("en", &prompt.en)] {
            if blank(text) {
                errors.push(FieldError::new(format!("{name}.{lang}"), "must not be empty"));
            }
        }
    }
    if i.items.len() != usize::from(ITEM_COUNT) {
        errors.push(FieldError::new("items", format!("expected {ITEM_COUNT} items, found {}", i.items.len())));
    }
    let mut seen = BTreeSet::new();
    for (idx, item) in i.items.iter().enumerate() {
        let path = format!("items[{idx}]");
        match Dimension::of_item(item.number) {
            None => errors.push(FieldError::new(format!("{path}.number"), format!("{} is not in 1..=22", item.number))),
            Some(d) => {
                if !seen.insert(item.number) {
                    errors.push(FieldError::new(format!("{path}.number"), format!("duplicate item {}", item.number)));
                }
                if d != item.dimension {
                    errors.push(FieldError::new(
                        format!("{path}.dimension"),
                        format!("item {} belongs to {}", item.number, d.key()),
                    ));
                }
            }
        }
        for (lang, text) in [("zh", &item.zh), ("en", &item.en)] {
            if blank(text) {
                errors.push(FieldError::new(format!("{path}.{lang}"), "must not be empty"));
            }
        }
    }
    let missing: Vec<String> = (1..=ITEM_COUNT).filter(|n| !seen.contains(n)).map(|n| n.to_string()).collect();
    if !missing.is_empty() {
        errors.push(FieldError::new("items", format!("missing item(s) {}", missing.join(", "))));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// splitmix64 (Steele, Lea & Flood 2014): tiny, deterministic, good enough to pick a handful of items.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-enough index in `0..n` (multiply-shift; `n` > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// Matrix sampling in the manner of LibQUAL+ Lite: each respondent sees a short form, and the group
/// as a whole still covers all 22 items.
///
/// Always includes the [`LINKING_ITEMS`] (1, 5, 10, 14, 18 — the first item of each dimension, so every
/// form touches all five dimensions), plus `extra` other items drawn without replacement from the
/// instrument's remaining items by a splitmix64 stream seeded with `seed`. `extra` is clamped to
/// 1..=3 so a form has 6–8 items (fewer only if the instrument has fewer items to offer). Sorted.
/// The same seed always yields the same form, so a form can be re-created from its seed.
pub fn short_form(instrument: &Instrument, seed: u64, extra: usize) -> Vec<u8> {
    let extra = extra.clamp(1, 3);
    let mut pool: Vec<u8> = instrument
        .items
        .iter()
        .map(|i| i.number)
        .filter(|n| Dimension::of_item(*n).is_some() && !LINKING_ITEMS.contains(n))
        .collect();
    pool.sort_unstable();
    pool.dedup();
    let mut rng = SplitMix64(seed);
    let mut form = LINKING_ITEMS.to_vec();
    // Partial Fisher–Yates: the first `extra` slots become a uniform sample of the pool.
    for slot in 0..extra.min(pool.len()) {
        let pick = slot + rng.below(pool.len() - slot);
        pool.swap(slot, pick);
        form.push(pool[slot]);
    }
    form.sort_unstable();
    form
}
