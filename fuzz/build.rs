//! The `cli_input` target checks inputs against the tables of the generated `aws-lite` binary.
//! They are private to it, so this writes a copy of the binary's source whose `SERVICES` table
//! is visible to the target (and without the inner doc comments `include!` cannot take).

use std::path::PathBuf;

fn main() {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated/src/bin/aws-lite.rs");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(&source).unwrap_or_else(|err| panic!("{}: {err}", source.display()));
    let text: String = text.lines().filter(|line| !line.starts_with("//!")).map(|line| format!("{line}\n")).collect();
    let needle = "\nstatic SERVICES:";
    assert!(text.contains(needle), "{} has no `static SERVICES` table", source.display());
    let text = text.replacen(needle, "\npub(crate) static SERVICES:", 1);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("cli_tables.rs");
    std::fs::write(&out, text).unwrap_or_else(|err| panic!("{}: {err}", out.display()));
}
