//! Rebuild when a migration is added or changed: `embed_migrations!` cannot tell cargo which
//! files it reads.
fn main() {
    println!("cargo::rerun-if-changed=../../schema/migrations");
}
