use std::process::Command;

use crate::helpers::*;

#[test]
fn ingest_sends_files_and_reports_bad_lines_by_file_and_line() {
    let temp = tempfile::tempdir().unwrap();
    let served = Served::start(
        &temp.path().join("data"),
        Some(ADMIN_KEY),
        &[("LANTAI__SERVER__LOAD_DEMO_ON_FIRST_START", "false")],
    );
    let input = temp.path().join("in");
    std::fs::create_dir_all(input.join("nested")).unwrap();
    std::fs::write(
        input.join("a.jsonl"),
        "{\"id\":\"A-1\",\"title\":\"供水管网抢修记录\"}\n{\"id\":\"A-2\",\"title\":\"日期错\",\"date\":\"2021-13-01\"}\n{\"id\":\"A-3\",\"content\":\"物业服务费收缴台账\"}\n",
    )
    .unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode("id,title,category,页数\nC-1,有线电视服务站维修登记,WS,4\nC-2,,,\n");
    std::fs::write(input.join("nested/catalogue.csv"), &gbk).unwrap();
    std::fs::write(input.join("notes.txt"), "ignored").unwrap();

    let out = Command::new(BIN)
        .args(["ingest", "--quiet", "--batch-size", "2", "--server", &served.base, "--key", ADMIN_KEY])
        .arg(&input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "rejections give exit code 2: {stdout}");
    assert!(stdout.contains("accepted 3, rejected 2"), "{stdout}");
    assert!(stdout.contains("a.jsonl:2 id=A-2: invalid_field"), "{stdout}");
    assert!(stdout.contains("catalogue.csv:3"), "{stdout}");
    let (status, record) = served.get("/v1/records/C-1", ADMIN_KEY);
    assert_eq!(status, 200);
    assert_eq!(record["title"], "有线电视服务站维修登记");
    assert_eq!(record["extra"]["页数"], "4");
    let (_, found) = served.get(&format!("/v1/search?q={}", encode("抢修")), ADMIN_KEY);
    assert_eq!(found["hits"][0]["id"], "A-1");

    // A wrong key is a clear failure, not a silent success.
    let out = Command::new(BIN)
        .args(["ingest", "--quiet", "--server", &served.base, "--key", "nope"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("401"));
}

#[test]
fn ingest_a_directory_of_archive_files_with_their_metadata() {
    let temp = tempfile::tempdir().unwrap();
    let served = Served::start(
        &temp.path().join("data"),
        Some(ADMIN_KEY),
        &[("LANTAI__SERVER__LOAD_DEMO_ON_FIRST_START", "false")],
    );
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/files");
    let out = Command::new(BIN)
        .args(["ingest", "--quiet", "--server", &served.base, "--key", ADMIN_KEY])
        .arg(&fixtures)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("files: 7 ingested, 0 failed, 4 skipped; 8 records accepted"), "{stdout}");
    assert!(stdout.contains("扫描件说明.pdf: ingested (1 records)"), "{stdout}");
    assert!(stdout.contains("pdftotext"), "{stdout}");
    let (status, record) = served.get("/v1/records/FILE-XLSX-2", ADMIN_KEY);
    assert_eq!(status, 200);
    assert_eq!(record["category"], "KJ·SB");

    // A broken file fails on its own; the exit code says so.
    let broken = temp.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("坏.pdf"), b"%PDF-1.4 truncated").unwrap();
    std::fs::write(broken.join("好.txt"), "关于档案数字化的通知").unwrap();
    let out = Command::new(BIN)
        .args(["ingest", "--quiet", "--server", &served.base, "--key", ADMIN_KEY])
        .arg(&broken)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("files: 1 ingested, 1 failed"), "{stdout}");
    assert!(stdout.contains("坏.pdf: failed"), "{stdout}");
}
