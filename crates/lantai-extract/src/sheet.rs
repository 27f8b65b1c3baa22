//! Spreadsheets (XLSX, XLS, ODS via calamine) and CSV: a record per row under a header row, or
//! the whole sheet as one record.

use calamine::{Data, Reader};
use serde_json::{Map, Value};

use crate::{decode_text, ExtractError, Part, SheetMode};

pub(crate) fn workbook(bytes: &[u8], mode: SheetMode) -> Result<Vec<Part>, ExtractError> {
    let err = |reason: String| ExtractError::Unreadable { kind: "sheet", reason };
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let mut parts = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| err(format!("sheet {name}: {e}")))?;
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
        parts.extend(from_rows(&name, rows, mode));
    }
    Ok(parts)
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

pub(crate) fn csv(bytes: &[u8], mode: SheetMode) -> Result<(Vec<Part>, &'static str), ExtractError> {
    let decoded = decode_text(bytes).map_err(|e| ExtractError::Unreadable { kind: "csv", reason: e.to_string() })?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(decoded.text.as_bytes());
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| ExtractError::Unreadable { kind: "csv", reason: e.to_string() })?;
        rows.push(row.iter().map(str::to_string).collect());
    }
    Ok((from_rows("csv", rows, mode), decoded.encoding))
}

fn from_rows(sheet: &str, rows: Vec<Vec<String>>, mode: SheetMode) -> Vec<Part> {
    let rows: Vec<Vec<String>> = rows.into_iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
    if rows.is_empty() {
        return Vec::new();
    }
    match mode {
        SheetMode::Sheet => {
            let text = rows.iter().map(|r| r.join("\t").trim_end().to_string()).collect::<Vec<_>>().join("\n");
            vec![Part { fields: Map::new(), text: Some(text), locator: Some(sheet.to_string()) }]
        }
        SheetMode::Rows => {
            let header: Vec<String> = rows[0].iter().map(|h| h.trim().to_string()).collect();
            rows.iter()
                .enumerate()
                .skip(1)
                .map(|(i, row)| {
                    let mut fields = Map::new();
                    for (name, value) in header.iter().zip(row) {
                        if !name.is_empty() && !value.trim().is_empty() {
                            fields.insert(name.clone(), Value::String(value.trim().to_string()));
                        }
                    }
                    Part { fields, text: None, locator: Some(format!("{sheet}!{}", i + 1)) }
                })
                .collect()
        }
    }
}
