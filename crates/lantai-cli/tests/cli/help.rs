//! Every command documents itself: `lantai --help` lists the commands, and each command's
//! `--help` (its subcommands' too) says what it does and explains every argument and option. The
//! commands are read from the binary's own help, so a new one is checked without editing this.

use std::process::Command;

use crate::helpers::BIN;

fn help(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).arg("--help").output().unwrap();
    assert!(out.status.success(), "lantai {} --help: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The lines of one section (`Commands:`, `Arguments:`, `Options:`) of a help text.
fn section<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
    text.lines().skip_while(|l| *l != title).skip(1).take_while(|l| !l.trim().is_empty()).collect()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Arguments and options that have no explanation: neither text after the name on its line nor
/// an indented description below it (clap's long-help layout).
fn undocumented(text: &str) -> Vec<String> {
    let mut missing = Vec::new();
    for title in ["Arguments:", "Options:"] {
        let lines = section(text, title);
        for (i, line) in lines.iter().enumerate() {
            let entry = line.trim_start();
            // Entries are indented at most 6 columns; long-help descriptions 10, on the lines below.
            if indent(line) > 6 || !entry.starts_with(['-', '<', '[']) {
                continue;
            }
            let inline = entry.split_once("  ").is_some_and(|(_, rest)| !rest.trim().is_empty());
            let below = lines.get(i + 1).is_some_and(|next| indent(next) > 6);
            if !inline && !below {
                missing.push(entry.to_string());
            }
        }
    }
    missing
}

#[test]
fn every_command_explains_itself_and_each_option() {
    let top = help(&[]);
    let mut commands: Vec<Vec<String>> = section(&top, "Commands:")
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .map(|c| vec![c])
        .collect();
    assert!(commands.len() >= 9, "{top}");
    let mut checked = 0;
    while let Some(path) = commands.pop() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(&args);
        let about = text.lines().next().unwrap_or("");
        assert!(about.split_whitespace().count() >= 3, "lantai {}: no description:\n{text}", path.join(" "));
        assert_eq!(undocumented(&text), Vec::<String>::new(), "lantai {}: undocumented\n{text}", path.join(" "));
        for sub in section(&text, "Commands:") {
            let name = sub.split_whitespace().next().unwrap();
            if name != "help" {
                commands.push([path.clone(), vec![name.to_string()]].concat());
            }
        }
        checked += 1;
    }
    assert!(checked >= 12, "checked {checked} commands");
}

#[test]
fn the_shipped_service_configuration_loads() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/lantai.toml");
    let out =
        Command::new(BIN).args(["config", "show", "--config", file]).env_remove("LANTAI_ADMIN_KEY").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("data_dir = \"/var/lib/lantai\""), "{shown}");
    assert!(shown.contains("load_demo_on_first_start = false"), "{shown}");
}
