//! The official protocol test models yield every client case as a generated test, and the
//! skip list names only cases that exist (`cargo xtask protocol-tests` runs them).

mod common;

use codegen::{CaseKind, CrateOptions};
use std::collections::BTreeSet;

fn options() -> CrateOptions {
    CrateOptions::new("protocol-cases", vec!["protocol-tests".into()])
}

#[test]
fn every_client_case_becomes_a_test() {
    let dir = common::root().join("../shared/protocol-tests");
    if !dir.exists() {
        println!("skipping: {} not found", dir.display());
        return;
    }
    // Request, response and event-stream cases not marked `appliesTo: server` (the suites'
    // own counts).
    let expected = [("awsJson1_1.json", 57, 62, 0), ("restJson1.json", 142, 108, 84)];
    let mut ids = BTreeSet::new();
    for (file, requests, responses, event_streams) in expected {
        let generated = codegen::generate(&[dir.join(file)], &options()).expect("the protocol model generates");
        let count = |kind| generated.protocol_cases.iter().filter(|c| c.kind == kind).count();
        assert_eq!(
            (count(CaseKind::Request), count(CaseKind::Response), count(CaseKind::EventStream)),
            (requests, responses, event_streams),
            "{file}"
        );
        let tests: BTreeSet<&str> = generated.protocol_cases.iter().map(|c| c.test.as_str()).collect();
        assert_eq!(tests.len(), generated.protocol_cases.len(), "{file}: test names are unique");
        for case in &generated.protocol_cases {
            let (module, name) = case.test.split_once("::protocol_tests::").expect("test path");
            let file = format!("src/{module}/protocol_tests.rs");
            let source = &generated.files[&file];
            assert!(source.contains(&format!("async fn {name}()")), "{} is emitted in {file}", case.id);
        }
        ids.extend(generated.protocol_cases.into_iter().map(|c| c.id));
    }
    let skips = std::fs::read_to_string(common::root().join("xtask/protocol-test-skips.txt")).expect("skip list");
    for line in skips.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (id, reason) = line.split_once('|').expect("`case id | reason`");
        assert!(ids.contains(id.trim()), "skip-list entry `{}` is not a client case", id.trim());
        assert!(!reason.trim().is_empty(), "skip-list entry `{}` gives a reason", id.trim());
    }
}
