//! What every background job's status says, whatever its kind: a spend
//! import (`imports.rs`) and a register load (`registers.rs`) share the
//! record read after a restart, the running state, and the Rejected and
//! Failed ends; each adds only its own finished result.

use useit_app::anchors::jobs::{JobEnd, JobView};
use useit_core::anchors::jobs::{JobKind, JobState};
use useit_core::clock;
use useit_core::i18n::Message;

use crate::http::error::{AppError, ProblemLine, problem_lines};

/// A job's status in the fields both kinds show.
pub(super) struct JobStatus {
    /// The anchor a spend file is for; a register's format in words.
    pub name: String,
    pub file: String,
    /// `running`, `imported`, `rejected` or `failed`.
    pub state: String,
    /// Lines (spend) or bytes (register) read so far while it runs.
    pub done: Option<u64>,
    /// Lines in a spend file (when known), bytes in a register file.
    pub total: Option<u64>,
    pub summary: Option<String>,
    pub problems: Vec<ProblemLine>,
    pub ended_at: Option<String>,
    /// The kind's own end, when it finished while this server holds it:
    /// [`JobEnd::Imported`] for a spend import, [`JobEnd::Registered`] for
    /// a register load.
    pub finished: Option<JobEnd>,
}

/// The status of `view` as a job of `kind`; a job of the other kind is not
/// found (each kind has its own status address).
pub(super) fn job_status(view: JobView, kind: JobKind) -> Result<JobStatus, AppError> {
    match view {
        JobView::Recorded(r) if r.kind == kind => Ok(JobStatus {
            // A register's format, the outcome (or why it failed) and the
            // report's problems are kept as catalogue messages, said in the
            // reader's words here.
            name: r.anchor_in_words(),
            summary: (!r.summary.is_empty() || r.state == JobState::Running)
                .then(|| r.summary_in_words()),
            problems: r.report().map(|p| problem_lines(&p)).unwrap_or_default(),
            // Recorded as running but held by no server: a restart cut it
            // off, and nothing was written. It will not end: it failed.
            state: match r.state {
                JobState::Running => JobState::Failed.slug().into(),
                other => other.slug().into(),
            },
            file: r.file_name,
            done: None,
            total: (r.total > 0).then_some(r.total),
            ended_at: r.ended_at.map(clock::rfc3339),
            finished: None,
        }),
        JobView::Live(j) if j.kind == kind => {
            let mut status = JobStatus {
                name: j.anchor.clone(),
                file: j.file_name.clone(),
                state: JobState::Running.slug().into(),
                done: Some(j.done()),
                total: j.total,
                summary: None,
                problems: Vec::new(),
                ended_at: None,
                finished: None,
            };
            match j.end() {
                None => {}
                Some(JobEnd::Rejected(report)) => {
                    status.state = JobState::Rejected.slug().into();
                    status.summary = Some(
                        Message::new("upload.has_errors")
                            .arg("count", report.error_count())
                            .text(),
                    );
                    status.problems = problem_lines(&report);
                }
                Some(JobEnd::Failed(reason)) => {
                    status.state = JobState::Failed.slug().into();
                    status.summary = Some(reason.text());
                }
                Some(end @ JobEnd::Imported(_)) if kind == JobKind::Spend => {
                    if let JobEnd::Imported(i) = &end {
                        status.summary = Some(i.outcome.message().text());
                        status.problems = problem_lines(&i.report);
                    }
                    status.state = JobState::Imported.slug().into();
                    status.finished = Some(end);
                }
                Some(end @ JobEnd::Registered(_)) if kind == JobKind::Register => {
                    if let JobEnd::Registered(i) = &end {
                        status.summary = Some(i.outcome.message().text());
                        status.problems = problem_lines(&i.report);
                    }
                    status.state = JobState::Imported.slug().into();
                    status.finished = Some(end);
                }
                // The other kind's end: not this kind's job.
                Some(_) => return Err(AppError::NotFound),
            }
            Ok(status)
        }
        // The other kind's job has its own status address.
        _ => Err(AppError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use useit_core::anchors::jobs::ImportJobRecord;
    use useit_store::StoreError;

    fn record(kind: JobKind, state: JobState, total: u64) -> JobView {
        JobView::Recorded(ImportJobRecord {
            id: uuid::Uuid::nil(),
            kind,
            anchor_name: "Companies House".into(),
            file_name: "basic.csv".into(),
            total,
            state,
            summary: "the server restarted".into(),
            problems: String::new(),
            started_at: clock::now(),
            ended_at: Some(clock::now()),
        })
    }

    #[test]
    fn a_recorded_job_is_found_only_under_its_own_kind() {
        for (kind, other) in [
            (JobKind::Register, JobKind::Spend),
            (JobKind::Spend, JobKind::Register),
        ] {
            let s = job_status(record(kind, JobState::Failed, 2_048), kind)
                .unwrap_or_else(|_| panic!("{kind:?} not found"));
            assert_eq!(
                (s.state.as_str(), s.total, s.done, s.summary.as_deref()),
                ("failed", Some(2_048), None, Some("the server restarted"))
            );
            assert_eq!(s.file, "basic.csv");
            assert!(s.ended_at.is_some() && s.finished.is_none());
            assert!(matches!(
                job_status(record(kind, JobState::Failed, 1), other),
                Err(AppError::NotFound)
            ));
        }
        // A job a restart cut off failed, and says so; a failure's reason
        // and a refused file's problems are said in the reader's words, an
        // old record's English reason as it was kept.
        let cut = job_status(record(JobKind::Spend, JobState::Running, 9), JobKind::Spend)
            .unwrap_or_else(|_| panic!("not found"));
        assert_eq!(cut.state, "failed");
        assert!(
            cut.summary.as_deref().unwrap_or("").contains("restarted"),
            "{:?}",
            cut.summary
        );
        let mut report = useit_core::csv_import::Report::new("basic.csv");
        report.push(useit_core::csv_import::Problem::error(
            4,
            None,
            Message::new("validation.too_long").arg("max", 120),
        ));
        let failed = || {
            JobView::Recorded(ImportJobRecord {
                summary: useit_app::anchors::jobs::failure(&useit_app::Error::Store(
                    StoreError::Busy("locked".into()),
                ))
                .to_json(),
                problems: report.to_json(),
                ..match record(JobKind::Register, JobState::Failed, 1) {
                    JobView::Recorded(r) => r,
                    JobView::Live(_) => unreachable!(),
                }
            })
        };
        let fr = useit_core::i18n::Locale {
            language: useit_core::i18n::Language::Fr,
            ..Default::default()
        };
        let s = useit_core::i18n::with_locale(fr, || job_status(failed(), JobKind::Register))
            .unwrap_or_else(|_| panic!("not found"));
        let said = s.summary.unwrap_or_default();
        assert!(said.contains("La base de données est occupée"), "{said}");
        assert!(!said.contains("database"), "{said}");
        assert_eq!(s.problems.len(), 1);
        assert_eq!(
            (s.problems[0].line, s.problems[0].detail.as_str()),
            (4, "120 caractères au maximum")
        );

        // A file whose size or lines are not known says so, not 0.
        let s = job_status(
            record(JobKind::Spend, JobState::Imported, 0),
            JobKind::Spend,
        )
        .unwrap_or_else(|_| panic!("not found"));
        assert_eq!(s.total, None);
    }
}
