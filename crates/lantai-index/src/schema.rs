//! The index schema. Only what search needs is indexed; records are read back from sled.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};

use lantai_text::{BIGRAM_TOKENIZER, KEYWORD_TOKENIZER, WORD_TOKENIZER};

/// Bumped whenever fields or analysis change; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 6;

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub title_bg: Field,
    pub keywords: Field,
    pub creator: Field,
    pub doc_number: Field,
    pub abstract_: Field,
    pub text: Field,
    pub all_bg: Field,
    pub code: Field,
    pub category: Field,
    pub year: Field,
    pub classification: Field,
    pub clearance_rank: Field,
    pub access: Field,
    pub org_unit: Field,
}

fn text(tokenizer: &str, positions: bool) -> TextOptions {
    let option = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(option))
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let numeric = || NumericOptions::default() | INDEXED | FAST;
    let fields = Fields {
        id: b.add_text_field("id", STRING | FAST),
        title: b.add_text_field("title", text(WORD_TOKENIZER, true)),
        title_bg: b.add_text_field("title_bg", text(BIGRAM_TOKENIZER, true)),
        keywords: b.add_text_field("keywords", text(WORD_TOKENIZER, false)),
        creator: b.add_text_field("creator", text(WORD_TOKENIZER, false)),
        doc_number: b.add_text_field("doc_number", text(WORD_TOKENIZER, false)),
        abstract_: b.add_text_field("abstract", text(WORD_TOKENIZER, false)),
        text: b.add_text_field("text", text(WORD_TOKENIZER, false)),
        all_bg: b.add_text_field("all_bg", text(BIGRAM_TOKENIZER, true)),
        code: b.add_text_field("code", text(KEYWORD_TOKENIZER, false)),
        category: b.add_text_field("category", STRING | FAST),
        year: b.add_i64_field("year", numeric()),
        classification: b.add_text_field("classification", STRING),
        clearance_rank: b.add_u64_field("clearance_rank", numeric()),
        access: b.add_text_field("access", STRING),
        org_unit: b.add_text_field("org_unit", STRING | FAST),
    };
    (b.build(), fields)
}

pub(crate) fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        id: f("id")?,
        title: f("title")?,
        title_bg: f("title_bg")?,
        keywords: f("keywords")?,
        creator: f("creator")?,
        doc_number: f("doc_number")?,
        abstract_: f("abstract")?,
        text: f("text")?,
        all_bg: f("all_bg")?,
        code: f("code")?,
        category: f("category")?,
        year: f("year")?,
        classification: f("classification")?,
        clearance_rank: f("clearance_rank")?,
        access: f("access")?,
        org_unit: f("org_unit")?,
    })
}
