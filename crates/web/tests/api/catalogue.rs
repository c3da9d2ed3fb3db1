//! Every text a person reads comes from the catalogue, and the catalogue
//! holds no text nobody reads.

use std::collections::BTreeSet;
use std::path::Path;

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// Quoted strings that look like catalogue keys: `a.b` or `a.b.c`, lower case.
fn quoted_keys(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for part in text.split('"').skip(1).step_by(2) {
        let looks = part.contains('.')
            && !part.starts_with('.')
            && !part.ends_with('.')
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
            && part.split('.').all(|s| !s.is_empty());
        if looks {
            keys.insert(part.to_string());
        }
    }
    keys
}

fn sources() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut paths = Vec::new();
    for c in [
        "app/src",
        "web/src",
        "web/templates",
        "core/src",
        "store/src",
        "cli/src",
    ] {
        files(&root.join(c), "rs", &mut paths);
        files(&root.join(c), "html", &mut paths);
    }
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_key_used_is_in_the_catalogue() {
    let text = sources();
    let known: BTreeSet<&str> = useit_core::i18n::keys().collect();
    let families = [
        "validation.required.",
        "role.",
        "capability.",
        "partner_kind.",
        "audit.action.",
        "duplicates.reason.",
    ];
    let missing: Vec<String> = quoted_keys(&text)
        .into_iter()
        .filter(|k| {
            families.iter().any(|f| k.starts_with(f))
                || text.contains(&format!("\"{k}\"|t"))
                || text.contains(&format!("Message::new(\"{k}\""))
                || text.contains(&format!("t(\"{k}\""))
                || text.contains(&format!("tf(\"{k}\""))
                || text.contains(&format!("tn(\"{k}\""))
        })
        .filter(|k| !known.contains(k.as_str()) && !known.contains(format!("{k}.one").as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "keys used but not in locales/en.txt: {missing:?}"
    );
}

#[test]
fn every_catalogue_key_is_used() {
    let text = sources();
    let dynamic = [
        "role.",
        "capability.",
        "partner_kind.",
        "audit.action.",
        "duplicates.reason.",
        "validation.required.",
        "nav.",
        "place.domain.",
        "anchors.supplier.status.",
        "anchors.supplier.kind.",
        "anchors.anchor.kind.",
        "anchors.register.legal_form.",
        "anchors.register.status.",
        "anchors.spend.geography.",
        "anchors.spend.filter.",
        "talent.stage.",
        "research.question.kind.",
        "talent.rtw.",
        "talent.basis.",
        "talent.barrier.",
        "talent.support.",
        "talent.placement.",
        "talent.work.",
        "talent.fit.",
        "talent.score.",
        "talent.language.",
        "talent.record.saved.",
        "talent.duplicate.",
        "research.channel.",
        "research.commissioner.",
        "research.project.status.",
        "research.time.status.",
        "research.pay.from.",
        "workshops.question.",
        "workshops.question_full.",
        "workshops.group.",
        "workshops.answer.",
        "workshops.summary.",
        "indicators.",
        "audit.subject.",
        "audit.field.",
        "words.channel.",
        "anchors.rule.on.",
        "help.",
        "validation.date.",
        "stories.subject.",
        "stories.consent_method.",
        "report.strand.",
        "community.plan_status.",
        "community.action_status.",
        "community.asset_kind.",
        "community.asset_layer.",
        "research.finding.age.",
        "research.respend.too_few_",
        // What audit entries say: nouns counted and what a story is about.
        "audit.n.",
        "audit.list.",
        "audit.story_about.",
        // An index named in the reader's language where the catalogue has it.
        "place.index.",
        // A register format's name (`RegisterFormat::label_key`).
        "anchors.register.format.",
    ];
    let unused: Vec<&str> = useit_core::i18n::keys()
        .filter(|k| !dynamic.iter().any(|d| k.starts_with(d)))
        .filter(|k| {
            let base = k
                .strip_suffix(".one")
                .or_else(|| k.strip_suffix(".other"))
                .unwrap_or(k);
            !text.contains(&format!("\"{base}\""))
        })
        .collect();
    assert!(unused.is_empty(), "catalogue keys nothing uses: {unused:?}");
}

#[test]
fn every_role_capability_kind_and_action_has_text() {
    use useit_core::i18n::has;
    for r in useit_core::auth::Role::ALL {
        assert!(has(&r.label_key()), "{r}");
    }
    for c in useit_core::auth::Capability::ALL {
        assert!(has(&c.label_key()), "{c}");
    }
    for k in useit_core::programme::PartnerKind::ALL {
        assert!(has(&k.label_key()), "{k}");
    }
    for a in useit_core::audit::AuditAction::ALL {
        assert!(has(&format!("audit.action.{}", a.slug())), "{a}");
    }
}

/// Every audit entry the app writes says what it records as a catalogue
/// message (`.said(…)`), read in the reader's language: none is left to
/// show its stored English summary (issue 15). A call that builds an entry
/// (`AuditEntry::new(…)` or a context's `entry(…)` helper) is followed by
/// `.said(`, unless it is the helper's own body handing the entry back.
#[test]
fn every_audit_entry_the_app_writes_says_what_it_is_in_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut paths = Vec::new();
    for c in ["app/src", "store/src", "web/src", "cli/src"] {
        files(&root.join(c), "rs", &mut paths);
    }
    let mut unsaid = Vec::new();
    let mut calls = 0;
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        for pat in ["AuditEntry::new(", "entry("] {
            let mut from = 0;
            while let Some(at) = text[from..].find(pat).map(|i| from + i) {
                from = at + pat.len();
                let before = &text[..at];
                let prev = before.chars().next_back().unwrap_or(' ');
                if pat == "entry("
                    && (prev.is_alphanumeric() || prev == '_' || prev == '.' || prev == ':')
                {
                    continue;
                }
                if before.ends_with("fn ") {
                    continue;
                }
                // The call's closing parenthesis.
                let mut depth = 0;
                let mut end = None;
                for (i, c) in text[at + pat.len() - 1..].char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(at + pat.len() - 1 + i + 1);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let Some(end) = end else { continue };
                // A context's helper is handed who acted; other `entry(`s are not.
                if pat == "entry(" && !text[at..end].contains("actor") {
                    continue;
                }
                let after = text[end..].trim_start();
                // A helper's body hands the entry back for its callers to say.
                if after.starts_with('}') {
                    continue;
                }
                calls += 1;
                if !after.starts_with(".said(") {
                    let line = before.matches('\n').count() + 1;
                    unsaid.push(format!(
                        "{}:{line}",
                        p.strip_prefix(root).unwrap_or(p).display()
                    ));
                }
            }
        }
    }
    assert!(
        calls > 60,
        "only {calls} audit entries found: the scan is broken"
    );
    assert!(
        unsaid.is_empty(),
        "audit entries written without a message (add .said(AuditMessage::new(\"audit.msg.…\")…)): {unsaid:?}"
    );
}
