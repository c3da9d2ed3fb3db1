//! What is kept of a background import (a spend file, or a register file
//! loaded from the web), so its page can say what happened after the server
//! restarts (the import itself is one transaction: all of it was written,
//! or none).

use time::OffsetDateTime;
use uuid::Uuid;

use crate::csv_import::Report;
use crate::i18n::Message;

/// Where a background import stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    /// Started and not ended: if no running server holds it, a restart cut
    /// it off and nothing was written.
    Running,
    Imported,
    /// The file had errors: nothing was written.
    Rejected,
    /// Something else went wrong: nothing was written.
    Failed,
}

impl JobState {
    pub fn slug(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Imported => "imported",
            JobState::Rejected => "rejected",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        [
            JobState::Running,
            JobState::Imported,
            JobState::Rejected,
            JobState::Failed,
        ]
        .into_iter()
        .find(|j| j.slug() == s)
    }
}

/// What a background job imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// A spend file for one anchor; its total is the file's lines.
    Spend,
    /// An organisation register file; its total is the file's bytes.
    Register,
}

impl JobKind {
    pub fn slug(self) -> &'static str {
        match self {
            JobKind::Spend => "spend",
            JobKind::Register => "register",
        }
    }

    /// What a job of this kind cut off by a restart says.
    pub fn interrupted_key(self) -> &'static str {
        match self {
            JobKind::Spend => "anchors.spend.import.interrupted",
            JobKind::Register => "anchors.registers.interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<JobKind> {
        [JobKind::Spend, JobKind::Register]
            .into_iter()
            .find(|k| k.slug() == s)
    }
}

/// A background import as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportJobRecord {
    pub id: Uuid,
    pub kind: JobKind,
    /// The anchor a spend file is for; for a register, its format in words.
    pub anchor_name: String,
    pub file_name: String,
    /// Lines in a spend file; bytes in a register file.
    pub total: u64,
    pub state: JobState,
    /// The outcome (what was imported, or why nothing was) as a stored
    /// catalogue message; earlier records kept English text.
    pub summary: String,
    /// The import report as stored ([`Report::to_json`]); earlier records
    /// kept its problems as English lines, as the CLI prints them.
    pub problems: String,
    pub started_at: OffsetDateTime,
    pub ended_at: Option<OffsetDateTime>,
}

impl ImportJobRecord {
    /// What the job did, in the reader's words: the outcome is kept as a
    /// catalogue message (earlier records kept English text, shown as is).
    ///
    /// A job still recorded as running that no server holds was cut off by
    /// a restart: it says so.
    pub fn summary_in_words(&self) -> String {
        match self.state {
            JobState::Running => crate::i18n::t(self.kind.interrupted_key()).to_string(),
            _ => Message::stored_in_words(&self.summary),
        }
    }

    /// The report kept with the job (its problems' words said when read);
    /// `None` for a record that kept its problems as lines of text.
    pub fn report(&self) -> Option<Report> {
        Report::stored(&self.problems)
    }

    /// The problems as lines naming file, line and column, in the reader's
    /// words (a record kept as lines of text reads as it was kept).
    pub fn problem_lines_in_words(&self) -> Vec<String> {
        match self.report() {
            Some(report) => report.to_string().lines().map(str::to_string).collect(),
            None => self.problems.lines().map(str::to_string).collect(),
        }
    }

