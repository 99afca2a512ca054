//! The client protocol compliance cases of a service (`smithy.test#httpRequestTests` and
//! `httpResponseTests`), each with what it runs against and a unique test function name.

use crate::ir::{Model, Protocol};
use crate::plan::names;
use crate::plan::{OmittedOperation, OperationPlan};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
const EVENT_STREAM_TESTS: &str = "smithy.test#eventStreamTests";

/// Whether a case checks request serialization or response parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    /// `smithy.test#httpRequestTests`
    Request,
    /// `smithy.test#httpResponseTests`
    Response,
    /// `smithy.test#eventStreamTests`: messages of an event stream, either way.
    EventStream,
}

/// What a case runs against.
#[derive(Debug, Clone)]
pub enum Subject {
    /// An operation's input or output, by operation shape ID.
    Operation(String),
    /// A modeled error (by shape ID), returned by the operation.
    Error {
        /// The operation shape ID.
        operation: String,
        /// The error shape ID.
        error: String,
    },
    /// Nothing in the crate: the test fails with this reason.
    Missing(String),
}

/// One client protocol compliance case.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// Request or response test.
    pub kind: CaseKind,
    /// The case `id` from the model.
    pub id: String,
    /// The case as written in the model.
    pub spec: Map<String, Value>,
    /// What it runs against.
    pub subject: Subject,
    /// The test function's name, unique in the service.
    pub fn_name: String,
}

/// The client cases of one service, in a fixed order, with unique test names.
pub(super) fn cases(
    model: &Model,
    protocol: Option<Protocol>,
    operations: &[OperationPlan],
    omitted: &[OmittedOperation],
    types: &BTreeMap<String, crate::plan::Named>,
) -> Vec<TestCase> {
    let Some(protocol) = protocol else { return Vec::new() };
    let protocol = format!("aws.protocols#{}", protocol.trait_name());
    let applies = |spec: &Map<String, Value>| {
        spec.get("appliesTo").and_then(Value::as_str) != Some("server")
            && spec.get("protocol").and_then(Value::as_str).is_none_or(|p| p == protocol)
    };
    let specs = |id: &str, key: &str| -> Vec<Map<String, Value>> {
        let list = model.get(id).and_then(|s| s.traits.other.get(key)).and_then(Value::as_array);
        list.into_iter().flatten().filter_map(Value::as_object).filter(|spec| applies(spec)).cloned().collect()
    };
    let mut found: Vec<(CaseKind, Map<String, Value>, Subject)> = Vec::new();
    for op in operations {
        for spec in specs(&op.id, REQUEST_TESTS) {
            found.push((CaseKind::Request, spec, Subject::Operation(op.id.clone())));
        }
        for spec in specs(&op.id, RESPONSE_TESTS) {
            found.push((CaseKind::Response, spec, Subject::Operation(op.id.clone())));
        }
        for spec in specs(&op.id, EVENT_STREAM_TESTS) {
            found.push((CaseKind::EventStream, spec, Subject::Operation(op.id.clone())));
        }
    }
    for omitted in omitted {
        let reason = format!("operation `{}` is not in the crate: {}", omitted.name, omitted.reason);
        let kinds = [
            (REQUEST_TESTS, CaseKind::Request),
            (RESPONSE_TESTS, CaseKind::Response),
            (EVENT_STREAM_TESTS, CaseKind::EventStream),
        ];
        for (key, kind) in kinds {
            for spec in specs(&omitted.id, key) {
                found.push((kind, spec, Subject::Missing(reason.clone())));
            }
        }
    }
    for id in types.keys() {
        if model.get(id).is_none_or(|shape| shape.traits.error.is_none()) {
            continue;
        }
        for spec in specs(id, RESPONSE_TESTS) {
            let subject = match operations.iter().find(|op| op.errors.iter().any(|e| &e.id == id)) {
                Some(op) => Subject::Error { operation: op.id.clone(), error: id.clone() },
                None => Subject::Missing(format!("no operation of the crate returns `{id}`")),
            };
            found.push((CaseKind::Response, spec, subject));
        }
    }
    let mut used = BTreeSet::new();
    found
        .into_iter()
        .map(|(kind, spec, subject)| {
            let id = spec.get("id").and_then(Value::as_str).unwrap_or("unnamed").to_owned();
            let suffix = match kind {
                CaseKind::Request => "request",
                CaseKind::Response => "response",
                CaseKind::EventStream => "event_stream",
            };
            let base = names::test_fn(&id, suffix);
            let mut fn_name = base.clone();
            let mut n = 2;
            while !used.insert(fn_name.clone()) {
                fn_name = format!("{base}_{n}");
                n += 1;
            }
            TestCase { kind, id, spec, subject, fn_name }
        })
        .collect()
}
