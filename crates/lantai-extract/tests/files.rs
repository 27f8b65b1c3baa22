//! Each kind of file the project's fixtures hold (fixtures/files, made by
//! fixtures/tools/gen_file_fixtures.py), read as an archive would be.

use lantai_extract::{extract, garbled_share, ExtractError, ExtractOptions, SheetMode};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../fixtures/files/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn options() -> ExtractOptions {
    ExtractOptions { sheets: SheetMode::Rows, pdftotext: Some("pdftotext".into()) }
}

fn text_of(name: &str, options: &ExtractOptions) -> String {
    let out = extract(name, &fixture(name), options).unwrap();
    out.parts[0].text.clone().unwrap()
}

#[test]
fn plain_text_in_gbk_is_detected_and_decoded() {
    let out = extract("移交通知.txt", &fixture("移交通知.txt"), &options()).unwrap();
    assert!(out.parts[0].text.as_deref().unwrap().starts_with("关于开展2024年度档案移交工作的通知"));
    assert_eq!(out.notes, ["decoded from gb18030"]);
    let gb18030 =
        std::fs::read(format!("{}/../../fixtures/files/catalogued/批复.txt", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let out = extract("批复.txt", &gb18030, &options()).unwrap();
    assert!(out.parts[0].text.as_deref().unwrap().contains("城东新区"));
}

#[test]
fn docx_paragraphs_and_table_cells() {
    let text = text_of("竣工验收报告.docx", &options());
    assert!(text.starts_with("供水管网改造工程竣工验收报告"), "{text}");
    assert!(text.contains("同意通过竣工验收") && text.contains("江城建设监理咨询有限公司"), "{text}");
}

#[test]
fn spreadsheets_by_row_or_by_sheet() {
    let out = extract("设备台账.xlsx", &fixture("设备台账.xlsx"), &options()).unwrap();
    assert_eq!(out.parts.len(), 2);
    assert_eq!(out.parts[0].fields["id"], "FILE-XLSX-1");
    assert_eq!(out.parts[0].fields["year"], "2021");
    assert_eq!(out.parts[1].locator.as_deref(), Some("设备台账!3"));
    let whole = ExtractOptions { sheets: SheetMode::Sheet, ..options() };
    let out = extract("设备台账.xlsx", &fixture("设备台账.xlsx"), &whole).unwrap();
    assert_eq!(out.parts.len(), 1);
    assert!(out.parts[0].text.as_deref().unwrap().contains("CMTS宽带接入设备台账"));
}

#[test]
fn pdf_with_a_text_layer() {
    let out = extract("会议纪要.pdf", &fixture("会议纪要.pdf"), &options()).unwrap();
    let text = out.parts[0].text.as_deref().unwrap();
    assert!(text.contains("安全生产委员会2024年第四次会议纪要"), "{text}");
    assert!(text.contains("隐患排查"), "{text}");
}

#[test]
fn a_pdf_without_a_unicode_map_falls_back_to_pdftotext_and_says_so() {
    let out = extract("扫描件说明.pdf", &fixture("扫描件说明.pdf"), &options()).unwrap();
    assert!(out.parts[0].text.as_deref().unwrap().contains("档案库房B区"), "{out:?}");
    assert!(out.notes.iter().any(|n| n.contains("pdftotext")), "{:?}", out.notes);
    let no_fallback = ExtractOptions { pdftotext: None, ..options() };
    let e = extract("扫描件说明.pdf", &fixture("扫描件说明.pdf"), &no_fallback).unwrap_err();
    assert!(matches!(e, ExtractError::NoText(_)), "{e}");
}

#[test]
fn broken_and_unknown_files_are_errors_not_crashes() {
    for name in ["坏.docx", "坏.xlsx", "坏.pdf"] {
        let e = extract(name, b"PK\x03\x04 this is not really a zip or a pdf", &options()).unwrap_err();
        assert!(matches!(e, ExtractError::Unreadable { .. } | ExtractError::NoText(_)), "{name}: {e}");
    }
    assert!(matches!(extract("照片.jpg", b"\xff\xd8", &options()), Err(ExtractError::Unsupported(_))));
    let garbled = "\u{FFFD}".repeat(20) + "档案";
    assert!(garbled_share(&garbled) > 0.5);
    assert!(matches!(extract("乱码.txt", garbled.as_bytes(), &options()), Err(ExtractError::NoText(_))));
}
