//! `codegen::write`: only changed files are written, and a write that fails changes nothing.

use codegen::write::{write, GENERATED_MARKER};
use codegen::Files;
use std::path::{Path, PathBuf};

/// `<tmp>/write/<name>/out`, with nothing in `<tmp>/write/<name>`.
fn fresh_dir(name: &str) -> PathBuf {
    let parent = Path::new(env!("CARGO_TARGET_TMPDIR")).join("write").join(name);
    let _ = std::fs::remove_dir_all(&parent);
    parent.join("out")
}

fn files(entries: &[(&str, &str)]) -> Files {
    entries.iter().map(|(path, text)| ((*path).to_owned(), format!("// {GENERATED_MARKER}\n{text}\n"))).collect()
}

/// Every file under `dir` with its contents, and every directory, relative to `dir`.
fn snapshot(dir: &Path) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).expect("read dir").map(|e| e.expect("entry").path()) {
            let relative = entry.strip_prefix(dir).expect("inside").display().to_string();
            if let Ok(link) = std::fs::read_link(&entry) {
                out.push((relative, Some(format!("-> {}", link.display()))));
            } else if entry.is_dir() {
                out.push((relative, None));
                stack.push(entry);
            } else {
                out.push((relative, Some(std::fs::read_to_string(&entry).expect("read file"))));
            }
        }
    }
    out.sort();
    out
}

/// Entries beside `dir` (a staging directory must not be left behind).
fn siblings(dir: &Path) -> Vec<String> {
    let parent = dir.parent().expect("parent");
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .map(|entries| entries.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn writes_changes_removes_stale_files_and_keeps_hand_written_ones() {
    let dir = fresh_dir("update");
    let first = write(&files(&[("src/lib.rs", "one"), ("src/a/old.rs", "old"), ("Cargo.toml", "x")]), &dir, false)
        .expect("first write");
    assert_eq!((first.changed.len(), first.removed.len()), (3, 0));
    std::fs::write(dir.join("src/hand.rs"), "// mine\n").expect("hand-written file");

    let second = write(&files(&[("src/lib.rs", "two"), ("src/b/new.rs", "new"), ("Cargo.toml", "x")]), &dir, false)
        .expect("second write");
    assert_eq!((second.changed.len(), second.removed.len(), second.unchanged), (2, 1, 1));
    assert!(std::fs::read_to_string(dir.join("src/lib.rs")).expect("lib").contains("two"));
    assert!(dir.join("src/b/new.rs").exists() && !dir.join("src/a/old.rs").exists());
    assert_eq!(std::fs::read_to_string(dir.join("src/hand.rs")).expect("hand"), "// mine\n");
    assert_eq!(siblings(&dir), ["out"]);
}

#[test]
fn a_file_that_cannot_be_written_leaves_the_output_as_it_was() {
    let dir = fresh_dir("all-or-nothing");
    write(&files(&[("src/lib.rs", "one"), ("src/stale.rs", "stale")]), &dir, false).expect("first write");
    let before = snapshot(&dir);

    let too_long = format!("src/{}.rs", "x".repeat(300));
    let update = files(&[("src/lib.rs", "two"), ("src/added.rs", "added"), (too_long.as_str(), "never")]);
    let err = write(&update, &dir, false).expect_err("a 300-byte file name cannot be written");
    assert!(err.to_string().contains("xxxx"), "the error names the file: {err}");
    assert_eq!(snapshot(&dir), before);
    assert_eq!(siblings(&dir), ["out"]);
}

#[test]
fn a_failed_first_write_creates_nothing() {
    let dir = fresh_dir("fresh");
    let parent = dir.parent().expect("parent").to_path_buf();
    let too_long = format!("src/{}/lib.rs", "y".repeat(300));
    write(&files(&[("Cargo.toml", "x"), (too_long.as_str(), "never")]), &dir, false).expect_err("cannot be written");
    assert!(!parent.exists(), "{} was created", parent.display());
}

#[test]
#[cfg(unix)]
fn a_move_that_fails_is_undone() {
    let dir = fresh_dir("undo");
    write(&files(&[("src/lib.rs", "one"), ("src/stale.rs", "stale")]), &dir, false).expect("first write");
    // `src/zz` is a link to nothing: `src/zz/x.rs` reads as absent, so it is staged, but its
    // directory cannot be created; by then `src/lib.rs` has been replaced and `src/stale.rs`
    // moved out.
    std::os::unix::fs::symlink("nowhere", dir.join("src/zz")).expect("dangling link");
    let before = snapshot(&dir);
    write(&files(&[("src/lib.rs", "two"), ("src/zz/x.rs", "x")]), &dir, false).expect_err("src/zz is not a directory");
    assert_eq!(snapshot(&dir), before);
    assert_eq!(siblings(&dir), ["out"]);
}
