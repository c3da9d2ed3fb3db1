//! What is kept of a background import, so its page can say what happened
//! after the server restarts (the import itself is one transaction: all of
//! it was written, or none).

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

/// A background import as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportJobRecord {
    pub id: Uuid,
    pub anchor_name: String,
    pub file_name: String,
    /// Lines in the file.
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
    }
}
