use std::process::Command;

use crate::helpers::*;

#[test]
fn eval_reports_retrieval_metrics() {
    let out =
        Command::new(BIN).args(["eval", "--json", "--dataset"]).arg(fixtures().join("eval-mini")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["documents"], 12);
    assert_eq!(report["queries"], 5);
    for metric in ["ndcg_at_10", "mrr_at_10", "recall_at_100"] {
        let v = report[metric].as_f64().unwrap();
        assert!((0.3..=1.0).contains(&v), "{metric} = {v}");
    }
    let out = Command::new(BIN).args(["eval", "--dataset", "/nonexistent"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("corpus.jsonl"));
}
