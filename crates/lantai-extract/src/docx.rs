//! DOCX: the paragraphs and table cells of `word/document.xml`, one paragraph per line.

use std::io::Read;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::ExtractError;

/// Largest `document.xml` read (a zip bomb stops here).
const MAX_XML_BYTES: u64 = 256 << 20;

pub(crate) fn text(bytes: &[u8]) -> Result<String, ExtractError> {
    let err = |reason: String| ExtractError::Unreadable { kind: "docx", reason };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|e| err(format!("no word/document.xml: {e}")))?
        .take(MAX_XML_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| err(e.to_string()))?;
    let mut reader = Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| err(e.to_string()))? {
            Event::Start(e) if e.name().into_inner() == "w:t" => in_text = true,
            Event::End(e) => match e.name().into_inner() {
                "w:t" => in_text = false,
                // A paragraph ends a line; a table cell is a paragraph too.
                "w:p" => out.push('\n'),
                "w:tc" => out.push('\t'),
                _ => {}
            },
            Event::Empty(e) => match e.name().into_inner() {
                "w:tab" => out.push('\t'),
                "w:br" | "w:cr" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                out.push_str(&t.into_inner());
            }
            Event::GeneralRef(r) if in_text => {
                let name = r.into_inner();
                out.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let text: Vec<&str> = out.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect();
    Ok(text.join("\n"))
}
