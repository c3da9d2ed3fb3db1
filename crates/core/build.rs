//! Embeds every profession file in `data/talent/professions/` so that adding
//! a profession is adding a file, not code.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../data/talent");
    let dir = root.join("professions");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("afc_pay.toml").display()
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("data/talent/professions")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("pub const PROFESSION_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        let path = f.canonicalize().unwrap();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let pay = root.join("afc_pay.toml").canonicalize().unwrap();
    writeln!(
        out,
        "pub const AFC_PAY: &str = include_str!({:?});",
        pay.display().to_string()
    )
    .unwrap();
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("talent_data.rs");
    std::fs::write(dest, out).unwrap();
}
