//! `sqlx::migrate!` embeds the migrations when the crate is compiled; cargo
//! does not otherwise know that a new file in `migrations/` changes the
//! crate, so a build after adding one would keep the old set.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
