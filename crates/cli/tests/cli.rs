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
    // An invitation from the console: the link to send, once.
    let invite = |email: &str, role: &str| {
        useit(
            &d.db(),
            &[
                "programme",
                "invite",
                "--programme",
                "smethwick",
                "--email",
                email,
                "--role",
                role,
                "--base-url",
                "https://useit.example.org/",
            ],
            None,
        )
    };
    let out = invite("new@example.org", "funder_viewer");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("Invitation created for new@example.org"),
        "{said}"
    );
    assert!(
        said.contains("https://useit.example.org/invitations/useit_invite_"),
        "{said}"
    );
    let out = invite("new@example.org", "boss");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("role: "),
        "{}",
        text(&out.stderr)
    );
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
    // The backup holds the audit log sealed, and it verifies alone.
    let out = useit(&fresh, &["audit", "verify"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("audit entries checked") && said.contains("hash "),
        "{said}"
    );
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
    // The research strand: 60 researchers, and a payment run of their
    // approved hours across the October 2024 rise (issue 19).
    let slug = "west-birmingham-smethwick";
    let out = useit(&db, &["research", "summary", "--programme", slug], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("60 researchers"),
        "{}",
        text(&out.stdout)
    );
    let run = d.path("pay-run.csv");
    let out = useit(
        &db,
        &[
            "research",
            "pay-run",
            "--programme",
            slug,
            "--out",
            run.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pay = std::fs::read_to_string(&run).unwrap();
    assert!(pay.starts_with("entry_id,researcher_id,researcher,project,worked_on"));
    assert!(pay.contains(",12.60,2024-10-23,") && pay.contains(",12.00,2023-10-24,"));
    // Themes: the programme's list, and a project's own offered first
    // (the young carers' project proposed its own); `--set` replaces a
    // project's own.
    let out = useit(&db, &["research", "themes", "--programme", slug], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Food and shops\n"));
    let carers = "Young carers in Ladywood";
    let out = useit(
        &db,
        &[
            "research",
            "themes",
            "--programme",
            slug,
            "--project",
            carers,
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("A break from caring\nCaring and school\nFood and shops\n"),
        "{}",
        text(&out.stdout)
    );
    let themes = d.path("themes.txt");
    std::fs::write(
        &themes,
        "A break from caring\nCaring and school\nSiblings\n",
    )
    .unwrap();
    let out = useit(
        &db,
        &[
            "research",
            "themes",
            "--programme",
            slug,
            "--project",
            carers,
            "--set",
            themes.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\nSiblings\nFood and shops\n"));
    assert!(
        text(&out.stderr).contains("3 themes of its own"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(&themes, "Siblings\nsiblings\n").unwrap();
    let out = useit(
        &db,
        &[
            "research",
            "themes",
            "--programme",
            slug,
            "--project",
            carers,
            "--set",
            themes.to_str().unwrap(),
        ],
        None,
    );
    assert!(!out.status.success(), "a theme twice is refused");
    // The asset map's services as Open Referral tables in one zip, the
    // same bytes each time (the web's download is the same app function).
    let zip = d.path("hsds.zip");
    let hsds = |path: &std::path::Path| {
        let out = useit(
            &db,
            &[
                "community",
                "assets",
                "hsds",
                "--programme",
                slug,
                "--out",
                path.to_str().unwrap(),
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let said = hsds(&zip);
    assert!(
        said.contains("services written as Open Referral tables to"),
        "{said}"
    );
    let bytes = std::fs::read(&zip).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip file");
    let names = String::from_utf8_lossy(&bytes);
    for table in [
        "organization.csv",
        "service.csv",
        "location.csv",
        "address.csv",
        "service_at_location.csv",
        "phone.csv",
        "schedule.csv",
    ] {
        assert!(names.contains(table), "{table} in the zip");
    }
    let again = d.path("hsds-again.zip");
    hsds(&again);
    assert_eq!(std::fs::read(&again).unwrap(), bytes, "the same bytes");
    // The home page's figures from the console: the seed's targets, and the
    // figures against them; a new programme has no targets and steps to take.
    let out = useit(&db, &["programme", "indicators", "--programme", slug], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let figures = text(&out.stdout);
    assert!(
        figures.contains("Target: 60") && figures.contains("Target: 120"),
        "{figures}"
    );
    assert!(
        figures.contains("Community researchers accredited"),
        "{figures}"
    );
    // The enterprise strand (issue 18.6): 120 enterprises with support and
    // income known, three anchor tenders of the trust, the last of which
    // only a consortium can meet.
    assert!(
        figures.contains("Social enterprises supported")
            && figures.contains("Income known for 120 of 120 enterprises"),
        "{figures}"
    );
    let out = useit(&db, &["enterprise", "list", "--programme", slug], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&out.stdout).lines().count();
    assert!((120..=130).contains(&listed), "{listed} enterprises");
    let out = useit(&db, &["enterprise", "lots", "--programme", slug], None);
    let lots = text(&out.stdout);
    for lot in ["SWBH-FM-2027/1", "SWBH-FM-2027/2", "SWBH-FM-2027/3"] {
        assert!(lots.contains(lot), "{lots}");
    }
    let out = useit(
        &db,
        &[
            "enterprise",
            "consortium",
            "--programme",
            slug,
            "--lot",
            "SWBH-FM-2027/3",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer = text(&out.stdout);
    assert!(
        answer.contains("No enterprise meets every requirement alone.")
            && answer.contains("Consortia that could bid together")
            && answer.contains("1. ")
            && answer.contains("(Suggested lead: "),
        "{answer}"
    );
    let out = useit(
        &db,
        &[
            "enterprise",
            "consortium",
            "--programme",
            slug,
            "--lot",
            "SWBH-FM-2027/1",
        ],
        None,
    );
    assert!(
        !text(&out.stdout).contains("No enterprise meets every requirement alone."),
        "{}",
        text(&out.stdout)
    );
    let east = "east-birmingham";
    let out = useit(
        &db,
        &["programme", "targets", "list", "--programme", east],
        None,
    );
    assert!(text(&out.stdout).contains("No targets are set"));
    let out = useit(&db, &["programme", "indicators", "--programme", east], None);
    let figures = text(&out.stdout);
    assert!(
        figures.starts_with("Get started") && figures.contains("Add the anchor institutions"),
        "{figures}"
    );
    assert!(!figures.contains("Target:"), "{figures}");
    let out = useit(
        &db,
        &[
            "programme",
            "targets",
            "set",
            "--programme",
            east,
            "--indicator",
            "talent_engaged",
            "--value",
            "50",
            "--from",
            "2026-04-01",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("talent_engaged") && text(&out.stdout).contains("2026-04-01")
    );
    let out = useit(
        &db,
        &[
            "programme",
            "targets",
            "set",
            "--programme",
            east,
            "--indicator",
            "lm3",
            "--value",
            "2",
        ],
        None,
    );
    assert!(!out.status.success(), "a share has no target");
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

fn data(path: &str) -> String {
    format!("{}/../../data/place/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn geography_loads_once_and_postcodes_are_looked_up_in_bulk() {
    let d = Dir::new();
    setup(&d);
    let db = d.db();
    for (preset, file) in [
        ("lad-names", "lad_codes_names_2016_2024.csv.gz"),
        ("lsoa11-wards", "lsoa11_ward19_west_midlands_ca.csv.gz"),
        ("iod2019", "iod2019_lsoa11_west_midlands_ca.csv.gz"),
        ("ons-postcodes", "postcodes_b_ws_wv_dy_cv_lsoa11.csv.gz"),
    ] {
        let kind = match preset {
            "lad-names" => "names",
            "lsoa11-wards" => "areas",
            "iod2019" => "index",
            _ => "postcodes",
        };
        let out = useit(
            &db,
            &["place", "load", kind, &data(file), "--preset", preset],
            None,
        );
        assert!(out.status.success(), "{preset}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("loaded"),
            "{}",
            text(&out.stdout)
        );
    }
    // Loading a file again changes nothing and says the same.
    let again = useit(
        &db,
        &[
            "place",
            "load",
            "index",
            &data("iod2019_lsoa11_west_midlands_ca.csv.gz"),
            "--preset",
            "iod2019",
        ],
        None,
    );
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("loaded 1,680 rows")
            || text(&again.stdout).contains("loaded 3,360 rows"),
        "{}",
        text(&again.stdout)
    );

    // A bad file names the file, line and column, and loads nothing.
    let bad = d.path("simd.csv");
    std::fs::write(&bad, "dz,rank\nS01000001,17\nS01000002,many\n").unwrap();
    let out = useit(
        &db,
        &[
            "place",
            "load",
            "index",
            bad.to_str().unwrap(),
            "--scheme",
            "dz11",
            "--scheme-name",
            "Data zone 2011",
            "--index-code",
            "simd",
            "--index-name",
            "SIMD",
            "--areas-ranked",
            "6976",
            "--map",
            "area_code=dz",
            "--map",
            "rank=rank",
        ],
        None,
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("simd.csv:3:2")
            && err.contains("(column 'rank')")
            && err.contains("'many' is not a number"),
        "{err}"
    );
    assert!(err.contains("nothing was loaded"), "{err}");
    let out = useit(
        &db,
        &[
            "place",
            "load",
            "postcodes",
            bad.to_str().unwrap(),
            "--preset",
            "iod2019",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("the preset 'iod2019' is for index files"));

    // Bulk look-up: columns added, bad rows to the side report with their lines.
    let input = d.path("residents.csv");
    std::fs::write(
        &input,
        "name,Postcode\nAsha,b66 2qt\nBen,B66 OQT\nCara,B18 4AA\n\nDev,ZZ9 9ZZ\nEve,B18 7QH\n",
    )
    .unwrap();
    let out = useit(
        &db,
        &[
            "place",
            "lookup",
            input.to_str().unwrap(),
            "--programme",
            "smethwick",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "name");
    assert!(
        headers.iter().any(|h| h == "deprivation_decile")
            && headers.iter().any(|h| h == "in_area_of_benefit")
    );
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5, "every row kept, in order");
    assert_eq!(
        (
            &rows[0][col("postcode_normalised")],
            &rows[0][col("area_code")],
            &rows[0][col("deprivation_decile")]
        ),
        ("B66 2QT", "E01010063", "1")
    );
    assert_eq!(
        (
            &rows[0][col("local_authority_name")],
            &rows[0][col("ward_name")]
        ),
        ("Sandwell", "Soho and Victoria")
    );
    assert_eq!(&rows[1][col("postcode_status")], "invalid");
    assert_eq!(
        (&rows[2][col("postcode_status")], &rows[2][col("area_code")]),
        ("terminated", "E01009345")
    );
    assert_eq!(&rows[3][col("postcode_status")], "unknown");
    assert_eq!(&rows[4][col("area_code")], "E01009345");
    let err = text(&out.stderr);
    assert!(
        err.contains("5 rows, 2 answered, 2 errors, 1 warning"),
        "{err}"
    );
    let report = std::fs::read_to_string(d.path("residents.problems.csv")).unwrap();
    assert!(
        report.starts_with("line,column,postcode,status,grade,message"),
        "{report}"
    );
    assert!(report.contains("3,Postcode,B66 OQT,invalid,error,"));
    assert!(report.contains("4,Postcode,B18 4AA,terminated,warning,"));
    assert!(
        report.contains("6,Postcode,ZZ9 9ZZ,unknown,error,"),
        "line 6: the blank line counts: {report}"
    );

    // --strict: any bad row is an error and nothing is written.
    let out = useit(
        &db,
        &["place", "lookup", input.to_str().unwrap(), "--strict"],
        None,
    );
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("3 rows are not live postcodes"),
        "{}",
        text(&out.stderr)
    );
    let out = useit(
        &db,
        &[
            "place",
            "lookup",
            input.to_str().unwrap(),
            "--column",
            "zip",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("there is no column 'zip'"));
}

/// A shipped spend file under `data/test/spend/`.
fn spend_data(path: &str) -> String {
    format!(
        "{}/../../data/test/spend/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `useit anchors add` in the programme `setup` makes; `more` adds flags.
fn spend_anchor(db: &str, slug: &str, name: &str, kind: &str, more: &[&str]) {
    let mut args = vec![
        "anchors",
        "add",
        "--programme",
        "smethwick",
        "--slug",
        slug,
        "--name",
        name,
        "--kind",
        kind,
    ];
    args.extend_from_slice(more);
    let out = useit(db, &args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// `useit anchors import` of `files` for the anchor `slug`.
fn spend_import(db: &str, slug: &str, files: &[&str]) -> Output {
    let mut args = vec![
        "anchors",
        "import",
        "--programme",
        "smethwick",
        "--anchor",
        slug,
    ];
    args.extend_from_slice(files);
    useit(db, &args, None)
}

/// The trust the spend stories import for, with its code and its hospital.
fn london_north_west(db: &str) {
    spend_anchor(
        db,
        "lnwu",
        "London North West",
        "nhs_trust",
        &[
            "--official-code",
            "R1K",
            "--site",
            "Northwick Park, HA1 3UJ",
        ],
    );
}

#[test]
fn spend_files_import_from_the_console_all_or_nothing() {
    let d = Dir::new();
    setup(&d);
    let db = d.db();
    london_north_west(&db);
    let register = d.path("register.csv");
    std::fs::write(
        &register,
        "org_id,name,kind\nGB-COH-1,EUROPEAN ELECTRONIQUE LIMITED,large_company\n",
    )
    .unwrap();
    let out = useit(
        &db,
        &[
            "anchors",
            "register",
            "--programme",
            "smethwick",
            register.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        text(&out.stdout).contains("1 register entry, 1 new"),
        "{}",
        text(&out.stdout)
    );

    // A real month (gzipped as shipped) and a bad file: the bad one is refused
    // naming its line and column, the good one goes in, the exit code says so.
    let real = spend_data("nhs_trusts_2020-21/LNWU/LNWU 06 - September.csv.gz");
    let bad = d.path("bad.csv");
    std::fs::write(
        &bad,
        "Date,Supplier,Amount\n01/09/2020,Acme Ltd,12.00\n02/09/2020,Bywest Ltd,twelve\n",
    )
    .unwrap();
    let out = spend_import(&db, "lnwu", &[&real, bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("bad.csv:3:3: error: 'twelve' is not an amount"),
        "{err}"
    );
    assert!(
        err.contains("bad.csv: 1 error; nothing was imported"),
        "{err}"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("LNWU 06 - September.csv: 104 lines read, 104 new (£10,906,077.72)"),
        "{stdout}"
    );
    // Again: nothing changes.
    let out = spend_import(&db, "lnwu", &[&real]);
    assert!(
        text(&out.stdout).contains("imported before: nothing changed"),
        "{}",
        text(&out.stdout)
    );
    let out = useit(
        &db,
        &["anchors", "measures", "--programme", "smethwick"],
        None,
    );
    let m = text(&out.stdout);
    assert!(
        m.contains("lines\t104") && m.contains("total\t£10,906,077.72"),
        "{m}"
    );
    // No area of benefit and no local authority: not known, and what fixes it.
    assert!(
        m.contains("local_area_of_benefit\tnot known\t")
            && m.contains("Choose the area of benefit to judge this figure"),
        "{m}"
    );
    assert!(m.contains("lm3\tnot known"), "{m}");

    // The files imported, and one undone: its lines leave the measures.
    let out = useit(&db, &["anchors", "files", "--programme", "smethwick"], None);
    let listed = text(&out.stdout);
    let id = listed
        .lines()
        .find(|l| l.contains("LNWU 06 - September.csv"))
        .and_then(|l| l.split('\t').next())
        .unwrap_or_else(|| panic!("{listed}"))
        .to_string();
    let undo = |id: &str| {
        useit(
            &db,
            &["anchors", "undo-import", "--programme", "smethwick", id],
            None,
        )
    };
    let out = undo(&id);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Undone: LNWU 06 - September.csv and its 104 lines"),
        "{}",
        text(&out.stdout)
    );
    let out = useit(
        &db,
        &["anchors", "measures", "--programme", "smethwick"],
        None,
    );
    assert!(
        text(&out.stdout).contains("lines\t0"),
        "{}",
        text(&out.stdout)
    );
    let out = undo(&id);
    assert!(!out.status.success());
    let out = undo("not-an-id");
    assert!(
        text(&out.stderr).contains("is not a file id"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn talent_files_are_checked_and_imported_from_the_console() {
    let d = Dir::new();
    setup(&d);
    let db = d.db();
    // A profession file is checked before it is added; a bad one is located.
    let good = d.path("paramedic.toml");
    std::fs::write(
        &good,
        "code = \"paramedic\"\nname = \"Paramedic\"\nregulator = \"HCPC\"\nregistered_band = \"5\"\n\
         [[rules]]\nfrom = \"2025-01-29\"\n[rules.english]\nvalid_months = 24\nielts = { overall = 7.0, each = 6.5 }\n\
         [[rules.steps]]\ncode = \"english\"\nname = \"English\"\nenglish = true\n\
         [[rules.steps]]\ncode = \"hcpc_registration\"\nname = \"HCPC registration\"\nrequires = [\"english\"]\nregistration = true\n",
    )
    .unwrap();
    let bad = d.path("bad.toml");
    std::fs::write(&bad, "code = \"x\"\nname = \"X\"\nregulator = 7\n").unwrap();
    let out = useit(
        &db,
        &["talent", "professions", good.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Paramedic"));
    let out = useit(&db, &["talent", "professions", bad.to_str().unwrap()], None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("bad.toml: line 3, column 13"),
        "{}",
        text(&out.stderr)
    );
    let out = useit(&db, &["talent", "professions"], None);
    assert!(
        text(&out.stdout).contains("plab1 → plab2 → gmc_registration"),
        "{}",
        text(&out.stdout)
    );

    // Vacancies: a bad file imports nothing and names line and column; a good one imports once.
    let file = d.path("vacancies.csv");
    std::fs::write(
        &file,
        "reference,title,role,posts,opens_on\nHCA-1,Healthcare assistant,healthcare_assistant,3,2026-12-01\nPH-1,Phlebotomist,phlebotomist,two,2026-12-01\n",
    )
    .unwrap();
    let args = [
        "talent",
        "vacancies",
        "--programme",
        "smethwick",
        file.to_str().unwrap(),
    ];
    let out = useit(&db, &args, None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("vacancies.csv:3:4: error"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(
        &file,
        "reference,title,role,posts,opens_on\nHCA-1,Healthcare assistant,healthcare_assistant,3,2026-12-01\n",
    )
    .unwrap();
    let out = useit(&db, &args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 added"));
    let out = useit(&db, &args, None);
    assert!(
        text(&out.stdout).contains("1 unchanged"),
        "{}",
        text(&out.stdout)
    );

    // People, then the results counted from them.
    let people = d.path("people.csv");
    std::fs::write(
        &people,
        "full_name,profession,qualification_country,lawful_basis,consent_given_on\nAmal Haddad,doctor,Syria,consent,2026-01-10\n",
    )
    .unwrap();
    let out = useit(
        &db,
        &[
            "talent",
            "people",
            "--programme",
            "smethwick",
            people.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = useit(
        &db,
        &["talent", "results", "--programme", "smethwick"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let engaged = text(&out.stdout)
        .lines()
        .find(|l| l.trim_start().starts_with("Engaged"))
        .unwrap()
        .to_string();
    assert!(engaged.trim_end().ends_with(" 1"), "{engaged}");
}

/// The Parquet export holds every line, and DuckDB-style sums over its flags
/// give the same figures as `anchors measures`.
#[cfg(feature = "parquet")]
#[test]
fn spend_lines_export_as_parquet_with_the_measures_inputs() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;
    let d = Dir::new();
    setup(&d);
    let db = d.db();
    spend_anchor(&db, "lnwu", "London North West", "nhs_trust", &[]);
    let real = spend_data("nhs_trusts_2020-21/LNWU/LNWU 06 - September.csv.gz");
    let out = spend_import(&db, "lnwu", &[&real]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = d.path("spend.parquet");
    let out = useit(
        &db,
        &[
            "anchors",
            "parquet",
            "--programme",
            "smethwick",
            "-o",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reader = SerializedFileReader::new(std::fs::File::open(&file).unwrap()).unwrap();
    let (mut lines, mut total, mut influenceable) = (0u64, 0i64, 0i64);
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        lines += 1;
        total += row.get_long(2).unwrap();
        if row.get_bool(7).unwrap() {
            influenceable += row.get_long(2).unwrap();
        }
    }
    let measures = text(
        &useit(
            &db,
            &["anchors", "measures", "--programme", "smethwick"],
            None,
        )
        .stdout,
    );
    let field = |name: &str| {
        measures
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}\t")))
            .unwrap_or_else(|| panic!("{name} in {measures}"))
            .to_string()
    };
    let pounds = |p: i64| useit_core::money::format_pence(p);
    assert_eq!(lines.to_string(), field("lines"));
    assert_eq!(pounds(total), field("total"));
    assert_eq!(pounds(influenceable), field("influenceable"));
}

#[test]
fn a_birmingham_excel_workbook_imports_as_published() {
    let d = Dir::new();
    setup(&d);
    let db = d.db();
    spend_anchor(&db, "bcc", "Birmingham City Council", "council", &[]);
    let xls = spend_data("council_birmingham_city_pcard/purchasecardtransactionsapril2014.xls.gz");
    let out = spend_import(&db, "bcc", &[&xls]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("2,690 lines read, 2,690 new (£526,760.25)"),
        "{stdout}"
    );
}

#[test]
fn a_spend_file_is_inspected_before_import_without_a_database() {
    // No database is opened for a file alone: this one cannot be.
    let nowhere = "sqlite:///nonexistent-folder/useit.db";
    let file = spend_data("council_leeds/2013-10.csv.gz");
    let out = useit(nowhere, &["anchors", "inspect", &file], None);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.contains("10130 payment lines, £88,623,833.53 in all, paid 2013-09-02 – 2013-10-31"),
        "{stdout}"
    );
    assert!(stdout.contains("--map 'amount=NetAmount'"), "{stdout}");
    assert!(stdout.contains("Dates read day first"), "{stdout}");
    // The totals row is named, as an import would name it.
    assert!(text(&out.stderr).contains("Totals row of £88,623,833.53 skipped"));

    // A mapping being tried is read as given: a text column as the amount
    // is every line's error, and the command says the file would fail.
    let out = useit(
        nowhere,
        &["anchors", "inspect", "--map", "amount=BodyName", &file],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("2013-10.csv"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_demo_workforce_measures_and_a_workforce_file_imports_once() {
    let d = Dir::new();
    let db = format!("sqlite://{}", d.path("demo.db").display());
    let out = useit(&db, &["demo", "--no-serve"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p = "west-birmingham-smethwick";
    let out = useit(
        &db,
        &[
            "anchors",
            "workforce",
            "measures",
            "--programme",
            p,
            "--anchor",
            "swbh",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    // The first block: the years (the band and placement blocks follow
    // after a blank line).
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    let years: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(years, ["2022/23", "2023/24", "2024/25"], "{table}");
    // The area of benefit's share of staff is a real share, and grows as
    // the trust recruits locally.
    let share = |r: &Vec<&str>| r[4].trim_end_matches('%').parse::<f64>().unwrap();
    assert!(
        share(&rows[0]) > 5.0 && share(&rows[2]) > share(&rows[0]),
        "{table}"
    );
    // LM3 over the trust's spend stands on the pay its workforce files
    // give for the years they cover, and says so (issue 17 item 3).
    let lm3 = useit(
        &db,
        &["anchors", "measures", "--programme", p, "--anchor", "swbh"],
        None,
    );
    assert!(lm3.status.success(), "{}", text(&lm3.stderr));
    let m = text(&lm3.stdout);
    assert!(
        m.contains("lm3_wages\twages: from the workforce file"),
        "{m}"
    );
    // The console has personal-data rights: it is told the figures are exact.
    assert!(text(&out.stderr).contains("Exact figures"));

    let file = d.path("staff.csv");
    std::fs::write(
        &file,
        "home_postcode,staff_group,band,headcount,pay\nB66 2QT,Estates,2,7,161000\n",
    )
    .unwrap();
    let args = [
        "anchors",
        "workforce",
        "import",
        "--programme",
        p,
        "--anchor",
        "swbh",
        "--year",
        "2025",
        file.to_str().unwrap(),
    ];
    let out = useit(&db, &args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Imported 1 counts for 2025/26"));
    let out = useit(&db, &args, None);
    assert!(text(&out.stdout).contains("nothing changed"));
    std::fs::write(
        &file,
        "home_postcode,band,headcount,pay\nB66 2QT,2,seven,1\n",
    )
    .unwrap();
    let out = useit(&db, &args, None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("staff.csv:2:3"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_register_benchmark_streams_a_sample_and_prints_its_rate() {
    let d = Dir::new();
    let file = format!(
        "{}/../../data/test/registers/companies_house/mrbrianevans_basic-sample.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = useit(
        &d.db(),
        &[
            "bench",
            "registers",
            "--file",
            &file,
            "--repeat",
            "3",
            "--postcode-area",
            "B",
        ],
        None,
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("rows/s"), "{stdout}");
    assert!(stdout.contains("postcode areas: B"), "{stdout}");
}

#[test]
fn the_demo_workshop_from_the_console_summary_guest_link_and_lineage() {
    let d = Dir::new();
    let db = format!("sqlite://{}", d.path("demo.db").display());
    let out = useit(&db, &["demo", "--no-serve"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let slug = "west-birmingham-smethwick";
    let out = useit(&db, &["workshops", "list", "--programme", slug], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&out.stdout);
    assert!(
        list.contains("2019-03-26  Tackling urban poverty")
            && list.contains("(3 tables × 3 rounds, 26 notes)"),
        "{list}"
    );
    let title = "Tackling urban poverty and new forms of inequality in cities";
    let out = useit(
        &db,
        &[
            "workshops",
            "summary",
            "--programme",
            slug,
            "--workshop",
            title,
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    for want in [
        "Success factors",
        "Obstacles",
        "Transferability factors",
        "  - Consortia of small social enterprises bidding together for one lot",
        "(owner: Economic development team, Lille)",
        // Hand count of the demo's reflections: 3 yes, 1 no, 2 maybe.
        "Would you transfer it? yes 3, no 1, maybe 2 (6 answers)",
    ] {
        assert!(summary.contains(want), "{want} in:\n{summary}");
    }
    let out = useit(
        &db,
        &[
            "workshops",
            "link",
            "--programme",
            slug,
            "--workshop",
            title,
            "--hours",
            "2",
            "--base-url",
            "https://useit.example/",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let link = text(&out.stdout);
    assert!(
        link.starts_with("https://useit.example/guest/workshops/useit_guest_"),
        "{link}"
    );
    assert!(text(&out.stderr).contains("stops working at"));
    let out = useit(
        &db,
        &[
            "workshops",
            "link",
            "--programme",
            slug,
            "--workshop",
            "No such",
            "--hours",
            "2",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("There is no workshop ‘No such’"));
    let out = useit(&db, &["workshops", "lineage", "--programme", slug], None);
    let tree = text(&out.stdout);
    assert!(
        tree.starts_with("USE-IT! (Birmingham and Smethwick)\n  HOP (Black Country)\n"),
        "{tree}"
    );
    assert!(tree.contains("  East Birmingham (East Birmingham)"));
}

/// `useit … | head -1`: the reader closes the pipe before the command
/// writes. The command ends quietly (no panic, no backtrace) and succeeds.
#[test]
fn output_piped_into_a_reader_that_stops_early_ends_quietly() {
    let (reader, writer) = std::io::pipe().unwrap();
    // Closed before the command starts: its first write meets a broken pipe.
    drop(reader);
    let file = spend_data("council_leeds/2013-10.csv.gz");
    let out = Command::new(env!("CARGO_BIN_EXE_useit"))
        .args(["--database-url", "sqlite:///nonexistent-folder/useit.db"])
        .args(["anchors", "inspect", &file])
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
    assert!(!err.contains("backtrace"), "{err}");
    assert!(out.status.success(), "{:?} {err}", out.status);
}

#[test]
fn interactions_import_once_and_count_by_month_and_the_threshold_is_set() {
    let d = Dir::new();
    let db = format!("sqlite://{}", d.path("i.db").display());
    let ok = |args: &[&str]| {
        let out = useit(&db, args, None);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    ok(&["migrate"]);
    ok(&["programme", "add", "--slug", "pp", "--name", "P"]);
    ok(&[
        "anchors",
        "add",
        "--programme",
        "pp",
        "--slug",
        "trust",
        "--name",
        "The Trust",
        "--kind",
        "nhs_trust",
    ]);
    let register = d.path("register.csv");
    std::fs::write(
        &register,
        "org_id,name,kind,company_number,postcode,trading_postcode\n\
         GB-CHC-1000001,Soho Road Community Centre,vcse,,B21 9NH,\n",
    )
    .unwrap();
    ok(&[
        "anchors",
        "register",
        "--programme",
        "pp",
        register.to_str().unwrap(),
    ]);
    let file = d.path("interactions.csv");
    std::fs::write(
        &file,
        "anchor,organisation,kind,started_on,ended_on,evidence\n\
         trust,GB-CHC-1000001,community_use,2025-01-15,,Room hire agreement\n\
         trust,GB-CHC-1000001,referral,2025-03-01,2025-03-20,Referral log\n",
    )
    .unwrap();
    let args = [
        "anchors",
        "interactions",
        "import",
        "--programme",
        "pp",
        file.to_str().unwrap(),
    ];
    assert!(ok(&args).contains("2 interactions added"));
    assert!(ok(&args).contains("0 interactions added, 0 changed, 2 unchanged"));
    let counts = ok(&[
        "anchors",
        "interactions",
        "list",
        "--programme",
        "pp",
        "--counts",
    ]);
    for line in [
        "2024-12-31    0",
        "2025-01-31    1",
        "2025-02-28    1",
        "2025-03-31    1",
    ] {
        assert!(counts.contains(line), "{line} in {counts}");
    }
    let csv = ok(&["anchors", "interactions", "list", "--programme", "pp"]);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    std::fs::write(&file, &csv).unwrap();
    assert!(ok(&args).contains("2 unchanged"), "the list imports back");
    std::fs::write(
        &file,
        "anchor,organisation,kind,started_on,evidence\ntrust,GB-CHC-9,gossip,2025-01-01,x\n",
    )
    .unwrap();
    let out = useit(&db, &args, None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains(":2:3"), "{}", text(&out.stderr));

    assert!(ok(&["programme", "disclosure", "--programme", "pp"]).contains("fewer than 5"));
    assert!(
        ok(&["programme", "disclosure", "--programme", "pp", "--k", "7"]).contains("fewer than 7")
    );
    let out = useit(
        &db,
        &["programme", "disclosure", "--programme", "pp", "--k", "2"],
        None,
    );
    assert!(!out.status.success());
}

#[test]
fn the_demo_has_glasgow_started_from_the_birmingham_model_and_a_city_can_do_the_same() {
    let d = Dir::new();
    let db = format!("sqlite://{}", d.path("demo.db").display());
    let out = useit(&db, &["demo", "--no-serve"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = useit(&db, &["programme", "list"], None);
    assert!(
        text(&out.stdout).contains("glasgow"),
        "{}",
        text(&out.stdout)
    );
    // Glasgow's own figures: its spend placed on its own data zones.
    let out = useit(
        &db,
        &["anchors", "measures", "--programme", "glasgow"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let m = text(&out.stdout);
    assert!(m.contains("lines\t24"), "{m}");
    let aob = m
        .lines()
        .find(|l| l.starts_with("local_area_of_benefit\t"))
        .unwrap();
    assert!(aob.contains('%') && !aob.contains("Not known"), "{aob}");
    // Lille, from files alone: money in euros written the French way, its
    // suppliers placed in their IRIS by their coordinates; the one in
    // Roubaix, beyond Lille's boundaries, left unjudged.
    let out = useit(&db, &["anchors", "measures", "--programme", "lille"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let m = text(&out.stdout);
    assert!(m.contains("lines\t27"), "{m}");
    let aob = m
        .lines()
        .find(|l| l.starts_with("local_area_of_benefit\t"))
        .unwrap();
    assert!(
        aob.contains('%') && aob.contains(",00\u{a0}€") && !aob.contains("not known"),
        "{aob}"
    );
    assert!(!m.contains('£'), "{m}");

    // The model of the first programme, written to a file.
    let file = d.path("model.json");
    let out = useit(
        &db,
        &[
            "programme",
            "model",
            "export",
            "--programme",
            "west-birmingham-smethwick",
            "--out",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let model = std::fs::read_to_string(&file).unwrap();
    assert!(model.contains("\"format\": \"useit-programme-model\""));
    for personal in [
        "@",
        "Dana Okafor",
        "Amina Yusuf",
        "B66",
        "E0800",
        "E0501",
        "imd2019",
    ] {
        assert!(!model.contains(personal), "the model holds {personal}");
    }
    // A new city from it, on Glasgow's geography, in one command.
    let out = useit(
        &db,
        &[
            "programme",
            "add",
            "--slug",
            "glasgow-east",
            "--name",
            "Glasgow East",
            "--from-model",
            file.to_str().unwrap(),
            "--index",
            "simd2020",
            "--local-authority",
            "S12000049",
            "--site",
            "G31 2ER",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Glasgow East"));
    // A broken model: every bad field named, nothing started.
    let bad = model.replace("\"k\": \"5\"", "\"k\": \"1\"").replace(
        "\"format\": \"useit-programme-model\"",
        "\"format\": \"something else\"",
    );
    let bad_file = d.path("bad.json");
    std::fs::write(&bad_file, bad).unwrap();
    let out = useit(
        &db,
        &[
            "programme",
            "add",
            "--slug",
            "glasgow-north",
            "--name",
            "Glasgow North",
            "--from-model",
            bad_file.to_str().unwrap(),
            "--index",
            "simd2020",
        ],
        None,
    );
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(
        said.contains("model/format") && said.contains("model/disclosure/k"),
        "{said}"
    );
    let out = useit(&db, &["programme", "list"], None);
    assert!(!text(&out.stdout).contains("glasgow-north"));
}

#[test]
fn a_french_income_file_loads_with_its_own_layout_and_a_programme_takes_euros() {
    let d = Dir::new();
    setup(&d);
    let db = d.db();
    // INSEE's layout without a preset: a title block, ';', decimal commas,
    // a score to rank (higher = more deprived). A bad rate is named by the
    // file's own line and column, and nothing is loaded.
    let file = d.path("filo.csv");
    let body = "Titre;;\nGéographie;;\nIRIS;Libellé;Taux (%)\nIRIS;LIBIRIS;DEC_TP6019\n593500101;Centre 1;12,5\n593500704;Croisette A;61,3\n593500201;Vieux Lille 1;beaucoup\n";
    std::fs::write(&file, body).unwrap();
    let args = |f: &str| -> Vec<String> {
        [
            "place",
            "load",
            "index",
            f,
            "--scheme",
            "iris20",
            "--scheme-name",
            "IRIS 2020",
            "--index-code",
            "filo",
            "--index-name",
            "Filosofi",
            "--separator",
            ";",
            "--skip-lines",
            "3",
            "--decimal-comma",
            "--rank-from-score",
            "higher-is-more-deprived",
            "--map",
            "area_code=IRIS",
            "--map",
            "score=DEC_TP6019",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let a = args(file.to_str().unwrap());
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = useit(&db, &a, None);
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(said.contains(":7:3"), "{said}");
    std::fs::write(&file, body.replace("beaucoup", "20,0")).unwrap();
    let out = useit(&db, &a, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("loaded"),
        "{}",
        text(&out.stdout)
    );

    let locale = |more: &[&str]| {
        let mut a = vec!["programme", "locale", "--programme", "smethwick"];
        a.extend_from_slice(more);
        useit(&db, &a, None)
    };
    let out = locale(&[]);
    assert!(text(&out.stdout).contains("GBP"), "{}", text(&out.stdout));
    let out = locale(&["--currency", "francs", "--language", "fr"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("currency"),
        "{}",
        text(&out.stderr)
    );
    let out = locale(&["--currency", "EUR", "--language", "fr"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1\u{202f}234,56\u{a0}€"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_supplier_is_linked_to_the_organisation_a_register_search_finds() {
    let d = Dir::new();
    setup(&d);
    let db = d.db();
    london_north_west(&db);
    let register = d.path("register.csv");
    std::fs::write(
        &register,
        "org_id,name,kind,company_number,postcode\nGB-COH-05306504,123-REG LIMITED,large_company,05306504,NG1 5FW\n",
    )
    .unwrap();
    let out = useit(
        &db,
        &[
            "anchors",
            "register",
            "--programme",
            "smethwick",
            register.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = d.path("june.csv");
    std::fs::write(
        &file,
        "Date,Supplier,Amount\n01/06/2020,Domain Names Account,143.82\n",
    )
    .unwrap();
    let out = spend_import(&db, "lnwu", &[file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = useit(
        &db,
        &[
            "anchors",
            "search-register",
            "--programme",
            "smethwick",
            "ng1 5fw",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let found = text(&out.stdout);
    let row: Vec<&str> = found.lines().next().unwrap_or("").split('\t').collect();
    assert_eq!(
        row.get(1..4),
        Some(&["GB-COH-05306504", "123-REG LIMITED", "05306504"][..]),
        "{found}"
    );
    assert!(text(&out.stderr).contains("1 organisation matches “ng1 5fw”"));
    // Nothing to look for: an error naming what to type, a failing exit code.
    let out = useit(
        &db,
        &[
            "anchors",
            "search-register",
            "--programme",
            "smethwick",
            " ",
        ],
        None,
    );
    assert!(!out.status.success());

    let out = useit(
        &db,
        &[
            "anchors",
            "link-supplier",
            "--programme",
            "smethwick",
            "--supplier",
            "domain names account",
            "GB-COH-05306504",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Domain Names Account: decision saved"));
    let out = useit(
        &db,
        &[
            "anchors",
            "link-supplier",
            "--programme",
            "smethwick",
            "--supplier",
            "domain names account",
            "GB-COH-99999999",
        ],
        None,
    );
    assert!(
        !out.status.success(),
        "an org-id the register does not hold"
    );
}
