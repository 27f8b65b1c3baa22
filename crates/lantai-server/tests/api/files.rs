//! Archive files with their metadata through `POST /v1/files`: the project's fixtures of each
//! kind (fixtures/files), a broken file among them, and the records they become.

use std::path::Path;

use serde_json::Value;

use crate::helpers::*;

/// Every fixture file, with its path relative to fixtures/files.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/files");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

fn outcome<'a>(report: &'a Value, file: &str) -> &'a Value {
    report["files"].as_array().unwrap().iter().find(|f| f["file"] == file).unwrap_or_else(|| panic!("{file}: {report}"))
}

#[test]
fn every_kind_of_archive_file_becomes_records_with_its_metadata() {
    let app = TestApp::start();
    let mut files = fixtures();
    files.push(("坏文件.docx".into(), b"PK\x03\x04 not a zip".to_vec()));
    files.push(("照片.jpg".into(), vec![0xff, 0xd8, 0xff]));
    let r = app.post_files(ADMIN_KEY, &files);
    assert_eq!(r.status, 200, "{}", r.body);
    let report = &r.body;

    let gbk = outcome(report, "移交通知.txt");
    assert_eq!(gbk["status"], "ingested", "{gbk}");
    assert_eq!(gbk["records"], serde_json::json!(["FILE-TXT-1"]));
    assert_eq!(gbk["notes"][0], "decoded from gb18030");
    assert_eq!(outcome(report, "竣工验收报告.docx")["records"], serde_json::json!(["FILE-DOCX-1"]));
    assert_eq!(outcome(report, "设备台账.xlsx")["records"], serde_json::json!(["FILE-XLSX-1", "FILE-XLSX-2"]));
    assert_eq!(outcome(report, "会议纪要.pdf")["records"], serde_json::json!(["FILE-PDF-1"]));
    let fallback = outcome(report, "扫描件说明.pdf");
    assert_eq!(fallback["records"], serde_json::json!(["file:扫描件说明.pdf"]), "{fallback}");
    assert!(fallback["notes"][0].as_str().unwrap().contains("pdftotext"), "{fallback}");
    assert_eq!(outcome(report, "catalogued/请示.txt")["records"], serde_json::json!(["FILE-CAT-1"]));
    assert_eq!(outcome(report, "catalogued/批复.txt")["records"], serde_json::json!(["FILE-CAT-2"]));
    assert_eq!(outcome(report, "catalogued/目录.csv")["status"], "skipped");
    assert_eq!(outcome(report, "会议纪要.pdf.meta.json")["status"], "skipped");
    let broken = outcome(report, "坏文件.docx");
    assert_eq!(broken["status"], "failed");
    assert!(broken["reasons"][0].as_str().unwrap().contains("docx"), "{broken}");
    assert_eq!(outcome(report, "照片.jpg")["status"], "skipped");
    assert_eq!(report["accepted"], 8, "{report}");
    assert_eq!(report["failed_files"], 1);

    // The records: metadata from the sidecar or catalogue, text from the file, findable.
    let employee = app.key_for("employee", "内部");
    let ids = app.ids(&employee, "竣工验收 供水管网", "limit=3");
    assert_eq!(ids[0], "FILE-DOCX-1", "{ids:?}");
    let record = app.get("/v1/records/FILE-PDF-1", Some(&employee)).body;
    assert_eq!(record["org_unit"], "安全监察部", "{record}");
    assert_eq!(record["title"], "安全生产委员会2024年第四次会议纪要");
    assert_eq!(record["extra"]["file"], "会议纪要.pdf");
    let record = app.get("/v1/records/FILE-CAT-2", Some(&employee)).body;
    assert_eq!(record["creator"], "集团公司");
    assert!(record["content"].as_str().unwrap().contains("城东新区"), "{record}");
    // Uploading again updates, never duplicates.
    let again = app.post_files(ADMIN_KEY, &fixtures());
    assert_eq!(again.body["accepted"], 8);
    assert_eq!(app.search(&employee, "营业网点", "").body["total"], 2);
}

#[test]
fn uploads_that_cannot_be_files_are_refused() {
    let app = TestApp::start();
    assert_problem(&app.post("/v1/files", Some(ADMIN_KEY), "application/json", b"{}"), 415, "unsupported_media_type");
    let r = app.post_files(ADMIN_KEY, &[("../etc/passwd.txt".into(), b"x".to_vec())]);
    assert_problem(&r, 400, "invalid_field");
    let employee = app.key_for("employee", "内部");
    assert_problem(&app.post_files(&employee, &[("a.txt".into(), b"x".to_vec())]), 403, "forbidden");
}
