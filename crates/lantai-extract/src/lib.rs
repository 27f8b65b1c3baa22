//! Text out of the files archives really hold: plain text in UTF-8, GBK or GB18030 (detected),
//! DOCX, XLSX/XLS/ODS and CSV (a record per row, or the sheet as one record), and PDF with a text
//! layer (falling back to `pdftotext` when the PDF's fonts have no Unicode map).
//!
//! Every extractor runs isolated: a panic in a parser becomes this file's error, never the
//! caller's crash. Text quality (the share of replacement and private-use characters) is
//! measured so that garbled text is reported, not stored silently.
#![warn(missing_docs)]

mod decode;
mod docx;
mod pdf;
mod sheet;

use std::panic::{catch_unwind, AssertUnwindSafe};

pub use decode::{decode_text, DecodeError, Decoded};
use serde_json::{Map, Value};

/// Errors of one file.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The file kind is not one this crate reads.
    #[error("unsupported file type {0:?} (read: .txt .md .csv .docx .xlsx .xls .ods .pdf)")]
    Unsupported(String),
    /// The file is damaged or not what its name says.
    #[error("cannot read {kind}: {reason}")]
    Unreadable {
        /// What it claimed to be.
        kind: &'static str,
        /// The parser's message.
        reason: String,
    },
    /// No usable text came out.
    #[error("no usable text: {0}")]
    NoText(String),
}

/// How spreadsheets and CSV files become records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetMode {
    /// Each row below the header row is a record; header names are field names.
    #[default]
    Rows,
    /// Each sheet is one record, its cells as text.
    Sheet,
}

/// Options of extraction.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Spreadsheets: a record per row or per sheet.
    pub sheets: SheetMode,
    /// The `pdftotext` program for PDFs without a Unicode map (None: do not fall back).
    pub pdftotext: Option<String>,
}

/// One record's worth of a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Part {
    /// Fields read from the file itself (a spreadsheet row's columns); empty for documents.
    pub fields: Map<String, Value>,
    /// The text, if the file has any.
    pub text: Option<String>,
    /// Where in the file (e.g. `设备台账!3` for a row, a sheet name), for messages.
    pub locator: Option<String>,
}

/// What came out of a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extracted {
    /// `text`, `docx`, `sheet`, `csv` or `pdf`.
    pub kind: &'static str,
    /// The records it yields.
    pub parts: Vec<Part>,
    /// How the text was obtained and anything the user should know (encoding detected,
    /// `pdftotext` used …).
    pub notes: Vec<String>,
    /// Share of replacement or private-use characters in the text, 0–1.
    pub garbled_share: f64,
}

/// Text with more than this share of garbled characters is refused.
pub const MAX_GARBLED_SHARE: f64 = 0.05;

/// The kind of a file, from its name.
pub fn kind_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "txt" | "text" | "md" => "text",
        "docx" => "docx",
        "xlsx" | "xlsm" | "xls" | "ods" => "sheet",
        "csv" => "csv",
        "pdf" => "pdf",
        _ => return None,
    })
}

/// Extracts the records of one file, isolated: a panic inside a parser is this file's error.
pub fn extract(name: &str, bytes: &[u8], options: &ExtractOptions) -> Result<Extracted, ExtractError> {
    let kind = kind_of(name).ok_or_else(|| ExtractError::Unsupported(name.to_string()))?;
    let run = || -> Result<Extracted, ExtractError> {
        match kind {
            "text" => {
                let decoded =
                    decode_text(bytes).map_err(|e| ExtractError::Unreadable { kind, reason: e.to_string() })?;
                let mut notes = Vec::new();
                if decoded.encoding != "UTF-8" {
                    notes.push(format!("decoded from {}", decoded.encoding));
                }
                Ok(Extracted {
                    kind,
                    parts: vec![Part { text: Some(decoded.text), ..Part::default() }],
                    notes,
                    garbled_share: 0.0,
                })
            }
            "docx" => Ok(Extracted {
                kind,
                parts: vec![Part { text: Some(docx::text(bytes)?), ..Part::default() }],
                notes: Vec::new(),
                garbled_share: 0.0,
            }),
            "sheet" => Ok(Extracted {
                kind,
                parts: sheet::workbook(bytes, options.sheets)?,
                notes: Vec::new(),
                garbled_share: 0.0,
            }),
            "csv" => {
                let (parts, encoding) = sheet::csv(bytes, options.sheets)?;
                let notes = if encoding == "UTF-8" { Vec::new() } else { vec![format!("decoded from {encoding}")] };
                Ok(Extracted { kind, parts, notes, garbled_share: 0.0 })
            }
            "pdf" => pdf::extract(bytes, options.pdftotext.as_deref()),
            _ => unreachable!("kind_of names only these"),
        }
    };
    let mut extracted = match catch_unwind(AssertUnwindSafe(run)) {
        Ok(result) => result?,
        Err(panic) => {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the parser panicked".into());
            return Err(ExtractError::Unreadable { kind, reason: format!("parser failed: {reason}") });
        }
    };
    let all: String = extracted.parts.iter().filter_map(|p| p.text.as_deref()).collect();
    extracted.garbled_share = garbled_share(&all);
    if extracted.garbled_share > MAX_GARBLED_SHARE {
        return Err(ExtractError::NoText(format!(
            "{:.0}% of the characters are garbled (replacement or private-use)",
            extracted.garbled_share * 100.0
        )));
    }
    Ok(extracted)
}

/// Share of characters that are U+FFFD, private-use or control characters (other than white
/// space): what a wrong encoding or a font without a Unicode map leaves behind.
pub fn garbled_share(text: &str) -> f64 {
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        all += 1;
        let private = ('\u{E000}'..='\u{F8FF}').contains(&c);
        if c == '\u{FFFD}' || private || c.is_control() {
            bad += 1;
        }
    }
    if all == 0 {
        0.0
    } else {
        bad as f64 / all as f64
    }
}

/// The first line with letters, trimmed and at most `max` characters: a title for a file that
/// comes without one.
pub fn first_line(text: &str, max: usize) -> Option<String> {
    text.lines().map(str::trim).find(|l| l.chars().any(char::is_alphanumeric)).map(|l| l.chars().take(max).collect())
}
