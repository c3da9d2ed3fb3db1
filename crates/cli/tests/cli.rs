//! The `useit` binary as a person at a terminal uses it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let d = std::env::temp_dir().join(format!(
            "useit-cli-{}",
            std::process::id() as u128 * 1_000_000 + rand_part()
        ));
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
    fn db(&self) -> String {
        format!("sqlite://{}", self.path("useit.db").display())
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_part() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u128
}

fn useit(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_useit"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("USEIT_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_database_that_cannot_be_opened_is_one_clear_line() {
    let out = useit(
        "postgres://useit:s3cret@127.0.0.1:1/useit",
        &["migrate"],
        None,
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "error: could not open the database postgres://useit:***@127.0.0.1:1/useit: "
        ),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "the password is never printed");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    let d = Dir::new();
    std::fs::write(d.path("notes.txt"), "these are not a database, just words that go on long enough to look like a header ........").unwrap();
    let out = useit(
        &format!("sqlite://{}", d.path("notes.txt").display()),
        &["migrate"],
        None,
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("could not open the database sqlite://") && err.contains("notes.txt"),
        "{err}"
    );

    let out = useit("mysql://x", &["migrate"], None);
    assert!(text(&out.stderr).contains("must start with sqlite:// or postgres://"));
}

fn setup(d: &Dir) {
    let out = useit(
        &d.db(),
        &[
            "user",
            "add",
            "--email",
            "pm@example.org",
            "--name",
            "Pat Manager",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = useit(
        &d.db(),
        &[
            "programme",
            "add",
            "--slug",
            "smethwick",
            "--name",
            "Smethwick",
            "--admin",
            "pm@example.org",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn accounts_and_programmes_from_the_console() {
    let d = Dir::new();
    let out = useit(
        &d.db(),
        &[
            "user",
            "add",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("password: Password must be at least 12 characters"));
    setup(&d);
    let out = useit(
        &d.db(),
        &[
            "user",
            "add",
            "--email",
            "PM@example.org",
            "--name",
            "Again",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(
        text(&out.stderr).contains("email: There is already an account with this email address")
    );
    let out = useit(&d.db(), &["user", "list"], None);
    assert!(text(&out.stdout).contains("pm@example.org"));
    let out = useit(
        &d.db(),
        &["user", "set-password", "pm@example.org", "--password-stdin"],
        Some("another long password\n"),
    );
    assert!(out.status.success());
    let out = useit(&d.db(), &["programme", "list"], None);
    assert!(text(&out.stdout).contains("smethwick"));
    let out = useit(
        &d.db(),
        &["programme", "add", "--slug", "Not A Slug", "--name", "x"],
        None,
    );
    assert!(text(&out.stderr).contains("slug: Use 2 to 40 lower-case letters"));
}

#[test]
fn partner_imports_name_the_line_and_column_and_change_nothing_when_wrong() {
    let d = Dir::new();
    setup(&d);
    let bad = d.path("partners.csv");
    std::fs::write(
        &bad,
        "name,kind,joined_on\nGood,vcse,2019-01-01\nBad,spaceship,2019-02-30\n",
    )
    .unwrap();
    let out = useit(
        &d.db(),
        &[
            "partners",
            "import",
            bad.to_str().unwrap(),
            "--programme",
            "smethwick",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "{}:3:2: error: 'spaceship' is not a kind of partner",
            bad.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:3:3: error: Enter a real date", bad.display())),
        "{err}"
    );
    assert!(err.contains("nothing was imported"));
    let out = useit(
        &d.db(),
        &["partners", "export", "--programme", "smethwick"],
        None,
    );
    assert_eq!(text(&out.stdout).lines().count(), 1, "still no partners");

    std::fs::write(
        &bad,
        "name,kind,joined_on\nGood,vcse,2019-01-01\nAlso Good,funder,28/02/2019\n",
    )
    .unwrap();
    let out = useit(
        &d.db(),
        &[
            "partners",
            "import",
            bad.to_str().unwrap(),
            "--programme",
            "smethwick",
            "--dry-run",
        ],
        None,
    );
    assert!(text(&out.stdout).contains("dry run, would import: 2 added"));
    let out = useit(
        &d.db(),
        &[
            "partners",
            "import",
            bad.to_str().unwrap(),
            "--programme",
            "smethwick",
        ],
        None,
    );
    assert!(
        text(&out.stdout).contains("imported: 2 added, 0 changed, 0 unchanged"),
        "{}",
        text(&out.stdout)
    );
    let out = useit(
        &d.db(),
        &[
            "partners",
            "import",
            bad.to_str().unwrap(),
            "--programme",
            "smethwick",
        ],
        None,
    );
    assert!(text(&out.stdout).contains("imported: 0 added, 0 changed, 2 unchanged"));
    let exported = d.path("export.csv");
    let out = useit(
        &d.db(),
        &[
            "partners",
            "export",
            "--programme",
            "smethwick",
            "--contacts",
            "-o",
            exported.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    let out = useit(
        &d.db(),
        &[
            "partners",
            "import",
            exported.to_str().unwrap(),
            "--programme",
            "smethwick",
        ],
        None,
    );
    assert!(text(&out.stdout).contains("0 added, 0 changed, 2 unchanged"));

    let out = useit(
        &d.db(),
        &[
            "audit",
            "export",
            "--programme",
            "smethwick",
            "--format",
            "jsonl",
        ],
        None,
    );
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines.iter().any(|e| e["action"] == "import"
            && e["actor_label"].as_str().unwrap().starts_with("console:"))
    );
    assert!(
        lines
            .iter()
            .any(|e| e["action"] == "export" && e["subject_type"] == "partner_contact")
    );
}

#[test]
fn backups_restore_only_where_told() {
    let d = Dir::new();
    setup(&d);
    let backup = d.path("backup.db");
    let out = useit(&d.db(), &["backup", backup.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = useit(&d.db(), &["backup", backup.to_str().unwrap()], None);
    assert!(text(&out.stderr).contains("already exists"));
    let out = useit(&d.db(), &["restore", backup.to_str().unwrap()], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("already holds data; add --force"));
    let out = useit(
        &d.db(),
        &["restore", backup.to_str().unwrap(), "--force"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let fresh = format!("sqlite://{}", d.path("fresh.db").display());
    let out = useit(&fresh, &["restore", backup.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = useit(&fresh, &["programme", "list"], None);
    assert!(text(&out.stdout).contains("smethwick"));
    let out = useit(
        &fresh,
        &["restore", d.path("missing.db").to_str().unwrap(), "--force"],
        None,
    );
    assert!(text(&out.stderr).contains("does not exist"));
    let _ = Path::new("");
}

#[test]
fn the_demo_builds_a_believable_programme() {
    let d = Dir::new();
    let db = format!("sqlite://{}", d.path("demo.db").display());
    let out = useit(&db, &["demo", "--no-serve"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = useit(&db, &["programme", "list"], None);
    let list = text(&out.stdout);
    assert!(list.contains("west-birmingham-smethwick") && list.contains("east-birmingham"));
    let out = useit(
        &db,
        &[
            "partners",
            "export",
            "--programme",
            "west-birmingham-smethwick",
        ],
        None,
    );
    let csv = text(&out.stdout);
    assert!(csv.contains(
        "Sandwell and West Birmingham Hospitals NHS Trust,anchor_institution,GB-NHS-RXK"
    ));
    assert!(csv.lines().count() > 15);
    // Building it again starts from the same state.
    let out = useit(&db, &["demo", "--no-serve"], None);
    assert!(out.status.success());
    let again = text(
        &useit(
            &db,
            &[
                "partners",
                "export",
                "--programme",
                "west-birmingham-smethwick",
            ],
            None,
        )
        .stdout,
    );
    assert_eq!(csv.lines().count(), again.lines().count());
}
