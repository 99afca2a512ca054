//! Event streams: which operation member carries one, which unions are streamed and in which
//! direction, and the error enum of each streamed union (its members that target `@error`
//! structures arrive as exception messages).

use crate::ir::{local_name, Kind, Model, Shape};
use crate::plan::{names, Named, OperationPlan, Problem};
use std::collections::BTreeMap;

/// The member of an operation's input or output that is an event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamMember {
    /// The member's name in the structure.
    pub member: String,
    /// The `@streaming` union of its events.
    pub union: String,
}

/// A modeled error of an event stream: a union member targeting an `@error` structure.
#[derive(Debug, Clone)]
pub struct StreamError {
    /// The union member's name, the `:exception-type` of its messages.
    pub member: String,
    /// The error structure's shape ID.
    pub id: String,
    /// The variant of the stream's error enum.
    pub variant: String,
    /// The error enum's `is_*` method for it.
    pub is_fn: String,
}

/// A union that some operation streams.
#[derive(Debug, Clone)]
pub struct EventStreamPlan {
    /// Sent by the client (an operation input streams it).
    pub input: bool,
    /// Received by the client (an operation output streams it).
    pub output: bool,
    /// The name of the error enum of received streams (in the union's module).
    pub error_name: String,
    /// Its absolute path.
    pub error_path: String,
    /// The union's error members, in model order.
    pub errors: Vec<StreamError>,
}

/// The event-stream member of structure `id`, if it has one.
pub fn stream_member(model: &Model, id: Option<&str>) -> Option<StreamMember> {
    let Some(Shape { kind: Kind::Structure(members), .. }) = id.and_then(|id| model.get(id)) else { return None };
    members.iter().find_map(|member| {
        let streamed =
            model.get(&member.target).is_some_and(|t| matches!(t.kind, Kind::Union(_)) && t.traits.streaming);
        streamed.then(|| StreamMember { member: member.name.clone(), union: member.target.clone() })
    })
}

/// The streamed unions of the operations, with their directions and error enums. Problems:
/// an event that is not a structure.
pub(super) fn plan_event_streams(
    model: &Model,
    operations: &[OperationPlan],
    types: &BTreeMap<String, Named>,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, EventStreamPlan> {
    let mut streams: BTreeMap<String, EventStreamPlan> = BTreeMap::new();
    let taken: Vec<&str> = types.values().map(|named| named.name.as_str()).collect();
    for op in operations {
        for (stream, input) in [(&op.input_stream, true), (&op.output_stream, false)] {
            let Some(stream) = stream else { continue };
            let Some(named) = types.get(&stream.union) else { continue };
            let entry = streams.entry(stream.union.clone()).or_insert_with(|| {
                let mut error_name = format!("{}Error", named.name);
                while taken.contains(&error_name.as_str()) {
                    error_name.push('_');
                }
                let module_path = named.path.rsplit_once("::").map_or("", |(module, _)| module);
                EventStreamPlan {
                    input: false,
                    output: false,
                    error_path: format!("{module_path}::{error_name}"),
                    error_name,
                    errors: stream_errors(model, &stream.union, types, problems),
                }
            });
            if input {
                entry.input = true;
            } else {
                entry.output = true;
            }
        }
    }
    streams
}

fn stream_errors(
    model: &Model,
    union: &str,
    types: &BTreeMap<String, Named>,
    problems: &mut Vec<Problem>,
) -> Vec<StreamError> {
    let Some(Shape { kind: Kind::Union(members), .. }) = model.get(union) else { return Vec::new() };
    let mut errors = Vec::new();
    for member in members {
        match model.get(&member.target) {
            Some(target) if matches!(target.kind, Kind::Structure(_)) => {
                if target.traits.error.is_none() {
                    continue;
                }
                let name =
                    types.get(&member.target).map_or_else(|| local_name(&member.target).to_owned(), |n| n.name.clone());
                let (variant, is_fn) = names::error_variant(&name);
                errors.push(StreamError { member: member.name.clone(), id: member.target.clone(), variant, is_fn });
            }
            _ => problems.push(Problem {
                shape: union.to_owned(),
                member: Some(member.name.clone()),
                message: "an event stream's member must target a structure (each event is one)".to_owned(),
            }),
        }
    }
    errors
}
