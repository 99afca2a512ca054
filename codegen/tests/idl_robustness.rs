//! The IDL loader on hostile input: every input gives a model or located errors, never a
//! panic; nesting is bounded; large inputs load in time linear in their size.

use codegen::load::{self, idl};
use codegen::Diagnostics;
use std::time::Instant;

const FIXTURE: &str = include_str!("../../tests/fixtures/iot_custom_metric.smithy");

/// Loads `text` as `fuzz.smithy` through the whole loader; problems must be located.
fn load(text: &str) -> bool {
    let mut diags = Diagnostics::default();
    let files = load::parse_texts(&[("fuzz.smithy".to_owned(), text.to_owned())], &mut diags);
    load::merge(files, &mut diags);
    for diagnostic in diags.sorted() {
        assert!(diagnostic.file.starts_with("fuzz.smithy"), "unlocated: {diagnostic}");
    }
    !diags.has_errors()
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["[", "{a:", "[{a:"] {
        let deep = open.repeat(100_000);
        for text in [
            format!("metadata a = {deep}"),
            format!("namespace a\n@tags({deep})\nstring A"),
            format!("$version: \"2\"\nnamespace a\nstructure A {{ b: String = {deep} }}"),
        ] {
            let errors = idl::file_to_json_ast("deep.smithy", &text).expect_err("too deep");
            assert!(errors[0].message.contains("nest deeper"), "{}", errors[0]);
            let line = text.lines().position(|l| l.contains(&deep)).map_or(0, |i| i + 1);
            assert_eq!((errors[0].file.as_str(), errors[0].line as usize), ("deep.smithy", line));
        }
    }
    // Just under the bound is fine.
    let text = format!("metadata a = {}{}", "[".repeat(100), "]".repeat(100));
    assert!(idl::file_to_json_ast("deep.smithy", &text).is_ok());
}

#[test]
fn every_prefix_and_many_mutations_load_or_fail_cleanly() {
    assert!(load(FIXTURE));
    for (end, _) in FIXTURE.char_indices() {
        load(&FIXTURE[..end]);
    }
    let replacements = [
        "", " ", "\n", "{", "}", "[", "]", "(", ")", "@", "$", "#", ".", ":", ":=", "=", ",", "\"", "\"\"\"", "/",
        "\\", "with", "for", "apply", "-", "1e", "é",
    ];
    let positions: Vec<usize> = FIXTURE.char_indices().map(|(i, _)| i).collect();
    let mut seed: u64 = 0x5EED;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    for _ in 0..1500 {
        let at = positions[next() % positions.len()];
        let replacement = replacements[next() % replacements.len()];
        let rest = FIXTURE[at..].chars().next().map_or(0, char::len_utf8);
        load(&format!("{}{replacement}{}", &FIXTURE[..at], &FIXTURE[at + rest..]));
    }
    for bytes in [&b"\xff\xfe"[..], b"\0", b"\r", b"\r\r\n\"", b"\"\\u", b"\"\"\"\r\n\\"] {
        load(&String::from_utf8_lossy(bytes));
    }
}

#[test]
fn large_inputs_load_in_linear_time() {
    let n = 10_000;
    let mut text = String::from("$version: \"2\"\nnamespace big\n\nstructure Wide {\n");
    for i in 0..n {
        text.push_str(&format!("    /// Member {i}\n    @required\n    m{i}: S{i}\n"));
    }
    text.push_str("}\n\nenum Many {\n");
    for i in 0..n {
        text.push_str(&format!("    V{i} = \"v{i}\"\n"));
    }
    text.push_str("}\n\n@mixin\nstructure M0 { a0: String }\n");
    for i in 0..n {
        text.push_str(&format!("@length(min: 1)\nstring S{i}\napply S{i} @documentation(\"{}\")\n", "x".repeat(50)));
    }
    // Each shape of a chain of mixins inherits every member above it: the flattened model
    // grows with the square of the chain, so this part stays short.
    for i in 1..300 {
        text.push_str(&format!("@mixin\nstructure M{i} with [M{}] {{ a{i}: String }}\n", i - 1));
    }
    text.push_str(&format!("@documentation(\"{}\")\nstring Long\n", "y".repeat(500_000)));
    let started = Instant::now();
    assert!(load(&text));
    println!("{} bytes loaded in {:?}", text.len(), started.elapsed());
}