    /// What the file was loaded as: a register's format is kept as its
    /// catalogue key and said in the reader's words; an anchor's name as is.
    pub fn anchor_in_words(&self) -> String {
        if crate::i18n::has(&self.anchor_name) {
            crate::i18n::t(&self.anchor_name).to_string()
        } else {
            self.anchor_name.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A register job's outcome, read in French, says its counts in French
    /// with their plural forms ("1 fournisseur", never "1 suppliers").
    #[test]
    fn a_job_s_outcome_is_said_in_its_reader_s_words() {
        use crate::i18n::{Language, Locale, Message, with_locale};
        let record = ImportJobRecord {
            id: Uuid::nil(),
            kind: JobKind::Register,
            anchor_name: "anchors.register.format.companies_house".into(),
            file_name: "basic.csv".into(),
            total: 10,
            state: JobState::Imported,
            summary: Message::new("anchors.registers.summary")
                .counted("entries", "anchors.registers.n.entries", 1)
                .counted("new", "anchors.registers.n.new", 0)
                .counted("left_out", "anchors.registers.n.left_out", 2_500)
                .counted("rechecked", "anchors.registers.n.rechecked", 1)
                .to_json(),
            problems: String::new(),
            started_at: crate::clock::now(),
            ended_at: None,
        };
        let en = record.summary_in_words();
        assert!(
            en.starts_with("1 register entry read, 0 new; 2,500 rows"),
            "{en}"
        );
        assert!(en.contains("1 supplier waiting"), "{en}");
        assert!(!en.contains("1 suppliers"), "{en}");
        let fr = with_locale(
            Locale {
                language: Language::Fr,
                ..Default::default()
            },
            || (record.summary_in_words(), record.anchor_in_words()),
        );
        assert!(fr.0.contains("1 fournisseur en attente"), "{}", fr.0);
        assert!(fr.0.contains("0 nouvelle ;"), "{}", fr.0);
        assert!(fr.0.contains("2\u{202f}500 lignes"), "{}", fr.0);
        assert!(!fr.1.contains("anchors."), "{}", fr.1);
        let old = ImportJobRecord {
            summary: "9 lines read".into(),
            ..record
        };
        assert_eq!(old.summary_in_words(), "9 lines read");
    }

    /// A failed job keeps why as a message, said in its reader's words; a
    /// refused file's problems name file, line and column in them too; an
    /// old record's English reason and problem lines still read as kept;
    /// a job a restart cut off says so.
    #[test]
    fn a_failed_job_s_reason_is_said_in_its_reader_s_words() {
        use crate::csv_import::{Column, Problem};
        use crate::i18n::{Language, Locale, with_locale};
        let fr = Locale {
            language: Language::Fr,
            ..Default::default()
        };
        let mut report = Report::new("swbh-2024-04.csv");
        report.push(Problem::error(
            12,
            Some(Column {
                number: 3,
                name: "Amount".into(),
            }),
            Message::new("validation.too_long").arg("max", 120),
        ));
        let record = ImportJobRecord {
            id: Uuid::nil(),
            kind: JobKind::Spend,
            anchor_name: "Sandwell and West Birmingham".into(),
            file_name: "swbh-2024-04.csv".into(),
            total: 30_000,
            state: JobState::Failed,
            summary: Message::new("anchors.job.failed")
                .said("reason", &Message::new("store.busy"))
                .to_json(),
            problems: report.to_json(),
            started_at: crate::clock::now(),
            ended_at: Some(crate::clock::now()),
        };
        let en = record.summary_in_words();
        assert!(en.contains("The database is busy"), "{en}");
        let (said, lines) = with_locale(fr, || {
            (record.summary_in_words(), record.problem_lines_in_words())
        });
        assert!(said.contains("rien de ce fichier"), "{said}");
        assert!(said.contains("La base de données est occupée"), "{said}");
        assert!(!said.contains("database") && !said.contains('{'), "{said}");
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("swbh-2024-04.csv:12:3: error: "),
            "{lines:?}"
        );
        assert!(lines[0].contains("120 caractères"), "{lines:?}");
        assert_eq!(record.report(), Some(report));
        let old = ImportJobRecord {
            summary: "database error: disk full".into(),
            problems: "old.csv:2:1: error: Enter a date".into(),
            ..record.clone()
        };
        let (said, lines) = with_locale(fr, || {
            (old.summary_in_words(), old.problem_lines_in_words())
        });
        assert_eq!(said, "database error: disk full");
        assert_eq!(lines, ["old.csv:2:1: error: Enter a date"]);
        assert_eq!(old.report(), None);
        let cut_off = ImportJobRecord {
            state: JobState::Running,
            summary: String::new(),
            ..record
        };
        let said = with_locale(fr, || cut_off.summary_in_words());
        assert!(said.starts_with("Le serveur a redémarré"), "{said}");
    }

    #[test]
    fn states_read_back_from_their_slugs() {
        for s in [
            JobState::Running,
            JobState::Imported,
            JobState::Rejected,
            JobState::Failed,
        ] {
            assert_eq!(JobState::parse(s.slug()), Some(s));
        }
        assert_eq!(JobState::parse("done"), None);
        for k in [JobKind::Spend, JobKind::Register] {
            assert_eq!(JobKind::parse(k.slug()), Some(k));
        }
        assert_eq!(JobKind::parse("workforce"), None);
    }
}
