//! A deployment adds a profession with a file in a folder, no new build; a
//! bad file is refused with its line and column. (Its own test binary: the
//! installed professions are process-wide.)

use useit_core::talent::profession::Professions;

#[test]
fn a_folder_adds_a_profession_and_a_bad_file_is_located() {
    let dir = std::env::temp_dir().join(format!("useit-professions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "code = \"x\"\nname = 3\n").unwrap();
    let e = Professions::install_folder(&dir).unwrap_err();
    assert!(e.to_string().contains("bad.toml: line 2, column 8"), "{e}");
    std::fs::remove_file(&bad).unwrap();
    std::fs::write(
        dir.join("paramedic.toml"),
        "code = \"paramedic\"\nname = \"Paramedic\"\nregulator = \"HCPC\"\nregistered_band = \"5\"\n\
         [[rules]]\nfrom = \"2025-01-29\"\n[rules.english]\nvalid_months = 24\nielts = { overall = 7.0, each = 6.5 }\n\
         [[rules.steps]]\ncode = \"english\"\nname = \"English\"\nenglish = true\n\
         [[rules.steps]]\ncode = \"hcpc_registration\"\nname = \"HCPC registration\"\nrequires = [\"english\"]\nregistration = true\n",
    )
    .unwrap();
    let p = Professions::install_folder(&dir).unwrap();
    assert!(p.get("paramedic").is_some());
    assert!(p.get("doctor").is_some(), "the shipped ones stay");
    assert!(Professions::shipped().get("paramedic").is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}
