//! `lantai report`: service-quality and usage tables for analysts, read from a running server.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use serde_json::Value;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// `servqual` (survey scores) or `indicators` (usage figures).
    #[arg(value_parser = ["servqual", "indicators"])]
    kind: String,
    /// From this day (YYYY-MM-DD) or time.
    #[arg(long)]
    from: Option<String>,
    /// Up to this day (YYYY-MM-DD) or time.
    #[arg(long)]
    to: Option<String>,
    /// department, user_group, category or month.
    #[arg(long)]
    group_by: Option<String>,
    /// Print CSV instead of tables.
    #[arg(long)]
    csv: bool,
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "LANTAI_SERVER")]
    server: String,
    /// An analyst or admin key.
    #[arg(long, env = "LANTAI_KEY", hide_env_values = true)]
    key: String,
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~:".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(x) => format!("{x:.2}"),
        None => "–".into(),
    }
}

fn pct(v: &Value) -> String {
    match v.as_f64() {
        Some(x) => format!("{:.1}%", x * 100.0),
        None => "–".into(),
    }
}

pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let mut query = Vec::new();
    for (name, value) in [("from", &args.from), ("to", &args.to), ("group_by", &args.group_by)] {
        if let Some(v) = value {
            query.push(format!("{name}={}", encode(v)));
        }
    }
    let url = format!("{}/v1/quality/{}?{}", args.server.trim_end_matches('/'), args.kind, query.join("&"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let mut response = agent
        .get(&url)
        .header("Authorization", &format!("Bearer {}", args.key))
        .header("Accept", if args.csv { "text/csv" } else { "application/json" })
        .call()
        .with_context(|| format!("requesting {url}"))?;
    let status = response.status();
    let text = response.body_mut().read_to_string()?;
    if !status.is_success() {
        bail!("server answered {status}: {text}");
    }
    if args.csv {
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    let report: Value = serde_json::from_str(&text)?;
    let mut rows = vec![report["overall"].clone()];
    rows.extend(report["groups"].as_array().cloned().unwrap_or_default());
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    if args.kind == "servqual" {
        table.set_header(vec![
            "group",
            "n",
            "有形性",
            "可靠性",
            "响应性",
            "保证性",
            "移情性",
            "SERVQUAL",
            "weighted",
            "SERVPERF",
            "α<0.70",
        ]);
        for g in &rows {
            if g["suppressed"] == true {
                table.add_row(vec![
                    g["key"].as_str().unwrap_or("").to_string(),
                    g["n"].to_string(),
                    "suppressed (n too small)".into(),
                ]);
                continue;
            }
            let dim = |d: &str| num(&g["dimensions"][d]["score"]);
            let low: Vec<&str> = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
                .into_iter()
                .filter(|d| g["dimensions"][d]["alpha_low"] == true)
                .collect();
            table.add_row(vec![
                g["key"].as_str().unwrap_or("").to_string(),
                g["n"].to_string(),
                dim("tangibles"),
                dim("reliability"),
                dim("responsiveness"),
                dim("assurance"),
                dim("empathy"),
                num(&g["unweighted"]),
                num(&g["weighted"]),
                num(&g["servperf"]),
                low.join(", "),
            ]);
        }
        println!("SERVQUAL gap scores (perception − expectation; negative = below expectation)");
    } else {
        table.set_header(vec![
            "group",
            "searches",
            "zero-result",
            "success",
            "first open (s)",
            "reformulation",
            "p50 ms",
            "p95 ms",
            "survey 可靠性",
            "survey 响应性",
        ]);
        for g in &rows {
            let first_open =
                g["median_time_to_first_open_ms"].as_f64().map_or("–".into(), |ms| format!("{:.1}", ms / 1000.0));
            table.add_row(vec![
                g["key"].as_str().unwrap_or("").to_string(),
                g["searches"].to_string(),
                pct(&g["zero_result_rate"]),
                pct(&g["success_rate"]),
                first_open,
                pct(&g["reformulation_rate"]),
                num(&g["latency_p50_ms"]),
                num(&g["latency_p95_ms"]),
                num(&g["survey"]["reliability"]),
                num(&g["survey"]["responsiveness"]),
            ]);
        }
        println!("Usage indicators (reliability: zero-result and success rates; responsiveness: latency and time to first open)");
    }
    println!("{table}");
    Ok(ExitCode::SUCCESS)
}
