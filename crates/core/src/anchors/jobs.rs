//! What is kept of a background import (a spend file, or a register file
//! loaded from the web), so its page can say what happened after the server
//! restarts (the import itself is one transaction: all of it was written,
//! or none).

use time::OffsetDateTime;
use uuid::Uuid;

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
    /// The outcome in words (what was imported, or why nothing was).
    pub summary: String,
    /// The import report's problems, one per line, as the CLI prints them.
    pub problems: String,
    pub started_at: OffsetDateTime,
    pub ended_at: Option<OffsetDateTime>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
