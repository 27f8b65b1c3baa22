//! PDF text: `pdf-extract` first; when it fails (it panics on some CID fonts) or yields no usable
//! text (fonts without a Unicode map, common in 公文 PDFs), `pdftotext` from poppler if present.

use std::process::Command;

use crate::{garbled_share, ExtractError, Extracted, Part, MAX_GARBLED_SHARE};

pub(crate) fn extract(bytes: &[u8], pdftotext: Option<&str>) -> Result<Extracted, ExtractError> {
    let first = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    let problem = match first {
        Ok(Ok(text)) if usable(&text) => {
            return Ok(Extracted {
                kind: "pdf",
                parts: vec![Part { text: Some(tidy(&text)), ..Part::default() }],
                notes: Vec::new(),
                garbled_share: 0.0,
            })
        }
        Ok(Ok(_)) => "its text layer is empty or garbled".to_string(),
        Ok(Err(e)) => format!("pdf-extract: {e}"),
        Err(_) => "pdf-extract failed on its fonts".to_string(),
    };
    let Some(program) = pdftotext else {
        return Err(ExtractError::NoText(format!("{problem}; pdftotext fallback is off")));
    };
    match run_pdftotext(program, bytes) {
        Ok(text) if usable(&text) => Ok(Extracted {
            kind: "pdf",
            parts: vec![Part { text: Some(tidy(&text)), ..Part::default() }],
            notes: vec![format!("{problem}; text taken with pdftotext")],
            garbled_share: 0.0,
        }),
        Ok(_) => {
            Err(ExtractError::NoText(format!("{problem}; pdftotext found no usable text either (a scan needs OCR)")))
        }
        Err(e) => Err(ExtractError::NoText(format!("{problem}; pdftotext unavailable: {e}"))),
    }
}

fn usable(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphanumeric()).count() >= 2 && garbled_share(text) <= MAX_GARBLED_SHARE
}

fn tidy(text: &str) -> String {
    text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

fn run_pdftotext(program: &str, bytes: &[u8]) -> Result<String, String> {
    let file = tempfile::Builder::new().suffix(".pdf").tempfile().map_err(|e| e.to_string())?;
    std::fs::write(file.path(), bytes).map_err(|e| e.to_string())?;
    let out = Command::new(program)
        .args(["-enc", "UTF-8", "-q"])
        .arg(file.path())
        .arg("-")
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{program} exited with {}", out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
