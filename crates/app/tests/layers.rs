//! The layers hold: pages, the API and the command line reach the database
//! only through the use cases in this crate, and a context's web modules
//! use what every context shares (`http`, `i18n`, `state`, `session`), never
//! another context or the route table.
//!
//! Read as source text, so a new shortcut fails here the day it is written
//! rather than when a capability check or a programme scope is found
//! missing from it.

use std::fs;
use std::path::{Path, PathBuf};

/// Store methods a surface may call: handing the store to a use case, and
/// the CLI's own lifecycle of its connection (close, backup).
const LIFECYCLE: &[&str] = &["as_ref", "clone", "close", "backup_to", "backend"];

/// Files allowed to talk to the store: the route guard (who the caller is,
/// before any use case runs), the session store, and the benchmarks (they
/// time the store itself).
const ALLOWED: &[&str] = &["web/src/routes.rs", "web/src/session.rs", "cli/src/bench/"];

/// What of the store crate a surface may name: the handle, its error,
/// opening and closing a database, and the session records the session
/// store keeps.
const STORE_ITEMS: &[&str] = &[
    "Store",
    "StoreError",
    "Backend",
    "connect",
    "redact_url",
    "restore",
    "auth::SessionRecord",
    // The web's session store keeps signed-in sessions in memory behind the
    // access counters the store's triggers move: persistence of the web's
    // own sessions, like `SessionRecord`, not a use case.
    "revision::AccessRevision",
];

fn crates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every Rust file of web and cli, as (path from `crates/`, text without
/// line comments), so a doc comment naming a store method is no call.
fn surfaces() -> Vec<(String, String)> {
    let root = crates();
    let mut files = Vec::new();
    rust_files(&root.join("web/src"), &mut files);
    rust_files(&root.join("cli/src"), &mut files);
    files
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(&p).unwrap();
            let code: String = text
                .lines()
                .map(|l| l.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            (name, code)
        })
        .collect()
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// The identifier starting at `at`, if any.
fn ident(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// `store.method(` calls (whitespace allowed around the dot, as rustfmt
/// splits chains), other than the lifecycle ones.
fn store_calls(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("store") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let after = text[at + 5..].trim_start();
        let Some(after) = after.strip_prefix('.') else {
            continue;
        };
        let after = after.trim_start();
        let start = text.len() - after.len();
        let method = ident(text, start);
        let called = text[start + method.len()..].trim_start().starts_with('(');
        if !method.is_empty() && called && !LIFECYCLE.contains(&method) {
            found.push((line_of(text, start), method.to_string()));
        }
    }
    found
}

#[test]
fn pages_api_and_cli_reach_the_database_only_through_use_cases() {
    let mut wrong = Vec::new();
    for (name, text) in surfaces() {
        if ALLOWED.iter().any(|a| name.starts_with(a)) {
            continue;
        }
        for (line, method) in store_calls(&text) {
            wrong.push(format!("{name}:{line}: store.{method}(…)"));
        }
    }
    assert!(
        wrong.is_empty(),
        "call a use case in crates/app instead of the store:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn surfaces_name_only_the_store_handle_from_the_store_crate() {
    let mut wrong = Vec::new();
    for (name, text) in surfaces() {
        for (at, _) in text.match_indices("useit_store::") {
            let rest = &text[at + "useit_store::".len()..];
            let items: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                group[..group.find('}').unwrap()]
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            } else {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(rest.len());
                vec![rest[..end].trim_end_matches(':')]
            };
            for item in items {
                if !STORE_ITEMS.contains(&item) {
                    wrong.push(format!(
                        "{name}:{}: useit_store::{item}",
                        line_of(&text, at)
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "domain types live in useit_core and use cases in useit_app:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_web_context_uses_only_what_every_context_shares() {
    let shared = ["http", "i18n", "state", "session"];
    let web = crates().join("web/src");
    let mut wrong = Vec::new();
    for entry in fs::read_dir(&web).unwrap() {
        let dir = entry.unwrap().path();
        let context = dir.file_name().unwrap().to_string_lossy().to_string();
        if !dir.is_dir() || context == "http" || context == "api" {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&dir, &mut files);
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            for (at, _) in text.match_indices("crate::") {
                let used = ident(&text, at + "crate::".len());
                if used != context && !shared.contains(&used) {
                    wrong.push(format!(
                        "{}:{}: crate::{used}",
                        file.strip_prefix(&web).unwrap().display(),
                        line_of(&text, at)
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "share through crate::http, useit_app or useit_core instead:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checks_find_what_they_look_for() {
    let text = "let a = app.store.as_ref();\nlet b = app\n    .store\n    .user(id)\n    .await;\n// store.ping()\n";
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(store_calls(&code), vec![(4, "user".to_string())]);
    assert!(store_calls("restore(x); self.store_path.x()").is_empty());
}
