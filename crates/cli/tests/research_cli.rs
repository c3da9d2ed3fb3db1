//! `useit research assign|assignments|add-time|end-assignment|income` as a
//! coordinator at a terminal uses them, on a throw-away SQLite database
//! holding the demo programme: each command's work said in plain words, and
//! a bad input refused naming its field (or option) with a failing exit code.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let d =
            std::env::temp_dir().join(format!("useit-cli-research-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn db(&self) -> String {
        format!("sqlite://{}", self.0.join("demo.db").display())
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn useit(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_useit"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("USEIT_DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Succeeds, and says so in words: its standard output.
fn ok(db: &str, args: &[&str]) -> String {
    let out = useit(db, args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    let said = text(&out.stdout);
    assert_plain(&said);
    said
}

/// Fails with a non-zero exit code: its standard error.
fn refused(db: &str, args: &[&str]) -> String {
    let out = useit(db, args);
    assert!(!out.status.success(), "{args:?}: {}", text(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let said = text(&out.stderr);
    assert_plain(&said);
    said
}

/// No message key (`cli.research.time_added`) where words belong, and
/// every sum of money with its thousands separated (`£1,234.50`).
fn assert_plain(said: &str) {
    for word in said.split_whitespace() {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        let segments: Vec<&str> = w.split('.').collect();
        let key_shaped = segments.len() >= 3
            && segments
                .iter()
                .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        assert!(!key_shaped, "a message key in {said:?}: {w}");
    }
    for (i, _) in said.match_indices('£') {
        let amount: String = said[i + '£'.len_utf8()..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
            .collect();
        let whole = amount.split('.').next().unwrap_or_default();
        let groups: Vec<&str> = whole.split(',').collect();
        assert!(
            !groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3),
            "an amount without its separators in {said:?}: £{amount}"
        );
    }
}

const SLUG: &str = "west-birmingham-smethwick";
const PROJECTS: [&str; 4] = [
    "Where hospital staff spend their pay",
    "Getting to work at the new hospital",
    "Young carers in Ladywood",
    "Community spaces audit",
];

#[test]
fn a_researcher_is_assigned_enters_hours_inside_the_assignment_only_and_is_unassigned() {
    let d = Dir::new();
    let db = d.db();
    let out = useit(&db, &["demo", "--no-serve"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The demo's first researcher (the one with an account), by her id.
    let out = useit(&db, &["research", "researchers", "--programme", SLUG]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let row = csv
        .lines()
        .find(|l| l.contains("researcher@demo.useit.example"))
        .unwrap_or_else(|| panic!("no demo researcher in {csv}"));
    let mut cells = row.split(',');
    let id = cells.next().unwrap().to_string();
    let name = cells.next().unwrap().to_string();

    // Her projects, and one she is not on.
    let mine = ok(
        &db,
        &[
            "research",
            "assignments",
            "--programme",
            SLUG,
            "--researcher",
            &id,
        ],
    );
    assert!(
        !mine.is_empty() && mine.lines().all(|l| l.contains(&name)),
        "{mine}"
    );
    assert!(mine.contains("from 2024-10-01 with no end set"), "{mine}");
    let project = PROJECTS
        .into_iter()
        .find(|p| !mine.contains(&format!("{p}: ")))
        .expect("the demo assigns a researcher to three projects at most");

    // Hours before she is assigned are refused, naming the field.
    let err = refused(
        &db,
        &[
            "research",
            "add-time",
            "--programme",
            SLUG,
            "--researcher",
            &id,
            "--project",
            project,
            "--day",
            "2025-01-07",
            "--hours",
            "2.5",
        ],
    );
    assert!(
        err.starts_with("error: project: The researcher is not assigned to this project on "),
        "{err}"
    );

    // Assigned from 6 January 2025, open.
    let said = ok(
        &db,
        &[
            "research",
            "assign",
            "--programme",
            SLUG,
            "--project",
            project,
            "--researcher",
            &id,
            "--from",
            "2025-01-06",
        ],
    );
    assert!(
        said.starts_with(&format!(
            "{project}: {name}, from 2025-01-06 with no end set (assignment "
        )),
        "{said}"
    );
    let assignment = said
        .split("(assignment ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap()
        .to_string();
    // The same days again overlap: refused, the first day named.
    let err = refused(
        &db,
        &[
            "research",
            "assign",
            "--programme",
            SLUG,
            "--project",
            project,
            "--researcher",
            &id,
            "--from",
            "2025-02-01",
        ],
    );
    assert!(err.starts_with("error: starts_on: "), "{err}");

    // The project lists her; her own list now has the project.
    let listed = ok(
        &db,
        &[
            "research",
            "assignments",
            "--programme",
            SLUG,
            "--project",
            project,
        ],
    );
    assert!(
        listed.contains(&format!(
            "{project}: {name}, from 2025-01-06 with no end set (assignment {assignment})"
        )),
        "{listed}"
    );
    let mine = ok(
        &db,
        &[
            "research",
            "assignments",
            "--programme",
            SLUG,
            "--researcher",
            &id,
        ],
    );
    assert!(mine.contains(&format!("{project}: ")), "{mine}");
    let all = ok(&db, &["research", "assignments", "--programme", SLUG]);
    assert!(all.contains(&assignment), "every project's");
    // A project the programme does not have is named back.
    let err = refused(
        &db,
        &[
            "research",
            "assignments",
            "--programme",
            SLUG,
            "--project",
            "Seagulls of Smethwick",
        ],
    );
    assert_eq!(
        err.trim_end(),
        "error: The programme has no research project 'Seagulls of Smethwick': give its id or its title"
    );

    // Hours inside the assignment are entered; the day before it, refused.
    let said = ok(
        &db,
        &[
            "research",
            "add-time",
            "--programme",
            SLUG,
            "--researcher",
            &id,
            "--project",
            project,
            "--day",
            "2025-01-07",
            "--hours",
            "2:30",
        ],
    );
    assert!(
        said.starts_with(&format!(
            "Entered 2 h 30 min on 2025-01-07 for {project} (entry "
        )),
        "{said}"
    );
    assert!(said.trim_end().ends_with("waiting for approval"), "{said}");
    let err = refused(
        &db,
        &[
            "research",
            "add-time",
            "--programme",
            SLUG,
            "--researcher",
            &id,
            "--project",
            project,
            "--day",
            "2025-01-05",
            "--hours",
            "1",
        ],
    );
    assert!(err.starts_with("error: project: "), "{err}");
    // Bad hours are named too.
    let err = refused(
        &db,
        &[
            "research",
            "add-time",
            "--programme",
            SLUG,
            "--researcher",
            &id,
            "--project",
            project,
            "--day",
            "2025-01-08",
            "--hours",
            "lots",
        ],
    );
    assert!(err.starts_with("error: hours: "), "{err}");

    // Ending it before the hours it covers is refused; after them, done.
    let end = |to: &str| {
        vec![
            "research".to_string(),
            "end-assignment".into(),
            "--programme".into(),
            SLUG.into(),
            "--id".into(),
            assignment.clone(),
            "--to".into(),
            to.into(),
        ]
    };
    let args = end("2025-01-06");
    let err = refused(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        err.starts_with("error: ends_on: Hours are entered on "),
        "{err}"
    );
    let args = end("2025-01-31");
    let said = ok(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        said.trim_end(),
        format!("{project}: {name}, from 2025-01-06 to 2025-01-31 (assignment {assignment})")
    );
    // After its last day, hours are refused again.
    let err = refused(
        &db,
        &[
            "research",
            "add-time",
            "--programme",
            SLUG,
            "--researcher",
            &id,
            "--project",
            project,
            "--day",
            "2025-02-03",
            "--hours",
            "1",
        ],
    );
    assert!(err.starts_with("error: project: "), "{err}");
    // An assignment the programme does not have.
    let args = end("2025-01-31");
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args[5] = "0193a0b0-0000-7000-8000-000000000006";
    let err = refused(&db, &args);
    assert_eq!(err.trim_end(), "error: not found");

    // Income: hers by year, then everyone's; "not known" where nothing is
    // recorded, money with its separators (checked in `ok`).
    let income = ok(
        &db,
        &[
            "research",
            "income",
            "--programme",
            SLUG,
            "--researcher",
            &id,
        ],
    );
    assert!(
        income.lines().all(|l| l.starts_with(name.as_str())),
        "{income}"
    );
    assert!(
        income.contains(&format!("{name}, 2024: from the programme "))
            || income.contains("no approved hours recorded, income not known"),
        "{income}"
    );
    // A researcher's id that is not one: the option named, before any work.
    let out = useit(
        &db,
        &[
            "research",
            "income",
            "--programme",
            SLUG,
            "--researcher",
            "Amina",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: invalid value 'Amina' for '--researcher <RESEARCHER>'"),
        "{err}"
    );
    let everyone = ok(&db, &["research", "income", "--programme", SLUG]);
    assert!(everyone.lines().count() > 10, "{everyone}");
    assert!(
        everyone.contains(" for ") && everyone.contains('£'),
        "{everyone}"
    );
    assert!(everyone.contains("from the Social Lab"), "{everyone}");
}
